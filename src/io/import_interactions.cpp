#include <fmt/format.h>

#include <algorithm>

#include "crmkit/core/error.hpp"
#include "crmkit/domain/validation.hpp"
#include "crmkit/io/import.hpp"
#include "io/cells.hpp"
#include "io/csv_row.hpp"
#include "io/customer_keys.hpp"
#include "io/import_run.hpp"
#include "io/json_cells.hpp"

namespace crmkit::io {
namespace {

using detail::Column;
using detail::Row;

struct InteractionColumns {
  Column customer;
  Column other_customers;
  Column time;
  Column channel;
  Column direction;
  Column duration;
  Column subject;
  Column body;
  Column outcome;
  Column author;
  Column external_ref;
  Column created_at;
  Column deal;

  // The column a validation field (`interaction.subject`, or `.subject` from a bulk append) maps
  // to.
  [[nodiscard]] const Column& of(std::string_view field) const noexcept {
    const auto has = [&](std::string_view part) {
      return field.find(part) != std::string_view::npos;
    };
    if (has("occurred_at")) return time;
    if (has("duration")) return duration;
    if (has("subject")) return subject;
    if (has("body")) return body;
    if (has("outcome")) return outcome;
    if (has("author")) return author;
    if (has("external_ref")) return external_ref;
    if (has("deal")) return deal;
    if (has("customers[") && !has("customers[0]") && other_customers.present()) {
      return other_customers;
    }
    return customer;
  }
};

InteractionColumns resolve_columns(const CsvReader& reader, const InteractionImportOptions& o) {
  const detail::Header header(reader);
  InteractionColumns c;
  c.customer = header.required(o.customer_column, "customer_column");
  c.time = header.required(o.time_column, "time_column");
  c.other_customers = header.optional(o.other_customers_column);
  c.channel = header.optional(o.channel_column);
  c.direction = header.optional(o.direction_column);
  c.duration = header.optional(o.duration_column);
  c.subject = header.optional(o.subject_column);
  c.body = header.optional(o.body_column);
  c.outcome = header.optional(o.outcome_column);
  c.author = header.optional(o.author_column);
  c.external_ref = header.optional(o.external_ref_column);
  c.created_at = header.optional(o.created_at_column);
  if (!o.deal_column.empty()) c.deal = header.required(o.deal_column, "deal_column");
  return c;
}

// Parses the cells of one row into an Interaction; its customers are left to the caller.
class InteractionParser {
 public:
  InteractionParser(const InteractionColumns& columns, const InteractionImportOptions& options,
                    Timestamp stamp)
      : c_(columns), options_(options), stamp_(stamp) {}

  Interaction parse(const Row& row, std::size_t customer_count) const {
    Interaction it;
    it.occurred_at = row.parse(c_.time, [&](std::string_view text) {
      return detail::parse_time(text, options_.time_format, c_.time.name);
    });
    if (!row[c_.channel].empty()) it.channel = row.parse(c_.channel, parse_channel);
    if (!row[c_.direction].empty()) it.direction = row.parse(c_.direction, parse_direction);
    if (!row[c_.duration].empty()) it.duration = std::chrono::seconds{whole(row, c_.duration)};
    it.subject = std::string(row[c_.subject]);
    it.body = std::string(row[c_.body]);
    it.outcome = std::string(row[c_.outcome]);
    it.author = std::string(row[c_.author]);
    if (!row[c_.external_ref].empty()) it.external_ref = std::string(row[c_.external_ref]);
    it.created_at =
        row[c_.created_at].empty() ? stamp_ : row.parse(c_.created_at, [](std::string_view text) {
          return parse_timestamp(text, "created_at");
        });
    if (c_.deal.present() && !row[c_.deal].empty()) it.deal = DealId{whole(row, c_.deal)};
    // Stand-ins until the keys are resolved, so that validation covers every other field first
    // and customers are created only for otherwise good rows.
    for (std::size_t i = 0; i < customer_count; ++i) {
      it.customers.emplace_back(static_cast<std::int64_t>(i) + 1);
    }
    try {
      validate(it);
    } catch (const ValidationError& error) {
      row.fail(c_.of(error.field()), error);
    }
    return it;
  }

 private:
  static std::int64_t whole(const Row& row, const Column& column) {
    const std::optional<std::int64_t> value = detail::to_int(row[column]);
    if (!value) row.fail(column, std::string(row[column]), "is not a whole number");
    return *value;
  }

  const InteractionColumns& c_;
  const InteractionImportOptions& options_;
  Timestamp stamp_;
};

// The row's customer keys: the customer column, then the JSON list of others; none repeated.
std::vector<std::string> keys_of(const Row& row, const InteractionColumns& c,
                                 const detail::CustomerKeys& keys) {
  std::vector<std::string> all{std::string(keys.normalize(row[c.customer]))};
  const std::vector<std::string> others = row.parse(c.other_customers, [&](std::string_view text) {
    return detail::parse_keys(text, "interaction.other_customers");
  });
  for (const std::string& other : others) {
    const std::string key(keys.normalize(other));
    if (std::find(all.begin(), all.end(), key) != all.end()) {
      row.fail(c.other_customers, key, "repeats a customer key already listed for this row");
    }
    all.push_back(key);
  }
  return all;
}

}  // namespace

ImportReport import_interactions(storage::Store& store, CsvReader& reader,
                                 const InteractionImportOptions& options) {
  const InteractionColumns columns = resolve_columns(reader, options);
  const Timestamp stamp = options.clock();
  const InteractionParser parser(columns, options, stamp);
  detail::ImportRun run(store, reader, options);
  detail::CustomerKeys keys(store, options, LifecycleStage::lead, stamp);
  const auto make = [&](const Row& row, std::string_view) {
    detail::require_customer_key(row, columns.customer, row[columns.customer]);
    const std::vector<std::string> customer_keys = keys_of(row, columns, keys);
    Interaction interaction = parser.parse(row, customer_keys.size());
    for (std::size_t i = 0; i < customer_keys.size(); ++i) {
      const Column& column = i == 0 ? columns.customer : columns.other_customers;
      interaction.customers[i] = row.parse(column, [&](std::string_view) {
        return keys.resolve(customer_keys[i], run.report());
      });
    }
    return interaction;
  };
  return detail::import_customer_rows<Interaction>(
      run, keys, options, columns.customer, "interactions", "interaction", make,
      [&](std::vector<Interaction>& records) { store.append_interactions(records); },
      [&](std::string_view field) { return columns.of(field); });
}

ImportReport import_interactions(storage::Store& store, const std::filesystem::path& file,
                                 const InteractionImportOptions& options) {
  CsvReader reader(file, options.format);
  return import_interactions(store, reader, options);
}

ImportReport import_interactions(storage::Store& store, std::istream& in, const std::string& source,
                                 const InteractionImportOptions& options) {
  CsvReader reader(in, source, options.format);
  return import_interactions(store, reader, options);
}

}  // namespace crmkit::io
