// `crmkit timeline CUSTOMER`: a customer's interactions, deal events and purchases, newest first.

#include <ostream>
#include <string>
#include <variant>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/customer_lookup.hpp"
#include "cli/output.hpp"
#include "cli/store_access.hpp"
#include "crmkit/crm/crm.hpp"

namespace crmkit::cli {

namespace {

constexpr long long default_limit = 20;

// The record id of an entry; the deal's id for a deal event.
std::int64_t entry_id(const TimelineEntry& entry) { return entry.cursor().id; }

Table timeline_table(const TimelinePage& page) {
  Table table;
  table.columns = {"at", "kind", "id", "summary"};
  table.right_aligned = {2};
  for (const TimelineEntry& entry : page.entries) {
    table.rows.push_back({format_timestamp(entry.at), std::string(to_string(entry.kind)),
                          std::to_string(entry_id(entry)), entry.summary()});
  }
  return table;
}

Json timeline_json(const Customer& customer, const TimelinePage& page) {
  Json entries = Json::array();
  for (const TimelineEntry& entry : page.entries) {
    entries.push_back({{"at", format_timestamp(entry.at)},
                       {"kind", std::string(to_string(entry.kind))},
                       {"id", entry_id(entry)},
                       {"summary", entry.summary()}});
  }
  return {{"customer", customer.id.value()}, {"entries", entries}, {"more", page.next.has_value()}};
}

}  // namespace

int run_timeline(const Args& args, Context& context) {
  std::string db;
  std::string format_text;
  std::string external_ref;
  long long limit = default_limit;
  CommandLine line("crmkit timeline", "(CUSTOMER | --external-ref REF) [--db PATH] [options]",
                   "Shows a customer's timeline, newest first: interactions, deal events and\n"
                   "purchases merged, one line each.");
  add_db_option(line, db);
  add_format_option(line, format_text);
  add_customer_selector(line, external_ref);
  line.options().add_options()("limit", po::value(&limit)->value_name("N")->default_value(limit),
                               "entries shown, newest first (at most 10000)");
  if (!line.parse(args, context.out)) return 0;

  const OutputFormat format = output_format(line, format_text);
  TimelineRequest request;
  request.limit = static_cast<std::size_t>(
      checked_integer(line, "--limit", limit, 1, static_cast<long long>(storage::max_page_size)));
  Crm crm(open_store(database_location(line, db), StoreUse::read));
  const Customer customer = select_customer(crm, line, external_ref);
  const TimelinePage page = crm.timeline(customer.id, request);

  if (format == OutputFormat::json) {
    print_json(context.out, timeline_json(customer, page));
    return 0;
  }
  if (format == OutputFormat::table) {
    const std::string ref =
        customer.external_ref ? fmt::format(", external ref {}", *customer.external_ref) : "";
    context.out << fmt::format("timeline of customer {} ({}{}), newest first:\n",
                               customer.id.value(), customer.display_name(), ref);
  }
  print_rows(context.out, format, timeline_table(page));
  if (format == OutputFormat::table && page.next) {
    context.out << fmt::format("(more: --limit {} shows more entries)\n", request.limit * 2);
  }
  return 0;
}

}  // namespace crmkit::cli
