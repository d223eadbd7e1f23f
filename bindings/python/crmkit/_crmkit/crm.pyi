"""Stub of crmkit._crmkit.crm (generated from the module, then edited by hand)."""

from __future__ import annotations

import datetime
import enum
import os
import typing
from typing import overload

import numpy
import numpy.typing

from crmkit._crmkit.core import Currency, Money
from crmkit._crmkit.domain import Customer, Deal, Interaction, Pipeline, Purchase, StageCategory, StageChange

from crmkit._crmkit.storage import CustomerPage, CustomerQuery, DealPage, DealQuery, InteractionPage, Store, TimeKey

# Any domain event, as passed to Crm.subscribe() handlers.
_Event: typing.TypeAlias = "CustomerCreated | CustomerUpdated | CustomerDeleted | InteractionLogged | DealOpened | DealStageChanged | DealWon | DealLost"

class _CrmTransaction:
    """A transaction over several facade calls made on this thread: their writes commit together, and their events are published only at commit. Use it as a context manager:: with crm.transaction(): acme = crm.create_customer(organization) crm.create_customer(person)   # both stored, then both events published The block commits when it ends normally and rolls back when it raises (the exception goes on). Nested ones are savepoints. A transaction garbage-collected while active rolls back. End it on the thread that began it; it keeps its Crm alive."""
    def commit(self) -> None:
        """Commits the writes, then publishes their events. Raises StorageError (kind ``transaction``) when no longer active, or as the backend raises."""
    def rollback(self) -> None:
        """Discards the writes and their events; does nothing when no longer active."""
    @property
    def active(self) -> bool:
        """True until commit() or rollback()."""
    def __enter__(self) -> _CrmTransaction:
        """Returns the transaction itself; StorageError (kind ``transaction``) when it has already ended."""
    def __exit__(self, exc_type: type[BaseException] | None, exc_value: BaseException | None, traceback: object) -> bool:
        """Commits when the block ended normally (publishing the events), rolls back when it raised; never swallows the exception."""

class CloseMonthValue:
    """Open-deal value expected to close in one month, in one currency."""
    @property
    def month(self) -> datetime.date | None:
        """Expected close month, as the datetime.date of its first day; None for deals without a date."""
    @property
    def currency(self) -> Currency:
        """The currency of both sums."""
    @property
    def total(self) -> Money:
        """Sum of amounts (Money)."""
    @property
    def weighted(self) -> Money:
        """Sum of weighted amounts (Money)."""
    @property
    def open_deals(self) -> int:
        """Number of open deals counted."""

class Crm:
    """The operational CRM over a Store: validates every write (types, references, transitions), stamps times and versions, records stage history, builds timelines and pipeline figures, and publishes domain events. A Crm may be shared between threads when its store may (the built-in ones can); every call releases the GIL. Events of a write are published when the write commits: at once for a lone call, at commit of the enclosing Crm.Transaction otherwise (and never when it rolls back)."""
    def __init__(self, store: Store, *, clock: typing.Callable[[], datetime.datetime] | None = ..., default_region: str = ...) -> None:
        """Works on `store` (a Store, shared: the Crm keeps it alive). `clock`: a callable without arguments returning the current time as a timezone-aware datetime; it stamps created/updated times and stage changes (None: the system clock, now). Pass your own for deterministic tests and replays; it is called with the GIL held, and an exception it raises fails the call that needed the time. `default_region`: ISO 3166 alpha-2 region used to read national phone numbers in find_by_phone(), e.g. ``FR``; empty: numbers must be international. Raises ValidationError when `store` is None (field ``store``) or `default_region` is not a known region (field ``options.default_region``)."""
    Transaction = _CrmTransaction
    @property
    def store(self) -> Store:
        """The underlying Store (the object given to the constructor)."""
    def transaction(self) -> Crm.Transaction:
        """Begins a Crm.Transaction on this thread (nested ones are savepoints); use it in a ``with`` block."""
    def create_customer(self, customer: Customer) -> Customer:
        """Creates a customer and returns the stored record: validates it, makes the first entry of a non-empty email/phone/address list primary when none is, stamps ``created_at`` and ``updated_at`` with the clock, and stores it (the argument is not changed). Raises ValidationError, or ConflictError when the external ref is taken."""
    def update_customer(self, customer: Customer) -> Customer:
        """Saves changes to a customer; ``customer.version`` must be the stored one (ConflictError). ``created_at`` and ``deleted_at`` are kept from the stored record. Raises NotFoundError, ValidationError, ConflictError."""
    def customer(self, id: int) -> Customer:
        """The customer with `id`; NotFoundError when there is none."""
    def find_customer(self, id: int) -> Customer | None:
        """The customer with `id`, or None."""
    def find_by_email(self, email: str) -> list[Customer]:
        """Customers (not deleted) with this email, case-insensitively. ValidationError (field ``email``) for a malformed address."""
    def find_by_phone(self, phone: str) -> list[Customer]:
        """Customers (not deleted) with this phone, read with the default region. ValidationError (field ``phone``) for text that is not a number."""
    def find_by_external_ref(self, external_ref: str) -> Customer | None:
        """The customer with this external reference (even soft-deleted), or None."""
    def customers(self, query: CustomerQuery = ...) -> CustomerPage:
        """A CustomerPage of customers matching `query` (a CustomerQuery; default: the first 100 live customers)."""
    def delete_customer(self, id: int) -> Customer:
        """Soft-deletes: sets ``deleted_at`` and returns the stored record. NotFoundError; ValidationError (field ``customer.id``) when already deleted."""
    def restore_customer(self, id: int) -> Customer:
        """Clears ``deleted_at`` and returns the stored record. NotFoundError; ValidationError when not deleted."""
    def log_interaction(self, interaction: Interaction) -> Interaction:
        """Logs an interaction and returns the stored record; its customers must exist and not be deleted, its deal exist. ``occurred_at`` defaults to now when unset (the epoch). Raises ValidationError."""
    def interactions(self, customer: int, before: TimeKey | None = ..., limit: int = ...) -> InteractionPage:
        """An InteractionPage of one customer's interactions, newest first; pass the previous page's ``next`` (a TimeKey) as `before`. NotFoundError for an unknown customer."""
    def timeline(self, customer: int, request: TimelineRequest = ...) -> TimelinePage:
        """A TimelinePage of the customer's timeline: interactions, deal events and purchases merged, newest first. Reads only about one page from each source, however long the history. NotFoundError for an unknown customer; ValidationError (field ``limit``) for a bad limit."""
    def create_pipeline(self, pipeline: Pipeline) -> Pipeline:
        """Creates a pipeline and returns the stored record. Raises ValidationError."""
    def pipeline(self, id: int) -> Pipeline:
        """The pipeline with `id`; NotFoundError when there is none."""
    def pipelines(self) -> list[Pipeline]:
        """Every pipeline, by id."""
    def open_deal(self, deal: Deal, by: str = ...) -> Deal:
        """Opens a deal and returns the stored record. An empty ``stage`` means the pipeline's first open stage. The history starts with an entry (no ``from``) by `by`; opening straight into a won or lost stage follows move rules. The customer must exist and not be deleted; contacts must be persons. Raises ValidationError, NotFoundError (pipeline)."""
    def update_deal(self, deal: Deal) -> Deal:
        """Saves changes to a deal's own fields (title, amount, probability override, expected close, owner, contacts, external ref). Stage, history and close fields change only through move_deal(). Raises NotFoundError, ValidationError, ConflictError."""
    def move_deal(self, id: int, to_stage: str, options: MoveOptions = ...) -> Deal:
        """Moves a deal to `to_stage`, recording the change (`options`: a MoveOptions), and returns the stored record. Into a lost stage: needs a lost reason, sets ``lost_at``. Into a won stage: sets probability 1 and ``won_at``. Back to an open stage from a closed one (reopening): clears the close fields and the probability override. Raises NotFoundError, ValidationError (unknown or same stage, missing reason, time before the last move), ConflictError."""
    def deal(self, id: int) -> Deal:
        """The deal with `id`; NotFoundError when there is none."""
    def deals(self, query: DealQuery = ...) -> DealPage:
        """A DealPage of deals matching `query` (a DealQuery)."""
    def weighted_value(self, pipeline: int) -> list[PipelineValue]:
        """Weighted value of a pipeline's open deals, one PipelineValue per currency. NotFoundError for an unknown pipeline."""
    def weighted_value_by_close_month(self, pipeline: int) -> list[CloseMonthValue]:
        """Weighted value of a pipeline's open deals per expected close month and currency (a list of CloseMonthValue). NotFoundError."""
    def time_in_stage(self, deal: int) -> list[StageTime]:
        """Time a deal spent in each stage, up to now (a list of StageTime). NotFoundError."""
    def average_time_in_stage(self, pipeline: int) -> list[StageTimeSummary]:
        """Mean time in each stage over a pipeline's deals, up to now (a list of StageTimeSummary). NotFoundError."""
    def record_purchase(self, purchase: Purchase) -> Purchase:
        """Records one purchase and returns the stored record. Raises ValidationError."""
    def record_purchases(self, purchases: sequence) -> None:
        """Records purchases (a sequence of Purchase) in bulk, all or nothing, and sets the ``id`` of each given object in place. Raises ValidationError (field ``purchases[i]....``)."""
    def subscribe(self, handler: typing.Callable[[_Event], object]) -> Subscription:
        """Subscribes `handler` (a callable taking one event: CustomerCreated, CustomerUpdated, CustomerDeleted, InteractionLogged, DealOpened, DealStageChanged, DealWon or DealLost) to every event; returns the Subscription, which must be kept alive as long as the handler should run. Handlers run on the thread that made the change, after it committed, in subscription order, with the GIL held. As in C++, an exception a handler raises does not fail the (committed) write nor stop the other handlers: it is reported through sys.unraisablehook and dropped."""

class CustomerCreated:
    """Event: a customer was created."""
    @property
    def customer(self) -> Customer:
        """The stored record (a Customer)."""

class CustomerDeleted:
    """Event: a customer was soft-deleted."""
    @property
    def customer(self) -> Customer:
        """The stored record, with ``deleted_at`` set."""

class CustomerUpdated:
    """Event: a customer was changed (a restore from soft delete included)."""
    @property
    def before(self) -> Customer:
        """The record before the change."""
    @property
    def customer(self) -> Customer:
        """The stored record after it."""

class DealEvent:
    """A stage change (or the opening) of a deal, as shown on a timeline."""
    @property
    def deal(self) -> int:
        """The deal id."""
    @property
    def title(self) -> str:
        """The deal's title."""
    @property
    def category(self) -> StageCategory:
        """Category (StageCategory) of the stage entered."""
    @property
    def change(self) -> StageChange:
        """The history entry (a StageChange)."""
    @property
    def sequence(self) -> int:
        """Index of the entry in the deal's history."""

class DealLost:
    """Event: a deal entered a lost stage (published after its DealStageChanged)."""
    @property
    def deal(self) -> Deal:
        """The stored record."""

class DealOpened:
    """Event: a deal was opened."""
    @property
    def deal(self) -> Deal:
        """The stored record (a Deal)."""

class DealStageChanged:
    """Event: a deal moved to another stage (including into won or lost stages, and reopening)."""
    @property
    def deal(self) -> Deal:
        """The stored record after the move."""
    @property
    def change(self) -> StageChange:
        """The history entry the move recorded (a StageChange)."""

class DealWon:
    """Event: a deal entered a won stage (published after its DealStageChanged)."""
    @property
    def deal(self) -> Deal:
        """The stored record."""

class InteractionLogged:
    """Event: an interaction was logged."""
    @property
    def interaction(self) -> Interaction:
        """The stored record (an Interaction)."""

class MoveOptions:
    """How a deal moves to another stage (Crm.move_deal)."""
    def __init__(self, *, by: str = ..., lost_reason: str = ..., at: datetime.datetime | None = ...) -> None:
        """Options; every argument is optional."""
    by: str
    lost_reason: str
    at: datetime.datetime | None

class PipelineValue:
    """Open-deal value of a pipeline in one currency."""
    @property
    def currency(self) -> Currency:
        """The currency of both sums."""
    @property
    def total(self) -> Money:
        """Sum of the open deals' amounts (Money)."""
    @property
    def weighted(self) -> Money:
        """Sum of amount × effective probability, each rounded half to even (Money)."""
    @property
    def open_deals(self) -> int:
        """Number of open deals counted."""

class StageTime:
    """Time a deal spent in one stage, over all its visits."""
    @property
    def stage(self) -> str:
        """The stage key."""
    @property
    def time(self) -> datetime.timedelta:
        """Total time in the stage (datetime.timedelta)."""
    @property
    def visits(self) -> int:
        """How many times the deal entered it."""

class StageTimeSummary:
    """Average time deals of a pipeline spent in one stage."""
    @property
    def stage(self) -> str:
        """The stage key, in pipeline order."""
    @property
    def mean(self) -> datetime.timedelta:
        """Mean total time per deal that visited the stage (datetime.timedelta)."""
    @property
    def deals(self) -> int:
        """Deals that visited the stage."""

class Subscription:
    """Keeps a subscription alive: the handler is disconnected when the Subscription is garbage-collected or disconnect() is called. Keep a reference for as long as events should be delivered (``sub = crm.subscribe(f)``), or use it as a context manager: ``with crm.subscribe(f): ...`` disconnects at the end of the block. A Subscription may outlive its Crm."""
    def disconnect(self) -> None:
        """Stops delivering events to the handler. Idempotent."""
    def unsubscribe(self) -> None:
        """Same as disconnect()."""
    @property
    def connected(self) -> bool:
        """True while the handler is connected."""
    def __enter__(self) -> Subscription:
        """Returns the subscription itself."""
    def __exit__(self, exc_type: type[BaseException] | None, exc_value: BaseException | None, traceback: object) -> bool:
        """Disconnects."""

class TimelineCursor:
    """Where a timeline page starts: entries strictly after this one in timeline order (time descending; then kind ascending; then id and sequence descending)."""
    def __init__(self, *, at: datetime.datetime = ..., kind: TimelineKind = ..., id: int = ..., sequence: int = ...) -> None:
        """A cursor; every argument is optional."""
    at: datetime.datetime
    kind: TimelineKind
    id: int
    sequence: int
    def __eq__(self, arg0: TimelineCursor) -> bool:
        """Field-wise equality."""

class TimelineEntry:
    """One entry of a timeline."""
    @property
    def at(self) -> datetime.datetime:
        """When it happened."""
    @property
    def kind(self) -> TimelineKind:
        """Which type `item` is (TimelineKind)."""
    @property
    def item(self) -> Interaction | DealEvent | Purchase:
        """The record: an Interaction, a DealEvent or a Purchase (a copy)."""
    def summary(self) -> str:
        """A one-line description, e.g. ``email inbound "Re: quote" (completed)``, ``deal "ACME renewal" qualified -> won`` or ``purchase 120.50 EUR order A-1001``."""
    def cursor(self) -> TimelineCursor:
        """The TimelineCursor that starts the page after this entry."""

class TimelineKind(enum.Enum):
    """What a timeline entry is. At equal times, entries order by kind in this order."""
    interaction = "interaction"
    deal_event = "deal_event"
    purchase = "purchase"

class TimelinePage:
    """A page of a timeline."""
    @property
    def entries(self) -> list[TimelineEntry]:
        """The TimelineEntry list, newest first."""
    @property
    def next(self) -> TimelineCursor | None:
        """Where the next page starts (a TimelineCursor for TimelineRequest.before); None on the last page."""
    def __len__(self) -> int:
        """Number of entries."""
    def __iter__(self) -> typing.Iterator[TimelineEntry]:
        """Iterates over the entries."""

class TimelineRequest:
    """What page of a timeline to read."""
    def __init__(self, *, before: TimelineCursor | None = ..., limit: int = ...) -> None:
        """A request; every argument is optional."""
    before: TimelineCursor | None
    limit: int

def average_time_in_stage(deals: list[Deal], pipeline: Pipeline, now: datetime.datetime) -> list[StageTimeSummary]:
    """Mean time in each stage of `pipeline` over `deals` of that pipeline (a list of StageTimeSummary in pipeline order; stages no deal visited are listed with 0 deals)."""

def event_name(event: _Event) -> str:
    """The event's name in snake case, e.g. ``deal_stage_changed`` for a DealStageChanged."""

def is_rotting(deal: Deal, pipeline: Pipeline, now: datetime.datetime) -> bool:
    """True when an open deal has sat in its current stage longer than the stage's ``rotting_days`` (False for closed deals and stages without a threshold)."""

def time_in_stage(deal: Deal, now: datetime.datetime) -> list[StageTime]:
    """Time the deal spent in each stage it visited (a list of StageTime, in the order first visited), from its history; the current stage counts up to `now` unless the deal is closed (won or lost), when it counts up to the close time."""

def weighted_value(deals: list[Deal], pipeline: Pipeline) -> list[PipelineValue]:
    """Weighted value of the open deals among `deals` that belong to `pipeline`, one PipelineValue per currency (sorted by code). Closed deals and deals of other pipelines are skipped."""

def weighted_value_by_close_month(deals: list[Deal], pipeline: Pipeline) -> list[CloseMonthValue]:
    """Like weighted_value(), grouped by expected close month (deals without a date last) and currency: a list of CloseMonthValue."""

