#pragma once
// What the analytics binding sources (analytics*.cpp) share: read-only numpy views of the columns
// of a result object, the purchase columns of a call, the store scan keywords, and pandas.
//
// Results are bound as the C++ structs themselves; their column properties are numpy arrays that
// VIEW the C++ vectors (no copy) and hold the Python result object as their base, so an array
// stays valid after the result is deleted. The views are read-only: the functions that take a
// result back (assign_segments, rfm_features...) rely on its columns as computed.

#include "bindings.hpp"  // first: the casters

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "arrays.hpp"

namespace crmkit::python::analytics_bindings {

namespace an = crmkit::analytics;

/// An argument taken as a column or matrix (a numpy array, pandas Series/DataFrame, list...): any
/// object, converted by the functions of arrays.hpp. Its caster only names it in signatures.
struct ArrayLike {
  py::object object;
};

/// The public module the classes and functions are shown under.
inline constexpr const char* public_module = "crmkit.analytics";

/// A read-only 1-D numpy array viewing `values`, kept alive by `owner` (the Python object that
/// holds the vector).
template <class T>
py::array view(const std::vector<T>& values, py::handle owner) {
  py::array array = py::array_t<T>(static_cast<py::ssize_t>(values.size()), values.data(), owner);
  array.attr("flags").attr("writeable") = false;
  return array;
}

/// A read-only (rows, cols) numpy array viewing the row-major `values`, kept alive by `owner`.
template <class T>
py::array view(const std::vector<T>& values, std::size_t rows, std::size_t cols, py::handle owner) {
  py::array array = py::array_t<T>(
      {static_cast<py::ssize_t>(rows), static_cast<py::ssize_t>(cols)}, values.data(), owner);
  array.attr("flags").attr("writeable") = false;
  return array;
}

/// A read-only datetime64[us] view of microseconds since the epoch, kept alive by `owner`.
py::array view_times(const std::vector<std::int64_t>& microseconds, py::handle owner);

/// Calendar days as a datetime64[D] array (a copy: these columns are short).
py::array dates_to_numpy(const std::vector<Date>& dates);

/// The pandas module, or an ImportError saying that `what` needs pandas.
py::object pandas(const char* what);

/// DataFrame(columns) indexed by its column `index` (removed from the columns).
py::object data_frame(const py::dict& columns, const char* index, const char* what);

/// The three purchase columns of a call, viewed (or converted once) and checked: the GIL may be
/// released while `view()` is read.
struct Purchases {
  Column<std::int64_t> customer_ids;
  Column<std::int64_t> times;
  Column<double> amounts;
  [[nodiscard]] an::PurchaseView view() const noexcept {
    return {customer_ids.values, times.values, amounts.values};
  }
};

/// Converts `customer_ids` (int64), `timestamps` (datetime64) and `amounts` (float64): TypeError
/// for a wrong dtype, ValueError for a wrong shape, a length mismatch or NaT, each naming the
/// argument. (NaN amounts are reported by the C++ validation, as `amounts[i]`.)
Purchases purchase_columns(py::handle customer_ids, py::handle timestamps, py::handle amounts);

/// The PurchaseScan of the store adapters from their keyword arguments: `currency` is None, an
/// ISO 4217 code or an object with a `code` attribute (crmkit.Currency).
storage::PurchaseScan purchase_scan(const py::object& currency, const std::optional<Timestamp>& since,
                                    const std::optional<Timestamp>& until);

/// "Name(a=1, b=2)" from pre-formatted fields.
std::string repr_of(const char* name, const std::vector<std::pair<const char*, std::string>>& fields);

/// Python's repr() of a value.
template <class T>
std::string py_repr(const T& value) {
  return py::repr(py::cast(value)).template cast<std::string>();
}

// The parts of init_analytics, in the order it calls them (classes before the functions that use
// them, so that signatures show Python names).
void init_analytics_io_classes(py::module_& m);      // analytics_io.cpp: PurchaseData, report
void init_analytics_io_functions(py::module_& m);    // read_purchase_columns, load_purchases
void init_analytics_segments(py::module_& m);        // analytics_segments.cpp: rules, segments
void init_analytics_models(py::module_& m);          // analytics_models.cpp: k-means & co.
void init_analytics_tables(py::module_& m);          // analytics_tables.cpp: cohorts, ABC

}  // namespace crmkit::python::analytics_bindings

namespace pybind11::detail {

/// Shows array arguments as numpy.typing.ArrayLike in signatures; accepts any object.
template <>
struct type_caster<crmkit::python::analytics_bindings::ArrayLike> {
  PYBIND11_TYPE_CASTER(crmkit::python::analytics_bindings::ArrayLike, const_name("numpy.typing.ArrayLike"));
  bool load(handle source, bool) {
    value.object = reinterpret_borrow<object>(source);
    return true;
  }
  static handle cast(const crmkit::python::analytics_bindings::ArrayLike& source, return_value_policy, handle) {
    return source.object.inc_ref();
  }
};

}  // namespace pybind11::detail
