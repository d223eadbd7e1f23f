// `crmkit customers list|show|find`: reading customers, as tables, CSV or JSON.

#include <array>
#include <limits>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/customer_lookup.hpp"
#include "cli/customer_view.hpp"
#include "cli/output.hpp"
#include "cli/store_access.hpp"
#include "crmkit/core/contact.hpp"
#include "crmkit/core/error.hpp"
#include "crmkit/crm/crm.hpp"

namespace crmkit::cli {

namespace {

constexpr std::array<Choice<LifecycleStage>, 4> lifecycle_choices{{
    {"lead", LifecycleStage::lead},
    {"prospect", LifecycleStage::prospect},
    {"customer", LifecycleStage::customer},
    {"inactive", LifecycleStage::inactive},
}};
constexpr std::array<Choice<CustomerKind>, 2> kind_choices{{
    {"person", CustomerKind::person},
    {"organization", CustomerKind::organization},
}};

constexpr long long default_list_limit = 50;

// The list and find commands print the same columns; JSON gives every field.
void print_customers(std::ostream& out, OutputFormat format,
                     const std::vector<Customer>& customers) {
  if (format == OutputFormat::json) {
    Json items = Json::array();
    for (const Customer& customer : customers) items.push_back(customer_json(customer));
    print_json(out, items);
    return;
  }
  print_rows(out, format, customer_list(customers));
}

struct ListSettings {
  std::string db;
  std::string format;
  long long limit = default_list_limit;
  long long after = 0;
  std::string owner;
  std::string tag;
  std::string lifecycle;
  std::string kind;
  std::string updated_since;
  bool include_deleted = false;
};

storage::CustomerQuery list_query(const CommandLine& line, const ListSettings& settings) {
  storage::CustomerQuery query;
  query.limit = static_cast<std::size_t>(checked_integer(
      line, "--limit", settings.limit, 1, static_cast<long long>(storage::max_page_size)));
  if (line.given("after")) {
    query.after = CustomerId(
        checked_integer(line, "--after", settings.after, 0, std::numeric_limits<long long>::max()));
  }
  if (line.given("owner")) query.owner = settings.owner;
  if (line.given("tag")) query.tag = settings.tag;
  if (line.given("lifecycle")) {
    query.lifecycle = parse_choice(line, "--lifecycle", settings.lifecycle, lifecycle_choices);
  }
  if (line.given("kind")) query.kind = parse_choice(line, "--kind", settings.kind, kind_choices);
  if (line.given("updated-since")) {
    try {
      query.updated_since = parse_timestamp(settings.updated_since, "--updated-since");
    } catch (const ParseError&) {
      line.fail(invalid_value_message("--updated-since", settings.updated_since,
                                      "expected an ISO 8601 time such as 2024-01-31T12:00:00Z "
                                      "or 2024-01-31"));
    }
  }
  query.include_deleted = settings.include_deleted;
  return query;
}

int list_customers(const Args& args, Context& context) {
  ListSettings settings;
  CommandLine line(
      "crmkit customers list", "[--db PATH] [options]",
      "Lists customers by id, a page at a time: --limit per page, and --after the last\n"
      "id of the previous page (the table's last line says what to pass). Filters\n"
      "combine with AND. Soft-deleted customers are left out unless --include-deleted.");
  add_db_option(line, settings.db);
  add_format_option(line, settings.format);
  auto option = line.options().add_options();
  option("limit", po::value(&settings.limit)->value_name("N")->default_value(settings.limit),
         "customers per page (at most 10000)");
  option("after", po::value(&settings.after)->value_name("ID"), "start after this customer id");
  option("owner", po::value(&settings.owner)->value_name("USER"), "only customers of this owner");
  option("tag", po::value(&settings.tag)->value_name("TAG"), "only customers with this tag");
  option("lifecycle", po::value(&settings.lifecycle)->value_name("STAGE"),
         "only customers in this stage: lead, prospect, customer or inactive");
  option("kind", po::value(&settings.kind)->value_name("KIND"),
         "only this kind: person or organization");
  option("updated-since", po::value(&settings.updated_since)->value_name("TIME"),
         "only customers updated at or after this ISO 8601 time");
  option("include-deleted", po::bool_switch(&settings.include_deleted),
         "also soft-deleted customers");
  if (!line.parse(args, context.out)) return 0;

  const OutputFormat format = output_format(line, settings.format);
  const storage::CustomerQuery query = list_query(line, settings);
  Crm crm(open_store(database_location(line, settings.db), StoreUse::read));
  const storage::CustomerPage page = crm.customers(query);

  if (format == OutputFormat::json) {
    Json items = Json::array();
    for (const Customer& customer : page.items) items.push_back(customer_json(customer));
    print_json(context.out, {{"customers", items},
                             {"next_after", page.next ? Json(page.next->value()) : Json(nullptr)}});
    return 0;
  }
  print_rows(context.out, format, customer_list(page.items));
  if (format == OutputFormat::table && page.next) {
    context.out << fmt::format("(more: --after {})\n", page.next->value());
  }
  return 0;
}

int show_customer(const Args& args, Context& context) {
  std::string db;
  std::string format_text;
  std::string external_ref;
  CommandLine line("crmkit customers show", "(CUSTOMER | --external-ref REF) [--db PATH] [options]",
                   "Shows every field of one customer, named by its id or by its external ref.");
  add_db_option(line, db);
  add_format_option(line, format_text);
  add_customer_selector(line, external_ref);
  if (!line.parse(args, context.out)) return 0;

  const OutputFormat format = output_format(line, format_text);
  Crm crm(open_store(database_location(line, db), StoreUse::read));
  const Customer customer = select_customer(crm, line, external_ref);
  if (format == OutputFormat::json) {
    print_json(context.out, customer_json(customer));
    return 0;
  }
  const NameLookup organization_name = [&crm](CustomerId id) -> std::optional<std::string> {
    const std::optional<Customer> organization = crm.find_customer(id);
    if (!organization) return std::nullopt;
    return organization->display_name();
  };
  print_rows(context.out, format, customer_fields(customer, organization_name));
  return 0;
}

int find_customers(const Args& args, Context& context) {
  std::string db;
  std::string format_text;
  std::string email;
  std::string phone;
  std::string region;
  std::string external_ref;
  CommandLine line(
      "crmkit customers find",
      "(--email ADDRESS | --phone NUMBER [--region CC] | --external-ref REF) [options]",
      "Finds the customers with an email address (compared case-insensitively), a phone\n"
      "number (compared in its international form), or an external ref. Soft-deleted\n"
      "customers are not found by email or phone. Prints nothing but the header when\n"
      "none matches (the exit status is still 0).");
  add_db_option(line, db);
  add_format_option(line, format_text);
  auto option = line.options().add_options();
  option("email", po::value(&email)->value_name("ADDRESS"), "an email address");
  option("phone", po::value(&phone)->value_name("NUMBER"),
         "a phone number, international or national");
  option("region", po::value(&region)->value_name("CC"),
         "ISO 3166 region (e.g. FR) to read a national --phone number in");
  option("external-ref", po::value(&external_ref)->value_name("REF"), "the host ERP's key");
  if (!line.parse(args, context.out)) return 0;

  const OutputFormat format = output_format(line, format_text);
  const int criteria = static_cast<int>(line.given("email")) +
                       static_cast<int>(line.given("phone")) +
                       static_cast<int>(line.given("external-ref"));
  if (criteria != 1) line.fail("give exactly one of --email, --phone and --external-ref");
  if (line.given("region") && !line.given("phone")) line.fail("--region only applies to --phone");
  if (!region.empty() && Phone::calling_code(region).empty()) {
    line.fail(invalid_value_message("--region", region,
                                    "expected an ISO 3166 alpha-2 region such as FR or GB"));
  }

  CrmOptions options;
  options.default_region = region;
  Crm crm(open_store(database_location(line, db), StoreUse::read), options);
  std::vector<Customer> found;
  if (line.given("email")) {
    found = crm.find_by_email(email);
  } else if (line.given("phone")) {
    found = crm.find_by_phone(phone);
  } else if (std::optional<Customer> customer = crm.find_by_external_ref(external_ref)) {
    found.push_back(*std::move(customer));
  }
  print_customers(context.out, format, found);
  return 0;
}

}  // namespace

int run_customers(const Args& args, Context& context) {
  const CommandGroup group{
      "crmkit customers",
      "<list|show|find> [--db PATH] [options]",
      "Reads the customers of a store.",
      {
          {"list", "list customers a page at a time, with filters", list_customers},
          {"show", "show every field of one customer", show_customer},
          {"find", "find customers by email, phone or external ref", find_customers},
      }};
  return dispatch(group, args, context);
}

}  // namespace crmkit::cli
