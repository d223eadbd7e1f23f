// crmkit.analytics: purchase columns read from a CSV file (io/purchase_columns.hpp) or loaded
// from a store (analytics/store_purchases.hpp), as numpy columns.
#include "analytics_common.hpp"  // first: bindings.hpp, the casters

#include <pybind11/stl/filesystem.h>

#include <filesystem>
#include <utility>

namespace crmkit::python::analytics_bindings {

namespace {

/// PurchaseData with what reading it kept and dropped (only for a CSV file).
struct LoadedPurchases {
  an::PurchaseData data;
  std::optional<io::PurchaseColumnsReport> report;
};

py::dict purchase_columns_dict(py::object self) {
  const auto& p = self.cast<LoadedPurchases&>();
  py::dict columns;
  columns["customer_id"] = view(p.data.customer_ids, self);
  columns["timestamp"] = view_times(p.data.times_us, self);
  columns["amount"] = view(p.data.amounts, self);
  return columns;
}

// A TimeFormat member or its name ('iso8601', 'compact_date' / 'compact-date', 'unix_seconds' /
// 'unix-seconds'), read by name so that it works whatever the io bindings call the members.
io::TimeFormat time_format_of(const py::object& source) {
  std::string name;
  if (py::isinstance<py::str>(source)) {
    name = source.cast<std::string>();
  } else if (py::hasattr(source, "value") && py::isinstance<py::str>(source.attr("value"))) {
    name = source.attr("value").cast<std::string>();
  } else {
    throw py::type_error("time_format: expected a crmkit.io.TimeFormat or one of 'iso8601', "
                         "'compact_date', 'unix_seconds'; got " + py::repr(source).cast<std::string>());
  }
  for (char& c : name) c = c == '-' ? '_' : c;
  if (name == "iso8601") return io::TimeFormat::iso8601;
  if (name == "compact_date") return io::TimeFormat::compact_date;
  if (name == "unix_seconds") return io::TimeFormat::unix_seconds;
  throw py::value_error("time_format: '" + name + "' is not one of iso8601, compact_date, unix_seconds");
}

char single_character(const std::string& text, const char* name) {
  if (text.size() != 1) {
    throw py::value_error(std::string(name) + ": expected one character, got " + py_repr(text));
  }
  return text[0];
}

}  // namespace

void init_analytics_io_classes(py::module_& m) {
  using R = io::PurchaseColumnsReport;
  py::class_<R>(m, "PurchaseColumnsReport", "What read_purchase_columns() kept and dropped.")
      .def_readonly("rows_read", &R::rows_read, "Data rows in the file.")
      .def_readonly("rows_kept", &R::rows_kept, "Rows in the result.")
      .def_readonly("rows_without_customer", &R::rows_without_customer,
                    "Rows dropped by skip_rows_without_customer.")
      .def_readonly("rows_nonpositive", &R::rows_nonpositive, "Rows dropped by skip_nonpositive.")
      .def_readonly("rows_excluded", &R::rows_excluded, "Rows dropped by exclude_column/exclude_prefix.")
      .def("__repr__", [](const R& r) {
        return repr_of("PurchaseColumnsReport", {{"rows_read", std::to_string(r.rows_read)},
                                                 {"rows_kept", std::to_string(r.rows_kept)},
                                                 {"rows_without_customer", std::to_string(r.rows_without_customer)},
                                                 {"rows_nonpositive", std::to_string(r.rows_nonpositive)},
                                                 {"rows_excluded", std::to_string(r.rows_excluded)}});
      });

  using P = LoadedPurchases;
  py::class_<P>(m, "PurchaseData",
                "Purchase columns that own their data, as loaded from a CSV file or a store: pass "
                "them to the analytics as rfm(p.customer_ids, p.timestamps, p.amounts). The arrays "
                "are read-only views (no copy).")
      .def_property_readonly("customer_ids", [](py::object self) { return view(self.cast<P&>().data.customer_ids, self); },
                             "The purchasing customer of each row (int64).")
      .def_property_readonly("timestamps", [](py::object self) { return view_times(self.cast<P&>().data.times_us, self); },
                             "When, as datetime64[us] (UTC).")
      .def_property_readonly("times_us", [](py::object self) { return view(self.cast<P&>().data.times_us, self); },
                             "When, as int64 microseconds since 1970-01-01 UTC (the same memory).")
      .def_property_readonly("amounts", [](py::object self) { return view(self.cast<P&>().data.amounts, self); },
                             "How much, in major units of currency (float64).")
      .def_property_readonly("currency", [](const P& p) { return std::string(p.data.currency.code()); },
                             "The ISO 4217 code of every amount ('XXX' when unknown, as for a CSV file).")
      .def_readonly("report", &P::report,
                    "What reading a CSV file kept and dropped (PurchaseColumnsReport), None for a store.")
      .def("__len__", [](const P& p) { return p.data.size(); }, "The number of rows.")
      .def("to_dict", &purchase_columns_dict,
           "The columns as a dict of numpy arrays: customer_id, timestamp (datetime64[us]), amount.")
      .def(
          "to_pandas",
          [](py::object self) {
            return pandas("PurchaseData.to_pandas()").attr("DataFrame")(purchase_columns_dict(self));
          },
          "The columns of to_dict() as a pandas DataFrame (one row per purchase, file order).")
      .def("__repr__", [](const P& p) {
        return repr_of("PurchaseData", {{"rows", std::to_string(p.data.size())},
                                        {"currency", py_repr(std::string(p.data.currency.code()))}});
      });
}

void init_analytics_io_functions(py::module_& m) {
  m.def(
      "read_purchase_columns",
      [](const std::filesystem::path& path, std::string customer_column, std::string time_column,
         std::string amount_column, std::string unit_price_column, std::string quantity_column,
         const py::object& time_format, bool strip_decimal_zero_keys, bool skip_rows_without_customer,
         bool skip_nonpositive, std::string exclude_column, std::string exclude_prefix,
         const std::string& delimiter, const std::string& quote, bool header, unsigned threads) {
        io::PurchaseColumnsOptions options;
        options.customer_column = std::move(customer_column);
        options.time_column = std::move(time_column);
        options.amount_column = std::move(amount_column);
        options.unit_price_column = std::move(unit_price_column);
        options.quantity_column = std::move(quantity_column);
        options.time_format = time_format_of(time_format);
        options.strip_decimal_zero_keys = strip_decimal_zero_keys;
        options.skip_rows_without_customer = skip_rows_without_customer;
        options.skip_nonpositive = skip_nonpositive;
        options.exclude_column = std::move(exclude_column);
        options.exclude_prefix = std::move(exclude_prefix);
        options.format.delimiter = delimiter == "tab" ? '\t' : single_character(delimiter, "delimiter");
        options.format.quote = single_character(quote, "quote");
        options.format.header = header;
        options.threads = threads;
        LoadedPurchases loaded;
        io::PurchaseColumnsReport report;
        {
          py::gil_scoped_release release;
          loaded.data = io::read_purchase_columns(path, options, &report);
        }
        loaded.report = report;
        return loaded;
      },
      py::arg("path"), py::kw_only(), py::arg("customer_column") = "customer_id",
      py::arg("time_column") = "timestamp", py::arg("amount_column") = "amount",
      py::arg("unit_price_column") = "", py::arg("quantity_column") = "",
      py::arg("time_format") = "iso8601", py::arg("strip_decimal_zero_keys") = false,
      py::arg("skip_rows_without_customer") = false, py::arg("skip_nonpositive") = false,
      py::arg("exclude_column") = "", py::arg("exclude_prefix") = "", py::arg("delimiter") = ",",
      py::arg("quote") = "\"", py::arg("header") = true, py::arg("threads") = 0u,
      "Reads a purchases CSV file (plain or gzip) straight into numpy columns, in file order: a "
      "PurchaseData with its .report. The fast path of `crmkit rfm --input FILE`.\n\n"
      "customer_column: integer customer ids; time_column: times written as time_format says "
      "(a crmkit.io.TimeFormat or its name: 'iso8601', 'compact_date', 'unix_seconds'); "
      "amount_column: the amount in major units, ignored when unit_price_column and "
      "quantity_column are both set (amount = unit price x quantity); strip_decimal_zero_keys: "
      "read ids such as 17850.0 as 17850; skip_rows_without_customer: drop rows with an empty "
      "id instead of failing; skip_nonpositive: drop rows whose quantity (or amount) is zero or "
      "negative; exclude_column / exclude_prefix: drop rows whose column starts with the prefix "
      "(cancelled invoices: 'InvoiceNo', 'C'); delimiter ('tab' for a tab), quote, header (a "
      "header is required); threads: parsing threads for plain files, 0 = every hardware thread. "
      "The currency is 'XXX' (a CSV file of amounts does not say it).\n\n"
      "Raises crmkit.ParseError naming the file, line, column, cell and rule for a missing "
      "column, a bad id, time or number; crmkit.Error when the file cannot be read; "
      "crmkit.ValidationError for inconsistent options.");

  m.def(
      "load_purchases",
      [](storage::Store& store, const py::object& currency, std::optional<Timestamp> since,
         std::optional<Timestamp> until) {
        const storage::PurchaseScan scan = purchase_scan(currency, since, until);
        LoadedPurchases loaded;
        {
          py::gil_scoped_release release;
          loaded.data = an::load_purchases(store, scan);
        }
        return loaded;
      },
      py::arg("store"), py::kw_only(), py::arg("currency") = py::none(), py::arg("since") = py::none(),
      py::arg("until") = py::none(),
      "Loads the purchases of a crmkit store with one bulk scan, as a PurchaseData (amounts in "
      "major units: 1234 pence -> 12.34). currency: a code or crmkit.Currency, keeps only "
      "purchases in it; since / until: aware datetimes, keep since <= occurred_at < until.\n\n"
      "Raises what the store raises, e.g. crmkit.StorageError when the purchases mix currencies "
      "and no currency was chosen.");
}

}  // namespace crmkit::python::analytics_bindings
