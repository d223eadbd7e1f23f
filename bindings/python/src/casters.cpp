#include "casters.hpp"

#include <chrono>

namespace crmkit::python {

namespace {

constexpr std::int64_t microseconds_per_day = 86'400'000'000;
constexpr std::int64_t microseconds_per_second = 1'000'000;

// Objects of the datetime module, looked up once and kept for the interpreter's life (handles,
// never destroyed: a static py::object would be released after the interpreter is gone).
struct DatetimeModule {
  py::handle datetime;
  py::handle date;
  py::handle timedelta;
  py::handle epoch;  // 1970-01-01T00:00:00+00:00
};

const DatetimeModule& datetime_module() {
  static const DatetimeModule module = [] {
    py::module_ dt = py::module_::import("datetime");
    DatetimeModule m;
    m.datetime = py::object(dt.attr("datetime")).release();
    m.date = py::object(dt.attr("date")).release();
    m.timedelta = py::object(dt.attr("timedelta")).release();
    m.epoch = dt.attr("datetime")(1970, 1, 1, py::arg("tzinfo") = dt.attr("timezone").attr("utc"))
                  .release();
    return m;
  }();
  return module;
}

std::int64_t timedelta_microseconds(py::handle delta) {
  return delta.attr("days").cast<std::int64_t>() * microseconds_per_day +
         delta.attr("seconds").cast<std::int64_t>() * microseconds_per_second +
         delta.attr("microseconds").cast<std::int64_t>();
}

// numpy.datetime64 scalars, without importing numpy when the caller never did.
bool is_numpy_datetime64(py::handle source) {
  const py::dict modules = py::module_::import("sys").attr("modules");
  if (!modules.contains("numpy")) return false;
  const py::object numpy = modules["numpy"];
  return py::isinstance(source, numpy.attr("datetime64"));
}

}  // namespace

bool load_timestamp(py::handle source, Timestamp& value) {
  const auto& m = datetime_module();
  if (py::isinstance<py::str>(source)) {
    value = parse_timestamp(source.cast<std::string>(), "timestamp");
    return true;
  }
  if (py::isinstance(source, m.datetime)) {
    if (source.attr("utcoffset")().is_none()) {
      throw py::value_error("timestamp: " + py::repr(source).cast<std::string>() +
                            " is a naive datetime; crmkit times are UTC, so give it a timezone, "
                            "e.g. datetime.timezone.utc");
    }
    value = Timestamp(Duration(timedelta_microseconds(source - m.epoch)));
    return true;
  }
  if (is_numpy_datetime64(source)) {
    py::object numpy = py::module_::import("numpy");
    if (numpy.attr("isnat")(source).cast<bool>()) {
      throw py::value_error("timestamp: NaT is not a point in time");
    }
    value = Timestamp(Duration(
        numpy.attr("datetime64")(source, "us").attr("astype")("int64").cast<std::int64_t>()));
    return true;
  }
  return false;
}

py::object timestamp_to_python(Timestamp value) {
  const auto& m = datetime_module();
  return m.epoch + m.timedelta(py::arg("microseconds") = value.time_since_epoch().count());
}

bool load_date(py::handle source, Date& value) {
  const auto& m = datetime_module();
  if (py::isinstance<py::str>(source)) {
    value = parse_date(source.cast<std::string>(), "date");
    return true;
  }
  if (py::isinstance(source, m.datetime)) {
    throw py::type_error("date: " + py::repr(source).cast<std::string>() +
                         " is a datetime; pass its .date() (or a 'YYYY-MM-DD' str)");
  }
  if (!py::isinstance(source, m.date)) return false;
  value = Date{std::chrono::year{source.attr("year").cast<int>()},
               std::chrono::month{source.attr("month").cast<unsigned>()},
               std::chrono::day{source.attr("day").cast<unsigned>()}};
  return true;
}

py::object date_to_python(Date value) {
  return datetime_module().date(static_cast<int>(value.year()),
                                static_cast<unsigned>(value.month()),
                                static_cast<unsigned>(value.day()));
}

bool load_duration(py::handle source, Duration& value) {
  if (!py::isinstance(source, datetime_module().timedelta)) return false;
  value = Duration(timedelta_microseconds(source));
  return true;
}

py::object duration_to_python(Duration value) {
  return datetime_module().timedelta(py::arg("microseconds") = value.count());
}

}  // namespace crmkit::python
