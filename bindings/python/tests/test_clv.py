"""crmkit.clv's compiled API: the published fits reproduced from Python, the model classes'
vectorized closed forms, predictions, lifetime values, holdout validation, simulators, and bad
input. Every reference value is a published one (cited at the test) or computed through another
path (the crmkit command line, another function of the API, plain numpy)."""

from __future__ import annotations

import json
import math
import os
import pickle
import subprocess
import threading
from pathlib import Path

import numpy as np
import pytest

import crmkit
import crmkit.analytics
import crmkit.clv as clv

DATA = Path(os.environ.get("CRMKIT_TEST_DATA_DIR", Path(__file__).resolve().parents[3] / "tests" / "data"))
CLV_DATA = DATA / "clv"


def significant(value: float, digits: int) -> float:
    """value rounded to `digits` significant digits."""
    return round(value, digits - 1 - int(math.floor(math.log10(abs(value)))))


def read_csv(path: Path) -> dict[str, np.ndarray]:
    table = np.genfromtxt(path, delimiter=",", names=True, dtype=None, encoding="utf-8")
    return {name: np.asarray(table[name], dtype=float) for name in table.dtype.names}


@pytest.fixture(scope="module")
def cdnow() -> dict[str, np.ndarray]:
    """The CDNOW sample's 39-week calibration summary in weeks (ID, frequency, recency, T)."""
    return read_csv(CLV_DATA / "cdnow_customers_summary.csv")


@pytest.fixture(scope="module")
def cdnow_spend() -> dict[str, np.ndarray]:
    """The same with the mean repeat-transaction value (ID, x, t_x, T, zbar)."""
    return read_csv(CLV_DATA / "cdnow_customers_summary_with_transactions.csv")


@pytest.fixture(scope="module")
def donations() -> dict[str, np.ndarray]:
    """FHS 2010's donation data: 22 patterns (frequency, recency, periods, weights)."""
    return read_csv(CLV_DATA / "donations.csv")


@pytest.fixture(scope="module")
def bgnbd_fit(cdnow):
    return clv.fit_transaction_model(clv.Model.bgnbd, cdnow["frequency"], cdnow["recency"], cdnow["T"])


# FHL 2005, "Counting your customers the easy way", Marketing Science 24(2): BG/NBD on CDNOW.
FHL = clv.BgNbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4259)


# ------------------------------------------------------------------------------------------------
# Published fits


def test_bgnbd_reproduces_fader_hardie_lee_2005(cdnow, bgnbd_fit):
    # FHL 2005: r = 0.2426, alpha = 4.4135, a = 0.7929, b = 2.4259, LL = -9582.43 (3 significant
    # digits and 0.01, as tests/clv/bg_nbd_test.cpp).
    assert FHL.total_log_likelihood(cdnow["frequency"], cdnow["recency"], cdnow["T"]) == pytest.approx(-9582.43, abs=0.01)
    result = bgnbd_fit.result
    assert result.model is clv.Model.bgnbd
    assert result.parameter_names == ["r", "alpha", "a", "b"]
    p = result.parameters
    assert list(p) == ["r", "alpha", "a", "b"]
    assert significant(p["r"], 3) == pytest.approx(0.243)
    assert significant(p["alpha"], 3) == pytest.approx(4.41)
    assert significant(p["a"], 3) == pytest.approx(0.793)
    assert significant(p["b"], 3) == pytest.approx(2.43)
    assert result.log_likelihood == pytest.approx(-9582.43, abs=0.01)
    assert result.converged and result.reason
    assert result.customers == 2357
    assert 0 < result.distinct_rows < 2357
    assert result.evaluations > 0
    assert result.algorithm
    np.testing.assert_array_equal(result.parameter_values, list(p.values()))
    # lifetimes' Quickstart prints these standard errors for the same fit (BetaGeoFitter.summary).
    errors = result.standard_errors
    assert errors["r"] == pytest.approx(0.012557, rel=1e-3)
    assert errors["alpha"] == pytest.approx(0.378221, rel=1e-3)
    assert errors["a"] == pytest.approx(0.185719, rel=1e-3)
    assert errors["b"] == pytest.approx(0.705345, rel=1e-3)
    assert result.standard_error_note == ""
    np.testing.assert_array_equal(result.standard_error_values, list(errors.values()))
    # The fitted model is a BgNbd with the estimates, and its LL is the fit's.
    model = bgnbd_fit.model
    assert isinstance(model, clv.BgNbd) and isinstance(model, clv.TransactionModel)
    assert model.parameters == p
    assert model.total_log_likelihood(cdnow["frequency"], cdnow["recency"], cdnow["T"]) == pytest.approx(
        result.log_likelihood, rel=1e-12
    )
    assert "BgNbd(r=" in repr(model) and "TransactionFit(" in repr(bgnbd_fit) and "FitResult(" in repr(result)


def test_bgnbd_predictions_match_hardies_spreadsheet():
    # lifetimes' tests/test_estimation.py quotes Hardie's BG/NBD spreadsheet (FHL 2005): E[X(t)] at
    # t = 0.1429, 1, 3, 31.8571, 32, 78 and E[Y(39) | 2, 30.43, 38.86] = 1.226, to 0.001.
    t = np.array([0.1429, 1, 3, 31.8571, 32, 78])
    expected = FHL.expected_purchases(t)
    assert isinstance(expected, np.ndarray) and expected.dtype == np.float64
    np.testing.assert_allclose(expected, [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576], atol=1e-3)
    assert isinstance(FHL.expected_purchases(78), float)
    assert FHL.conditional_expected_purchases(39, 2, 30.43, 38.86) == pytest.approx(1.226, abs=1e-3)
    # The same through the 40-digit references of tests/clv/bg_nbd_test.cpp (mpmath).
    assert FHL.probability_alive(2, 30.43, 38.86) == pytest.approx(0.72661379578816876727, rel=1e-14)
    assert FHL.log_likelihood(2, 30.43, 38.86) == pytest.approx(-9.4596734216681646948, rel=1e-14)
    np.testing.assert_allclose(
        FHL.probability_of_purchases([0, 1, 2, 5], 39),
        [0.5742970838734891119, 0.19919431054007515951, 0.085324665515324609419, 0.017939267655994880582],
        rtol=1e-13,
    )


def test_paretonbd_reproduces_the_fhl_2005_note(cdnow):
    # FHL 2005, "A note on deriving the Pareto/NBD model and related expressions": r = 0.5534,
    # alpha = 10.5802, s = 0.6061, beta = 11.6562, LL = -9594.98.
    note = clv.ParetoNbd(r=0.5534, alpha=10.5802, s=0.6061, beta=11.6562)
    assert note.total_log_likelihood(cdnow["frequency"], cdnow["recency"], cdnow["T"]) == pytest.approx(-9594.98, abs=0.01)
    fit = clv.fit_transaction_model("paretonbd", cdnow["frequency"], cdnow["recency"], cdnow["T"])
    p = fit.result.parameters
    assert list(p) == ["r", "alpha", "s", "beta"]
    assert [significant(v, 3) for v in p.values()] == pytest.approx([0.553, 10.6, 0.606, 11.7])
    assert fit.result.log_likelihood == pytest.approx(-9594.98, abs=0.01)
    assert isinstance(fit.model, clv.ParetoNbd) and fit.model.model is clv.Model.paretonbd


def test_mbgnbd_matches_btydplus(cdnow):
    # lifetimes' test_params_out_is_close_to_BTYDplus (a peer value): 0.525, 6.183, 0.891, 1.614.
    fit = clv.fit_transaction_model(clv.Model.mbgnbd, cdnow["frequency"], cdnow["recency"], cdnow["T"])
    np.testing.assert_allclose(fit.result.parameter_values, [0.525, 6.183, 0.891, 1.614], atol=5e-4)
    assert isinstance(fit.model, clv.ModifiedBgNbd)
    # Batislam et al.'s model loses one-time buyers: P(alive | x = 0) < 1, unlike BG/NBD.
    assert fit.model.probability_alive(0, 0, 38.86) < 1 == FHL.probability_alive(0, 0, 38.86)


def test_bgbb_reproduces_fader_hardie_shang_2010(donations):
    # FHS 2010 (Marketing Science 29(6)): alpha = 1.204, beta = 0.750, gamma = 0.657, delta = 2.783,
    # LL = -33,225.6 (BTYD's vignette: -33225.58).
    f, r, n, w = donations["frequency"], donations["recency"], donations["periods"], donations["weights"]
    paper = clv.BgBb(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)
    assert paper.total_log_likelihood(f, r, n, w) == pytest.approx(-33225.6, abs=0.1)
    fit = clv.fit_transaction_model(clv.Model.bgbb, f, r, n, weights=w)
    p = fit.result.parameters
    assert list(p) == ["alpha", "beta", "gamma", "delta"]
    assert significant(p["alpha"], 4) == pytest.approx(1.204)
    assert significant(p["beta"], 3) == pytest.approx(0.750)
    assert significant(p["gamma"], 3) == pytest.approx(0.657)
    assert significant(p["delta"], 4) == pytest.approx(2.783)
    assert fit.result.log_likelihood == pytest.approx(-33225.58, abs=0.01)
    assert fit.result.customers == 11104 and fit.result.distinct_rows == 22
    model = fit.model
    # Hardie's BG/BB spreadsheet (note 010) as lifetimes' tests cite it: 3,454.9 donors expected with
    # no repeat donation in 6 years, 1,253.1 with 6, and 12,884.2 donations in the next 5 years.
    assert 11104 * model.probability_of_purchases(0, 6) == pytest.approx(3454.9, abs=0.5)
    assert 11104 * model.probability_of_purchases(6, 6) == pytest.approx(1253.1, abs=0.5)
    assert float(np.sum(w * model.conditional_expected_purchases(5, f, r, n))) == pytest.approx(12884.2, abs=0.5)
    # FHS 2010 Table 6: P(alive in 2002) 0.11, 0.59, 0.93.
    np.testing.assert_allclose(paper.probability_alive([0, 2, 6], [0, 4, 6], [6, 6, 6]), [0.11, 0.59, 0.93], atol=5e-3)


def test_gamma_gamma_reproduces_note_025(cdnow_spend):
    # Fader & Hardie (2013), "The Gamma-Gamma model of monetary value", note 025: on the 946 repeat
    # buyers p = 6.25, q = 3.74, gamma = 15.44 (3 significant digits: 15.4); LL -4055.92 (a refit to
    # more digits, tests/clv/gamma_gamma_test.cpp).
    spend = clv.spend_rows(cdnow_spend["x"], cdnow_spend["zbar"])
    assert len(spend) == 946 and "SpendData(rows=946)" == repr(spend)
    np.testing.assert_array_equal(spend.rows, np.flatnonzero(cdnow_spend["x"] > 0))
    fit = clv.fit_gamma_gamma(spend.frequency, spend.monetary_value)
    p = fit.result.parameters
    assert list(p) == ["p", "q", "gamma"]
    assert [significant(v, 3) for v in p.values()] == pytest.approx([6.25, 3.74, 15.4])
    assert fit.result.log_likelihood == pytest.approx(-4055.92, abs=0.01)
    assert fit.result.model is clv.Model.gammagamma and fit.result.customers == 946
    model = fit.model
    assert isinstance(model, clv.GammaGamma) and model.model is clv.Model.gammagamma
    assert (model.p, model.q, model.gamma) == tuple(p.values())
    # lifetimes' Quickstart: conditional_expected_average_profit 24.658619, 18.911489, 35.170981 for
    # customers 1, 2, 3 (x = 2, m = 22.35; x = 1, m = 11.77; x = 0).
    np.testing.assert_allclose(
        model.conditional_expected_spend(cdnow_spend["x"][:3], cdnow_spend["zbar"][:3]),
        [24.658619, 18.911489, 35.170981],
        rtol=1e-3,
    )
    # x = 0 is the population mean p gamma / (q - 1).
    assert model.conditional_expected_spend(0, 0) == pytest.approx(model.expected_spend(), rel=1e-14)
    assert model.expected_spend() == pytest.approx(p["p"] * p["gamma"] / (p["q"] - 1), rel=1e-14)
    # Weights: the same customers once with weight 2 give the same estimates and twice the LL.
    twice = clv.fit_gamma_gamma(spend.frequency, spend.monetary_value, weights=np.full(946, 2.0))
    np.testing.assert_allclose(twice.result.parameter_values, fit.result.parameter_values, rtol=1e-6)
    assert twice.result.log_likelihood == pytest.approx(2 * fit.result.log_likelihood, rel=1e-9)
    assert model.log_likelihood(spend.frequency, spend.monetary_value).sum() == pytest.approx(
        fit.result.log_likelihood, rel=1e-9
    )


# ------------------------------------------------------------------------------------------------
# Equality with the command line (another path to the same C++)


def cli() -> Path | None:
    build = os.environ.get("CRMKIT_BUILD_DIR")
    if not build:
        return None
    path = Path(build) / "src" / "cli" / "crmkit"
    return path if path.exists() else None


@pytest.mark.parametrize(
    "file,model",
    [
        ("cdnow_customers_summary.csv", "bgnbd"),
        ("cdnow_customers_summary.csv", "mbgnbd"),
        ("cdnow_customers_summary.csv", "paretonbd"),
        ("donations.csv", "bgbb"),
        ("cdnow_customers_summary_with_transactions.csv", "gammagamma"),
    ],
)
def test_fits_equal_the_command_lines(file, model, cdnow, cdnow_spend, donations):
    binary = cli()
    if binary is None:
        pytest.skip("the crmkit command line is not built in $CRMKIT_BUILD_DIR")
    out = subprocess.run(
        [str(binary), "clv", "fit", "--summary", str(CLV_DATA / file), "--model", model, "--format", "json"],
        check=True, capture_output=True, text=True,
    ).stdout
    reference = json.loads(out)
    if model == "gammagamma":
        spend = clv.spend_rows(cdnow_spend["x"], cdnow_spend["zbar"])
        fit = clv.fit_gamma_gamma(spend.frequency, spend.monetary_value)
    elif model == "bgbb":
        fit = clv.fit_transaction_model(
            model, donations["frequency"], donations["recency"], donations["periods"], donations["weights"]
        )
    else:
        fit = clv.fit_transaction_model(model, cdnow["frequency"], cdnow["recency"], cdnow["T"])
    result = fit.result
    assert reference["model"] == result.model.value
    assert list(reference["parameters"]) == result.parameter_names
    for name, value in result.parameters.items():
        assert value == pytest.approx(reference["parameters"][name], rel=1e-12)
        assert result.standard_errors[name] == pytest.approx(reference["standard_errors"][name], rel=1e-9)
    assert result.log_likelihood == pytest.approx(reference["log_likelihood"], rel=1e-13)
    assert result.customers == reference["customers"]
    assert result.distinct_rows == reference["distinct_rows"]
    assert result.converged == reference["converged"] and result.reason == reference["reason"]
    assert result.algorithm == reference["algorithm"]


# ------------------------------------------------------------------------------------------------
# Enums, options, summary data


def test_enums():
    assert [m.value for m in clv.Model] == ["bgnbd", "mbgnbd", "paretonbd", "bgbb", "gammagamma"]
    assert [d.value for d in clv.Discounting] == ["steps", "continuous"]
    assert clv.Model.__module__ == "crmkit.clv" and clv.Model.__doc__
    assert clv.make_transaction_model("bgnbd", [1, 2, 3, 4]) == clv.BgNbd(r=1, alpha=2, a=3, b=4)
    with pytest.raises(ValueError, match="not a crmkit.clv.Model"):
        clv.make_transaction_model("bg-nbd", [1, 2, 3, 4])


def test_make_transaction_model_builds_each_model():
    cases = [
        (clv.Model.bgnbd, clv.BgNbd, ["r", "alpha", "a", "b"]),
        (clv.Model.mbgnbd, clv.ModifiedBgNbd, ["r", "alpha", "a", "b"]),
        (clv.Model.paretonbd, clv.ParetoNbd, ["r", "alpha", "s", "beta"]),
        (clv.Model.bgbb, clv.BgBb, ["alpha", "beta", "gamma", "delta"]),
    ]
    for model, cls, names in cases:
        built = clv.make_transaction_model(model, np.array([0.5, 2.0, 0.7, 3.0]))
        assert type(built) is cls and built.model is model
        assert built.parameter_names == names
        assert built.parameters == dict(zip(names, [0.5, 2.0, 0.7, 3.0]))
        assert [getattr(built, name) for name in names] == [0.5, 2.0, 0.7, 3.0]
        assert built == cls(0.5, 2.0, 0.7, 3.0) and built != cls(0.5, 2.0, 0.7, 3.1)
        assert pickle.loads(pickle.dumps(built)) == built
        assert repr(built).startswith(cls.__name__ + "(")
    assert cls() == cls(1, 1, 1, 1)
    with pytest.raises(crmkit.ValidationError):
        clv.make_transaction_model(clv.Model.gammagamma, [1, 2, 3])
    with pytest.raises(crmkit.ValidationError):
        clv.make_transaction_model(clv.Model.bgnbd, [1, 2, 3])
    with pytest.raises(crmkit.ValidationError) as error:
        clv.BgNbd(r=1, alpha=-2, a=1, b=1)
    assert "alpha" in str(error.value)
    gg = clv.GammaGamma(p=6.25, q=3.74, gamma=15.44)
    assert gg.parameter_names == ["p", "q", "gamma"] and gg.parameters == {"p": 6.25, "q": 3.74, "gamma": 15.44}
    assert pickle.loads(pickle.dumps(gg)) == gg and gg != clv.GammaGamma()
    assert repr(gg) == "GammaGamma(p=6.25, q=3.74, gamma=15.44)"


def test_fit_options_and_clv_options():
    options = clv.FitOptions()
    assert (options.penalizer, options.initial, options.max_evaluations, options.relative_tolerance,
            options.standard_errors, options.threads) == (0.0, [], 5000, 1e-10, True, 0)
    options = clv.FitOptions(penalizer=0.1, initial=[1, 2, 3, 4], threads=2)
    assert options.initial == [1, 2, 3, 4] and options == clv.FitOptions(penalizer=0.1, initial=[1, 2, 3, 4], threads=2)
    options.initial.append(5)  # a copy: fields are values
    assert options.initial == [1, 2, 3, 4]
    assert "FitOptions(penalizer=0.1" in repr(options)
    with pytest.raises(TypeError):
        clv.FitOptions(0.1)  # keyword-only
    clv_options = clv.ClvOptions()
    assert (clv_options.horizon, clv_options.step, clv_options.discount_rate, clv_options.discounting,
            clv_options.threads) == (12, 30, 0.01, clv.Discounting.steps, 0)
    clv_options.discounting = "continuous"
    assert clv_options.discounting is clv.Discounting.continuous
    assert clv_options == clv.ClvOptions(discounting=clv.Discounting.continuous)
    assert "ClvOptions(horizon=12.0" in repr(clv_options)


def test_summary_data_compress_and_customer_summary(cdnow):
    data = clv.SummaryData(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    assert len(data) == 2357 and data.weights.size == 0
    np.testing.assert_array_equal(data.T, cdnow["T"])
    assert not data.frequency.flags.writeable
    data.validate()
    assert data == clv.SummaryData(list(cdnow["frequency"]), cdnow["recency"], cdnow["T"])
    assert repr(data) == "SummaryData(rows=2357, weighted=False)"
    # compress: distinct sorted rows whose weights count the customers; row_of maps back.
    compressed = clv.compress(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    rows = compressed.rows
    assert rows.weights.sum() == 2357 and len(rows) == len(set(zip(cdnow["frequency"], cdnow["recency"], cdnow["T"])))
    np.testing.assert_array_equal(rows.frequency[compressed.row_of], cdnow["frequency"])
    np.testing.assert_array_equal(rows.recency[compressed.row_of], cdnow["recency"])
    np.testing.assert_array_equal(rows.T[compressed.row_of], cdnow["T"])
    keys = list(zip(rows.frequency, rows.recency, rows.T))
    assert keys == sorted(keys)
    # Fitting the compressed rows with their weights is fitting the customers.
    fit = clv.fit_transaction_model("bgnbd", rows.frequency, rows.recency, rows.T, rows.weights)
    assert fit.result.log_likelihood == pytest.approx(-9582.43, abs=0.01)
    # summary_data of an analytics customer summary: the same columns as floats.
    summary = crmkit.analytics.customer_summary(
        np.array([1, 1, 1, 2, 3, 3]),
        np.array(["2024-01-01", "2024-01-03", "2024-01-10", "2024-01-05", "2024-01-02", "2024-01-02"],
                 dtype="datetime64[us]"),
        np.array([10.0, 20, 30, 5, 1, 2]),
        as_of="2024-01-11",
    )
    converted = clv.summary_data(summary)
    np.testing.assert_array_equal(converted.frequency, [2, 0, 0])
    np.testing.assert_array_equal(converted.recency, [9, 0, 0])
    np.testing.assert_array_equal(converted.T, [10, 6, 9])
    # ... or of anything with frequency, recency and T columns.
    assert clv.summary_data(data) == data
    with pytest.raises(TypeError, match="summary"):
        clv.summary_data(42)


# ------------------------------------------------------------------------------------------------
# Predictions, lifetime values, holdout validation


def test_vectorized_predictions_equal_the_scalar_ones(cdnow, bgnbd_fit):
    model = bgnbd_fit.model
    f, r, T = cdnow["frequency"][:50], cdnow["recency"][:50], cdnow["T"][:50]
    alive = model.probability_alive(f, r, T)
    expected = model.conditional_expected_purchases(39, f, r, T)
    for i in range(50):
        assert alive[i] == model.probability_alive(f[i], r[i], T[i])
        assert expected[i] == model.conditional_expected_purchases(39, f[i], r[i], T[i])
    # predict() gives both at once, one value per row.
    predictions = clv.predict(model, f, r, T, horizon=39)
    assert len(predictions) == 50 and repr(predictions) == "Predictions(rows=50)"
    np.testing.assert_array_equal(predictions.probability_alive, alive)
    np.testing.assert_array_equal(predictions.expected_purchases, expected)
    # A horizon per row, and scalars broadcast against arrays (T scalar).
    horizons = np.linspace(0, 52, 50)
    per_row = model.conditional_expected_purchases(horizons, f, r, T)
    for i in (0, 7, 49):
        assert per_row[i] == pytest.approx(model.conditional_expected_purchases(horizons[i], f[i], r[i], T[i]), rel=1e-15)
    assert per_row[0] == 0
    np.testing.assert_array_equal(model.probability_alive(f, r, 38.86), model.probability_alive(f, r, np.full(50, 38.86)))
    # Pandas Series and lists are columns too; the thread count does not change results.
    import pandas as pd

    series = model.conditional_expected_purchases(10, pd.Series(f), list(r), pd.Series(T), threads=1)
    np.testing.assert_array_equal(series, model.conditional_expected_purchases(10, f, r, T, threads=3))
    # log_likelihood rows sum to the total.
    assert model.log_likelihood(f, r, T).sum() == pytest.approx(model.total_log_likelihood(f, r, T), rel=1e-12)


def test_lifetime_value_reproduces_lifetimes_known_values():
    # lifetimes' tests/test_utils.py, test_customer_lifetime_value_with_known_values: its BetaGeoFitter
    # parameters and five customers (days); one month (30 days) undiscounted is E[Y(30)] = 0.016053,
    # 0.021171, 0.030461, 0.031686, 0.001607 (5 decimals); two months about twice that (rtol 0.1).
    model = clv.BgNbd(r=0.16385072, alpha=1.86428187, a=1.85034151, b=3.18105431)
    f, r, T = [0, 0, 6, 0, 2], [0, 0, 142, 0, 9], [298, 224, 292, 147, 183]
    ones = np.ones(5)
    one_month = clv.lifetime_value(model, f, r, T, ones, clv.ClvOptions(horizon=1, step=30, discount_rate=0))
    lifetimes_e30 = [0.016053, 0.021171, 0.030461, 0.031686, 0.001607]
    np.testing.assert_allclose(one_month, lifetimes_e30, atol=5e-6)
    two_months = clv.lifetime_value(model, f, r, T, ones, clv.ClvOptions(horizon=2, step=30, discount_rate=0))
    np.testing.assert_allclose(two_months, 2 * np.array(lifetimes_e30), rtol=0.1)
    # Another path: the steps sum of E[Y] differences at 100 % a month.
    e30 = model.conditional_expected_purchases(30, f, r, T)
    e60 = model.conditional_expected_purchases(60, f, r, T)
    discounted = clv.lifetime_value(model, f, r, T, ones, clv.ClvOptions(horizon=2, step=30, discount_rate=1))
    np.testing.assert_allclose(discounted, e30 / 2 + (e60 - e30) / 4, rtol=1e-12)
    # Continuous discounting is slightly higher than steps, and equal at rate 0.
    steps = clv.lifetime_value(model, f, r, T, ones, clv.ClvOptions(horizon=12, discount_rate=0.01))
    continuous = clv.lifetime_value(
        model, f, r, T, ones, clv.ClvOptions(horizon=12, discount_rate=0.01, discounting="continuous")
    )
    assert np.all(continuous > steps) and np.all(continuous < steps * 1.01)
    # With a Gamma-Gamma model: its conditional spend times the unit value.
    gg = clv.GammaGamma(p=6.25, q=3.74, gamma=15.44)
    m = np.array([0, 0, 40.5, 0, 12.0])
    with_model = clv.lifetime_value(model, gg, f, r, T, m)
    np.testing.assert_allclose(with_model, gg.conditional_expected_spend(f, m) * steps, rtol=1e-12)
    assert with_model.dtype == np.float64 and with_model.shape == (5,)


def test_quickstart_clv_through_the_numpy_api(cdnow_spend):
    # lifetimes' Quickstart (docs/Quickstart.md): BG/NBD on the CDNOW summary with monetary value,
    # Gamma-Gamma on its repeat buyers, customer_lifetime_value(time=12, discount_rate=0.01, freq "D"
    # = 30 units a "month" of this weekly data): 140.096211, 18.943467, 38.180574 and 1003.868107 for
    # customers 1, 2, 3 and 6 (rtol 2e-3, as tests/cli/clv_command_test.cpp).
    x, t_x, T, m = cdnow_spend["x"], cdnow_spend["t_x"], cdnow_spend["T"], cdnow_spend["zbar"]
    bgnbd = clv.fit_transaction_model("bgnbd", x, t_x, T).model
    spend = clv.spend_rows(x, m)
    gg = clv.fit_gamma_gamma(spend.frequency, spend.monetary_value).model
    value = clv.lifetime_value(bgnbd, gg, x, t_x, T, m, clv.ClvOptions(horizon=12, step=30, discount_rate=0.01))
    np.testing.assert_allclose(value[[0, 1, 2, 5]], [140.096211, 18.943467, 38.180574, 1003.868107], rtol=2e-3)


def test_validate_holdout_on_the_cdnow_transactions():
    # The CDNOW sample split as FHL 2005 did (calibration to 1997-09-30, holdout of 39 weeks to
    # 1998-06-30). BTYD's vignette prints the actual holdout purchases by calibration frequency
    # (censored at 7): bins of 1411 439 214 100 62 38 29 64 customers, means 0.2367116 0.6970387
    # 1.392523 1.560000 2.532258 2.947368 3.862069 6.359375, 1,882 in all.
    pd = pytest.importorskip("pandas")
    frame = pd.read_csv(DATA.parent.parent / "examples" / "data" / "cdnow_sample.csv")
    times = pd.to_datetime(frame["date"].astype(str), format="%Y%m%d").to_numpy(dtype="datetime64[us]")
    split = crmkit.analytics.calibration_holdout_summary(
        frame["customer_id"].to_numpy(), times, frame["amount"].to_numpy(),
        calibration_end="1997-09-30", observation_end="1998-06-30", period="day", time_unit="week",
    )
    summary = clv.summary_data(split.calibration)
    holdout = np.asarray(split.holdout_frequency, dtype=float)
    table = clv.validate_holdout(FHL, summary.frequency, summary.recency, summary.T, holdout, split.holdout_duration)
    assert [row.frequency for row in table.rows] == list(range(8))
    assert [row.customers for row in table.rows] == [1411, 439, 214, 100, 62, 38, 29, 64]
    np.testing.assert_allclose(
        [row.actual for row in table.rows],
        [0.2367116, 0.6970387, 1.392523, 1.560000, 2.532258, 2.947368, 3.862069, 6.359375],
        rtol=1e-6,
    )
    assert table.total_actual == 1882
    # The predictions are the model's conditional expectations over the holdout (another path).
    expected = FHL.conditional_expected_purchases(split.holdout_duration, summary.frequency, summary.recency, summary.T)
    assert table.total_predicted == pytest.approx(expected.sum(), rel=1e-12)
    assert table.mae == pytest.approx(np.abs(expected - holdout).mean(), rel=1e-12)
    assert table.rmse == pytest.approx(np.sqrt(((expected - holdout) ** 2).mean()), rel=1e-12)
    assert table.correlation == pytest.approx(np.corrcoef(expected, holdout)[0, 1], rel=1e-10)
    assert table.rows[7].predicted == pytest.approx(expected[summary.frequency >= 7].mean(), rel=1e-12)
    assert "HoldoutValidation(groups=8" in repr(table) and "HoldoutRow(frequency=0" in repr(table.rows[0])
    # A cap of 3 pools x >= 3.
    capped = clv.validate_holdout(FHL, summary.frequency, summary.recency, summary.T, holdout, 39.0, max_frequency=3)
    assert capped.rows[-1].customers == 100 + 62 + 38 + 29 + 64


# ------------------------------------------------------------------------------------------------
# Simulators


def test_simulators_are_seeded_and_recover_their_parameters():
    truth = clv.BgNbd(r=0.25, alpha=4.0, a=0.8, b=2.5)
    data = clv.simulate(truth, customers=20000, T=52, seed=7)
    assert isinstance(data, clv.SummaryData) and len(data) == 20000
    data.validate()
    assert data == clv.simulate(truth, customers=20000, T=52, seed=7)
    assert data != clv.simulate(truth, customers=20000, T=52, seed=8)
    np.testing.assert_array_equal(data.T, 52)
    fit = clv.fit_transaction_model("bgnbd", data.frequency, data.recency, data.T)
    # 20,000 customers pin the parameters down to within a few standard errors.
    for name, value in truth.parameters.items():
        assert abs(fit.result.parameters[name] - value) < 4 * fit.result.standard_errors[name]
    staggered = clv.simulate(truth, customers=500, T=52, T_spread=26, grain=1 / 7, seed=1)
    assert staggered.T.min() >= 26 and staggered.T.max() <= 52
    np.testing.assert_allclose(staggered.T * 7, np.round(staggered.T * 7), atol=1e-9)
    for model in (clv.ModifiedBgNbd(0.5, 6, 0.9, 1.6), clv.ParetoNbd(0.55, 10.6, 0.6, 11.7), clv.BgBb(1.2, 0.75, 0.66, 2.8)):
        simulated = clv.simulate(model, customers=300, T=6, seed=3)
        simulated.validate(discrete=isinstance(model, clv.BgBb))
    with pytest.raises(crmkit.ValidationError):
        clv.simulate(clv.BgBb(1.2, 0.75, 0.66, 2.8), customers=10, T=6.5)
    gg = clv.GammaGamma(p=6.25, q=3.74, gamma=15.44)
    spend = clv.simulate_spend(gg, np.array([1, 2, 5, 1]), seed=11)
    assert len(spend) == 4 and np.all(spend.monetary_value > 0)
    np.testing.assert_array_equal(spend.monetary_value, clv.simulate_spend(gg, [1, 2, 5, 1], seed=11).monetary_value)
    with pytest.raises(crmkit.ValidationError, match="frequency"):
        clv.simulate_spend(gg, [1, 0.5], seed=1)


def test_fits_release_the_gil_and_run_in_threads(cdnow):
    results = []

    def work():
        fit = clv.fit_transaction_model("bgnbd", cdnow["frequency"], cdnow["recency"], cdnow["T"])
        results.append(fit.result.log_likelihood)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 3 and len(set(results)) == 1


# ------------------------------------------------------------------------------------------------
# Bad input


def test_bad_dtypes_shapes_and_lengths(cdnow):
    f, r, T = cdnow["frequency"], cdnow["recency"], cdnow["T"]
    with pytest.raises(TypeError, match="frequency"):
        clv.fit_transaction_model("bgnbd", f.astype(str), r, T)
    with pytest.raises(ValueError, match="recency: expected a 1-D array"):
        clv.fit_transaction_model("bgnbd", f, r.reshape(-1, 1), T)
    with pytest.raises(ValueError, match="T: has 2356 values but frequency has 2357"):
        clv.fit_transaction_model("bgnbd", f, r, T[1:])
    with pytest.raises(ValueError, match="weights"):
        clv.fit_transaction_model("bgnbd", f, r, T, weights=np.ones(3))
    with pytest.raises(ValueError, match="recency"):
        FHL.probability_alive(f[:3], r[:2], T[:3])
    with pytest.raises(TypeError):
        clv.fit_transaction_model("bgnbd", f, r, T, options={"penalizer": 1})
    with pytest.raises(TypeError, match="monetary_value"):
        clv.fit_gamma_gamma([1, 2], ["a", "b"])


def test_invalid_rows_name_the_column_and_row():
    f = np.array([1.0, 2, 0])
    r = np.array([3.0, 40, 0])
    T = np.array([10.0, 38.86, 5])
    with pytest.raises(crmkit.ValidationError) as error:
        clv.fit_transaction_model("bgnbd", f, r, T)
    assert error.value.field == "recency[1]" and "recency[1]" in str(error.value)
    assert isinstance(error.value, ValueError)
    with pytest.raises(crmkit.ValidationError, match=r"recency\[1\]"):
        FHL.probability_alive(f, r, T)
    with pytest.raises(crmkit.ValidationError, match=r"recency\[1\]"):
        clv.predict(FHL, f, r, T, horizon=10)
    with pytest.raises(crmkit.ValidationError) as error:
        FHL.conditional_expected_purchases(10, [-1.0, 2], [0.0, 3], [5.0, 5])
    assert error.value.field == "frequency[0]"
    with pytest.raises(crmkit.ValidationError, match=r"frequency\[0\]"):
        clv.SummaryData([-1.0], [0.0], [5.0]).validate()
    with pytest.raises(crmkit.ValidationError, match="horizon"):
        clv.predict(FHL, [1.0], [1.0], [2.0], horizon=-1)
    with pytest.raises(crmkit.ValidationError, match=r"t\[1\]"):
        FHL.conditional_expected_purchases([1.0, float("nan")], [1.0, 1.0], [1.0, 1.0], [2.0, 2.0])
    with pytest.raises(crmkit.ValidationError, match="n"):
        FHL.probability_of_purchases(1.5, 3)
    # BG/BB needs whole numbers.
    with pytest.raises(crmkit.ValidationError, match=r"recency\[0\]"):
        clv.fit_transaction_model("bgbb", [1.0], [2.5], [6.0])
    # Gamma-Gamma: repeat buyers only, positive spend.
    with pytest.raises(crmkit.ValidationError, match=r"frequency\[1\]"):
        clv.fit_gamma_gamma([1.0, 0.0], [10.0, 0.0])
    with pytest.raises(crmkit.ValidationError, match=r"monetary_value\[0\]"):
        clv.GammaGamma(6, 3.7, 15).conditional_expected_spend([1.0], [-3.0])
    with pytest.raises(crmkit.ValidationError, match="q"):
        clv.GammaGamma(6, 0.8, 15).conditional_expected_spend(1, 10)
    # Lifetime values name the bad option.
    with pytest.raises(crmkit.ValidationError, match="discount_rate"):
        clv.lifetime_value(FHL, [1.0], [1.0], [2.0], [1.0], clv.ClvOptions(discount_rate=-0.1))
    with pytest.raises(crmkit.ValidationError, match="expected_spend"):
        clv.lifetime_value(FHL, [1.0, 2.0], [1.0, 1.0], [2.0, 2.0], [1.0])
    with pytest.raises(crmkit.ValidationError, match="max_evaluations"):
        clv.fit_transaction_model("bgnbd", [1.0], [1.0], [2.0], options=clv.FitOptions(max_evaluations=0))


def test_nobody_repeats_is_a_fit_error():
    with pytest.raises(crmkit.FitError) as error:
        clv.fit_transaction_model("bgnbd", np.zeros(50), np.zeros(50), np.full(50, 30.0))
    assert "repeat" in str(error.value)
    assert isinstance(error.value, crmkit.Error)
    assert clv.FitError is crmkit.FitError
