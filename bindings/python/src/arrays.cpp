#include "arrays.hpp"

#include <algorithm>
#include <limits>
#include <string>

namespace crmkit::python {

namespace {

py::object numpy() { return py::module_::import("numpy"); }

std::string shape_text(const py::array& array) {
  std::string text = "(";
  for (py::ssize_t i = 0; i < array.ndim(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(array.shape(i));
  }
  return text + (array.ndim() == 1 ? ",)" : ")");
}

// The argument as a 1-D numpy array (np.asarray: no copy for arrays and Series of plain dtypes).
py::array one_dimensional(py::handle source, const char* name) {
  py::array array = numpy().attr("asarray")(source);
  if (array.ndim() != 1) {
    throw py::value_error(std::string(name) + ": expected a 1-D array, got shape " +
                          shape_text(array));
  }
  return array;
}

char kind_of(const py::array& array) { return array.dtype().kind(); }

std::string dtype_text(const py::array& array) { return py::str(array.dtype()).cast<std::string>(); }

template <class T>
Column<T> column_of(py::array array) {
  auto typed = py::array_t<T, py::array::c_style>::ensure(array);
  if (!typed) throw py::error_already_set();
  const auto* data = typed.data();
  return Column<T>{typed, std::span<const T>(data, static_cast<std::size_t>(typed.size()))};
}

}  // namespace

Column<std::int64_t> int64_column(py::handle source, const char* name) {
  py::array array = one_dimensional(source, name);
  const char kind = kind_of(array);
  if (kind == 'i' || kind == 'u') {
    if (kind == 'u' && array.itemsize() == 8 && array.size() > 0 &&
        numpy().attr("max")(array).cast<std::uint64_t>() >
            static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      throw py::value_error(std::string(name) + ": a value does not fit in int64");
    }
    return column_of<std::int64_t>(array.attr("astype")("int64", py::arg("copy") = false));
  }
  if (kind == 'f') {
    py::array finite = numpy().attr("isfinite")(array);
    py::array whole = numpy().attr("equal")(numpy().attr("floor")(array), array);
    py::array bad = numpy().attr("flatnonzero")(
        numpy().attr("logical_not")(numpy().attr("logical_and")(finite, whole)));
    if (bad.size() > 0) {
      const auto index = bad.attr("__getitem__")(0).cast<py::ssize_t>();
      throw py::value_error(std::string(name) + "[" + std::to_string(index) + "]: " +
                            py::repr(array.attr("__getitem__")(index)).cast<std::string>() +
                            " is not a whole number, so it cannot be an id");
    }
    return column_of<std::int64_t>(array.attr("astype")("int64"));
  }
  throw py::type_error(std::string(name) + ": expected integer ids (int64), got dtype " +
                       dtype_text(array));
}

Column<double> float64_column(py::handle source, const char* name) {
  py::array array = one_dimensional(source, name);
  const char kind = kind_of(array);
  if (kind != 'f' && kind != 'i' && kind != 'u') {
    throw py::type_error(std::string(name) + ": expected numbers (float64), got dtype " +
                         dtype_text(array));
  }
  return column_of<double>(array.attr("astype")("float64", py::arg("copy") = false));
}

Column<std::int64_t> timestamp_column(py::handle source, const char* name) {
  py::object values = py::reinterpret_borrow<py::object>(source);
  // A timezone-aware pandas column would become an object array of Timestamps: convert it to UTC
  // and drop the zone first (tz_convert(None) does both), keeping datetime64.
  if (py::hasattr(values, "dtype") && !py::getattr(values.attr("dtype"), "tz", py::none()).is_none()) {
    values = py::hasattr(values, "dt") ? values.attr("dt").attr("tz_convert")(py::none())
                                       : values.attr("tz_convert")(py::none());
  }
  py::array array = one_dimensional(values, name);
  const char kind = kind_of(array);
  if (kind == 'i' || kind == 'u') {
    throw py::type_error(std::string(name) + ": expected datetime64 values, got dtype " +
                         dtype_text(array) +
                         "; if these are microseconds since 1970-01-01 UTC, pass "
                         "values.astype('datetime64[us]')");
  }
  if (kind != 'M') {
    throw py::type_error(std::string(name) + ": expected datetime64 values, got dtype " +
                         dtype_text(array) +
                         " (convert with pandas.to_datetime(values, utc=True) or numpy.datetime64)");
  }
  py::array micros = array.attr("astype")("datetime64[us]", py::arg("copy") = false).attr("view")("int64");
  Column<std::int64_t> column = column_of<std::int64_t>(micros);
  // NaT is the smallest int64, so numpy's min (SIMD, dispatched at run time, where this build
  // targets baseline x86-64) tells whether there is one in half the time of a plain loop; only then
  // is its index searched for. On 10 million times this check was the binding's largest cost.
  constexpr auto not_a_time = std::numeric_limits<std::int64_t>::min();
  if (!column.values.empty() && column.array.attr("min")().cast<std::int64_t>() == not_a_time) {
    const auto index = std::find(column.values.begin(), column.values.end(), not_a_time) -
                       column.values.begin();
    throw py::value_error(std::string(name) + "[" + std::to_string(index) +
                          "]: NaT is not a point in time");
  }
  return column;
}

void check_same_length(const char* reference, std::size_t reference_size, const char* name,
                       std::size_t size) {
  if (reference_size != size) {
    throw py::value_error(std::string(name) + ": has " + std::to_string(size) + " values but " +
                          reference + " has " + std::to_string(reference_size));
  }
}

py::array timestamps_to_numpy(std::vector<std::int64_t>&& microseconds) {
  return to_numpy(std::move(microseconds)).attr("view")("datetime64[us]");
}

}  // namespace crmkit::python
