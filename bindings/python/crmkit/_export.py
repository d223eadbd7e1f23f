"""Re-exports a compiled submodule's public names from a public module of the package.

The compiled module ``crmkit._crmkit`` has one submodule per area; users import ``crmkit``,
``crmkit.io``, ``crmkit.analytics`` and ``crmkit.clv``. The compiled submodules are named after
those public modules before they are filled (module.cpp), so their classes and functions already
show the public module as ``__module__``: re-exporting is all that is left to do here.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any


def export(namespace: dict[str, Any], compiled: ModuleType) -> list[str]:
    """Copies the public names of ``compiled`` into ``namespace``; returns them (for ``__all__``)."""
    names = [
        name
        for name in dir(compiled)
        if not name.startswith("_") and not isinstance(getattr(compiled, name), ModuleType)
    ]
    namespace.update((name, getattr(compiled, name)) for name in names)
    return names
