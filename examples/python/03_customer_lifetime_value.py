"""03_customer_lifetime_value: who will keep buying, how much, and what are they worth?

Reads the CDNOW sample (2,357 customers' CD purchases, 1997-01 to 1998-06, bundled in
examples/data) and walks through crmkit's lifetime-value models as Fader, Hardie & Lee (2005)
did: fit BG/NBD on the first 39 weeks, check its predictions against the next 39, fit the
Gamma-Gamma spend model on the repeat buyers, and combine both into a 12-month lifetime value.
The Python twin of examples/03_customer_lifetime_value.cpp, with the same output.

    python3 examples/python/03_customer_lifetime_value.py [examples/data/cdnow_sample.csv]

(lifetimes users: crmkit.clv.BetaGeoFitter, GammaGammaFitter and calibration_and_holdout_data
give the same numbers with lifetimes' names; this example uses the numpy API.)
"""

from __future__ import annotations

import math
import sys

import numpy as np

import crmkit.analytics as analytics
import crmkit.clv as clv


def print_fit(fit: clv.FitResult) -> None:
    print("  %-6s %10s %10s" % ("", "estimate", "std.err"))
    errors = fit.standard_error_values
    for k, (name, value) in enumerate(fit.parameters.items()):
        error = errors[k] if k < len(errors) else math.nan
        print("  %-6s %10.4f %10.4f" % (name, value, error))
    print(
        "  log-likelihood %.2f over %.0f customers (%d distinct rows), %s"
        % (fit.log_likelihood, fit.customers, fit.distinct_rows, "converged" if fit.converged else "NOT converged")
    )


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson correlation: Gamma-Gamma assumes spend per purchase does not depend on how often one buys."""
    da, db = a - a.mean(), b - b.mean()
    return float((da * db).sum() / math.sqrt((da * da).sum() * (db * db).sum()))


def main(path: str) -> None:
    purchases = analytics.read_purchase_columns(
        path, customer_column="customer_id", time_column="date", amount_column="amount",
        time_format="compact_date",  # 19970101
    )

    # Calibrate on 1997-01-01..1997-09-30, hold out 1997-10-01..1998-06-30; purchases on one day
    # count once; durations in weeks, as in the papers.
    split = analytics.calibration_holdout_summary(
        purchases.customer_ids, purchases.timestamps, purchases.amounts,
        calibration_end="1997-09-30", observation_end="1998-06-30", period="day", time_unit="week",
    )
    calibration = split.calibration
    summary = clv.summary_data(calibration)
    x_all, t_x_all, T_all = summary.frequency, summary.recency, summary.T
    holdout = np.asarray(split.holdout_frequency, dtype=float)
    print(
        "Read %d purchases of %d customers. Calibration to %s, holdout of %.0f weeks to %s.\n"
        % (len(purchases), len(calibration), calibration.as_of, split.holdout_duration, split.observation_end)
    )

    # BG/NBD by maximum likelihood (FHL 2005 report r 0.2426, alpha 4.4135, a 0.7929, b 2.4259).
    bgnbd = clv.fit_transaction_model(clv.Model.bgnbd, x_all, t_x_all, T_all)
    model = bgnbd.model
    print("BG/NBD fitted on the calibration period:")
    print_fit(bgnbd.result)

    # Three customers: a typical one, a frequent recent buyer, and a frequent buyer gone quiet.
    print("\nThree customers at the end of the calibration period (weeks):")
    print("%8s %4s %7s %7s %8s %12s %12s" % ("customer", "x", "t_x", "T", "P(alive)", "E[next 39w]", "actual 39w"))
    for customer in (1, 157, 1901):
        i = calibration.find(customer)
        x, t_x, T = x_all[i], t_x_all[i], T_all[i]
        print(
            "%8d %4.0f %7.2f %7.2f %8.3f %12.3f %12.0f"
            % (customer, x, t_x, T, model.probability_alive(x, t_x, T),
               model.conditional_expected_purchases(39, x, t_x, T), holdout[i])
        )

    # Holdout validation: actual against predicted purchases in weeks 40-78, by calibration frequency.
    check = clv.validate_holdout(model, x_all, t_x_all, T_all, holdout, split.holdout_duration)
    print("\nHoldout purchases by calibration frequency (means per customer):")
    print("%5s %9s %8s %9s" % ("x", "customers", "actual", "predicted"))
    for k, row in enumerate(check.rows):
        label = str(row.frequency) + ("+" if k == len(check.rows) - 1 else "")
        print("%5s %9.0f %8.3f %9.3f" % (label, row.customers, row.actual, row.predicted))
    print(
        "total: actual %.0f, predicted %.1f; per customer MAE %.3f, RMSE %.3f, correlation %.3f"
        % (check.total_actual, check.total_predicted, check.mae, check.rmse, check.correlation)
    )

    # Gamma-Gamma on the repeat buyers' mean spend per repeat purchase (note 025: p 6.25, q 3.74,
    # gamma 15.44).
    monetary_value = calibration.monetary_value
    spend = clv.spend_rows(x_all, monetary_value)
    print(
        "\nGamma-Gamma fitted on the %d repeat buyers (frequency-spend correlation %.3f):"
        % (len(spend), correlation(spend.frequency, spend.monetary_value))
    )
    gamma_gamma = clv.fit_gamma_gamma(spend.frequency, spend.monetary_value)
    print_fit(gamma_gamma.result)
    print("  population mean spend per purchase %.2f" % gamma_gamma.model.expected_spend())

    # Lifetime value over the next 12 months of 4.345 weeks, 1 % a month, as lifetimes computes it.
    options = clv.ClvOptions(horizon=12, step=4.345, discount_rate=0.01)
    value = clv.lifetime_value(model, gamma_gamma.model, x_all, t_x_all, T_all, monetary_value, options)
    options.discounting = clv.Discounting.continuous
    continuous = clv.lifetime_value(model, gamma_gamma.model, x_all, t_x_all, T_all, monetary_value, options)
    order = np.argsort(-value, kind="stable")
    expected_spend = gamma_gamma.model.conditional_expected_spend(x_all, monetary_value)
    alive = model.probability_alive(x_all, t_x_all, T_all)
    print("\nTop 5 customers by 12-month lifetime value (monthly steps, 1 % a month):")
    print("%8s %4s %7s %7s %8s %9s %10s %9s" % ("customer", "x", "t_x", "T", "spend", "E[spend]", "P(alive)", "CLV"))
    for i in order[:5]:
        print(
            "%8d %4.0f %7.2f %7.2f %8.2f %9.2f %10.3f %9.2f"
            % (calibration.customer_ids[i], x_all[i], t_x_all[i], T_all[i], monetary_value[i], expected_spend[i],
               alive[i], value[i])
        )
    print(
        "Total 12-month value of the %d customers: %.0f (continuous discounting: %.0f)"
        % (len(value), value.sum(), continuous.sum())
    )


if __name__ == "__main__":
    try:
        main(sys.argv[1] if len(sys.argv) > 1 else "examples/data/cdnow_sample.csv")
    except Exception as error:  # noqa: BLE001 - the C++ example reports any error the same way
        print(f"03_customer_lifetime_value: {error}", file=sys.stderr)
        sys.exit(1)
