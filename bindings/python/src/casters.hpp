#pragma once
// Every conversion between crmkit's C++ value types and Python that is not a bound class. Include
// this header (through bindings.hpp) first in every binding source: a type_caster must be the same
// in all translation units. Never include <pybind11/chrono.h>: its time_point caster makes naive
// local datetimes, and crmkit's timestamps are UTC.
//
//   crmkit::Id<Tag>    <-> int           (0 = not assigned yet)
//   crmkit::Timestamp  <-> datetime.datetime, timezone-aware, UTC on the way out; on the way in
//                          any aware datetime (converted to UTC) or an ISO 8601 str
//                          (crmkit::parse_timestamp); a naive datetime is a ValueError
//   crmkit::Date       <-> datetime.date (a datetime is refused), or a 'YYYY-MM-DD' str
//   crmkit::Duration   <-> datetime.timedelta, microseconds
//   listed enums       <-> enum.Enum classes (python_enum.hpp)
//   std containers     <-> list / dict / set / None (pybind11/stl.h: copies, not views)

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <crmkit/crmkit.hpp>

#include <cstdint>
#include <string>

#include "python_enum.hpp"

namespace crmkit::python {

namespace py = pybind11;

/// Microseconds since 1970-01-01T00:00:00Z of an aware datetime, a str or a pandas Timestamp.
/// @throws py::value_error for a naive datetime, crmkit::ParseError for a malformed str.
/// False when `source` is none of those.
bool load_timestamp(py::handle source, Timestamp& value);
/// An aware UTC datetime.datetime.
py::object timestamp_to_python(Timestamp value);
/// A datetime.date or a 'YYYY-MM-DD' str; false otherwise.
bool load_date(py::handle source, Date& value);
/// A datetime.date.
py::object date_to_python(Date value);
/// A datetime.timedelta (exact to the microsecond); false otherwise.
bool load_duration(py::handle source, Duration& value);
/// A datetime.timedelta.
py::object duration_to_python(Duration value);

}  // namespace crmkit::python

namespace pybind11::detail {

/// Strong ids are plain Python ints: Python code has no use for the C++ tag.
template <class Tag>
struct type_caster<crmkit::Id<Tag>> {
  PYBIND11_TYPE_CASTER(crmkit::Id<Tag>, const_name("int"));
  bool load(handle source, bool convert) {
    if (PyBool_Check(source.ptr())) return false;
    make_caster<std::int64_t> raw;
    if (!raw.load(source, convert)) return false;
    value = crmkit::Id<Tag>(cast_op<std::int64_t>(raw));
    return true;
  }
  static handle cast(crmkit::Id<Tag> source, return_value_policy, handle) {
    return PyLong_FromLongLong(source.value());
  }
};

/// crmkit::Timestamp <-> timezone-aware datetime.datetime (UTC).
template <>
struct type_caster<crmkit::Timestamp> {
  PYBIND11_TYPE_CASTER(crmkit::Timestamp, const_name("datetime.datetime"));
  bool load(handle source, bool) { return crmkit::python::load_timestamp(source, value); }
  static handle cast(crmkit::Timestamp source, return_value_policy, handle) {
    return crmkit::python::timestamp_to_python(source).release();
  }
};

/// crmkit::Date <-> datetime.date.
template <>
struct type_caster<crmkit::Date> {
  PYBIND11_TYPE_CASTER(crmkit::Date, const_name("datetime.date"));
  bool load(handle source, bool) { return crmkit::python::load_date(source, value); }
  static handle cast(crmkit::Date source, return_value_policy, handle) {
    return crmkit::python::date_to_python(source).release();
  }
};

/// crmkit::Duration <-> datetime.timedelta.
template <>
struct type_caster<crmkit::Duration> {
  PYBIND11_TYPE_CASTER(crmkit::Duration, const_name("datetime.timedelta"));
  bool load(handle source, bool) { return crmkit::python::load_duration(source, value); }
  static handle cast(crmkit::Duration source, return_value_policy, handle) {
    return crmkit::python::duration_to_python(source).release();
  }
};

}  // namespace pybind11::detail

// The enums that cross into Python, each bound once with crmkit::python::bind_enum (the area's
// source file does it) under the same name.
CRMKIT_PYTHON_ENUM(crmkit::CustomerKind, "CustomerKind");
CRMKIT_PYTHON_ENUM(crmkit::LifecycleStage, "LifecycleStage");
CRMKIT_PYTHON_ENUM(crmkit::ConsentStatus, "ConsentStatus");
CRMKIT_PYTHON_ENUM(crmkit::LawfulBasis, "LawfulBasis");
CRMKIT_PYTHON_ENUM(crmkit::Channel, "Channel");
CRMKIT_PYTHON_ENUM(crmkit::Direction, "Direction");
CRMKIT_PYTHON_ENUM(crmkit::StageCategory, "StageCategory");
CRMKIT_PYTHON_ENUM(crmkit::StorageError::Kind, "StorageErrorKind");
CRMKIT_PYTHON_ENUM(crmkit::storage::DealStatus, "DealStatus");
CRMKIT_PYTHON_ENUM(crmkit::TimelineKind, "TimelineKind");
CRMKIT_PYTHON_ENUM(crmkit::io::OnError, "OnError");
CRMKIT_PYTHON_ENUM(crmkit::io::MissingCustomers, "MissingCustomers");
CRMKIT_PYTHON_ENUM(crmkit::io::ExistingCustomers, "ExistingCustomers");
CRMKIT_PYTHON_ENUM(crmkit::io::TimeFormat, "TimeFormat");
CRMKIT_PYTHON_ENUM(crmkit::analytics::Period, "Period");
CRMKIT_PYTHON_ENUM(crmkit::analytics::AbcClass, "AbcClass");
CRMKIT_PYTHON_ENUM(crmkit::analytics::Binning, "Binning");
CRMKIT_PYTHON_ENUM(crmkit::analytics::Scaling, "Scaling");
CRMKIT_PYTHON_ENUM(crmkit::analytics::clv::Model, "Model");
CRMKIT_PYTHON_ENUM(crmkit::analytics::clv::Discounting, "Discounting");
