#include "python_enum.hpp"

namespace crmkit::python {

py::object make_python_enum(py::module_& scope, const char* python_module, const char* name,
                            const char* doc, const std::vector<std::string>& member_names) {
  py::list members;
  for (const auto& member : member_names) members.append(py::make_tuple(member, member));
  py::object type = py::module_::import("enum").attr("Enum")(name, members,
                                                              py::arg("module") = python_module);
  type.attr("__doc__") = doc;
  scope.attr(name) = type;
  return type;
}

bool enum_argument_name(py::handle source, PyObject* type, const std::string& qualified_name,
                        const std::vector<std::string>& names, std::string& name) {
  if (PyObject_IsInstance(source.ptr(), type) == 1) {
    name = py::str(source.attr("value"));
    return true;
  }
  if (!py::isinstance<py::str>(source)) return false;
  name = source.cast<std::string>();
  for (const auto& allowed : names) {
    if (allowed == name) return true;
  }
  std::string list;
  for (const auto& allowed : names) list += (list.empty() ? "" : ", ") + allowed;
  throw py::value_error("'" + name + "' is not a " + qualified_name + " (one of: " + list + ")");
}

}  // namespace crmkit::python
