#pragma once
// Shared by every binding source: the casters (include first, so every translation unit sees the
// same conversions) and the init functions module.cpp calls, one per area, in dependency order.

#include "casters.hpp"  // IWYU pragma: export

namespace crmkit::python {

// Each fills one submodule of crmkit._crmkit; the pure-Python package re-exports it:
// core, domain, storage and crm into `crmkit`, the others as `crmkit.io`, `crmkit.analytics` and
// `crmkit.clv`. Classes and enums are shown under those public names (see crmkit/_export.py).
void init_errors(py::module_& core);  // the exception hierarchy, first: everything may throw
void init_core(py::module_& core);
void init_domain(py::module_& domain);
void init_storage(py::module_& storage);
void init_crm(py::module_& crm);
void init_io(py::module_& io);
void init_analytics(py::module_& analytics);
void init_clv(py::module_& clv);

}  // namespace crmkit::python
