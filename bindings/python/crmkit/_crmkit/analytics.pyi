# Stubs of the compiled module crmkit._crmkit.analytics (public as crmkit.analytics).
from __future__ import annotations

import datetime
import enum
import os
from typing import Any, overload

import numpy
import numpy.typing

from crmkit._crmkit.storage import Store as _Store

_ArrayLike = numpy.typing.ArrayLike
_Date = datetime.date | str
_Time = datetime.datetime | str | numpy.datetime64

class Period(enum.Enum):
    """A calendar period in UTC (day, ISO week, month)."""
    day = "day"
    week = "week"
    month = "month"

class Binning(enum.Enum):
    """How values are cut into score bins: by rank (equal-count bins) or by value (quantile edges)."""
    rank = "rank"
    value = "value"

class Scaling(enum.Enum):
    """How features are transformed before k-means."""
    none = "none"
    standardize = "standardize"
    log1p_standardize = "log1p_standardize"

class AbcClass(enum.Enum):
    """An ABC class."""
    A = "A"
    B = "B"
    C = "C"

@overload
def period_index(time: _Time, period: Period | str) -> int:
    """The index of the period holding the instant ``time``."""
@overload
def period_index(day: _Date, period: Period | str) -> int:
    """The index of the period holding the calendar day ``day``."""
def period_start(index: int, period: Period | str) -> datetime.date:
    """The first day of the period with index ``index``."""
def days_in(period: Period | str) -> float:
    """The length of ``period`` in days."""
def units_per_period(period: Period | str, unit: Period | str) -> float:
    """How many ``unit``s one ``period`` lasts."""

class BinnedScores:
    """Scores of one column of values, with the bin edges."""
    @property
    def scores(self) -> numpy.typing.NDArray[numpy.uint8]:
        """One score per value."""
    @property
    def edges(self) -> numpy.typing.NDArray[numpy.float64]:
        """bins + 1 edges."""
    def __len__(self) -> int: ...

def bin_scores(values: _ArrayLike, bins: int, *, binning: Binning | str = ...) -> BinnedScores:
    """Cuts ``values`` into ``bins`` scores."""

class PurchaseColumnsReport:
    """What read_purchase_columns() kept and dropped."""
    @property
    def rows_read(self) -> int:
        """Data rows in the file."""
    @property
    def rows_kept(self) -> int:
        """Rows in the result."""
    @property
    def rows_without_customer(self) -> int:
        """Rows dropped by skip_rows_without_customer."""
    @property
    def rows_nonpositive(self) -> int:
        """Rows dropped by skip_nonpositive."""
    @property
    def rows_excluded(self) -> int:
        """Rows dropped by exclude_column/exclude_prefix."""

class PurchaseData:
    """Purchase columns that own their data."""
    @property
    def customer_ids(self) -> numpy.typing.NDArray[numpy.int64]:
        """The purchasing customer of each row."""
    @property
    def timestamps(self) -> numpy.typing.NDArray[numpy.datetime64]:
        """When, as datetime64[us]."""
    @property
    def times_us(self) -> numpy.typing.NDArray[numpy.int64]:
        """When, as microseconds since the epoch."""
    @property
    def amounts(self) -> numpy.typing.NDArray[numpy.float64]:
        """How much, in major units."""
    @property
    def currency(self) -> str:
        """The ISO 4217 code of every amount."""
    @property
    def report(self) -> PurchaseColumnsReport | None:
        """What reading a CSV file kept and dropped."""
    def __len__(self) -> int: ...
    def to_dict(self) -> dict[str, numpy.ndarray]:
        """The columns as numpy arrays."""
    def to_pandas(self) -> Any:
        """The columns as a pandas DataFrame."""

class CustomerSummary:
    """One row per customer: frequency, recency, T, monetary value."""
    @property
    def customer_ids(self) -> numpy.typing.NDArray[numpy.int64]:
        """Customer ids, ascending."""
    @property
    def first_purchase_us(self) -> numpy.typing.NDArray[numpy.datetime64]:
        """Time of each customer's earliest purchase."""
    @property
    def last_purchase_us(self) -> numpy.typing.NDArray[numpy.datetime64]:
        """Time of each customer's latest purchase."""
    @property
    def frequency(self) -> numpy.typing.NDArray[numpy.int64]:
        """Repeat purchase periods."""
    @property
    def recency(self) -> numpy.typing.NDArray[numpy.float64]:
        """Last - first purchase period, in time units."""
    @property
    def T(self) -> numpy.typing.NDArray[numpy.float64]:
        """as_of period - first purchase period, in time units."""
    @property
    def monetary_value(self) -> numpy.typing.NDArray[numpy.float64]:
        """Mean per-period total of the repeat periods."""
    @property
    def total_spend(self) -> numpy.typing.NDArray[numpy.float64]:
        """Sum of every purchase amount."""
    @property
    def purchase_periods(self) -> numpy.typing.NDArray[numpy.int64]:
        """Distinct purchase periods."""
    @property
    def period(self) -> Period:
        """The period purchases were grouped by."""
    @property
    def time_unit(self) -> Period:
        """The unit of recency and T."""
    @property
    def as_of(self) -> datetime.date:
        """The last day of the observation window."""
    def __len__(self) -> int: ...
    def find(self, customer_id: int) -> int | None:
        """The row of ``customer_id``, or None."""
    def to_dict(self) -> dict[str, numpy.ndarray]:
        """The columns as numpy arrays."""
    def to_pandas(self) -> Any:
        """The columns as a pandas DataFrame indexed by customer_id."""

class CalibrationHoldout:
    """A calibration summary plus the holdout behaviour of its customers."""
    @property
    def calibration(self) -> CustomerSummary:
        """The summary up to calibration_end."""
    @property
    def holdout_frequency(self) -> numpy.typing.NDArray[numpy.int64]:
        """Distinct purchase periods in the holdout."""
    @property
    def holdout_monetary_value(self) -> numpy.typing.NDArray[numpy.float64]:
        """Mean per-period total in the holdout."""
    @property
    def holdout_duration(self) -> float:
        """observation_end - calibration_end, in time units."""
    @property
    def observation_end(self) -> datetime.date:
        """The last day of the holdout."""
    def __len__(self) -> int: ...
    def to_dict(self) -> dict[str, numpy.ndarray]:
        """The columns as numpy arrays."""
    def to_pandas(self) -> Any:
        """The columns as a pandas DataFrame indexed by customer_id."""

@overload
def customer_summary(store: _Store, *, period: Period | str = ..., time_unit: Period | str | None = None,
                     as_of: _Date | None = None, threads: int = 0, currency: Any = None,
                     since: _Time | None = None, until: _Time | None = None) -> CustomerSummary:
    """customer_summary() of the purchases of a store."""
@overload
def customer_summary(customer_ids: _ArrayLike, timestamps: _ArrayLike, amounts: _ArrayLike, *,
                     period: Period | str = ..., time_unit: Period | str | None = None,
                     as_of: _Date | None = None, threads: int = 0) -> CustomerSummary:
    """Summarizes purchases per customer."""

def calibration_holdout_summary(customer_ids: _ArrayLike, timestamps: _ArrayLike, amounts: _ArrayLike, *,
                                calibration_end: _Date, observation_end: _Date | None = None,
                                period: Period | str = ..., time_unit: Period | str | None = None,
                                threads: int = 0) -> CalibrationHoldout:
    """Splits purchases at calibration_end and summarizes both sides."""

class RfmEdges:
    """The bin edges of each RFM dimension."""
    @property
    def recency_days(self) -> numpy.typing.NDArray[numpy.float64]:
        """Edges of recency_days."""
    @property
    def frequency(self) -> numpy.typing.NDArray[numpy.float64]:
        """Edges of frequency."""
    @property
    def monetary(self) -> numpy.typing.NDArray[numpy.float64]:
        """Edges of monetary."""

class RfmScores:
    """RFM values and scores, one row per customer."""
    @property
    def customer_ids(self) -> numpy.typing.NDArray[numpy.int64]:
        """Customer ids, ascending."""
    @property
    def recency_days(self) -> numpy.typing.NDArray[numpy.int32]:
        """Days from the last purchase day to as_of."""
    @property
    def frequency(self) -> numpy.typing.NDArray[numpy.int64]:
        """Distinct purchase periods."""
    @property
    def monetary(self) -> numpy.typing.NDArray[numpy.float64]:
        """Total spend."""
    @property
    def r(self) -> numpy.typing.NDArray[numpy.uint8]:
        """Recency score."""
    @property
    def f(self) -> numpy.typing.NDArray[numpy.uint8]:
        """Frequency score."""
    @property
    def m(self) -> numpy.typing.NDArray[numpy.uint8]:
        """Monetary score."""
    @property
    def bins(self) -> int:
        """The number of bins used."""
    @property
    def binning(self) -> Binning:
        """The binning used."""
    @property
    def period(self) -> Period:
        """The purchase period used."""
    @property
    def as_of(self) -> datetime.date:
        """The day recency was measured to."""
    @property
    def edges(self) -> RfmEdges:
        """The bin edges."""
    def __len__(self) -> int: ...
    def to_dict(self) -> dict[str, numpy.ndarray]:
        """The columns as numpy arrays."""
    def to_pandas(self) -> Any:
        """The columns as a pandas DataFrame indexed by customer_id."""

@overload
def rfm(store: _Store, *, as_of: _Date | None = None, bins: int = 5, binning: Binning | str = ...,
        period: Period | str = ..., threads: int = 0, currency: Any = None, since: _Time | None = None,
        until: _Time | None = None) -> RfmScores:
    """rfm() of the purchases of a store."""
@overload
def rfm(summary: CustomerSummary, *, bins: int = 5, binning: Binning | str = ...) -> RfmScores:
    """RFM scores from a customer summary."""
@overload
def rfm(customer_ids: _ArrayLike, timestamps: _ArrayLike, amounts: _ArrayLike, *,
        as_of: _Date | None = None, bins: int = 5, binning: Binning | str = ...,
        period: Period | str = ..., threads: int = 0) -> RfmScores:
    """RFM scores of every customer."""

class ScoreRange:
    """An inclusive range of scores."""
    min: int
    max: int
    def __init__(self, min: int = 1, max: int = 100) -> None: ...
    def contains(self, score: int) -> bool:
        """True when min <= score <= max."""

class SegmentRule:
    """One rule: ranges on R, F and M, and a label."""
    label: str
    r: ScoreRange
    f: ScoreRange
    m: ScoreRange
    def __init__(self, label: str, r: ScoreRange = ..., f: ScoreRange = ..., m: ScoreRange = ...) -> None: ...

class SegmentRules:
    """Ordered rules and a fallback label."""
    rules: list[SegmentRule]
    fallback: str
    def __init__(self, rules: list[SegmentRule] = ..., fallback: str = "Other") -> None: ...
    @staticmethod
    def standard() -> SegmentRules:
        """The default grid on R and F with 5 bins."""
    def validate(self, bins: int) -> None:
        """Checks the rules against scores 1..bins."""

class Segmentation:
    """Which segment each customer is in."""
    @property
    def labels(self) -> list[str]:
        """Distinct labels."""
    @property
    def segment(self) -> numpy.typing.NDArray[numpy.uint16]:
        """Per customer, an index into labels."""
    def label_of(self, row: int) -> str:
        """The label of customer row ``row``."""
    def segment_labels(self) -> numpy.ndarray:
        """The label of every customer."""
    def __len__(self) -> int: ...

class SegmentStats:
    """Summary of one segment."""
    @property
    def label(self) -> str:
        """The segment."""
    @property
    def customers(self) -> int:
        """Customers in it."""
    @property
    def customer_share(self) -> float:
        """customers / all customers."""
    @property
    def revenue(self) -> float:
        """Sum of its customers' monetary values."""
    @property
    def revenue_share(self) -> float:
        """revenue / all revenue."""
    @property
    def mean_recency_days(self) -> float:
        """Mean recency in days."""
    @property
    def mean_frequency(self) -> float:
        """Mean number of purchase periods."""
    @property
    def mean_monetary(self) -> float:
        """Mean total spend."""

def assign_segments(scores: RfmScores, rules: SegmentRules | None = None) -> Segmentation:
    """Assigns every scored customer to a segment."""
def summarize_segments(scores: RfmScores, segmentation: Segmentation) -> list[SegmentStats]:
    """One SegmentStats per label."""

class FeatureTable:
    """Features with their names."""
    @property
    def values(self) -> numpy.typing.NDArray[numpy.float64]:
        """(rows, cols) features."""
    @property
    def rows(self) -> int:
        """Observations."""
    @property
    def cols(self) -> int:
        """Features per observation."""
    @property
    def names(self) -> list[str]:
        """One name per feature."""
    def __len__(self) -> int: ...
    def to_pandas(self) -> Any:
        """The features as a pandas DataFrame."""

def rfm_features(scores: RfmScores) -> FeatureTable:
    """The features recency_days, frequency, monetary."""

class KMeansResult:
    """The best k-means run."""
    @property
    def k(self) -> int:
        """Clusters."""
    @property
    def cols(self) -> int:
        """Features."""
    @property
    def labels(self) -> numpy.typing.NDArray[numpy.int32]:
        """Per observation, the cluster."""
    @property
    def centroids(self) -> numpy.typing.NDArray[numpy.float64]:
        """(k, cols) centroids in original units."""
    @property
    def scaled_centroids(self) -> numpy.typing.NDArray[numpy.float64]:
        """(k, cols) centroids in the scaled space."""
    @property
    def sizes(self) -> numpy.typing.NDArray[numpy.int64]:
        """Observations per cluster."""
    @property
    def inertia(self) -> float:
        """Sum of squared distances, scaled space."""
    @property
    def iterations(self) -> int:
        """Lloyd iterations of the winning run."""
    @property
    def converged(self) -> bool:
        """Whether the winning run met the tolerance."""
    @property
    def best_init(self) -> int:
        """Which initialization won."""
    @property
    def scaling(self) -> Scaling:
        """The transform used."""
    @property
    def feature_means(self) -> numpy.typing.NDArray[numpy.float64]:
        """Per feature, subtracted."""
    @property
    def feature_scales(self) -> numpy.typing.NDArray[numpy.float64]:
        """Per feature, divided by."""

def kmeans(features: _ArrayLike | FeatureTable, *, k: int = 4, n_init: int = 10, max_iterations: int = 300,
           tolerance: float = 0.0001, seed: int = 0, scaling: Scaling | str = ...,
           initial_centroids: _ArrayLike | None = None, threads: int = 0) -> KMeansResult:
    """Clusters the rows of ``features``."""
def silhouette_score(features: _ArrayLike | FeatureTable, labels: _ArrayLike, *, scaling: Scaling | str = ...,
                     sample_size: int = 10000, seed: int = 0) -> float:
    """Mean silhouette coefficient of a clustering."""

class KChoice:
    """One point of the curve that helps choose k."""
    @property
    def k(self) -> int:
        """Clusters."""
    @property
    def inertia(self) -> float:
        """Inertia of the best run."""
    @property
    def silhouette(self) -> float:
        """Sampled silhouette score."""

def inertia_curve(features: _ArrayLike | FeatureTable, k_min: int, k_max: int, *, n_init: int = 10,
                  max_iterations: int = 300, tolerance: float = 0.0001, seed: int = 0,
                  scaling: Scaling | str = ..., threads: int = 0,
                  silhouette_sample: int = 10000) -> list[KChoice]:
    """k-means for every k in k_min..k_max."""

class CohortTable:
    """Cohorts x ages."""
    @property
    def period(self) -> Period:
        """The cohort and age period."""
    @property
    def as_of(self) -> datetime.date:
        """The last day observed."""
    @property
    def cohorts(self) -> numpy.typing.NDArray[numpy.datetime64]:
        """First day of each acquisition period."""
    @property
    def sizes(self) -> numpy.typing.NDArray[numpy.int64]:
        """Customers acquired in each cohort."""
    @property
    def ages(self) -> int:
        """The number of ages."""
    @property
    def active(self) -> numpy.typing.NDArray[numpy.int64]:
        """(cohorts, ages) active customers."""
    @property
    def revenue(self) -> numpy.typing.NDArray[numpy.float64]:
        """(cohorts, ages) revenue."""
    def observed(self, cohort: int, age: int) -> bool:
        """Whether the cell is observed."""
    def active_at(self, cohort: int, age: int) -> int:
        """Active customers at (cohort, age)."""
    def revenue_at(self, cohort: int, age: int) -> float:
        """Revenue at (cohort, age)."""
    def retention(self, cohort: int, age: int) -> float:
        """Retention rate at (cohort, age)."""
    def retention_rates(self) -> numpy.typing.NDArray[numpy.float64]:
        """(cohorts, ages) retention rates, NaN where not observed."""
    def observed_mask(self) -> numpy.typing.NDArray[numpy.bool_]:
        """(cohorts, ages) observed cells."""
    def __len__(self) -> int: ...
    def to_dict(self) -> dict[str, numpy.ndarray]:
        """Long form, one row per observed cell."""
    def to_pandas(self) -> Any:
        """Long form as a pandas DataFrame."""

@overload
def cohorts(store: _Store, *, period: Period | str = ..., as_of: _Date | None = None, threads: int = 0,
            currency: Any = None, since: _Time | None = None, until: _Time | None = None) -> CohortTable:
    """cohorts() of the purchases of a store."""
@overload
def cohorts(customer_ids: _ArrayLike, timestamps: _ArrayLike, amounts: _ArrayLike, *,
            period: Period | str = ..., as_of: _Date | None = None, threads: int = 0) -> CohortTable:
    """Builds the cohort table."""

class AbcClassTotals:
    """Totals of one ABC class."""
    @property
    def customers(self) -> int:
        """Customers in the class."""
    @property
    def revenue(self) -> float:
        """Their revenue."""
    @property
    def customer_share(self) -> float:
        """customers / all customers."""
    @property
    def revenue_share(self) -> float:
        """revenue / total positive revenue."""

class AbcResult:
    """Customers ranked by revenue, with cumulative share and class."""
    @property
    def customer_ids(self) -> numpy.typing.NDArray[numpy.int64]:
        """Customer ids in rank order."""
    @property
    def revenue(self) -> numpy.typing.NDArray[numpy.float64]:
        """Each customer's total revenue."""
    @property
    def cumulative_share(self) -> numpy.typing.NDArray[numpy.float64]:
        """Cumulative share of positive revenue."""
    @property
    def classes(self) -> numpy.typing.NDArray[numpy.str_]:
        """Each customer's class letter."""
    @property
    def totals(self) -> dict[AbcClass, AbcClassTotals]:
        """Per class totals."""
    @property
    def total_revenue(self) -> float:
        """Sum of the positive revenues."""
    @property
    def a(self) -> float:
        """The class A threshold used."""
    @property
    def b(self) -> float:
        """The class B threshold used."""
    @property
    def as_of(self) -> datetime.date | None:
        """The last day counted."""
    def __len__(self) -> int: ...
    def to_dict(self) -> dict[str, numpy.ndarray]:
        """The columns as numpy arrays."""
    def to_pandas(self) -> Any:
        """The columns as a pandas DataFrame indexed by customer_id."""

@overload
def abc_analysis(store: _Store, *, a: float = 0.8, b: float = 0.95, as_of: _Date | None = None,
                 currency: Any = None, since: _Time | None = None, until: _Time | None = None) -> AbcResult:
    """abc_analysis() of the purchases of a store."""
@overload
def abc_analysis(customer_ids: _ArrayLike, timestamps: _ArrayLike, amounts: _ArrayLike, *, a: float = 0.8,
                 b: float = 0.95, as_of: _Date | None = None) -> AbcResult:
    """ABC analysis of purchases."""
@overload
def abc_analysis(customer_ids: _ArrayLike, revenue: _ArrayLike, *, a: float = 0.8, b: float = 0.95) -> AbcResult:
    """ABC analysis of per-customer revenue."""

def read_purchase_columns(path: str | os.PathLike[str], *, customer_column: str = "customer_id",
                          time_column: str = "timestamp", amount_column: str = "amount",
                          unit_price_column: str = "", quantity_column: str = "",
                          time_format: Any = "iso8601", strip_decimal_zero_keys: bool = False,
                          skip_rows_without_customer: bool = False, skip_nonpositive: bool = False,
                          exclude_column: str = "", exclude_prefix: str = "", delimiter: str = ",",
                          quote: str = '"', header: bool = True, threads: int = 0) -> PurchaseData:
    """Reads a purchases CSV file into numpy columns."""
def load_purchases(store: _Store, *, currency: Any = None, since: _Time | None = None,
                   until: _Time | None = None) -> PurchaseData:
    """Loads the purchases of a store."""
