// `crmkit export customers|purchases|interactions`: the importers' input formats, written back.

#include <cstdint>
#include <functional>
#include <iostream>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/store_access.hpp"
#include "crmkit/io/export.hpp"

namespace crmkit::cli {

namespace {

using ExportToStream =
    std::function<std::uint64_t(storage::Store&, std::ostream&, const io::ExportOptions&)>;
using ExportToFile = std::function<std::uint64_t(storage::Store&, const std::filesystem::path&,
                                                 const io::ExportOptions&)>;

// `-` is the usual name of standard output.
constexpr const char* standard_output = "-";

struct ExportCommand {
  std::string_view what;
  std::string_view columns;
  ExportToStream to_stream;
  ExportToFile to_file;
};

int run_one_export(const ExportCommand& command, const Args& args, Context& context) {
  std::string db;
  std::string output = standard_output;
  std::string delimiter = ",";
  bool exclude_deleted = false;
  bool quiet = false;
  CommandLine line(
      fmt::format("crmkit export {}", command.what), "[--db PATH] [--output FILE] [options]",
      fmt::format("Writes the {0} of a store as CSV, in the format 'crmkit import {0}' reads\n"
                  "back (lossless). Columns: {1}.\n"
                  "A file name ending in .gz is gzip-compressed. The count goes to stderr.",
                  command.what, command.columns));
  add_db_option(line, db);
  auto option = line.options().add_options();
  option("output,o", po::value(&output)->value_name("FILE")->default_value(output),
         "where to write; - is standard output");
  option("delimiter", po::value(&delimiter)->value_name("CHAR")->default_value(delimiter),
         "field separator: one character, or 'tab'");
  option("exclude-deleted", po::bool_switch(&exclude_deleted),
         "leave out soft-deleted customers (and their purchases and interactions)");
  option("quiet,q", po::bool_switch(&quiet), "do not print the count");
  if (!line.parse(args, context.out)) return 0;

  io::ExportOptions options;
  options.include_deleted = !exclude_deleted;
  if (delimiter == "tab" || delimiter == "\\t") {
    options.delimiter = '\t';
  } else if (delimiter.size() == 1 && delimiter != "\"") {
    options.delimiter = delimiter.front();
  } else {
    line.fail(invalid_value_message("--delimiter", delimiter,
                                    "expected one character other than '\"', or 'tab'"));
  }

  const std::shared_ptr<storage::Store> store =
      open_store(database_location(line, db), StoreUse::read);
  const bool to_stdout = output == standard_output;
  const std::uint64_t count = to_stdout ? command.to_stream(*store, context.out, options)
                                        : command.to_file(*store, output, options);
  if (!quiet) {
    context.err << fmt::format("exported {} {} to {}\n", format_count(count), command.what,
                               to_stdout ? "standard output" : output);
  }
  return 0;
}

// The library overloads a stream and a file version of each export; these pick one.
template <std::uint64_t (*Export)(storage::Store&, std::ostream&, const io::ExportOptions&)>
std::uint64_t stream_export(storage::Store& store, std::ostream& out,
                            const io::ExportOptions& options) {
  return Export(store, out, options);
}

template <std::uint64_t (*Export)(storage::Store&, const std::filesystem::path&,
                                  const io::ExportOptions&)>
std::uint64_t file_export(storage::Store& store, const std::filesystem::path& file,
                          const io::ExportOptions& options) {
  return Export(store, file, options);
}

}  // namespace

int run_export(const Args& args, Context& context) {
  const ExportCommand customers{"customers",
                                "id, external_ref, kind, names, emails, phones, addresses, "
                                "memberships, owner, tags, lifecycle,\n"
                                "source, consent, attributes, created_at, updated_at, deleted_at",
                                stream_export<&io::export_customers>,
                                file_export<&io::export_customers>};
  const ExportCommand purchases{
      "purchases", "id, customer_id, timestamp, amount, currency, order_ref, quantity, product_ref",
      stream_export<&io::export_purchases>, file_export<&io::export_purchases>};
  const ExportCommand interactions{
      "interactions",
      "id, customer_id, other_customers, timestamp, channel, direction, duration, subject, body,\n"
      "outcome, author, deal_id, external_ref, created_at",
      stream_export<&io::export_interactions>, file_export<&io::export_interactions>};
  const CommandGroup group{
      "crmkit export",
      "<customers|purchases|interactions> [--db PATH] [--output FILE] [options]",
      "Exports the records of a store as CSV that the importers read back.",
      {
          {"customers", "export customers",
           [&](const Args& a, Context& c) { return run_one_export(customers, a, c); }},
          {"purchases", "export purchases",
           [&](const Args& a, Context& c) { return run_one_export(purchases, a, c); }},
          {"interactions", "export interactions",
           [&](const Args& a, Context& c) { return run_one_export(interactions, a, c); }},
      }};
  return dispatch(group, args, context);
}

}  // namespace crmkit::cli
