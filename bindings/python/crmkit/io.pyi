# Stubs of the public module crmkit.io: the names of the compiled crmkit._crmkit.io (io.py adds none).
from crmkit._crmkit.io import *
