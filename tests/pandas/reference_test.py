#!/usr/bin/python3
"""Checks the pandas reference (bench/analytics_pandas.py) itself on hand-worked data, so that the
comparisons with crmkit rest on a reference known to follow DOMAIN.md section 3.

Usage: reference_test.py PATH/TO/analytics_pandas.py   (unittest; exit status 0 when all pass)
"""

import importlib.util
import sys
import unittest

import numpy as np
import pandas as pd

ap = None  # the reference module, loaded in main()


def purchases(rows):
    """(customer, ISO time, amount) rows as the reference's DataFrame."""
    return pd.DataFrame({
        "customer_id": np.array([r[0] for r in rows], dtype="int64"),
        "time": pd.to_datetime([r[1] for r in rows]).to_numpy(),
        "amount": np.array([r[2] for r in rows], dtype="float64"),
    })


# 2024-01-01 is a Monday; Monday-start weeks: W0 Jan 1-7, W1 Jan 8-14, ..., W4 Jan 29-Feb 4,
# W5 Feb 5-11 (Feb 10 is a Saturday, Feb 11 a Sunday). The latest purchase day is Feb 11.
SAMPLE = [
    (5, "2024-01-01 10:00:00", 10.0), (5, "2024-01-01 15:00:00", 5.0),
    (5, "2024-01-10 00:00:00", 20.0), (5, "2024-02-05 12:00:00", 30.0),
    (2, "2024-01-31 23:59:59", 100.0),
    (9, "2024-02-10 08:00:00", 7.0), (9, "2024-02-11 09:00:00", -2.0),
    (3, "2024-02-11 23:00:00", 50.0),
]


class Rfm(unittest.TestCase):
    def test_rank_binning(self):
        # Customers 2, 3, 5, 9 (n = 4): rank i scores max(1, ceil(5 (i - 1) / 3)) = 1, 2, 4, 5.
        # recency_days 11, 0, 6, 0 -> ranks 4, 1, 3, 2 (ties by id) -> scores 5, 1, 4, 2 -> R = 6 - s.
        # frequency 1, 1, 3, 2 -> ranks 1, 2, 4, 3; monetary 100, 50, 65, 5 -> ranks 4, 2, 3, 1.
        s = ap.rfm(purchases(SAMPLE))
        s["segment"] = ap.segments(s)
        self.assertEqual(s["customer_id"].tolist(), [2, 3, 5, 9])
        self.assertEqual(s["recency_days"].tolist(), [11, 0, 6, 0])
        self.assertEqual(s["frequency"].tolist(), [1, 1, 3, 2])
        self.assertEqual(s["monetary"].tolist(), [100.0, 50.0, 65.0, 5.0])
        self.assertEqual(s["r"].tolist(), [1, 5, 2, 4])
        self.assertEqual(s["f"].tolist(), [1, 2, 5, 4])
        self.assertEqual(s["m"].tolist(), [5, 2, 4, 1])
        self.assertEqual(s["segment"].tolist(),
                         ["Hibernating", "Potential Loyalists", "Can't Lose Them", "Loyal Customers"])

    def test_rank_formula_on_ties(self):
        # The DOMAIN.md formula, by brute force, on many ties: qcut of ranks must equal it.
        rng = np.random.default_rng(7)
        for n in [2, 3, 4, 5, 6, 7, 11, 50, 101]:
            values = pd.Series(rng.integers(0, 4, n).astype(float))
            order = np.lexsort((np.arange(n), values.to_numpy()))
            rank = np.empty(n, dtype="int64")
            rank[order] = np.arange(1, n + 1)
            for bins in [2, 3, 5, 10]:
                expected = np.maximum(1, np.ceil(bins * (rank - 1) / (n - 1))).astype(int)
                self.assertEqual(ap.rank_scores(values, bins).tolist(), expected.tolist(), (n, bins))

    def test_value_binning(self):
        # recency sorted 0 0 6 11: edges at positions 0, .6, 1.2, 1.8, 2.4, 3 = 0, 0, 1.2, 4.8, 8, 11:
        # 0 -> 1, 6 -> 4, 11 -> 5, so R = 1, 5, 2, 5. frequency 1 1 2 3: edges 1, 1, 1.2, 1.8, 2.4, 3:
        # 1 -> 1, 2 -> 4, 3 -> 5. monetary 5 50 65 100: edges 5, 32, 53, 62, 79, 100: 2 5 4 1... per id.
        s = ap.rfm(purchases(SAMPLE), binning="value")
        self.assertEqual(s["r"].tolist(), [1, 5, 2, 5])
        self.assertEqual(s["f"].tolist(), [1, 1, 5, 4])
        self.assertEqual(s["m"].tolist(), [5, 2, 4, 1])
        np.testing.assert_allclose(ap.value_edges(s["monetary"], 5), [5, 32, 53, 62, 79, 100])

    def test_as_of_ignores_later_purchases(self):
        # As of Feb 10: customer 3 is gone, 9 keeps only Feb 10 (7.0). n = 3: scores 1, 3, 5.
        s = ap.rfm(purchases(SAMPLE), as_of="2024-02-10")
        self.assertEqual(s["customer_id"].tolist(), [2, 5, 9])
        self.assertEqual(s["recency_days"].tolist(), [10, 5, 0])
        self.assertEqual(s["frequency"].tolist(), [1, 3, 1])
        self.assertEqual(s["monetary"].tolist(), [100.0, 65.0, 7.0])
        self.assertEqual(s["r"].tolist(), [1, 3, 5])
        self.assertEqual(s["f"].tolist(), [1, 5, 3])
        self.assertEqual(s["m"].tolist(), [5, 3, 1])

    def test_single_customer_and_equal_values(self):
        one = ap.rfm(purchases([(4, "2024-03-01 12:00:00", 9.5)]))
        self.assertEqual(one[["recency_days", "frequency", "r", "f", "m"]].values.tolist(), [[0, 1, 5, 1, 1]])
        same = purchases([(c, "2024-03-01 12:00:00", 1.0) for c in [8, 3, 5]])
        by_value = ap.rfm(same, binning="value")  # equal values share the lowest score
        self.assertEqual(by_value[["r", "f", "m"]].values.tolist(), [[5, 1, 1]] * 3)
        by_rank = ap.rfm(same)  # ranks 1, 2, 3 by id: scores 1, 3, 5
        self.assertEqual(by_rank["f"].tolist(), [1, 3, 5])
        self.assertEqual(by_rank["r"].tolist(), [5, 3, 1])

    def test_before_1970(self):
        # 1969-12-31 23:00 and 1970-01-01 01:00 are two days (floor, not truncation toward 0).
        s = ap.rfm(purchases([(1, "1969-12-31 23:00:00", 10.0), (1, "1970-01-01 01:00:00", 5.0),
                              (2, "1969-12-28 12:00:00", 1.0)]))
        self.assertEqual(s["frequency"].tolist(), [2, 1])
        self.assertEqual(s["recency_days"].tolist(), [0, 4])


class Summary(unittest.TestCase):
    def test_days(self):
        # 5: days Jan 1 (15), Jan 10 (20), Feb 5 (30): x = 2, t_x = 35, T = 41, mean(20, 30) = 25.
        # 9: Feb 10 (7), Feb 11 (-2): x = 1, t_x = 1, T = 1, monetary -2 (a return counts).
        s = ap.customer_summary(purchases(SAMPLE))
        self.assertEqual(s["customer_id"].tolist(), [2, 3, 5, 9])
        self.assertEqual(s["frequency"].tolist(), [0, 0, 2, 1])
        self.assertEqual(s["recency"].tolist(), [0, 0, 35, 1])
        self.assertEqual(s["T"].tolist(), [11, 0, 41, 1])
        self.assertEqual(s["monetary_value"].tolist(), [0, 0, 25, -2])

    def test_days_in_weeks(self):
        s = ap.customer_summary(purchases(SAMPLE), time_unit="week")
        np.testing.assert_allclose(s["recency"], [0, 0, 5, 1 / 7], rtol=1e-15)
        np.testing.assert_allclose(s["T"], [11 / 7, 0, 41 / 7, 1 / 7], rtol=1e-15)

    def test_weeks_start_on_monday(self):
        # 2: W4 (Jan 31), T = W5 - W4 = 1. 5: W0 (15), W1 (20), W5 (30). 9: Sat and Sun of W5: x = 0.
        s = ap.customer_summary(purchases(SAMPLE), period="week")
        self.assertEqual(s["frequency"].tolist(), [0, 0, 2, 0])
        self.assertEqual(s["recency"].tolist(), [0, 0, 5, 0])
        self.assertEqual(s["T"].tolist(), [1, 0, 5, 0])
        self.assertEqual(s["monetary_value"].tolist(), [0, 0, 25, 0])

    def test_months_in_days(self):
        # 5: January (35), February (30): x = 1, t_x = T = 1 month = 30.436875 days, value 30.
        s = ap.customer_summary(purchases(SAMPLE), period="month", time_unit="day")
        self.assertEqual(s["frequency"].tolist(), [0, 0, 1, 0])
        self.assertEqual(s["recency"].tolist(), [0, 0, 30.436875, 0])
        self.assertEqual(s["T"].tolist(), [30.436875, 0, 30.436875, 0])
        self.assertEqual(s["monetary_value"].tolist(), [0, 0, 30, 0])

    def test_weeks_before_1970(self):
        # Monday 1969-12-29 starts a week: 1: Wed 12-31 and Thu 01-01 share it (x = 0);
        # 2: Sun 12-28 and Mon 12-29 are two weeks (x = 1). as_of = 1970-01-01.
        rows = [(1, "1969-12-31 23:00:00", 10.0), (1, "1970-01-01 01:00:00", 5.0),
                (2, "1969-12-28 12:00:00", 1.0), (2, "1969-12-29 00:00:00", 3.0)]
        weeks = ap.customer_summary(purchases(rows), period="week")
        self.assertEqual(weeks["frequency"].tolist(), [0, 1])
        self.assertEqual(weeks["T"].tolist(), [0, 1])
        days = ap.customer_summary(purchases(rows))
        self.assertEqual(days["frequency"].tolist(), [1, 1])
        self.assertEqual(days["T"].tolist(), [1, 4])


class Cohorts(unittest.TestCase):
    def test_months(self):
        # January: 2 and 5 (size 2); age 0: both, 10 + 5 + 20 + 100 = 135; age 1: 5 alone, 30.
        # February: 3 and 9 (size 2); age 0: both, 7 - 2 + 50 = 55; age 1 lies after as_of.
        t = ap.cohorts(purchases(SAMPLE))
        self.assertEqual(t["cohort"].tolist(), ["2024-01-01", "2024-01-01", "2024-02-01"])
        self.assertEqual(t["size"].tolist(), [2, 2, 2])
        self.assertEqual(t["age"].tolist(), [0, 1, 0])
        self.assertEqual(t["active"].tolist(), [2, 1, 2])
        self.assertEqual(t["revenue"].tolist(), [135, 30, 55])
        self.assertEqual(t["retention"].tolist(), [1, 0.5, 1])

    def test_gaps_are_cohorts_of_size_zero(self):
        # A customer in January and March only: February is an empty cohort, still in the table.
        t = ap.cohorts(purchases([(1, "2024-01-05 00:00:00", 1.0), (2, "2024-03-05 00:00:00", 2.0)]))
        self.assertEqual(list(zip(t["cohort"], t["age"], t["size"], t["active"])),
                         [("2024-01-01", 0, 1, 1), ("2024-01-01", 1, 1, 0), ("2024-01-01", 2, 1, 0),
                          ("2024-02-01", 0, 0, 0), ("2024-02-01", 1, 0, 0), ("2024-03-01", 0, 1, 1)])
        self.assertEqual(t["retention"].fillna(-1).tolist(), [1, 0, 0, -1, -1, 1])  # -1: blank

    def test_matrix(self):
        # The CLI's CSV: one row per cohort, one column per age, blank after as_of.
        t = ap.cohorts(purchases(SAMPLE))
        wide = ap.cohort_matrix(t, "active")
        self.assertEqual(list(wide.columns), ["cohort", "size", "0", "1"])
        self.assertEqual(wide["0"].tolist(), [2, 2])
        self.assertEqual(wide["1"].fillna(-1).tolist(), [1, -1])
        self.assertEqual(ap.cohort_matrix(t, "revenue")["0"].tolist(), [135, 55])
        self.assertEqual(ap.cohort_matrix(t, "retention")["1"].fillna(-1).tolist(), [0.5, -1])


class Abc(unittest.TestCase):
    def test_classes(self):
        # Revenue 3: 100, 1: 50, 4: 50, 2: 40 - 10 = 30, 8: 0, 6: -10; positive total 230.
        # Ranked 3, 1, 4 (tie by id), 2, 8, 6; share before: 0, .43, .65, .87 -> A A A B; 8, 6 -> C.
        rows = [(4, "2024-01-01", 50.0), (1, "2024-01-02", 50.0), (8, "2024-01-03", 0.0),
                (6, "2024-01-04", -10.0), (3, "2024-01-05", 100.0), (2, "2024-01-06", 40.0),
                (2, "2024-01-07", -10.0)]
        t = ap.abc(purchases(rows))
        self.assertEqual(t["rank"].tolist(), [1, 2, 3, 4, 5, 6])
        self.assertEqual(t["customer_id"].tolist(), [3, 1, 4, 2, 8, 6])
        self.assertEqual(t["revenue"].tolist(), [100, 50, 50, 30, 0, -10])
        np.testing.assert_allclose(t["cumulative_share"], np.array([100, 150, 200, 230, 230, 230]) / 230)
        self.assertEqual(t["class"].tolist(), ["A", "A", "A", "B", "C", "C"])

    def test_no_positive_revenue(self):
        t = ap.abc(purchases([(1, "2024-01-01", 0.0), (2, "2024-01-01", -1.0)]))
        self.assertEqual(t["cumulative_share"].tolist(), [0, 0])
        self.assertEqual(t["class"].tolist(), ["C", "C"])


class Empty(unittest.TestCase):
    def test_no_purchases_give_no_rows(self):
        none = purchases([])
        for binning in ["rank", "value"]:
            self.assertEqual(len(ap.rfm(none, binning=binning)), 0)
        self.assertEqual(len(ap.customer_summary(none)), 0)
        self.assertEqual(len(ap.cohorts(none)), 0)
        self.assertEqual(list(ap.abc(none).columns), ["rank", "customer_id", "revenue", "cumulative_share", "class"])
        self.assertEqual(len(ap.abc(none)), 0)

    def test_all_after_as_of(self):
        self.assertEqual(len(ap.rfm(purchases(SAMPLE), as_of="2023-12-31")), 0)


class Compare(unittest.TestCase):
    def test_reports_differences(self):
        expected = pd.DataFrame({"customer_id": [1, 2], "monetary": [1.0, 2.0], "segment": ["A", "B"]})
        same = pd.DataFrame({"customer_id": [1, 2], "monetary": [1.0 + 1e-13, 2.0], "segment": ["A", "B"]})
        self.assertEqual(ap.compare(expected, same, "customer_id"), [])
        off = pd.DataFrame({"customer_id": [1, 2], "monetary": [1.0, 2.001], "segment": ["A", "C"]})
        problems = ap.compare(expected, off, "customer_id")
        self.assertTrue(any("monetary (1 rows)" in p and "segment (1 rows)" in p for p in problems), problems)
        short = expected.iloc[:1]
        self.assertTrue(any("row counts differ" in p for p in ap.compare(expected, short, "customer_id")))

    def test_blanks_must_match(self):
        expected = pd.DataFrame({"n": pd.array([1, None], dtype="Int64"), "x": [0.5, np.nan]})
        self.assertEqual(ap.compare(expected, pd.DataFrame({"n": ["1", ""], "x": ["0.5", ""]}), "n"), [])
        self.assertNotEqual(ap.compare(expected, pd.DataFrame({"n": ["1", "0"], "x": ["0.5", ""]}), "n"), [])
        self.assertNotEqual(ap.compare(expected, pd.DataFrame({"n": ["1", ""], "x": ["0.5", "0"]}), "n"), [])
        self.assertNotEqual(ap.compare(expected, pd.DataFrame({"n": ["", ""], "x": ["0.5", ""]}), "n"), [])


def main():
    global ap
    spec = importlib.util.spec_from_file_location("analytics_pandas", sys.argv[1])
    ap = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ap)
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[2:])


if __name__ == "__main__":
    main()
