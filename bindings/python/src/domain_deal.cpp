// crmkit._crmkit.domain, part 3: stages, pipelines and deals (domain/pipeline.hpp, deal.hpp).
#include "bindings.hpp"
// (bindings.hpp first)
#include "domain_parts.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace crmkit::python {

namespace {

std::string optional_time(const std::optional<Timestamp>& t) {
  return t ? repr_of(format_timestamp(*t)) : std::string("None");
}

void bind_stage(py::module_& domain) {
  py::class_<Stage> cls(domain, "Stage", R"doc(One step of a pipeline.

Rules: ``key`` is 1 to 64 characters of ``[a-z0-9_-]``, unique in its pipeline and stable (deals
and history refer to it); ``name`` is non-empty; ``probability`` is in [0, 1], exactly 1 for won
stages and 0 for lost stages; ``rotting_days`` > 0 when set.)doc");
  cls.def(py::init([](std::string key, std::string name, StageCategory category,
                      double probability, std::optional<int> rotting_days) {
            return Stage{std::move(key), std::move(name), category, probability, rotting_days};
          }),
          py::kw_only(), py::arg("key") = "", py::arg("name") = "",
          py::arg("category") = enum_object(StageCategory::open), py::arg("probability") = 0.0,
          py::arg("rotting_days") = py::none(), "Every field is optional, with the C++ defaults.");
  value_field(cls, "key", &Stage::key, "Stable key, e.g. ``proposal``.");
  value_field(cls, "name", &Stage::name, "Display name, e.g. ``Proposal sent``.");
  value_field(cls, "category", &Stage::category, "Open, won or lost (``StageCategory``).");
  value_field(cls, "probability", &Stage::probability,
              "Default win probability of deals in this stage, in [0, 1].");
  value_field(cls, "rotting_days", &Stage::rotting_days,
              "A deal idle longer than this many days is \"rotting\"; None for never.");
  value_semantics(cls);
  cls.def(
      "__repr__",
      [](const Stage& s) {
        return "Stage(key=" + repr_of(s.key) + ", name=" + repr_of(s.name) +
               ", category=" + repr_of(s.category) + ", probability=" + repr_of(s.probability) +
               ", rotting_days=" + repr_of(s.rotting_days) + ")";
      },
      "The fields.");
}

void bind_pipeline(py::module_& domain) {
  py::class_<Pipeline> cls(domain, "Pipeline", R"doc(An ordered list of stages that deals move through. Several pipelines may exist.

Rules: non-empty name (at most 200 bytes); at least one open stage; stage keys unique. Fields are
values: ``p.stages`` is a copy of the list; assign a whole list to change it.)doc");
  cls.def(py::init([](PipelineId id, std::string name, std::vector<Stage> stages,
                      Timestamp created_at, Timestamp updated_at, std::int64_t version) {
            Pipeline p;
            p.id = id;
            p.name = std::move(name);
            p.stages = std::move(stages);
            p.created_at = created_at;
            p.updated_at = updated_at;
            p.version = version;
            return p;
          }),
          py::kw_only(), py::arg("id") = 0, py::arg("name") = "",
          py::arg("stages") = std::vector<Stage>{}, py::arg("created_at") = Timestamp{},
          py::arg("updated_at") = Timestamp{}, py::arg("version") = 0,
          "Every field is optional, with the C++ defaults.");
  value_field(cls, "id", &Pipeline::id, "Assigned by the store on insert (int; 0 = not yet).");
  value_field(cls, "name", &Pipeline::name, "Display name, e.g. ``New business``.");
  value_field(cls, "stages", &Pipeline::stages,
              "The stages, in order (list of ``Stage``; a copy: assign a whole list).");
  value_field(cls, "created_at", &Pipeline::created_at, "When it was created (aware UTC datetime).");
  value_field(cls, "updated_at", &Pipeline::updated_at, "When it last changed (aware UTC datetime).");
  value_field(cls, "version", &Pipeline::version, "1 after insert.");
  cls.def(
      "find_stage",
      [](const Pipeline& p, std::string_view key) -> std::optional<Stage> {
        if (const Stage* s = p.find_stage(key)) return *s;
        return std::nullopt;
      },
      py::arg("key"), "The stage with ``key`` (a copy), or None.");
  cls.def("stage_index", &Pipeline::stage_index, py::arg("key"),
          "The position of the stage with ``key`` in ``stages``, or None.");
  cls.def(
      "first_open_stage",
      [](const Pipeline& p) -> std::optional<Stage> {
        if (const Stage* s = p.first_open_stage()) return *s;
        return std::nullopt;
      },
      "The first open stage (a copy), or None when there is none.");
  value_semantics(cls);
  cls.def(
      "__repr__",
      [](const Pipeline& p) {
        std::vector<std::string> keys;
        for (const Stage& s : p.stages) keys.push_back(s.key);
        return "Pipeline(id=" + std::to_string(p.id.value()) + ", name=" + repr_of(p.name) +
               ", stages=" + repr_of(keys) + ", version=" + std::to_string(p.version) + ")";
      },
      "The key fields (stages by key).");
}

void bind_deal(py::module_& domain) {
  py::class_<DealContact> contact(domain, "DealContact",
                                  "A contact person on a deal, with their role (e.g. "
                                  "``decision maker``).");
  contact.def(py::init([](CustomerId person, std::string role) {
                return DealContact{person, std::move(role)};
              }),
              py::kw_only(), py::arg("person") = 0, py::arg("role") = "",
              "``person`` is the customer id (int) of a customer of kind person.");
  value_field(contact, "person", &DealContact::person, "A customer of kind person (int id).");
  value_field(contact, "role", &DealContact::role, "May be empty.");
  value_semantics(contact);
  contact.def(
      "__repr__",
      [](const DealContact& c) {
        return "DealContact(person=" + std::to_string(c.person.value()) + ", role=" +
               repr_of(c.role) + ")";
      },
      "The fields.");

  py::class_<StageChange> change(domain, "StageChange", R"doc(One move of a deal between stages.

The first entry of a history has no ``from_``: it records the stage the deal was opened in. (The
C++ field ``from`` is ``from_`` in Python, ``from`` being a keyword.))doc");
  change.def(py::init([](std::optional<std::string> from, std::string to, Timestamp at,
                         std::string by, std::string note) {
               return StageChange{std::move(from), std::move(to), at, std::move(by),
                                  std::move(note)};
             }),
             py::kw_only(), py::arg("from_") = py::none(), py::arg("to") = "",
             py::arg("at") = Timestamp{}, py::arg("by") = "", py::arg("note") = "",
             "Every field is optional, with the C++ defaults.");
  value_field(change, "from_", &StageChange::from,
              "The stage left (None for the opening entry).");
  value_field(change, "to", &StageChange::to, "The stage entered.");
  value_field(change, "at", &StageChange::at, "When (aware UTC datetime).");
  value_field(change, "by", &StageChange::by, "Who made the move.");
  value_field(change, "note", &StageChange::note,
              "The lost reason for moves into a lost stage, else free text.");
  value_semantics(change);
  change.def(
      "__repr__",
      [](const StageChange& c) {
        return "StageChange(from_=" + repr_of(c.from) + ", to=" + repr_of(c.to) +
               ", at=" + repr_of(format_timestamp(c.at)) + ", by=" + repr_of(c.by) + ")";
      },
      "The key fields, the time in ISO 8601.");

  py::class_<Deal> cls(domain, "Deal", R"doc(A sales opportunity with one customer, in one stage of one pipeline.

Rules (``validate(deal, pipeline)``): stage exists in the pipeline; title non-empty (at most 200
bytes); amount >= 0; probability override in [0, 1]; a lost deal has a lost reason and ``lost_at``;
a won deal has ``won_at``; an open deal has neither; history is non-empty, ordered in time, chained
(``from_`` of each entry is the previous ``to``) and ends in ``stage``.

Fields are values: ``d.history`` and ``d.contacts`` are copies; assign a whole list to change them.)doc");
  cls.def(py::init([](DealId id, PipelineId pipeline, std::string stage, CustomerId customer,
                      std::vector<DealContact> contacts, std::string title, Money amount,
                      std::optional<double> probability, std::optional<Date> expected_close,
                      std::string owner, std::string lost_reason, std::optional<Timestamp> won_at,
                      std::optional<Timestamp> lost_at, std::vector<StageChange> history,
                      std::optional<std::string> external_ref, Timestamp created_at,
                      Timestamp updated_at, std::int64_t version) {
            Deal d;
            d.id = id;
            d.pipeline = pipeline;
            d.stage = std::move(stage);
            d.customer = customer;
            d.contacts = std::move(contacts);
            d.title = std::move(title);
            d.amount = amount;
            d.probability = probability;
            d.expected_close = expected_close;
            d.owner = std::move(owner);
            d.lost_reason = std::move(lost_reason);
            d.won_at = won_at;
            d.lost_at = lost_at;
            d.history = std::move(history);
            d.external_ref = std::move(external_ref);
            d.created_at = created_at;
            d.updated_at = updated_at;
            d.version = version;
            return d;
          }),
          py::kw_only(), py::arg("id") = 0, py::arg("pipeline") = 0, py::arg("stage") = "",
          py::arg("customer") = 0, py::arg("contacts") = std::vector<DealContact>{},
          py::arg("title") = "", py::arg("amount") = Money{},
          py::arg("probability") = py::none(), py::arg("expected_close") = py::none(),
          py::arg("owner") = "", py::arg("lost_reason") = "", py::arg("won_at") = py::none(),
          py::arg("lost_at") = py::none(), py::arg("history") = std::vector<StageChange>{},
          py::arg("external_ref") = py::none(), py::arg("created_at") = Timestamp{},
          py::arg("updated_at") = Timestamp{}, py::arg("version") = 0,
          "Every field is optional, with the C++ defaults. Nothing is validated here: call "
          "``validate(deal, pipeline)`` or store it through the Crm facade.");
  value_field(cls, "id", &Deal::id, "Assigned by the store on insert (int; 0 = not yet).");
  value_field(cls, "pipeline", &Deal::pipeline, "The pipeline it moves through (int id).");
  value_field(cls, "stage", &Deal::stage, "Key of its current stage.");
  value_field(cls, "customer", &Deal::customer,
              "The customer (person or organization) buying (int id).");
  value_field(cls, "contacts", &Deal::contacts,
              "Contact persons with roles (list of ``DealContact``; a copy: assign a whole list).");
  value_field(cls, "title", &Deal::title, "Display title.");
  value_field(cls, "amount", &Deal::amount, "Expected value (``Money``).");
  value_field(cls, "probability", &Deal::probability,
              "Manual override of the stage's probability, in [0, 1]; None to use the stage's.");
  value_field(cls, "expected_close", &Deal::expected_close,
              "Expected close date (``datetime.date``), or None.");
  value_field(cls, "owner", &Deal::owner, "User who owns the deal.");
  value_field(cls, "lost_reason", &Deal::lost_reason, "Why it was lost (lost deals only).");
  value_field(cls, "won_at", &Deal::won_at, "When it was won, or None.");
  value_field(cls, "lost_at", &Deal::lost_at, "When it was lost, or None.");
  value_field(cls, "history", &Deal::history,
              "Every stage change, oldest first (list of ``StageChange``; a copy: assign a whole "
              "list).");
  value_field(cls, "external_ref", &Deal::external_ref, "The host system's key, or None.");
  value_field(cls, "created_at", &Deal::created_at, "When it was opened (aware UTC datetime).");
  value_field(cls, "updated_at", &Deal::updated_at, "When it last changed (aware UTC datetime).");
  value_field(cls, "version", &Deal::version, "1 after insert.");
  cls.def("effective_probability", &Deal::effective_probability, py::arg("stages_of"),
          "The probability used for weighting: the override when set, else the stage's default "
          "(0 when the stage is not in ``stages_of``, the deal's pipeline).");
  cls.def("stage_entered_at", &Deal::stage_entered_at,
          "When the deal entered its current stage (the last history entry), or ``created_at``.");
  value_semantics(cls);
  cls.def(
      "__repr__",
      [](const Deal& d) {
        return "Deal(id=" + std::to_string(d.id.value()) + ", title=" + repr_of(d.title) +
               ", pipeline=" + std::to_string(d.pipeline.value()) + ", stage=" + repr_of(d.stage) +
               ", customer=" + std::to_string(d.customer.value()) + ", amount=" +
               repr_of(d.amount) + ", won_at=" + optional_time(d.won_at) +
               ", lost_at=" + optional_time(d.lost_at) + ", version=" +
               std::to_string(d.version) + ")";
      },
      "The key fields.");
}

}  // namespace

void init_domain_deal(py::module_& domain) {
  bind_stage(domain);
  bind_pipeline(domain);
  bind_deal(domain);
}

}  // namespace crmkit::python
