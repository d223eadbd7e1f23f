// Uses a few public types of an installed crmkit; tests/install/install_and_consume.cmake checks
// the lines it prints.
#include <crmkit/crmkit.hpp>

#include <iostream>
#include <memory>

namespace {

crmkit::Customer ada_lovelace() {
  crmkit::Customer ada;
  ada.given_name = "Ada";
  ada.family_name = "Lovelace";
  // Blanks and an upper-case domain: the library must normalize them. No primary is set:
  // create_customer() makes the only address primary.
  ada.emails.push_back({crmkit::Email(" ada@Example.COM "), "work", false});
  return ada;
}

void report_rejected_email(std::string_view text) {
  try {
    const crmkit::Email email(text);
    std::cout << "accepted email: " << email.str() << '\n';
  } catch (const crmkit::ValidationError& e) {
    std::cout << "rejected " << e.field() << ": " << crmkit::quote_value(e.value()) << '\n';
  }
}

}  // namespace

int main() {
  try {
    std::shared_ptr<crmkit::storage::Store> store = crmkit::storage::open("memory:");
    crmkit::Crm crm(store);
    const crmkit::Customer stored = crm.create_customer(ada_lovelace());
    const crmkit::ContactEmail* email = stored.primary_email();

    std::cout << "crmkit " << crmkit::version << '\n';
    std::cout << "backend " << store->backend() << '\n';
    std::cout << "customer " << stored.id.value() << ' ' << stored.display_name() << " <"
              << (email != nullptr ? email->address.str() : "no primary email") << "> version "
              << stored.version << '\n';
    std::cout << "found by email " << crm.find_by_email("ADA@example.com").size() << '\n';
    report_rejected_email("not-an-email");
    return 0;
  } catch (const crmkit::Error& e) {
    std::cerr << "crmkit error: " << e.what() << '\n';
    return 1;
  }
}
