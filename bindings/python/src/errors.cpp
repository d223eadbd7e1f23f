// The crmkit exception hierarchy as real Python classes, and the one translator that turns every
// crmkit C++ exception into them.
//
// The classes are written in Python (executed once at import) rather than with
// py::register_exception: that way they are ordinary exception classes with keyword constructors,
// docstrings, multiple inheritance from the matching built-in (ValidationError is also a
// ValueError, NotFoundError a LookupError) and default pickling, and users can subclass them.
#include "bindings.hpp"
// (bindings.hpp first)
#include "domain_parts.hpp"

#include <pybind11/eval.h>

#include <crmkit/analytics/clv/fit.hpp>

#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>

namespace crmkit::python {

namespace {

// Executed in a namespace whose __name__ is the compiled submodule; crmkit/_export.py then shows
// the classes as crmkit.Error, crmkit.ValidationError... (and pickling finds them there).
constexpr const char* exception_classes = R"PY(
class Error(Exception):
    """Root of every exception crmkit raises on purpose.

    Catch it to handle any crmkit failure; ``str(error)`` always says what was wrong and with which
    value. The C++ ``crmkit::Error`` and all its children arrive as this class or a subclass.
    """


class ValidationError(Error, ValueError):
    """A value broke a rule of the domain (bad email, negative amount, unknown stage...).

    Also a ``ValueError``. The message reads ``field: 'value' rule``, e.g.
    ``customer.emails[0].label: '...' must not contain control characters``.

    Attributes:
        field: dotted path of the offending field, e.g. ``customer.emails[1].label``.
        value: the offending value as text (not truncated).
        rule: the rule it broke, phrased to follow the value, e.g. ``must not be empty``.
    """

    field: str = ""
    value: str = ""
    rule: str = ""

    def __init__(self, message: str = "", field: str = "", value: str = "", rule: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.value = value
        self.rule = rule


class _EntityKeyError(Error):
    """Private base of the errors about one record, named by its entity kind and key."""

    entity: str = ""
    key: str = ""

    def __init__(self, message: str = "", entity: str = "", key: str = "") -> None:
        super().__init__(message)
        self.entity = entity
        self.key = key


class NotFoundError(_EntityKeyError, LookupError):
    """An operation needed an entity that does not exist.

    Also a ``LookupError``. (Lookups such as ``store.get_customer(id)`` return ``None`` instead.)

    Attributes:
        entity: entity kind, e.g. ``customer``.
        key: the key that was looked up, as text.
    """


class ConflictError(_EntityKeyError):
    """An update carried a stale version (someone else changed the record since it was read:
    optimistic concurrency), or a unique key is already taken.

    Attributes:
        entity: entity kind, e.g. ``deal``.
        key: the record's key as text.
    """


class StorageError(Error):
    """The storage backend failed (I/O, corruption, busy database, misuse of a transaction...).

    Attributes:
        kind: broad class of failure, a ``crmkit.StorageErrorKind``.
        backend: backend name, e.g. ``memory`` or ``sqlite`` (empty when unknown).
        native_code: the backend's own error code, 0 when there is none.
    """

    kind: object = None
    backend: str = ""
    native_code: int = 0

    def __init__(self, message: str = "", kind: object = None, backend: str = "",
                 native_code: int = 0) -> None:
        super().__init__(message)
        self.kind = kind
        self.backend = backend
        self.native_code = native_code


class ParseError(Error, ValueError):
    """Text could not be parsed (a timestamp, a date, a CSV file...).

    Also a ``ValueError``.

    Attributes:
        source: the file name or field name the text came from.
        line: 1-based line when the text came from a file, 0 when not applicable.
        column: 1-based column of the first offending character, 0 when not applicable.
        value: the offending text.
        rule: what the text should have been.
    """

    source: str = ""
    line: int = 0
    column: int = 0
    value: str = ""
    rule: str = ""

    def __init__(self, message: str = "", source: str = "", line: int = 0, column: int = 0,
                 value: str = "", rule: str = "") -> None:
        super().__init__(message)
        self.source = source
        self.line = line
        self.column = column
        self.value = value
        self.rule = rule


class FitError(Error):
    """A customer-lifetime-value model fit could not produce finite estimates.

    The message (``cannot fit <model>: <reason>``) says which model, why (the optimizer's reason,
    a non-finite likelihood at the start, too few customers) and what to try.

    Attributes:
        model: the model being fitted, e.g. ``bgnbd`` (from the message; empty when unknown).
    """

    model: str = ""

    def __init__(self, message: str = "", model: str = "") -> None:
        super().__init__(message)
        self.model = model
)PY";

// Strong references kept for the interpreter's life (never released: a static py::object would
// be destroyed after the interpreter is gone).
struct ExceptionTypes {
  PyObject* error = nullptr;
  PyObject* validation = nullptr;
  PyObject* not_found = nullptr;
  PyObject* conflict = nullptr;
  PyObject* storage = nullptr;
  PyObject* parse = nullptr;
  PyObject* fit = nullptr;
};

ExceptionTypes& types() {
  static ExceptionTypes instance;
  return instance;
}

// Raises `type(*args)` as the current Python exception.
void raise(PyObject* type, const py::tuple& args) {
  py::object instance = py::reinterpret_borrow<py::object>(type)(*args);
  PyErr_SetObject(type, instance.ptr());
}

// The C++ FitError keeps only its message, `cannot fit <model>: <reason>` (src/analytics/clv/fit.cpp).
std::string fit_model(std::string_view message) {
  constexpr std::string_view prefix = "cannot fit ";
  if (message.substr(0, prefix.size()) != prefix) return {};
  message.remove_prefix(prefix.size());
  const std::size_t colon = message.find(": ");
  return colon == std::string_view::npos ? std::string() : std::string(message.substr(0, colon));
}

void translate(std::exception_ptr pointer) {
  if (!pointer) return;
  const ExceptionTypes& t = types();
  try {
    std::rethrow_exception(pointer);
  } catch (const analytics::clv::FitError& e) {
    raise(t.fit, py::make_tuple(e.what(), fit_model(e.what())));
  } catch (const ValidationError& e) {
    raise(t.validation, py::make_tuple(e.what(), e.field(), e.value(), e.rule()));
  } catch (const NotFoundError& e) {
    raise(t.not_found, py::make_tuple(e.what(), e.entity(), e.key()));
  } catch (const ConflictError& e) {
    raise(t.conflict, py::make_tuple(e.what(), e.entity(), e.key()));
  } catch (const StorageError& e) {
    raise(t.storage, py::make_tuple(e.what(), enum_object(e.kind()), e.backend(), e.native_code()));
  } catch (const ParseError& e) {
    raise(t.parse, py::make_tuple(e.what(), e.source(), e.line(), e.column(), e.value(), e.rule()));
  } catch (const Error& e) {
    raise(t.error, py::make_tuple(e.what()));
  }
  // Anything else propagates to the next translator (pybind11's defaults: std::invalid_argument
  // -> ValueError, std::out_of_range -> IndexError, ...).
}

}  // namespace

void init_errors(py::module_& core) {
  bind_enum<StorageError::Kind>(
      core, "crmkit", "StorageErrorKind",
      "Broad class of a storage failure (crmkit.StorageError.kind).\n\n"
      "io: reading or writing the medium failed; busy: the database stayed locked past the busy "
      "timeout; corrupt: the stored data is damaged or not a crmkit store; constraint: a "
      "storage-level constraint failed; schema: the schema is newer than this crmkit or cannot be "
      "migrated; transaction: a transaction was misused (commit twice, wrong thread...); "
      "unsupported: the backend or URI scheme is unknown or cannot do this; other: anything else.",
      {{StorageError::Kind::io, "io"},
       {StorageError::Kind::busy, "busy"},
       {StorageError::Kind::corrupt, "corrupt"},
       {StorageError::Kind::constraint, "constraint"},
       {StorageError::Kind::schema, "schema"},
       {StorageError::Kind::transaction, "transaction"},
       {StorageError::Kind::unsupported, "unsupported"},
       {StorageError::Kind::other, "other"}});

  py::dict scope;
  scope["__name__"] = core.attr("__name__");
  scope["__builtins__"] = py::module_::import("builtins");
  py::exec(exception_classes, scope);

  ExceptionTypes& t = types();
  const auto keep = [&](const char* name) {
    py::object type = scope[name];
    core.attr(name) = type;
    return type.inc_ref().ptr();
  };
  t.error = keep("Error");
  t.validation = keep("ValidationError");
  t.not_found = keep("NotFoundError");
  t.conflict = keep("ConflictError");
  t.storage = keep("StorageError");
  t.parse = keep("ParseError");
  t.fit = keep("FitError");

  py::register_exception_translator(&translate);

  // Private: throws one C++ exception of each kind, so the tests can check the translation of the
  // kinds no core or domain function throws (storage, conflicts, fits) and of std exceptions.
  core.def(
      "_throw_for_testing",
      [](const std::string& what) {
        if (what == "validation") throw ValidationError("customer.emails[0]", "x@", "is not valid");
        if (what == "not_found") throw NotFoundError("customer", "42");
        if (what == "conflict") {
          throw ConflictError("deal", "7", "version 3 is stale: the stored version is 4");
        }
        if (what == "storage") {
          throw StorageError(StorageError::Kind::busy, "sqlite", "database is locked", 5);
        }
        if (what == "parse") throw ParseError("data.csv", 3, 14, "2024-13-01", "is not a date");
        if (what == "fit") throw analytics::clv::FitError("bgnbd", "the optimizer failed");
        if (what == "error") throw Error("plain crmkit error");
        if (what == "invalid_argument") throw std::invalid_argument("bad argument");
        if (what == "out_of_range") throw std::out_of_range("bad index");
        throw std::runtime_error("not a crmkit error: " + what);
      },
      py::arg("what"), "Private test hook: throws the C++ exception named by `what`.");
}

}  // namespace crmkit::python
