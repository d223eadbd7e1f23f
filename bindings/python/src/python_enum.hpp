#pragma once
// C++ enums seen from Python as real `enum.Enum` classes (not pybind11's enum_ objects), whose
// member values are crmkit's canonical names (`Channel.email.value == "email"`, the same text the
// stores, the CSV files and the command line use). Arguments accept a member or that text.
//
// Every C++ enum crosses the boundary through the one type_caster below; CRMKIT_PYTHON_ENUM lists
// the enums (in casters.hpp) and bind_enum creates each Python class once, at module import.

#include <pybind11/pybind11.h>

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace crmkit::python {

namespace py = pybind11;

/// The members of one bound enum: the C++ value and its Python name (= the member's value).
template <class E>
using EnumMembers = std::vector<std::pair<E, std::string>>;

/// True for the C++ enums that cross into Python as `enum.Enum` (specialized by CRMKIT_PYTHON_ENUM).
template <class E>
struct is_python_enum : std::false_type {};

/// The Python class and members of each bound enum, filled in by bind_enum.
template <class E>
struct EnumRegistry {
  static inline PyObject* type = nullptr;  // a strong reference, kept for the interpreter's life
  static inline EnumMembers<E> members;
  static inline std::vector<std::string> names;  // the members' names, in order
  static inline std::string qualified_name;
};

// Creates the enum.Enum class `name` in `scope`, shown as `<python_module>.<name>`, with the
// docstring `doc`. The members keep their order; the value of each is its name.
py::object make_python_enum(py::module_& scope, const char* python_module, const char* name,
                            const char* doc, const std::vector<std::string>& member_names);

/// Binds the C++ enum E as the Python enum class `scope.name`.
/// @param python_module the public module users import it from, e.g. "crmkit" or "crmkit.analytics"
template <class E>
py::object bind_enum(py::module_& scope, const char* python_module, const char* name,
                     const char* doc, EnumMembers<E> members) {
  static_assert(is_python_enum<E>::value, "list the enum in casters.hpp with CRMKIT_PYTHON_ENUM");
  std::vector<std::string> names;
  names.reserve(members.size());
  for (const auto& member : members) names.push_back(member.second);
  py::object type = make_python_enum(scope, python_module, name, doc, names);
  EnumRegistry<E>::type = type.inc_ref().ptr();
  EnumRegistry<E>::members = std::move(members);
  EnumRegistry<E>::names = std::move(names);
  EnumRegistry<E>::qualified_name = std::string(python_module) + "." + name;
  return type;
}

// The member name of a Python argument (an enum member of `type`, or a str), or throws
// TypeError/ValueError naming the enum and listing the allowed names. False when `source` is
// neither, so that pybind11 reports the usual "incompatible function arguments".
bool enum_argument_name(py::handle source, PyObject* type, const std::string& qualified_name,
                        const std::vector<std::string>& names, std::string& name);

}  // namespace crmkit::python

namespace pybind11::detail {

/// Converts every enum listed with CRMKIT_PYTHON_ENUM to and from its Python enum.Enum class.
template <class E>
struct type_caster<E, std::enable_if_t<crmkit::python::is_python_enum<E>::value>> {
 public:
  PYBIND11_TYPE_CASTER(E, crmkit::python::is_python_enum<E>::name);

  bool load(handle source, bool /*convert*/) {
    using Registry = crmkit::python::EnumRegistry<E>;
    if (Registry::type == nullptr) return false;
    std::string member_name;
    if (!crmkit::python::enum_argument_name(source, Registry::type, Registry::qualified_name,
                                            Registry::names, member_name)) {
      return false;
    }
    for (const auto& member : Registry::members) {
      if (member.second == member_name) {
        value = member.first;
        return true;
      }
    }
    return false;
  }

  static handle cast(E source, return_value_policy /*policy*/, handle /*parent*/) {
    using Registry = crmkit::python::EnumRegistry<E>;
    for (const auto& member : Registry::members) {
      if (member.first == source) {
        return getattr(handle(Registry::type), member.second.c_str()).release();
      }
    }
    throw value_error(Registry::qualified_name + ": the C++ value " +
                      std::to_string(static_cast<long long>(source)) + " has no Python member");
  }
};

}  // namespace pybind11::detail

/// Declares that the C++ enum `Enum` crosses into Python as the enum.Enum class `PyName`
/// (a string literal used in signatures). Use at global scope, in casters.hpp only.
#define CRMKIT_PYTHON_ENUM(Enum, PyName)                                        \
  template <>                                                                   \
  struct crmkit::python::is_python_enum<Enum> : std::true_type {                \
    static constexpr auto name = pybind11::detail::const_name(PyName);          \
  }
