"""crmkit.clv: customer-lifetime-value models (BG/NBD, MBG/NBD, Pareto/NBD, BG/BB, Gamma-Gamma).

Two layers:

- the compiled API on numpy columns: ``fit_transaction_model``, ``fit_gamma_gamma``, the model
  classes (``BgNbd``, ``ModifiedBgNbd``, ``ParetoNbd``, ``BgBb``, ``GammaGamma``) with vectorized
  predictions, ``predict``, ``lifetime_value``, ``validate_holdout``, ``simulate``...;
- a ``lifetimes``-like API on top, for users of that library: ``BetaGeoFitter``,
  ``ModifiedBetaGeoFitter``, ``ParetoNBDFitter``, ``BetaGeoBetaBinomFitter``, ``GammaGammaFitter``
  and the helpers ``summary_data_from_transaction_data`` and ``calibration_and_holdout_data``.

numpy is required; pandas is optional for the fitters (``params_`` is a pandas Series when pandas
is installed, else a dict; ``summary`` needs pandas) and required by the DataFrame helpers.
See docs/python.md and docs/clv.md.
"""

from __future__ import annotations

import datetime as _datetime
from typing import Any

import numpy as _np

from . import _crmkit
from ._export import export as _export

__all__: list[str] = _export(globals(), _crmkit.clv)

try:  # crmkit.FitError, registered with the other errors; the same class under crmkit.clv
    from . import FitError  # noqa: F401
except ImportError:  # pragma: no cover - only while the error bindings are missing
    pass
else:
    __all__.append("FitError")

_Model = _crmkit.clv.Model


def _pandas(what: str) -> Any:
    """pandas, or an ImportError saying what needs it."""
    try:
        import pandas
    except ImportError as error:  # pragma: no cover - pandas is installed in the test environment
        raise ImportError(f"{what} needs pandas (pip install pandas); the numpy API of crmkit.clv does not") from error
    return pandas


def _has_pandas() -> bool:
    try:
        import pandas  # noqa: F401
    except ImportError:  # pragma: no cover
        return False
    return True


def _index_of(*values: Any) -> Any:
    """The index of the first pandas Series among the arguments, else None."""
    for value in values:
        if type(value).__name__ == "Series" and hasattr(value, "index"):
            return value.index
    return None


def _like_inputs(result: Any, *inputs: Any, name: str | None = None) -> Any:
    """A Series with the index of the first Series argument, else the numpy result as it is."""
    index = _index_of(*inputs)
    if index is None or not isinstance(result, _np.ndarray) or len(result) != len(index):
        return result
    return _pandas("a pandas result").Series(result, index=index, name=name)


# Lifetimes' freq letters: the length of one "month" step in the data's time unit
# (lifetimes.utils._customer_lifetime_value).
_CLV_STEPS = {"W": 4.345, "M": 1.0, "D": 30.0, "H": 30.0 * 24}
# Lifetimes' freq letters as crmkit periods.
_PERIODS = {"D": "day", "W": "week", "M": "month"}


class _NotFitted:
    """Raises the error of a fitter used before fit()."""

    @staticmethod
    def check(fitter: Any) -> None:
        if getattr(fitter, "_fit", None) is None:
            raise ValueError(
                f"{type(fitter).__name__} has not been fitted yet: call .fit(...) first "
                "(or use crmkit.clv.make_transaction_model for given parameters)"
            )


class _BaseFitter:
    """What the lifetimes-like fitters share: penalizer, fit report, params_, summary."""

    _model: Any = None  # the crmkit.clv.Model
    _names: tuple[str, ...] = ()  # lifetimes' parameter names

    def __init__(self, penalizer_coef: float = 0.0) -> None:
        """penalizer_coef: the L2 penalty of lifetimes (objective = -mean LL + coef * sum(params^2))."""
        self._penalizer_coef = float(penalizer_coef)
        self._fit: Any = None
        self._data: Any = None

    @property
    def penalizer_coef(self) -> float:
        """The L2 penalty of the next fit (lifetimes' penalizer_coef); may be reassigned."""
        return self._penalizer_coef

    @penalizer_coef.setter
    def penalizer_coef(self, value: float) -> None:
        self._penalizer_coef = float(value)

    @property
    def data(self) -> Any:
        """The columns given to fit() with their weights: a pandas DataFrame (a dict of numpy
        arrays without pandas), built on first use; None before fit()."""
        if isinstance(self._data, tuple):  # (columns, index) kept by fit(): build the frame now
            columns, index = self._data
            size = len(next(iter(columns.values())))
            columns = {k: _np.ones(size) if v is None else v for k, v in columns.items()}
            self._data = _pandas("data").DataFrame(columns, index=index) if _has_pandas() else columns
        return self._data

    def __repr__(self) -> str:
        name = type(self).__name__
        if self._fit is None:
            return f"<crmkit.clv.{name}>"
        params = ", ".join(f"{k}: {v:.2f}" for k, v in sorted(self._param_dict().items()))
        return f"<crmkit.clv.{name}: fitted with {self._fit.result.customers:.0f} subjects, {params}>"

    # -- fit ----------------------------------------------------------------------------------

    def _options(
        self, initial_params: Any, tol: float | None, max_evaluations: int, threads: int
    ) -> Any:
        options = FitOptions(penalizer=self.penalizer_coef, max_evaluations=max_evaluations, threads=threads)
        if initial_params is not None:
            options.initial = [float(v) for v in _np.asarray(initial_params, dtype=float).ravel()]
        if tol is not None:
            options.relative_tolerance = float(tol)
        return options

    def _store(self, fit: Any, data: dict[str, Any], index: Any, verbose: bool) -> None:
        self._fit = fit
        self._data = (data, index)  # the DataFrame is built when `data` is first read
        if verbose:
            r = fit.result
            print(
                f"{type(self).__name__}: {r.algorithm}, {r.evaluations} evaluations, {r.reason}; "
                f"log-likelihood {r.log_likelihood:.2f} over {r.customers:.0f} customers"
            )

    # -- results --------------------------------------------------------------------------------

    def _param_dict(self) -> dict[str, float]:
        _NotFitted.check(self)
        return dict(zip(self._names, self._fit.result.parameter_values.tolist()))

    def _series(self, values: dict[str, float]) -> Any:
        if _has_pandas():
            return _pandas("params_").Series(values, dtype=float)
        return values  # pragma: no cover

    @property
    def params_(self) -> Any:
        """The estimates by lifetimes' names: a pandas Series (a dict without pandas)."""
        if self._fit is None:
            raise AttributeError(f"{type(self).__name__} has no params_ before fit()")
        return self._series(self._param_dict())

    @property
    def standard_errors_(self) -> Any:
        """Standard errors from the observed information: a pandas Series (a dict without pandas)."""
        if self._fit is None:
            raise AttributeError(f"{type(self).__name__} has no standard_errors_ before fit()")
        errors = self._fit.result.standard_error_values.tolist() or [float("nan")] * len(self._names)
        return self._series(dict(zip(self._names, errors)))

    @property
    def confidence_intervals_(self) -> Any:
        """95 % bounds, estimate -+ 1.96 standard errors (a DataFrame, as lifetimes; needs pandas)."""
        pandas = _pandas("confidence_intervals_")
        params, errors = self.params_, self.standard_errors_
        return pandas.DataFrame(
            {"lower 95% bound": params - 1.96 * errors, "upper 95% bound": params + 1.96 * errors},
            index=params.index,
        )

    @property
    def summary(self) -> Any:
        """coef, se(coef), lower 95% bound, upper 95% bound by parameter (a DataFrame; needs pandas)."""
        pandas = _pandas("summary")
        params, errors = self.params_, self.standard_errors_
        frame = pandas.DataFrame(index=params.index)
        frame["coef"] = params
        frame["se(coef)"] = errors
        bounds = self.confidence_intervals_
        frame["lower 95% bound"] = bounds["lower 95% bound"]
        frame["upper 95% bound"] = bounds["upper 95% bound"]
        return frame

    @property
    def log_likelihood_(self) -> float:
        """The total log-likelihood, sum of weight * LL at the estimates, without the penalty (as
        the papers report it; lifetimes keeps the penalized mean negative one instead)."""
        _NotFitted.check(self)
        return float(self._fit.result.log_likelihood)

    @property
    def fit_result_(self) -> Any:
        """crmkit's full fit report (a crmkit.clv.FitResult)."""
        _NotFitted.check(self)
        return self._fit.result

    @property
    def model_(self) -> Any:
        """The fitted crmkit model (BgNbd, ..., GammaGamma), for the numpy API."""
        _NotFitted.check(self)
        return self._fit.model


class _TransactionFitter(_BaseFitter):
    """The continuous-time fitters: BG/NBD, MBG/NBD, Pareto/NBD."""

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
        """Fits the model by maximum likelihood to (frequency, recency, T) and returns self.

        Arrays, pandas Series or lists; weights: customers per row (None: 1 each). initial_params:
        starting values in natural units, in the order of the parameter names (lifetimes takes them
        in log space). tol: the relative tolerance (None: crmkit's 1e-10). index: the index of
        ``self.data`` (default: that of frequency when it is a Series). The GIL is released.
        Raises crmkit.ValidationError naming the column and row, crmkit.FitError when the fit fails.
        """
        fit = fit_transaction_model(
            self._model, frequency, recency, T, weights, self._options(initial_params, tol, max_evaluations, threads)
        )
        if index is None:
            index = _index_of(frequency, recency, T)
        data = {
            "frequency": _np.asarray(frequency, dtype=float),
            "recency": _np.asarray(recency, dtype=float),
            "T": _np.asarray(T, dtype=float),
            "weights": None if weights is None else _np.asarray(weights, dtype=float),
        }
        self._store(fit, data, index, verbose)
        return self

    def conditional_expected_number_of_purchases_up_to_time(self, t: Any, frequency: Any, recency: Any, T: Any) -> Any:
        """E[Y(t) | x, t_x, T]: each customer's expected purchases in the next t time units."""
        _NotFitted.check(self)
        result = self._fit.model.conditional_expected_purchases(t, frequency, recency, T)
        return _like_inputs(result, frequency, recency, T, t)

    def predict(self, t: Any, frequency: Any, recency: Any, T: Any) -> Any:
        """The same as conditional_expected_number_of_purchases_up_to_time (lifetimes' alias)."""
        return self.conditional_expected_number_of_purchases_up_to_time(t, frequency, recency, T)

    def conditional_probability_alive(self, frequency: Any, recency: Any, T: Any) -> Any:
        """P(alive | x, t_x, T): the probability each customer has not dropped out by T."""
        _NotFitted.check(self)
        return _like_inputs(self._fit.model.probability_alive(frequency, recency, T), frequency, recency, T)

    def expected_number_of_purchases_up_to_time(self, t: Any) -> Any:
        """E[X(t)]: expected repeat purchases of a new customer in its first t time units."""
        _NotFitted.check(self)
        return _like_inputs(self._fit.model.expected_purchases(t), t)

    def probability_of_n_purchases_up_to_time(self, t: Any, n: Any) -> Any:
        """P(X(t) = n): the probability a new customer makes exactly n repeat purchases in t."""
        _NotFitted.check(self)
        return _like_inputs(self._fit.model.probability_of_purchases(n, t), t, n)


class BetaGeoFitter(_TransactionFitter):
    """BG/NBD (Fader, Hardie & Lee 2005), as lifetimes' BetaGeoFitter: parameters r, alpha, a, b."""

    _model = _Model.bgnbd
    _names = ("r", "alpha", "a", "b")


class ModifiedBetaGeoFitter(_TransactionFitter):
    """MBG/NBD (Batislam et al. 2007), as lifetimes' ModifiedBetaGeoFitter: r, alpha, a, b."""

    _model = _Model.mbgnbd
    _names = ("r", "alpha", "a", "b")


class ParetoNBDFitter(_TransactionFitter):
    """Pareto/NBD (Schmittlein et al. 1987), as lifetimes' ParetoNBDFitter: r, alpha, s, beta."""

    _model = _Model.paretonbd
    _names = ("r", "alpha", "s", "beta")


class BetaGeoBetaBinomFitter(_BaseFitter):
    """BG/BB (Fader, Hardie & Shang 2010), as lifetimes' BetaGeoBetaBinomFitter: alpha, beta, gamma,
    delta; durations count opportunities (whole numbers)."""

    _model = _Model.bgbb
    _names = ("alpha", "beta", "gamma", "delta")

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
        """Fits BG/BB to (frequency, recency, n_periods) with weights (customers per pattern) and
        returns self. Otherwise as BetaGeoFitter.fit."""
        fit = fit_transaction_model(
            self._model, frequency, recency, n_periods, weights,
            self._options(initial_params, tol, max_evaluations, threads),
        )
        data = {
            "frequency": _np.asarray(frequency, dtype=float),
            "recency": _np.asarray(recency, dtype=float),
            "n_periods": _np.asarray(n_periods, dtype=float),
            "weights": None if weights is None else _np.asarray(weights, dtype=float),
        }
        if index is None:
            index = _index_of(frequency, recency, n_periods)
        self._store(fit, data, index, verbose)
        return self

    def conditional_expected_number_of_purchases_up_to_time(
        self, m_periods_in_future: Any, frequency: Any, recency: Any, n_periods: Any
    ) -> Any:
        """Expected transactions in the next m_periods_in_future opportunities (FHS eq. 13)."""
        _NotFitted.check(self)
        result = self._fit.model.conditional_expected_purchases(m_periods_in_future, frequency, recency, n_periods)
        return _like_inputs(result, frequency, recency, n_periods, m_periods_in_future)

    def predict(self, m_periods_in_future: Any, frequency: Any, recency: Any, n_periods: Any) -> Any:
        """The same as conditional_expected_number_of_purchases_up_to_time."""
        return self.conditional_expected_number_of_purchases_up_to_time(m_periods_in_future, frequency, recency, n_periods)

    def conditional_probability_alive(
        self, m_periods_in_future: Any, frequency: Any, recency: Any, n_periods: Any
    ) -> Any:
        """P(alive at opportunity n + m | x, t_x, n), as lifetimes (FHS eq. A10); m a whole number >= 0.

        crmkit gives P(alive at n + 1); each further opportunity multiplies it by
        (delta + k) / (gamma + delta + k), k = n + 1 ... n + m - 1 (for m = 0 it divides by the k = n term).
        """
        _NotFitted.check(self)
        model = self._fit.model
        alive = _np.asarray(model.probability_alive(frequency, recency, n_periods), dtype=float)
        m = _np.asarray(m_periods_in_future)
        if m.ndim != 0 or not float(m).is_integer() or float(m) < 0:
            raise ValueError(f"m_periods_in_future: expected a whole number >= 0, got {m_periods_in_future!r}")
        n = _np.asarray(n_periods, dtype=float)
        g, d = model.gamma, model.delta
        m = int(m)
        if m == 0:
            alive = alive * (g + d + n) / (d + n)
        for k in range(1, m):
            alive = alive * (d + n + k) / (g + d + n + k)
        result = alive if alive.ndim else float(alive)
        return _like_inputs(result, frequency, recency, n_periods)

    def expected_number_of_purchases_up_to_time(self, n_periods: Any) -> Any:
        """E[X(n)]: expected transactions of a new customer in its first n opportunities (FHS eq. 9)."""
        _NotFitted.check(self)
        return _like_inputs(self._fit.model.expected_purchases(n_periods), n_periods)

    def probability_of_n_purchases_up_to_time(self, n_periods: Any, n: Any) -> Any:
        """P(X(n_periods) = n) for a new customer (FHS eq. 7)."""
        _NotFitted.check(self)
        return _like_inputs(self._fit.model.probability_of_purchases(n, n_periods), n_periods, n)

    def expected_number_of_transactions_in_first_n_periods(self, n: int) -> Any:
        """Expected customers with x transactions in the first n opportunities, for each x seen in
        the data: a DataFrame indexed by frequency with column 'model' (as lifetimes; needs pandas)."""
        _NotFitted.check(self)
        pandas = _pandas("expected_number_of_transactions_in_first_n_periods")
        counts = self.data.groupby("frequency")["weights"].sum()
        x = counts.index.to_numpy(dtype=float)
        values = self._fit.model.probability_of_purchases(x, float(n)) * counts.sum()
        return pandas.DataFrame({"model": values}, index=pandas.Index(x, name="frequency"))


class GammaGammaFitter(_BaseFitter):
    """Gamma-Gamma spend (Fader & Hardie 2013), as lifetimes' GammaGammaFitter: parameters p, q, v
    (crmkit's GammaGamma calls v `gamma`)."""

    _model = _Model.gammagamma
    _names = ("p", "q", "v")

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
        """Fits Gamma-Gamma to the repeat buyers' (frequency >= 1, mean repeat value > 0) and returns
        self. Leave out customers with frequency 0 first (lifetimes' Quickstart does). Raises
        crmkit.ValidationError naming `frequency[i]` / `monetary_value[i]`, crmkit.FitError."""
        fit = fit_gamma_gamma(
            frequency, monetary_value, weights, self._options(initial_params, tol, max_evaluations, threads)
        )
        data = {
            "frequency": _np.asarray(frequency, dtype=float),
            "monetary_value": _np.asarray(monetary_value, dtype=float),
            "weights": None if weights is None else _np.asarray(weights, dtype=float),
        }
        if index is None:
            index = _index_of(frequency, monetary_value)
        self._store(fit, data, index, verbose)
        return self

    def conditional_expected_average_profit(self, frequency: Any = None, monetary_value: Any = None) -> Any:
        """E[M | x, m]: each customer's expected mean transaction value (the fitted data when None)."""
        _NotFitted.check(self)
        if frequency is None:
            frequency = self.data["frequency"]
        if monetary_value is None:
            monetary_value = self.data["monetary_value"]
        result = self._fit.model.conditional_expected_spend(frequency, monetary_value)
        return _like_inputs(result, frequency, monetary_value)

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
        """lifetimes' CLV: sum over the months i = 1..time of E[M | x, m] * (E[Y(i * step)] -
        E[Y((i - 1) * step)]) / (1 + discount_rate)^i, with step = 30 for freq 'D' (the data in days),
        4.345 for 'W', 1 for 'M', 720 for 'H'. transaction_prediction_model: a fitted fitter of this
        module or a crmkit.clv transaction model. A Series named 'clv' with the index of frequency when
        it is a Series, else a float64 array. (A fractional time adds a partial last step, where
        lifetimes would drop it.)"""
        _NotFitted.check(self)
        if freq not in _CLV_STEPS:
            raise ValueError(f"freq: expected one of {', '.join(_CLV_STEPS)}, got {freq!r}")
        model = transaction_prediction_model
        if isinstance(model, _BaseFitter):
            model = model.model_
        options = ClvOptions(horizon=float(time), step=_CLV_STEPS[freq], discount_rate=float(discount_rate))
        values = lifetime_value(model, self._fit.model, frequency, recency, T, monetary_value, options)
        return _like_inputs(values, frequency, recency, T, monetary_value, name="clv")


# ------------------------------------------------------------------------------------------------
# lifetimes.utils-like helpers (pandas DataFrames in and out; the summaries computed by the C++)


def _purchase_columns(
    transactions: Any, customer_id_col: str, datetime_col: str, monetary_value_col: str | None,
    datetime_format: str | None,
) -> tuple[Any, Any, Any, Any]:
    """(codes, timestamps, amounts, labels): int64 customer codes, datetime64 times, amounts."""
    pandas = _pandas("crmkit.clv's DataFrame helpers")
    ids = transactions[customer_id_col]
    if pandas.api.types.is_integer_dtype(ids.dtype):
        codes, labels = ids.to_numpy(dtype="int64"), None
    else:  # strings and other labels: sorted codes, mapped back at the end
        codes, labels = pandas.factorize(ids, sort=True)
        codes = codes.astype("int64")
    times = pandas.to_datetime(transactions[datetime_col], format=datetime_format)
    if getattr(times.dtype, "tz", None) is not None:
        times = times.dt.tz_convert("UTC").dt.tz_localize(None)
    if monetary_value_col is None:
        amounts = _np.zeros(len(transactions))
    else:
        amounts = transactions[monetary_value_col].to_numpy(dtype=float)
    return codes, times.to_numpy(dtype="datetime64[us]"), amounts, labels


def _day(value: Any, datetime_format: str | None) -> _datetime.date | None:
    if value is None:
        return None
    pandas = _pandas("crmkit.clv's DataFrame helpers")
    if isinstance(value, str) and datetime_format is not None:
        try:  # as lifetimes: the dates in the transactions' format ...
            return pandas.to_datetime(value, format=datetime_format).date()
        except ValueError:  # ... or any format pandas recognizes ('1997-09-30')
            pass
    return pandas.to_datetime(value).date()


def _period(freq: str) -> str:
    if freq not in _PERIODS:
        raise ValueError(f"freq: crmkit supports {', '.join(_PERIODS)} (day, ISO week, month), got {freq!r}")
    return _PERIODS[freq]


def _summary_frame(summary: Any, labels: Any, customer_id_col: str, monetary: bool, suffix: str = "") -> Any:
    pandas = _pandas("crmkit.clv's DataFrame helpers")
    ids = summary.customer_ids
    index = pandas.Index(ids if labels is None else _np.asarray(labels)[ids], name=customer_id_col)
    columns = {
        "frequency" + suffix: _np.asarray(summary.frequency, dtype=float),
        "recency" + suffix: _np.asarray(summary.recency, dtype=float),
        "T" + suffix: _np.asarray(summary.T, dtype=float),
    }
    if monetary:
        columns["monetary_value" + suffix] = _np.asarray(summary.monetary_value, dtype=float)
    return pandas.DataFrame(columns, index=index)


def summary_data_from_transaction_data(
    transactions: Any,
    customer_id_col: str,
    datetime_col: str,
    monetary_value_col: str | None = None,
    datetime_format: str | None = None,
    observation_period_end: Any = None,
    freq: str = "D",
    freq_multiplier: float = 1,
) -> Any:
    """lifetimes.utils.summary_data_from_transaction_data, computed by crmkit.analytics.customer_summary.

    A DataFrame indexed by customer id (named customer_id_col) with float columns frequency, recency,
    T (in units of freq: 'D' day, 'W' ISO week, 'M' month; divided by freq_multiplier) and, with
    monetary_value_col, monetary_value (the mean of the per-period totals of the repeat periods, 0
    when frequency is 0). observation_period_end: the last day observed (default: the latest
    purchase); later transactions are ignored. Times are UTC (naive = UTC). Needs pandas.
    """
    codes, times, amounts, labels = _purchase_columns(
        transactions, customer_id_col, datetime_col, monetary_value_col, datetime_format
    )
    from . import analytics

    summary = analytics.customer_summary(
        codes, times, amounts, period=_period(freq), as_of=_day(observation_period_end, datetime_format)
    )
    frame = _summary_frame(summary, labels, customer_id_col, monetary_value_col is not None)
    if freq_multiplier != 1:
        frame["recency"] /= freq_multiplier
        frame["T"] /= freq_multiplier
    return frame


def calibration_and_holdout_data(
    transactions: Any,
    customer_id_col: str,
    datetime_col: str,
    calibration_period_end: Any,
    observation_period_end: Any = None,
    freq: str = "D",
    freq_multiplier: float = 1,
    datetime_format: str | None = None,
    monetary_value_col: str | None = None,
) -> Any:
    """lifetimes.utils.calibration_and_holdout_data, computed by crmkit.analytics.calibration_holdout_summary.

    A DataFrame indexed by customer id with frequency_cal, recency_cal, T_cal[, monetary_value_cal],
    frequency_holdout[, monetary_value_holdout], duration_holdout (durations in units of freq divided
    by freq_multiplier). Customers whose first purchase is in the holdout are left out, as lifetimes
    does. monetary_value_holdout is the mean per-period total (lifetimes: per transaction; they agree
    when each period holds one purchase). Needs pandas.
    """
    codes, times, amounts, labels = _purchase_columns(
        transactions, customer_id_col, datetime_col, monetary_value_col, datetime_format
    )
    from . import analytics

    split = analytics.calibration_holdout_summary(
        codes, times, amounts,
        calibration_end=_day(calibration_period_end, datetime_format),
        observation_end=_day(observation_period_end, datetime_format),
        period=_period(freq),
    )
    monetary = monetary_value_col is not None
    frame = _summary_frame(split.calibration, labels, customer_id_col, monetary, "_cal")
    frame["frequency_holdout"] = _np.asarray(split.holdout_frequency, dtype=float)
    if monetary:
        frame["monetary_value_holdout"] = _np.asarray(split.holdout_monetary_value, dtype=float)
    frame["duration_holdout"] = float(split.holdout_duration)
    if freq_multiplier != 1:
        for column in ("recency_cal", "T_cal", "duration_holdout"):
            frame[column] /= freq_multiplier
    return frame


__all__ += [
    "BetaGeoFitter",
    "ModifiedBetaGeoFitter",
    "ParetoNBDFitter",
    "BetaGeoBetaBinomFitter",
    "GammaGammaFitter",
    "summary_data_from_transaction_data",
    "calibration_and_holdout_data",
]
