"""crmkit.io from Python: CSV imports (plain, gzip, file objects), their options and reports, errors
with line and column, exports and a lossless round trip. Counts are checked against the `crmkit`
command-line program run on the same files."""

from __future__ import annotations

import datetime as dt
import io as pyio
import os
import pathlib
import re
import subprocess

import pytest

import crmkit
import crmkit.io as cio

UTC = dt.timezone.utc
DATA = pathlib.Path(os.environ.get("CRMKIT_TEST_DATA_DIR", pathlib.Path(__file__).parents[3] / "tests" / "data"))
EXAMPLES = pathlib.Path(os.environ.get("CRMKIT_EXAMPLES_DIR", pathlib.Path(__file__).parents[3] / "examples"))
IO = DATA / "io"

RETAIL_OPTIONS = dict(
    customer_column="CustomerID", time_column="InvoiceDate", unit_price_column="UnitPrice",
    quantity_column="Quantity", order_ref_column="InvoiceNo", product_ref_column="StockCode",
    default_currency="GBP", strip_decimal_zero_keys=True, skip_rows_without_customer=True,
    on_error=cio.OnError.skip,
)
RETAIL_CLI_FLAGS = [
    "--customer-column", "CustomerID", "--time-column", "InvoiceDate", "--unit-price-column", "UnitPrice",
    "--quantity-column", "Quantity", "--order-ref-column", "InvoiceNo", "--product-ref-column", "StockCode",
    "--currency", "GBP", "--strip-decimal-zero-keys", "--skip-rows-without-customer", "--on-error", "skip",
]


def cli_report(kind: str, path: pathlib.Path, flags: list[str]) -> dict[str, int]:
    """The counts the `crmkit` program reports for the same import (skips the test without it)."""
    cli = pathlib.Path(os.environ.get("CRMKIT_BUILD_DIR", "/nonexistent")) / "src" / "cli" / "crmkit"
    if not cli.exists():
        pytest.skip(f"the crmkit program is not built ({cli})")
    output = subprocess.run([str(cli), "import", kind, str(path), "--db", "memory:", *flags],
                            check=True, capture_output=True, text=True).stdout
    counts = {}
    for name, value in re.findall(r"^  (rows read|rows imported|customers created|rows without customer|"
                                  r"rows rejected|rows unchanged)\s+([\d,]+)$", output, re.MULTILINE):
        counts[name.replace(" ", "_")] = int(value.replace(",", ""))
    assert "rows_read" in counts, output
    return counts


def report_counts(report: cio.ImportReport, names) -> dict[str, int]:
    return {name: getattr(report, name) for name in names}


# --- Purchases ------------------------------------------------------------------------------------


def test_import_purchases_with_the_default_columns():
    rows = [line.split(",") for line in (IO / "purchases_default.csv").read_text().splitlines()[1:]]
    store = crmkit.open("memory:")
    report = cio.import_purchases(store, IO / "purchases_default.csv")
    assert (report.rows_read, report.rows_imported, report.customers_created, report.rows_rejected) == (
        len(rows), len(rows), len({row[0] for row in rows}), 0)
    assert report.errors == [] and f"rows_imported={len(rows)}" in repr(report)
    eur = [row for row in rows if row[3] == "EUR"]
    columns = store.scan_purchases(crmkit.PurchaseScan(currency="EUR"))
    assert columns.amounts_minor.tolist() == [round(float(row[2]) * 100) for row in eur]
    first_gbp = next(row for row in rows if row[3] == "GBP")
    gbp = store.find_purchases(crmkit.PurchaseQuery(customer=store.find_customer_by_external_ref(first_gbp[0]).id)).items
    oldest = gbp[-1]
    assert oldest.amount == crmkit.Money.parse(first_gbp[2], "GBP")
    assert oldest.occurred_at == dt.datetime(2024, 1, 9, 7, 0, tzinfo=UTC)  # 08:00+01:00
    assert (oldest.order_ref, oldest.quantity, oldest.product_ref) == (first_gbp[4], float(first_gbp[5]), first_gbp[6])
    # A BOM and CRLF line ends change nothing.
    bom_rows = len((IO / "purchases_bom_crlf.csv").read_text(encoding="utf-8-sig").splitlines()) - 1
    assert cio.import_purchases(crmkit.open("memory:"), str(IO / "purchases_bom_crlf.csv")).rows_imported == bom_rows


def test_import_purchases_counts_equal_the_cli_on_the_sample_files():
    for name, flags, options in [
        ("purchases_default.csv", [], {}),
        ("purchases_bad_values.csv", ["--on-error", "skip"], {"on_error": "skip"}),
        ("online_retail_sample.csv.gz", RETAIL_CLI_FLAGS, RETAIL_OPTIONS),
        ("cdnow_sample.csv", ["--time-column", "date", "--time-format", "compact-date", "--amount-column",
                              "dollar_value", "--quantity-column", "number_of_cds", "--currency", "USD"],
         dict(time_column="date", time_format="compact_date", amount_column="dollar_value",
              quantity_column="number_of_cds", default_currency="USD")),
        ("purchases_unix.csv", ["--time-format", "unix-seconds", "--currency", "EUR"],
         dict(time_format=cio.TimeFormat.unix_seconds, default_currency=crmkit.Currency("EUR"))),
    ]:
        expected = cli_report("purchases", IO / name, flags)
        report = cio.import_purchases(crmkit.open("memory:"), IO / name, cio.PurchaseImportOptions(**options))
        assert report_counts(report, expected) == expected, name


def test_online_retail_full_file_equals_the_cli(tmp_path):
    # The real 541,909-row UCI file (gzip), into SQLite, with the documented mapping.
    path = EXAMPLES / "data" / "online_retail.csv.gz"
    expected = cli_report("purchases", path, RETAIL_CLI_FLAGS)
    progress = []
    options = cio.PurchaseImportOptions(**RETAIL_OPTIONS, batch_size=50000, progress=progress.append)
    store = crmkit.open(f"sqlite:{tmp_path / 'retail.db'}")
    report = cio.import_purchases(store, path, options)
    assert report_counts(report, expected) == expected
    # The figures of examples/data/README.md and docs/import-export.md, too.
    assert (report.rows_read, report.rows_imported, report.customers_created, report.rows_without_customer,
            report.rows_rejected) == (541909, 406825, 4372, 135080, 4)
    assert all(error.value == "0.001" and error.field == "UnitPrice" for error in report.errors)
    assert store.counts().purchases == 406825 and store.counts().customers == 4372
    assert progress and progress[-1].rows == 541909
    assert progress[-1].bytes_total == path.stat().st_size and progress[-1].bytes_read <= progress[-1].bytes_total
    assert [p.rows for p in progress] == sorted(p.rows for p in progress)
    # Amounts are exact: 6 x 2.55 GBP is 15.30 GBP.
    first = store.get_purchase(1)
    assert (first.amount, first.quantity, first.order_ref, first.product_ref) == (
        crmkit.Money.parse("15.30", "GBP"), 6.0, "536365", "85123A")
    assert store.get_customer(first.customer).external_ref == "17850"


def test_skip_mode_reports_bad_rows_with_line_and_column():
    store = crmkit.open("memory:")
    report = cio.import_purchases(store, IO / "purchases_bad_values.csv", cio.PurchaseImportOptions(on_error="skip"))
    assert report.rows_rejected == len(report.errors) > 0
    first = report.errors[0]
    assert (first.line, first.column, first.field, first.value) == (3, 8, "timestamp", "2024-13-01T10:00:00Z")
    assert "month 13" in first.message and str(first) == first.message
    assert "RowError(line=3" in repr(first)
    limited = cio.import_purchases(crmkit.open("memory:"), IO / "purchases_bad_values.csv",
                                   cio.PurchaseImportOptions(on_error="skip", max_reported_errors=2))
    assert len(limited.errors) == 2 and limited.rows_rejected == report.rows_rejected


def test_abort_mode_raises_parse_error_and_writes_nothing():
    store = crmkit.open("memory:")
    with pytest.raises(crmkit.ParseError) as error:
        cio.import_purchases(store, IO / "purchases_bad_values.csv")
    assert isinstance(error.value, ValueError)
    assert (error.value.line, error.value.column, error.value.value) == (3, 8, "2024-13-01T10:00:00Z")
    assert error.value.source.endswith("purchases_bad_values.csv")
    assert store.counts() == crmkit.StoreCounts()  # customers created from keys rolled back too


@pytest.mark.parametrize("name, line", [
    ("malformed_stray_quote.csv", 2),
    ("malformed_after_quote.csv", 3),
    ("malformed_field_count.csv", 3),
    ("malformed_unterminated.csv", 3),
])
def test_malformed_csv_is_a_parse_error_with_line_and_column(name, line):
    # Every `id` is a valid key, time (unix seconds) and amount: only the CSV itself is wrong.
    options = cio.PurchaseImportOptions(customer_column="id", time_column="id", time_format="unix_seconds",
                                        amount_column="id", default_currency="EUR")
    store = crmkit.open("memory:")
    with pytest.raises(crmkit.ParseError) as error:
        cio.import_purchases(store, IO / name, options)
    assert error.value.line == line and error.value.column >= 0
    assert error.value.source.endswith(name)
    assert store.counts() == crmkit.StoreCounts()
    skipped = cio.import_purchases(store, IO / name, cio.PurchaseImportOptions(
        customer_column="id", time_column="id", time_format="unix_seconds", amount_column="id",
        default_currency="EUR", on_error="skip"))
    assert skipped.rows_rejected >= 1 and skipped.errors[0].line == line


def test_stray_quote_column():
    csv = 'customer_id,timestamp,amount,currency\nA,2024-01-01,1.00,EUR\nB,2024-01-01,2"0,EUR\n'
    with pytest.raises(crmkit.ParseError) as error:
        cio.import_purchases(crmkit.open("memory:"), pyio.StringIO(csv), source="inline.csv")
    # The quote is the 15th byte of line 3, as in the stray-quote file (2:5 for `1,ab"c`).
    assert (error.value.source, error.value.line, error.value.column) == ("inline.csv", 3, 15)
    with pytest.raises(crmkit.ParseError) as error:
        cio.import_purchases(crmkit.open("memory:"), IO / "malformed_stray_quote.csv", cio.PurchaseImportOptions(
            customer_column="id", time_column="id", time_format="unix_seconds", amount_column="id",
            default_currency="EUR"))
    assert (error.value.line, error.value.column) == (2, 5)


def test_missing_required_column_and_missing_file():
    with pytest.raises(crmkit.ParseError) as error:
        cio.import_purchases(crmkit.open("memory:"), pyio.StringIO("customer_id,timestamp,total\nA,2024-01-01,1\n"),
                             cio.PurchaseImportOptions(default_currency="EUR"), source="upload.csv")
    assert error.value.line == 1 and error.value.source == "upload.csv" and "amount" in str(error.value)
    with pytest.raises(crmkit.Error):
        cio.import_purchases(crmkit.open("memory:"), IO / "does_not_exist.csv")
    with pytest.raises(TypeError, match="file"):
        cio.import_purchases(crmkit.open("memory:"), 42)


def test_import_from_file_objects():
    text = (IO / "purchases_default.csv").read_text(encoding="utf-8")
    store = crmkit.open("memory:")
    assert cio.import_purchases(store, pyio.StringIO(text)).rows_imported == len(text.splitlines()) - 1
    with open(IO / "online_retail_sample.csv.gz", "rb") as gz:  # gzip is recognised in streams too
        report = cio.import_purchases(crmkit.open("memory:"), gz, cio.PurchaseImportOptions(**RETAIL_OPTIONS))
    assert report.rows_imported > 0
    with pytest.raises(crmkit.ParseError) as error:
        cio.import_purchases(crmkit.open("memory:"), pyio.BytesIO(b"customer_id,timestamp,amount,currency\nA,nope,1,EUR\n"))
    assert error.value.source == "<stream>" and (error.value.line, error.value.column) == (2, 3)


def test_missing_customers_reject_and_id_keys():
    store = crmkit.open("memory:")
    ada = store.insert_customer(crmkit.Customer(given_name="Ada"))
    csv = f"customer_id,timestamp,amount,currency\n#{ada.id},2024-01-01,1.00,EUR\nNEW,2024-01-01,2.00,EUR\n"
    report = cio.import_purchases(store, pyio.StringIO(csv),
                                  cio.PurchaseImportOptions(missing_customers="reject", on_error="skip"))
    assert (report.rows_imported, report.rows_rejected, report.customers_created) == (1, 1, 0)
    # `#N` through an id map of an exported file.
    mapped = cio.import_purchases(store, pyio.StringIO("customer_id,timestamp,amount,currency\n#77,2024-01-02,3.00,EUR\n"),
                                  cio.PurchaseImportOptions(customer_ids={77: ada.id}))
    assert mapped.rows_imported == 1
    assert store.find_purchases(crmkit.PurchaseQuery(customer=ada.id)).items[0].amount == crmkit.Money.parse("3.00", "EUR")
    with pytest.raises(crmkit.ParseError):  # `#77` is not an id of this store without the map
        cio.import_purchases(store, pyio.StringIO("customer_id,timestamp,amount,currency\n#77,2024-01-02,3.00,EUR\n"))


def test_progress_callback_exception_cancels_an_abort_mode_import():
    def cancel(progress):
        raise KeyboardInterrupt("stop")

    store = crmkit.open("memory:")
    with pytest.raises(KeyboardInterrupt):
        cio.import_purchases(store, IO / "purchases_default.csv", cio.PurchaseImportOptions(progress=cancel, batch_size=1))
    assert store.counts() == crmkit.StoreCounts()


# --- Customers and interactions -----------------------------------------------------------------


def test_import_customers_counts_equal_the_cli():
    expected = cli_report("customers", IO / "customers_basic.csv", ["--default-region", "FR"])
    store = crmkit.open("memory:")
    report = cio.import_customers(store, IO / "customers_basic.csv", cio.CustomerImportOptions(default_region="FR"))
    assert report_counts(report, expected) == expected
    acme = store.find_customer_by_external_ref("ORG-ACME")
    assert acme.kind is crmkit.CustomerKind.organization and acme.tags == {"b2b", "key-account"}
    ann = store.find_customer_by_external_ref("C-3001")
    assert str(ann.phones[0].number) == "+33612345678" or ann.phones[0].number.e164() == "+33612345678"

    again = cio.import_customers(store, IO / "customers_basic.csv",
                                 cio.CustomerImportOptions(default_region="FR", existing_customers="skip"))
    assert again.rows_unchanged == report.rows_imported and again.rows_imported == 0
    with pytest.raises(crmkit.ParseError):  # reject (default): taken external refs are bad rows
        cio.import_customers(store, IO / "customers_basic.csv", cio.CustomerImportOptions(default_region="FR"))


def test_import_customers_bad_rows():
    expected = cli_report("customers", IO / "customers_bad.csv", ["--on-error", "skip"])
    report = cio.import_customers(crmkit.open("memory:"), IO / "customers_bad.csv",
                                  cio.CustomerImportOptions(on_error=cio.OnError.skip))
    assert report_counts(report, expected) == expected
    assert report.errors[0].field == "email" and report.errors[0].value == "fox@@fbi.example"


def test_import_interactions_counts_equal_the_cli():
    expected = cli_report("interactions", IO / "interactions_basic.csv", [])
    clock = lambda: dt.datetime(2024, 5, 1, tzinfo=UTC)  # noqa: E731
    store = crmkit.open("memory:")
    report = cio.import_interactions(store, IO / "interactions_basic.csv", cio.InteractionImportOptions(clock=clock))
    assert report_counts(report, expected) == expected
    customer = store.find_customer_by_external_ref("C-5001")
    assert customer.created_at == clock()  # customers created from keys are stamped with the clock
    calls = store.find_interactions(crmkit.InteractionQuery(customer=customer.id)).items
    intro = calls[-1]
    assert (intro.channel, intro.direction, intro.duration) == (crmkit.Channel.phone, crmkit.Direction.outbound,
                                                               dt.timedelta(seconds=300))
    assert intro.body == "Discussed pricing, delivery and support.\nFollow-up next week."
    assert intro.created_at == clock()


# --- Options --------------------------------------------------------------------------------------


def test_option_classes_have_the_cpp_defaults():
    purchases = cio.PurchaseImportOptions()
    assert (purchases.customer_column, purchases.time_column, purchases.amount_column, purchases.currency_column,
            purchases.order_ref_column, purchases.quantity_column, purchases.product_ref_column,
            purchases.unit_price_column) == ("customer_id", "timestamp", "amount", "currency", "order_ref",
                                             "quantity", "product_ref", "")
    assert purchases.on_error is cio.OnError.abort and purchases.batch_size == 10000
    assert purchases.max_reported_errors == 1000 and purchases.progress is None and purchases.clock is None
    assert purchases.time_format is cio.TimeFormat.iso8601 and purchases.missing_customers is cio.MissingCustomers.create
    assert not purchases.strip_decimal_zero_keys and not purchases.skip_rows_without_customer
    assert purchases.hash_keys_are_ids and purchases.customer_ids is None and purchases.default_currency is None
    assert (purchases.format.delimiter, purchases.format.quote, purchases.format.header) == (",", '"', True)

    purchases.default_currency = "GBP"
    assert purchases.default_currency == crmkit.Currency("GBP")
    with pytest.raises(crmkit.ValidationError):
        purchases.default_currency = "EURO"
    purchases.customer_ids = {1: 2}
    assert purchases.customer_ids == {1: 2}
    purchases.customer_ids = None
    callback = lambda p: None  # noqa: E731
    purchases.progress = callback
    assert purchases.progress is callback
    purchases.progress = None
    purchases.format = cio.CsvFormat(delimiter=";")
    assert purchases.format.delimiter == ";"
    assert "PurchaseImportOptions(" in repr(purchases)
    with pytest.raises(ValueError, match="OnError"):
        cio.PurchaseImportOptions(on_error="ignore")

    interactions = cio.InteractionImportOptions(deal_column="deal_id")
    assert (interactions.channel_column, interactions.deal_column, interactions.body_column) == ("channel", "deal_id", "body")
    assert interactions.other_customers_column == "other_customers" and interactions.created_at_column == "created_at"
    customers = cio.CustomerImportOptions()
    assert customers.existing_customers is cio.ExistingCustomers.reject and customers.default_region == ""
    assert (customers.id_column, customers.memberships_column, customers.deleted_at_column) == ("id", "memberships", "deleted_at")
    assert repr(cio.CsvFormat()) == "CsvFormat(delimiter=',', quote='\"', header=True)"
    assert [m.value for m in cio.TimeFormat] == ["iso8601", "compact_date", "unix_seconds"]
    assert [m.value for m in cio.ExistingCustomers] == ["reject", "skip", "update"]
    assert cio.OnError.__module__ == "crmkit.io"


def test_semicolon_files():
    csv = "customer_id;timestamp;amount;currency\nA;2024-01-01;1,50;EUR\n".replace("1,50", "1.50")
    report = cio.import_purchases(crmkit.open("memory:"), pyio.StringIO(csv),
                                  cio.PurchaseImportOptions(format=cio.CsvFormat(delimiter=";")))
    assert report.rows_imported == 1


# --- Exports --------------------------------------------------------------------------------------


def fill(store):
    cio.import_customers(store, IO / "customers_basic.csv", cio.CustomerImportOptions(default_region="FR"))
    cio.import_purchases(store, IO / "purchases_default.csv")
    cio.import_interactions(store, IO / "interactions_basic.csv",
                            cio.InteractionImportOptions(clock=lambda: dt.datetime(2024, 5, 1, tzinfo=UTC)))
    customer = store.insert_customer(crmkit.Customer(given_name="No", family_name="Ref"))  # exported as #N
    store.append_purchases([crmkit.Purchase(customer=customer.id, occurred_at=dt.datetime(2024, 2, 1, tzinfo=UTC),
                                            amount=crmkit.Money.parse("310.000", "KWD"))])


def test_export_import_round_trip_gives_the_same_bytes(tmp_path):
    source = crmkit.open("memory:")
    fill(source)
    paths = {kind: tmp_path / f"{kind}.csv" for kind in ("customers", "purchases", "interactions")}
    counts = source.counts()
    assert cio.export_customers(source, paths["customers"]) == counts.customers + counts.deleted_customers
    assert cio.export_purchases(source, paths["purchases"]) == counts.purchases
    assert cio.export_interactions(source, paths["interactions"]) == counts.interactions
    assert paths["purchases"].read_text().splitlines()[0] == "id,customer_id,timestamp,amount,currency,order_ref,quantity,product_ref"

    copy = crmkit.open(f"sqlite:{tmp_path / 'copy.db'}")
    customers = cio.import_customers(copy, paths["customers"])
    assert len(customers.customer_ids) == counts.customers
    cio.import_purchases(copy, paths["purchases"], cio.PurchaseImportOptions(customer_ids=customers.customer_ids))
    cio.import_interactions(copy, paths["interactions"], cio.InteractionImportOptions(customer_ids=customers.customer_ids))
    assert copy.counts() == counts

    def without_ids(text: str) -> list[str]:  # ids may differ between the stores
        return [re.sub(r"^\d+,", "", re.sub(r"#\d+", "#N", line)) for line in text.splitlines()]

    for kind, export in (("customers", cio.export_customers), ("purchases", cio.export_purchases),
                         ("interactions", cio.export_interactions)):
        again = pyio.StringIO()
        export(copy, again)
        assert without_ids(again.getvalue()) == without_ids(paths[kind].read_text()), kind


def test_export_targets(tmp_path):
    store = crmkit.open("memory:")
    fill(store)
    text = pyio.StringIO()
    binary = pyio.BytesIO()
    assert cio.export_purchases(store, text) == cio.export_purchases(store, binary) == store.counts().purchases
    assert binary.getvalue().decode() == text.getvalue()
    gz = tmp_path / "purchases.csv.gz"
    cio.export_purchases(store, str(gz))
    assert gz.read_bytes()[:2] == b"\x1f\x8b"
    reread = cio.import_purchases(crmkit.open("memory:"), gz, cio.PurchaseImportOptions(on_error="skip"))
    assert reread.rows_read == store.counts().purchases  # (its `#N` key is unknown in an empty store)
    semicolons = pyio.StringIO()
    cio.export_customers(store, semicolons, cio.ExportOptions(delimiter=";"))
    assert semicolons.getvalue().startswith("id;external_ref;kind")
    options = cio.ExportOptions()
    assert (options.delimiter, options.include_deleted) == (",", True)
    assert "include_deleted=True" in repr(options)

    deleted = store.find_customer_by_external_ref("C-3002")
    deleted.deleted_at = dt.datetime(2024, 6, 1, tzinfo=UTC)
    store.update_customer(deleted)
    live_only = pyio.StringIO()
    written = cio.export_customers(store, live_only, cio.ExportOptions(include_deleted=False))
    assert written == store.counts().customers and "C-3002" not in live_only.getvalue()
    with pytest.raises(crmkit.Error):
        cio.export_purchases(store, tmp_path / "no" / "such" / "dir.csv")
    with pytest.raises(TypeError):
        cio.export_purchases(store, 3.5)
