"""The wheel's metadata (bindings/python/pyproject.toml) agrees with the CMake project it builds.

No PyPI here, so the wheel itself cannot be built in CI (scikit-build-core is not a Debian 12
package); what can be checked is that the file parses, that its version is the module's, and that
the CMake settings it passes exist in the build it drives.
"""

import os
import re
import tomllib
from pathlib import Path

import crmkit

SOURCE_DIR = Path(os.environ.get("CRMKIT_SOURCE_DIR", Path(__file__).resolve().parents[3]))
BINDINGS_DIR = SOURCE_DIR / "bindings" / "python"


def load_pyproject() -> dict:
    with open(BINDINGS_DIR / "pyproject.toml", "rb") as file:
        return tomllib.load(file)


def test_version_is_the_cmake_project_version():
    project = load_pyproject()["project"]
    cmake = (SOURCE_DIR / "CMakeLists.txt").read_text()
    cmake_version = re.search(r"project\(crmkit VERSION (\S+)", cmake).group(1)
    assert project["version"] == cmake_version == crmkit.__version__
    assert project["name"] == "crmkit"


def test_build_backend_and_source_dir():
    pyproject = load_pyproject()
    assert pyproject["build-system"]["build-backend"] == "scikit_build_core.build"
    source_dir = (BINDINGS_DIR / pyproject["tool"]["scikit-build"]["cmake"]["source-dir"]).resolve()
    assert (source_dir / "CMakeLists.txt").is_file()
    assert "add_subdirectory(bindings/python)" in (source_dir / "CMakeLists.txt").read_text()
    assert (BINDINGS_DIR / pyproject["project"]["readme"]).is_file()


def test_cmake_settings_exist():
    pyproject = load_pyproject()
    skbuild = pyproject["tool"]["scikit-build"]
    cmake_text = "\n".join(
        path.read_text()
        for path in [SOURCE_DIR / "CMakeLists.txt", BINDINGS_DIR / "CMakeLists.txt"]
    )
    for variable in skbuild["cmake"]["define"]:
        if variable != "BUILD_SHARED_LIBS":
            assert variable in cmake_text, f"{variable} is not a setting of the CMake build"
    for component in skbuild["install"]["components"]:
        assert f"COMPONENT {component}" in cmake_text


def test_runtime_dependencies_are_importable_here():
    import numpy  # noqa: F401  the one required dependency

    assert any(d.startswith("numpy") for d in load_pyproject()["project"]["dependencies"])
