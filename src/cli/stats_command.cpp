// `crmkit stats`: how many records of each kind a store holds.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/store_access.hpp"

namespace crmkit::cli {

namespace {

std::vector<std::pair<std::string, std::int64_t>> counts_by_entity(
    const storage::StoreCounts& counts) {
  return {{"customers", counts.customers},
          {"deleted_customers", counts.deleted_customers},
          {"interactions", counts.interactions},
          {"pipelines", counts.pipelines},
          {"deals", counts.deals},
          {"purchases", counts.purchases}};
}

}  // namespace

int run_stats(const Args& args, Context& context) {
  std::string db;
  std::string format_text;
  CommandLine line(
      "crmkit stats", "[--db PATH] [options]",
      "Counts the records of each kind in a store: customers (soft-deleted ones apart),\n"
      "interactions, pipelines, deals and purchases.");
  add_db_option(line, db);
  add_format_option(line, format_text);
  if (!line.parse(args, context.out)) return 0;

  const OutputFormat format = output_format(line, format_text);
  const std::shared_ptr<storage::Store> store =
      open_store(database_location(line, db), StoreUse::read);
  const auto counts = counts_by_entity(store->counts());

  if (format == OutputFormat::json) {
    Json document = Json::object();
    for (const auto& [entity, count] : counts) document[entity] = count;
    print_json(context.out, document);
    return 0;
  }
  Table table;
  table.columns = {"entity", "count"};
  table.right_aligned = {1};
  for (const auto& [entity, count] : counts) {
    // People read grouped digits; programs reading CSV want plain integers.
    const auto n = static_cast<std::uint64_t>(count);
    table.rows.push_back(
        {entity, format == OutputFormat::table ? format_count(n) : std::to_string(count)});
  }
  print_rows(context.out, format, table);
  return 0;
}

}  // namespace crmkit::cli
