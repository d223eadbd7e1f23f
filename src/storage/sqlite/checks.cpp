#include "storage/sqlite/checks.hpp"

#include <array>
#include <cstddef>

#include "storage/sqlite/customer_rows.hpp"
#include "storage/sqlite/pipeline_rows.hpp"

namespace crmkit::storage::sqlite {
namespace {

// Each query selects the referring ids as `ref_id`, given ?1 = the referred record's id, and
// keeps the lowest ones a message lists along with how many there are in all.
#define CRMKIT_FIRST_IDS(inner) \
  "SELECT ref_id, count(*) OVER () FROM (" inner ") ORDER BY ref_id LIMIT 5"

// Indexed by rules::Reference.
constexpr std::array<const char*, 7> referrers_sql = {
    CRMKIT_FIRST_IDS("SELECT id AS ref_id FROM deals WHERE customer_id = ?1 "
                     "UNION SELECT deal_id FROM deal_contacts WHERE person_id = ?1"),
    CRMKIT_FIRST_IDS("SELECT DISTINCT deal_id AS ref_id FROM deal_contacts WHERE person_id = ?1"),
    CRMKIT_FIRST_IDS("SELECT DISTINCT interaction_id AS ref_id FROM interaction_customers "
                     "WHERE customer_id = ?1"),
    CRMKIT_FIRST_IDS("SELECT id AS ref_id FROM purchases WHERE customer_id = ?1"),
    CRMKIT_FIRST_IDS("SELECT DISTINCT customer_id AS ref_id FROM customer_memberships "
                     "WHERE organization_id = ?1"),
    CRMKIT_FIRST_IDS("SELECT id AS ref_id FROM deals WHERE pipeline_id = ?1"),
    CRMKIT_FIRST_IDS("SELECT id AS ref_id FROM interactions WHERE deal_id = ?1"),
};
#undef CRMKIT_FIRST_IDS
static_assert(rules::shown_referrers == 5, "the queries above list 5 ids");
static_assert(static_cast<std::size_t>(rules::Reference::interactions_of_deal) + 1 ==
                  referrers_sql.size(),
              "one query for each kind of reference");

}  // namespace

bool customer_exists(Connection& c, CustomerId id) {
  Query q = c.query("SELECT 1 FROM customers WHERE id = ?1");
  q.bind_int(1, id.value());
  return q.step();
}

bool RecordLookup::customer_exists(CustomerId id) { return sqlite::customer_exists(c_, id); }

std::optional<CustomerKind> RecordLookup::customer_kind(CustomerId id) {
  return sqlite::customer_kind(c_, id);
}

std::optional<CustomerId> RecordLookup::customer_with_external_ref(const std::string& ref) {
  return sqlite::customer_with_external_ref(c_, ref);
}

bool RecordLookup::deal_exists(DealId id) {
  Query q = c_.query("SELECT 1 FROM deals WHERE id = ?1");
  q.bind_int(1, id.value());
  return q.step();
}

const Pipeline* RecordLookup::pipeline(PipelineId id) {
  pipeline_ = load_pipeline(c_, id);
  return pipeline_ ? &*pipeline_ : nullptr;
}

rules::Referrers RecordLookup::referrers(rules::Reference reference, std::int64_t id) {
  Query q = c_.query(referrers_sql[static_cast<std::size_t>(reference)]);
  q.bind_int(1, id);
  rules::Referrers found;
  while (q.step()) {
    found.lowest.push_back(q.int_at(0));
    found.total = q.int_at(1);
  }
  return found;
}

}  // namespace crmkit::storage::sqlite
