#pragma once
// Helpers shared by the binding sources of storage, crm and io (include after bindings.hpp):
// argument conversions with errors that name the argument, the repr of records, Python callables
// held by C++ code, and transactions as Python context managers.

#include "bindings.hpp"

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace crmkit::python {

/// Releases the GIL for the time of a call (every Store and Crm call: see storage.cpp).
inline constexpr auto release_gil = py::call_guard<py::gil_scoped_release>();

/// The name of `object`'s type, e.g. ``int``.
std::string type_name(py::handle object);

/// `Name(field=repr, ...)` over the given attributes of `self`, leaving out those that are None.
std::string fields_repr(py::handle self, const char* name, std::initializer_list<const char*> fields);

/// A path argument: str, bytes or os.PathLike, as a str (os.fsdecode). TypeError
/// `name: expected <expected>, got <type>` otherwise.
std::string path_argument(py::handle source, const char* name,
                          const char* expected = "a str or os.PathLike path");

/// An optional currency argument: None, a Currency or an ISO 4217 code (ValidationError when bad).
std::optional<Currency> currency_argument(py::handle source);

/// Copies a sequence of bound values into a vector (the GIL is held).
/// TypeError `name[i]: expected <expected>, got <type>` for an element of another type.
template <class T>
std::vector<T> copy_sequence(const py::sequence& items, const char* name, const char* expected) {
  std::vector<T> values;
  values.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    py::object item = items[i];
    if (!py::isinstance<T>(item)) {
      throw py::type_error(std::string(name) + "[" + std::to_string(i) + "]: expected " + expected +
                           ", got " + type_name(item));
    }
    values.push_back(item.cast<T>());
  }
  return values;
}

/// A Python callable owned by C++ code that may copy or drop it without the GIL (std::function
/// copies inside the Crm or the import options): the reference is released with the GIL held.
class PythonCallable {
 public:
  explicit PythonCallable(py::object callable);
  /// The callable (use with the GIL held).
  [[nodiscard]] const py::object& get() const noexcept { return *callable_; }

 private:
  std::shared_ptr<py::object> callable_;
};

/// A clock (CrmOptions::clock, ImportOptions::clock) over a Python callable returning an aware
/// datetime (or an ISO 8601 str); TypeError for anything else.
struct PythonClock {
  PythonCallable callable;
  Timestamp operator()() const;
};

// --- Transactions as context managers ----------------------------------------------------------

/// A transaction seen from Python: it keeps its owner (a Store, a Crm) alive, since a transaction
/// must end before its owner is destroyed, and remembers the thread that began it (the only one
/// that may end it).
template <class Owner, class Native>
struct PythonTransaction {
  std::shared_ptr<Owner> owner;  // declared first: destroyed after `transaction`
  Native transaction;
  std::thread::id thread = std::this_thread::get_id();
};

/// Begins a transaction with `begin(owner)`, the GIL released (it may wait for other threads'
/// transactions).
template <class Wrapper, class Owner, class Begin>
std::unique_ptr<Wrapper> begin_transaction(std::shared_ptr<Owner> owner, Begin begin) {
  std::optional<decltype(begin(*owner))> transaction;
  {
    py::gil_scoped_release release;
    transaction.emplace(begin(*owner));
  }
  return std::unique_ptr<Wrapper>(new Wrapper{std::move(owner), std::move(*transaction)});
}

/// StorageError (kind ``transaction``) `<python_name>.<what>: a transaction must be ended on the
/// thread that began it`.
[[noreturn]] void throw_wrong_transaction_thread(const std::string& backend, const char* python_name,
                                                 const char* what);

/// StorageError (kind ``transaction``) `<python_name>: cannot enter a transaction that has already
/// ended`.
[[noreturn]] void throw_transaction_ended(const std::string& backend, const char* python_name);

/// The docstrings that differ between the transaction classes.
struct TransactionDocs {
  const char* commit;
  const char* rollback;
  const char* exit;
};

/// Defines commit(), rollback(), the `active` property, __enter__ and __exit__ on a
/// PythonTransaction class. `python_name` names the class in errors (``Transaction``,
/// ``Crm.Transaction``); `backend_of(owner)` gives the backend's name for StorageError.
template <class Wrapper, class BackendOf>
void def_transaction_methods(py::class_<Wrapper>& cls, const char* python_name, BackendOf backend_of,
                             const TransactionDocs& docs) {
  const auto check_thread = [python_name, backend_of](const Wrapper& self, const char* what) {
    if (std::this_thread::get_id() != self.thread) {
      throw_wrong_transaction_thread(std::string(backend_of(*self.owner)), python_name, what);
    }
  };
  cls.def(
         "commit",
         [check_thread](Wrapper& self) {
           check_thread(self, "commit");
           py::gil_scoped_release release;
           self.transaction.commit();
         },
         docs.commit)
      .def(
          "rollback",
          [check_thread](Wrapper& self) {
            if (!self.transaction.active()) return;
            check_thread(self, "rollback");
            self.transaction.rollback();
          },
          docs.rollback)
      .def_property_readonly(
          "active", [](const Wrapper& self) { return self.transaction.active(); },
          "True until commit() or rollback().")
      .def(
          "__enter__",
          [python_name, backend_of](py::object self) {
            const auto& wrapper = self.cast<const Wrapper&>();
            if (!wrapper.transaction.active()) {
              throw_transaction_ended(std::string(backend_of(*wrapper.owner)), python_name);
            }
            return self;
          },
          "Returns the transaction itself; StorageError (kind ``transaction``) when it has already "
          "ended.")
      .def(
          "__exit__",
          [check_thread](Wrapper& self, py::object exc_type, py::object /*exc_value*/,
                         py::object /*traceback*/) {
            if (!self.transaction.active()) return false;  // ended inside the block
            check_thread(self, "__exit__");
            if (exc_type.is_none()) {
              py::gil_scoped_release release;
              self.transaction.commit();
            } else {
              self.transaction.rollback();
            }
            return false;
          },
          py::arg("exc_type"), py::arg("exc_value"), py::arg("traceback"), docs.exit);
}

}  // namespace crmkit::python
