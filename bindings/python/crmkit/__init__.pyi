# The public names of the crmkit package: the core, domain, storage and crm areas of the compiled
# module at the top level, and three submodules. Checked against the module by tests/test_stubs.py.
from crmkit._crmkit.core import *
from crmkit._crmkit.crm import *
from crmkit._crmkit.domain import *
from crmkit._crmkit.storage import *

from . import analytics as analytics
from . import clv as clv
from . import io as io

__version__: str
