// The compiled module crmkit._crmkit: one submodule per area, filled in dependency order so that
// every signature shows the Python names of the types it uses. Each submodule is named after the
// public module that re-exports it (crmkit, crmkit.io...) before it is filled: pybind11 names
// classes and functions after their scope's __name__, so signatures, reprs and pickles show
// `crmkit.Customer`, not `crmkit._crmkit.domain.Customer`.
#include <crmkit/version.hpp>

#include "bindings.hpp"

PYBIND11_MODULE(_crmkit, module) {
  namespace python = crmkit::python;
  module.doc() = "crmkit's compiled core; import the crmkit package instead.";
  module.attr("__version__") = CRMKIT_VERSION_STRING;

  auto core = module.def_submodule("core", "Errors, ids, money, time and contact values.");
  core.attr("__name__") = "crmkit";
  python::init_errors(core);
  python::init_core(core);
  auto domain = module.def_submodule("domain", "Customers, interactions, pipelines, deals, purchases.");
  domain.attr("__name__") = "crmkit";
  python::init_domain(domain);
  auto storage = module.def_submodule("storage", "The store interface, its backends and open().");
  storage.attr("__name__") = "crmkit";
  python::init_storage(storage);
  auto crm = module.def_submodule("crm", "The Crm facade, events, timelines and pipeline metrics.");
  crm.attr("__name__") = "crmkit";
  python::init_crm(crm);
  auto io = module.def_submodule("io", "CSV import and export.");
  io.attr("__name__") = "crmkit.io";
  python::init_io(io);
  auto analytics = module.def_submodule("analytics", "RFM, segments, k-means, cohorts, ABC.");
  analytics.attr("__name__") = "crmkit.analytics";
  python::init_analytics(analytics);
  auto clv = module.def_submodule("clv", "Customer-lifetime-value models.");
  clv.attr("__name__") = "crmkit.clv";
  python::init_clv(clv);
}
