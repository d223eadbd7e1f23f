#!/usr/bin/python3
"""RFM from Python: crmkit.analytics.rfm against pandas, and against the same call in C++.

For each purchase columns file (written by generate_purchases; format in purchase_columns_file.hpp),
in one run:

1. loads the columns with numpy (np.fromfile at the file's offsets; times as datetime64[us]);
2. times ``crmkit.analytics.rfm(ids, times, amounts)`` from Python (every hardware thread, then one
   thread), and once more with the times as datetime64[ns] (the dtype pandas uses), which the
   binding converts to microseconds: the cost of that conversion is reported on its own;
3. times the pandas reference (bench/analytics_pandas.py's ``rfm``, the code the C++ benchmark
   compares with) on a DataFrame built from the same arrays, and checks that both agree (values to
   1e-9; scores exactly against pandas' binning of crmkit's values, as analytics_pandas.py's
   ``check`` does);
4. runs ``<build>/bench/rfm_bench FILE --runs R --no-pandas`` once per round and parses its
   crmkit timings (1 thread and every thread): the same computation called from C++, so the
   difference is the binding's overhead (argument conversion, GIL, result wrapping).

Timings are taken in ``--rounds`` rounds, each the best of ``--runs`` calls (pandas: the median of
``--pandas-runs``), and the median of the rounds is reported; the rounds interleave the Python and
the C++ measurements (one rfm_bench process per round, with ``--runs``), so that both see the same
load. The load average is printed with the table, since the machine may be shared.

Usage:
    PYTHONPATH=BUILD/python /usr/bin/python3 bench/python_rfm_bench.py --build-dir BUILD \\
        /tmp/bdata/p1m.bin /tmp/bdata/p10m.bin [--runs 3] [--rounds 5] [--pandas-runs 3]
BUILD (also $CRMKIT_BUILD_DIR) is a Release build with the targets crmkit_python, rfm_bench and
generate_purchases; its python/ directory is put on sys.path when crmkit is not importable.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import os
import pathlib
import re
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
MAGIC = b"CRMKPUR1"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", metavar="PREFIX.bin", help="purchase columns files")
    parser.add_argument("--build-dir", default=os.environ.get("CRMKIT_BUILD_DIR"),
                        help="a Release build (default: $CRMKIT_BUILD_DIR)")
    parser.add_argument("--runs", type=int, default=3, help="calls per round of each crmkit timing (best)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of crmkit timings (median)")
    parser.add_argument("--pandas-runs", type=int, default=3, help="runs of the pandas timing (median)")
    parser.add_argument("--no-pandas", action="store_true", help="skip the pandas reference")
    return parser.parse_args(argv)


def load_columns(path):
    """ids (int64), times (datetime64[us]) and amounts (float64) of a CRMKPUR1 file, via numpy."""
    with open(path, "rb") as f:
        if f.read(8) != MAGIC:
            raise SystemExit(f"{path}: not a purchase columns file (magic {MAGIC!r})")
    n = int(np.fromfile(path, dtype="<u8", count=1, offset=8)[0])
    ids = np.fromfile(path, dtype="<i8", count=n, offset=16)
    times = np.fromfile(path, dtype="<i8", count=n, offset=16 + 8 * n).view("datetime64[us]")
    amounts = np.fromfile(path, dtype="<f8", count=n, offset=16 + 16 * n)
    if len(amounts) != n:
        raise SystemExit(f"{path}: truncated ({n} rows announced)")
    return ids, times, amounts


def median_ms(function, runs):
    """Median wall time of `function()` in ms over `runs` runs (the result of the last one too)."""
    times, result = [], None
    for _ in range(runs):
        result = None
        gc.collect()
        start = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times), result


def best_ms(function, runs):
    """Best wall time of `function()` in ms over `runs` calls."""
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        result = function()
        best = min(best, (time.perf_counter() - start) * 1e3)
        del result
    return best


def cpp_round(program, path, runs):
    """One rfm_bench process: its crmkit timings (best of `runs`) on 1 thread and every thread."""
    out = subprocess.run([str(program), str(path), "--runs", str(runs), "--no-pandas"], check=True,
                         capture_output=True, text=True).stdout
    match = re.search(r"crmkit rfm: ([\d.]+) ms on 1 thread, ([\d.]+) ms on (\d+) threads", out)
    if not match:
        raise SystemExit(f"cannot read rfm_bench's output:\n{out}")
    return float(match.group(1)), float(match.group(2)), int(match.group(3))


def pandas_check(reference, scores, expected):
    """Problems between crmkit's scores and the pandas reference (empty when they agree)."""
    import pandas as pd

    actual = pd.DataFrame(scores.to_dict())
    base = ["customer_id", "recency_days", "frequency", "monetary"]
    problems = reference.compare(expected[base], actual[base], "customer_id")
    if problems:
        return problems
    rescored = reference.rfm_scores(actual[base].copy(), scores.bins, scores.binning.value)
    return reference.compare(rescored[["r", "f", "m"]], actual[["r", "f", "m"]], "customer_id")


def main(argv=None):
    args = parse_args(argv)
    if args.build_dir:
        sys.path.insert(1, str(pathlib.Path(args.build_dir) / "python"))
    import crmkit
    import crmkit.analytics as ca

    spec = importlib.util.spec_from_file_location("analytics_pandas", HERE / "analytics_pandas.py")
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)

    rows = []
    load_before = os.getloadavg()
    for path in args.files:
        ids, times, amounts = load_columns(path)
        n = len(ids)
        print(f"{path}: {n} purchases", flush=True)

        scores = ca.rfm(ids, times, amounts)
        customers = len(scores)
        times_ns = times.astype("datetime64[ns]")
        assert np.array_equal(ca.rfm(ids, times_ns, amounts).m, scores.m)
        program = pathlib.Path(args.build_dir) / "bench" / "rfm_bench" if args.build_dir else None
        if program is not None and not program.exists():
            program = None
        rounds = {"py_all": [], "py_one": [], "py_ns": [], "convert": [], "cpp_one": [], "cpp_all": []}
        threads = os.cpu_count()
        for _ in range(args.rounds):
            rounds["py_all"].append(best_ms(lambda: ca.rfm(ids, times, amounts), args.runs))
            rounds["py_ns"].append(best_ms(lambda: ca.rfm(ids, times_ns, amounts), args.runs))
            rounds["py_one"].append(best_ms(lambda: ca.rfm(ids, times, amounts, threads=1), args.runs))
            # what the binding does with datetime64[ns] times: one conversion to microseconds
            rounds["convert"].append(best_ms(lambda: times_ns.astype("datetime64[us]"), args.runs))
            if program is not None:
                one, many, threads = cpp_round(program, path, args.runs)
                rounds["cpp_one"].append(one)
                rounds["cpp_all"].append(many)
        m = {key: statistics.median(values) if values else None for key, values in rounds.items()}
        del times_ns
        print(f"  crmkit from Python: {m['py_all']:.1f} ms ({threads} threads), {m['py_one']:.1f} ms "
              f"(1 thread), {m['py_ns']:.1f} ms with datetime64[ns] times (conversion alone "
              f"{m['convert']:.1f} ms)", flush=True)
        if program is not None:
            print(f"  crmkit from C++ (rfm_bench): {m['cpp_all']:.1f} ms ({threads} threads), "
                  f"{m['cpp_one']:.1f} ms (1 thread)", flush=True)
            print(f"  rounds (ms): Python {[round(x, 1) for x in rounds['py_all']]}, "
                  f"C++ {[round(x, 1) for x in rounds['cpp_all']]}", flush=True)

        pandas_ms = None
        agree = None
        if not args.no_pandas:
            import pandas as pd

            df = pd.DataFrame({"customer_id": ids, "time": times.astype("datetime64[ns]"), "amount": amounts})
            pandas_ms, expected = median_ms(lambda: reference.rfm(df), args.pandas_runs)
            problems = pandas_check(reference, scores, expected)
            agree = not problems
            if problems:
                print("  crmkit and pandas DISAGREE:\n" + "\n".join(problems[:5]), flush=True)
            print(f"  pandas: {pandas_ms:.1f} ms; results {'agree' if agree else 'DISAGREE'}", flush=True)
            del df, expected
        rows.append((n, customers, m, threads, pandas_ms, agree))
        del ids, times, amounts, scores
        gc.collect()
    load_after = os.getloadavg()

    print()
    print(f"crmkit {crmkit.__version__}, numpy {np.__version__}, {os.cpu_count()} CPUs; "
          f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after; median of "
          f"{args.rounds} rounds of best-of-{args.runs} (pandas: median of {args.pandas_runs})")
    print()
    print("| purchases | customers | threads | crmkit from Python | crmkit from C++ | binding overhead | "
          "1 thread: Python / C++ (overhead) | pandas | pandas / crmkit (Python) | datetime64[ns] input: "
          "extra time (conversion alone) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n, customers, m, threads, pandas_ms, agree in rows:
        cpp = m["cpp_all"] is not None
        cpp_text = f"{m['cpp_all']:.1f} ms" if cpp else "n/a"
        overhead = f"{100 * (m['py_all'] - m['cpp_all']) / m['cpp_all']:+.1f} %" if cpp else "n/a"
        one = (f"{m['py_one']:.1f} / {m['cpp_one']:.1f} ms ({100 * (m['py_one'] - m['cpp_one']) / m['cpp_one']:+.1f} %)"
               if cpp else f"{m['py_one']:.1f} ms")
        ratio = (f"{pandas_ms / m['py_all']:.1f}x" + ("" if agree else " (DISAGREE)")) if pandas_ms else "n/a"
        pandas_text = f"{pandas_ms:.0f} ms" if pandas_ms else "n/a"
        print(f"| {n:,} | {customers:,} | {threads} | {m['py_all']:.1f} ms | {cpp_text} | {overhead} | {one} | "
              f"{pandas_text} | {ratio} | {m['py_ns'] - m['py_all']:+.1f} ms ({m['convert']:.1f} ms) |")
    return 0 if all(agree is not False for *_, agree in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
