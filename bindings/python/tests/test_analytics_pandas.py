"""The pandas conveniences of crmkit.analytics: a DataFrame and column names in, a DataFrame out.

References: the compiled functions on the same columns (test_analytics.py checks those against the
crmkit program and pandas), the `crmkit` program's cohort matrix, and bench/analytics_pandas.py.
"""

from __future__ import annotations

import builtins
import datetime
import importlib.util
import os
import pathlib
import sys

import numpy as np
import pandas as pd
import pytest

import crmkit.analytics as ca

SOURCE_DIR = pathlib.Path(os.environ.get("CRMKIT_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[3]))
EXAMPLES_DIR = pathlib.Path(os.environ.get("CRMKIT_EXAMPLES_DIR", SOURCE_DIR / "examples"))
TEST_DATA_DIR = pathlib.Path(os.environ.get("CRMKIT_TEST_DATA_DIR", SOURCE_DIR / "tests" / "data"))
RETAIL = EXAMPLES_DIR / "data" / "online_retail.csv.gz"


def load_pandas_reference():
    spec = importlib.util.spec_from_file_location("analytics_pandas", SOURCE_DIR / "bench" / "analytics_pandas.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def reference():
    return load_pandas_reference()


@pytest.fixture(scope="module")
def orders(reference):
    """Online Retail as a user's DataFrame: their own column names, tz-aware times."""
    df = reference.load_online_retail(RETAIL)
    return pd.DataFrame({"CustomerID": df["customer_id"],
                         "InvoiceDate": df["time"].dt.tz_localize("UTC").dt.tz_convert("Europe/London"),
                         "Amount": df["amount"]})


COLUMNS = dict(customer_id="CustomerID", timestamp="InvoiceDate", amount="Amount")


def columns(df):
    return df["CustomerID"], df["InvoiceDate"], df["Amount"]


def test_rfm_table(orders, reference):
    table = ca.rfm_table(orders, **COLUMNS, as_of="2011-12-09")
    assert table.index.name == "customer_id" and len(table) == 4339
    assert list(table.columns) == ["recency_days", "frequency", "monetary", "r", "f", "m"]
    scores = ca.rfm(*columns(orders), as_of="2011-12-09")
    np.testing.assert_array_equal(table.index.to_numpy(), scores.customer_ids)
    np.testing.assert_array_equal(table["m"].to_numpy(), scores.m)
    expected = reference.rfm(reference.load_online_retail(RETAIL), as_of="2011-12-09")
    np.testing.assert_array_equal(table["recency_days"].to_numpy(), expected["recency_days"].to_numpy())
    np.testing.assert_allclose(table["monetary"].to_numpy(), expected["monetary"].to_numpy(), rtol=1e-9)
    value = ca.rfm_table(orders, **COLUMNS, binning="value", bins=4, period="week")
    assert value["f"].max() <= 4


def test_default_column_names_and_text_times():
    df = pd.DataFrame({"customer_id": [1, 1, 2], "timestamp": ["2024-01-05T10:00:00Z", "2024-02-01", "2024-02-01"],
                       "amount": [10.0, 5.0, 1.0]})
    table = ca.rfm_table(df, bins=2)
    assert list(table.index) == [1, 2] and list(table["frequency"]) == [2, 1]
    assert list(table["monetary"]) == [15.0, 1.0]
    with pytest.raises(KeyError, match="no column 'when'"):
        ca.rfm_table(df, timestamp="when")


def test_segment_tables(orders):
    table = ca.segment_table(orders, **COLUMNS, as_of="2011-12-09")
    assert isinstance(table["segment"].dtype, pd.CategoricalDtype)
    scores = ca.rfm(*columns(orders), as_of="2011-12-09")
    np.testing.assert_array_equal(table["segment"].astype(str).to_numpy(),
                                  ca.assign_segments(scores).segment_labels().astype(str))
    assert list(table["segment"].cat.categories) == ca.assign_segments(scores).labels
    summary = ca.segment_summary_table(orders, **COLUMNS, as_of="2011-12-09")
    stats = ca.summarize_segments(scores, ca.assign_segments(scores))
    assert list(summary.index) == [s.label for s in stats] and summary.index.name == "segment"
    assert list(summary["customers"]) == [s.customers for s in stats]
    assert summary.loc["Champions", "customers"] == (table["segment"] == "Champions").sum()
    np.testing.assert_allclose(summary.loc["Champions", "revenue"],
                               table.loc[table["segment"] == "Champions", "monetary"].sum(), rtol=1e-12)
    rules = ca.SegmentRules([ca.SegmentRule("Top", m=ca.ScoreRange(5, 5))], fallback="Rest")
    custom = ca.segment_table(orders, **COLUMNS, rules=rules)
    assert list(custom["segment"].cat.categories) == ["Top", "Rest"]
    assert (custom["segment"] == "Top").sum() == (custom["m"] == 5).sum()


def test_customer_summary_tables(orders, reference):
    table = ca.customer_summary_table(orders, **COLUMNS, time_unit="week")
    expected = reference.customer_summary(reference.load_online_retail(RETAIL), time_unit="week")
    np.testing.assert_array_equal(table.index.to_numpy(), expected["customer_id"].to_numpy())
    for column in ["frequency", "recency", "T", "monetary_value"]:
        np.testing.assert_allclose(table[column].to_numpy(), expected[column].to_numpy(), rtol=1e-9, atol=1e-9)
    holdout = ca.calibration_holdout_table(orders, **COLUMNS, calibration_end=datetime.date(2011, 6, 30))
    direct = ca.calibration_holdout_summary(*columns(orders), calibration_end="2011-06-30")
    assert len(holdout) == len(direct)
    np.testing.assert_array_equal(holdout["frequency_holdout"].to_numpy(), direct.holdout_frequency)
    assert (holdout["duration_holdout"] == direct.holdout_duration).all()


def test_cohort_table(orders, reference):
    table = ca.cohort_table(orders, **COLUMNS)
    long = reference.cohorts(reference.load_online_retail(RETAIL))
    wide = reference.cohort_matrix(long, "retention")
    assert list(table.index.strftime("%Y-%m-%d")) == list(wide["cohort"])
    assert list(table["size"]) == list(wide["size"])
    np.testing.assert_allclose(table.drop(columns="size").to_numpy(dtype=float),
                               wide.drop(columns=["cohort", "size"]).to_numpy(dtype=float), rtol=1e-12)
    active = ca.cohort_table(orders, **COLUMNS, metric="active")
    assert str(active[0].dtype) == "Int64" and active.iloc[1, -1] is pd.NA
    assert active.iloc[0, 1] == 885
    revenue = ca.cohort_table(orders, **COLUMNS, metric="revenue", period="week")
    assert np.isnan(revenue.iloc[-1, -1]) and revenue.index.name == "cohort"
    with pytest.raises(ValueError, match="metric"):
        ca.cohort_table(orders, **COLUMNS, metric="churn")


def test_abc_and_cluster_tables(orders, reference):
    table = ca.abc_table(orders, **COLUMNS)
    direct = ca.abc_analysis(*columns(orders))
    np.testing.assert_array_equal(table.index.to_numpy(), direct.customer_ids)
    assert list(table["class"]) == list(direct.classes) and list(table["rank"]) == list(range(1, 4340))
    # Revenue per customer as pandas sums it (the ranks may differ where sums tie but for the last bit).
    expected = reference.abc_revenue(reference.load_online_retail(RETAIL))
    np.testing.assert_allclose(table["revenue"].sort_index().to_numpy(), expected.to_numpy(), rtol=1e-9)
    clusters = ca.cluster_table(orders, **COLUMNS, as_of="2011-12-09", k=4, seed=7, scaling="log1p_standardize")
    scores = ca.rfm(*columns(orders), as_of="2011-12-09")
    result = ca.kmeans(ca.rfm_features(scores), k=4, seed=7, scaling="log1p_standardize")
    np.testing.assert_array_equal(clusters["cluster"].to_numpy(), result.labels)


def test_a_clear_message_without_pandas(monkeypatch):
    real_import = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("No module named 'pandas'")
        return real_import(name, *args, **kwargs)

    scores = ca.rfm([1, 2], np.array(["2024-01-01", "2024-01-02"], "datetime64[D]"), [1.0, 2.0])
    monkeypatch.delitem(sys.modules, "pandas")
    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(ImportError, match=r"rfm_table\(\) needs pandas"):
        ca.rfm_table(object())
    with pytest.raises(ImportError, match=r"RfmScores.to_pandas\(\) needs pandas"):
        scores.to_pandas()
    assert set(scores.to_dict()) == {"customer_id", "recency_days", "frequency", "monetary", "r", "f", "m"}
