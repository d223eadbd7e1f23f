# Stubs of the compiled module crmkit._crmkit (one stub per area submodule; see crmkit/__init__.pyi
# for the public names). tests: bindings/python/tests/test_stubs.py checks them against the module.
from . import analytics as analytics
from . import clv as clv
from . import core as core
from . import crm as crm
from . import domain as domain
from . import io as io
from . import storage as storage

__version__: str
