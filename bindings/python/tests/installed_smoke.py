"""Run by install_and_import.cmake: the package imported from the installed prefix works."""

import sys
from pathlib import Path

import crmkit
import crmkit.analytics
import crmkit.clv
import crmkit.io

site_dir = Path(sys.argv[1]).resolve()
package_dir = Path(crmkit.__file__).resolve().parent
assert package_dir == site_dir / "crmkit", f"imported {package_dir}, not the installed {site_dir}"
assert (package_dir / "py.typed").is_file(), "the PEP 561 marker is installed"
assert list(package_dir.glob("_crmkit/*.pyi")), "the stubs are installed"
assert crmkit.__version__

# A real round trip through the installed module: the store, the facade and an analysis.
crm = crmkit.Crm(crmkit.open("memory:"))
customer = crm.create_customer(crmkit.Customer(kind=crmkit.CustomerKind.person, given_name="Ada"))
assert crm.customer(customer.id).given_name == "Ada"
try:
    crmkit.open("nosuchscheme:x")
except crmkit.Error as error:
    assert "nosuchscheme" in str(error)
else:
    raise AssertionError("an unknown scheme must raise crmkit.Error")
print(f"crmkit {crmkit.__version__} imported from {package_dir}")
