# Stubs of crmkit.clv: the compiled API plus the lifetimes-like fitters and helpers (clv.py).
from __future__ import annotations

from typing import Any

import pandas

from crmkit import FitError as FitError
from crmkit._crmkit.clv import *
from crmkit._crmkit.clv import FitResult, TransactionModel

class _BaseFitter:
    """What the lifetimes-like fitters share."""

    penalizer_coef: float
    @property
    def data(self) -> Any:
        """The columns given to fit() (a DataFrame; a dict without pandas)."""
    def __init__(self, penalizer_coef: float = 0.0) -> None:
        """penalizer_coef: lifetimes' L2 penalty."""
    @property
    def params_(self) -> pandas.Series | dict[str, float]:
        """The estimates (a Series; a dict without pandas)."""
    @property
    def standard_errors_(self) -> pandas.Series | dict[str, float]:
        """Standard errors (a Series; a dict without pandas)."""
    @property
    def confidence_intervals_(self) -> pandas.DataFrame:
        """95 % bounds."""
    @property
    def summary(self) -> pandas.DataFrame:
        """coef, se(coef), lower 95% bound, upper 95% bound."""
    @property
    def log_likelihood_(self) -> float:
        """The total log-likelihood at the estimates."""
    @property
    def fit_result_(self) -> FitResult:
        """crmkit's fit report."""
    @property
    def model_(self) -> Any:
        """The fitted crmkit model."""

class _TransactionFitter(_BaseFitter):
    """The continuous-time fitters."""

    def fit(
        self,
        frequency: Any,
        recency: Any,
        T: Any,
        weights: Any = None,
        initial_params: Any = None,
        verbose: bool = False,
        tol: float | None = None,
        index: Any = None,
        max_evaluations: int = 5000,
        threads: int = 0,
    ) -> Any:
        """Fits the model; returns self."""
    def conditional_expected_number_of_purchases_up_to_time(self, t: Any, frequency: Any, recency: Any, T: Any) -> Any:
        """E[Y(t) | x, t_x, T]."""
    def predict(self, t: Any, frequency: Any, recency: Any, T: Any) -> Any:
        """The same as conditional_expected_number_of_purchases_up_to_time."""
    def conditional_probability_alive(self, frequency: Any, recency: Any, T: Any) -> Any:
        """P(alive | x, t_x, T)."""
    def expected_number_of_purchases_up_to_time(self, t: Any) -> Any:
        """E[X(t)]."""
    def probability_of_n_purchases_up_to_time(self, t: Any, n: Any) -> Any:
        """P(X(t) = n)."""

class BetaGeoFitter(_TransactionFitter):
    """BG/NBD, as lifetimes' BetaGeoFitter."""

class ModifiedBetaGeoFitter(_TransactionFitter):
    """MBG/NBD, as lifetimes' ModifiedBetaGeoFitter."""

class ParetoNBDFitter(_TransactionFitter):
    """Pareto/NBD, as lifetimes' ParetoNBDFitter."""

class BetaGeoBetaBinomFitter(_BaseFitter):
    """BG/BB, as lifetimes' BetaGeoBetaBinomFitter."""

    def fit(
        self,
        frequency: Any,
        recency: Any,
        n_periods: Any,
        weights: Any = None,
        initial_params: Any = None,
        verbose: bool = False,
        tol: float | None = None,
        index: Any = None,
        max_evaluations: int = 5000,
        threads: int = 0,
    ) -> Any:
        """Fits BG/BB; returns self."""
    def conditional_expected_number_of_purchases_up_to_time(
        self, m_periods_in_future: Any, frequency: Any, recency: Any, n_periods: Any
    ) -> Any:
        """Expected transactions in the next m_periods_in_future opportunities."""
    def predict(self, m_periods_in_future: Any, frequency: Any, recency: Any, n_periods: Any) -> Any:
        """The same as conditional_expected_number_of_purchases_up_to_time."""
    def conditional_probability_alive(
        self, m_periods_in_future: Any, frequency: Any, recency: Any, n_periods: Any
    ) -> Any:
        """P(alive at opportunity n + m)."""
    def expected_number_of_purchases_up_to_time(self, n_periods: Any) -> Any:
        """E[X(n)]."""
    def probability_of_n_purchases_up_to_time(self, n_periods: Any, n: Any) -> Any:
        """P(X(n_periods) = n)."""
    def expected_number_of_transactions_in_first_n_periods(self, n: int) -> pandas.DataFrame:
        """Expected customers by number of transactions in the first n opportunities."""

class GammaGammaFitter(_BaseFitter):
    """Gamma-Gamma, as lifetimes' GammaGammaFitter."""

    def fit(
        self,
        frequency: Any,
        monetary_value: Any,
        weights: Any = None,
        initial_params: Any = None,
        verbose: bool = False,
        tol: float | None = None,
        index: Any = None,
        max_evaluations: int = 5000,
        threads: int = 0,
    ) -> Any:
        """Fits Gamma-Gamma to repeat buyers; returns self."""
    def conditional_expected_average_profit(self, frequency: Any = None, monetary_value: Any = None) -> Any:
        """E[M | x, m]."""
    def customer_lifetime_value(
        self,
        transaction_prediction_model: Any,
        frequency: Any,
        recency: Any,
        T: Any,
        monetary_value: Any,
        time: float = 12,
        discount_rate: float = 0.01,
        freq: str = "D",
    ) -> Any:
        """lifetimes' customer lifetime value."""

def summary_data_from_transaction_data(
    transactions: pandas.DataFrame,
    customer_id_col: str,
    datetime_col: str,
    monetary_value_col: str | None = None,
    datetime_format: str | None = None,
    observation_period_end: Any = None,
    freq: str = "D",
    freq_multiplier: float = 1,
) -> pandas.DataFrame:
    """lifetimes.utils.summary_data_from_transaction_data."""

def calibration_and_holdout_data(
    transactions: pandas.DataFrame,
    customer_id_col: str,
    datetime_col: str,
    calibration_period_end: Any,
    observation_period_end: Any = None,
    freq: str = "D",
    freq_multiplier: float = 1,
    datetime_format: str | None = None,
    monetary_value_col: str | None = None,
) -> pandas.DataFrame:
    """lifetimes.utils.calibration_and_holdout_data."""
