// Helpers shared by the binding sources of storage, crm and io (see support.hpp).
#include "bindings.hpp"
// (bindings.hpp first)
#include "support.hpp"

#include <string>
#include <utility>

namespace crmkit::python {

std::string type_name(py::handle object) {
  return py::str(py::type::handle_of(object).attr("__name__")).cast<std::string>();
}

std::string fields_repr(py::handle self, const char* name, std::initializer_list<const char*> fields) {
  std::string text = name;
  text += '(';
  bool first = true;
  for (const char* field : fields) {
    py::object value = self.attr(field);
    if (value.is_none()) continue;
    if (!first) text += ", ";
    text += field;
    text += '=';
    text += py::repr(value).cast<std::string>();
    first = false;
  }
  text += ')';
  return text;
}

std::string path_argument(py::handle source, const char* name, const char* expected) {
  if (!py::isinstance<py::str>(source) && !py::isinstance<py::bytes>(source) &&
      !py::hasattr(source, "__fspath__")) {
    throw py::type_error(std::string(name) + ": expected " + expected + ", got " + type_name(source));
  }
  return py::module_::import("os").attr("fsdecode")(source).cast<std::string>();
}

std::optional<Currency> currency_argument(py::handle source) {
  if (source.is_none()) return std::nullopt;
  if (py::isinstance<py::str>(source)) return Currency(source.cast<std::string>());
  return source.cast<Currency>();
}

PythonCallable::PythonCallable(py::object callable)
    : callable_(new py::object(std::move(callable)), [](py::object* object) {
        if (Py_IsInitialized() == 0) return;  // interpreter gone: leak rather than crash
        py::gil_scoped_acquire gil;
        delete object;
      }) {}

Timestamp PythonClock::operator()() const {
  py::gil_scoped_acquire gil;
  py::object result = callable.get()();
  Timestamp now{};
  if (!load_timestamp(result, now)) {
    throw py::type_error("clock: must return a timezone-aware datetime.datetime, not " + type_name(result));
  }
  return now;
}

void throw_wrong_transaction_thread(const std::string& backend, const char* python_name, const char* what) {
  throw StorageError(StorageError::Kind::transaction, backend,
                     std::string(python_name) + "." + what +
                         ": a transaction must be ended on the thread that began it");
}

void throw_transaction_ended(const std::string& backend, const char* python_name) {
  throw StorageError(StorageError::Kind::transaction, backend,
                     std::string(python_name) + ": cannot enter a transaction that has already ended");
}

}  // namespace crmkit::python
