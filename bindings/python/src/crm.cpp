// crmkit._crmkit.crm: the Crm facade, its transactions, domain events with Python subscribers,
// timelines and pipeline metrics.
//
// Threads and the GIL: every Crm call releases the GIL (the store serializes callers on a lock that
// a transaction holds, see storage.cpp); Python code that C++ calls back (event handlers, the clock)
// takes the GIL again for the time of the call.
#include "bindings.hpp"
// (bindings.hpp first)
#include "support.hpp"

#include <pybind11/operators.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace crmkit::python {

namespace {

/// An EventHandler over a Python callable. As in C++, a subscriber's failure must not undo or fail
/// the write that was already committed, nor stop the other subscribers: an exception raised by
/// the callable is reported through sys.unraisablehook (like an exception in __del__) and dropped.
struct PythonHandler {
  PythonCallable callable;
  void operator()(const Event& event) const {
    py::gil_scoped_acquire gil;
    try {
      callable.get()(py::cast(event));
    } catch (py::error_already_set& error) {
      error.discard_as_unraisable(callable.get());
    }
  }
};

using CrmTransaction = PythonTransaction<Crm, Crm::Transaction>;

/// The first day of a month as a datetime.date, or None.
py::object month_to_python(const std::optional<std::chrono::year_month>& month) {
  if (!month) return py::none();
  return py::cast(Date(month->year(), month->month(), std::chrono::day(1)));
}

template <class E>
py::class_<E> bind_event(py::module_& m, const char* name, const char* doc) {
  return py::class_<E>(m, name, doc);
}

}  // namespace

void init_crm(py::module_& m) {
  // --- Events ----------------------------------------------------------------------------------
  bind_event<CustomerCreated>(m, "CustomerCreated", "Event: a customer was created.")
      .def_readonly("customer", &CustomerCreated::customer, "The stored record (a Customer).")
      .def("__repr__", [](py::object self) { return fields_repr(self, "CustomerCreated", {"customer"}); });
  bind_event<CustomerUpdated>(m, "CustomerUpdated",
                              "Event: a customer was changed (a restore from soft delete included).")
      .def_readonly("before", &CustomerUpdated::before, "The record before the change.")
      .def_readonly("customer", &CustomerUpdated::customer, "The stored record after it.")
      .def("__repr__",
           [](py::object self) { return fields_repr(self, "CustomerUpdated", {"before", "customer"}); });
  bind_event<CustomerDeleted>(m, "CustomerDeleted", "Event: a customer was soft-deleted.")
      .def_readonly("customer", &CustomerDeleted::customer,
                    "The stored record, with ``deleted_at`` set.")
      .def("__repr__", [](py::object self) { return fields_repr(self, "CustomerDeleted", {"customer"}); });
  bind_event<InteractionLogged>(m, "InteractionLogged", "Event: an interaction was logged.")
      .def_readonly("interaction", &InteractionLogged::interaction, "The stored record (an Interaction).")
      .def("__repr__",
           [](py::object self) { return fields_repr(self, "InteractionLogged", {"interaction"}); });
  bind_event<DealOpened>(m, "DealOpened", "Event: a deal was opened.")
      .def_readonly("deal", &DealOpened::deal, "The stored record (a Deal).")
      .def("__repr__", [](py::object self) { return fields_repr(self, "DealOpened", {"deal"}); });
  bind_event<DealStageChanged>(
      m, "DealStageChanged",
      "Event: a deal moved to another stage (including into won or lost stages, and reopening).")
      .def_readonly("deal", &DealStageChanged::deal, "The stored record after the move.")
      .def_readonly("change", &DealStageChanged::change,
                    "The history entry the move recorded (a StageChange).")
      .def("__repr__",
           [](py::object self) { return fields_repr(self, "DealStageChanged", {"deal", "change"}); });
  bind_event<DealWon>(m, "DealWon", "Event: a deal entered a won stage (published after its DealStageChanged).")
      .def_readonly("deal", &DealWon::deal, "The stored record.")
      .def("__repr__", [](py::object self) { return fields_repr(self, "DealWon", {"deal"}); });
  bind_event<DealLost>(m, "DealLost",
                       "Event: a deal entered a lost stage (published after its DealStageChanged).")
      .def_readonly("deal", &DealLost::deal, "The stored record.")
      .def("__repr__", [](py::object self) { return fields_repr(self, "DealLost", {"deal"}); });

  m.def(
      "event_name", [](const Event& event) { return std::string(event_name(event)); }, py::arg("event"),
      "The event's name in snake case, e.g. ``deal_stage_changed`` for a DealStageChanged.");

  py::class_<Subscription>(
      m, "Subscription",
      "Keeps a subscription alive: the handler is disconnected when the Subscription is "
      "garbage-collected or disconnect() is called. Keep a reference for as long as events should "
      "be delivered (``sub = crm.subscribe(f)``), or use it as a context manager: ``with "
      "crm.subscribe(f): ...`` disconnects at the end of the block. A Subscription may outlive its "
      "Crm.")
      .def("disconnect", &Subscription::disconnect,
           "Stops delivering events to the handler. Idempotent.")
      .def("unsubscribe", &Subscription::disconnect, "Same as disconnect().")
      .def_property_readonly("connected", &Subscription::connected,
                             "True while the handler is connected.")
      .def(
          "__enter__", [](py::object self) { return self; }, "Returns the subscription itself.")
      .def(
          "__exit__",
          [](Subscription& self, py::object, py::object, py::object) {
            self.disconnect();
            return false;
          },
          py::arg("exc_type"), py::arg("exc_value"), py::arg("traceback"), "Disconnects.")
      .def("__repr__", [](const Subscription& self) {
        return std::string("Subscription(connected=") + (self.connected() ? "True" : "False") + ")";
      });

  // --- Timeline --------------------------------------------------------------------------------
  bind_enum<TimelineKind>(m, "crmkit", "TimelineKind",
                          "What a timeline entry is. At equal times, entries order by kind in this "
                          "order.",
                          {{TimelineKind::interaction, "interaction"},
                           {TimelineKind::deal_event, "deal_event"},
                           {TimelineKind::purchase, "purchase"}});

  py::class_<DealEvent>(m, "DealEvent", "A stage change (or the opening) of a deal, as shown on a timeline.")
      .def_readonly("deal", &DealEvent::deal, "The deal id.")
      .def_readonly("title", &DealEvent::title, "The deal's title.")
      .def_readonly("category", &DealEvent::category, "Category (StageCategory) of the stage entered.")
      .def_readonly("change", &DealEvent::change, "The history entry (a StageChange).")
      .def_readonly("sequence", &DealEvent::sequence, "Index of the entry in the deal's history.")
      .def("__repr__", [](py::object self) {
        return fields_repr(self, "DealEvent", {"deal", "title", "category", "change", "sequence"});
      });

  py::class_<TimelineCursor>(
      m, "TimelineCursor",
      "Where a timeline page starts: entries strictly after this one in timeline order (time "
      "descending; then kind ascending; then id and sequence descending).")
      .def(py::init([](Timestamp at, TimelineKind kind, std::int64_t id, std::size_t sequence) {
             return TimelineCursor{at, kind, id, sequence};
           }),
           py::kw_only(), py::arg("at") = Timestamp{}, py::arg("kind") = TimelineKind::interaction,
           py::arg("id") = 0, py::arg("sequence") = 0, "A cursor; every argument is optional.")
      .def_readwrite("at", &TimelineCursor::at, "Time of the last entry returned.")
      .def_readwrite("kind", &TimelineCursor::kind, "Its TimelineKind.")
      .def_readwrite("id", &TimelineCursor::id, "Its record id (the deal id for deal events).")
      .def_readwrite("sequence", &TimelineCursor::sequence,
                     "History index for deal events, else 0.")
      .def(
          "__eq__",
          [](const TimelineCursor& a, const TimelineCursor& b) {
            return a.at == b.at && a.kind == b.kind && a.id == b.id && a.sequence == b.sequence;
          },
          py::is_operator(), "Field-wise equality.")
      .def("__repr__", [](py::object self) {
        return fields_repr(self, "TimelineCursor", {"at", "kind", "id", "sequence"});
      });

  py::class_<TimelineEntry>(m, "TimelineEntry", "One entry of a timeline.")
      .def_readonly("at", &TimelineEntry::at, "When it happened.")
      .def_readonly("kind", &TimelineEntry::kind, "Which type `item` is (TimelineKind).")
      .def_property_readonly(
          "item",
          [](const TimelineEntry& self) {
            return std::visit([](const auto& item) { return py::cast(item); }, self.item);
          },
          "The record: an Interaction, a DealEvent or a Purchase (a copy).")
      .def("summary", &TimelineEntry::summary,
           "A one-line description, e.g. ``email inbound \"Re: quote\" (completed)``, ``deal "
           "\"ACME renewal\" qualified -> won`` or ``purchase 120.50 EUR order A-1001``.")
      .def("cursor", &TimelineEntry::cursor, "The TimelineCursor that starts the page after this entry.")
      .def("__repr__", [](const TimelineEntry& self) {
        return "TimelineEntry(at=" + format_timestamp(self.at) + ", " + py::repr(py::str(self.summary())).cast<std::string>() + ")";
      });

  py::class_<TimelineRequest>(m, "TimelineRequest", "What page of a timeline to read.")
      .def(py::init([](std::optional<TimelineCursor> before, std::size_t limit) {
             return TimelineRequest{before, limit};
           }),
           py::kw_only(), py::arg("before") = py::none(), py::arg("limit") = 50,
           "A request; every argument is optional.")
      .def_readwrite("before", &TimelineRequest::before,
                     "Start after this entry (a TimelineCursor); None for the newest.")
      .def_readwrite("limit", &TimelineRequest::limit, "1 to max_page_size (default 50).")
      .def("__repr__", [](py::object self) { return fields_repr(self, "TimelineRequest", {"before", "limit"}); });

  py::class_<TimelinePage>(m, "TimelinePage", "A page of a timeline.")
      .def_readonly("entries", &TimelinePage::entries, "The TimelineEntry list, newest first.")
      .def_readonly("next", &TimelinePage::next,
                    "Where the next page starts (a TimelineCursor for TimelineRequest.before); None "
                    "on the last page.")
      .def("__len__", [](const TimelinePage& self) { return self.entries.size(); }, "Number of entries.")
      .def(
          "__iter__", [](const TimelinePage& self) { return py::iter(py::cast(self.entries)); },
          "Iterates over the entries.")
      .def("__repr__", [](py::object self) {
        return "TimelinePage(entries=<" + std::to_string(self.cast<const TimelinePage&>().entries.size()) +
               " entries>, next=" + py::repr(self.attr("next")).cast<std::string>() + ")";
      });

  // --- Pipeline metrics ------------------------------------------------------------------------
  py::class_<PipelineValue>(m, "PipelineValue", "Open-deal value of a pipeline in one currency.")
      .def_readonly("currency", &PipelineValue::currency, "The currency of both sums.")
      .def_readonly("total", &PipelineValue::total, "Sum of the open deals' amounts (Money).")
      .def_readonly("weighted", &PipelineValue::weighted,
                    "Sum of amount × effective probability, each rounded half to even (Money).")
      .def_readonly("open_deals", &PipelineValue::open_deals, "Number of open deals counted.")
      .def("__repr__", [](py::object self) {
        return fields_repr(self, "PipelineValue", {"currency", "total", "weighted", "open_deals"});
      });
  py::class_<CloseMonthValue>(m, "CloseMonthValue",
                              "Open-deal value expected to close in one month, in one currency.")
      .def_property_readonly(
          "month", [](const CloseMonthValue& self) { return month_to_python(self.month); },
          "Expected close month, as the datetime.date of its first day; None for deals without a "
          "date.")
      .def_readonly("currency", &CloseMonthValue::currency, "The currency of both sums.")
      .def_readonly("total", &CloseMonthValue::total, "Sum of amounts (Money).")
      .def_readonly("weighted", &CloseMonthValue::weighted, "Sum of weighted amounts (Money).")
      .def_readonly("open_deals", &CloseMonthValue::open_deals, "Number of open deals counted.")
      .def("__repr__", [](py::object self) {
        return fields_repr(self, "CloseMonthValue", {"month", "currency", "total", "weighted", "open_deals"});
      });
  py::class_<StageTime>(m, "StageTime", "Time a deal spent in one stage, over all its visits.")
      .def_readonly("stage", &StageTime::stage, "The stage key.")
      .def_readonly("time", &StageTime::time, "Total time in the stage (datetime.timedelta).")
      .def_readonly("visits", &StageTime::visits, "How many times the deal entered it.")
      .def("__repr__", [](py::object self) { return fields_repr(self, "StageTime", {"stage", "time", "visits"}); });
  py::class_<StageTimeSummary>(m, "StageTimeSummary",
                               "Average time deals of a pipeline spent in one stage.")
      .def_readonly("stage", &StageTimeSummary::stage, "The stage key, in pipeline order.")
      .def_readonly("mean", &StageTimeSummary::mean,
                    "Mean total time per deal that visited the stage (datetime.timedelta).")
      .def_readonly("deals", &StageTimeSummary::deals, "Deals that visited the stage.")
      .def("__repr__", [](py::object self) {
        return fields_repr(self, "StageTimeSummary", {"stage", "mean", "deals"});
      });

  m.def(
      "weighted_value",
      [](const std::vector<Deal>& deals, const Pipeline& pipeline) { return weighted_value(deals, pipeline); },
      py::arg("deals"), py::arg("pipeline"), release_gil,
      "Weighted value of the open deals among `deals` that belong to `pipeline`, one PipelineValue "
      "per currency (sorted by code). Closed deals and deals of other pipelines are skipped.");
  m.def(
      "weighted_value_by_close_month",
      [](const std::vector<Deal>& deals, const Pipeline& pipeline) {
        return weighted_value_by_close_month(deals, pipeline);
      },
      py::arg("deals"), py::arg("pipeline"), release_gil,
      "Like weighted_value(), grouped by expected close month (deals without a date last) and "
      "currency: a list of CloseMonthValue.");
  m.def("time_in_stage", &time_in_stage, py::arg("deal"), py::arg("now"), release_gil,
        "Time the deal spent in each stage it visited (a list of StageTime, in the order first "
        "visited), from its history; the current stage counts up to `now` unless the deal is closed "
        "(won or lost), when it counts up to the close time.");
  m.def(
      "average_time_in_stage",
      [](const std::vector<Deal>& deals, const Pipeline& pipeline, Timestamp now) {
        return average_time_in_stage(deals, pipeline, now);
      },
      py::arg("deals"), py::arg("pipeline"), py::arg("now"), release_gil,
      "Mean time in each stage of `pipeline` over `deals` of that pipeline (a list of "
      "StageTimeSummary in pipeline order; stages no deal visited are listed with 0 deals).");
  m.def("is_rotting", &is_rotting, py::arg("deal"), py::arg("pipeline"), py::arg("now"),
        "True when an open deal has sat in its current stage longer than the stage's "
        "``rotting_days`` (False for closed deals and stages without a threshold).");

  // --- The facade ------------------------------------------------------------------------------
  py::class_<MoveOptions>(m, "MoveOptions", "How a deal moves to another stage (Crm.move_deal).")
      .def(py::init([](std::string by, std::string lost_reason, std::optional<Timestamp> at) {
             return MoveOptions{std::move(by), std::move(lost_reason), at};
           }),
           py::kw_only(), py::arg("by") = "", py::arg("lost_reason") = "", py::arg("at") = py::none(),
           "Options; every argument is optional.")
      .def_readwrite("by", &MoveOptions::by, "Who moves it (recorded in the history).")
      .def_readwrite("lost_reason", &MoveOptions::lost_reason,
                     "Required when the target stage is a lost stage.")
      .def_readwrite("at", &MoveOptions::at,
                     "When; None (default) means the clock's now; not before the last move.")
      .def("__repr__", [](py::object self) { return fields_repr(self, "MoveOptions", {"by", "lost_reason", "at"}); });

  py::class_<Crm, std::shared_ptr<Crm>> crm(
      m, "Crm",
      "The operational CRM over a Store: validates every write (types, references, transitions), "
      "stamps times and versions, records stage history, builds timelines and pipeline figures, and "
      "publishes domain events.\n\n"
      "A Crm may be shared between threads when its store may (the built-in ones can); every call "
      "releases the GIL. Events of a write are published when the write commits: at once for a lone "
      "call, at commit of the enclosing Crm.Transaction otherwise (and never when it rolls back).");

  py::class_<CrmTransaction> transaction_class(
      crm, "Transaction",
      "A transaction over several facade calls made on this thread: their writes commit together, "
      "and their events are published only at commit. Use it as a context manager::\n\n"
      "    with crm.transaction():\n"
      "        acme = crm.create_customer(organization)\n"
      "        crm.create_customer(person)   # both stored, then both events published\n\n"
      "The block commits when it ends normally and rolls back when it raises (the exception goes on). "
      "Nested ones are savepoints. A transaction garbage-collected while active rolls back. End it "
      "on the thread that began it; it keeps its Crm alive.");
  def_transaction_methods(
      transaction_class, "Crm.Transaction", [](Crm& owner) { return owner.store().backend(); },
      {"Commits the writes, then publishes their events. Raises StorageError (kind "
       "``transaction``) when no longer active, or as the backend raises.",
       "Discards the writes and their events; does nothing when no longer active.",
       "Commits when the block ended normally (publishing the events), rolls back when it "
       "raised; never swallows the exception."});
  transaction_class.def("__repr__", [](const CrmTransaction& self) {
    return std::string("Crm.Transaction(active=") + (self.transaction.active() ? "True" : "False") + ")";
  });

  crm.def(py::init([](std::shared_ptr<storage::Store> store, std::optional<py::function> clock,
                      std::string default_region) {
            CrmOptions options;
            if (clock) options.clock = PythonClock{PythonCallable(std::move(*clock))};
            options.default_region = std::move(default_region);
            return std::make_shared<Crm>(std::move(store), std::move(options));
          }),
          py::arg("store"), py::kw_only(), py::arg("clock") = py::none(),
          py::arg("default_region") = "", py::keep_alive<1, 2>(),
          "Works on `store` (a Store, shared: the Crm keeps it alive).\n\n"
          "`clock`: a callable without arguments returning the current time as a timezone-aware "
          "datetime; it stamps created/updated times and stage changes (None: the system clock, "
          "crmkit.now). Pass your own for deterministic tests and replays; it is called with the "
          "GIL held, and an exception it raises fails the call that needed the time.\n\n"
          "`default_region`: ISO 3166 alpha-2 region used to read national phone numbers in "
          "find_by_phone(), e.g. ``FR``; empty: numbers must be international.\n\n"
          "Raises ValidationError when `store` is None (field ``store``) or `default_region` is not "
          "a known region (field ``options.default_region``).")
      .def_property_readonly(
          "store", [](Crm& self) { return py::cast(&self.store(), py::return_value_policy::reference); },
          "The underlying Store (the object given to the constructor).")
      .def(
          "transaction",
          [](std::shared_ptr<Crm> self) {
            return begin_transaction<CrmTransaction>(std::move(self), [](Crm& c) { return c.transaction(); });
          },
          "Begins a Crm.Transaction on this thread (nested ones are savepoints); use it in a "
          "``with`` block.")
      // Customers
      .def("create_customer", &Crm::create_customer, py::arg("customer"), release_gil,
           "Creates a customer and returns the stored record: validates it, makes the first entry "
           "of a non-empty email/phone/address list primary when none is, stamps ``created_at`` "
           "and ``updated_at`` with the clock, and stores it (the argument is not changed). Raises "
           "ValidationError, or ConflictError when the external ref is taken.")
      .def("update_customer", &Crm::update_customer, py::arg("customer"), release_gil,
           "Saves changes to a customer; ``customer.version`` must be the stored one "
           "(ConflictError). ``created_at`` and ``deleted_at`` are kept from the stored record. "
           "Raises NotFoundError, ValidationError, ConflictError.")
      .def("customer", &Crm::customer, py::arg("id"), release_gil,
           "The customer with `id`; NotFoundError when there is none.")
      .def("find_customer", &Crm::find_customer, py::arg("id"), release_gil,
           "The customer with `id`, or None.")
      .def("find_by_email", &Crm::find_by_email, py::arg("email"), release_gil,
           "Customers (not deleted) with this email, case-insensitively. ValidationError (field "
           "``email``) for a malformed address.")
      .def("find_by_phone", &Crm::find_by_phone, py::arg("phone"), release_gil,
           "Customers (not deleted) with this phone, read with the default region. ValidationError "
           "(field ``phone``) for text that is not a number.")
      .def("find_by_external_ref", &Crm::find_by_external_ref, py::arg("external_ref"), release_gil,
           "The customer with this external reference (even soft-deleted), or None.")
      .def("customers", &Crm::customers, py::arg("query") = storage::CustomerQuery{}, release_gil,
           "A CustomerPage of customers matching `query` (a CustomerQuery; default: the first 100 "
           "live customers).")
      .def("delete_customer", &Crm::delete_customer, py::arg("id"), release_gil,
           "Soft-deletes: sets ``deleted_at`` and returns the stored record. NotFoundError; "
           "ValidationError (field ``customer.id``) when already deleted.")
      .def("restore_customer", &Crm::restore_customer, py::arg("id"), release_gil,
           "Clears ``deleted_at`` and returns the stored record. NotFoundError; ValidationError when "
           "not deleted.")
      // Interactions and timeline
      .def("log_interaction", &Crm::log_interaction, py::arg("interaction"), release_gil,
           "Logs an interaction and returns the stored record; its customers must exist and not be "
           "deleted, its deal exist. ``occurred_at`` defaults to now when unset (the epoch). Raises "
           "ValidationError.")
      .def("interactions", &Crm::interactions, py::arg("customer"), py::arg("before") = py::none(),
           py::arg("limit") = 50, release_gil,
           "An InteractionPage of one customer's interactions, newest first; pass the previous "
           "page's ``next`` (a TimeKey) as `before`. NotFoundError for an unknown customer.")
      .def("timeline", &Crm::timeline, py::arg("customer"), py::arg("request") = TimelineRequest{},
           release_gil,
           "A TimelinePage of the customer's timeline: interactions, deal events and purchases "
           "merged, newest first. Reads only about one page from each source, however long the "
           "history. NotFoundError for an unknown customer; ValidationError (field ``limit``) for a "
           "bad limit.")
      // Pipelines and deals
      .def("create_pipeline", &Crm::create_pipeline, py::arg("pipeline"), release_gil,
           "Creates a pipeline and returns the stored record. Raises ValidationError.")
      .def("pipeline", &Crm::pipeline, py::arg("id"), release_gil,
           "The pipeline with `id`; NotFoundError when there is none.")
      .def("pipelines", &Crm::pipelines, release_gil, "Every pipeline, by id.")
      .def("open_deal", &Crm::open_deal, py::arg("deal"), py::arg("by") = "", release_gil,
           "Opens a deal and returns the stored record. An empty ``stage`` means the pipeline's "
           "first open stage. The history starts with an entry (no ``from``) by `by`; opening "
           "straight into a won or lost stage follows move rules. The customer must exist and not "
           "be deleted; contacts must be persons. Raises ValidationError, NotFoundError (pipeline).")
      .def("update_deal", &Crm::update_deal, py::arg("deal"), release_gil,
           "Saves changes to a deal's own fields (title, amount, probability override, expected "
           "close, owner, contacts, external ref). Stage, history and close fields change only "
           "through move_deal(). Raises NotFoundError, ValidationError, ConflictError.")
      .def("move_deal", &Crm::move_deal, py::arg("id"), py::arg("to_stage"),
           py::arg("options") = MoveOptions{}, release_gil,
           "Moves a deal to `to_stage`, recording the change (`options`: a MoveOptions), and returns "
           "the stored record. Into a lost stage: needs a lost reason, sets ``lost_at``. Into a won "
           "stage: sets probability 1 and ``won_at``. Back to an open stage from a closed one "
           "(reopening): clears the close fields and the probability override. Raises "
           "NotFoundError, ValidationError (unknown or same stage, missing reason, time before the "
           "last move), ConflictError.")
      .def("deal", &Crm::deal, py::arg("id"), release_gil,
           "The deal with `id`; NotFoundError when there is none.")
      .def("deals", &Crm::deals, py::arg("query") = storage::DealQuery{}, release_gil,
           "A DealPage of deals matching `query` (a DealQuery).")
      .def("weighted_value", &Crm::weighted_value, py::arg("pipeline"), release_gil,
           "Weighted value of a pipeline's open deals, one PipelineValue per currency. "
           "NotFoundError for an unknown pipeline.")
      .def("weighted_value_by_close_month", &Crm::weighted_value_by_close_month,
           py::arg("pipeline"), release_gil,
           "Weighted value of a pipeline's open deals per expected close month and currency (a list "
           "of CloseMonthValue). NotFoundError.")
      .def("time_in_stage", &Crm::time_in_stage, py::arg("deal"), release_gil,
           "Time a deal spent in each stage, up to now (a list of StageTime). NotFoundError.")
      .def("average_time_in_stage", &Crm::average_time_in_stage, py::arg("pipeline"), release_gil,
           "Mean time in each stage over a pipeline's deals, up to now (a list of "
           "StageTimeSummary). NotFoundError.")
      // Purchases
      .def("record_purchase", &Crm::record_purchase, py::arg("purchase"), release_gil,
           "Records one purchase and returns the stored record. Raises ValidationError.")
      .def(
          "record_purchases",
          [](Crm& self, const py::sequence& purchases) {
            auto values = copy_sequence<Purchase>(purchases, "purchases", "Purchase");
            {
              py::gil_scoped_release release;
              self.record_purchases(values);
            }
            for (std::size_t i = 0; i < values.size(); ++i) {
              purchases[i].cast<Purchase&>().id = values[i].id;
            }
          },
          py::arg("purchases"),
          "Records purchases (a sequence of Purchase) in bulk, all or nothing, and sets the ``id`` "
          "of each given object in place. Raises ValidationError (field ``purchases[i]....``).")
      .def(
          "subscribe",
          [](Crm& self, py::function handler) {
            return self.subscribe(PythonHandler{PythonCallable(std::move(handler))});
          },
          py::arg("handler"),
          "Subscribes `handler` (a callable taking one event: CustomerCreated, CustomerUpdated, "
          "CustomerDeleted, InteractionLogged, DealOpened, DealStageChanged, DealWon or DealLost) "
          "to every event; returns the Subscription, which must be kept alive as long as the "
          "handler should run. Handlers run on the thread that made the change, after it "
          "committed, in subscription order, with the GIL held. As in C++, an exception a handler "
          "raises does not fail the (committed) write nor stop the other handlers: it is reported "
          "through sys.unraisablehook and dropped.")
      .def("__repr__", [](Crm& self) {
        return "<crmkit.Crm store=" + py::repr(py::cast(&self.store(), py::return_value_policy::reference)).cast<std::string>() + ">";
      });
}

}  // namespace crmkit::python
