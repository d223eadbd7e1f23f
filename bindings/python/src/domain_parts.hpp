#pragma once
// Shared by the core and domain binding sources (core.cpp, domain*.cpp): argument wrappers with
// friendly conversions, the "fields are values" property helper, and the parts of init_domain.
// Include after bindings.hpp.

#include <pybind11/pybind11.h>

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>

#include "bindings.hpp"

namespace crmkit::python {

/// An argument that is either a bound value of type T or a str that T's constructor validates
/// (Currency("EUR"), Email("a@b.org"), Phone("+33...")). A bad str raises the C++ ValidationError
/// (crmkit.ValidationError) instead of pybind11's generic "incompatible arguments".
template <class T>
struct TextOr {
  std::optional<T> value;
  const T& get() const { return *value; }
};

/// A set of strings taken from any iterable of str (list, tuple, set...), not from a lone str.
struct StringSet {
  std::set<std::string> value;
};

/// A duration in whole seconds, from a datetime.timedelta (without a fraction of a second) or an
/// int count of seconds.
struct WholeSeconds {
  std::chrono::seconds value{0};
};

/// The Python member of a bound enum (the Python class made by bind_enum).
/// (Used instead of py::cast(value): the enum caster's cast() in python_enum.hpp does not compile
/// with pybind11 2.10 — accessor has no release() — so nothing here instantiates it.)
template <class E>
py::object enum_object(E value) {
  using Registry = EnumRegistry<E>;
  for (const auto& member : Registry::members) {
    if (member.first == value) return py::getattr(py::handle(Registry::type), member.second.c_str());
  }
  throw py::value_error(Registry::qualified_name + ": the C++ value " +
                        std::to_string(static_cast<long long>(value)) + " has no Python member");
}

/// A custom attribute value taken strictly (no truthiness, no silent float): None, bool, int
/// (64-bit), float, str, an aware datetime.datetime or numpy.datetime64; numpy booleans, integers
/// and floats count as bool, int and float. Anything else (a Decimal...) is a TypeError.
struct AttributeArg {
  AttributeValue value;
};

/// A dict of custom attributes, each value taken as AttributeArg.
struct AttributesArg {
  Attributes value;
};

/// The C++ value of one attribute; `where` names it in errors (e.g. `attributes['score']`).
inline AttributeValue attribute_from_python(py::handle source, const std::string& where) {
  if (source.is_none()) return std::monostate{};
  if (py::isinstance<py::bool_>(source)) return source.cast<bool>();
  if (py::isinstance<py::str>(source)) return source.cast<std::string>();
  const py::dict modules = py::module_::import("sys").attr("modules");
  const bool numpy = modules.contains("numpy");
  if (numpy && py::isinstance(source, modules["numpy"].attr("bool_"))) return source.cast<bool>();
  if (py::isinstance<py::float_>(source) ||
      (numpy && py::isinstance(source, modules["numpy"].attr("floating")))) {
    return py::float_(py::reinterpret_borrow<py::object>(source)).cast<double>();
  }
  if (py::isinstance<py::int_>(source) ||
      (numpy && py::isinstance(source, modules["numpy"].attr("integer")))) {
    const py::int_ integer(py::reinterpret_borrow<py::object>(source));
    try {
      return integer.cast<std::int64_t>();
    } catch (const py::cast_error&) {
      throw py::value_error(where + ": " + py::repr(source).cast<std::string>() +
                            " does not fit a 64-bit integer");
    }
  }
  Timestamp t{};
  if (load_timestamp(source, t)) return t;
  throw py::type_error(where + ": expected None, bool, int, float, str or an aware "
                       "datetime.datetime, got " + py::repr(source).cast<std::string>() +
                       " (pass a Decimal as str or float)");
}

/// Reads a value field by copy and assigns it whole: `obj.field` is never a view into `obj`.
template <class C, class T>
void value_field(py::class_<C>& cls, const char* name, T C::*member, const char* doc) {
  if constexpr (is_python_enum<T>::value) {
    cls.def_property(
        name, [member](const C& self) { return enum_object(self.*member); },
        [member](C& self, T value) { self.*member = value; }, doc);
  } else {
    cls.def_property(
        name, [member](const C& self) { return self.*member; },
        [member](C& self, T value) { self.*member = std::move(value); }, doc);
  }
}

/// For pickle: `functools.partial(type(self), **fields)` called without arguments, where the
/// fields are the read-write properties of the class (= the keyword arguments of its constructor).
inline py::tuple reduce_by_fields(const py::object& self) {
  const py::object type = py::type::of(self);
  const py::object property = py::module_::import("builtins").attr("property");
  py::dict fields;
  for (const auto item : py::reinterpret_borrow<py::dict>(type.attr("__dict__").attr("copy")())) {
    if (py::isinstance(item.second, property) && !item.second.attr("fset").is_none()) {
      fields[item.first] = self.attr(item.first);
    }
  }
  const py::object partial = py::module_::import("functools").attr("partial");
  return py::make_tuple(partial(type, **fields), py::tuple());
}

/// `==`/`!=` from the C++ operator, `__hash__ = None` (mutable), and copy.copy/copy.deepcopy.
template <class C>
void value_semantics(py::class_<C>& cls) {
  cls.def(
      "__eq__", [](const C& a, const C& b) { return a == b; }, py::is_operator(), py::arg("other"),
      "Field-wise equality.");
  cls.def(
      "__ne__", [](const C& a, const C& b) { return !(a == b); }, py::is_operator(),
      py::arg("other"), "Field-wise inequality.");
  cls.attr("__hash__") = py::none();
  cls.def(
      "__copy__", [](const C& self) { return C(self); }, "A copy (every field is a value).");
  cls.def(
      "__deepcopy__", [](const C& self, const py::dict&) { return C(self); }, py::arg("memo"),
      "A copy (every field is a value, so a shallow copy is already deep).");
  cls.def("__reduce__", &reduce_by_fields,
          "Pickles as the keyword constructor call that rebuilds the value from its fields.");
}

/// Python's repr of a C++ value (through its caster or bound class).
template <class T>
std::string repr_of(const T& value) {
  if constexpr (is_python_enum<T>::value) {
    return py::repr(enum_object(value)).template cast<std::string>();
  } else {
    return py::repr(py::cast(value)).template cast<std::string>();
  }
}

// The parts of init_domain (domain.cpp), in the order it calls them.
void init_domain_customer(py::module_& domain);  // domain_customer.cpp
void init_domain_records(py::module_& domain);   // domain.cpp: interactions, purchases
void init_domain_deal(py::module_& domain);      // domain_deal.cpp: stages, pipelines, deals

}  // namespace crmkit::python

namespace pybind11::detail {

template <class T>
struct text_or_name;
template <>
struct text_or_name<crmkit::Currency> {
  static constexpr auto name = const_name("Currency | str");
  static crmkit::Currency make(const std::string& text) { return crmkit::Currency(text); }
};
template <>
struct text_or_name<crmkit::Email> {
  static constexpr auto name = const_name("Email | str");
  static crmkit::Email make(const std::string& text) { return crmkit::Email(text); }
};
template <>
struct text_or_name<crmkit::Phone> {
  static constexpr auto name = const_name("Phone | str");
  static crmkit::Phone make(const std::string& text) { return crmkit::Phone(text); }
};

template <class T>
struct type_caster<crmkit::python::TextOr<T>> {
  PYBIND11_TYPE_CASTER(crmkit::python::TextOr<T>, text_or_name<T>::name);
  bool load(handle source, bool) {
    if (isinstance<T>(source)) {
      value.value = source.cast<T>();
      return true;
    }
    if (isinstance<str>(source)) {
      value.value = text_or_name<T>::make(source.cast<std::string>());
      return true;
    }
    return false;
  }
  static handle cast(const crmkit::python::TextOr<T>& source, return_value_policy policy,
                     handle parent) {
    return make_caster<T>::cast(source.get(), policy, parent);
  }
};

template <>
struct type_caster<crmkit::python::AttributeArg> {
  PYBIND11_TYPE_CASTER(crmkit::python::AttributeArg,
                       const_name("None | bool | int | float | str | datetime.datetime"));
  bool load(handle source, bool) {
    value.value = crmkit::python::attribute_from_python(source, "value");
    return true;
  }
  static handle cast(const crmkit::python::AttributeArg& source, return_value_policy policy,
                     handle parent) {
    return make_caster<crmkit::AttributeValue>::cast(source.value, policy, parent);
  }
};

template <>
struct type_caster<crmkit::python::AttributesArg> {
  PYBIND11_TYPE_CASTER(
      crmkit::python::AttributesArg,
      const_name("dict[str, None | bool | int | float | str | datetime.datetime]"));
  bool load(handle source, bool) {
    if (!isinstance<dict>(source)) return false;
    value.value.clear();
    for (auto item : reinterpret_borrow<dict>(source)) {
      if (!isinstance<str>(item.first)) {
        throw type_error("attributes: the name " + repr(item.first).cast<std::string>() +
                         " is not a str");
      }
      std::string key = item.first.cast<std::string>();
      const std::string where = "attributes[" + repr(item.first).cast<std::string>() + "]";
      value.value.emplace(std::move(key),
                          crmkit::python::attribute_from_python(item.second, where));
    }
    return true;
  }
  static handle cast(const crmkit::python::AttributesArg& source, return_value_policy policy,
                     handle parent) {
    return make_caster<crmkit::Attributes>::cast(source.value, policy, parent);
  }
};

template <>
struct type_caster<crmkit::python::StringSet> {
  PYBIND11_TYPE_CASTER(crmkit::python::StringSet, const_name("set[str]"));
  bool load(handle source, bool) {
    if (isinstance<str>(source) || isinstance<bytes>(source) || !hasattr(source, "__iter__")) {
      return false;
    }
    value.value.clear();
    for (handle item : reinterpret_borrow<iterable>(source)) {
      if (!isinstance<str>(item)) {
        throw type_error("expected an iterable of str, got an item " +
                         repr(item).cast<std::string>());
      }
      value.value.insert(item.cast<std::string>());
    }
    return true;
  }
  static handle cast(const crmkit::python::StringSet& source, return_value_policy policy,
                     handle parent) {
    return make_caster<std::set<std::string>>::cast(source.value, policy, parent);
  }
};

template <>
struct type_caster<crmkit::python::WholeSeconds> {
  PYBIND11_TYPE_CASTER(crmkit::python::WholeSeconds, const_name("datetime.timedelta | int"));
  bool load(handle source, bool) {
    if (isinstance<bool_>(source)) return false;
    if (isinstance<int_>(source)) {
      value.value = std::chrono::seconds(source.cast<std::int64_t>());
      return true;
    }
    crmkit::Duration micro{};
    if (!crmkit::python::load_duration(source, micro)) return false;
    if (micro.count() % 1'000'000 != 0) {
      throw value_error("duration: " + repr(source).cast<std::string>() +
                        " has a fraction of a second; crmkit keeps whole seconds");
    }
    value.value = std::chrono::duration_cast<std::chrono::seconds>(micro);
    return true;
  }
  static handle cast(const crmkit::python::WholeSeconds& source, return_value_policy policy,
                     handle parent) {
    return make_caster<crmkit::Duration>::cast(crmkit::Duration(source.value), policy, parent);
  }
};

}  // namespace pybind11::detail
