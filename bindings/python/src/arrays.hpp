#pragma once
// numpy columns in and out of the analytics without per-row Python work: arguments are taken as
// 1-D contiguous arrays (numpy arrays, pandas Series, lists...) and viewed, not copied, when they
// already have the dtype; results move from std::vector into numpy arrays without a copy.
// Wrong dtypes are a TypeError and wrong shapes or lengths a ValueError, each naming the argument.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace crmkit::python {

namespace py = pybind11;

/// A read-only 1-D column taken from a Python argument. It holds the array it views, so `values`
/// stays valid while the Column lives (and the GIL may be released while it is read).
template <class T>
struct Column {
  py::array_t<T, py::array::c_style> array;  ///< the array viewed (the argument or a converted copy)
  std::span<const T> values;                 ///< its values
};

/// Integer ids: any integer dtype; floats only when every value is whole (pandas stores ids with
/// gaps as float64), NaN being a ValueError naming `name[i]`. Booleans, strings: TypeError.
Column<std::int64_t> int64_column(py::handle source, const char* name);

/// Amounts or features: any integer or float dtype, converted to float64 when needed.
Column<double> float64_column(py::handle source, const char* name);

/// Points in time as microseconds since 1970-01-01T00:00:00Z: datetime64 of any unit (viewed when
/// it is datetime64[us]), or a timezone-aware pandas Series/DatetimeIndex (converted to UTC). NaT is
/// a ValueError naming `name[i]`; plain integers are a TypeError that says how to mark their unit.
Column<std::int64_t> timestamp_column(py::handle source, const char* name);

/// ValueError `<name>: has N values but <reference> has M` unless the lengths agree.
void check_same_length(const char* reference, std::size_t reference_size, const char* name,
                       std::size_t size);

/// Moves a vector into a numpy array that owns it (no copy).
template <class T>
py::array_t<T> to_numpy(std::vector<T>&& values) {
  auto owned = std::make_unique<std::vector<T>>(std::move(values));
  std::vector<T>* raw = owned.get();
  py::capsule owner(raw, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  owned.release();  // the capsule owns it now
  return py::array_t<T>(static_cast<py::ssize_t>(raw->size()), raw->data(), owner);
}

/// Microseconds since the epoch as a numpy datetime64[us] array (no copy).
py::array timestamps_to_numpy(std::vector<std::int64_t>&& microseconds);

}  // namespace crmkit::python
