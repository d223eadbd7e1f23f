# Stubs of crmkit.analytics: the compiled functions and classes plus the pandas conveniences.
from __future__ import annotations

from typing import Any

from crmkit._crmkit.analytics import *
from crmkit._crmkit.analytics import SegmentRules as _SegmentRules

def rfm_table(df: Any, customer_id: str = "customer_id", timestamp: str = "timestamp",
              amount: str = "amount", **options: Any) -> Any:
    """RFM values and scores of the purchases in a DataFrame, indexed by customer id."""
def segment_table(df: Any, customer_id: str = "customer_id", timestamp: str = "timestamp",
                  amount: str = "amount", rules: _SegmentRules | None = None, **options: Any) -> Any:
    """rfm_table() plus a segment column."""
def segment_summary_table(df: Any, customer_id: str = "customer_id", timestamp: str = "timestamp",
                          amount: str = "amount", rules: _SegmentRules | None = None,
                          **options: Any) -> Any:
    """One row per segment."""
def customer_summary_table(df: Any, customer_id: str = "customer_id", timestamp: str = "timestamp",
                           amount: str = "amount", **options: Any) -> Any:
    """The customer summary of the purchases in a DataFrame, indexed by customer id."""
def calibration_holdout_table(df: Any, customer_id: str = "customer_id", timestamp: str = "timestamp",
                              amount: str = "amount", **options: Any) -> Any:
    """The calibration/holdout split as a DataFrame indexed by customer id."""
def cohort_table(df: Any, customer_id: str = "customer_id", timestamp: str = "timestamp",
                 amount: str = "amount", metric: str = "retention", **options: Any) -> Any:
    """The cohort table, one row per cohort, one column per age."""
def abc_table(df: Any, customer_id: str = "customer_id", timestamp: str = "timestamp",
              amount: str = "amount", **options: Any) -> Any:
    """ABC analysis of the purchases in a DataFrame, in rank order."""
def cluster_table(df: Any, customer_id: str = "customer_id", timestamp: str = "timestamp",
                  amount: str = "amount", *, as_of: Any = None, period: Any = "day",
                  **kmeans_options: Any) -> Any:
    """k-means on RFM values: rfm_table() plus a cluster column."""
