#include "cli/customer_lookup.hpp"

#include <charconv>
#include <cstdint>
#include <optional>

#include "crmkit/core/error.hpp"

namespace crmkit::cli {

namespace {

constexpr const char* argument_name = "CUSTOMER";

CustomerId customer_id(const CommandLine& line, const std::string& text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value <= 0) {
    line.fail(
        invalid_value_message(argument_name, text,
                              "expected a customer id (a positive integer); use --external-ref REF "
                              "to name a customer by its external ref"));
  }
  return CustomerId(value);
}

}  // namespace

void add_customer_selector(CommandLine& line, std::string& external_ref) {
  line.positional(argument_name, false);
  line.options().add_options()("external-ref", po::value(&external_ref)->value_name("REF"),
                               "name the customer by its external ref instead of its id");
}

Customer select_customer(Crm& crm, const CommandLine& line, const std::string& external_ref) {
  const std::optional<std::string> id_text = line.argument(argument_name);
  const bool by_ref = line.given("external-ref");
  if (id_text && by_ref) line.fail("give a customer id or --external-ref, not both");
  if (!id_text && !by_ref)
    line.fail("missing argument CUSTOMER (a customer id), or --external-ref REF");
  if (id_text) return crm.customer(customer_id(line, *id_text));
  std::optional<Customer> customer = crm.find_by_external_ref(external_ref);
  if (!customer) throw NotFoundError("customer with external ref", external_ref);
  return *std::move(customer);
}

}  // namespace crmkit::cli
