// crmkit._crmkit.io (public as crmkit.io): CSV import into and export from any Store.
//
// Files are given as str / os.PathLike (plain or gzip), or as file objects, which are read whole
// (imports) or written at the end (exports). Imports and exports release the GIL; the progress
// callback and the clock take it back for their call.
#include "bindings.hpp"
// (bindings.hpp first)
#include "support.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>

namespace crmkit::python {

namespace {

/// ImportOptions::progress over a Python callable taking a Progress.
struct PythonProgress {
  PythonCallable callable;
  void operator()(const io::Progress& progress) const {
    py::gil_scoped_acquire gil;
    callable.get()(py::cast(progress));
  }
};

/// The keyed import options with storage for the `#N` id map the C++ options point to.
struct PurchaseOptions : io::PurchaseImportOptions {
  std::shared_ptr<const io::CustomerIdMap> id_map;
};
struct InteractionOptions : io::InteractionImportOptions {
  std::shared_ptr<const io::CustomerIdMap> id_map;
};
using CustomerOptions = io::CustomerImportOptions;

/// A file argument: a path (str / os.PathLike) or a file object (anything with `read`/`write`).
bool is_file_object(py::handle file, const char* method) { return py::hasattr(file, method); }

std::filesystem::path file_path(py::handle file) {
  return path_argument(file, "file", "a str or os.PathLike path or a file object");
}

/// The whole content of a readable file object (text is encoded as UTF-8).
std::string read_all(py::handle file) {
  py::object content = file.attr("read")();
  if (py::isinstance<py::str>(content)) return content.cast<std::string>();
  if (py::isinstance<py::bytes>(content) || py::isinstance<py::bytearray>(content) ||
      py::isinstance<py::memoryview>(content)) {
    return py::bytes(content).cast<std::string>();
  }
  throw py::type_error("file: read() returned " + type_name(content) + ", not str or bytes");
}

std::string source_name(py::handle file, const std::optional<std::string>& source) {
  if (source) return *source;
  if (py::hasattr(file, "name")) return py::str(file.attr("name")).cast<std::string>();
  return "<stream>";
}

/// Runs `import(store, path, options)` on a path, or `import(store, stream, name, options)` on a
/// file object's content, GIL released.
template <class Options, class Import>
io::ImportReport run_import(storage::Store& store, py::handle file, const std::optional<std::string>& source,
                            const Options& options, const Import& import) {
  if (is_file_object(file, "read")) {
    std::istringstream in(read_all(file));
    const std::string name = source_name(file, source);
    py::gil_scoped_release release;
    return import(store, in, name, options);
  }
  const std::filesystem::path path = file_path(file);
  py::gil_scoped_release release;
  return import(store, path, options);
}

/// Runs `export_to(store, path, options)` to a path, or `export_to(store, stream, options)` into a
/// file object (written when complete).
template <class ExportTo>
std::uint64_t run_export(storage::Store& store, py::handle file, const io::ExportOptions& options,
                         const ExportTo& export_to) {
  if (is_file_object(file, "write")) {
    std::ostringstream out;
    std::uint64_t written = 0;
    {
      py::gil_scoped_release release;
      written = export_to(store, out, options);
    }
    const std::string text = std::move(out).str();
    const bool text_file = py::isinstance(file, py::module_::import("io").attr("TextIOBase"));
    if (text_file) {
      file.attr("write")(py::str(text));
    } else {
      file.attr("write")(py::bytes(text));
    }
    return written;
  }
  const std::filesystem::path path = file_path(file);
  py::gil_scoped_release release;
  return export_to(store, path, options);
}

constexpr const char* import_file_doc =
    "\n\n`file` is a path (str or os.PathLike) to a plain or gzip CSV file (gzip is recognised by "
    "its magic bytes; a ``*.gz`` name must be gzip), or a file object opened for reading (text or "
    "binary, read whole into memory; `source` names it in errors, by default its ``name``). The "
    "GIL is released while the file is read and stored.";

/// Defines `function_name(store, file, options=Options(), *, source=None)` over `import` (both
/// overloads of an io::import_* function), documented by `doc` then import_file_doc.
template <class Options, class Import>
void def_import(py::module_& m, const char* function_name, Import import, const char* doc) {
  m.def(
      function_name,
      [import](storage::Store& store, py::object file, const Options& options,
               std::optional<std::string> source) { return run_import(store, file, source, options, import); },
      py::arg("store"), py::arg("file"), py::arg("options") = Options{}, py::kw_only(),
      py::arg("source") = py::none(), (std::string(doc) + import_file_doc).c_str());
}

constexpr const char* export_file_doc =
    "\n\n`file` is a path (str or os.PathLike; gzip-compressed when its name ends in ``.gz``) or "
    "a file object opened for writing (text or binary), written once the export is complete. "
    "Returns the number of records written. Raises Error when the file cannot be written; "
    "whatever the store raises.";

/// Defines `function_name(store, file, options=ExportOptions())` over `export_to` (both overloads
/// of an io::export_* function), documented by `doc` then export_file_doc.
template <class ExportTo>
void def_export(py::module_& m, const char* function_name, ExportTo export_to, const char* doc) {
  m.def(
      function_name,
      [export_to](storage::Store& store, py::object file, const io::ExportOptions& options) {
        return run_export(store, file, options, export_to);
      },
      py::arg("store"), py::arg("file"), py::arg("options") = io::ExportOptions{},
      (std::string(doc) + export_file_doc).c_str());
}

/// Sets the `#N` id map of keyed import options (None: ``#N`` is an id of the store).
template <class Options>
void set_customer_ids(Options& options, std::optional<io::CustomerIdMap> map) {
  options.id_map = map ? std::make_shared<const io::CustomerIdMap>(std::move(*map)) : nullptr;
  options.customer_ids = options.id_map.get();
}

/// Argument types of a setter `void(Options&, Own...)` (a lambda), after the options.
template <class... T>
struct Types {};
template <class C, class Options, class... Own>
Types<Own...> own_arguments(void (C::*)(Options&, Own...) const);

/// The constructor of an import options class: the ImportOptions fields (keyword arguments
/// import_option_args()), then the class's own fields, which `set_own(options, own...)` sets.
template <class Options, class SetOwn, class... Own>
auto import_options_init(SetOwn set_own, Types<Own...> /*own*/) {
  return py::init([set_own](io::CsvFormat format, io::OnError on_error, std::size_t batch_size,
                            std::optional<py::function> progress, std::size_t max_reported_errors,
                            std::optional<py::function> clock, Own... own) {
    Options options;
    options.format = format;
    options.on_error = on_error;
    options.batch_size = batch_size;
    if (progress) options.progress = PythonProgress{PythonCallable(std::move(*progress))};
    options.max_reported_errors = max_reported_errors;
    if (clock) options.clock = PythonClock{PythonCallable(std::move(*clock))};
    set_own(options, std::move(own)...);
    return options;
  });
}
template <class Options, class SetOwn>
auto import_options_init(SetOwn set_own) {
  return import_options_init<Options>(set_own, decltype(own_arguments(&SetOwn::operator())){});
}

/// The same for keyed import options: then the KeyedImportOptions fields (keyed_option_args()).
template <class Options, class SetOwn, class... Own>
auto keyed_import_options_init(SetOwn set_own, Types<Own...> /*own*/) {
  return import_options_init<Options>(
      [set_own](Options& options, std::string customer_column, std::string time_column,
                io::TimeFormat time_format, io::MissingCustomers missing_customers,
                bool strip_decimal_zero_keys, bool skip_rows_without_customer, bool hash_keys_are_ids,
                std::optional<io::CustomerIdMap> customer_ids, Own... own) {
        options.customer_column = std::move(customer_column);
        options.time_column = std::move(time_column);
        options.time_format = time_format;
        options.missing_customers = missing_customers;
        options.strip_decimal_zero_keys = strip_decimal_zero_keys;
        options.skip_rows_without_customer = skip_rows_without_customer;
        options.hash_keys_are_ids = hash_keys_are_ids;
        if (customer_ids) set_customer_ids(options, std::move(customer_ids));
        set_own(options, std::move(own)...);
      });
}
template <class Options, class SetOwn>
auto keyed_import_options_init(SetOwn set_own) {
  return keyed_import_options_init<Options>(set_own, decltype(own_arguments(&SetOwn::operator())){});
}

/// The keyword arguments of the ImportOptions fields, with the C++ defaults.
auto import_option_args() {
  return std::make_tuple(py::kw_only(), py::arg("format") = io::CsvFormat{},
                         py::arg("on_error") = io::OnError::abort, py::arg("batch_size") = 10000,
                         py::arg("progress") = py::none(), py::arg("max_reported_errors") = 1000,
                         py::arg("clock") = py::none());
}

/// The keyword arguments of the KeyedImportOptions fields, with the C++ defaults.
auto keyed_option_args() {
  return std::make_tuple(py::arg("customer_column") = "customer_id", py::arg("time_column") = "timestamp",
                         py::arg("time_format") = io::TimeFormat::iso8601,
                         py::arg("missing_customers") = io::MissingCustomers::create,
                         py::arg("strip_decimal_zero_keys") = false,
                         py::arg("skip_rows_without_customer") = false,
                         py::arg("hash_keys_are_ids") = true, py::arg("customer_ids") = py::none());
}

/// Defines the constructor `init` of an options class with the keyword arguments `args`.
template <class Options, class Init, class... Args>
void def_options_init(py::class_<Options>& cls, Init init, const std::tuple<Args...>& args) {
  std::apply(
      [&](const auto&... arg) {
        cls.def(std::move(init), arg...,
                "Options; every argument is optional and defaults as in C++ (see the attributes).");
      },
      args);
}

/// The fields every import has (ImportOptions).
template <class Options>
void def_import_options_fields(py::class_<Options>& cls) {
  cls.def_readwrite("format", &io::ImportOptions::format,
                    "CsvFormat of the file (delimiter, quote); imports find their columns by header "
                    "name, so ``format.header`` must stay True. A copy: assign a whole CsvFormat.")
      .def_readwrite("on_error", &io::ImportOptions::on_error,
                     "OnError.abort (default, all or nothing) or OnError.skip (skip and report).")
      .def_readwrite("batch_size", &io::ImportOptions::batch_size,
                     "Rows per bulk append to the store (and per transaction in skip mode); 0 "
                     "counts as 1 (default 10000).")
      .def_property(
          "progress",
          [](const Options& self) -> py::object {
            if (const auto* progress = self.progress.template target<PythonProgress>()) {
              return progress->callable.get();
            }
            return py::none();
          },
          [](Options& self, std::optional<py::function> progress) {
            if (progress) {
              self.progress = PythonProgress{PythonCallable(std::move(*progress))};
            } else {
              self.progress = nullptr;
            }
          },
          "Called with a Progress after each batch and at the end (with the GIL held), or None. "
          "An exception it raises stops the import and goes on to the caller (abort mode: nothing "
          "is written; skip mode: the batches committed before stay).")
      .def_readwrite("max_reported_errors", &io::ImportOptions::max_reported_errors,
                     "Errors kept in the report (all are counted; default 1000).")
      .def_property(
          "clock",
          [](const Options& self) -> py::object {
            if (const auto* clock = self.clock.template target<PythonClock>()) return clock->callable.get();
            return py::none();
          },
          [](Options& self, std::optional<py::function> clock) {
            if (clock) {
              self.clock = PythonClock{PythonCallable(std::move(*clock))};
            } else {
              self.clock = &crmkit::now;
            }
          },
          "A callable returning an aware datetime that stamps the ``created_at``/``updated_at`` of "
          "records whose file has no such column, and of customers created from keys; None "
          "(default) for the system clock.");
}

/// The fields of imports whose rows name a customer by key (KeyedImportOptions).
template <class Options>
void def_keyed_import_options_fields(py::class_<Options>& cls) {
  cls.def_readwrite("customer_column", &io::KeyedImportOptions::customer_column,
                    "Column of the customer key (default ``customer_id``).")
      .def_readwrite("time_column", &io::KeyedImportOptions::time_column,
                     "Column of the time (default ``timestamp``).")
      .def_readwrite("time_format", &io::KeyedImportOptions::time_format,
                     "How times are written (TimeFormat; default iso8601).")
      .def_readwrite("missing_customers", &io::KeyedImportOptions::missing_customers,
                     "What unknown keys do (MissingCustomers; default create).")
      .def_readwrite("strip_decimal_zero_keys", &io::KeyedImportOptions::strip_decimal_zero_keys,
                     "Turn float-looking keys such as ``17850.0`` into ``17850`` (default False: keys "
                     "are opaque).")
      .def_readwrite("skip_rows_without_customer", &io::KeyedImportOptions::skip_rows_without_customer,
                     "Drop rows with an empty key, counting them in "
                     "ImportReport.rows_without_customer (default False: they are bad rows).")
      .def_readwrite("hash_keys_are_ids", &io::KeyedImportOptions::hash_keys_are_ids,
                     "Treat keys of the form ``#N`` as ids (default True); turn off when external "
                     "refs may start with ``#``.")
      .def_property(
          "customer_ids",
          [](const Options& self) -> py::object {
            if (!self.id_map) return py::none();
            return py::cast(*self.id_map);
          },
          [](Options& self, std::optional<io::CustomerIdMap> map) { set_customer_ids(self, std::move(map)); },
          "Translates ``#N`` keys of an exported file into this store's ids: a dict {exported id: "
          "new id}, usually ImportReport.customer_ids of the customers' import; None (default): "
          "``#N`` is an id of this store. A copy: assign a whole dict.");
}

}  // namespace

void init_io(py::module_& m) {
  bind_enum<io::OnError>(m, "crmkit.io", "OnError", "What a bad row does to an import.",
                         {{io::OnError::abort, "abort"}, {io::OnError::skip, "skip"}});
  bind_enum<io::MissingCustomers>(
      m, "crmkit.io", "MissingCustomers",
      "What happens to a purchase or interaction whose customer key is not yet in the store: "
      "``create`` a person named by the key (its external ref), or ``reject`` the row.",
      {{io::MissingCustomers::create, "create"}, {io::MissingCustomers::reject, "reject"}});
  bind_enum<io::ExistingCustomers>(
      m, "crmkit.io", "ExistingCustomers",
      "What a customer import does with a row whose external ref is already taken: ``reject`` the "
      "row (default), ``skip`` it (counted in rows_unchanged), or ``update`` the stored customer.",
      {{io::ExistingCustomers::reject, "reject"},
       {io::ExistingCustomers::skip, "skip"},
       {io::ExistingCustomers::update, "update"}});
  bind_enum<io::TimeFormat>(
      m, "crmkit.io", "TimeFormat",
      "How timestamps are written in the file: ``iso8601`` (``2011-12-09 12:50:00``, "
      "``2011-12-09T12:50:00Z``, ``2011-12-09``), ``compact_date`` (``20111209``, that day's "
      "midnight UTC, as in the CDNOW files), ``unix_seconds`` (an integer, possibly negative).",
      {{io::TimeFormat::iso8601, "iso8601"},
       {io::TimeFormat::compact_date, "compact_date"},
       {io::TimeFormat::unix_seconds, "unix_seconds"}});

  py::class_<io::CsvFormat>(m, "CsvFormat", "How CSV text is read (RFC 4180).")
      .def(py::init([](char delimiter, char quote, bool header) {
             return io::CsvFormat{delimiter, quote, header};
           }),
           py::kw_only(), py::arg("delimiter") = ',', py::arg("quote") = '"', py::arg("header") = true,
           "A format; every argument is optional.")
      .def_readwrite("delimiter", &io::CsvFormat::delimiter, "Field separator, one character (default ``,``).")
      .def_readwrite("quote", &io::CsvFormat::quote,
                     "Quote character; a doubled quote inside quotes is one quote (default ``\"``).")
      .def_readwrite("header", &io::CsvFormat::header, "The first row names the columns (default True).")
      .def("__repr__", [](py::object self) {
        return fields_repr(self, "CsvFormat", {"delimiter", "quote", "header"});
      });

  py::class_<io::Progress>(m, "Progress", "Progress of an import, passed to ImportOptions.progress.")
      .def_readonly("rows", &io::Progress::rows, "Data rows read so far.")
      .def_readonly("bytes_read", &io::Progress::bytes_read,
                    "Input bytes consumed (compressed bytes for gzip).")
      .def_readonly("bytes_total", &io::Progress::bytes_total, "Input size when known, else 0.")
      .def("__repr__", [](py::object self) {
        return fields_repr(self, "Progress", {"rows", "bytes_read", "bytes_total"});
      });

  py::class_<io::RowError>(m, "RowError", "A rejected row, in skip mode.")
      .def_readonly("line", &io::RowError::line, "1-based line of the row.")
      .def_readonly("column", &io::RowError::column,
                    "1-based column of the offending field (0 when the row as a whole).")
      .def_readonly("field", &io::RowError::field,
                    "The CSV column name at fault (a domain field when no column maps).")
      .def_readonly("value", &io::RowError::value, "The offending value.")
      .def_readonly("message", &io::RowError::message, "The full message, as a ParseError would say it.")
      .def("__str__", [](const io::RowError& self) { return self.message; })
      .def("__repr__", [](py::object self) {
        return fields_repr(self, "RowError", {"line", "column", "field", "value"});
      });

  py::class_<io::ImportReport>(m, "ImportReport", "What an import did.")
      .def_readonly("rows_read", &io::ImportReport::rows_read, "Data rows read (header excluded).")
      .def_readonly("rows_imported", &io::ImportReport::rows_imported,
                    "Rows written (inserted or updated).")
      .def_readonly("rows_rejected", &io::ImportReport::rows_rejected,
                    "Bad rows skipped (skip mode), all counted.")
      .def_readonly("rows_without_customer", &io::ImportReport::rows_without_customer,
                    "Rows dropped by ``skip_rows_without_customer``.")
      .def_readonly("rows_unchanged", &io::ImportReport::rows_unchanged,
                    "Customers left alone by ExistingCustomers.skip.")
      .def_readonly("customers_created", &io::ImportReport::customers_created,
                    "Customers created from unknown keys.")
      .def_readonly("errors", &io::ImportReport::errors,
                    "Skipped rows (RowError list), in file order (at most max_reported_errors).")
      .def_readonly("customer_ids", &io::ImportReport::customer_ids,
                    "import_customers(): the file's ``id`` column mapped to the new ids (a dict); "
                    "pass it on as the ``customer_ids`` option of later imports.")
      .def("__repr__", [](py::object self) {
        return fields_repr(self, "ImportReport",
                           {"rows_read", "rows_imported", "rows_rejected", "rows_without_customer",
                            "rows_unchanged", "customers_created"});
      });

  // --- Import options ----------------------------------------------------------------------------
  py::class_<PurchaseOptions> purchase_options(
      m, "PurchaseImportOptions",
      "Settings of import_purchases(). Default columns: ``customer_id,timestamp,amount`` plus the "
      "optional ``currency,order_ref,quantity,product_ref`` (an optional column is used when the "
      "header has it; an ``id`` column, as exports write, is ignored). Set a column name to ``\"\"`` "
      "to ignore it. Amounts are exact (Money.parse in the row's currency); with "
      "``unit_price_column`` set, amount = unit price × quantity (quantity a whole number). A "
      "negative quantity (a return) is stored as its magnitude: the sign lives in the amount.\n\n"
      "Transactions: in abort mode the whole file is one store transaction, so a bad row leaves "
      "the store as it was; in skip mode each batch of ``batch_size`` rows is one transaction.");
  def_options_init(
      purchase_options,
      keyed_import_options_init<PurchaseOptions>(
          [](PurchaseOptions& options, std::string amount_column, std::string currency_column,
             std::string order_ref_column, std::string quantity_column, std::string product_ref_column,
             std::string unit_price_column, const py::object& default_currency) {
            options.amount_column = std::move(amount_column);
            options.currency_column = std::move(currency_column);
            options.order_ref_column = std::move(order_ref_column);
            options.quantity_column = std::move(quantity_column);
            options.product_ref_column = std::move(product_ref_column);
            options.unit_price_column = std::move(unit_price_column);
            options.default_currency = currency_argument(default_currency);
          }),
      std::tuple_cat(import_option_args(), keyed_option_args(),
                     std::make_tuple(py::arg("amount_column") = "amount",
                                     py::arg("currency_column") = "currency",
                                     py::arg("order_ref_column") = "order_ref",
                                     py::arg("quantity_column") = "quantity",
                                     py::arg("product_ref_column") = "product_ref",
                                     py::arg("unit_price_column") = "",
                                     py::arg("default_currency") = py::none())));
  def_import_options_fields(purchase_options);
  def_keyed_import_options_fields(purchase_options);
  purchase_options
      .def_readwrite("amount_column", &io::PurchaseImportOptions::amount_column,
                     "Decimal amount (default ``amount``); unused when unit_price_column is set.")
      .def_readwrite("currency_column", &io::PurchaseImportOptions::currency_column,
                     "ISO 4217 code per row (optional column; default ``currency``).")
      .def_readwrite("order_ref_column", &io::PurchaseImportOptions::order_ref_column,
                     "Order number (optional column; default ``order_ref``).")
      .def_readwrite("quantity_column", &io::PurchaseImportOptions::quantity_column,
                     "Units (optional column, required with a unit price; default ``quantity``).")
      .def_readwrite("product_ref_column", &io::PurchaseImportOptions::product_ref_column,
                     "Product (optional column; default ``product_ref``).")
      .def_readwrite("unit_price_column", &io::PurchaseImportOptions::unit_price_column,
                     "When set, amount = quantity × unit price, computed exactly (default ``\"\"``).")
      .def_property(
          "default_currency", [](const PurchaseOptions& self) { return self.default_currency; },
          [](PurchaseOptions& self, const py::object& currency) {
            self.default_currency = currency_argument(currency);
          },
          "A Currency (or a code such as ``'GBP'``): the currency of rows without a currency column or with an empty cell; without it "
                     "such rows are bad (default None).")
      .def("__repr__", [](py::object self) {
        return fields_repr(self, "PurchaseImportOptions",
                           {"on_error", "customer_column", "time_column", "time_format",
                            "amount_column", "unit_price_column", "default_currency"});
      });

  py::class_<InteractionOptions> interaction_options(
      m, "InteractionImportOptions",
      "Settings of import_interactions(). Required columns: ``customer_id`` and ``timestamp``; "
      "optional: ``other_customers`` (a JSON array of more customer keys), ``channel`` (default "
      "``other``), ``direction`` (default ``inbound``), ``duration`` (whole seconds), ``subject``, "
      "``body``, ``outcome``, ``author``, ``external_ref``, ``created_at`` (default: the clock). "
      "Deals are linked only when ``deal_column`` is set (its cells are deal ids of this store).");
  def_options_init(
      interaction_options,
      keyed_import_options_init<InteractionOptions>(
          [](InteractionOptions& options, std::string other_customers_column, std::string channel_column,
             std::string direction_column, std::string duration_column, std::string subject_column,
             std::string body_column, std::string outcome_column, std::string author_column,
             std::string external_ref_column, std::string created_at_column, std::string deal_column) {
            options.other_customers_column = std::move(other_customers_column);
            options.channel_column = std::move(channel_column);
            options.direction_column = std::move(direction_column);
            options.duration_column = std::move(duration_column);
            options.subject_column = std::move(subject_column);
            options.body_column = std::move(body_column);
            options.outcome_column = std::move(outcome_column);
            options.author_column = std::move(author_column);
            options.external_ref_column = std::move(external_ref_column);
            options.created_at_column = std::move(created_at_column);
            options.deal_column = std::move(deal_column);
          }),
      std::tuple_cat(
          import_option_args(), keyed_option_args(),
          std::make_tuple(py::arg("other_customers_column") = "other_customers",
                          py::arg("channel_column") = "channel", py::arg("direction_column") = "direction",
                          py::arg("duration_column") = "duration", py::arg("subject_column") = "subject",
                          py::arg("body_column") = "body", py::arg("outcome_column") = "outcome",
                          py::arg("author_column") = "author",
                          py::arg("external_ref_column") = "external_ref",
                          py::arg("created_at_column") = "created_at", py::arg("deal_column") = "")));
  def_import_options_fields(interaction_options);
  def_keyed_import_options_fields(interaction_options);
  interaction_options
      .def_readwrite("other_customers_column", &io::InteractionImportOptions::other_customers_column,
                     "JSON array of more customer keys (default ``other_customers``).")
      .def_readwrite("channel_column", &io::InteractionImportOptions::channel_column,
                     "Channel name, e.g. ``email`` (default ``channel``).")
      .def_readwrite("direction_column", &io::InteractionImportOptions::direction_column,
                     "``inbound``, ``outbound``, ``internal`` (default ``direction``).")
      .def_readwrite("duration_column", &io::InteractionImportOptions::duration_column,
                     "Whole seconds, ≥ 0 (default ``duration``).")
      .def_readwrite("subject_column", &io::InteractionImportOptions::subject_column,
                     "One-line summary (default ``subject``).")
      .def_readwrite("body_column", &io::InteractionImportOptions::body_column,
                     "Full text, may span lines (default ``body``).")
      .def_readwrite("outcome_column", &io::InteractionImportOptions::outcome_column,
                     "Outcome or status (default ``outcome``).")
      .def_readwrite("author_column", &io::InteractionImportOptions::author_column,
                     "Who logged it (default ``author``).")
      .def_readwrite("external_ref_column", &io::InteractionImportOptions::external_ref_column,
                     "The host system's key (default ``external_ref``).")
      .def_readwrite("created_at_column", &io::InteractionImportOptions::created_at_column,
                     "When it was logged (default ``created_at``).")
      .def_readwrite("deal_column", &io::InteractionImportOptions::deal_column,
                     "Deal id of this store (default ``\"\"``: off).")
      .def("__repr__", [](py::object self) {
        return fields_repr(self, "InteractionImportOptions",
                           {"on_error", "customer_column", "time_column", "time_format", "deal_column"});
      });

  py::class_<CustomerOptions> customer_options(
      m, "CustomerImportOptions",
      "Settings of import_customers(). Every column is optional; the defaults are the columns "
      "export_customers() writes (``id``, ``external_ref``, ``kind``, names, JSON lists of "
      "``emails``/``phones``/``addresses``/``memberships``, ``owner``, comma-separated ``tags``, "
      "``lifecycle``, ``source``, consent, JSON ``attributes``, ``created_at``/``updated_at``/"
      "``deleted_at``), plus the plain ``email`` and ``phone`` columns of hand-made files (see "
      "docs/import-export.md). Organizations must come before the persons that are members of "
      "them (exports write them first).");
  def_options_init(
      customer_options,
      import_options_init<CustomerOptions>(
          [](CustomerOptions& options, std::string id_column,
             std::string external_ref_column, std::string kind_column,
             std::string given_name_column, std::string family_name_column,
             std::string legal_name_column, std::string email_column, std::string phone_column,
             std::string emails_column, std::string phones_column, std::string addresses_column,
             std::string memberships_column, std::string owner_column, std::string tags_column,
             std::string lifecycle_column, std::string source_column,
             std::string consent_status_column, std::string consent_at_column,
             std::string consent_basis_column, std::string attributes_column,
             std::string created_at_column, std::string updated_at_column,
             std::string deleted_at_column, std::string default_region,
             io::ExistingCustomers existing_customers) {
            options.id_column = std::move(id_column);
            options.external_ref_column = std::move(external_ref_column);
            options.kind_column = std::move(kind_column);
            options.given_name_column = std::move(given_name_column);
            options.family_name_column = std::move(family_name_column);
            options.legal_name_column = std::move(legal_name_column);
            options.email_column = std::move(email_column);
            options.phone_column = std::move(phone_column);
            options.emails_column = std::move(emails_column);
            options.phones_column = std::move(phones_column);
            options.addresses_column = std::move(addresses_column);
            options.memberships_column = std::move(memberships_column);
            options.owner_column = std::move(owner_column);
            options.tags_column = std::move(tags_column);
            options.lifecycle_column = std::move(lifecycle_column);
            options.source_column = std::move(source_column);
            options.consent_status_column = std::move(consent_status_column);
            options.consent_at_column = std::move(consent_at_column);
            options.consent_basis_column = std::move(consent_basis_column);
            options.attributes_column = std::move(attributes_column);
            options.created_at_column = std::move(created_at_column);
            options.updated_at_column = std::move(updated_at_column);
            options.deleted_at_column = std::move(deleted_at_column);
            options.default_region = std::move(default_region);
            options.existing_customers = existing_customers;
          }),
      std::tuple_cat(import_option_args(),
                     std::make_tuple(py::arg("id_column") = "id", py::arg("external_ref_column") = "external_ref",
                                     py::arg("kind_column") = "kind", py::arg("given_name_column") = "given_name",
                                     py::arg("family_name_column") = "family_name", py::arg("legal_name_column") = "legal_name",
                                     py::arg("email_column") = "email", py::arg("phone_column") = "phone",
                                     py::arg("emails_column") = "emails", py::arg("phones_column") = "phones",
                                     py::arg("addresses_column") = "addresses", py::arg("memberships_column") = "memberships",
                                     py::arg("owner_column") = "owner", py::arg("tags_column") = "tags",
                                     py::arg("lifecycle_column") = "lifecycle", py::arg("source_column") = "source",
                                     py::arg("consent_status_column") = "consent_status",
                                     py::arg("consent_at_column") = "consent_at", py::arg("consent_basis_column") = "consent_basis",
                                     py::arg("attributes_column") = "attributes", py::arg("created_at_column") = "created_at",
                                     py::arg("updated_at_column") = "updated_at", py::arg("deleted_at_column") = "deleted_at",
                                     py::arg("default_region") = "", py::arg("existing_customers") = io::ExistingCustomers::reject)));
  def_import_options_fields(customer_options);
  customer_options
      .def_readwrite("id_column", &CustomerOptions::id_column,
                     "Id in the exporting store, recorded in ImportReport.customer_ids (default ``id``).")
      .def_readwrite("external_ref_column", &CustomerOptions::external_ref_column,
                     "The host ERP's key (default ``external_ref``).")
      .def_readwrite("kind_column", &CustomerOptions::kind_column,
                     "``person`` (when empty) or ``organization`` (default ``kind``).")
      .def_readwrite("given_name_column", &CustomerOptions::given_name_column, "First name (default ``given_name``).")
      .def_readwrite("family_name_column", &CustomerOptions::family_name_column,
                     "Last name (default ``family_name``).")
      .def_readwrite("legal_name_column", &CustomerOptions::legal_name_column,
                     "Organization name (default ``legal_name``).")
      .def_readwrite("email_column", &CustomerOptions::email_column,
                     "One plain email address (default ``email``).")
      .def_readwrite("phone_column", &CustomerOptions::phone_column,
                     "One plain phone number (default ``phone``).")
      .def_readwrite("emails_column", &CustomerOptions::emails_column, "JSON email list (default ``emails``).")
      .def_readwrite("phones_column", &CustomerOptions::phones_column, "JSON phone list (default ``phones``).")
      .def_readwrite("addresses_column", &CustomerOptions::addresses_column,
                     "JSON address list (default ``addresses``).")
      .def_readwrite("memberships_column", &CustomerOptions::memberships_column,
                     "JSON membership list, organizations by key (default ``memberships``).")
      .def_readwrite("owner_column", &CustomerOptions::owner_column, "Owning user (default ``owner``).")
      .def_readwrite("tags_column", &CustomerOptions::tags_column, "Comma-separated tags (default ``tags``).")
      .def_readwrite("lifecycle_column", &CustomerOptions::lifecycle_column,
                     "LifecycleStage name, ``lead`` when empty (default ``lifecycle``).")
      .def_readwrite("source_column", &CustomerOptions::source_column,
                     "Acquisition source (default ``source``).")
      .def_readwrite("consent_status_column", &CustomerOptions::consent_status_column,
                     "ConsentStatus name (default ``consent_status``).")
      .def_readwrite("consent_at_column", &CustomerOptions::consent_at_column,
                     "ISO 8601 timestamp (default ``consent_at``).")
      .def_readwrite("consent_basis_column", &CustomerOptions::consent_basis_column,
                     "LawfulBasis name (default ``consent_basis``).")
      .def_readwrite("attributes_column", &CustomerOptions::attributes_column,
                     "JSON object of custom fields (default ``attributes``).")
      .def_readwrite("created_at_column", &CustomerOptions::created_at_column,
                     "ISO 8601 timestamp (default ``created_at``).")
      .def_readwrite("updated_at_column", &CustomerOptions::updated_at_column,
                     "ISO 8601 timestamp (default ``updated_at``).")
      .def_readwrite("deleted_at_column", &CustomerOptions::deleted_at_column,
                     "ISO 8601 timestamp, empty when live (default ``deleted_at``).")
      .def_readwrite("default_region", &CustomerOptions::default_region,
                     "ISO 3166 alpha-2 region for national phone numbers; empty (default): numbers "
                     "must be international.")
      .def_readwrite("existing_customers", &CustomerOptions::existing_customers,
                     "Rows whose external ref is already in the store (ExistingCustomers; default "
                     "reject).")
      .def("__repr__", [](py::object self) {
        return fields_repr(self, "CustomerImportOptions",
                           {"on_error", "default_region", "existing_customers"});
      });

  // --- Imports -----------------------------------------------------------------------------------
  def_import<CustomerOptions>(
      m, "import_customers", [](auto&... args) { return io::import_customers(args...); },
      "Imports customers from CSV into `store` (options: CustomerImportOptions) and "
      "returns an ImportReport whose ``customer_ids`` maps the file's ``id`` column to "
      "the new ids. Raises ParseError (``.source .line .column .value .rule``) on the "
      "first bad row in abort mode or when the header lacks a required column; Error "
      "when the file cannot be read; whatever the store raises for failures that are "
      "not the row's fault.");
  def_import<PurchaseOptions>(
      m, "import_purchases", [](auto&... args) { return io::import_purchases(args...); },
      "Imports purchases from CSV into `store` (options: PurchaseImportOptions), "
      "appending them in batches, and returns an ImportReport. Raises ParseError on "
      "the first bad row in abort mode, or when a required column is missing from the "
      "header (or no currency can be known); Error when the file cannot be read; "
      "whatever the store raises for failures that are not the row's fault.");
  def_import<InteractionOptions>(
      m, "import_interactions", [](auto&... args) { return io::import_interactions(args...); },
      "Imports interactions from CSV into `store` (options: "
      "InteractionImportOptions), appending them in batches, and returns an "
      "ImportReport. Raises ParseError and Error as import_purchases().");

  // --- Exports -----------------------------------------------------------------------------------
  py::class_<io::ExportOptions>(
      m, "ExportOptions",
      "Settings of every export. Exports are lossless and stable: importing an export into an empty "
      "store (customers first, passing ImportReport.customer_ids on) and exporting again gives the "
      "same bytes, apart from ids. Amounts are Money text; timestamps ISO 8601 UTC with "
      "microseconds; customers are named by key (external ref, or ``#N``).")
      .def(py::init([](char delimiter, bool include_deleted) {
             return io::ExportOptions{delimiter, include_deleted};
           }),
           py::kw_only(), py::arg("delimiter") = ',', py::arg("include_deleted") = true,
           "Options; every argument is optional.")
      .def_readwrite("delimiter", &io::ExportOptions::delimiter, "Field separator, one character (default ``,``).")
      .def_readwrite("include_deleted", &io::ExportOptions::include_deleted,
                     "Also soft-deleted customers, with their purchases and interactions (default True).")
      .def("__repr__", [](py::object self) {
        return fields_repr(self, "ExportOptions", {"delimiter", "include_deleted"});
      });

  def_export(
      m, "export_customers", [](auto&... args) { return io::export_customers(args...); },
      "Writes every customer as CSV with the columns ``id,external_ref,kind,given_name,"
      "family_name,legal_name,emails,phones,addresses,memberships,owner,tags,lifecycle,"
      "source,consent_status,consent_at,consent_basis,attributes,created_at,updated_at,"
      "deleted_at`` (lists and attributes as JSON); organizations first, then persons, "
      "each by id.");
  def_export(
      m, "export_purchases", [](auto&... args) { return io::export_purchases(args...); },
      "Writes every purchase as CSV with the columns ``id,customer_id,timestamp,amount,"
      "currency,order_ref,quantity,product_ref`` (``customer_id`` is the customer's key; "
      "``quantity`` is empty when unknown), grouped by customer, oldest first.");
  def_export(
      m, "export_interactions", [](auto&... args) { return io::export_interactions(args...); },
      "Writes every interaction as CSV with the columns ``id,customer_id,other_customers,"
      "timestamp,channel,direction,duration,subject,body,outcome,author,deal_id,"
      "external_ref,created_at`` (``customer_id`` is the key of its first customer, "
      "``other_customers`` a JSON array of the others' keys, ``duration`` whole "
      "seconds), written once, with its first customer.");
}

}  // namespace crmkit::python
