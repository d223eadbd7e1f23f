"""Stub of crmkit._crmkit.io (generated from the module, then edited by hand)."""

from __future__ import annotations

import datetime
import enum
import os
import typing
from typing import overload

import numpy
import numpy.typing

from crmkit._crmkit.core import Currency
from crmkit._crmkit.storage import Store

class CsvFormat:
    """How CSV text is read (RFC 4180)."""
    def __init__(self, *, delimiter: str = ..., quote: str = ..., header: bool = ...) -> None:
        """A format; every argument is optional."""
    delimiter: str
    quote: str
    header: bool

class CustomerImportOptions:
    """Settings of import_customers(). Every column is optional; the defaults are the columns export_customers() writes (``id``, ``external_ref``, ``kind``, names, JSON lists of ``emails``/``phones``/``addresses``/``memberships``, ``owner``, comma-separated ``tags``, ``lifecycle``, ``source``, consent, JSON ``attributes``, ``created_at``/``updated_at``/``deleted_at``), plus the plain ``email`` and ``phone`` columns of hand-made files (see docs/import-export.md). Organizations must come before the persons that are members of them (exports write them first)."""
    def __init__(self, *, format: CsvFormat = ..., on_error: OnError = ..., batch_size: int = ..., progress: typing.Callable[[Progress], object] | None = ..., max_reported_errors: int = ..., clock: typing.Callable[[], datetime.datetime] | None = ..., id_column: str = ..., external_ref_column: str = ..., kind_column: str = ..., given_name_column: str = ..., family_name_column: str = ..., legal_name_column: str = ..., email_column: str = ..., phone_column: str = ..., emails_column: str = ..., phones_column: str = ..., addresses_column: str = ..., memberships_column: str = ..., owner_column: str = ..., tags_column: str = ..., lifecycle_column: str = ..., source_column: str = ..., consent_status_column: str = ..., consent_at_column: str = ..., consent_basis_column: str = ..., attributes_column: str = ..., created_at_column: str = ..., updated_at_column: str = ..., deleted_at_column: str = ..., default_region: str = ..., existing_customers: ExistingCustomers = ...) -> None:
        """Options; every argument is optional and defaults as in C++ (see the attributes)."""
    format: CsvFormat
    on_error: OnError
    batch_size: int
    progress: typing.Callable[[Progress], object] | None
    max_reported_errors: int
    clock: typing.Callable[[], datetime.datetime] | None
    id_column: str
    external_ref_column: str
    kind_column: str
    given_name_column: str
    family_name_column: str
    legal_name_column: str
    email_column: str
    phone_column: str
    emails_column: str
    phones_column: str
    addresses_column: str
    memberships_column: str
    owner_column: str
    tags_column: str
    lifecycle_column: str
    source_column: str
    consent_status_column: str
    consent_at_column: str
    consent_basis_column: str
    attributes_column: str
    created_at_column: str
    updated_at_column: str
    deleted_at_column: str
    default_region: str
    existing_customers: ExistingCustomers

class ExistingCustomers(enum.Enum):
    """What a customer import does with a row whose external ref is already taken: ``reject`` the row (default), ``skip`` it (counted in rows_unchanged), or ``update`` the stored customer."""
    reject = "reject"
    skip = "skip"
    update = "update"

class ExportOptions:
    """Settings of every export. Exports are lossless and stable: importing an export into an empty store (customers first, passing ImportReport.customer_ids on) and exporting again gives the same bytes, apart from ids. Amounts are Money text; timestamps ISO 8601 UTC with microseconds; customers are named by key (external ref, or ``#N``)."""
    def __init__(self, *, delimiter: str = ..., include_deleted: bool = ...) -> None:
        """Options; every argument is optional."""
    delimiter: str
    include_deleted: bool

class ImportReport:
    """What an import did."""
    @property
    def rows_read(self) -> int:
        """Data rows read (header excluded)."""
    @property
    def rows_imported(self) -> int:
        """Rows written (inserted or updated)."""
    @property
    def rows_rejected(self) -> int:
        """Bad rows skipped (skip mode), all counted."""
    @property
    def rows_without_customer(self) -> int:
        """Rows dropped by ``skip_rows_without_customer``."""
    @property
    def rows_unchanged(self) -> int:
        """Customers left alone by ExistingCustomers.skip."""
    @property
    def customers_created(self) -> int:
        """Customers created from unknown keys."""
    @property
    def errors(self) -> list[RowError]:
        """Skipped rows (RowError list), in file order (at most max_reported_errors)."""
    @property
    def customer_ids(self) -> dict[int, int]:
        """import_customers(): the file's ``id`` column mapped to the new ids (a dict); pass it on as the ``customer_ids`` option of later imports."""

class InteractionImportOptions:
    """Settings of import_interactions(). Required columns: ``customer_id`` and ``timestamp``; optional: ``other_customers`` (a JSON array of more customer keys), ``channel`` (default ``other``), ``direction`` (default ``inbound``), ``duration`` (whole seconds), ``subject``, ``body``, ``outcome``, ``author``, ``external_ref``, ``created_at`` (default: the clock). Deals are linked only when ``deal_column`` is set (its cells are deal ids of this store)."""
    def __init__(self, *, format: CsvFormat = ..., on_error: OnError = ..., batch_size: int = ..., progress: typing.Callable[[Progress], object] | None = ..., max_reported_errors: int = ..., clock: typing.Callable[[], datetime.datetime] | None = ..., customer_column: str = ..., time_column: str = ..., time_format: TimeFormat = ..., missing_customers: MissingCustomers = ..., strip_decimal_zero_keys: bool = ..., skip_rows_without_customer: bool = ..., hash_keys_are_ids: bool = ..., customer_ids: dict[int, int] | None = ..., other_customers_column: str = ..., channel_column: str = ..., direction_column: str = ..., duration_column: str = ..., subject_column: str = ..., body_column: str = ..., outcome_column: str = ..., author_column: str = ..., external_ref_column: str = ..., created_at_column: str = ..., deal_column: str = ...) -> None:
        """Options; every argument is optional and defaults as in C++ (see the attributes)."""
    format: CsvFormat
    on_error: OnError
    batch_size: int
    progress: typing.Callable[[Progress], object] | None
    max_reported_errors: int
    clock: typing.Callable[[], datetime.datetime] | None
    customer_column: str
    time_column: str
    time_format: TimeFormat
    missing_customers: MissingCustomers
    strip_decimal_zero_keys: bool
    skip_rows_without_customer: bool
    hash_keys_are_ids: bool
    customer_ids: dict[int, int] | None
    other_customers_column: str
    channel_column: str
    direction_column: str
    duration_column: str
    subject_column: str
    body_column: str
    outcome_column: str
    author_column: str
    external_ref_column: str
    created_at_column: str
    deal_column: str

class MissingCustomers(enum.Enum):
    """What happens to a purchase or interaction whose customer key is not yet in the store: ``create`` a person named by the key (its external ref), or ``reject`` the row."""
    create = "create"
    reject = "reject"

class OnError(enum.Enum):
    """What a bad row does to an import."""
    abort = "abort"
    skip = "skip"

class Progress:
    """Progress of an import, passed to ImportOptions.progress."""
    @property
    def rows(self) -> int:
        """Data rows read so far."""
    @property
    def bytes_read(self) -> int:
        """Input bytes consumed (compressed bytes for gzip)."""
    @property
    def bytes_total(self) -> int:
        """Input size when known, else 0."""

class PurchaseImportOptions:
    """Settings of import_purchases(). Default columns: ``customer_id,timestamp,amount`` plus the optional ``currency,order_ref,quantity,product_ref`` (an optional column is used when the header has it; an ``id`` column, as exports write, is ignored). Set a column name to ``""`` to ignore it. Amounts are exact (Money.parse in the row's currency); with ``unit_price_column`` set, amount = unit price × quantity (quantity a whole number). A negative quantity (a return) is stored as its magnitude: the sign lives in the amount. Transactions: in abort mode the whole file is one store transaction, so a bad row leaves the store as it was; in skip mode each batch of ``batch_size`` rows is one transaction."""
    def __init__(self, *, format: CsvFormat = ..., on_error: OnError = ..., batch_size: int = ..., progress: typing.Callable[[Progress], object] | None = ..., max_reported_errors: int = ..., clock: typing.Callable[[], datetime.datetime] | None = ..., customer_column: str = ..., time_column: str = ..., time_format: TimeFormat = ..., missing_customers: MissingCustomers = ..., strip_decimal_zero_keys: bool = ..., skip_rows_without_customer: bool = ..., hash_keys_are_ids: bool = ..., customer_ids: dict[int, int] | None = ..., amount_column: str = ..., currency_column: str = ..., order_ref_column: str = ..., quantity_column: str = ..., product_ref_column: str = ..., unit_price_column: str = ..., default_currency: Currency | str | None = ...) -> None:
        """Options; every argument is optional and defaults as in C++ (see the attributes)."""
    format: CsvFormat
    on_error: OnError
    batch_size: int
    progress: typing.Callable[[Progress], object] | None
    max_reported_errors: int
    clock: typing.Callable[[], datetime.datetime] | None
    customer_column: str
    time_column: str
    time_format: TimeFormat
    missing_customers: MissingCustomers
    strip_decimal_zero_keys: bool
    skip_rows_without_customer: bool
    hash_keys_are_ids: bool
    customer_ids: dict[int, int] | None
    amount_column: str
    currency_column: str
    order_ref_column: str
    quantity_column: str
    product_ref_column: str
    unit_price_column: str
    default_currency: Currency | str | None

class RowError:
    """A rejected row, in skip mode."""
    @property
    def line(self) -> int:
        """1-based line of the row."""
    @property
    def column(self) -> int:
        """1-based column of the offending field (0 when the row as a whole)."""
    @property
    def field(self) -> str:
        """The CSV column name at fault (a domain field when no column maps)."""
    @property
    def value(self) -> str:
        """The offending value."""
    @property
    def message(self) -> str:
        """The full message, as a ParseError would say it."""
    def __str__(self) -> str:
        """"""

class TimeFormat(enum.Enum):
    """How timestamps are written in the file: ``iso8601`` (``2011-12-09 12:50:00``, ``2011-12-09T12:50:00Z``, ``2011-12-09``), ``compact_date`` (``20111209``, that day's midnight UTC, as in the CDNOW files), ``unix_seconds`` (an integer, possibly negative)."""
    iso8601 = "iso8601"
    compact_date = "compact_date"
    unix_seconds = "unix_seconds"

def export_customers(store: Store, file: str | os.PathLike[str] | typing.IO[str] | typing.IO[bytes], options: ExportOptions = ...) -> int:
    """Writes every customer as CSV with the columns ``id,external_ref,kind,given_name,family_name,legal_name,emails,phones,addresses,memberships,owner,tags,lifecycle,source,consent_status,consent_at,consent_basis,attributes,created_at,updated_at,deleted_at`` (lists and attributes as JSON); organizations first, then persons, each by id. `file` is a path (str or os.PathLike; gzip-compressed when its name ends in ``.gz``) or a file object opened for writing (text or binary), written once the export is complete. Returns the number of records written. Raises Error when the file cannot be written; whatever the store raises."""

def export_interactions(store: Store, file: str | os.PathLike[str] | typing.IO[str] | typing.IO[bytes], options: ExportOptions = ...) -> int:
    """Writes every interaction as CSV with the columns ``id,customer_id,other_customers,timestamp,channel,direction,duration,subject,body,outcome,author,deal_id,external_ref,created_at`` (``customer_id`` is the key of its first customer, ``other_customers`` a JSON array of the others' keys, ``duration`` whole seconds), written once, with its first customer. `file` is a path (str or os.PathLike; gzip-compressed when its name ends in ``.gz``) or a file object opened for writing (text or binary), written once the export is complete. Returns the number of records written. Raises Error when the file cannot be written; whatever the store raises."""

def export_purchases(store: Store, file: str | os.PathLike[str] | typing.IO[str] | typing.IO[bytes], options: ExportOptions = ...) -> int:
    """Writes every purchase as CSV with the columns ``id,customer_id,timestamp,amount,currency,order_ref,quantity,product_ref`` (``customer_id`` is the customer's key; ``quantity`` is empty when unknown), grouped by customer, oldest first. `file` is a path (str or os.PathLike; gzip-compressed when its name ends in ``.gz``) or a file object opened for writing (text or binary), written once the export is complete. Returns the number of records written. Raises Error when the file cannot be written; whatever the store raises."""

def import_customers(store: Store, file: str | os.PathLike[str] | typing.IO[str] | typing.IO[bytes], options: CustomerImportOptions = ..., *, source: str | None = ...) -> ImportReport:
    """Imports customers from CSV into `store` (options: CustomerImportOptions) and returns an ImportReport whose ``customer_ids`` maps the file's ``id`` column to the new ids. Raises ParseError (``.source .line .column .value .rule``) on the first bad row in abort mode or when the header lacks a required column; Error when the file cannot be read; whatever the store raises for failures that are not the row's fault. `file` is a path (str or os.PathLike) to a plain or gzip CSV file (gzip is recognised by its magic bytes; a ``*.gz`` name must be gzip), or a file object opened for reading (text or binary, read whole into memory; `source` names it in errors, by default its ``name``). The GIL is released while the file is read and stored."""

def import_interactions(store: Store, file: str | os.PathLike[str] | typing.IO[str] | typing.IO[bytes], options: InteractionImportOptions = ..., *, source: str | None = ...) -> ImportReport:
    """Imports interactions from CSV into `store` (options: InteractionImportOptions), appending them in batches, and returns an ImportReport. Raises ParseError and Error as import_purchases(). `file` is a path (str or os.PathLike) to a plain or gzip CSV file (gzip is recognised by its magic bytes; a ``*.gz`` name must be gzip), or a file object opened for reading (text or binary, read whole into memory; `source` names it in errors, by default its ``name``). The GIL is released while the file is read and stored."""

def import_purchases(store: Store, file: str | os.PathLike[str] | typing.IO[str] | typing.IO[bytes], options: PurchaseImportOptions = ..., *, source: str | None = ...) -> ImportReport:
    """Imports purchases from CSV into `store` (options: PurchaseImportOptions), appending them in batches, and returns an ImportReport. Raises ParseError on the first bad row in abort mode, or when a required column is missing from the header (or no currency can be known); Error when the file cannot be read; whatever the store raises for failures that are not the row's fault. `file` is a path (str or os.PathLike) to a plain or gzip CSV file (gzip is recognised by its magic bytes; a ``*.gz`` name must be gzip), or a file object opened for reading (text or binary, read whole into memory; `source` names it in errors, by default its ``name``). The GIL is released while the file is read and stored."""

