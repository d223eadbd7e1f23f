"""The package imports from the build tree and shows its public modules."""

import crmkit


def test_version_matches_the_cmake_project():
    assert crmkit.__version__.count(".") == 2
    assert all(part.isdigit() for part in crmkit.__version__.split("."))


def test_public_modules():
    import crmkit.analytics
    import crmkit.clv
    import crmkit.io

    assert crmkit.io.__name__ == "crmkit.io"
    assert crmkit.analytics.__name__ == "crmkit.analytics"
    assert crmkit.clv.__name__ == "crmkit.clv"
