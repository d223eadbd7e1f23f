#include "io/customer_keys.hpp"

#include <fmt/format.h>

#include "crmkit/core/error.hpp"
#include "io/cells.hpp"

namespace crmkit::io::detail {
namespace {

constexpr std::string_view key_field = "customer key";

}  // namespace

CustomerKeys::CustomerKeys(storage::Store& store, const KeyedImportOptions& options,
                           LifecycleStage lifecycle, Timestamp stamp)
    : store_(&store), options_(&options), lifecycle_(lifecycle), stamp_(stamp) {}

std::string_view CustomerKeys::normalize(std::string_view key) const noexcept {
  return options_->strip_decimal_zero_keys ? strip_decimal_zeros(key) : key;
}

CustomerId CustomerKeys::resolve(std::string_view key, ImportReport& report) {
  if (last_id_.valid() && key == last_key_) return last_id_;
  CustomerId id;
  if (const auto it = ids_.find(key); it != ids_.end()) {
    id = it->second;
  } else {
    if (const auto failed = failed_.find(key); failed != failed_.end()) throw failed->second;
    try {
      id = look_up(key, report);
    } catch (const ValidationError& error) {
      failed_.emplace(std::string(key), error);
      throw;
    }
    ids_.emplace(std::string(key), id);
  }
  last_key_.assign(key);
  last_id_ = id;
  return id;
}

CustomerId CustomerKeys::look_up(std::string_view key, ImportReport& report) {
  if (options_->hash_keys_are_ids) {
    if (const std::optional<std::int64_t> id = hash_key_id(key)) return by_id(key, *id);
  }
  if (const std::optional<Customer> found = store_->find_customer_by_external_ref(key)) {
    return found->id;
  }
  if (options_->missing_customers == MissingCustomers::reject) {
    throw ValidationError(std::string(key_field), std::string(key),
                          "is not the external ref of any customer (missing customers are "
                          "rejected)");
  }
  return create(key, report);
}

CustomerId CustomerKeys::by_id(std::string_view key, std::int64_t id) const {
  if (options_->customer_ids != nullptr) {
    const auto it = options_->customer_ids->find(id);
    if (it == options_->customer_ids->end()) {
      throw ValidationError(std::string(key_field), std::string(key),
                            "names an exported customer id that is not in the customer id map "
                            "(was the customer imported?)");
    }
    return it->second;
  }
  if (!store_->get_customer(CustomerId{id})) {
    throw ValidationError(std::string(key_field), std::string(key),
                          "names a customer id that is not in the store (`#N` keys never create "
                          "customers)");
  }
  return CustomerId{id};
}

CustomerId CustomerKeys::create(std::string_view key, ImportReport& report) {
  Customer customer;
  customer.kind = CustomerKind::person;
  customer.family_name = std::string(key);
  customer.external_ref = std::string(key);
  customer.lifecycle = lifecycle_;
  customer.created_at = stamp_;
  customer.updated_at = stamp_;
  const CustomerId id = store_->insert_customer(customer).id;
  ++report.customers_created;
  return id;
}

}  // namespace crmkit::io::detail
