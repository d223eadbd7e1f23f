// crmkit._crmkit.storage: the Store interface and its backends (memory, SQLite), open() by URI, the
// query and page types, and transactions as context managers.
//
// Every Store call releases the GIL: a store serializes its callers on a lock that a Transaction
// holds from begin() to its end, so a thread that waited for that lock with the GIL held would
// block the very thread that has to finish the transaction.
#include "bindings.hpp"
// (bindings.hpp first)
#include "support.hpp"

#include <pybind11/numpy.h>
#include <pybind11/operators.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace crmkit::python {

namespace {

using storage::Store;

using StoreTransaction = PythonTransaction<Store, storage::Transaction>;

/// Binds a keyset page type: its items (a list copy), its cursor, len() and iteration.
template <class Page>
void bind_page(py::module_& m, const char* name, const char* doc, const char* cursor_doc) {
  py::class_<Page>(m, name, doc)
      .def(py::init([](std::vector<typename decltype(Page::items)::value_type> items,
                       decltype(Page::next) next) { return Page{std::move(items), std::move(next)}; }),
           py::kw_only(), py::arg("items") = py::list(), py::arg("next") = py::none(),
           "A page holding `items`, with the cursor `next` (None on the last page).")
      .def_readwrite("items", &Page::items,
                     "The records, in the list's order (a list copy: assign a whole list to change it).")
      .def_readwrite("next", &Page::next, cursor_doc)
      .def("__len__", [](const Page& page) { return page.items.size(); }, "Number of records on the page.")
      .def(
          "__iter__", [](const Page& page) { return py::iter(py::cast(page.items)); },
          "Iterates over the records of the page.")
      .def("__repr__", [name](py::object self) {
        const auto& page = self.cast<const Page&>();
        return std::string(name) + "(items=<" + std::to_string(page.items.size()) +
               " records>, next=" + py::repr(self.attr("next")).cast<std::string>() + ")";
      });
}

/// A view of a PurchaseColumns column, kept valid by the Python object that owns it.
py::array_t<std::int64_t> column_view(py::object owner, const std::vector<std::int64_t>& column) {
  return py::array_t<std::int64_t>(static_cast<py::ssize_t>(column.size()), column.data(), owner);
}

}  // namespace

void init_storage(py::module_& m) {
  m.attr("max_page_size") = storage::max_page_size;

  bind_enum<storage::DealStatus>(
      m, "crmkit", "DealStatus",
      "Status of a deal, derived from its timestamps: won (``won_at`` set), lost (``lost_at`` set) or "
      "open.",
      {{storage::DealStatus::open, "open"},
       {storage::DealStatus::won, "won"},
       {storage::DealStatus::lost, "lost"}});

  m.def("status_of", &storage::status_of, py::arg("deal"),
        "The DealStatus a deal's timestamps give it: won when ``won_at`` is set, lost when "
        "``lost_at`` is set, else open.");

  // --- Queries, cursors and pages ------------------------------------------------------------
  py::class_<storage::TimeKey>(
      m, "TimeKey",
      "Keyset cursor of lists ordered newest first: a (time, id) pair; the next page holds the "
      "records strictly before it in (time descending, id descending) order.")
      .def(py::init([](Timestamp at, std::int64_t id) { return storage::TimeKey{at, id}; }),
           py::kw_only(), py::arg("at") = Timestamp{}, py::arg("id") = 0,
           "A cursor at time `at` (an aware datetime) and record id `id`.")
      .def_readwrite("at", &storage::TimeKey::at, "Time of the last record returned (UTC datetime).")
      .def_readwrite("id", &storage::TimeKey::id, "Id of the last record returned.")
      .def(py::self == py::self)
      .def(py::self != py::self)
      .def(py::self < py::self)
      .def(py::self <= py::self)
      .def(py::self > py::self)
      .def(py::self >= py::self)
      .def("__repr__", [](py::object self) { return fields_repr(self, "TimeKey", {"at", "id"}); });

  py::class_<storage::CustomerQuery>(
      m, "CustomerQuery",
      "Filters and cursor for listing customers, ordered by id ascending. Filters combine with AND; "
      "None means no filter.")
      .def(py::init([](std::optional<std::string> owner, std::optional<std::string> tag,
                       std::optional<LifecycleStage> lifecycle, std::optional<CustomerKind> kind,
                       std::optional<Timestamp> updated_since, bool include_deleted,
                       std::optional<CustomerId> after, std::size_t limit) {
             return storage::CustomerQuery{std::move(owner), std::move(tag), lifecycle, kind,
                                           updated_since, include_deleted, after, limit};
           }),
           py::kw_only(), py::arg("owner") = py::none(), py::arg("tag") = py::none(),
           py::arg("lifecycle") = py::none(), py::arg("kind") = py::none(),
           py::arg("updated_since") = py::none(), py::arg("include_deleted") = false,
           py::arg("after") = py::none(), py::arg("limit") = 100,
           "A query; every argument is optional (see the attributes).")
      .def_readwrite("owner", &storage::CustomerQuery::owner, "Only records with this owner.")
      .def_readwrite("tag", &storage::CustomerQuery::tag, "Only records carrying this tag.")
      .def_readwrite("lifecycle", &storage::CustomerQuery::lifecycle,
                     "Only records in this LifecycleStage.")
      .def_readwrite("kind", &storage::CustomerQuery::kind, "Only persons or only organizations.")
      .def_readwrite("updated_since", &storage::CustomerQuery::updated_since,
                     "Only records with ``updated_at >= updated_since``.")
      .def_readwrite("include_deleted", &storage::CustomerQuery::include_deleted,
                     "Also soft-deleted records (default False).")
      .def_readwrite("after", &storage::CustomerQuery::after,
                     "Cursor: only ids greater than this (pass the previous page's ``next``).")
      .def_readwrite("limit", &storage::CustomerQuery::limit,
                     "Page size, 1 to max_page_size (default 100); outside: ValidationError.")
      .def("__repr__", [](py::object self) {
        return fields_repr(self, "CustomerQuery", {"owner", "tag", "lifecycle", "kind", "updated_since",
                                                   "include_deleted", "after", "limit"});
      });

  py::class_<storage::InteractionQuery>(
      m, "InteractionQuery",
      "Filters and cursor for listing interactions, newest first (occurred_at, then id, "
      "descending).")
      .def(py::init([](std::optional<CustomerId> customer, std::optional<DealId> deal,
                       std::optional<Timestamp> since, std::optional<storage::TimeKey> before,
                       std::size_t limit) {
             return storage::InteractionQuery{customer, deal, since, before, limit};
           }),
           py::kw_only(), py::arg("customer") = py::none(), py::arg("deal") = py::none(),
           py::arg("since") = py::none(), py::arg("before") = py::none(), py::arg("limit") = 100,
           "A query; every argument is optional (see the attributes).")
      .def_readwrite("customer", &storage::InteractionQuery::customer,
                     "Only interactions involving this customer id.")
      .def_readwrite("deal", &storage::InteractionQuery::deal, "Only interactions about this deal id.")
      .def_readwrite("since", &storage::InteractionQuery::since, "Only ``occurred_at >= since``.")
      .def_readwrite("before", &storage::InteractionQuery::before,
                     "Cursor (a TimeKey): only records strictly before it.")
      .def_readwrite("limit", &storage::InteractionQuery::limit,
                     "Page size, 1 to max_page_size (default 100).")
      .def("__repr__", [](py::object self) {
        return fields_repr(self, "InteractionQuery", {"customer", "deal", "since", "before", "limit"});
      });

  py::class_<storage::DealQuery>(m, "DealQuery",
                                 "Filters and cursor for listing deals, ordered by id ascending.")
      .def(py::init([](std::optional<PipelineId> pipeline, std::optional<std::string> stage,
                       std::optional<CustomerId> customer, std::optional<std::string> owner,
                       std::optional<storage::DealStatus> status, std::optional<DealId> after,
                       std::size_t limit) {
             return storage::DealQuery{pipeline, std::move(stage), customer, std::move(owner),
                                       status,   after,            limit};
           }),
           py::kw_only(), py::arg("pipeline") = py::none(), py::arg("stage") = py::none(),
           py::arg("customer") = py::none(), py::arg("owner") = py::none(),
           py::arg("status") = py::none(), py::arg("after") = py::none(), py::arg("limit") = 100,
           "A query; every argument is optional (see the attributes).")
      .def_readwrite("pipeline", &storage::DealQuery::pipeline, "Only deals of this pipeline id.")
      .def_readwrite("stage", &storage::DealQuery::stage, "Only deals in this stage key.")
      .def_readwrite("customer", &storage::DealQuery::customer,
                     "Only deals of this customer id (not as a contact).")
      .def_readwrite("owner", &storage::DealQuery::owner, "Only deals with this owner.")
      .def_readwrite("status", &storage::DealQuery::status, "Only open, won or lost deals (DealStatus).")
      .def_readwrite("after", &storage::DealQuery::after, "Cursor: only ids greater than this.")
      .def_readwrite("limit", &storage::DealQuery::limit, "Page size, 1 to max_page_size (default 100).")
      .def("__repr__", [](py::object self) {
        return fields_repr(self, "DealQuery",
                           {"pipeline", "stage", "customer", "owner", "status", "after", "limit"});
      });

  py::class_<storage::PurchaseQuery>(
      m, "PurchaseQuery",
      "Filters and cursor for listing purchases, newest first (occurred_at, then id, descending).")
      .def(py::init([](std::optional<CustomerId> customer, std::optional<Timestamp> since,
                       std::optional<storage::TimeKey> before, std::size_t limit) {
             return storage::PurchaseQuery{customer, since, before, limit};
           }),
           py::kw_only(), py::arg("customer") = py::none(), py::arg("since") = py::none(),
           py::arg("before") = py::none(), py::arg("limit") = 100,
           "A query; every argument is optional (see the attributes).")
      .def_readwrite("customer", &storage::PurchaseQuery::customer, "Only this customer's purchases.")
      .def_readwrite("since", &storage::PurchaseQuery::since, "Only ``occurred_at >= since``.")
      .def_readwrite("before", &storage::PurchaseQuery::before,
                     "Cursor (a TimeKey): only records strictly before it.")
      .def_readwrite("limit", &storage::PurchaseQuery::limit,
                     "Page size, 1 to max_page_size (default 100).")
      .def("__repr__", [](py::object self) {
        return fields_repr(self, "PurchaseQuery", {"customer", "since", "before", "limit"});
      });

  bind_page<storage::CustomerPage>(m, "CustomerPage", "A page of customers, by id; the cursor is the last id.",
                                   "Where the next page starts (pass it as ``CustomerQuery.after``); "
                                   "None on the last page.");
  bind_page<storage::InteractionPage>(
      m, "InteractionPage", "A page of interactions, newest first; the cursor is a TimeKey.",
      "Where the next page starts (pass it as ``before``); None on the last page.");
  bind_page<storage::DealPage>(m, "DealPage", "A page of deals, by id; the cursor is the last id.",
                               "Where the next page starts (pass it as ``DealQuery.after``); None on "
                               "the last page.");
  bind_page<storage::PurchasePage>(
      m, "PurchasePage", "A page of purchases, newest first; the cursor is a TimeKey.",
      "Where the next page starts (pass it as ``PurchaseQuery.before``); None on the last page.");

  py::class_<storage::PurchaseScan>(
      m, "PurchaseScan",
      "What a column scan of purchases reads. Without `currency`, every purchase in range must share "
      "one currency, or the scan raises ValidationError.")
      .def(py::init([](const py::object& currency, std::optional<Timestamp> since,
                       std::optional<Timestamp> until) {
             return storage::PurchaseScan{currency_argument(currency), since, until};
           }),
           py::kw_only(), py::arg("currency") = py::none(), py::arg("since") = py::none(),
           py::arg("until") = py::none(), "A scan; every argument is optional (see the attributes).")
      .def_property(
          "currency", [](const storage::PurchaseScan& self) { return self.currency; },
          [](storage::PurchaseScan& self, const py::object& currency) {
            self.currency = currency_argument(currency);
          },
          "Only purchases in this currency (a Currency; a code such as ``'EUR'`` is accepted), or None.")
      .def_readwrite("since", &storage::PurchaseScan::since, "Only ``occurred_at >= since``.")
      .def_readwrite("until", &storage::PurchaseScan::until, "Only ``occurred_at < until``.")
      .def("__repr__", [](py::object self) {
        return fields_repr(self, "PurchaseScan", {"currency", "since", "until"});
      });

  py::class_<storage::PurchaseColumns>(
      m, "PurchaseColumns",
      "Purchases read column-wise, in id (insertion) order, for analytics: three equally long numpy "
      "int64 columns (read-only views owned by this object) and their currency.")
      .def_property_readonly(
          "customer_ids",
          [](py::object self) { return column_view(self, self.cast<const storage::PurchaseColumns&>().customer_ids); },
          "Customer ids (numpy int64 array).")
      .def_property_readonly(
          "times_us",
          [](py::object self) { return column_view(self, self.cast<const storage::PurchaseColumns&>().times_us); },
          "``occurred_at`` as microseconds since the Unix epoch (numpy int64 array; "
          "``.view('datetime64[us]')`` gives datetimes).")
      .def_property_readonly(
          "amounts_minor",
          [](py::object self) {
            return column_view(self, self.cast<const storage::PurchaseColumns&>().amounts_minor);
          },
          "Amounts in minor units of `currency` (numpy int64 array).")
      .def_readonly("currency", &storage::PurchaseColumns::currency,
                    "The currency of every amount (XXX when there are no rows).")
      .def("size", &storage::PurchaseColumns::size, "Number of rows.")
      .def("__len__", &storage::PurchaseColumns::size, "Number of rows.")
      .def("__repr__", [](const storage::PurchaseColumns& columns) {
        return "PurchaseColumns(<" + std::to_string(columns.size()) + " rows>, currency='" +
               std::string(columns.currency.code()) + "')";
      });

  py::class_<storage::StoreCounts>(m, "StoreCounts", "How many records a store holds.")
      .def(py::init([](std::int64_t customers, std::int64_t deleted_customers, std::int64_t interactions,
                       std::int64_t pipelines, std::int64_t deals, std::int64_t purchases) {
             return storage::StoreCounts{customers, deleted_customers, interactions,
                                         pipelines, deals,             purchases};
           }),
           py::kw_only(), py::arg("customers") = 0, py::arg("deleted_customers") = 0,
           py::arg("interactions") = 0, py::arg("pipelines") = 0, py::arg("deals") = 0,
           py::arg("purchases") = 0, "Counts (all 0 by default), e.g. to compare with Store.counts().")
      .def_readwrite("customers", &storage::StoreCounts::customers, "Customers not soft-deleted.")
      .def_readwrite("deleted_customers", &storage::StoreCounts::deleted_customers,
                     "Soft-deleted customers.")
      .def_readwrite("interactions", &storage::StoreCounts::interactions, "Interactions.")
      .def_readwrite("pipelines", &storage::StoreCounts::pipelines, "Pipelines.")
      .def_readwrite("deals", &storage::StoreCounts::deals, "Deals.")
      .def_readwrite("purchases", &storage::StoreCounts::purchases, "Purchases.")
      .def(py::self == py::self)
      .def(py::self != py::self)
      .def("__repr__", [](py::object self) {
        return fields_repr(self, "StoreCounts", {"customers", "deleted_customers", "interactions",
                                                 "pipelines", "deals", "purchases"});
      });

  // --- Transactions ----------------------------------------------------------------------------
  py::class_<StoreTransaction> transaction_class(
      m, "Transaction",
      "A unit of work on a store: every write made through the store by the thread that began it, "
      "until commit() or rollback(), is applied all together or not at all. Use it as a context "
      "manager::\n\n"
      "    with store.transaction():\n"
      "        store.insert_customer(a)\n"
      "        store.insert_customer(b)   # both stored, or neither\n\n"
      "The block commits when it ends normally and rolls back when it raises (the exception goes "
      "on). Transactions nest: an inner one is a savepoint of the outer. A transaction that is "
      "garbage-collected while active rolls back. End it on the thread that began it (other "
      "threads wait for the store meanwhile); it keeps its store alive.");
  def_transaction_methods(
      transaction_class, "Transaction", [](const Store& owner) { return owner.backend(); },
      {"Commits. Raises StorageError (kind ``transaction``) when already committed or rolled back, "
       "or whatever the backend raises when the commit fails (the transaction is then rolled "
       "back).",
       "Rolls back now: undoes every write made since the transaction began. Does nothing when no "
       "longer active.",
       "Commits when the block ended normally, rolls back when it raised; never swallows the "
       "exception."});
  transaction_class.def("__repr__", [](const StoreTransaction& self) {
    return std::string("Transaction(backend='") + std::string(self.owner->backend()) +
           "', active=" + (self.transaction.active() ? "True" : "False") + ")";
  });

  // --- The Store interface ---------------------------------------------------------------------
  auto begin = [](std::shared_ptr<Store> store) {
    return begin_transaction<StoreTransaction>(std::move(store), [](Store& s) { return s.begin(); });
  };
  const char* begin_doc =
      "Begins a Transaction (a savepoint when one is already active on this thread); use it in a "
      "``with`` block, or end it with commit() or rollback().";

  py::class_<Store, std::shared_ptr<Store>> store(
      m, "Store",
      "Persistence of the domain types, at the level of the domain (not SQL). Get one with "
      "crmkit.open(uri), MemoryStore() or SqliteStore(path); it is an abstract interface "
      "(backends implemented in Python are not supported).\n\n"
      "Common rules, for every backend:\n\n"
      "- Every write validates its record and its references, and raises ValidationError naming the "
      "field; a failed write changes nothing.\n"
      "- Inserts ignore the given ``id`` and ``version``, assign a new positive id and version 1, and "
      "return the stored record (the argument is not changed). Timestamps are stored as given (the "
      "Crm facade stamps them).\n"
      "- Updates need the stored ``version``: a different one raises ConflictError and changes "
      "nothing; success stores ``version + 1`` and returns the stored record. Unknown ids raise "
      "NotFoundError.\n"
      "- Each call is atomic; transaction() groups calls into one Transaction.\n"
      "- ``get_*`` returns None for unknown ids; failures raise.\n"
      "- Query limits outside 1 to max_page_size raise ValidationError.\n\n"
      "A store has no close(): it is closed (an SQLite file released) when the last reference to it "
      "goes, i.e. when the Store object, and every Crm and Transaction using it, are gone "
      "(``del store`` in CPython). The built-in stores may be shared between threads; every call "
      "releases the GIL.");
  store
      .def_property_readonly(
          "backend", [](const Store& self) { return std::string(self.backend()); },
          "The backend's name, e.g. ``memory`` or ``sqlite``.")
      .def("begin", begin, begin_doc)
      .def("transaction", begin,
           "Same as begin(): a Transaction, meant for ``with store.transaction(): ...``.")
      // Customers
      .def("insert_customer", &Store::insert_customer, py::arg("customer"), release_gil,
           "Inserts a customer and returns the stored record. Beyond validation: ``external_ref`` "
           "unique among all customers (ConflictError); member organizations exist and are "
           "organizations (ValidationError).")
      .def("update_customer", &Store::update_customer, py::arg("customer"), release_gil,
           "Replaces a stored customer (same rules as insert; version checked: ConflictError when "
           "stale; NotFoundError for an unknown id). Soft delete is an update that sets "
           "``deleted_at``. A customer's kind cannot change while persons are members of it or "
           "deals name it as a contact (ValidationError on ``customer.kind``).")
      .def("get_customer", &Store::get_customer, py::arg("id"), release_gil,
           "The customer with `id` (soft-deleted ones included), or None.")
      .def("find_customers", &Store::find_customers, py::arg("query"), release_gil,
           "A CustomerPage of customers matching `query` (a CustomerQuery), by id.")
      .def("find_customer_by_external_ref", &Store::find_customer_by_external_ref,
           py::arg("external_ref"), release_gil,
           "The customer with this external reference (soft-deleted included), or None.")
      .def("find_customers_by_email", &Store::find_customers_by_email, py::arg("email"), release_gil,
           "Customers not soft-deleted having this Email, compared by ``Email.lookup_key()``; by "
           "id.")
      .def(
          "find_customers_by_email",
          [](Store& self, const std::string& email) {
            const Email address(email);  // ValidationError (field `email`) when malformed
            py::gil_scoped_release release;
            return self.find_customers_by_email(address);
          },
          py::arg("email"),
          "Same, with the address given as text (ValidationError, field ``email``, when it is "
          "not an address).")
      .def("find_customers_by_phone", &Store::find_customers_by_phone, py::arg("phone"), release_gil,
           "Customers not soft-deleted having this Phone (canonical form); by id.")
      .def(
          "find_customers_by_phone",
          [](Store& self, const std::string& phone) {
            const Phone number(phone);  // international form: no default region here
            py::gil_scoped_release release;
            return self.find_customers_by_phone(number);
          },
          py::arg("phone"),
          "Same, with the number given as text in international form (``+33 6 12 34 56 78``); "
          "ValidationError when it is not a number. Crm.find_by_phone() reads national numbers.")
      .def("remove_customer", &Store::remove_customer, py::arg("id"), release_gil,
           "Deletes a customer for good; False when there was none. ConflictError while deals, "
           "interactions, purchases or memberships refer to it.")
      // Interactions
      .def("insert_interaction", &Store::insert_interaction, py::arg("interaction"), release_gil,
           "Inserts an interaction and returns the stored record. Its customers and deal must "
           "exist (ValidationError).")
      .def(
          "append_interactions",
          [](Store& self, const py::sequence& interactions) {
            auto values = copy_sequence<Interaction>(interactions, "interactions", "Interaction");
            {
              py::gil_scoped_release release;
              self.append_interactions(values);
            }
            for (std::size_t i = 0; i < values.size(); ++i) {
              auto& target = interactions[i].cast<Interaction&>();
              target.id = values[i].id;
              target.version = values[i].version;
            }
          },
          py::arg("interactions"),
          "Inserts many interactions (a sequence of Interaction) at once, all or nothing, and sets "
          "the ``id`` and ``version`` of each given object in place. ValidationError names the "
          "first bad one (``interactions[i].field``).")
      .def("update_interaction", &Store::update_interaction, py::arg("interaction"), release_gil,
           "Replaces a stored interaction (version checked: ConflictError when stale).")
      .def("get_interaction", &Store::get_interaction, py::arg("id"), release_gil,
           "The interaction with `id`, or None.")
      .def("find_interactions", &Store::find_interactions, py::arg("query"), release_gil,
           "An InteractionPage matching `query` (an InteractionQuery), newest first.")
      .def("remove_interaction", &Store::remove_interaction, py::arg("id"), release_gil,
           "Deletes an interaction; False when there was none.")
      // Pipelines
      .def("insert_pipeline", &Store::insert_pipeline, py::arg("pipeline"), release_gil,
           "Inserts a pipeline and returns the stored record.")
      .def("update_pipeline", &Store::update_pipeline, py::arg("pipeline"), release_gil,
           "Replaces a pipeline (version checked). A stage still used by a deal, or named in a "
           "deal's history, cannot be removed, and no change may make a stored deal invalid "
           "(ValidationError on ``pipeline.stages``).")
      .def("get_pipeline", &Store::get_pipeline, py::arg("id"), release_gil,
           "The pipeline with `id`, or None.")
      .def("list_pipelines", &Store::list_pipelines, release_gil, "Every pipeline, by id.")
      .def("remove_pipeline", &Store::remove_pipeline, py::arg("id"), release_gil,
           "Deletes a pipeline; False when there was none. ConflictError while deals use it.")
      // Deals
      .def("insert_deal", &Store::insert_deal, py::arg("deal"), release_gil,
           "Inserts a deal and returns the stored record. Its pipeline and customer must exist and "
           "its contacts be persons (ValidationError); the deal is validated against its pipeline.")
      .def("update_deal", &Store::update_deal, py::arg("deal"), release_gil,
           "Replaces a deal (same rules; version checked: ConflictError when stale).")
      .def("get_deal", &Store::get_deal, py::arg("id"), release_gil, "The deal with `id`, or None.")
      .def("find_deals", &Store::find_deals, py::arg("query"), release_gil,
           "A DealPage matching `query` (a DealQuery), by id.")
      .def("remove_deal", &Store::remove_deal, py::arg("id"), release_gil,
           "Deletes a deal; False when there was none. ConflictError while interactions refer to "
           "it.")
      // Purchases
      .def(
          "append_purchases",
          [](Store& self, const py::sequence& purchases) {
            auto values = copy_sequence<Purchase>(purchases, "purchases", "Purchase");
            {
              py::gil_scoped_release release;
              self.append_purchases(values);
            }
            for (std::size_t i = 0; i < values.size(); ++i) {
              purchases[i].cast<Purchase&>().id = values[i].id;
            }
          },
          py::arg("purchases"),
          "Appends purchases (a sequence of Purchase) in bulk, all or nothing, and sets the ``id`` "
          "of each given object in place. Each is validated and its customer must exist; the first "
          "bad one raises ValidationError naming its index (``purchases[i].field``) and nothing is "
          "written. For files, crmkit.io.import_purchases() is much faster.")
      .def("get_purchase", &Store::get_purchase, py::arg("id"), release_gil,
           "The purchase with `id`, or None.")
      .def("find_purchases", &Store::find_purchases, py::arg("query"), release_gil,
           "A PurchasePage matching `query` (a PurchaseQuery), newest first.")
      .def("scan_purchases", &Store::scan_purchases, py::arg("scan") = storage::PurchaseScan{},
           release_gil,
           "Reads the purchases `scan` selects column-wise, in id order, for analytics: a "
           "PurchaseColumns of numpy arrays.")
      .def("remove_purchase", &Store::remove_purchase, py::arg("id"), release_gil,
           "Deletes a purchase; False when there was none.")
      .def("counts", &Store::counts, release_gil,
           "How many records of each kind the store holds (a StoreCounts).")
      .def("__repr__", [](const Store& self) { return "<crmkit.Store backend='" + std::string(self.backend()) + "'>"; });

  py::class_<storage::MemoryStore, Store, std::shared_ptr<storage::MemoryStore>>(
      m, "MemoryStore",
      "A Store that keeps everything in process memory (``memory:``), for tests, caches and small "
      "embedded uses. Safe to share between threads: calls are serialized by one lock, which a "
      "Transaction holds from begin to end. Everything is lost when the store goes.")
      .def(py::init<>(), "An empty store.")
      .def("__repr__", [](const storage::MemoryStore&) { return std::string("MemoryStore()"); });

  py::class_<storage::SqliteOptions>(m, "SqliteOptions", "How a SqliteStore opens its database file.")
      .def(py::init([](Duration busy_timeout, bool create, bool read_only, std::int64_t cache_kib) {
             storage::SqliteOptions options;
             options.busy_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(busy_timeout);
             options.create = create;
             options.read_only = read_only;
             options.cache_kib = cache_kib;
             return options;
           }),
           py::kw_only(),
           py::arg("busy_timeout") = Duration(std::chrono::milliseconds(5000)),
           py::arg("create") = true, py::arg("read_only") = false,
           py::arg("cache_kib") = std::int64_t{64 * 1024}, "Options; every argument is optional.")
      .def_property(
          "busy_timeout",
          [](const storage::SqliteOptions& self) { return Duration(self.busy_timeout); },
          [](storage::SqliteOptions& self, Duration value) {
            self.busy_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(value);
          },
          "How long a write waits for another connection's lock before failing with StorageError "
          "(kind ``busy``): a datetime.timedelta, whole milliseconds (default 5 s).")
      .def_readwrite("create", &storage::SqliteOptions::create,
                     "Create the file (and its schema) when it does not exist; when False, a missing "
                     "file is an error (default True).")
      .def_readwrite("read_only", &storage::SqliteOptions::read_only,
                     "Open read-only: every write raises StorageError. The schema must already be "
                     "current (default False).")
      .def_readwrite("cache_kib", &storage::SqliteOptions::cache_kib,
                     "Page cache of the connection, in KiB (PRAGMA cache_size; default 65536 = 64 "
                     "MiB, which keeps bulk appends to large indexed tables off the disk).")
      .def("__repr__", [](py::object self) {
        return fields_repr(self, "SqliteOptions", {"busy_timeout", "create", "read_only", "cache_kib"});
      });

  py::class_<storage::SqliteStore, Store, std::shared_ptr<storage::SqliteStore>> sqlite_store(
      m, "SqliteStore",
      "A Store in one SQLite file (``sqlite:path``), crmkit's embedded default. The schema is created "
      "and upgraded by versioned migrations; opening a file written by a newer crmkit raises "
      "StorageError (kind ``schema``). WAL mode, foreign keys on, a busy timeout; SQLite's errors "
      "arrive as crmkit errors. Safe to share between threads (calls are serialized on one "
      "connection); several processes may open the same file. The file is closed when the last "
      "reference to the store goes.");
  sqlite_store
      .def(py::init([](const py::object& path, const std::optional<storage::SqliteOptions>& options) {
             std::string file = path_argument(path, "path");
             const storage::SqliteOptions settings = options.value_or(storage::SqliteOptions{});
             py::gil_scoped_release release;
             return std::make_shared<storage::SqliteStore>(file, settings);
           }),
           py::arg("path"), py::arg("options") = py::none(),
           "Opens (or creates) the database at `path` (str or os.PathLike; ``:memory:`` gives a "
           "private in-memory database) with `options` (SqliteOptions, default SqliteOptions()). "
           "Raises StorageError when the file cannot be opened, is not a crmkit database, or has a "
           "newer schema.");
  // A plain class constant (an int): the schema version this build of crmkit writes.
  sqlite_store.attr("current_schema_version") = storage::SqliteStore::current_schema_version;
  sqlite_store
      .def_property_readonly("schema_version", &storage::SqliteStore::schema_version,
                             "The schema version of the open database (equal to "
                             "current_schema_version once open).")
      .def_property_readonly(
          "path", [](const storage::SqliteStore& self) { return self.path(); },
          "The path the store was opened with (a str).")
      .def("__repr__", [](const storage::SqliteStore& self) {
        return "SqliteStore(" + py::repr(py::str(self.path())).cast<std::string>() + ")";
      });

  // --- Opening by URI --------------------------------------------------------------------------
  m.def(
      "open",
      [](const std::string& uri) {
        py::gil_scoped_release release;
        return std::shared_ptr<Store>(storage::open(uri));
      },
      py::arg("uri"),
      "Opens a store by URI: ``memory:`` (a new, empty MemoryStore), ``sqlite:path/to/crm.db`` (a "
      "SqliteStore on that file, created when missing), ``sqlite::memory:`` (a private in-memory "
      "SQLite database). Returns the backend's class (MemoryStore, SqliteStore). Raises StorageError "
      "(kind ``unsupported``) naming the scheme when no backend is registered for it, "
      "ValidationError for a URI without a scheme, or whatever the backend raises.");
  m.def("registered_backends", &storage::registered_backends,
        "The URI schemes open() knows, sorted (built in: ``memory`` and ``sqlite``).");
}

}  // namespace crmkit::python
