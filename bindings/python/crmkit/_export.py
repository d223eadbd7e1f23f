"""Re-exports a compiled submodule's public names from a public module of the package.

The compiled module ``crmkit._crmkit`` has one submodule per area; users import ``crmkit``,
``crmkit.io``, ``crmkit.analytics`` and ``crmkit.clv``. Classes, enums and functions are given the
public module as ``__module__``, so that ``repr``, ``help()`` and pickling show the names users type.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any


def export(namespace: dict[str, Any], compiled: ModuleType, public_module: str) -> list[str]:
    """Copies the public names of ``compiled`` into ``namespace``; returns them (for ``__all__``)."""
    names = [name for name in dir(compiled) if not name.startswith("_")]
    for name in names:
        value = getattr(compiled, name)
        if isinstance(value, ModuleType):
            continue
        if getattr(value, "__module__", "").startswith("crmkit._crmkit"):
            try:
                value.__module__ = public_module
            except (AttributeError, TypeError):  # objects whose module cannot be set keep theirs
                pass
        namespace[name] = value
    return [name for name in names if not isinstance(getattr(compiled, name), ModuleType)]
