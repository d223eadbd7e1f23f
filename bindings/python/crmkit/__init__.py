"""crmkit: customers, interactions, pipelines and deals, stored in SQLite or memory, with fast
analytics (RFM, segments, k-means, cohorts, ABC) and customer-lifetime-value models, on numpy
arrays and pandas DataFrames.

The domain (``crmkit.Customer``, ``crmkit.Deal``...), the stores (``crmkit.open("sqlite:crm.db")``),
the ``crmkit.Crm`` facade and the errors (``crmkit.Error`` and its children) live at the top level;
``crmkit.io``, ``crmkit.analytics`` and ``crmkit.clv`` are submodules. See docs/python.md.
"""

from __future__ import annotations

from . import _crmkit
from ._export import export as _export

__version__: str = _crmkit.__version__

__all__: list[str] = []
for _area in (_crmkit.core, _crmkit.domain, _crmkit.storage, _crmkit.crm):
    __all__ += _export(globals(), _area)
del _area

from . import analytics, clv, io  # noqa: E402  (they use the names above)

__all__ += ["analytics", "clv", "io", "__version__"]
