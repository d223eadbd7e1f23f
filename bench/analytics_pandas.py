#!/usr/bin/python3
"""The pandas reference of crmkit's analytics, and crmkit's peer in the benchmarks.

Plain, vectorized pandas code for exactly the definitions of DOMAIN.md section 3: the customer
summary, RFM scores (by rank and by value) with the default segments, cohorts and ABC classes.
It is independent of crmkit: the tests in tests/pandas/ compare the crmkit program's output with
it, and bench/rfm_bench.cpp times it against crmkit::analytics::rfm.

Inputs (one of):
  --online-retail FILE   the UCI Online Retail CSV (plain or .gz), cleaned as the data README says:
                         rows without CustomerID, with Quantity <= 0, or whose InvoiceNo starts with
                         "C" are dropped; amount = Quantity x UnitPrice; time = InvoiceDate as UTC.
  --bin FILE             a purchase columns file: magic "CRMKPUR1", uint64 n, int64 ids[n],
                         int64 times_us[n], float64 amounts[n], little-endian.

Output: a CSV with the columns of the matching `crmkit` command (--output, default stdout).
--bench: also time the computation alone (from the DataFrame in memory to the result; best of
--repeat runs) and print one JSON line (to stderr when the CSV goes to stdout).
--check FILE: compare the result with a CSV written by crmkit (exact for integers and labels,
relative 1e-9 for floats); exit status 1 and the first mismatching rows on a difference.

Usage: analytics_pandas.py {summary,rfm,cohorts,abc} (--online-retail FILE | --bin FILE) [options]
"""

import argparse
import json
import math
import resource
import sys
import time

import numpy as np
import pandas as pd

BIN_MAGIC = b"CRMKPUR1"
# The length of a month as a time unit, in days: the Gregorian mean (365.2425 / 12), as crmkit.
DAYS_IN = {"day": 1.0, "week": 7.0, "month": 30.436875}


# ---------------------------------------------------------------------------------------------
# Inputs: a DataFrame with columns customer_id (int64), time (datetime64[ns], UTC) and amount.

def load_online_retail(path):
    raw = pd.read_csv(
        path,
        usecols=["InvoiceNo", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID"],
        dtype={"InvoiceNo": str, "Quantity": "int64", "UnitPrice": "float64",
               "CustomerID": "float64", "InvoiceDate": str},
        # Correctly rounded decimals, like a C++ strtod: the reference must not differ by an ulp.
        float_precision="round_trip",
    )
    keep = raw["CustomerID"].notna() & (raw["Quantity"] > 0) & ~raw["InvoiceNo"].str.startswith("C")
    raw = raw[keep]
    return pd.DataFrame({
        "customer_id": raw["CustomerID"].astype("int64").to_numpy(),
        "time": pd.to_datetime(raw["InvoiceDate"], format="%Y-%m-%d %H:%M:%S").to_numpy(),
        "amount": (raw["Quantity"] * raw["UnitPrice"]).to_numpy(),
    })


def load_bin(path):
    with open(path, "rb") as f:
        magic = f.read(8)
        if magic != BIN_MAGIC:
            raise ValueError(f"{path}: not a purchase columns file (magic {magic!r})")
        n = int(np.fromfile(f, dtype="<u8", count=1)[0])
        ids = np.fromfile(f, dtype="<i8", count=n)
        times_us = np.fromfile(f, dtype="<i8", count=n)
        amounts = np.fromfile(f, dtype="<f8", count=n)
    if len(amounts) != n:
        raise ValueError(f"{path}: truncated ({n} rows announced)")
    return pd.DataFrame({
        "customer_id": ids,
        "time": times_us.astype("datetime64[us]").astype("datetime64[ns]"),
        "amount": amounts,
    })


# ---------------------------------------------------------------------------------------------
# Periods. Indexes count from crmkit's origins (days since 1970-01-01, weeks since Monday
# 1969-12-29, months since 1970-01); only differences matter here, so the ordinals of pandas'
# own periods do as well.

def period_ordinal(times, period):
    """The ordinal of each time's period (day, Monday-start week, or month), as int64."""
    if period == "day":
        return times.dt.floor("D").to_numpy().view("int64") // 86_400_000_000_000
    freq = {"week": "W-SUN", "month": "M"}[period]  # W-SUN: weeks ending on Sunday
    return times.dt.to_period(freq).array.asi8


def as_of_day(df, as_of):
    """The as_of day as a Timestamp at midnight: the given one, else the latest purchase day."""
    if as_of is not None:
        return pd.Timestamp(as_of)
    if df.empty:
        return pd.Timestamp("1970-01-01")
    return df["time"].max().floor("D")


def observed(df, as_of):
    """The purchases on or before the as_of day (inclusive), and that day."""
    day = as_of_day(df, as_of)
    return df[df["time"] < day + pd.Timedelta(days=1)], day


def units_per_period(period, unit):
    return 1.0 if period == unit else DAYS_IN[period] / DAYS_IN[unit]


# ---------------------------------------------------------------------------------------------
# Customer summary (the lifetimes definitions).

def customer_summary(df, period="day", time_unit=None, as_of=None):
    df, day = observed(df, as_of)
    unit = time_unit or period
    periods = df.assign(p=period_ordinal(df["time"], period))
    # One row per (customer, period) with that period's total, sorted by customer then period.
    per_period = periods.groupby(["customer_id", "p"], sort=True)["amount"].sum().reset_index()
    g = per_period.groupby("customer_id", sort=True)
    first = g["p"].min()
    last = g["p"].max()
    count = g.size()
    repeat = per_period[g.cumcount() > 0]  # every period but the customer's first
    monetary_value = repeat.groupby("customer_id")["amount"].mean().reindex(first.index, fill_value=0.0)
    as_of_p = period_ordinal(pd.Series([day]), period)[0]
    scale = units_per_period(period, unit)
    return pd.DataFrame({
        "customer_id": first.index.to_numpy(),
        "frequency": (count - 1).to_numpy(),
        "recency": (last - first).to_numpy() * scale,
        "T": (as_of_p - first).to_numpy() * scale,
        "monetary_value": monetary_value.to_numpy(),
    })


# ---------------------------------------------------------------------------------------------
# RFM and segments.

def rank_scores(values, bins):
    """Equal-count bins of the ranks (ties by position: rows are in ascending customer id)."""
    if len(values) <= 1:  # qcut needs two distinct edges; a lone customer scores 1
        return np.ones(len(values), dtype="int64")
    return pd.qcut(values.rank(method="first"), bins, labels=False).to_numpy() + 1


def value_edges(values, bins):
    return np.quantile(values.to_numpy(dtype="float64"), np.arange(bins + 1) / bins)


def value_scores(values, bins):
    """The smallest k with value <= edge[k]: ties share a bin, some bins may stay empty."""
    if len(values) == 0:
        return np.ones(0, dtype="int64")
    edges = value_edges(values, bins)
    return np.searchsorted(edges[1:], values.to_numpy(dtype="float64"), side="left") + 1


def rfm_values(df, period="day", as_of=None):
    """recency_days, frequency (purchase periods) and monetary (total spend) per customer, in
    ascending customer id."""
    df, day = observed(df, as_of)
    days = df["time"].dt.floor("D")
    if period == "day":
        periods = days
    else:
        periods = pd.Series(period_ordinal(df["time"], period), index=df.index)
    g = df.assign(day=days, p=periods).groupby("customer_id", sort=True)
    out = pd.DataFrame({
        "recency_days": (day - g["day"].max()).dt.days,
        "frequency": g["p"].nunique(),
        "monetary": g["amount"].sum(),
    })
    return out.rename_axis("customer_id").reset_index()


def rfm_scores(values, bins=5, binning="rank"):
    """Adds the scores r, f and m to RFM values sorted by customer id."""
    score = rank_scores if binning == "rank" else value_scores
    out = values.copy()
    out["r"] = bins + 1 - score(out["recency_days"], bins)
    out["f"] = score(out["frequency"], bins)
    out["m"] = score(out["monetary"], bins)
    return out


def rfm(df, bins=5, binning="rank", period="day", as_of=None):
    return rfm_scores(rfm_values(df, period, as_of), bins, binning)


# The default segments of DOMAIN.md on (R, F) with 5 bins: every cell in exactly one.
SEGMENTS = [
    ("Champions", (5, 5), (4, 5)),
    ("Loyal Customers", (3, 4), (4, 5)),
    ("Potential Loyalists", (4, 5), (2, 3)),
    ("New Customers", (5, 5), (1, 1)),
    ("Promising", (4, 4), (1, 1)),
    ("Need Attention", (3, 3), (3, 3)),
    ("About to Sleep", (3, 3), (1, 2)),
    ("Can't Lose Them", (1, 2), (5, 5)),
    ("At Risk", (1, 2), (3, 4)),
    ("Hibernating", (1, 2), (1, 2)),
]


def segments(scores):
    r, f = scores["r"], scores["f"]
    conditions = [r.between(*rr) & f.between(*fr) for _, rr, fr in SEGMENTS]
    return np.select(conditions, [label for label, _, _ in SEGMENTS], default="Other")


# ---------------------------------------------------------------------------------------------
# Cohorts: acquisition period x age (periods since acquisition).

def cohorts(df, period="month", as_of=None):
    """Long form, one row per observed cell (cohort c, age a with c + a within the as_of period):
    cohort (first day of its period), size, age, active, revenue, retention (blank for a cohort
    without customers)."""
    df, day = observed(df, as_of)
    columns = ["cohort", "size", "age", "active", "revenue", "retention"]
    if df.empty:
        return pd.DataFrame(columns=columns)
    p = pd.Series(period_ordinal(df["time"], period), index=df.index)
    cohort = p.groupby(df["customer_id"]).transform("min")
    cells = df.assign(cohort=cohort, age=p - cohort).groupby(["cohort", "age"])
    table = pd.DataFrame({"active": cells["customer_id"].nunique(), "revenue": cells["amount"].sum()})
    sizes = cohort.groupby(df["customer_id"]).first().value_counts()
    # Cohorts run without gaps from the first acquisition period to the as_of period.
    last = period_ordinal(pd.Series([day]), period)[0]
    first = int(cohort.min())
    grid = pd.MultiIndex.from_tuples(
        [(c, a) for c in range(first, last + 1) for a in range(last - c + 1)], names=["cohort", "age"])
    table = table.reindex(grid, fill_value=0).reset_index()
    table["active"] = table["active"].astype("int64")
    table["size"] = table["cohort"].map(sizes).fillna(0).astype("int64")
    table["retention"] = table["active"] / table["size"].where(table["size"] > 0)  # NaN: no customers
    table["cohort"] = period_start_text(table["cohort"], period)
    return table[columns]


def cohort_matrix(table, metric="retention"):
    """The CLI's CSV: one row per cohort (cohort, size), one column per age of `metric`; cells
    after the as_of period are blank."""
    wide = table.pivot(index=["cohort", "size"], columns="age", values=metric)
    if metric == "active":
        wide = wide.astype("Int64")  # integers, with blanks
    wide.columns = [str(age) for age in wide.columns]
    return wide.reset_index()


def period_start_text(ordinals, period):
    """The first day of each period, as YYYY-MM-DD."""
    if period == "day":
        days = pd.to_datetime(ordinals.to_numpy() * 86_400_000_000_000)
    else:
        freq = {"week": "W-SUN", "month": "M"}[period]
        if hasattr(pd.PeriodIndex, "from_ordinals"):  # pandas 2.2 and later
            index = pd.PeriodIndex.from_ordinals(ordinals.to_numpy(), freq=freq)
        else:
            index = pd.PeriodIndex(ordinal=ordinals.to_numpy(), freq=freq)
        days = index.start_time
    return pd.Series(days.strftime("%Y-%m-%d"), index=ordinals.index)


# ---------------------------------------------------------------------------------------------
# ABC classes.

def abc_revenue(df, as_of=None):
    """Each customer's revenue (sum of amounts), indexed by ascending customer id."""
    if as_of is not None:
        df, _ = observed(df, as_of)
    return df.groupby("customer_id", sort=True)["amount"].sum()


def abc_ranking(revenue, a=0.80, b=0.95):
    """Customers ranked by revenue with their cumulative share and class (revenue indexed by
    ascending customer id)."""
    # Rank by revenue descending, ties by customer id ascending (a stable sort on sorted ids).
    ranked = revenue.sort_values(ascending=False, kind="stable")
    positive = ranked.clip(lower=0.0)
    total = positive.sum()
    cumulative = positive.cumsum()
    before = cumulative.shift(1, fill_value=0.0)  # the revenue of the customers ranked before
    if total > 0:
        cumulative_share, before_share = cumulative / total, before / total
    else:
        cumulative_share = before_share = pd.Series(0.0, index=ranked.index)
    classes = np.where(ranked <= 0, "C", np.where(before_share < a, "A", np.where(before_share < b, "B", "C")))
    return pd.DataFrame({
        "rank": np.arange(1, len(ranked) + 1),
        "customer_id": ranked.index.to_numpy(),
        "revenue": ranked.to_numpy(),
        "cumulative_share": cumulative_share.to_numpy(),
        "class": classes,
    })


def abc(df, a=0.80, b=0.95, as_of=None):
    return abc_ranking(abc_revenue(df, as_of), a, b)


# ---------------------------------------------------------------------------------------------
# Comparison with crmkit's CSV output.

def compare(expected, actual, key, rel=1e-9, abs_tol=1e-9, show=5):
    """Returns a list of messages describing the differences (empty when they agree).

    Integers and labels must be equal; floats agree to `rel` (relative) or `abs_tol` (absolute,
    for values near 0); blanks (NaN) must be blank on both sides. Columns are matched by name;
    rows are compared in order, which both sides define (ascending customer id, rank, cohort)."""
    problems = []
    missing = [c for c in expected.columns if c not in actual.columns]
    if missing:
        return [f"crmkit's output lacks the columns {missing}; it has {list(actual.columns)}"]
    if len(expected) != len(actual):
        problems.append(f"row counts differ: pandas {len(expected)}, crmkit {len(actual)}")
    n = min(len(expected), len(actual))
    e, a = expected.iloc[:n].reset_index(drop=True), actual.iloc[:n].reset_index(drop=True)
    bad = np.zeros(n, dtype=bool)
    bad_columns = []
    for column in expected.columns:
        ev, av = e[column], a[column]
        if pd.api.types.is_float_dtype(ev.dtype):
            x, y = ev.to_numpy(dtype="float64"), pd.to_numeric(av, errors="coerce").to_numpy(dtype="float64")
            differs = ~np.isclose(y, x, rtol=rel, atol=abs_tol, equal_nan=True)
        elif pd.api.types.is_integer_dtype(ev.dtype):
            y = pd.to_numeric(av, errors="coerce")
            differs = ((y != ev) & ~(y.isna() & ev.isna())).fillna(True).to_numpy(dtype=bool)
        else:
            differs = (av.astype(str) != ev.astype(str)).to_numpy()
        if differs.any():
            bad_columns.append(f"{column} ({int(differs.sum())} rows)")
            bad |= differs
    if bad.any():
        rows = np.flatnonzero(bad)[:show]
        problems.append("values differ in " + ", ".join(bad_columns) +
                        (f"; first rows (by {key}):" if show else ""))
        with pd.option_context("display.width", 200, "display.max_columns", 20,
                               "display.float_format", "{:.17g}".format):
            for row in rows:
                problems.append(f"  row {row}:\n    pandas: {e.iloc[row].to_dict()}\n"
                                f"    crmkit: {a.iloc[row].to_dict()}")
    return problems


# ---------------------------------------------------------------------------------------------

def check(args, expected, actual):
    """Compares crmkit's output `actual` (a CSV read as text-typed columns) with the reference's
    `expected` for the command of `args`: (problems, notes); no problems means they agree.

    RFM scores and ABC ranks are computed on sums of amounts. Summed in another order, the same
    decimal amounts can differ in the last bit (108.01 against 108.00999999999999), which turns
    a tie broken by customer id into an order by value and can move a customer across a bin
    edge. So the values are compared with pandas' (to 1e-9), and the scores, ranks, shares and
    classes exactly with the reference's binning and ranking of crmkit's own values; the rows
    where that differs from pandas' own result are counted in a note (and returned as the third
    value: the number of such rows)."""
    if list(actual.columns) != list(expected.columns):
        return [f"columns differ: pandas {list(expected.columns)}, crmkit {list(actual.columns)}"], [], 0
    key = KEYS[args.command]
    if args.command == "rfm":
        base = ["customer_id", "recency_days", "frequency", "monetary"]
        problems = compare(expected[base], actual[base], key)
        if problems:
            return problems, [], 0
        values = pd.DataFrame({c: pd.to_numeric(actual[c]) for c in base})
        rescored = rfm_scores(values, args.bins, args.binning)
        derived = [c for c in ["r", "f", "m", "segment"] if c in expected.columns]
        if "segment" in expected.columns:
            rescored["segment"] = segments(rescored)
    elif args.command == "abc":
        def by_id(frame):
            return frame[["customer_id", "revenue"]].sort_values("customer_id", kind="stable")
        problems = compare(by_id(expected), by_id(actual), "customer_id")
        if problems:
            return problems, [], 0
        revenue = pd.Series(pd.to_numeric(actual["revenue"]).to_numpy(),
                            index=pd.to_numeric(actual["customer_id"]).to_numpy()).sort_index()
        rescored = abc_ranking(revenue, args.a, args.b)
        derived = ["customer_id", "class"]
    else:
        return compare(expected, actual, key), [], 0
    problems = compare(rescored, actual, key)
    notes = []
    differing = compare(expected[derived], rescored[derived], key, show=0)
    tie_rows = 0
    if differing and not problems:
        tie_rows = int(np.count_nonzero(
            (expected[derived].astype(str).to_numpy() != rescored[derived].astype(str).to_numpy()).any(axis=1)))
        notes.append(f"pandas' own sums rank {tie_rows} customers differently (ties by value "
                     "broken by the last bit of a sum): " + differing[0])
    return problems, notes, tie_rows


def compute(args, df):
    if args.command == "summary":
        return customer_summary(df, period=args.period or "day", time_unit=args.time_unit, as_of=args.as_of)
    if args.command == "rfm":
        scores = rfm(df, bins=args.bins, binning=args.binning, period=args.period or "day", as_of=args.as_of)
        if args.bins == 5 and not args.no_segments:
            scores["segment"] = segments(scores)
        return scores
    if args.command == "cohorts":
        return cohort_matrix(cohorts(df, period=args.period or "month", as_of=args.as_of), args.metric)
    return abc(df, a=args.a, b=args.b, as_of=args.as_of)


KEYS = {"summary": "customer_id", "rfm": "customer_id", "cohorts": "cohort", "abc": "rank"}


def peak_rss_kib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def parse_args(argv=None):
    """The command line (also used by tests/pandas to get the same options)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["summary", "rfm", "cohorts", "abc"])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--online-retail", metavar="FILE", help="the Online Retail CSV (.gz)")
    source.add_argument("--bin", metavar="FILE", help="a purchase columns file (CRMKPUR1)")
    parser.add_argument("--output", metavar="FILE", help="CSV output (default: stdout; '-' none)")
    parser.add_argument("--bins", type=int, default=5)
    parser.add_argument("--binning", choices=["rank", "value"], default="rank")
    parser.add_argument("--no-segments", action="store_true", help="rfm: leave out the segment column")
    parser.add_argument("--period", choices=["day", "week", "month"],
                        help="purchase period (default: day; cohorts: month)")
    parser.add_argument("--time-unit", choices=["day", "week", "month"], help="summary: unit of recency and T")
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="last day observed (inclusive)")
    parser.add_argument("--metric", choices=["retention", "active", "revenue"], default="retention",
                        help="cohorts: the cells")
    parser.add_argument("--a", type=float, default=0.80, help="abc: class A threshold")
    parser.add_argument("--b", type=float, default=0.95, help="abc: class B threshold")
    parser.add_argument("--bench", action="store_true", help="print one JSON line of timings")
    parser.add_argument("--repeat", type=int, default=1, help="runs of the computation (best is reported)")
    parser.add_argument("--check", metavar="FILE", help="compare with crmkit's CSV output")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)

    start = time.perf_counter()
    df = load_online_retail(args.online_retail) if args.online_retail else load_bin(args.bin)
    load_s = time.perf_counter() - start

    best = math.inf
    for _ in range(max(1, args.repeat)):
        start = time.perf_counter()
        result = compute(args, df)
        best = min(best, time.perf_counter() - start)
    rss = peak_rss_kib()  # before the comparison reads crmkit's file

    if args.output != "-":
        out = open(args.output, "w", newline="") if args.output else sys.stdout
        result.to_csv(out, index=False, float_format="%.17g")
        if args.output:
            out.close()
    status = 0
    tie_rows = None
    if args.check:
        actual = pd.read_csv(args.check, keep_default_na=False, float_precision="round_trip")
        problems, notes, tie_rows = check(args, result, actual)
        for note in notes:
            print("note:", note, file=sys.stderr)
        if problems:
            print(f"crmkit ({args.check}) and pandas disagree on {args.command}:", file=sys.stderr)
            print("\n".join(problems), file=sys.stderr)
            status = 1
    if args.bench:
        report = {"command": args.command, "rows": len(df), "result_rows": len(result),
                  "load_ms": load_s * 1e3, "compute_ms": best * 1e3, "repeat": args.repeat,
                  "peak_rss_kib": rss, "pandas": pd.__version__, "numpy": np.__version__,
                  "agree": None if not args.check else status == 0, "tie_rows": tie_rows}
        print(json.dumps(report), file=sys.stderr if args.output is None else sys.stdout, flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
