#pragma once
// The answers the shared write rules (storage/store_rules.hpp) need, read from the SQLite tables
// inside the write's transaction.

#include <optional>
#include <string>

#include "crmkit/domain/pipeline.hpp"
#include "storage/sqlite/connection.hpp"
#include "storage/store_rules.hpp"

namespace crmkit::storage::sqlite {

/// The stored records, as the rules ask about them.
class RecordLookup final : public rules::ReferenceLookup {
 public:
  explicit RecordLookup(Connection& c) : c_(c) {}

  bool customer_exists(CustomerId id) override;
  std::optional<CustomerKind> customer_kind(CustomerId id) override;
  std::optional<CustomerId> customer_with_external_ref(const std::string& ref) override;
  bool deal_exists(DealId id) override;
  const Pipeline* pipeline(PipelineId id) override;
  rules::Referrers referrers(rules::Reference reference, std::int64_t id) override;

 private:
  Connection& c_;
  std::optional<Pipeline> pipeline_;  // the last one loaded, which pipeline() points to
};

/// True when a customer with this id exists.
bool customer_exists(Connection& c, CustomerId id);

}  // namespace crmkit::storage::sqlite
