# Stubs of the compiled module crmkit._crmkit.clv (re-exported by crmkit.clv).
from __future__ import annotations

import enum
from typing import Any, overload

import numpy
import numpy.typing

from crmkit._crmkit.analytics import CustomerSummary

_Floats = numpy.typing.ArrayLike
_FloatArray = numpy.typing.NDArray[numpy.float64]
_IntArray = numpy.typing.NDArray[numpy.int64]

class Model(enum.Enum):
    """The models crmkit fits: bgnbd, mbgnbd, paretonbd, bgbb, gammagamma."""

    bgnbd = "bgnbd"
    mbgnbd = "mbgnbd"
    paretonbd = "paretonbd"
    bgbb = "bgbb"
    gammagamma = "gammagamma"

class Discounting(enum.Enum):
    """How future value is discounted: steps (as lifetimes) or continuous."""

    steps = "steps"
    continuous = "continuous"

class FitOptions:
    """How a maximum-likelihood fit runs (a mutable value)."""

    penalizer: float
    initial: list[float]
    max_evaluations: int
    relative_tolerance: float
    standard_errors: bool
    threads: int
    def __init__(
        self,
        *,
        penalizer: float = 0.0,
        initial: list[float] = [],
        max_evaluations: int = 5000,
        relative_tolerance: float = 1e-10,
        standard_errors: bool = True,
        threads: int = 0,
    ) -> None:
        """Options by keyword; the defaults are the C++ ones."""
    def __eq__(self, other: object) -> bool:
        """Field-wise equality."""

class FitResult:
    """The outcome of a fit (read-only)."""

    @property
    def model(self) -> Model:
        """What was fitted."""
    @property
    def parameter_names(self) -> list[str]:
        """The parameter names in the model's order."""
    @property
    def parameters(self) -> dict[str, float]:
        """The estimates as a dict name -> value."""
    @property
    def parameter_values(self) -> _FloatArray:
        """The estimates as a float64 array."""
    @property
    def standard_errors(self) -> dict[str, float]:
        """Standard errors as a dict name -> value (empty when not available)."""
    @property
    def standard_error_values(self) -> _FloatArray:
        """The standard errors as a float64 array."""
    @property
    def standard_error_note(self) -> str:
        """Why the standard errors are missing, else ''."""
    @property
    def log_likelihood(self) -> float:
        """Sum of weight * log-likelihood at the estimates (no penalty)."""
    @property
    def evaluations(self) -> int:
        """Objective evaluations."""
    @property
    def converged(self) -> bool:
        """Whether the optimizer met its tolerance."""
    @property
    def reason(self) -> str:
        """The optimizer's stopping reason, in words."""
    @property
    def algorithm(self) -> str:
        """The optimizer(s) used."""
    @property
    def customers(self) -> float:
        """Sum of the weights."""
    @property
    def distinct_rows(self) -> int:
        """Rows after compression."""

class ClvOptions:
    """The horizon and discounting of a lifetime value (a mutable value)."""

    horizon: float
    step: float
    discount_rate: float
    discounting: Discounting
    threads: int
    def __init__(
        self,
        *,
        horizon: float = 12.0,
        step: float = 30.0,
        discount_rate: float = 0.01,
        discounting: Discounting | str = Discounting.steps,
        threads: int = 0,
    ) -> None:
        """Options by keyword."""
    def __eq__(self, other: object) -> bool:
        """Field-wise equality."""

class TransactionModel:
    """A transaction model: BgNbd, ModifiedBgNbd, ParetoNbd or BgBb (immutable)."""

    @property
    def model(self) -> Model:
        """Which model this is."""
    @property
    def parameter_names(self) -> list[str]:
        """The parameter names in the model's order."""
    @property
    def parameters(self) -> dict[str, float]:
        """The parameters as a dict name -> value."""
    def log_likelihood(self, frequency: _Floats, recency: _Floats, T: _Floats) -> Any:
        """Log-likelihood of each customer's (x, t_x, T)."""
    def total_log_likelihood(
        self, frequency: _Floats, recency: _Floats, T: _Floats, weights: _Floats | None = None
    ) -> float:
        """Sum of weight * log-likelihood over the rows."""
    def expected_purchases(self, t: _Floats) -> Any:
        """E[X(t)]."""
    def conditional_expected_purchases(
        self, t: _Floats, frequency: _Floats, recency: _Floats, T: _Floats, threads: int = 0
    ) -> Any:
        """E[Y(t) | x, t_x, T]."""
    def probability_alive(self, frequency: _Floats, recency: _Floats, T: _Floats, threads: int = 0) -> Any:
        """P(alive | x, t_x, T)."""
    def probability_of_purchases(self, n: _Floats, t: _Floats) -> Any:
        """P(X(t) = n)."""
    def __eq__(self, other: object) -> bool:
        """Same model and parameters."""

class BgNbd(TransactionModel):
    """BG/NBD (Fader, Hardie & Lee 2005)."""

    def __init__(self, r: float = 1.0, alpha: float = 1.0, a: float = 1.0, b: float = 1.0) -> None:
        """The model with these parameters."""
    @property
    def r(self) -> float:
        """Shape of the purchase-rate gamma distribution."""
    @property
    def alpha(self) -> float:
        """Scale of the purchase-rate gamma distribution."""
    @property
    def a(self) -> float:
        """Beta distribution of the dropout probability."""
    @property
    def b(self) -> float:
        """Beta distribution of the dropout probability."""

class ModifiedBgNbd(TransactionModel):
    """MBG/NBD (Batislam, Denizel & Filiztekin 2007)."""

    def __init__(self, r: float = 1.0, alpha: float = 1.0, a: float = 1.0, b: float = 1.0) -> None:
        """The model with these parameters."""
    @property
    def r(self) -> float:
        """Shape of the purchase-rate gamma distribution."""
    @property
    def alpha(self) -> float:
        """Scale of the purchase-rate gamma distribution."""
    @property
    def a(self) -> float:
        """Beta distribution of the dropout probability."""
    @property
    def b(self) -> float:
        """Beta distribution of the dropout probability."""

class ParetoNbd(TransactionModel):
    """Pareto/NBD (Schmittlein, Morrison & Colombo 1987)."""

    def __init__(self, r: float = 1.0, alpha: float = 1.0, s: float = 1.0, beta: float = 1.0) -> None:
        """The model with these parameters."""
    @property
    def r(self) -> float:
        """Shape of the purchase-rate gamma distribution."""
    @property
    def alpha(self) -> float:
        """Scale of the purchase-rate gamma distribution."""
    @property
    def s(self) -> float:
        """Shape of the dropout-rate gamma distribution."""
    @property
    def beta(self) -> float:
        """Scale of the dropout-rate gamma distribution."""

class BgBb(TransactionModel):
    """BG/BB (Fader, Hardie & Shang 2010), discrete opportunities."""

    def __init__(self, alpha: float = 1.0, beta: float = 1.0, gamma: float = 1.0, delta: float = 1.0) -> None:
        """The model with these parameters."""
    @property
    def alpha(self) -> float:
        """Beta distribution of the transaction probability."""
    @property
    def beta(self) -> float:
        """Beta distribution of the transaction probability."""
    @property
    def gamma(self) -> float:
        """Beta distribution of the dropout probability."""
    @property
    def delta(self) -> float:
        """Beta distribution of the dropout probability."""

def make_transaction_model(model: Model | str, parameters: _Floats) -> TransactionModel:
    """Builds a transaction model from its parameters in the model's order."""

class GammaGamma:
    """The Gamma-Gamma model of spend per transaction (immutable)."""

    def __init__(self, p: float = 1.0, q: float = 1.0, gamma: float = 1.0) -> None:
        """The model with these parameters."""
    @property
    def p(self) -> float:
        """Shape of the transaction-value gamma distribution."""
    @property
    def q(self) -> float:
        """Shape of the mean-value gamma distribution."""
    @property
    def gamma(self) -> float:
        """Scale of the mean-value gamma distribution."""
    @property
    def model(self) -> Model:
        """Model.gammagamma."""
    @property
    def parameter_names(self) -> list[str]:
        """['p', 'q', 'gamma']."""
    @property
    def parameters(self) -> dict[str, float]:
        """The parameters as a dict name -> value."""
    def log_likelihood(self, frequency: _Floats, monetary_value: _Floats) -> Any:
        """Log-likelihood of each repeat buyer's (x, m)."""
    def expected_spend(self) -> float:
        """E[M], the population mean transaction value."""
    def conditional_expected_spend(self, frequency: _Floats, monetary_value: _Floats) -> Any:
        """E[M | x, m]."""
    def __eq__(self, other: object) -> bool:
        """Equal parameters."""

class SummaryData:
    """Customers as (x, t_x, T) rows with optional weights (immutable)."""

    def __init__(
        self, frequency: _Floats, recency: _Floats, T: _Floats, weights: _Floats | None = None
    ) -> None:
        """Copies the columns."""
    @property
    def frequency(self) -> _FloatArray:
        """x."""
    @property
    def recency(self) -> _FloatArray:
        """t_x."""
    @property
    def T(self) -> _FloatArray:
        """T (or n for BG/BB)."""
    @property
    def weights(self) -> _FloatArray:
        """Customers per row; empty means 1 each."""
    def __len__(self) -> int:
        """Number of rows."""
    def validate(self, discrete: bool = False) -> None:
        """Checks the rows; raises crmkit.ValidationError."""
    def __eq__(self, other: object) -> bool:
        """Equal columns."""

class CompressedSummary:
    """Identical rows merged."""

    @property
    def rows(self) -> SummaryData:
        """The distinct rows with their summed weights."""
    @property
    def row_of(self) -> _IntArray:
        """For every input row, the index of its distinct row."""

def summary_data(summary: CustomerSummary | Any) -> SummaryData:
    """The (x, t_x, T) columns of a customer summary."""

def compress(
    frequency: _Floats, recency: _Floats, T: _Floats, weights: _Floats | None = None
) -> CompressedSummary:
    """Merges identical rows, summing their weights."""

class SpendData:
    """The repeat buyers' rows."""

    @property
    def frequency(self) -> _FloatArray:
        """x >= 1."""
    @property
    def monetary_value(self) -> _FloatArray:
        """Mean repeat-transaction value."""
    @property
    def rows(self) -> _IntArray:
        """The input row of each."""
    def __len__(self) -> int:
        """Number of repeat buyers."""

def spend_rows(frequency: _Floats, monetary_value: _Floats) -> SpendData:
    """The rows with frequency > 0."""

class TransactionFit:
    """A fitted transaction model with its fit report."""

    @property
    def model(self) -> TransactionModel:
        """The model at the estimates."""
    @property
    def result(self) -> FitResult:
        """The fit report."""

class GammaGammaFit:
    """A fitted Gamma-Gamma model with its fit report."""

    @property
    def model(self) -> GammaGamma:
        """The model at the estimates."""
    @property
    def result(self) -> FitResult:
        """The fit report."""

def fit_transaction_model(
    model: Model | str,
    frequency: _Floats,
    recency: _Floats,
    T: _Floats,
    weights: _Floats | None = None,
    options: FitOptions | None = None,
) -> TransactionFit:
    """Fits a transaction model by maximum likelihood."""

def fit_gamma_gamma(
    frequency: _Floats,
    monetary_value: _Floats,
    weights: _Floats | None = None,
    options: FitOptions | None = None,
) -> GammaGammaFit:
    """Fits Gamma-Gamma to repeat buyers."""

class Predictions:
    """P(alive) and expected purchases of every row."""

    @property
    def probability_alive(self) -> _FloatArray:
        """P(alive | x, t_x, T)."""
    @property
    def expected_purchases(self) -> _FloatArray:
        """E[Y(horizon) | x, t_x, T]."""
    def __len__(self) -> int:
        """Number of rows."""

def predict(
    model: TransactionModel, frequency: _Floats, recency: _Floats, T: _Floats, horizon: float, threads: int = 0
) -> Predictions:
    """P(alive) and expected purchases over the horizon of every row."""

@overload
def lifetime_value(
    model: TransactionModel,
    gamma_gamma: GammaGamma,
    frequency: _Floats,
    recency: _Floats,
    T: _Floats,
    monetary_value: _Floats,
    options: ClvOptions | None = None,
) -> _FloatArray:
    """Lifetime values with Gamma-Gamma's expected spend."""
@overload
def lifetime_value(
    model: TransactionModel,
    frequency: _Floats,
    recency: _Floats,
    T: _Floats,
    expected_spend: _Floats,
    options: ClvOptions | None = None,
) -> _FloatArray:
    """Lifetime values with a given expected spend per transaction."""

class HoldoutRow:
    """One group of customers with the same calibration frequency."""

    @property
    def frequency(self) -> int:
        """Calibration repeat purchases x."""
    @property
    def customers(self) -> float:
        """Customers in the group."""
    @property
    def actual(self) -> float:
        """Mean actual holdout purchases."""
    @property
    def predicted(self) -> float:
        """Mean predicted holdout purchases."""

class HoldoutValidation:
    """Predicted against actual holdout purchases."""

    @property
    def rows(self) -> list[HoldoutRow]:
        """The groups by calibration frequency."""
    @property
    def total_actual(self) -> float:
        """Sum of actual holdout purchases."""
    @property
    def total_predicted(self) -> float:
        """Sum of predicted holdout purchases."""
    @property
    def mae(self) -> float:
        """Mean absolute error per customer."""
    @property
    def rmse(self) -> float:
        """Root mean squared error per customer."""
    @property
    def correlation(self) -> float:
        """Pearson correlation of actual and predicted."""

def validate_holdout(
    model: TransactionModel,
    frequency: _Floats,
    recency: _Floats,
    T: _Floats,
    holdout_frequency: _Floats,
    duration: float,
    max_frequency: int = 7,
    weights: _Floats | None = None,
) -> HoldoutValidation:
    """Compares predictions over the holdout with actual purchases."""

def simulate(
    model: TransactionModel,
    *,
    customers: int = 1000,
    T: float = 52.0,
    T_spread: float = 0.0,
    grain: float = 0.0,
    seed: int = 0,
) -> SummaryData:
    """Simulated (x, t_x, T) rows from the model."""

def simulate_spend(model: GammaGamma, frequency: _Floats, seed: int = 0) -> SpendData:
    """Simulated spend of repeat buyers."""
