"""Stub of crmkit._crmkit.storage (generated from the module, then edited by hand)."""

from __future__ import annotations

import datetime
import enum
import os
import typing
from typing import overload

import numpy
import numpy.typing

from crmkit._crmkit.core import Currency, Email, Phone
from crmkit._crmkit.domain import Customer, CustomerKind, Deal, Interaction, LifecycleStage, Pipeline, Purchase

class CustomerPage:
    """A page of customers, by id; the cursor is the last id."""
    def __init__(self, *, items: list[Customer] = ..., next: int | None = ...) -> None:
        """A page holding `items`, with the cursor `next` (None on the last page)."""
    items: list[Customer]
    next: int | None
    def __len__(self) -> int:
        """Number of records on the page."""
    def __iter__(self) -> typing.Iterator[Customer]:
        """Iterates over the records of the page."""

class CustomerQuery:
    """Filters and cursor for listing customers, ordered by id ascending. Filters combine with AND; None means no filter."""
    def __init__(self, *, owner: str | None = ..., tag: str | None = ..., lifecycle: LifecycleStage | None = ..., kind: CustomerKind | None = ..., updated_since: datetime.datetime | None = ..., include_deleted: bool = ..., after: int | None = ..., limit: int = ...) -> None:
        """A query; every argument is optional (see the attributes)."""
    owner: str | None
    tag: str | None
    lifecycle: LifecycleStage | None
    kind: CustomerKind | None
    updated_since: datetime.datetime | None
    include_deleted: bool
    after: int | None
    limit: int

class DealPage:
    """A page of deals, by id; the cursor is the last id."""
    def __init__(self, *, items: list[Deal] = ..., next: int | None = ...) -> None:
        """A page holding `items`, with the cursor `next` (None on the last page)."""
    items: list[Deal]
    next: int | None
    def __len__(self) -> int:
        """Number of records on the page."""
    def __iter__(self) -> typing.Iterator[Deal]:
        """Iterates over the records of the page."""

class DealQuery:
    """Filters and cursor for listing deals, ordered by id ascending."""
    def __init__(self, *, pipeline: int | None = ..., stage: str | None = ..., customer: int | None = ..., owner: str | None = ..., status: DealStatus | None = ..., after: int | None = ..., limit: int = ...) -> None:
        """A query; every argument is optional (see the attributes)."""
    pipeline: int | None
    stage: str | None
    customer: int | None
    owner: str | None
    status: DealStatus | None
    after: int | None
    limit: int

class DealStatus(enum.Enum):
    """Status of a deal, derived from its timestamps: won (``won_at`` set), lost (``lost_at`` set) or open."""
    open = "open"
    won = "won"
    lost = "lost"

class InteractionPage:
    """A page of interactions, newest first; the cursor is a TimeKey."""
    def __init__(self, *, items: list[Interaction] = ..., next: TimeKey | None = ...) -> None:
        """A page holding `items`, with the cursor `next` (None on the last page)."""
    items: list[Interaction]
    next: TimeKey | None
    def __len__(self) -> int:
        """Number of records on the page."""
    def __iter__(self) -> typing.Iterator[Interaction]:
        """Iterates over the records of the page."""

class InteractionQuery:
    """Filters and cursor for listing interactions, newest first (occurred_at, then id, descending)."""
    def __init__(self, *, customer: int | None = ..., deal: int | None = ..., since: datetime.datetime | None = ..., before: TimeKey | None = ..., limit: int = ...) -> None:
        """A query; every argument is optional (see the attributes)."""
    customer: int | None
    deal: int | None
    since: datetime.datetime | None
    before: TimeKey | None
    limit: int

class MemoryStore(Store):
    """A Store that keeps everything in process memory (``memory:``), for tests, caches and small embedded uses. Safe to share between threads: calls are serialized by one lock, which a Transaction holds from begin to end. Everything is lost when the store goes."""
    def __init__(self) -> None:
        """An empty store."""

class PurchaseColumns:
    """Purchases read column-wise, in id (insertion) order, for analytics: three equally long numpy int64 columns (read-only views owned by this object) and their currency."""
    @property
    def customer_ids(self) -> numpy.typing.NDArray[numpy.int64]:
        """Customer ids (numpy int64 array)."""
    @property
    def times_us(self) -> numpy.typing.NDArray[numpy.int64]:
        """``occurred_at`` as microseconds since the Unix epoch (numpy int64 array; ``.view('datetime64[us]')`` gives datetimes)."""
    @property
    def amounts_minor(self) -> numpy.typing.NDArray[numpy.int64]:
        """Amounts in minor units of `currency` (numpy int64 array)."""
    @property
    def currency(self) -> Currency:
        """The currency of every amount (XXX when there are no rows)."""
    def size(self) -> int:
        """Number of rows."""
    def __len__(self) -> int:
        """Number of rows."""

class PurchasePage:
    """A page of purchases, newest first; the cursor is a TimeKey."""
    def __init__(self, *, items: list[Purchase] = ..., next: TimeKey | None = ...) -> None:
        """A page holding `items`, with the cursor `next` (None on the last page)."""
    items: list[Purchase]
    next: TimeKey | None
    def __len__(self) -> int:
        """Number of records on the page."""
    def __iter__(self) -> typing.Iterator[Purchase]:
        """Iterates over the records of the page."""

class PurchaseQuery:
    """Filters and cursor for listing purchases, newest first (occurred_at, then id, descending)."""
    def __init__(self, *, customer: int | None = ..., since: datetime.datetime | None = ..., before: TimeKey | None = ..., limit: int = ...) -> None:
        """A query; every argument is optional (see the attributes)."""
    customer: int | None
    since: datetime.datetime | None
    before: TimeKey | None
    limit: int

class PurchaseScan:
    """What a column scan of purchases reads. Without `currency`, every purchase in range must share one currency, or the scan raises ValidationError."""
    def __init__(self, *, currency: Currency | str | None = ..., since: datetime.datetime | None = ..., until: datetime.datetime | None = ...) -> None:
        """A scan; every argument is optional (see the attributes)."""
    currency: Currency | None
    since: datetime.datetime | None
    until: datetime.datetime | None

class SqliteOptions:
    """How a SqliteStore opens its database file."""
    def __init__(self, *, busy_timeout: datetime.timedelta = ..., create: bool = ..., read_only: bool = ..., cache_kib: int = ...) -> None:
        """Options; every argument is optional."""
    busy_timeout: datetime.timedelta
    create: bool
    read_only: bool
    cache_kib: int

class SqliteStore(Store):
    """A Store in one SQLite file (``sqlite:path``), crmkit's embedded default. The schema is created and upgraded by versioned migrations; opening a file written by a newer crmkit raises StorageError (kind ``schema``). WAL mode, foreign keys on, a busy timeout; SQLite's errors arrive as crmkit errors. Safe to share between threads (calls are serialized on one connection); several processes may open the same file. The file is closed when the last reference to the store goes."""
    def __init__(self, path: str | os.PathLike[str], options: SqliteOptions | None = ...) -> None:
        """Opens (or creates) the database at `path` (str or os.PathLike; ``:memory:`` gives a private in-memory database) with `options` (SqliteOptions, default SqliteOptions()). Raises StorageError when the file cannot be opened, is not a crmkit database, or has a newer schema."""
    current_schema_version: typing.ClassVar[int]
    @property
    def schema_version(self) -> int:
        """The schema version of the open database (equal to current_schema_version once open)."""
    @property
    def path(self) -> str:
        """The path the store was opened with (a str)."""

class Store:
    """Persistence of the domain types, at the level of the domain (not SQL). Get one with open(uri), MemoryStore() or SqliteStore(path); it is an abstract interface (backends implemented in Python are not supported). Common rules, for every backend: - Every write validates its record and its references, and raises ValidationError naming the field; a failed write changes nothing. - Inserts ignore the given ``id`` and ``version``, assign a new positive id and version 1, and return the stored record (the argument is not changed). Timestamps are stored as given (the Crm facade stamps them). - Updates need the stored ``version``: a different one raises ConflictError and changes nothing; success stores ``version + 1`` and returns the stored record. Unknown ids raise NotFoundError. - Each call is atomic; transaction() groups calls into one Transaction. - ``get_*`` returns None for unknown ids; failures raise. - Query limits outside 1 to max_page_size raise ValidationError. A store has no close(): it is closed (an SQLite file released) when the last reference to it goes, i.e. when the Store object, and every Crm and Transaction using it, are gone (``del store`` in CPython). The built-in stores may be shared between threads; every call releases the GIL."""
    @property
    def backend(self) -> str:
        """The backend's name, e.g. ``memory`` or ``sqlite``."""
    def begin(self) -> Transaction:
        """Begins a Transaction (a savepoint when one is already active on this thread); use it in a ``with`` block, or end it with commit() or rollback()."""
    def transaction(self) -> Transaction:
        """Same as begin(): a Transaction, meant for ``with store.transaction(): ...``."""
    def insert_customer(self, customer: Customer) -> Customer:
        """Inserts a customer and returns the stored record. Beyond validation: ``external_ref`` unique among all customers (ConflictError); member organizations exist and are organizations (ValidationError)."""
    def update_customer(self, customer: Customer) -> Customer:
        """Replaces a stored customer (same rules as insert; version checked: ConflictError when stale; NotFoundError for an unknown id). Soft delete is an update that sets ``deleted_at``. A customer's kind cannot change while persons are members of it or deals name it as a contact (ValidationError on ``customer.kind``)."""
    def get_customer(self, id: int) -> Customer | None:
        """The customer with `id` (soft-deleted ones included), or None."""
    def find_customers(self, query: CustomerQuery) -> CustomerPage:
        """A CustomerPage of customers matching `query` (a CustomerQuery), by id."""
    def find_customer_by_external_ref(self, external_ref: str) -> Customer | None:
        """The customer with this external reference (soft-deleted included), or None."""
    @overload
    def find_customers_by_email(self, email: Email) -> list[Customer]:
        """find_customers_by_email(*args, **kwargs) Customers not soft-deleted having this Email, compared by ``Email.lookup_key()``; by id. Same, with the address given as text (ValidationError, field ``email``, when it is not an address)."""
    @overload
    def find_customers_by_email(self, email: str) -> list[Customer]:
        """find_customers_by_email(*args, **kwargs) Customers not soft-deleted having this Email, compared by ``Email.lookup_key()``; by id. Same, with the address given as text (ValidationError, field ``email``, when it is not an address)."""
    @overload
    def find_customers_by_phone(self, phone: Phone) -> list[Customer]:
        """find_customers_by_phone(*args, **kwargs) Customers not soft-deleted having this Phone (canonical form); by id. Same, with the number given as text in international form (``+33 6 12 34 56 78``); ValidationError when it is not a number. Crm.find_by_phone() reads national numbers."""
    @overload
    def find_customers_by_phone(self, phone: str) -> list[Customer]:
        """find_customers_by_phone(*args, **kwargs) Customers not soft-deleted having this Phone (canonical form); by id. Same, with the number given as text in international form (``+33 6 12 34 56 78``); ValidationError when it is not a number. Crm.find_by_phone() reads national numbers."""
    def remove_customer(self, id: int) -> bool:
        """Deletes a customer for good; False when there was none. ConflictError while deals, interactions, purchases or memberships refer to it."""
    def insert_interaction(self, interaction: Interaction) -> Interaction:
        """Inserts an interaction and returns the stored record. Its customers and deal must exist (ValidationError)."""
    def append_interactions(self, interactions: sequence) -> None:
        """Inserts many interactions (a sequence of Interaction) at once, all or nothing, and sets the ``id`` and ``version`` of each given object in place. ValidationError names the first bad one (``interactions[i].field``)."""
    def update_interaction(self, interaction: Interaction) -> Interaction:
        """Replaces a stored interaction (version checked: ConflictError when stale)."""
    def get_interaction(self, id: int) -> Interaction | None:
        """The interaction with `id`, or None."""
    def find_interactions(self, query: InteractionQuery) -> InteractionPage:
        """An InteractionPage matching `query` (an InteractionQuery), newest first."""
    def remove_interaction(self, id: int) -> bool:
        """Deletes an interaction; False when there was none."""
    def insert_pipeline(self, pipeline: Pipeline) -> Pipeline:
        """Inserts a pipeline and returns the stored record."""
    def update_pipeline(self, pipeline: Pipeline) -> Pipeline:
        """Replaces a pipeline (version checked). A stage still used by a deal, or named in a deal's history, cannot be removed, and no change may make a stored deal invalid (ValidationError on ``pipeline.stages``)."""
    def get_pipeline(self, id: int) -> Pipeline | None:
        """The pipeline with `id`, or None."""
    def list_pipelines(self) -> list[Pipeline]:
        """Every pipeline, by id."""
    def remove_pipeline(self, id: int) -> bool:
        """Deletes a pipeline; False when there was none. ConflictError while deals use it."""
    def insert_deal(self, deal: Deal) -> Deal:
        """Inserts a deal and returns the stored record. Its pipeline and customer must exist and its contacts be persons (ValidationError); the deal is validated against its pipeline."""
    def update_deal(self, deal: Deal) -> Deal:
        """Replaces a deal (same rules; version checked: ConflictError when stale)."""
    def get_deal(self, id: int) -> Deal | None:
        """The deal with `id`, or None."""
    def find_deals(self, query: DealQuery) -> DealPage:
        """A DealPage matching `query` (a DealQuery), by id."""
    def remove_deal(self, id: int) -> bool:
        """Deletes a deal; False when there was none. ConflictError while interactions refer to it."""
    def append_purchases(self, purchases: sequence) -> None:
        """Appends purchases (a sequence of Purchase) in bulk, all or nothing, and sets the ``id`` of each given object in place. Each is validated and its customer must exist; the first bad one raises ValidationError naming its index (``purchases[i].field``) and nothing is written. For files, io.import_purchases() is much faster."""
    def get_purchase(self, id: int) -> Purchase | None:
        """The purchase with `id`, or None."""
    def find_purchases(self, query: PurchaseQuery) -> PurchasePage:
        """A PurchasePage matching `query` (a PurchaseQuery), newest first."""
    def scan_purchases(self, scan: PurchaseScan = ...) -> PurchaseColumns:
        """Reads the purchases `scan` selects column-wise, in id order, for analytics: a PurchaseColumns of numpy arrays."""
    def remove_purchase(self, id: int) -> bool:
        """Deletes a purchase; False when there was none."""
    def counts(self) -> StoreCounts:
        """How many records of each kind the store holds (a StoreCounts)."""

class StoreCounts:
    """How many records a store holds."""
    def __init__(self, *, customers: int = ..., deleted_customers: int = ..., interactions: int = ..., pipelines: int = ..., deals: int = ..., purchases: int = ...) -> None:
        """Counts (all 0 by default), e.g. to compare with Store.counts()."""
    customers: int
    deleted_customers: int
    interactions: int
    pipelines: int
    deals: int
    purchases: int
    def __eq__(self, arg0: StoreCounts) -> bool:
        """"""
    def __ne__(self, arg0: StoreCounts) -> bool:
        """"""

class TimeKey:
    """Keyset cursor of lists ordered newest first: a (time, id) pair; the next page holds the records strictly before it in (time descending, id descending) order."""
    def __init__(self, *, at: datetime.datetime = ..., id: int = ...) -> None:
        """A cursor at time `at` (an aware datetime) and record id `id`."""
    at: datetime.datetime
    id: int
    def __eq__(self, arg0: TimeKey) -> bool:
        """"""
    def __ne__(self, arg0: TimeKey) -> bool:
        """"""
    def __lt__(self, arg0: TimeKey) -> bool:
        """"""
    def __le__(self, arg0: TimeKey) -> bool:
        """"""
    def __gt__(self, arg0: TimeKey) -> bool:
        """"""
    def __ge__(self, arg0: TimeKey) -> bool:
        """"""

class Transaction:
    """A unit of work on a store: every write made through the store by the thread that began it, until commit() or rollback(), is applied all together or not at all. Use it as a context manager:: with store.transaction(): store.insert_customer(a) store.insert_customer(b)   # both stored, or neither The block commits when it ends normally and rolls back when it raises (the exception goes on). Transactions nest: an inner one is a savepoint of the outer. A transaction that is garbage-collected while active rolls back. End it on the thread that began it (other threads wait for the store meanwhile); it keeps its store alive."""
    def commit(self) -> None:
        """Commits. Raises StorageError (kind ``transaction``) when already committed or rolled back, or whatever the backend raises when the commit fails (the transaction is then rolled back)."""
    def rollback(self) -> None:
        """Rolls back now: undoes every write made since the transaction began. Does nothing when no longer active."""
    @property
    def active(self) -> bool:
        """True until commit() or rollback()."""
    def __enter__(self) -> Transaction:
        """Returns the transaction itself; StorageError (kind ``transaction``) when it has already ended."""
    def __exit__(self, exc_type: type[BaseException] | None, exc_value: BaseException | None, traceback: object) -> bool:
        """Commits when the block ended normally, rolls back when it raised; never swallows the exception."""

max_page_size: int
"""The largest ``limit`` a query accepts; larger limits raise ValidationError."""

def open(uri: str) -> Store:
    """Opens a store by URI: ``memory:`` (a new, empty MemoryStore), ``sqlite:path/to/crm.db`` (a SqliteStore on that file, created when missing), ``sqlite::memory:`` (a private in-memory SQLite database). Returns the backend's class (MemoryStore, SqliteStore). Raises StorageError (kind ``unsupported``) naming the scheme when no backend is registered for it, ValidationError for a URI without a scheme, or whatever the backend raises."""

def registered_backends() -> list[str]:
    """The URI schemes open() knows, sorted (built in: ``memory`` and ``sqlite``)."""

def status_of(deal: Deal) -> DealStatus:
    """The DealStatus a deal's timestamps give it: won when ``won_at`` is set, lost when ``lost_at`` is set, else open."""

