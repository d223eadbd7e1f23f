// `crmkit import customers|purchases|interactions FILE`: every setting of the io option structs
// is a flag, bound straight to the struct's field so that its default is the library's.

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/id_map.hpp"
#include "cli/output.hpp"
#include "cli/progress_bar.hpp"
#include "cli/store_access.hpp"
#include "cli/time_format_choices.hpp"
#include "crmkit/core/contact.hpp"
#include "crmkit/core/error.hpp"
#include "crmkit/io/import.hpp"

namespace crmkit::cli {

namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr std::array<Choice<io::OnError>, 2> on_error_choices{{
    {"abort", io::OnError::abort},
    {"skip", io::OnError::skip},
}};
constexpr std::array<Choice<io::MissingCustomers>, 2> missing_customers_choices{{
    {"create", io::MissingCustomers::create},
    {"reject", io::MissingCustomers::reject},
}};
constexpr std::array<Choice<io::ExistingCustomers>, 3> existing_customers_choices{{
    {"reject", io::ExistingCustomers::reject},
    {"skip", io::ExistingCustomers::skip},
    {"update", io::ExistingCustomers::update},
}};

// The largest batch accepted: beyond it a batch only costs memory.
constexpr long long max_batch_size = 1'000'000;

// Settings of every import that are not fields of the io structs as they are, or that the CLI
// adds (the report).
struct ImportSettings {
  std::string db;
  std::string on_error = "abort";
  std::string delimiter = ",";
  std::string quote = "\"";
  long long batch_size = 10000;
  long long max_errors = 1000;
  long long show_errors = 10;
  bool quiet = false;
};

// Settings of the imports whose rows name customers by key.
struct KeyedSettings {
  std::string time_format = "iso8601";
  std::string missing_customers = "create";
  bool no_hash_keys = false;
  std::string id_map;
};

// What the report of an import shows besides rows read, imported and rejected.
enum class ReportKind { customers, keyed };

CommandLine import_command_line(std::string_view what, std::string description) {
  CommandLine line(fmt::format("crmkit import {}", what), "FILE [--db PATH] [options]",
                   std::move(description));
  line.positional("FILE", true);
  return line;
}

// A column option: `--NAME-column NAME`, bound to the struct's field. A column whose default is
// empty is off unless given.
void add_column(CommandLine& line, const char* flag, std::string& column, const char* help) {
  auto* value = po::value(&column)->value_name("NAME");
  if (!column.empty()) value->default_value(column);
  line.options().add_options()(flag, value, help);
}

void add_import_options(CommandLine& line, ImportSettings& settings) {
  add_db_option(line, settings.db);
  auto option = line.options().add_options();
  option(
      "on-error",
      po::value(&settings.on_error)->value_name("MODE")->default_value(settings.on_error),
      "abort: the first bad row fails the import and nothing is written; skip: bad rows are left "
      "out and reported, every good row is imported");
  option("batch-size",
         po::value(&settings.batch_size)->value_name("N")->default_value(settings.batch_size),
         "rows per store append (and per transaction with --on-error skip)");
  option("delimiter",
         po::value(&settings.delimiter)->value_name("CHAR")->default_value(settings.delimiter),
         "field separator: one character, or 'tab'");
  option("quote", po::value(&settings.quote)->value_name("CHAR")->default_value(settings.quote),
         "quote character (doubled inside quotes)");
  option("max-errors",
         po::value(&settings.max_errors)->value_name("N")->default_value(settings.max_errors),
         "rejected rows kept in the report (all are counted)");
  option("show-errors",
         po::value(&settings.show_errors)->value_name("N")->default_value(settings.show_errors),
         "rejected rows printed in the report");
  option("quiet,q", po::bool_switch(&settings.quiet),
         "print no progress bar and no report (errors are still printed)");
}

void add_keyed_options(CommandLine& line, io::KeyedImportOptions& options,
                       KeyedSettings& settings) {
  add_column(line, "customer-column", options.customer_column,
             "column of the customer key: an external ref, or #N for the customer with id N");
  add_column(line, "time-column", options.time_column, "column of the time (UTC)");
  auto option = line.options().add_options();
  option(
      "time-format",
      po::value(&settings.time_format)->value_name("FORMAT")->default_value(settings.time_format),
      "how times are written: iso8601 (2011-12-09 12:50:00, 2011-12-09T12:50:00Z, 2011-12-09), "
      "compact-date (20111209) or unix-seconds");
  option("missing-customers",
         po::value(&settings.missing_customers)
             ->value_name("MODE")
             ->default_value(settings.missing_customers),
         "a key no customer has: create (a person named by the key, with it as external ref) or "
         "reject "
         "(the row is bad)");
  option("strip-decimal-zero-keys", po::bool_switch(&options.strip_decimal_zero_keys),
         "read float-looking keys such as 17850.0 as 17850 (a spreadsheet artefact)");
  option("skip-rows-without-customer", po::bool_switch(&options.skip_rows_without_customer),
         "drop and count rows with an empty customer key, instead of rejecting them");
  option("no-hash-keys", po::bool_switch(&settings.no_hash_keys),
         "read keys of the form #N as external refs too, not as customer ids");
  option("id-map", po::value(&settings.id_map)->value_name("FILE"),
         "translate #N keys (ids of the exporting store) through the id map that "
         "'crmkit import customers --save-id-map FILE' wrote");
}

char single_character(const CommandLine& line, std::string_view option, const std::string& text) {
  if (text == "tab" || text == "\\t") return '\t';
  if (text.size() == 1) return text.front();
  line.fail(invalid_value_message(option, text, "expected one character, or 'tab'"));
}

std::size_t count_option(const CommandLine& line, std::string_view option, long long value,
                         long long min, long long max) {
  return static_cast<std::size_t>(checked_integer(line, option, value, min, max));
}

void apply_import_settings(const CommandLine& line, const ImportSettings& settings,
                           io::ImportOptions& options) {
  options.on_error = parse_choice(line, "--on-error", settings.on_error, on_error_choices);
  options.batch_size = count_option(line, "--batch-size", settings.batch_size, 1, max_batch_size);
  options.max_reported_errors = count_option(line, "--max-errors", settings.max_errors, 0,
                                             std::numeric_limits<long long>::max());
  checked_integer(line, "--show-errors", settings.show_errors, 0,
                  std::numeric_limits<long long>::max());
  options.format.delimiter = single_character(line, "--delimiter", settings.delimiter);
  options.format.quote = single_character(line, "--quote", settings.quote);
  if (options.format.delimiter == options.format.quote) {
    line.fail("--delimiter and --quote must be different characters");
  }
}

// `map` receives the id map, which `options` then points to.
void apply_keyed_settings(const CommandLine& line, const KeyedSettings& settings,
                          io::KeyedImportOptions& options, io::CustomerIdMap& map) {
  options.time_format =
      parse_choice(line, "--time-format", settings.time_format, time_format_choices);
  options.missing_customers = parse_choice(line, "--missing-customers", settings.missing_customers,
                                           missing_customers_choices);
  options.hash_keys_are_ids = !settings.no_hash_keys;
  if (!settings.id_map.empty()) {
    map = load_id_map(settings.id_map);
    options.customer_ids = &map;
  }
}

std::optional<Currency> currency_option(const CommandLine& line, const std::string& code) {
  if (code.empty()) return std::nullopt;
  if (!Currency::is_known(code)) {
    line.fail(
        invalid_value_message("--currency", code, "expected an ISO 4217 code such as EUR or GBP"));
  }
  return Currency(code);
}

void print_count(std::ostream& out, std::string_view label, std::uint64_t count) {
  out << fmt::format("  {:<24}{:>12}\n", label, format_count(count));
}

void print_rejected_rows(std::ostream& out, const io::ImportReport& report, std::size_t show) {
  const std::size_t shown = std::min(show, report.errors.size());
  if (shown == 0) return;
  out << fmt::format("rejected rows (first {} of {}):\n", shown,
                     format_count(report.rows_rejected));
  for (std::size_t i = 0; i < shown; ++i) out << "  " << report.errors[i].message << '\n';
  if (report.rows_rejected > shown) {
    out << fmt::format("  ... and {} more (--show-errors N prints more, up to --max-errors)\n",
                       format_count(report.rows_rejected - shown));
  }
}

void print_report(std::ostream& out, std::string_view what, const std::string& file,
                  const std::string& location, const io::ImportReport& report, ReportKind kind,
                  std::chrono::duration<double> elapsed, std::size_t show_errors) {
  out << fmt::format("imported {} from {} into {}\n", what, file, location);
  print_count(out, "rows read", report.rows_read);
  print_count(out, "rows imported", report.rows_imported);
  if (kind == ReportKind::customers) {
    print_count(out, "rows unchanged", report.rows_unchanged);
  } else {
    print_count(out, "customers created", report.customers_created);
    print_count(out, "rows without customer", report.rows_without_customer);
  }
  print_count(out, "rows rejected", report.rows_rejected);
  out << fmt::format("  {:<24}{:>12}\n", "time", format_seconds(elapsed));
  if (elapsed.count() > 0.0) {
    const double rate = static_cast<double>(report.rows_read) / elapsed.count();
    print_count(out, "rows per second", static_cast<std::uint64_t>(rate));
  }
  print_rejected_rows(out, report, show_errors);
}

// Opens the store, runs `import` with a progress bar when stderr is a terminal, and prints the
// report. `import(store, file)` returns the ImportReport; `after(report)` runs once it succeeded.
template <class Options, class Import, class After>
int run_file_import(Context& context, const CommandLine& line, const ImportSettings& settings,
                    std::string_view what, ReportKind kind, Options& options, Import&& import,
                    After&& after) {
  const std::string file = *line.argument("FILE");
  const std::string location = database_location(line, settings.db);
  const std::shared_ptr<storage::Store> store = open_store(location, StoreUse::write);

  std::optional<ProgressBar> bar;
  if (!settings.quiet && context.err_is_terminal) {
    bar.emplace(context.err, fmt::format("importing {}", what));
    options.progress = [&bar](const io::Progress& progress) { bar->update(progress); };
  }
  const auto start = SteadyClock::now();
  io::ImportReport report;
  try {
    report = import(*store, file, options);
  } catch (const ParseError& error) {
    if (bar) bar->finish();
    if (options.on_error != io::OnError::abort) throw;
    print_error(context.err, error.what());
    context.err << "crmkit: nothing was imported (--on-error abort is all-or-nothing; "
                   "--on-error skip imports the good rows and reports the bad ones)\n";
    return 1;
  }
  const std::chrono::duration<double> elapsed = SteadyClock::now() - start;
  if (bar) bar->finish();
  after(report);
  if (!settings.quiet) {
    print_report(context.out, what, file, location, report, kind, elapsed,
                 static_cast<std::size_t>(settings.show_errors));
  }
  return 0;
}

int import_customers(const Args& args, Context& context) {
  ImportSettings settings;
  io::CustomerImportOptions options;
  std::string existing = "reject";
  std::string save_id_map_file;
  CommandLine line = import_command_line(
      "customers",
      "Imports customers (persons and organizations) from a CSV file, plain or gzip-compressed.\n"
      "Every column is optional; the defaults are the columns 'crmkit export customers' writes,\n"
      "plus plain email and phone columns. Organizations must come before their members.");
  add_import_options(line, settings);
  add_column(line, "id-column", options.id_column, "id in the exporting store (see --save-id-map)");
  add_column(line, "external-ref-column", options.external_ref_column, "the host ERP's key");
  add_column(line, "kind-column", options.kind_column, "person (default) or organization");
  add_column(line, "given-name-column", options.given_name_column, "first name");
  add_column(line, "family-name-column", options.family_name_column, "last name");
  add_column(line, "legal-name-column", options.legal_name_column, "organization name");
  add_column(line, "email-column", options.email_column, "one plain email address");
  add_column(line, "phone-column", options.phone_column, "one plain phone number");
  add_column(line, "emails-column", options.emails_column, "JSON list of emails");
  add_column(line, "phones-column", options.phones_column, "JSON list of phones");
  add_column(line, "addresses-column", options.addresses_column, "JSON list of postal addresses");
  add_column(line, "memberships-column", options.memberships_column, "JSON list of memberships");
  add_column(line, "owner-column", options.owner_column, "owning user");
  add_column(line, "tags-column", options.tags_column, "comma-separated tags");
  add_column(line, "lifecycle-column", options.lifecycle_column,
             "lead (default), prospect, customer, inactive");
  add_column(line, "source-column", options.source_column, "acquisition source");
  add_column(line, "consent-status-column", options.consent_status_column,
             "unknown, granted, withdrawn");
  add_column(line, "consent-at-column", options.consent_at_column,
             "when consent was recorded (ISO 8601)");
  add_column(line, "consent-basis-column", options.consent_basis_column, "GDPR lawful basis");
  add_column(line, "attributes-column", options.attributes_column, "JSON object of custom fields");
  add_column(line, "created-at-column", options.created_at_column, "ISO 8601; default: now");
  add_column(line, "updated-at-column", options.updated_at_column, "ISO 8601; default: now");
  add_column(line, "deleted-at-column", options.deleted_at_column, "ISO 8601, empty when live");
  auto option = line.options().add_options();
  option("default-region", po::value(&options.default_region)->value_name("CC"),
         "ISO 3166 region (e.g. FR) for national phone numbers; without it numbers must be "
         "international");
  option(
      "existing-customers", po::value(&existing)->value_name("MODE")->default_value(existing),
      "a row whose external ref is taken: reject (the row is bad), skip (keep the stored customer) "
      "or update (replace its fields)");
  option(
      "save-id-map", po::value(&save_id_map_file)->value_name("FILE"),
      "write which new id each exported id (the id column) received, for importing purchases and "
      "interactions that name customers as #N (--id-map)");
  if (!line.parse(args, context.out)) return 0;

  apply_import_settings(line, settings, options);
  options.existing_customers =
      parse_choice(line, "--existing-customers", existing, existing_customers_choices);
  if (!options.default_region.empty() && Phone::calling_code(options.default_region).empty()) {
    line.fail(invalid_value_message("--default-region", options.default_region,
                                    "expected an ISO 3166 alpha-2 region such as FR or GB"));
  }
  return run_file_import(
      context, line, settings, "customers", ReportKind::customers, options,
      [](storage::Store& store, const std::string& file, const io::CustomerImportOptions& o) {
        return io::import_customers(store, file, o);
      },
      [&](const io::ImportReport& report) {
        if (!save_id_map_file.empty()) save_id_map(report.customer_ids, save_id_map_file);
      });
}

// The imports whose rows name customers by key: the import and keyed options plus the
// command's own, which `add_own(line, options)` declares and `apply_own(line, options)` applies
// once the line is parsed; `import(store, file, options)` runs the import.
template <class Options, class AddOwn, class ApplyOwn, class Import>
int run_keyed_import(const Args& args, Context& context, std::string_view what,
                     std::string description, AddOwn&& add_own, ApplyOwn&& apply_own,
                     Import&& import) {
  ImportSettings settings;
  KeyedSettings keyed;
  Options options;
  CommandLine line = import_command_line(what, std::move(description));
  add_import_options(line, settings);
  add_keyed_options(line, options, keyed);
  add_own(line, options);
  if (!line.parse(args, context.out)) return 0;

  apply_import_settings(line, settings, options);
  io::CustomerIdMap id_map;
  apply_keyed_settings(line, keyed, options, id_map);
  apply_own(line, options);
  return run_file_import(context, line, settings, what, ReportKind::keyed, options, import,
                         [](const io::ImportReport&) {});
}

int import_purchases(const Args& args, Context& context) {
  std::string currency;
  const auto add_own = [&](CommandLine& line, io::PurchaseImportOptions& options) {
    add_column(line, "amount-column", options.amount_column,
               "decimal amount (unused with --unit-price-column)");
    add_column(line, "currency-column", options.currency_column,
               "ISO 4217 code per row (optional column)");
    add_column(line, "order-ref-column", options.order_ref_column,
               "order or invoice number (optional column)");
    add_column(line, "quantity-column", options.quantity_column,
               "units (optional; required with a unit price)");
    add_column(line, "product-ref-column", options.product_ref_column,
               "product or SKU (optional column)");
    add_column(line, "unit-price-column", options.unit_price_column,
               "amount = unit price x quantity (whole units), computed exactly; off by default");
    line.options().add_options()(
        "currency", po::value(&currency)->value_name("CODE"),
        "currency of rows without a currency column or with an empty currency cell, e.g. GBP");
  };
  const auto apply_own = [&](const CommandLine& line, io::PurchaseImportOptions& options) {
    options.default_currency = currency_option(line, currency);
  };
  return run_keyed_import<io::PurchaseImportOptions>(
      args, context, "purchases",
      "Imports purchases from a CSV file, plain or gzip-compressed, in batches. Amounts are "
      "exact:\n"
      "the amount column, or unit price x quantity with --unit-price-column. Refunds (negative\n"
      "amounts or quantities) are kept. A customer key not in the store creates a customer\n"
      "unless --missing-customers reject.",
      add_own, apply_own,
      [](storage::Store& store, const std::string& file, const io::PurchaseImportOptions& o) {
        return io::import_purchases(store, file, o);
      });
}

int import_interactions(const Args& args, Context& context) {
  const auto add_own = [](CommandLine& line, io::InteractionImportOptions& options) {
    add_column(line, "other-customers-column", options.other_customers_column,
               "JSON array of further customer keys");
    add_column(line, "channel-column", options.channel_column,
               "email, phone, meeting, ... (default other)");
    add_column(line, "direction-column", options.direction_column,
               "inbound (default), outbound, internal");
    add_column(line, "duration-column", options.duration_column, "whole seconds");
    add_column(line, "subject-column", options.subject_column, "one-line summary");
    add_column(line, "body-column", options.body_column, "full text");
    add_column(line, "outcome-column", options.outcome_column, "outcome or status");
    add_column(line, "author-column", options.author_column, "who logged it");
    add_column(line, "external-ref-column", options.external_ref_column, "the host system's key");
    add_column(line, "created-at-column", options.created_at_column,
               "when it was logged; default: now");
    add_column(line, "deal-column", options.deal_column, "deal id of this store; off by default");
  };
  return run_keyed_import<io::InteractionImportOptions>(
      args, context, "interactions",
      "Imports interactions (calls, emails, meetings...) from a CSV file, plain or "
      "gzip-compressed,\n"
      "in batches. Required columns: the customer key and the time; every other one is optional.",
      add_own, [](const CommandLine&, io::InteractionImportOptions&) {},
      [](storage::Store& store, const std::string& file, const io::InteractionImportOptions& o) {
        return io::import_interactions(store, file, o);
      });
}

}  // namespace

int run_import(const Args& args, Context& context) {
  const CommandGroup group{
      "crmkit import",
      "<customers|purchases|interactions> FILE [--db PATH] [options]",
      "Imports a CSV file (plain or gzip-compressed) into a store, mapping its columns by name.\n"
      "Prints a report: rows read, imported and rejected, customers created, time taken.",
      {
          {"customers", "import customers (persons and organizations)", import_customers},
          {"purchases", "import purchases (order lines, refunds)", import_purchases},
          {"interactions", "import interactions (calls, emails, meetings...)", import_interactions},
      }};
  return dispatch(group, args, context);
}

}  // namespace crmkit::cli
