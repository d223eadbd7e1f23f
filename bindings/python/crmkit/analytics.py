"""crmkit.analytics: RFM scores and segments, the customer summary, k-means, cohorts and ABC
analysis on numpy columns, with pandas conveniences.

The compiled functions take purchases as three columns — ``customer_ids`` (integers),
``timestamps`` (datetime64, naive meaning UTC, or tz-aware pandas) and ``amounts`` (major
currency units) — as numpy arrays, pandas Series or lists, and return result objects whose
columns are read-only numpy arrays (``to_dict()``, ``to_pandas()``)::

    import crmkit.analytics as ca
    scores = ca.rfm(ids, times, amounts, as_of="2011-12-09")
    scores.r, scores.f, scores.m          # numpy uint8 arrays, in ascending customer id
    ca.summarize_segments(scores, ca.assign_segments(scores))

The ``*_table`` functions below take a pandas DataFrame and the names of its columns and return
a DataFrame (pandas is needed only for them)::

    ca.rfm_table(df, customer_id="CustomerID", timestamp="InvoiceDate", amount="amount")
"""

from __future__ import annotations

from typing import Any

from . import _crmkit
from ._export import export as _export

__all__: list[str] = _export(globals(), _crmkit.analytics)


def _pandas(what: str) -> Any:
    try:
        import pandas
    except ImportError as error:  # pragma: no cover - pandas is installed where the tests run
        raise ImportError(
            f"crmkit.analytics.{what}() needs pandas, which is not installed (pip install pandas, "
            "or apt install python3-pandas); the functions without _table work on numpy arrays"
        ) from error
    return pandas


def _columns(df: Any, customer_id: str, timestamp: str, amount: str, what: str) -> tuple[Any, Any, Any]:
    """The three purchase columns of ``df``; times that are not datetime64 are parsed as UTC."""
    pd = _pandas(what)
    for role, name in (("customer_id", customer_id), ("timestamp", timestamp), ("amount", amount)):
        if name not in df.columns:
            raise KeyError(f"{what}: the DataFrame has no column {name!r} ({role}=); "
                           f"its columns: {list(df.columns)}")
    times = df[timestamp]
    if not (pd.api.types.is_datetime64_any_dtype(times.dtype)):
        times = pd.to_datetime(times, utc=True)
    return df[customer_id], times, df[amount]


def rfm_table(df: Any, customer_id: str = "customer_id", timestamp: str = "timestamp",
              amount: str = "amount", **options: Any) -> Any:
    """RFM values and scores of the purchases in ``df``: a DataFrame indexed by customer id
    (named ``customer_id``) with the columns recency_days, frequency, monetary, r, f, m.

    ``customer_id``, ``timestamp``, ``amount`` name the columns of ``df`` (timestamps may be
    datetime64, tz-aware, or text that pandas.to_datetime reads as UTC); ``options`` are those of
    :func:`rfm` (as_of, bins, binning, period, threads).
    """
    return rfm(*_columns(df, customer_id, timestamp, amount, "rfm_table"), **options).to_pandas()


def segment_table(df: Any, customer_id: str = "customer_id", timestamp: str = "timestamp",
                  amount: str = "amount", rules: SegmentRules | None = None, **options: Any) -> Any:
    """:func:`rfm_table` plus a ``segment`` column (a pandas Categorical, categories in the
    order of the rules): the standard segments, or those of ``rules`` (a :class:`SegmentRules`)."""
    pd = _pandas("segment_table")
    scores = rfm(*_columns(df, customer_id, timestamp, amount, "segment_table"), **options)
    segmentation = assign_segments(scores, rules)
    table = scores.to_pandas()
    table["segment"] = pd.Categorical.from_codes(segmentation.segment.astype("int64"),
                                                 categories=segmentation.labels)
    return table


def segment_summary_table(df: Any, customer_id: str = "customer_id", timestamp: str = "timestamp",
                          amount: str = "amount", rules: SegmentRules | None = None,
                          **options: Any) -> Any:
    """One row per segment (indexed by label, in the order of the rules, empty segments
    included): customers, customer_share, revenue, revenue_share, mean_recency_days,
    mean_frequency, mean_monetary (see :func:`summarize_segments`)."""
    pd = _pandas("segment_summary_table")
    scores = rfm(*_columns(df, customer_id, timestamp, amount, "segment_summary_table"), **options)
    stats = summarize_segments(scores, assign_segments(scores, rules))
    fields = ["customers", "customer_share", "revenue", "revenue_share", "mean_recency_days",
              "mean_frequency", "mean_monetary"]
    return pd.DataFrame({f: [getattr(s, f) for s in stats] for f in fields},
                        index=pd.Index([s.label for s in stats], name="segment"))


def customer_summary_table(df: Any, customer_id: str = "customer_id", timestamp: str = "timestamp",
                           amount: str = "amount", **options: Any) -> Any:
    """The customer summary of the purchases in ``df`` (lifetimes' columns frequency, recency, T,
    monetary_value, plus first_purchase, last_purchase, total_spend, purchase_periods), indexed by
    customer id; ``options`` are those of :func:`customer_summary` (period, time_unit, as_of,
    threads)."""
    columns = _columns(df, customer_id, timestamp, amount, "customer_summary_table")
    return customer_summary(*columns, **options).to_pandas()


def calibration_holdout_table(df: Any, customer_id: str = "customer_id",
                              timestamp: str = "timestamp", amount: str = "amount",
                              **options: Any) -> Any:
    """The calibration/holdout split of :func:`calibration_holdout_summary` (options:
    calibration_end, required, observation_end, period, time_unit, threads) as a DataFrame
    indexed by customer id: the calibration summary plus frequency_holdout,
    monetary_value_holdout and duration_holdout."""
    columns = _columns(df, customer_id, timestamp, amount, "calibration_holdout_table")
    return calibration_holdout_summary(*columns, **options).to_pandas()


def cohort_table(df: Any, customer_id: str = "customer_id", timestamp: str = "timestamp",
                 amount: str = "amount", metric: str = "retention", **options: Any) -> Any:
    """The cohort table of the purchases in ``df`` as one row per cohort (index ``cohort``: the
    first day of the acquisition period), a ``size`` column, then one column per age 0, 1, ...
    holding ``metric`` (``"retention"``, ``"active"`` or ``"revenue"``); cells after as_of are
    NaN (``<NA>`` for active). ``options`` are those of :func:`cohorts` (period, as_of, threads)."""
    pd = _pandas("cohort_table")
    if metric not in ("retention", "active", "revenue"):
        raise ValueError(f"metric: {metric!r} is not one of 'retention', 'active', 'revenue'")
    table = cohorts(*_columns(df, customer_id, timestamp, amount, "cohort_table"), **options)
    if metric == "retention":
        cells = pd.DataFrame(table.retention_rates())
    else:
        values = table.active if metric == "active" else table.revenue
        cells = pd.DataFrame(values).where(table.observed_mask())
        if metric == "active":
            cells = cells.astype("Int64")
    cells.insert(0, "size", table.sizes)
    cells.index = pd.Index(pd.to_datetime(table.cohorts), name="cohort")
    return cells


def abc_table(df: Any, customer_id: str = "customer_id", timestamp: str = "timestamp",
              amount: str = "amount", **options: Any) -> Any:
    """ABC analysis of the purchases in ``df``: customers in rank order (index customer_id) with
    rank, revenue, cumulative_share and class; ``options`` are those of :func:`abc_analysis`
    (a, b, as_of)."""
    return abc_analysis(*_columns(df, customer_id, timestamp, amount, "abc_table"), **options).to_pandas()


def cluster_table(df: Any, customer_id: str = "customer_id", timestamp: str = "timestamp",
                  amount: str = "amount", *, as_of: Any = None, period: Any = "day",
                  **kmeans_options: Any) -> Any:
    """k-means on the RFM values of the purchases in ``df``: :func:`rfm_table` plus a ``cluster``
    column. ``as_of`` and ``period`` go to :func:`rfm`, the other options to :func:`kmeans`
    (k, n_init, max_iterations, tolerance, seed, scaling, initial_centroids, threads)."""
    columns = _columns(df, customer_id, timestamp, amount, "cluster_table")
    scores = rfm(*columns, as_of=as_of, period=period)
    result = kmeans(rfm_features(scores), **kmeans_options)
    table = scores.to_pandas()
    table["cluster"] = result.labels
    return table


__all__ += ["rfm_table", "segment_table", "segment_summary_table", "customer_summary_table",
            "calibration_holdout_table", "cohort_table", "abc_table", "cluster_table"]
