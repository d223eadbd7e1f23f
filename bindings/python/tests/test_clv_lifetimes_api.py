"""crmkit.clv's lifetimes-like API: the fitters give the numbers of the compiled API and of the
papers, with lifetimes' names, shapes and pandas types; the DataFrame helpers reproduce the
published CDNOW summary from the raw transactions."""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import crmkit
import crmkit.clv as clv

DATA = Path(os.environ.get("CRMKIT_TEST_DATA_DIR", Path(__file__).resolve().parents[3] / "tests" / "data"))
CLV_DATA = DATA / "clv"


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    """The CDNOW calibration summary in weeks, indexed by ID (frequency, recency, T)."""
    return pd.read_csv(CLV_DATA / "cdnow_customers_summary.csv", index_col="ID")


@pytest.fixture(scope="module")
def cdnow_money() -> pd.DataFrame:
    """The same with the mean repeat value, in lifetimes' column names (as its Quickstart loads it)."""
    frame = pd.read_csv(CLV_DATA / "cdnow_customers_summary_with_transactions.csv", index_col="ID")
    return frame.rename(columns={"x": "frequency", "t_x": "recency", "zbar": "monetary_value"})


@pytest.fixture(scope="module")
def donations() -> pd.DataFrame:
    return pd.read_csv(CLV_DATA / "donations.csv")


@pytest.fixture(scope="module")
def transactions() -> pd.DataFrame:
    """CDNOW_sample.txt (whitespace-separated, no header): master_id sample_id date cds dollars."""
    return pd.read_csv(
        CLV_DATA / "CDNOW_sample.txt", sep=r"\s+", header=None,
        names=["customer_id", "sample_id", "date", "cds", "dollars"],
        dtype={"customer_id": "int64", "sample_id": "int64", "date": str},
    )


@pytest.fixture(scope="module")
def bgf(cdnow) -> clv.BetaGeoFitter:
    return clv.BetaGeoFitter(penalizer_coef=0.0).fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])


def test_beta_geo_fitter_as_lifetimes_quickstart(cdnow, bgf):
    # lifetimes' Quickstart fits BetaGeoFitter to this summary and prints
    #   r 0.242593 (se 0.012557), alpha 4.413532 (0.378221), a 0.792886 (0.185719), b 2.425752 (0.705345)
    # (FHL 2005 report 0.2426, 4.4135, 0.7929, 2.4259).
    params = bgf.params_
    assert isinstance(params, pd.Series) and list(params.index) == ["r", "alpha", "a", "b"]
    np.testing.assert_allclose(params.to_numpy(), [0.242593, 4.413532, 0.792886, 2.425752], rtol=1e-5)
    summary = bgf.summary
    assert list(summary.columns) == ["coef", "se(coef)", "lower 95% bound", "upper 95% bound"]
    np.testing.assert_allclose(summary["se(coef)"].to_numpy(), [0.012557, 0.378221, 0.185719, 0.705345], rtol=1e-3)
    np.testing.assert_allclose(summary["lower 95% bound"], params - 1.96 * summary["se(coef)"], rtol=1e-15)
    np.testing.assert_allclose(summary["upper 95% bound"], params + 1.96 * summary["se(coef)"], rtol=1e-15)
    assert bgf.log_likelihood_ == pytest.approx(-9582.43, abs=0.01)
    assert repr(bgf).startswith("<crmkit.clv.BetaGeoFitter: fitted with 2357 subjects, a: 0.79, alpha: 4.41")
    assert list(bgf.data.columns) == ["frequency", "recency", "T", "weights"]
    assert bgf.data.index.equals(cdnow.index)
    # The same numbers as the compiled API.
    low = clv.fit_transaction_model("bgnbd", cdnow["frequency"], cdnow["recency"], cdnow["T"])
    assert params.to_dict() == low.result.parameters
    assert bgf.standard_errors_.to_dict() == low.result.standard_errors
    assert bgf.log_likelihood_ == low.result.log_likelihood
    assert bgf.model_ == low.model and bgf.fit_result_.parameters == low.result.parameters


def test_beta_geo_fitter_predictions(cdnow, bgf):
    model = bgf.model_
    f, r, T = cdnow["frequency"], cdnow["recency"], cdnow["T"]
    expected = bgf.conditional_expected_number_of_purchases_up_to_time(39, f, r, T)
    assert isinstance(expected, pd.Series) and expected.index.equals(cdnow.index)
    np.testing.assert_array_equal(expected.to_numpy(), model.conditional_expected_purchases(39, f, r, T))
    np.testing.assert_array_equal(bgf.predict(39, f, r, T), expected)
    alive = bgf.conditional_probability_alive(f, r, T)
    np.testing.assert_array_equal(alive.to_numpy(), model.probability_alive(f, r, T))
    # Customer 1 (x = 2, t_x = 30.43, T = 38.86): Hardie's spreadsheet E[Y(39)] = 1.226 (lifetimes' tests).
    assert expected.loc[1] == pytest.approx(1.226, abs=1e-3)
    # numpy in, numpy out; scalars in, a float out.
    assert isinstance(bgf.conditional_probability_alive(f.to_numpy(), r.to_numpy(), T.to_numpy()), np.ndarray)
    assert isinstance(bgf.conditional_probability_alive(2, 30.43, 38.86), float)
    # Hardie's E[X(t)] values as lifetimes' tests quote them.
    np.testing.assert_allclose(
        bgf.expected_number_of_purchases_up_to_time(np.array([1, 3, 78])), [0.0532, 0.1506, 1.8576], atol=1e-3
    )
    probabilities = bgf.probability_of_n_purchases_up_to_time(39, np.arange(0, 200))
    assert probabilities.sum() == pytest.approx(1, abs=1e-6)
    assert bgf.probability_of_n_purchases_up_to_time(39, 0) == model.probability_of_purchases(0, 39)


def test_other_transaction_fitters_equal_the_compiled_api(cdnow):
    f, r, T = cdnow["frequency"], cdnow["recency"], cdnow["T"]
    for fitter, model, names in [
        (clv.ModifiedBetaGeoFitter(), "mbgnbd", ["r", "alpha", "a", "b"]),
        (clv.ParetoNBDFitter(), "paretonbd", ["r", "alpha", "s", "beta"]),
    ]:
        assert fitter.fit(f, r, T) is fitter
        low = clv.fit_transaction_model(model, f, r, T)
        assert list(fitter.params_.index) == names
        assert fitter.params_.to_dict() == low.result.parameters
        np.testing.assert_array_equal(
            fitter.conditional_probability_alive(f, r, T).to_numpy(), low.model.probability_alive(f, r, T)
        )
    # ParetoNBDFitter: FHL's Pareto/NBD note, r 0.5534, alpha 10.5802, s 0.6061, beta 11.6562.
    np.testing.assert_allclose(fitter.params_.to_numpy(), [0.5534, 10.5802, 0.6061, 11.6562], rtol=2e-3)


def test_penalizer_and_fit_options(cdnow):
    # lifetimes' test_penalizer_term_will_shrink_coefs_to_0: a penalizer of 0.1 shrinks every estimate.
    f, r, T = cdnow["frequency"], cdnow["recency"], cdnow["T"]
    plain = clv.BetaGeoFitter().fit(f, r, T)
    shrunk = clv.BetaGeoFitter(penalizer_coef=0.1).fit(f, r, T)
    assert (shrunk.params_ < plain.params_).all()
    low = clv.fit_transaction_model("bgnbd", f, r, T, options=clv.FitOptions(penalizer=0.1))
    assert shrunk.params_.to_dict() == low.result.parameters
    # initial_params in natural units, and weights.
    started = clv.BetaGeoFitter().fit(f, r, T, initial_params=[0.3, 5, 1, 2], tol=1e-12)
    np.testing.assert_allclose(started.params_, plain.params_, rtol=1e-4)
    weighted = clv.BetaGeoFitter().fit(f, r, T, weights=np.full(len(f), 3.0))
    np.testing.assert_allclose(weighted.params_, plain.params_, rtol=1e-6)
    assert weighted.log_likelihood_ == pytest.approx(3 * plain.log_likelihood_, rel=1e-9)


def test_fitter_verbose_prints_the_report(cdnow, capsys):
    clv.BetaGeoFitter().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"], verbose=True)
    assert "BetaGeoFitter: L-BFGS" in capsys.readouterr().out


def test_beta_geo_beta_binom_fitter_on_donations(donations):
    # FHS 2010: alpha 1.204, beta 0.750, gamma 0.657, delta 2.783 (BTYD: 1.203507, 0.7497667,
    # 0.6567568, 2.783887).
    f, r, n, w = donations["frequency"], donations["recency"], donations["periods"], donations["weights"]
    bb = clv.BetaGeoBetaBinomFitter().fit(f, r, n, weights=w)
    assert list(bb.params_.index) == ["alpha", "beta", "gamma", "delta"]
    np.testing.assert_allclose(bb.params_.to_numpy(), [1.203507, 0.7497667, 0.6567568, 2.783887], rtol=1e-3)
    assert list(bb.data.columns) == ["frequency", "recency", "n_periods", "weights"]
    # Hardie's BG/BB spreadsheet (note 010), as lifetimes' tests check
    # expected_number_of_transactions_in_first_n_periods: 3,454.9 donors with x = 0, 1,253.1 with x = 6.
    table = bb.expected_number_of_transactions_in_first_n_periods(6)
    assert list(table.columns) == ["model"] and table.index.name == "frequency"
    assert table.loc[0, "model"] == pytest.approx(3454.9, abs=0.5)
    assert table.loc[6, "model"] == pytest.approx(1253.1, abs=0.5)
    # FHS 2010 Table 6: P(alive in 2002 | ...) = 0.11, 0.59, 0.93 (m = 1: opportunity n + 1).
    alive = bb.conditional_probability_alive(1, np.array([0, 2, 6]), np.array([0, 4, 6]), np.array([6, 6, 6]))
    np.testing.assert_allclose(alive, [0.11, 0.59, 0.93], atol=5e-3)
    # Further ahead, lifetimes' formula (FHS eq. A10) with log-beta functions:
    # B(a + x, b + n - x)/B(a, b) * B(g, d + n + m)/B(g, d) / L(x, t_x, n).
    a, b, g, d = bb.params_

    def betaln(p, q):
        return math.lgamma(p) + math.lgamma(q) - math.lgamma(p + q)

    for m in (0, 1, 2, 5):
        for x, tx, nn in [(0, 0, 6), (2, 4, 6), (6, 6, 6), (3, 5, 6)]:
            ll = bb.model_.log_likelihood(x, tx, nn)
            reference = math.exp(betaln(a + x, b + nn - x) - betaln(a, b) + betaln(g, d + nn + m) - betaln(g, d) - ll)
            assert bb.conditional_probability_alive(m, x, tx, nn) == pytest.approx(reference, rel=1e-10)
    # 12,884.2 donations in the next 5 years (Hardie's spreadsheet).
    future = bb.conditional_expected_number_of_purchases_up_to_time(5, f, r, n)
    assert isinstance(future, pd.Series)
    assert float((future * w).sum()) == pytest.approx(12884.2, abs=0.5)
    np.testing.assert_array_equal(bb.predict(5, f, r, n), future)
    assert bb.expected_number_of_purchases_up_to_time(6) == bb.model_.expected_purchases(6)
    assert bb.probability_of_n_purchases_up_to_time(6, 0) == bb.model_.probability_of_purchases(0, 6)
    with pytest.raises(ValueError, match="m_periods_in_future"):
        bb.conditional_probability_alive(1.5, 0, 0, 6)


def test_gamma_gamma_fitter_and_quickstart_clv(cdnow_money):
    # lifetimes' Quickstart: GammaGammaFitter on the 946 returning customers prints
    # <lifetimes.GammaGammaFitter: fitted with 946 subjects, p: 6.25, q: 3.74, v: 15.45>;
    # conditional_expected_average_profit: 24.658619, 18.911489, 35.170981 for customers 1, 2, 3;
    # BG/NBD refitted on the same summary, customer_lifetime_value(time=12, discount_rate=0.01)
    # = 140.096211, 18.943467, 38.180574 and 1003.868107 for customers 1, 2, 3, 6.
    returning = cdnow_money[cdnow_money["frequency"] > 0]
    ggf = clv.GammaGammaFitter(penalizer_coef=0).fit(returning["frequency"], returning["monetary_value"])
    assert list(ggf.params_.index) == ["p", "q", "v"]
    assert repr(ggf) == "<crmkit.clv.GammaGammaFitter: fitted with 946 subjects, p: 6.25, q: 3.74, v: 15.45>"
    profit = ggf.conditional_expected_average_profit(cdnow_money["frequency"], cdnow_money["monetary_value"])
    assert isinstance(profit, pd.Series) and profit.index.equals(cdnow_money.index)
    np.testing.assert_allclose(profit.loc[[1, 2, 3]], [24.658619, 18.911489, 35.170981], rtol=1e-3)
    # Without arguments: the fitted data.
    np.testing.assert_array_equal(ggf.conditional_expected_average_profit(), profit.loc[returning.index])
    bgf = clv.BetaGeoFitter(penalizer_coef=0.0).fit(
        cdnow_money["frequency"], cdnow_money["recency"], cdnow_money["T"]
    )
    value = ggf.customer_lifetime_value(
        bgf, cdnow_money["frequency"], cdnow_money["recency"], cdnow_money["T"], cdnow_money["monetary_value"],
        time=12, discount_rate=0.01,
    )
    assert isinstance(value, pd.Series) and value.name == "clv" and value.index.equals(cdnow_money.index)
    np.testing.assert_allclose(value.loc[[1, 2, 3, 6]], [140.096211, 18.943467, 38.180574, 1003.868107], rtol=2e-3)
    # The same as the compiled API with lifetimes' step of 30 units per month (freq "D").
    low = clv.lifetime_value(
        bgf.model_, ggf.model_, cdnow_money["frequency"], cdnow_money["recency"], cdnow_money["T"],
        cdnow_money["monetary_value"], clv.ClvOptions(horizon=12, step=30, discount_rate=0.01),
    )
    np.testing.assert_array_equal(value.to_numpy(), low)
    # freq "W": a month is 4.345 units; a crmkit model is accepted as the transaction model.
    weekly = ggf.customer_lifetime_value(
        bgf.model_, cdnow_money["frequency"].to_numpy(), cdnow_money["recency"].to_numpy(),
        cdnow_money["T"].to_numpy(), cdnow_money["monetary_value"].to_numpy(), freq="W",
    )
    assert isinstance(weekly, np.ndarray)
    np.testing.assert_array_equal(
        weekly,
        clv.lifetime_value(bgf.model_, ggf.model_, cdnow_money["frequency"], cdnow_money["recency"],
                           cdnow_money["T"], cdnow_money["monetary_value"], clv.ClvOptions(step=4.345)),
    )
    with pytest.raises(ValueError, match="freq"):
        ggf.customer_lifetime_value(bgf, [1], [1], [2], [3], freq="Q")


def test_not_fitted_and_bad_input(cdnow):
    bgf = clv.BetaGeoFitter()
    assert repr(bgf) == "<crmkit.clv.BetaGeoFitter>"
    with pytest.raises(ValueError, match="has not been fitted yet"):
        bgf.conditional_probability_alive(1, 2, 3)
    with pytest.raises(ValueError, match="has not been fitted yet"):
        bgf.predict(1, 1, 2, 3)
    with pytest.raises(ValueError, match="has not been fitted yet"):
        clv.GammaGammaFitter().conditional_expected_average_profit([1], [2])
    with pytest.raises(AttributeError):
        bgf.params_
    # recency > T names the row, in lifetimes' API too.
    recency = cdnow["recency"].to_numpy().copy()
    recency[12] = 50
    with pytest.raises(crmkit.ValidationError) as error:
        bgf.fit(cdnow["frequency"], recency, cdnow["T"])
    assert error.value.field == "recency[12]"
    frequency = cdnow["frequency"].to_numpy().copy()
    frequency[3] = -1
    with pytest.raises(crmkit.ValidationError, match=r"frequency\[3\]"):
        bgf.fit(frequency, cdnow["recency"], cdnow["T"])
    with pytest.raises(crmkit.FitError):
        bgf.fit(np.zeros(10), np.zeros(10), np.full(10, 5.0))
    with pytest.raises(crmkit.ValidationError, match=r"frequency\[0\]"):
        clv.GammaGammaFitter().fit([0, 1], [0.0, 10.0])
    with pytest.raises(TypeError):
        bgf.fit(cdnow["frequency"].astype(str), cdnow["recency"], cdnow["T"])


def test_params_are_a_dict_without_pandas(cdnow, monkeypatch):
    monkeypatch.setattr(clv, "_has_pandas", lambda: False)
    fitter = clv.BetaGeoFitter().fit(cdnow["frequency"].to_numpy(), cdnow["recency"].to_numpy(), cdnow["T"].to_numpy())
    assert isinstance(fitter.params_, dict) and list(fitter.params_) == ["r", "alpha", "a", "b"]
    assert isinstance(fitter.data, dict)


def test_summary_data_from_transaction_data_reproduces_the_published_summary(transactions, cdnow):
    # cdnow_customers_summary.csv is FHL 2005's (x, t_x, T) of the 39-week calibration period in weeks,
    # to 2 decimals: lifetimes computes it with freq "D" and freq_multiplier 7.
    summary = clv.summary_data_from_transaction_data(
        transactions, "sample_id", "date", datetime_format="%Y%m%d", observation_period_end="1997-09-30",
        freq="D", freq_multiplier=7,
    )
    assert list(summary.columns) == ["frequency", "recency", "T"]
    assert summary.index.name == "sample_id" and len(summary) == 2357
    assert (summary.dtypes == float).all()
    np.testing.assert_array_equal(summary.index.to_numpy(), cdnow.index.to_numpy())
    np.testing.assert_array_equal(summary["frequency"], cdnow["frequency"])
    np.testing.assert_array_equal(summary["recency"].round(2), cdnow["recency"])
    np.testing.assert_array_equal(summary["T"].round(2), cdnow["T"])
    # With monetary value: the mean of the repeat days' totals, 0 for one-time buyers; the published
    # file's zbar is the same to the cent.
    money = clv.summary_data_from_transaction_data(
        transactions, "sample_id", "date", monetary_value_col="dollars", datetime_format="%Y%m%d",
        observation_period_end="1997-09-30", freq="D", freq_multiplier=7,
    )
    published = pd.read_csv(CLV_DATA / "cdnow_customers_summary_with_transactions.csv", index_col="ID")
    np.testing.assert_allclose(money["monetary_value"].to_numpy(), published["zbar"].to_numpy(), atol=0.0051)
    # String ids work too (labels kept), and plain pandas gives the same frequency and T in days.
    labelled = transactions.assign(sample_id="c" + transactions["sample_id"].astype(str))
    by_label = clv.summary_data_from_transaction_data(
        labelled, "sample_id", "date", datetime_format="%Y%m%d", observation_period_end="1997-09-30"
    )
    days = pd.to_datetime(transactions["date"], format="%Y%m%d")
    calib = transactions.assign(day=days)[days <= "1997-09-30"]
    grouped = calib.groupby("sample_id")["day"]
    expected_T = (pd.Timestamp("1997-09-30") - grouped.min()).dt.days.astype(float)
    expected_x = grouped.nunique() - 1
    np.testing.assert_array_equal(by_label.loc["c" + expected_T.index.astype(str), "T"], expected_T)
    np.testing.assert_array_equal(by_label.loc["c" + expected_x.index.astype(str), "frequency"], expected_x)
    with pytest.raises(ValueError, match="freq"):
        clv.summary_data_from_transaction_data(transactions, "sample_id", "date", freq="Q")


def test_calibration_and_holdout_data(transactions, cdnow):
    # FHL 2005's split: calibration to 1997-09-30, holdout to 1998-06-30 (39 weeks). BTYD's vignette:
    # 1,882 holdout purchase days; by calibration frequency (7+ pooled) means 0.2367116 0.6970387
    # 1.392523 1.560000 2.532258 2.947368 3.862069 6.359375.
    frame = clv.calibration_and_holdout_data(
        transactions, "sample_id", "date", calibration_period_end="1997-09-30",
        observation_period_end="1998-06-30", freq="D", freq_multiplier=7, datetime_format="%Y%m%d",
        monetary_value_col="dollars",
    )
    assert list(frame.columns) == [
        "frequency_cal", "recency_cal", "T_cal", "monetary_value_cal", "frequency_holdout",
        "monetary_value_holdout", "duration_holdout",
    ]
    np.testing.assert_array_equal(frame["frequency_cal"], cdnow["frequency"])
    np.testing.assert_array_equal(frame["T_cal"].round(2), cdnow["T"])
    np.testing.assert_allclose(frame["duration_holdout"], 39, rtol=1e-14)
    assert frame["frequency_holdout"].sum() == 1882
    means = frame.groupby(frame["frequency_cal"].clip(upper=7))["frequency_holdout"].mean()
    np.testing.assert_allclose(
        means.to_numpy(), [0.2367116, 0.6970387, 1.392523, 1.560000, 2.532258, 2.947368, 3.862069, 6.359375], rtol=1e-6
    )
    # Fit on the calibration columns, predict the holdout: the compiled validate_holdout agrees.
    bgf = clv.BetaGeoFitter().fit(frame["frequency_cal"], frame["recency_cal"], frame["T_cal"])
    predicted = bgf.predict(frame["duration_holdout"].iloc[0], frame["frequency_cal"], frame["recency_cal"], frame["T_cal"])
    table = clv.validate_holdout(
        bgf.model_, frame["frequency_cal"], frame["recency_cal"], frame["T_cal"], frame["frequency_holdout"], 39.0
    )
    assert table.total_predicted == pytest.approx(predicted.sum(), rel=1e-12)
    # Without monetary values: no monetary columns.
    plain = clv.calibration_and_holdout_data(
        transactions, "sample_id", "date", "1997-09-30", "1998-06-30", datetime_format="%Y%m%d"
    )
    assert list(plain.columns) == ["frequency_cal", "recency_cal", "T_cal", "frequency_holdout", "duration_holdout"]
    assert (plain["duration_holdout"] == 273).all()
