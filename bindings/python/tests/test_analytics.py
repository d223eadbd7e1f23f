"""crmkit.analytics on numpy columns: every function and class, against independent references.

References: the `crmkit` command-line program of the build tree (same C++ library, another path:
its own CSV reader and output; skipped when the binary is absent), run on the bundled Online Retail
file and compared column by column (integers exactly, floats to 1e-9); the worked example of
docs/analytics.md (published values); and plain numpy / pandas (bench/analytics_pandas.py).
"""

from __future__ import annotations

import datetime
import gc
import importlib.util
import io
import os
import pathlib
import subprocess

import numpy as np
import pandas as pd
import pytest

import crmkit
import crmkit.analytics as ca

SOURCE_DIR = pathlib.Path(os.environ.get("CRMKIT_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[3]))
EXAMPLES_DIR = pathlib.Path(os.environ.get("CRMKIT_EXAMPLES_DIR", SOURCE_DIR / "examples"))
TEST_DATA_DIR = pathlib.Path(os.environ.get("CRMKIT_TEST_DATA_DIR", SOURCE_DIR / "tests" / "data"))
RETAIL = EXAMPLES_DIR / "data" / "online_retail.csv.gz"
GUIDE = TEST_DATA_DIR / "analytics" / "guide_purchases.csv"

RETAIL_OPTIONS = dict(customer_column="CustomerID", time_column="InvoiceDate",
                      unit_price_column="UnitPrice", quantity_column="Quantity",
                      strip_decimal_zero_keys=True, skip_rows_without_customer=True,
                      skip_nonpositive=True, exclude_column="InvoiceNo", exclude_prefix="C")
CLI_CLEANING = ["--customer-column", "CustomerID", "--time-column", "InvoiceDate",
                "--unit-price-column", "UnitPrice", "--quantity-column", "Quantity",
                "--strip-decimal-zero-keys", "--skip-rows-without-customer", "--skip-nonpositive",
                "--exclude", "InvoiceNo=C"]


# ---------------------------------------------------------------------------------------------
# References

def cli_binary():
    build = os.environ.get("CRMKIT_BUILD_DIR")
    if not build:
        return None
    path = pathlib.Path(build) / "src" / "cli" / "crmkit"
    return path if path.exists() else None


needs_cli = pytest.mark.skipif(cli_binary() is None, reason="the crmkit program is not built "
                               "($CRMKIT_BUILD_DIR/src/cli/crmkit)")


def cli(*args, parse=True):
    """Runs the crmkit program; its CSV output as a DataFrame (text when parse is False)."""
    done = subprocess.run([str(cli_binary()), *map(str, args)], capture_output=True, text=True, check=True)
    if not parse:
        return done.stdout
    return pd.read_csv(io.StringIO(done.stdout), float_precision="round_trip", keep_default_na=False,
                       na_values=[""])


def cli_retail(command, *args):
    return cli(*command.split(), "--input", RETAIL, *CLI_CLEANING, "--format", "csv", *args)


def load_pandas_reference():
    spec = importlib.util.spec_from_file_location("analytics_pandas", SOURCE_DIR / "bench" / "analytics_pandas.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def assert_ints(actual, expected):
    np.testing.assert_array_equal(np.asarray(actual, dtype="int64"), np.asarray(expected, dtype="int64"))


def assert_floats(actual, expected, rtol=1e-9, atol=1e-9):
    np.testing.assert_allclose(np.asarray(actual, dtype="float64"), np.asarray(expected, dtype="float64"),
                               rtol=rtol, atol=atol)


@pytest.fixture(scope="module")
def retail():
    return ca.read_purchase_columns(RETAIL, **RETAIL_OPTIONS)


@pytest.fixture(scope="module")
def retail_scores(retail):
    return ca.rfm(retail.customer_ids, retail.timestamps, retail.amounts, as_of="2011-12-09")


@pytest.fixture(scope="module")
def pandas_reference():
    return load_pandas_reference()


@pytest.fixture(scope="module")
def retail_frame(pandas_reference):
    """The Online Retail purchases as pandas reads and cleans them (no crmkit involved)."""
    return pandas_reference.load_online_retail(RETAIL)


@pytest.fixture(scope="module")
def guide():
    df = pd.read_csv(GUIDE)
    return (df["customer_id"].to_numpy(), pd.to_datetime(df["timestamp"]).to_numpy(),
            df["amount"].to_numpy())


# ---------------------------------------------------------------------------------------------
# Enums and periods

def test_enums_are_enum_classes_with_canonical_values():
    assert [m.value for m in ca.Period] == ["day", "week", "month"]
    assert [m.value for m in ca.Binning] == ["rank", "value"]
    assert [m.value for m in ca.Scaling] == ["none", "standardize", "log1p_standardize"]
    assert [m.value for m in ca.AbcClass] == ["A", "B", "C"]
    assert ca.Period.__module__ == "crmkit.analytics"
    assert ca.Period("week") is ca.Period.week


def test_period_helpers():
    assert ca.period_index(datetime.date(1970, 1, 1), "day") == 0
    assert ca.period_index(datetime.date(1969, 12, 31), ca.Period.day) == -1
    assert ca.period_index(datetime.date(1970, 1, 5), "week") == 1  # weeks from Monday 1969-12-29
    assert ca.period_index(datetime.date(1971, 2, 1), "month") == 13
    utc = datetime.timezone.utc
    assert ca.period_index(datetime.datetime(1970, 1, 2, 23, 59, tzinfo=utc), "day") == 1
    assert ca.period_index(np.datetime64("1970-01-03T00:00:00"), "day") == 2
    assert ca.period_start(1, "week") == datetime.date(1970, 1, 5)
    assert ca.period_start(13, ca.Period.month) == datetime.date(1971, 2, 1)
    assert ca.days_in("day") == 1 and ca.days_in("week") == 7 and ca.days_in("month") == 365.2425 / 12
    assert ca.units_per_period("day", "week") == pytest.approx(1 / 7)
    assert ca.units_per_period("week", "day") == 7
    assert ca.units_per_period("day", "month") == pytest.approx(1 / 30.436875)
    with pytest.raises(ValueError, match="Period"):
        ca.days_in("year")


# ---------------------------------------------------------------------------------------------
# Reading a CSV file

def test_read_purchase_columns_report_and_columns(retail, retail_frame):
    # The counts the C++ example prints (examples/02_rfm_segments.expected).
    r = retail.report
    assert (r.rows_read, r.rows_kept, r.rows_without_customer, r.rows_nonpositive, r.rows_excluded) == \
        (541909, 397924, 134697, 0, 9288)
    assert len(retail) == 397924 and retail.currency == "XXX"
    assert retail.customer_ids.dtype == np.int64 and retail.amounts.dtype == np.float64
    assert retail.timestamps.dtype == np.dtype("datetime64[us]")
    assert np.shares_memory(retail.timestamps, retail.times_us)
    # The same rows as pandas' reading and cleaning, in file order.
    assert_ints(retail.customer_ids, retail_frame["customer_id"])
    np.testing.assert_array_equal(retail.timestamps, retail_frame["time"].to_numpy().astype("datetime64[us]"))
    assert_floats(retail.amounts, retail_frame["amount"], rtol=1e-12)
    frame = retail.to_pandas()
    assert list(frame.columns) == ["customer_id", "timestamp", "amount"] and len(frame) == 397924
    assert set(retail.to_dict()) == {"customer_id", "timestamp", "amount"}
    assert "PurchaseData(rows=397924" in repr(retail) and "rows_kept=397924" in repr(r)


def test_read_purchase_columns_options(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("who;when;paid\n7;1704067200;1.5\n8;1704153600;2\n")
    data = ca.read_purchase_columns(path, customer_column="who", time_column="when", amount_column="paid",
                                    time_format="unix_seconds", delimiter=";", threads=1)
    assert list(data.customer_ids) == [7, 8] and list(data.amounts) == [1.5, 2.0]
    assert data.timestamps[1] == np.datetime64("2024-01-02T00:00:00")
    same = ca.read_purchase_columns(str(path), customer_column="who", time_column="when",
                                    amount_column="paid", time_format="unix-seconds", delimiter=";")
    np.testing.assert_array_equal(same.times_us, data.times_us)
    with pytest.raises(crmkit.ParseError):
        ca.read_purchase_columns(path, delimiter=";")  # no customer_id column
    with pytest.raises(ValueError, match="time_format"):
        ca.read_purchase_columns(path, time_format="rfc822")
    with pytest.raises(ValueError, match="delimiter"):
        ca.read_purchase_columns(path, delimiter=";;")
    with pytest.raises(crmkit.Error):
        ca.read_purchase_columns(tmp_path / "missing.csv")


# ---------------------------------------------------------------------------------------------
# RFM

@needs_cli
def test_rfm_equals_the_cli(retail_scores):
    expected = cli_retail("rfm", "--as-of", "2011-12-09")
    s = retail_scores
    assert len(s) == len(expected) == 4339
    assert_ints(s.customer_ids, expected["customer_id"])
    assert_ints(s.recency_days, expected["recency_days"])
    assert_ints(s.frequency, expected["frequency"])
    assert_floats(s.monetary, expected["monetary"])
    for column in "rfm":
        assert_ints(getattr(s, column), expected[column])
    segments = ca.assign_segments(s)
    np.testing.assert_array_equal(segments.segment_labels(), expected["segment"].to_numpy(dtype=object))


@needs_cli
@pytest.mark.parametrize("options,flags", [
    (dict(binning="value", bins=4), ["--binning", "value", "--bins", "4", "--no-segments"]),
    (dict(period=ca.Period.week, as_of=datetime.date(2011, 6, 30)),
     ["--period", "week", "--as-of", "2011-06-30"]),
    (dict(period="month", binning=ca.Binning.value, bins=3, threads=1),
     ["--period", "month", "--binning", "value", "--bins", "3", "--threads", "1", "--no-segments"]),
])
def test_rfm_options_equal_the_cli(retail, options, flags):
    s = ca.rfm(retail.customer_ids, retail.timestamps, retail.amounts, **options)
    expected = cli_retail("rfm", *flags)
    for column in ["customer_id", "recency_days", "frequency", "r", "f", "m"]:
        assert_ints(s.to_dict()[column], expected[column])
    assert_floats(s.monetary, expected["monetary"])
    assert s.bins == options.get("bins", 5)
    assert s.binning == ca.Binning(options.get("binning", "rank"))
    assert s.period == ca.Period(options.get("period", "day"))


def test_rfm_equals_pandas(retail, retail_frame, pandas_reference):
    expected = pandas_reference.rfm(retail_frame, as_of="2011-12-09")
    s = ca.rfm(retail.customer_ids, retail.timestamps, retail.amounts, as_of="2011-12-09")
    assert_ints(s.customer_ids, expected["customer_id"])
    assert_ints(s.recency_days, expected["recency_days"])
    assert_ints(s.frequency, expected["frequency"])
    assert_floats(s.monetary, expected["monetary"])
    # Scores: pandas' binning of crmkit's values (sums in another order may differ in the last bit
    # and break a tie the other way; see bench/analytics_pandas.py's check()).
    values = pd.DataFrame({"customer_id": s.customer_ids, "recency_days": s.recency_days,
                           "frequency": s.frequency, "monetary": s.monetary})
    for binning in ["rank", "value"]:
        rescored = pandas_reference.rfm_scores(values, 5, binning)
        again = ca.rfm(retail.customer_ids, retail.timestamps, retail.amounts, as_of="2011-12-09",
                       binning=binning)
        for column in "rfm":
            assert_ints(getattr(again, column), rescored[column])


def test_rfm_result_object(retail_scores):
    s = retail_scores
    assert s.as_of == datetime.date(2011, 12, 9) and s.bins == 5 and s.binning is ca.Binning.rank
    assert s.period is ca.Period.day
    assert (s.customer_ids.dtype, s.recency_days.dtype, s.frequency.dtype, s.monetary.dtype, s.r.dtype) == \
        (np.int64, np.int32, np.int64, np.float64, np.uint8)
    assert np.all(np.diff(s.customer_ids) > 0)
    # The edges the C++ example prints (examples/02_rfm_segments.expected, 2 decimals).
    assert_floats(s.edges.recency_days, [0, 12, 32, 71, 179, 373], rtol=0, atol=0.005)
    assert_floats(s.edges.frequency, [1, 1, 2, 3, 5, 132], rtol=0, atol=0.005)
    assert_floats(s.edges.monetary, [0, 250.04, 489.60, 940.67, 2056.89, 280206.02], rtol=0, atol=0.005)
    for k in range(1, 6):  # a customer with score k lies in [edges[k-1], edges[k]]
        m = s.monetary[s.m == k]
        assert m.min() >= s.edges.monetary[k - 1] and m.max() <= s.edges.monetary[k]
    d = s.to_dict()
    assert list(d) == ["customer_id", "recency_days", "frequency", "monetary", "r", "f", "m"]
    frame = s.to_pandas()
    assert frame.index.name == "customer_id" and list(frame.columns) == list(d)[1:]
    assert frame.loc[12347, "f"] == 5
    assert repr(s).startswith("RfmScores(customers=4339, bins=5, binning=<Binning.rank")
    assert "RfmEdges(recency_days=" in repr(s.edges)


def test_rfm_from_a_customer_summary(retail, retail_scores):
    summary = ca.customer_summary(retail.customer_ids, retail.timestamps, retail.amounts, as_of="2011-12-09")
    s = ca.rfm(summary)
    for column in ["customer_ids", "recency_days", "frequency", "monetary", "r", "f", "m"]:
        np.testing.assert_array_equal(getattr(s, column), getattr(retail_scores, column))
    v = ca.rfm(summary, bins=3, binning="value")
    assert v.bins == 3 and v.r.max() <= 3


def test_the_worked_example_of_the_guide(guide):
    # docs/analytics.md, "A worked example": published values.
    s = ca.rfm(*guide, as_of="2024-03-31")
    assert list(s.customer_ids) == [1, 2, 3, 4, 5]
    assert list(s.recency_days) == [1, 30, 64, 121, 0]
    assert list(s.frequency) == [3, 1, 2, 1, 1]
    assert list(s.monetary) == [120, 200, 30, 80, 5]
    assert list(s.r) == [4, 3, 2, 1, 5] and list(s.f) == [5, 1, 4, 2, 3] and list(s.m) == [4, 5, 2, 3, 1]
    assert list(ca.assign_segments(s).segment_labels()) == [
        "Loyal Customers", "About to Sleep", "At Risk", "Hibernating", "Potential Loyalists"]
    v = ca.rfm(*guide, as_of="2024-03-31", binning="value")
    assert_floats(v.edges.frequency, [1, 1, 1, 1.4, 2.2, 3])
    assert list(v.f) == [5, 1, 4, 1, 1]
    summary = ca.customer_summary(*guide, as_of="2024-03-31")
    row = summary.find(1)
    assert row == 0 and summary.find(99) is None
    assert (summary.frequency[row], summary.recency[row], summary.T[row], summary.monetary_value[row]) == \
        (2, 85, 86, 45)


# ---------------------------------------------------------------------------------------------
# Input columns: dtypes, shapes, lengths

def test_input_dtypes_give_the_same_scores(guide):
    ids, times, amounts = guide
    base = ca.rfm(ids, times, amounts, as_of="2024-03-31").to_dict()
    variants = [
        (ids.astype("int32"), times, amounts),
        (ids.astype("uint16"), times, amounts),
        (ids.astype("float64"), times, amounts),  # whole floats, as pandas stores ids with gaps
        (ids, times.astype("datetime64[s]"), amounts),
        (ids, times.astype("datetime64[ns]"), amounts),
        (ids, times.astype("datetime64[ms]"), amounts.astype("float32")),
        (list(ids), list(times), list(amounts)),
        (pd.Series(ids), pd.Series(times), pd.Series(amounts)),
        (ids, pd.Series(times).dt.tz_localize("UTC").dt.tz_convert("Asia/Tokyo"), amounts),  # tz-aware
        (ids, pd.DatetimeIndex(times).tz_localize("UTC").tz_convert("America/New_York"), amounts),
        (ids, times, amounts.astype("int64")),
        (ids, np.repeat(times.astype("datetime64[us]"), 2)[::2], amounts),  # strided
        (ids, times.astype("datetime64[D]").astype("datetime64[us]"), amounts),
    ]
    for columns in variants:
        got = ca.rfm(*columns, as_of="2024-03-31").to_dict()
        for key in base:
            np.testing.assert_array_equal(got[key], base[key], err_msg=key)


def test_bad_columns_name_the_argument(guide):
    ids, times, amounts = guide
    with pytest.raises(ValueError, match=r"customer_ids\[1\]"):
        ca.rfm(np.array([1.0, np.nan, 2, 3, 4, 5, 5, 4, 3, 2]), times, amounts)
    with pytest.raises(ValueError, match=r"customer_ids\[0\].*whole"):
        ca.rfm(ids + 0.5, times, amounts)
    with pytest.raises(TypeError, match="customer_ids"):
        ca.rfm(ids.astype(str), times, amounts)
    with pytest.raises(TypeError, match="customer_ids"):
        ca.rfm(ids > 2, times, amounts)
    with pytest.raises(ValueError, match="customer_ids.*1-D"):
        ca.rfm(ids.reshape(2, 5), times, amounts)
    with pytest.raises(ValueError, match="timestamps: has 9 values but customer_ids has 10"):
        ca.rfm(ids, times[:9], amounts)
    with pytest.raises(ValueError, match="amounts: has 3 values"):
        ca.customer_summary(ids, times, amounts[:3])
    with pytest.raises(TypeError, match="timestamps.*datetime64"):
        ca.rfm(ids, times.view("int64"), amounts)
    with pytest.raises(TypeError, match="timestamps"):
        ca.rfm(ids, times.astype(str), amounts)
    bad_times = times.copy()
    bad_times[3] = np.datetime64("NaT")
    with pytest.raises(ValueError, match=r"timestamps\[3\].*NaT"):
        ca.cohorts(ids, bad_times, amounts)
    with pytest.raises(ValueError, match=r"timestamps\[3\].*NaT"):
        ca.rfm(ids, bad_times.astype("datetime64[us]"), amounts)
    with pytest.raises(ValueError, match=r"timestamps\[3\].*NaT"):
        ca.customer_summary(ids, pd.Series(bad_times), amounts)
    bad_amounts = amounts.copy()
    bad_amounts[2] = np.nan
    with pytest.raises(crmkit.ValidationError, match=r"amounts\[2\]") as error:
        ca.rfm(ids, times, bad_amounts)
    assert isinstance(error.value, ValueError) and error.value.field == "amounts[2]"
    with pytest.raises(TypeError, match="amounts"):
        ca.abc_analysis(ids, times, amounts.astype(str))


def test_empty_input():
    ids = np.array([], dtype="int64")
    times = np.array([], dtype="datetime64[us]")
    amounts = np.array([], dtype="float64")
    s = ca.rfm(ids, times, amounts)
    assert len(s) == 0 and s.r.shape == (0,) and list(s.edges.monetary) == [0.0] * 6
    assert len(ca.assign_segments(s)) == 0
    summary = ca.customer_summary(ids, times, amounts)
    assert len(summary) == 0 and summary.as_of == datetime.date(1970, 1, 1)
    assert len(ca.abc_analysis(ids, times, amounts)) == 0
    assert len(ca.rfm([], np.array([], "datetime64[s]"), [])) == 0
    assert ca.rfm(ids, times, amounts).to_pandas().empty


# ---------------------------------------------------------------------------------------------
# Options: bad values

def test_bad_options_raise_validation_errors_naming_the_field(guide):
    with pytest.raises(crmkit.ValidationError) as error:
        ca.rfm(*guide, bins=1)
    assert error.value.field == "bins"
    with pytest.raises(crmkit.ValidationError) as error:
        ca.bin_scores([1.0, 2.0], 101)
    assert error.value.field == "bins"
    with pytest.raises(ValueError, match="Binning"):
        ca.rfm(*guide, binning="quantile")
    with pytest.raises(ValueError, match="Period"):
        ca.customer_summary(*guide, period="year")
    with pytest.raises(TypeError, match="datetime"):
        ca.rfm(*guide, as_of=datetime.datetime(2024, 3, 31))
    with pytest.raises(crmkit.ParseError):
        ca.rfm(*guide, as_of="31/03/2024")
    with pytest.raises(TypeError):
        ca.rfm(*guide, threads=-1)
    with pytest.raises(TypeError):
        ca.rfm(*guide, 5)  # options are keyword-only
    with pytest.raises(crmkit.ValidationError) as error:
        ca.abc_analysis(*guide, a=0)
    assert error.value.field == "a"
    with pytest.raises(crmkit.ValidationError) as error:
        ca.abc_analysis(*guide, a=0.9, b=0.5)
    assert error.value.field == "b"
    with pytest.raises(crmkit.ValidationError) as error:
        ca.calibration_holdout_summary(*guide, calibration_end="2024-03-01", observation_end="2024-02-01")
    assert error.value.field == "observation_end"
    with pytest.raises(TypeError):
        ca.calibration_holdout_summary(*guide)  # calibration_end is required
    with pytest.raises(crmkit.ValidationError) as error:
        ca.cohorts(*guide, period="day", as_of="2050-01-01")  # more than 8192 periods
    assert error.value.field == "period"


# ---------------------------------------------------------------------------------------------
# Zero-copy results that own their memory

def test_result_arrays_are_read_only_views_that_outlive_the_result(retail):
    s = ca.rfm(retail.customer_ids, retail.timestamps, retail.amounts)
    monetary = s.monetary
    assert np.shares_memory(monetary, s.monetary)  # a view of the result, not a copy
    assert not monetary.flags.writeable and not monetary.flags.owndata
    with pytest.raises(ValueError):
        monetary[0] = 1
    copy = monetary.copy()
    edges = s.edges.monetary
    edges_copy = edges.copy()
    del s
    gc.collect()
    ca.rfm(retail.customer_ids, retail.timestamps, retail.amounts * 2)  # reuse freed memory, if any
    gc.collect()
    np.testing.assert_array_equal(monetary, copy)
    np.testing.assert_array_equal(edges, edges_copy)

    data = ca.read_purchase_columns(RETAIL, **RETAIL_OPTIONS)
    times = data.timestamps
    first = times[:5].copy()
    del data
    gc.collect()
    np.testing.assert_array_equal(times[:5], first)

    holdout = ca.calibration_holdout_summary(retail.customer_ids, retail.timestamps, retail.amounts,
                                             calibration_end="2011-06-30")
    frequency = holdout.calibration.frequency
    expected = frequency.copy()
    del holdout
    gc.collect()
    np.testing.assert_array_equal(frequency, expected)


# ---------------------------------------------------------------------------------------------
# Customer summary and calibration/holdout

@needs_cli
@pytest.mark.parametrize("options,flags", [
    ({}, []),
    (dict(period="week", time_unit="month", as_of="2011-09-30"),
     ["--period", "week", "--time-unit", "month", "--as-of", "2011-09-30"]),
    (dict(period=ca.Period.day, time_unit=ca.Period.week), ["--time-unit", "week"]),
])
def test_customer_summary_equals_the_cli(retail, options, flags):
    s = ca.customer_summary(retail.customer_ids, retail.timestamps, retail.amounts, **options)
    expected = cli_retail("summary", *flags)
    assert_ints(s.customer_ids, expected["customer_id"])
    assert_ints(s.frequency, expected["frequency"])
    for column in ["recency", "T", "monetary_value"]:
        assert_floats(getattr(s, column), expected[column])
    assert s.period == ca.Period(options.get("period", "day"))
    assert s.time_unit == ca.Period(options.get("time_unit", options.get("period", "day")))


def test_customer_summary_equals_pandas(retail, retail_frame, pandas_reference):
    s = ca.customer_summary(retail.customer_ids, retail.timestamps, retail.amounts, period="week",
                            time_unit="day")
    expected = pandas_reference.customer_summary(retail_frame, period="week", time_unit="day")
    assert_ints(s.customer_ids, expected["customer_id"])
    assert_ints(s.frequency, expected["frequency"])
    for column in ["recency", "T", "monetary_value"]:
        assert_floats(getattr(s, column), expected[column])
    # The columns the summary adds, from plain pandas.
    g = retail_frame.groupby("customer_id", sort=True)
    np.testing.assert_array_equal(s.first_purchase_us, g["time"].min().to_numpy().astype("datetime64[us]"))
    np.testing.assert_array_equal(s.last_purchase_us, g["time"].max().to_numpy().astype("datetime64[us]"))
    assert_floats(s.total_spend, g["amount"].sum())
    assert_ints(s.purchase_periods, s.frequency + 1)
    assert s.as_of == datetime.date(2011, 12, 9)
    frame = s.to_pandas()
    assert frame.index.name == "customer_id"
    assert list(frame.columns) == ["first_purchase", "last_purchase", "frequency", "recency", "T",
                                   "monetary_value", "total_spend", "purchase_periods"]
    assert "CustomerSummary(customers=4339, period=<Period.week" in repr(s)


@needs_cli
def test_calibration_holdout_equals_the_cli(retail):
    h = ca.calibration_holdout_summary(retail.customer_ids, retail.timestamps, retail.amounts,
                                       calibration_end="2011-06-30", observation_end="2011-11-30",
                                       time_unit="week")
    expected = cli_retail("summary", "--calibration-end", "2011-06-30", "--observation-end", "2011-11-30",
                          "--time-unit", "week")
    d = h.to_dict()
    assert len(h) == len(expected)
    assert_ints(d["customer_id"], expected["customer_id"])
    assert_ints(d["frequency"], expected["frequency"])
    assert_ints(d["frequency_holdout"], expected["frequency_holdout"])
    for column in ["recency", "T", "monetary_value", "monetary_value_holdout", "duration_holdout"]:
        assert_floats(d[column], expected[column])
    assert h.observation_end == datetime.date(2011, 11, 30)
    assert h.calibration.as_of == datetime.date(2011, 6, 30)
    assert h.holdout_duration == pytest.approx(153 / 7)
    np.testing.assert_array_equal(h.holdout_frequency, d["frequency_holdout"])
    np.testing.assert_array_equal(h.holdout_monetary_value, d["monetary_value_holdout"])
    assert h.to_pandas().index.name == "customer_id"
    assert repr(h).startswith("CalibrationHoldout(customers=")


# ---------------------------------------------------------------------------------------------
# Binning

def test_bin_scores_equal_pandas(pandas_reference):
    rng = np.random.default_rng(5)
    values = np.round(rng.exponential(10, 1000), 1)  # many ties
    rank = ca.bin_scores(values, 5)
    assert_ints(rank.scores, pandas_reference.rank_scores(pd.Series(values), 5))
    value = ca.bin_scores(values, 4, binning=ca.Binning.value)
    assert_ints(value.scores, pandas_reference.value_scores(pd.Series(values), 4))
    assert_floats(value.edges, np.quantile(values, np.arange(5) / 4))
    assert rank.scores.dtype == np.uint8 and len(rank) == 1000
    assert repr(rank) == "BinnedScores(values=1000, bins=5)"
    assert list(ca.bin_scores([3.0], 5).scores) == [1]
    with pytest.raises(crmkit.ValidationError) as error:
        ca.bin_scores([1.0, np.inf], 5)
    assert error.value.field == "values[1]"


# ---------------------------------------------------------------------------------------------
# Segments

def test_standard_rules_and_user_rules():
    standard = ca.SegmentRules.standard()
    assert [r.label for r in standard.rules] == [
        "Champions", "Loyal Customers", "Potential Loyalists", "New Customers", "Promising",
        "Need Attention", "About to Sleep", "Can't Lose Them", "At Risk", "Hibernating"]
    assert standard.rules[0] == ca.SegmentRule("Champions", r=ca.ScoreRange(5, 5), f=ca.ScoreRange(4, 5))
    assert standard.fallback == "Other" and standard == ca.SegmentRules.standard()
    standard.validate(5)
    with pytest.raises(crmkit.ValidationError):
        standard.validate(3)
    r = ca.ScoreRange()
    assert (r.min, r.max) == (1, 100) and r.contains(42) and not ca.ScoreRange(2, 3).contains(4)
    r.max = 3
    assert r == ca.ScoreRange(max=3) and repr(r) == "ScoreRange(1, 3)"
    rule = ca.SegmentRule("VIP", m=ca.ScoreRange(5, 5))
    rule.r.min = 4  # nested fields are references
    assert rule.r == ca.ScoreRange(4, 100)
    assert repr(rule) == "SegmentRule(label='VIP', r=ScoreRange(4, 100), f=ScoreRange(1, 100), m=ScoreRange(5, 5))"
    rules = ca.SegmentRules([rule], fallback="Rest")
    rules.rules.append(ca.SegmentRule("lost"))  # a copy: no effect
    assert len(rules.rules) == 1
    rules.rules = rules.rules + [ca.SegmentRule("x")]
    assert len(rules.rules) == 2 and rules != standard
    with pytest.raises(TypeError):
        hash(rules)
    bad = ca.SegmentRules([ca.SegmentRule("ok"), ca.SegmentRule("bad", r=ca.ScoreRange(4, 2))])
    with pytest.raises(crmkit.ValidationError) as error:
        bad.validate(5)
    assert error.value.field == "rules[1].r"


@needs_cli
def test_segments_equal_the_cli(retail_scores):
    segmentation = ca.assign_segments(retail_scores)
    assert segmentation.labels == [r.label for r in ca.SegmentRules.standard().rules] + ["Other"]
    assert segmentation.segment.dtype == np.uint16 and len(segmentation) == 4339
    assert segmentation.label_of(0) == segmentation.labels[segmentation.segment[0]]
    stats = ca.summarize_segments(retail_scores, segmentation)
    expected = cli_retail("segments", "--as-of", "2011-12-09")
    # The program leaves out an empty fallback segment; summarize_segments keeps every label.
    assert [s.label for s in stats[:-1]] == list(expected["segment"])
    assert (stats[-1].label, stats[-1].customers, stats[-1].revenue) == ("Other", 0, 0.0)
    stats = stats[:-1]
    assert_ints([s.customers for s in stats], expected["customers"])
    for field in ["customer_share", "revenue", "revenue_share", "mean_recency_days", "mean_frequency",
                  "mean_monetary"]:
        assert_floats([getattr(s, field) for s in stats], expected[field])
    assert repr(stats[0]).startswith("SegmentStats(label='Champions', customers=638")


@needs_cli
def test_user_rules_equal_the_cli(retail_scores, tmp_path):
    rules_file = tmp_path / "rules.csv"
    rules_file.write_text("label,r_min,r_max,f_min,f_max,m_min,m_max\n"
                          "Big spenders,,,,,5,5\nRecent,4,5,,,,\nLapsed,1,2,3,,,\n")
    expected = cli_retail("rfm", "--as-of", "2011-12-09", "--rules", rules_file)
    rules = ca.SegmentRules([ca.SegmentRule("Big spenders", m=ca.ScoreRange(5, 5)),
                             ca.SegmentRule("Recent", r=ca.ScoreRange(4, 5)),
                             ca.SegmentRule("Lapsed", r=ca.ScoreRange(1, 2), f=ca.ScoreRange(3))],
                            fallback="Other")
    segmentation = ca.assign_segments(retail_scores, rules)
    assert segmentation.labels == ["Big spenders", "Recent", "Lapsed", "Other"]
    np.testing.assert_array_equal(segmentation.segment_labels(), expected["segment"].to_numpy(dtype=object))
    three = ca.rfm(np.array([1, 2, 3]), np.array(["2024-01-01"] * 3, "datetime64[D]"), [1.0, 2.0, 3.0],
                   bins=3)
    with pytest.raises(crmkit.ValidationError):
        ca.assign_segments(three)  # the standard rules need 5 bins


# ---------------------------------------------------------------------------------------------
# k-means

@needs_cli
def test_kmeans_equals_the_cli(retail_scores, tmp_path):
    features = ca.rfm_features(retail_scores)
    assert features.names == ["recency_days", "frequency", "monetary"]
    assert features.values.shape == (4339, 3) and features.rows == 4339 and features.cols == 3
    assert_floats(features.values[:, 2], retail_scores.monetary, rtol=0, atol=0)
    result = ca.kmeans(features, k=4, seed=7, scaling="log1p_standardize")
    assignments = tmp_path / "assign.csv"
    clusters = cli_retail("kmeans", "--as-of", "2011-12-09", "--k", "4", "--seed", "7", "--scaling",
                          "log1p-standardize", "--assignments", assignments)
    facts = pd.read_json(io.StringIO(cli("kmeans", "--input", RETAIL, *CLI_CLEANING, "--as-of", "2011-12-09",
                                         "--k", "4", "--seed", "7", "--scaling", "log1p-standardize",
                                         "--format", "json", parse=False)), typ="series")
    labels = pd.read_csv(assignments)
    assert_ints(labels["customer_id"], retail_scores.customer_ids)
    assert_ints(result.labels, labels["cluster"])
    assert_ints(result.sizes, clusters["customers"])
    assert_floats(result.centroids, clusters[["recency_days", "frequency", "monetary"]].to_numpy())
    assert result.inertia == pytest.approx(facts["inertia"], rel=1e-9)
    assert (result.k, result.cols, result.iterations, result.converged, result.best_init) == \
        (4, 3, facts["iterations"], facts["converged"], facts["best_init"])
    assert result.scaling is ca.Scaling.log1p_standardize
    assert result.labels.dtype == np.int32 and result.scaled_centroids.shape == (4, 3)
    assert result.feature_means.shape == (3,) and result.feature_scales.shape == (3,)
    silhouette = ca.silhouette_score(features, result.labels, scaling="log1p_standardize", seed=7)
    assert silhouette == pytest.approx(facts["silhouette"], rel=1e-9)
    assert repr(result).startswith("KMeansResult(k=4, rows=4339, inertia=")


@needs_cli
def test_inertia_curve_equals_the_cli(retail_scores):
    curve = ca.inertia_curve(ca.rfm_features(retail_scores), 2, 4)
    expected = cli_retail("kmeans", "--as-of", "2011-12-09", "--choose-k", "2:4")
    assert [c.k for c in curve] == list(expected["k"])
    assert_floats([c.inertia for c in curve], expected["inertia"])
    assert_floats([c.silhouette for c in curve], expected["silhouette"])
    assert repr(curve[0]).startswith("KChoice(k=2, inertia=")


def test_kmeans_inputs_and_options(retail_scores):
    features = ca.rfm_features(retail_scores)
    base = ca.kmeans(features, k=3, n_init=2, seed=1)
    values = features.values
    same_inputs = [
        values.copy(),
        np.asfortranarray(values),                        # not C-contiguous
        np.hstack([values, values])[:, :3],               # a strided view
        features.to_pandas(),                             # a DataFrame
        values.tolist(),                                  # nested lists
    ]
    for f in same_inputs:
        again = ca.kmeans(f, k=3, n_init=2, seed=1)
        np.testing.assert_array_equal(again.labels, base.labels)
        assert again.inertia == base.inertia
    ints = np.array([[0, 0], [0, 1], [10, 10], [10, 11], [20, 0], [21, 0]], dtype="int32")
    assert ca.kmeans(ints, k=3, scaling="none").inertia == ca.kmeans(ints.astype(float), k=3,
                                                                     scaling="none").inertia
    start = ca.kmeans(ints, k=3, scaling="none", initial_centroids=[[0, 0], [10, 10], [20, 0]], threads=1,
                      max_iterations=50, tolerance=0)
    assert sorted(start.sizes) == [2, 2, 2] and start.inertia == pytest.approx(1.5)  # 6 x 0.5**2
    assert_ints(start.labels, [0, 0, 1, 1, 2, 2])
    with pytest.raises(ValueError, match="features: expected a 2-D array"):
        ca.kmeans(values[:, 0])
    with pytest.raises(TypeError, match="features: expected numbers"):
        ca.kmeans(np.array([["a", "b"], ["c", "d"]]))
    with pytest.raises(crmkit.ValidationError) as error:
        ca.kmeans(values, k=0)
    assert error.value.field == "k"
    with pytest.raises(crmkit.ValidationError) as error:
        ca.kmeans(values, n_init=0)
    assert error.value.field == "n_init"
    with pytest.raises(crmkit.ValidationError) as error:
        ca.kmeans(ints, k=2, initial_centroids=[1.0, 2.0])
    assert error.value.field == "initial_centroids"
    with pytest.raises(crmkit.ValidationError):
        ca.kmeans(np.array([[1.0, np.nan], [2.0, 3.0]]), k=1)
    with pytest.raises(crmkit.ValidationError):
        ca.silhouette_score(values, base.labels[:10])
    with pytest.raises(ValueError, match=r"labels\[0\]"):
        ca.silhouette_score(ints, [-1, 0, 1, 1, 2, 2])
    with pytest.raises(crmkit.ValidationError) as error:
        ca.inertia_curve(ints, 2, 10)
    assert error.value.field == "k_max"
    assert ca.silhouette_score(ints, start.labels, scaling="none", sample_size=6) > 0.8


# ---------------------------------------------------------------------------------------------
# Cohorts

@needs_cli
@pytest.mark.parametrize("options,flags", [({}, []), (dict(period="week", as_of="2011-03-31"),
                                                      ["--period", "week", "--as-of", "2011-03-31"])])
def test_cohorts_equal_the_cli(retail, options, flags):
    table = ca.cohorts(retail.customer_ids, retail.timestamps, retail.amounts, **options)
    for metric, matrix in [("active", table.active), ("revenue", table.revenue),
                           ("retention", table.retention_rates())]:
        expected = cli_retail("cohorts", "--metric", metric, *flags)
        assert list(np.datetime_as_string(table.cohorts)) == list(expected["cohort"])
        assert_ints(table.sizes, expected["size"])
        ages = expected.drop(columns=["cohort", "size"]).to_numpy(dtype="float64")  # blanks: NaN
        assert ages.shape == (len(table), table.ages)
        observed = table.observed_mask()
        if metric == "active":  # (retention is blank for a cohort without customers, too)
            np.testing.assert_array_equal(observed, ~np.isnan(ages))
        assert_floats(np.where(observed, matrix, np.nan), ages)


def test_cohorts_equal_pandas_and_the_object(retail, retail_frame, pandas_reference):
    table = ca.cohorts(retail.customer_ids, retail.timestamps, retail.amounts)
    expected = pandas_reference.cohorts(retail_frame)
    long = table.to_pandas()
    assert list(long.columns) == ["cohort", "size", "age", "active", "revenue", "retention"]
    assert list(long["cohort"].astype(str)) == list(expected["cohort"])
    for column in ["size", "age", "active"]:
        assert_ints(long[column], expected[column])
    for column in ["revenue", "retention"]:
        assert_floats(long[column], expected[column])
    assert table.period is ca.Period.month and table.as_of == datetime.date(2011, 12, 9)
    assert table.cohorts.dtype == np.dtype("datetime64[D]") and len(table) == 13 and table.ages == 13
    assert table.active.shape == (13, 13) and not table.active.flags.writeable
    assert table.observed(0, 12) and not table.observed(1, 12)
    assert table.active_at(0, 1) == 324 and table.retention(0, 0) == 1.0
    assert table.revenue_at(0, 0) == table.revenue[0, 0]
    with pytest.raises(IndexError):
        table.active_at(0, 13)
    assert set(table.to_dict()) == set(long.columns)
    assert repr(table) == "CohortTable(period=<Period.month: 'month'>, cohorts=13, ages=13, " \
                          "as_of=datetime.date(2011, 12, 9))"


# ---------------------------------------------------------------------------------------------
# ABC

@needs_cli
def test_abc_equals_the_cli(retail, tmp_path):
    out = tmp_path / "abc.csv"
    totals = cli_retail("abc", "--output", out)
    expected = pd.read_csv(out, float_precision="round_trip")
    result = ca.abc_analysis(retail.customer_ids, retail.timestamps, retail.amounts)
    d = result.to_dict()
    assert_ints(d["rank"], expected["rank"])
    assert_ints(d["customer_id"], expected["customer_id"])
    assert_floats(d["revenue"], expected["revenue"])
    assert_floats(d["cumulative_share"], expected["cumulative_share"])
    assert list(d["class"]) == list(expected["class"])
    for row, cls in zip(totals.itertuples(), ca.AbcClass):
        t = result.totals[cls]
        assert row[1] == cls.value and t.customers == row.customers
        assert_floats([t.customer_share, t.revenue, t.revenue_share],
                      [row.customer_share, row.revenue, row.revenue_share])
    assert result.a == 0.8 and result.b == 0.95 and result.as_of is None
    assert result.total_revenue == pytest.approx(sum(t.revenue for t in result.totals.values()), rel=1e-12)


def test_abc_variants_equal_pandas(retail, retail_scores, retail_frame, pandas_reference):
    expected = pandas_reference.abc(retail_frame, a=0.7, b=0.9, as_of="2011-09-30")
    result = ca.abc_analysis(retail.customer_ids, retail.timestamps, retail.amounts, a=0.7, b=0.9,
                             as_of="2011-09-30")
    assert_floats(result.revenue, expected["revenue"])
    assert result.as_of == datetime.date(2011, 9, 30) and result.a == 0.7
    # The per-customer revenue version, on RFM's monetary (as the C++ example does).
    by_revenue = ca.abc_analysis(retail_scores.customer_ids, retail_scores.monetary)
    reference = pandas_reference.abc_ranking(pd.Series(retail_scores.monetary, index=retail_scores.customer_ids))
    assert_ints(by_revenue.customer_ids, reference["customer_id"])
    assert list(by_revenue.classes) == list(reference["class"])
    assert_floats(by_revenue.cumulative_share, reference["cumulative_share"])
    assert by_revenue.classes.dtype == np.dtype("<U1")
    frame = by_revenue.to_pandas()
    assert frame.index.name == "customer_id" and list(frame.columns) == ["rank", "revenue", "cumulative_share",
                                                                         "class"]
    assert result.totals[ca.AbcClass.A].customers > 0
    assert repr(result.totals[ca.AbcClass.C]).startswith("AbcClassTotals(customers=")
    assert repr(by_revenue).startswith("AbcResult(customers=4339")
    with pytest.raises(crmkit.ValidationError) as error:
        ca.abc_analysis([1, 1], [1.0, 2.0])
    assert error.value.field == "customer_ids"
    with pytest.raises(ValueError, match="revenue: has 1 values"):
        ca.abc_analysis([1, 2], [1.0])


# ---------------------------------------------------------------------------------------------
# Stores

@needs_cli
def test_store_adapters_equal_the_cli(tmp_path):
    if not hasattr(crmkit, "open"):
        pytest.skip("crmkit.open is not bound")
    db = tmp_path / "crm.db"
    purchases = TEST_DATA_DIR / "cli" / "purchases.csv"
    cli("import", "purchases", purchases, "--db", db, "--quiet", parse=False)
    store = crmkit.open(f"sqlite:{db}")
    expected = cli("rfm", "--db", db, "--as-of", "2024-06-30", "--format", "csv", "--no-segments",
                   "--currency", "EUR")
    s = ca.rfm(store, as_of="2024-06-30", currency="EUR")
    for column in ["customer_id", "recency_days", "frequency", "r", "f", "m"]:
        assert_ints(s.to_dict()[column], expected[column])
    assert_floats(s.monetary, expected["monetary"])
    data = ca.load_purchases(store, currency="EUR")
    assert data.currency == "EUR" and data.report is None and len(data) > 0
    same = ca.rfm(data.customer_ids, data.timestamps, data.amounts, as_of="2024-06-30")
    np.testing.assert_array_equal(same.monetary, s.monetary)
    summary = ca.customer_summary(store, currency="EUR")
    expected_summary = cli("summary", "--db", db, "--format", "csv", "--currency", "EUR")
    assert_ints(summary.frequency, expected_summary["frequency"])
    assert_floats(summary.T, expected_summary["T"])
    table = ca.cohorts(store, currency="EUR", period="week")
    assert table.sizes.sum() == len(summary)
    abc = ca.abc_analysis(store, currency="EUR")
    assert len(abc) == len(summary)
    since = datetime.datetime(2024, 2, 1, tzinfo=datetime.timezone.utc)
    later = ca.load_purchases(store, currency="EUR", since=since)
    assert (later.timestamps >= np.datetime64("2024-02-01")).all() and len(later) < len(data)
    with pytest.raises(TypeError, match="currency"):
        ca.rfm(store, currency=42)
