"""The .pyi stubs describe the module exactly, and everything public is documented.

For each public module (crmkit, crmkit.io, crmkit.analytics, crmkit.clv) and each area of the compiled
module (crmkit._crmkit.core, ...): the public names equal the stub's; each class's public members
equal the stub's (annotated attributes without a value may be instance attributes, e.g. of
exceptions); the parameter names of every function and method equal the stub's, read from
``inspect.signature`` for Python code and from pybind11's signature lines for compiled code (one
per overload); and every public class, function, method and property has a docstring that says more
than its signature.
"""

from __future__ import annotations

import ast
import enum
import inspect
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import crmkit
from crmkit import _crmkit

PACKAGE_DIR = Path(crmkit.__file__).parent
AREAS = ["core", "domain", "storage", "crm", "io", "analytics", "clv"]
PUBLIC_MODULES = ["crmkit", "crmkit.io", "crmkit.analytics", "crmkit.clv"]


# --- the stubs -----------------------------------------------------------------------------------


def stub_path(module_name: str) -> Path:
    parts = module_name.split(".")[1:]
    if not parts:
        return PACKAGE_DIR / "__init__.pyi"
    if parts == ["_crmkit"]:
        return PACKAGE_DIR / "_crmkit" / "__init__.pyi"
    return PACKAGE_DIR.joinpath(*parts[:-1], parts[-1] + ".pyi")


class StubModule:
    """The top-level names of a stub file, with star imports of other crmkit stubs resolved."""

    def __init__(self, module_name: str, seen: set[str] | None = None) -> None:
        self.path = stub_path(module_name)
        self.tree = ast.parse(self.path.read_text(), filename=str(self.path))
        self.names: dict[str, ast.AST] = {}
        self.containers: dict[str, ast.Module] = {}  # the stub file each name is defined in
        seen = (seen or set()) | {module_name}
        for node in self.tree.body:
            if isinstance(node, ast.ClassDef | ast.FunctionDef):
                self.names[node.name] = node
                self.containers[node.name] = self.tree
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                self.names[node.target.id] = node
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.names[target.id] = node
            elif isinstance(node, ast.ImportFrom):
                source = resolve_import(module_name, node)
                for alias in node.names:
                    if alias.name == "*":
                        if source.startswith("crmkit") and source not in seen:
                            other = StubModule(source, seen)
                            self.names.update(other.names)
                            self.containers.update(other.containers)
                    elif alias.asname is not None:  # `import x as x` re-exports x (PEP 484)
                        self.names[alias.asname] = node

    def public(self) -> set[str]:
        return {name for name in self.names if not name.startswith("_")}


def resolve_import(module_name: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    package = module_name.split(".")
    # a package's stub (__init__.pyi) is its own package; a module's is its parent
    is_package = stub_path(module_name).name == "__init__.pyi"
    base = package if is_package else package[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def all_stub_classes() -> dict[str, ast.ClassDef]:
    classes: dict[str, ast.ClassDef] = {}
    for module_name in [f"crmkit._crmkit.{area}" for area in AREAS] + PUBLIC_MODULES:
        for name, node in StubModule(module_name).names.items():
            if isinstance(node, ast.ClassDef):
                classes.setdefault(name, node)
    return classes


def stub_class_members(node: ast.ClassDef, classes: dict[str, ast.ClassDef]) -> dict[str, ast.AST]:
    members: dict[str, ast.AST] = {}
    for base in node.bases:
        base_name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
        if base_name in classes and classes[base_name] is not node:
            members.update(stub_class_members(classes[base_name], classes))
    for item in node.body:
        if isinstance(item, ast.FunctionDef | ast.ClassDef):  # methods and nested classes
            members[item.name] = item
        elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            members[item.target.id] = item
        elif isinstance(item, ast.Assign):
            for target in item.targets:
                if isinstance(target, ast.Name):
                    members[target.id] = item
    return members


def stub_overloads(container: ast.Module | ast.ClassDef, name: str) -> list[list[str]]:
    """Parameter names of each definition of `name` in `container` (several with @overload)."""
    signatures = []
    for item in container.body:
        if isinstance(item, ast.FunctionDef) and item.name == name:
            args = item.args
            names = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]
            if args.vararg:
                names.append("*" + args.vararg.arg)
            if args.kwarg:
                names.append("**" + args.kwarg.arg)
            if names and names[0] in ("self", "cls"):
                names = names[1:]
            signatures.append(names)
    return signatures


# --- the module ----------------------------------------------------------------------------------


def runtime_module(module_name: str) -> ModuleType:
    if module_name.startswith("crmkit._crmkit."):
        return getattr(_crmkit, module_name.rsplit(".", 1)[1])
    return __import__(module_name, fromlist=["_"])


def runtime_public(module: ModuleType) -> set[str]:
    if hasattr(module, "__all__"):
        return {name for name in module.__all__ if not name.startswith("_")}
    return {name for name in dir(module) if not name.startswith("_")}


SKIPPED_BASE_MODULES = {"builtins", "enum", "pybind11_builtins"}


def runtime_class_members(cls: type) -> set[str]:
    names: set[str] = set()
    for klass in cls.__mro__:
        if klass.__module__ in SKIPPED_BASE_MODULES:
            continue
        names |= {name for name in vars(klass) if not name.startswith("_")}
    if issubclass(cls, enum.Enum):
        names |= set(cls.__members__)
    return names


SIGNATURE_LINE = re.compile(r"^(?:\d+\. )?(\w+)\((.*)\)(?: -> .*)?$")


def split_parameters(text: str) -> list[str]:
    """Top-level comma split of a pybind11 parameter list (brackets and quotes respected)."""
    parts, depth, quote, current = [], 0, "", ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{<":
            depth += 1
        elif char in ")]}>":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
            continue
        current += char
    if current.strip():
        parts.append(current.strip())
    return parts


def compiled_overloads(function: Any, name: str) -> list[list[str]]:
    doc = function.__doc__ or ""
    signatures = []
    for line in doc.splitlines():
        match = SIGNATURE_LINE.match(line.strip())
        if not match or match.group(1) != name:
            continue
        names = []
        for parameter in split_parameters(match.group(2)):
            parameter_name = parameter.split(":", 1)[0].split("=", 1)[0].strip()
            if parameter_name in ("/", "*"):
                continue
            names.append(parameter_name)
        if names and names[0] == "self":
            names = names[1:]
        if names == ["*args", "**kwargs"] and "Overloaded function." in doc:
            continue
        signatures.append(names)
    return signatures


def runtime_overloads(function: Any, name: str) -> list[list[str]] | None:
    """Parameter names per overload, or None for objects that are not callables with a signature."""
    if isinstance(function, (staticmethod, classmethod)):
        function = function.__func__
    if inspect.isfunction(function):
        names = []
        for parameter in inspect.signature(function).parameters.values():
            if parameter.kind is parameter.VAR_POSITIONAL:
                names.append("*" + parameter.name)
            elif parameter.kind is parameter.VAR_KEYWORD:
                names.append("**" + parameter.name)
            else:
                names.append(parameter.name)
        if names and names[0] in ("self", "cls"):
            names = names[1:]
        return [names]
    # compiled: pybind11 functions and methods carry their signature lines in the docstring
    overloads = compiled_overloads(function, name) if callable(function) else []
    return overloads or None


def has_real_docstring(obj: Any, name: str) -> bool:
    doc = inspect.getdoc(obj) or ""
    lines = [
        line
        for line in doc.splitlines()
        if line.strip()
        and line.strip() != "Overloaded function."
        and not (SIGNATURE_LINE.match(line.strip()) and SIGNATURE_LINE.match(line.strip()).group(1) == name)
    ]
    return bool(lines)


# --- the tests -----------------------------------------------------------------------------------

MODULES = [f"crmkit._crmkit.{area}" for area in AREAS] + PUBLIC_MODULES


@pytest.mark.parametrize("module_name", MODULES)
def test_stub_lists_exactly_the_public_names(module_name: str) -> None:
    stub = StubModule(module_name).public()
    runtime = runtime_public(runtime_module(module_name))
    assert sorted(runtime - stub) == [], f"in {module_name} but not in its stub"
    assert sorted(stub - runtime) == [], f"in the stub of {module_name} but not in the module"


def area_items(module_name: str):
    module = runtime_module(module_name)
    stub = StubModule(module_name)
    for name in sorted(runtime_public(module) & stub.public()):
        yield name, getattr(module, name), stub


@pytest.mark.parametrize("module_name", MODULES)
def test_stub_classes_have_the_members_of_the_module(module_name: str) -> None:
    classes = all_stub_classes()
    problems = []
    for name, value, stub in area_items(module_name):
        node = stub.names[name]
        if not (isinstance(value, type) and isinstance(node, ast.ClassDef)):
            continue
        stub_members = stub_class_members(node, classes)
        stub_public = {member for member in stub_members if not member.startswith("_")}
        runtime = runtime_class_members(value)
        missing = runtime - stub_public
        extra = {
            member
            for member in stub_public - runtime
            # annotated attributes without a value may be set on instances (exceptions do)
            if not (isinstance(stub_members[member], ast.AnnAssign) and stub_members[member].value is None
                    and issubclass(value, BaseException))
        }
        if missing:
            problems.append(f"{name}: not in the stub: {sorted(missing)}")
        if extra:
            problems.append(f"{name}: only in the stub: {sorted(extra)}")
    assert problems == []


@pytest.mark.parametrize("module_name", MODULES)
def test_stub_parameter_names_match(module_name: str) -> None:
    classes = all_stub_classes()
    problems = []
    for name, value, stub in area_items(module_name):
        node = stub.names[name]
        if isinstance(node, ast.FunctionDef):
            expected = sorted(stub_overloads(stub.containers[name], name))
            actual = runtime_overloads(value, name)
            if actual is not None and sorted(actual) != expected:
                problems.append(f"{name}: module {sorted(actual)} != stub {expected}")
        elif isinstance(node, ast.ClassDef) and isinstance(value, type):
            for member, member_node in stub_class_members(node, classes).items():
                if not isinstance(member_node, ast.FunctionDef):
                    continue
                if member.startswith("__") and member != "__init__":
                    continue
                if member.startswith("_") and member != "__init__":
                    continue
                raw = inspect.getattr_static(value, member, None)
                if raw is None or isinstance(raw, property):
                    continue
                actual = runtime_overloads(getattr(value, member), member)
                if actual is None:
                    continue
                defined_here = any(
                    isinstance(item, ast.FunctionDef) and item.name == member for item in node.body
                )
                if not defined_here:
                    continue  # inherited in the stub: checked on the base class
                owner = node
                expected = sorted(stub_overloads(owner, member))
                if sorted(actual) != expected:
                    problems.append(f"{name}.{member}: module {sorted(actual)} != stub {expected}")
    assert problems == []


@pytest.mark.parametrize("module_name", MODULES)
def test_everything_public_is_documented(module_name: str) -> None:
    undocumented = []
    for name, value, _ in area_items(module_name):
        if isinstance(value, ModuleType) or not (callable(value) or isinstance(value, type)):
            continue
        if not has_real_docstring(value, name):
            undocumented.append(name)
        if isinstance(value, type) and not issubclass(value, enum.Enum):
            for klass in value.__mro__:
                if klass.__module__ in SKIPPED_BASE_MODULES:
                    continue
                for member, raw in vars(klass).items():
                    if member.startswith("_") or klass is not value:
                        continue
                    target = raw.__func__ if isinstance(raw, (staticmethod, classmethod)) else raw
                    if isinstance(raw, property) or callable(target):
                        if not has_real_docstring(target, member):
                            undocumented.append(f"{name}.{member}")
    assert undocumented == []


def test_the_checker_sees_a_wrong_stub(tmp_path: Path) -> None:
    """The comparison itself can fail: a signature line with other names does not match."""
    line = "rfm(customer_ids: numpy.ndarray, timestamps: numpy.ndarray, *, bins: int = 5) -> X"
    match = SIGNATURE_LINE.match(line)
    assert match is not None
    names = [p.split(":")[0].strip() for p in split_parameters(match.group(2)) if p.strip() != "*"]
    assert names == ["customer_ids", "timestamps", "bins"]
    assert split_parameters("a: Dict[str, int] = {'x,y': 1}, b: int") == [
        "a: Dict[str, int] = {'x,y': 1}",
        "b: int",
    ]
