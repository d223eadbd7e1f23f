# Stub of the compiled submodule crmkit._crmkit.domain (re-exported at the top level of crmkit):
# customers, interactions, purchases, pipelines and deals, their enums and validate().
# Fields are values: reading a list/set/dict/object field returns a copy; assign the whole value.
from __future__ import annotations

import datetime
import enum
import typing

from crmkit._crmkit.core import Email as _Email
from crmkit._crmkit.core import Money as _Money
from crmkit._crmkit.core import Phone as _Phone

_AttributeValue = typing.Union[None, bool, int, float, str, datetime.datetime]
_TimestampLike = typing.Union[datetime.datetime, str]
_DateLike = typing.Union[datetime.date, str]

# --- enums (member values are crmkit's canonical names; arguments also accept those str) --------

class CustomerKind(enum.Enum):
    """Whether a customer is a natural person or an organization."""

    person = "person"
    organization = "organization"

class LifecycleStage(enum.Enum):
    """Where a customer stands in the relationship."""

    lead = "lead"
    prospect = "prospect"
    customer = "customer"
    inactive = "inactive"

class ConsentStatus(enum.Enum):
    """State of the customer's marketing consent."""

    unknown = "unknown"
    granted = "granted"
    withdrawn = "withdrawn"

class LawfulBasis(enum.Enum):
    """GDPR Art. 6 lawful basis for processing."""

    none = "none"
    consent = "consent"
    contract = "contract"
    legal_obligation = "legal_obligation"
    vital_interests = "vital_interests"
    public_task = "public_task"
    legitimate_interests = "legitimate_interests"

class Channel(enum.Enum):
    """The channel an interaction took place on."""

    email = "email"
    phone = "phone"
    meeting = "meeting"
    chat = "chat"
    sms = "sms"
    web = "web"
    social = "social"
    letter = "letter"
    in_person = "in_person"
    other = "other"

class Direction(enum.Enum):
    """Who started an interaction."""

    inbound = "inbound"
    outbound = "outbound"
    internal = "internal"

class StageCategory(enum.Enum):
    """What reaching a pipeline stage means."""

    open = "open"
    won = "won"
    lost = "lost"

# --- customers ----------------------------------------------------------------------------------

class Consent:
    """Marketing consent: status, when it was given or withdrawn, and the lawful basis."""

    def __init__(
        self,
        *,
        status: ConsentStatus | str = ...,
        at: _TimestampLike | None = None,
        basis: LawfulBasis | str = ...,
    ) -> None: ...
    status: ConsentStatus
    at: datetime.datetime | None
    basis: LawfulBasis
    def __eq__(self, other: object) -> bool: ...
    def __ne__(self, other: object) -> bool: ...
    __hash__: None  # type: ignore[assignment]
    def __copy__(self) -> Consent: ...
    def __deepcopy__(self, memo: dict[int, typing.Any]) -> Consent: ...
    def __reduce__(self) -> tuple[typing.Any, ...]: ...

class ContactEmail:
    """An email address of a customer."""

    def __init__(self, *, address: _Email | str, label: str = "", primary: bool = False) -> None: ...
    @property
    def address(self) -> _Email: ...
    @address.setter
    def address(self, value: _Email | str) -> None: ...
    label: str
    primary: bool
    def __eq__(self, other: object) -> bool: ...
    def __ne__(self, other: object) -> bool: ...
    __hash__: None  # type: ignore[assignment]
    def __copy__(self) -> ContactEmail: ...
    def __deepcopy__(self, memo: dict[int, typing.Any]) -> ContactEmail: ...
    def __reduce__(self) -> tuple[typing.Any, ...]: ...

class ContactPhone:
    """A phone number of a customer."""

    def __init__(self, *, number: _Phone | str, label: str = "", primary: bool = False) -> None: ...
    @property
    def number(self) -> _Phone: ...
    @number.setter
    def number(self, value: _Phone | str) -> None: ...
    label: str
    primary: bool
    def __eq__(self, other: object) -> bool: ...
    def __ne__(self, other: object) -> bool: ...
    __hash__: None  # type: ignore[assignment]
    def __copy__(self) -> ContactPhone: ...
    def __deepcopy__(self, memo: dict[int, typing.Any]) -> ContactPhone: ...
    def __reduce__(self) -> tuple[typing.Any, ...]: ...

class PostalAddress:
    """A postal address."""

    def __init__(
        self,
        *,
        lines: list[str] = ...,
        city: str = "",
        region: str = "",
        postal_code: str = "",
        country: str = "",
        label: str = "",
        primary: bool = False,
    ) -> None: ...
    lines: list[str]
    city: str
    region: str
    postal_code: str
    country: str
    label: str
    primary: bool
    def __eq__(self, other: object) -> bool: ...
    def __ne__(self, other: object) -> bool: ...
    __hash__: None  # type: ignore[assignment]
    def __copy__(self) -> PostalAddress: ...
    def __deepcopy__(self, memo: dict[int, typing.Any]) -> PostalAddress: ...
    def __reduce__(self) -> tuple[typing.Any, ...]: ...

class Membership:
    """A person's membership of an organization, with a role."""

    def __init__(self, *, organization: int = 0, role: str = "") -> None: ...
    organization: int
    role: str
    def __eq__(self, other: object) -> bool: ...
    def __ne__(self, other: object) -> bool: ...
    __hash__: None  # type: ignore[assignment]
    def __copy__(self) -> Membership: ...
    def __deepcopy__(self, memo: dict[int, typing.Any]) -> Membership: ...
    def __reduce__(self) -> tuple[typing.Any, ...]: ...

class Customer:
    """A customer: a person or an organization. Fields are values (copies)."""

    def __init__(
        self,
        *,
        id: int = 0,
        kind: CustomerKind | str = ...,
        given_name: str = "",
        family_name: str = "",
        legal_name: str = "",
        emails: list[ContactEmail] = ...,
        phones: list[ContactPhone] = ...,
        addresses: list[PostalAddress] = ...,
        memberships: list[Membership] = ...,
        external_ref: str | None = None,
        owner: str = "",
        tags: typing.Iterable[str] = ...,
        lifecycle: LifecycleStage | str = ...,
        source: str = "",
        consent: Consent = ...,
        attributes: dict[str, _AttributeValue] = ...,
        created_at: _TimestampLike = ...,
        updated_at: _TimestampLike = ...,
        version: int = 0,
        deleted_at: _TimestampLike | None = None,
    ) -> None: ...
    id: int
    kind: CustomerKind
    given_name: str
    family_name: str
    legal_name: str
    emails: list[ContactEmail]
    phones: list[ContactPhone]
    addresses: list[PostalAddress]
    memberships: list[Membership]
    external_ref: str | None
    owner: str
    @property
    def tags(self) -> set[str]: ...
    @tags.setter
    def tags(self, value: typing.Iterable[str]) -> None: ...
    lifecycle: LifecycleStage
    source: str
    consent: Consent
    attributes: dict[str, _AttributeValue]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: int
    deleted_at: datetime.datetime | None
    def display_name(self) -> str: ...
    def primary_email(self) -> ContactEmail | None: ...
    def primary_phone(self) -> ContactPhone | None: ...
    def deleted(self) -> bool: ...
    def __eq__(self, other: object) -> bool: ...
    def __ne__(self, other: object) -> bool: ...
    __hash__: None  # type: ignore[assignment]
    def __copy__(self) -> Customer: ...
    def __deepcopy__(self, memo: dict[int, typing.Any]) -> Customer: ...
    def __reduce__(self) -> tuple[typing.Any, ...]: ...

# --- interactions and purchases -----------------------------------------------------------------

class Interaction:
    """One contact with one or more customers, optionally about a deal."""

    def __init__(
        self,
        *,
        id: int = 0,
        channel: Channel | str = ...,
        direction: Direction | str = ...,
        occurred_at: _TimestampLike = ...,
        duration: datetime.timedelta | int = ...,
        subject: str = "",
        body: str = "",
        outcome: str = "",
        author: str = "",
        customers: list[int] = ...,
        deal: int | None = None,
        external_ref: str | None = None,
        created_at: _TimestampLike = ...,
        version: int = 0,
    ) -> None: ...
    id: int
    channel: Channel
    direction: Direction
    occurred_at: datetime.datetime
    @property
    def duration(self) -> datetime.timedelta: ...
    @duration.setter
    def duration(self, value: datetime.timedelta | int) -> None: ...
    subject: str
    body: str
    outcome: str
    author: str
    customers: list[int]
    deal: int | None
    external_ref: str | None
    created_at: datetime.datetime
    version: int
    def __eq__(self, other: object) -> bool: ...
    def __ne__(self, other: object) -> bool: ...
    __hash__: None  # type: ignore[assignment]
    def __copy__(self) -> Interaction: ...
    def __deepcopy__(self, memo: dict[int, typing.Any]) -> Interaction: ...
    def __reduce__(self) -> tuple[typing.Any, ...]: ...

class Purchase:
    """One purchase (order line or order) by a customer."""

    def __init__(
        self,
        *,
        id: int = 0,
        customer: int = 0,
        occurred_at: _TimestampLike = ...,
        amount: _Money = ...,
        order_ref: str = "",
        quantity: float | None = None,
        product_ref: str = "",
    ) -> None: ...
    id: int
    customer: int
    occurred_at: datetime.datetime
    amount: Money
    order_ref: str
    quantity: float | None
    product_ref: str
    def __eq__(self, other: object) -> bool: ...
    def __ne__(self, other: object) -> bool: ...
    __hash__: None  # type: ignore[assignment]
    def __copy__(self) -> Purchase: ...
    def __deepcopy__(self, memo: dict[int, typing.Any]) -> Purchase: ...
    def __reduce__(self) -> tuple[typing.Any, ...]: ...

# --- pipelines and deals ------------------------------------------------------------------------

class Stage:
    """One step of a pipeline."""

    def __init__(
        self,
        *,
        key: str = "",
        name: str = "",
        category: StageCategory | str = ...,
        probability: float = 0.0,
        rotting_days: int | None = None,
    ) -> None: ...
    key: str
    name: str
    category: StageCategory
    probability: float
    rotting_days: int | None
    def __eq__(self, other: object) -> bool: ...
    def __ne__(self, other: object) -> bool: ...
    __hash__: None  # type: ignore[assignment]
    def __copy__(self) -> Stage: ...
    def __deepcopy__(self, memo: dict[int, typing.Any]) -> Stage: ...
    def __reduce__(self) -> tuple[typing.Any, ...]: ...

class Pipeline:
    """An ordered list of stages that deals move through."""

    def __init__(
        self,
        *,
        id: int = 0,
        name: str = "",
        stages: list[Stage] = ...,
        created_at: _TimestampLike = ...,
        updated_at: _TimestampLike = ...,
        version: int = 0,
    ) -> None: ...
    id: int
    name: str
    stages: list[Stage]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: int
    def find_stage(self, key: str) -> Stage | None: ...
    def stage_index(self, key: str) -> int | None: ...
    def first_open_stage(self) -> Stage | None: ...
    def __eq__(self, other: object) -> bool: ...
    def __ne__(self, other: object) -> bool: ...
    __hash__: None  # type: ignore[assignment]
    def __copy__(self) -> Pipeline: ...
    def __deepcopy__(self, memo: dict[int, typing.Any]) -> Pipeline: ...
    def __reduce__(self) -> tuple[typing.Any, ...]: ...

class DealContact:
    """A contact person on a deal, with their role."""

    def __init__(self, *, person: int = 0, role: str = "") -> None: ...
    person: int
    role: str
    def __eq__(self, other: object) -> bool: ...
    def __ne__(self, other: object) -> bool: ...
    __hash__: None  # type: ignore[assignment]
    def __copy__(self) -> DealContact: ...
    def __deepcopy__(self, memo: dict[int, typing.Any]) -> DealContact: ...
    def __reduce__(self) -> tuple[typing.Any, ...]: ...

class StageChange:
    """One move of a deal between stages (``from_`` is the C++ field ``from``)."""

    def __init__(
        self,
        *,
        from_: str | None = None,
        to: str = "",
        at: _TimestampLike = ...,
        by: str = "",
        note: str = "",
    ) -> None: ...
    from_: str | None
    to: str
    at: datetime.datetime
    by: str
    note: str
    def __eq__(self, other: object) -> bool: ...
    def __ne__(self, other: object) -> bool: ...
    __hash__: None  # type: ignore[assignment]
    def __copy__(self) -> StageChange: ...
    def __deepcopy__(self, memo: dict[int, typing.Any]) -> StageChange: ...
    def __reduce__(self) -> tuple[typing.Any, ...]: ...

class Deal:
    """A sales opportunity with one customer, in one stage of one pipeline."""

    def __init__(
        self,
        *,
        id: int = 0,
        pipeline: int = 0,
        stage: str = "",
        customer: int = 0,
        contacts: list[DealContact] = ...,
        title: str = "",
        amount: _Money = ...,
        probability: float | None = None,
        expected_close: _DateLike | None = None,
        owner: str = "",
        lost_reason: str = "",
        won_at: _TimestampLike | None = None,
        lost_at: _TimestampLike | None = None,
        history: list[StageChange] = ...,
        external_ref: str | None = None,
        created_at: _TimestampLike = ...,
        updated_at: _TimestampLike = ...,
        version: int = 0,
    ) -> None: ...
    id: int
    pipeline: int
    stage: str
    customer: int
    contacts: list[DealContact]
    title: str
    amount: Money
    probability: float | None
    expected_close: datetime.date | None
    owner: str
    lost_reason: str
    won_at: datetime.datetime | None
    lost_at: datetime.datetime | None
    history: list[StageChange]
    external_ref: str | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: int
    def effective_probability(self, stages_of: Pipeline) -> float: ...
    def stage_entered_at(self) -> datetime.datetime: ...
    def __eq__(self, other: object) -> bool: ...
    def __ne__(self, other: object) -> bool: ...
    __hash__: None  # type: ignore[assignment]
    def __copy__(self) -> Deal: ...
    def __deepcopy__(self, memo: dict[int, typing.Any]) -> Deal: ...
    def __reduce__(self) -> tuple[typing.Any, ...]: ...

# --- validation ---------------------------------------------------------------------------------

@typing.overload
def validate(customer: Customer) -> None:
    """Checks the rules documented on Customer; raises crmkit.ValidationError naming the field."""

@typing.overload
def validate(interaction: Interaction) -> None: ...
@typing.overload
def validate(pipeline: Pipeline) -> None: ...
@typing.overload
def validate(deal: Deal, pipeline: Pipeline) -> None: ...
@typing.overload
def validate(purchase: Purchase) -> None: ...
def validate_text(text: str, field: str, max_bytes: int, single_line: bool = True) -> None:
    """Checks that ``text`` is valid UTF-8 of at most ``max_bytes`` bytes (single line by default)."""
