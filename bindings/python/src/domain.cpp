// crmkit._crmkit.domain: the enums, then customers (domain_customer.cpp), interactions and
// purchases (here), pipelines and deals (domain_deal.cpp), then the validation functions.
#include "bindings.hpp"
// (bindings.hpp first)
#include "domain_parts.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace crmkit::python {

namespace {

void bind_enums(py::module_& domain) {
  bind_enum<CustomerKind>(
      domain, "crmkit", "CustomerKind",
      "Whether a customer is a natural person (given and family names) or an organization (a "
      "legal name).",
      {{CustomerKind::person, "person"}, {CustomerKind::organization, "organization"}});
  bind_enum<LifecycleStage>(
      domain, "crmkit", "LifecycleStage",
      "Where a customer stands in the relationship: lead (known but not qualified), prospect "
      "(qualified, no purchase yet), customer (has bought), inactive (no longer active).",
      {{LifecycleStage::lead, "lead"},
       {LifecycleStage::prospect, "prospect"},
       {LifecycleStage::customer, "customer"},
       {LifecycleStage::inactive, "inactive"}});
  bind_enum<ConsentStatus>(
      domain, "crmkit", "ConsentStatus",
      "State of the customer's marketing consent: unknown (never asked or not recorded), granted "
      "(the customer agreed), withdrawn (the customer withdrew a previous agreement).",
      {{ConsentStatus::unknown, "unknown"},
       {ConsentStatus::granted, "granted"},
       {ConsentStatus::withdrawn, "withdrawn"}});
  bind_enum<LawfulBasis>(
      domain, "crmkit", "LawfulBasis",
      "GDPR Art. 6 lawful basis for processing: none (not recorded), consent (6(1)(a)), contract "
      "(6(1)(b)), legal_obligation (6(1)(c)), vital_interests (6(1)(d)), public_task (6(1)(e)), "
      "legitimate_interests (6(1)(f)).",
      {{LawfulBasis::none, "none"},
       {LawfulBasis::consent, "consent"},
       {LawfulBasis::contract, "contract"},
       {LawfulBasis::legal_obligation, "legal_obligation"},
       {LawfulBasis::vital_interests, "vital_interests"},
       {LawfulBasis::public_task, "public_task"},
       {LawfulBasis::legitimate_interests, "legitimate_interests"}});
  bind_enum<Channel>(domain, "crmkit", "Channel",
                     "The channel an interaction took place on.",
                     {{Channel::email, "email"},
                      {Channel::phone, "phone"},
                      {Channel::meeting, "meeting"},
                      {Channel::chat, "chat"},
                      {Channel::sms, "sms"},
                      {Channel::web, "web"},
                      {Channel::social, "social"},
                      {Channel::letter, "letter"},
                      {Channel::in_person, "in_person"},
                      {Channel::other, "other"}});
  bind_enum<Direction>(
      domain, "crmkit", "Direction",
      "Who started an interaction: inbound (from the customer to us), outbound (from us to the "
      "customer), internal (a note or internal exchange about the customer).",
      {{Direction::inbound, "inbound"},
       {Direction::outbound, "outbound"},
       {Direction::internal, "internal"}});
  bind_enum<StageCategory>(
      domain, "crmkit", "StageCategory",
      "What reaching a pipeline stage means: open (the deal is still being worked), won (closed "
      "with a sale), lost (closed without a sale). Behaviour hangs off the category, never off "
      "the stage's name.",
      {{StageCategory::open, "open"}, {StageCategory::won, "won"}, {StageCategory::lost, "lost"}});
}

void bind_interaction(py::module_& domain) {
  py::class_<Interaction> cls(domain, "Interaction", R"doc(One contact with one or more customers, optionally about a deal.

Rules (``validate(interaction)``): at least one customer, no customer twice; duration >= 0;
``occurred_at`` set (not the epoch); subject at most 500 bytes, body at most 1 MiB, outcome at most
200 bytes and author at most 128, all valid UTF-8 (the body may hold line breaks and tabs, the
others no control characters); ``external_ref`` 1 to 128 bytes when present.

Fields are values: ``i.customers`` is a copy of the list; assign a whole list to change it.)doc");
  cls.def(py::init([](InteractionId id, Channel channel, Direction direction,
                      Timestamp occurred_at, const WholeSeconds& duration, std::string subject,
                      std::string body, std::string outcome, std::string author,
                      std::vector<CustomerId> customers, std::optional<DealId> deal,
                      std::optional<std::string> external_ref, Timestamp created_at,
                      std::int64_t version) {
            Interaction i;
            i.id = id;
            i.channel = channel;
            i.direction = direction;
            i.occurred_at = occurred_at;
            i.duration = duration.value;
            i.subject = std::move(subject);
            i.body = std::move(body);
            i.outcome = std::move(outcome);
            i.author = std::move(author);
            i.customers = std::move(customers);
            i.deal = deal;
            i.external_ref = std::move(external_ref);
            i.created_at = created_at;
            i.version = version;
            return i;
          }),
          py::kw_only(), py::arg("id") = 0, py::arg("channel") = enum_object(Channel::other),
          py::arg("direction") = enum_object(Direction::inbound), py::arg("occurred_at") = Timestamp{},
          py::arg("duration") = WholeSeconds{}, py::arg("subject") = "", py::arg("body") = "",
          py::arg("outcome") = "", py::arg("author") = "",
          py::arg("customers") = std::vector<CustomerId>{}, py::arg("deal") = py::none(),
          py::arg("external_ref") = py::none(), py::arg("created_at") = Timestamp{},
          py::arg("version") = 0,
          "Every field is optional, with the C++ defaults. ``duration`` is a "
          "``datetime.timedelta`` of whole seconds or an int count of seconds.");
  value_field(cls, "id", &Interaction::id, "Assigned by the store on insert (int; 0 = not yet).");
  value_field(cls, "channel", &Interaction::channel, "Medium (``Channel``).");
  value_field(cls, "direction", &Interaction::direction, "Who started it (``Direction``).");
  value_field(cls, "occurred_at", &Interaction::occurred_at,
              "When it started (aware UTC ``datetime.datetime``).");
  cls.def_property(
      "duration", [](const Interaction& i) { return Duration(i.duration); },
      [](Interaction& i, const WholeSeconds& d) { i.duration = d.value; },
      "How long it lasted: a ``datetime.timedelta`` (whole seconds; an int of seconds may be "
      "assigned; a fraction of a second is a ValueError).");
  value_field(cls, "subject", &Interaction::subject, "One-line summary.");
  value_field(cls, "body", &Interaction::body, "Full text or notes.");
  value_field(cls, "outcome", &Interaction::outcome,
              "Outcome or status, e.g. ``completed``, ``no answer``.");
  value_field(cls, "author", &Interaction::author, "User who logged it.");
  value_field(cls, "customers", &Interaction::customers,
              "The customers involved, at least one (list of int ids; a copy: assign a whole "
              "list).");
  value_field(cls, "deal", &Interaction::deal, "The deal it is about (int id), or None.");
  value_field(cls, "external_ref", &Interaction::external_ref, "The host system's key, or None.");
  value_field(cls, "created_at", &Interaction::created_at,
              "When it was logged (aware UTC ``datetime.datetime``).");
  value_field(cls, "version", &Interaction::version, "1 after insert.");
  value_semantics(cls);
  cls.def(
      "__repr__",
      [](const Interaction& i) {
        return "Interaction(id=" + std::to_string(i.id.value()) + ", channel=" +
               repr_of(i.channel) + ", direction=" + repr_of(i.direction) + ", occurred_at=" +
               repr_of(format_timestamp(i.occurred_at)) + ", customers=" + repr_of(i.customers) +
               ", subject=" + repr_of(i.subject) + ")";
      },
      "The key fields, the time in ISO 8601.");
}

void bind_purchase(py::module_& domain) {
  py::class_<Purchase> cls(domain, "Purchase", R"doc(One purchase (order line or order) by a customer: what the ERP feeds in, and what RFM and CLV consume.

Rules (``validate(purchase)``): customer set; ``occurred_at`` set; amount in a real currency (not
``XXX``); quantity finite and > 0 when set; order and product refs at most 128 bytes of valid
UTF-8. Amounts may be negative (refunds): analytics decide what to keep.)doc");
  cls.def(py::init([](PurchaseId id, CustomerId customer, Timestamp occurred_at, Money amount,
                      std::string order_ref, std::optional<double> quantity,
                      std::string product_ref) {
            return Purchase{id,
                            customer,
                            occurred_at,
                            amount,
                            std::move(order_ref),
                            quantity,
                            std::move(product_ref)};
          }),
          py::kw_only(), py::arg("id") = 0, py::arg("customer") = 0,
          py::arg("occurred_at") = Timestamp{}, py::arg("amount") = Money{},
          py::arg("order_ref") = "", py::arg("quantity") = py::none(),
          py::arg("product_ref") = "", "Every field is optional, with the C++ defaults.");
  value_field(cls, "id", &Purchase::id, "Assigned by the store on insert (int; 0 = not yet).");
  value_field(cls, "customer", &Purchase::customer, "Who bought (int id).");
  value_field(cls, "occurred_at", &Purchase::occurred_at, "When (aware UTC ``datetime.datetime``).");
  value_field(cls, "amount", &Purchase::amount, "How much, exact (``Money``).");
  value_field(cls, "order_ref", &Purchase::order_ref,
              "The order or invoice number in the host system.");
  value_field(cls, "quantity", &Purchase::quantity, "Units bought (float), or None when unknown.");
  value_field(cls, "product_ref", &Purchase::product_ref, "Product or SKU, when known.");
  value_semantics(cls);
  cls.def(
      "__repr__",
      [](const Purchase& p) {
        return "Purchase(id=" + std::to_string(p.id.value()) + ", customer=" +
               std::to_string(p.customer.value()) + ", occurred_at=" +
               repr_of(format_timestamp(p.occurred_at)) + ", amount=" + repr_of(p.amount) +
               ", order_ref=" + repr_of(p.order_ref) + ")";
      },
      "The key fields, the time in ISO 8601.");
}

void bind_validation(py::module_& domain) {
  domain.def("validate", py::overload_cast<const Customer&>(&validate), py::arg("customer"),
             "Checks the rules documented on Customer (not the uniqueness of ``external_ref``, nor "
             "that member organizations exist: that needs a store).\n\nRaises:\n    "
             "crmkit.ValidationError: naming the field (e.g. ``customer.emails``), the value and "
             "the rule.");
  domain.def("validate", py::overload_cast<const Interaction&>(&validate), py::arg("interaction"),
             "Checks the rules documented on Interaction.\n\nRaises:\n    "
             "crmkit.ValidationError: naming the field.");
  domain.def("validate", py::overload_cast<const Pipeline&>(&validate), py::arg("pipeline"),
             "Checks the rules documented on Pipeline and Stage.\n\nRaises:\n    "
             "crmkit.ValidationError: naming the field.");
  domain.def("validate", py::overload_cast<const Deal&, const Pipeline&>(&validate),
             py::arg("deal"), py::arg("pipeline"),
             "Checks the rules documented on Deal against its pipeline.\n\nRaises:\n    "
             "crmkit.ValidationError: naming the field.");
  domain.def("validate", py::overload_cast<const Purchase&>(&validate), py::arg("purchase"),
             "Checks the rules documented on Purchase.\n\nRaises:\n    "
             "crmkit.ValidationError: naming the field.");
  domain.def("validate_text", &validate_text, py::arg("text"), py::arg("field"),
             py::arg("max_bytes"), py::arg("single_line") = true,
             "Checks that ``text`` is valid UTF-8 of at most ``max_bytes`` bytes; with "
             "``single_line``, also that it has no control characters (tab included).\n\n"
             "Raises:\n    crmkit.ValidationError: naming ``field``.");
}

}  // namespace

void init_domain_records(py::module_& domain) {
  bind_interaction(domain);
  bind_purchase(domain);
}

void init_domain(py::module_& domain) {
  bind_enums(domain);
  init_domain_customer(domain);
  init_domain_records(domain);
  init_domain_deal(domain);
  bind_validation(domain);
}

}  // namespace crmkit::python
