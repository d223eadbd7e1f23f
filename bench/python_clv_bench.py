#!/usr/bin/env python3
"""The cost of crmkit.clv's Python layer: BG/NBD fits, predictions and CLVs from Python against the
same work in C++ (bench/clv_bench), in one run, on the same data.

  - BG/NBD fit on the CDNOW summary (tests/data/clv/cdnow_customers_summary.csv, 2,357 customers);
  - BG/NBD fit on 1,000,000 customers simulated from BG/NBD with CDNOW's parameters (the simulator,
    seeded exactly as clv_bench seeds it: T 27..39 weeks, daily grain, so the data are identical);
  - P(alive) and E[Y(52)] of the million, and their 12-month CLV (monthly steps of 4.345 weeks);

each through the compiled numpy API (crmkit.clv.fit_transaction_model, predict, lifetime_value) and
the lifetimes-like API (crmkit.clv.BetaGeoFitter), with the library's defaults (standard errors,
every hardware thread). clv_bench reports the best of its runs; it runs before and after the
Python timings and the better of its two figures is kept. This script reports the best and the
median of its own runs, and the overhead of the best Python time over the best C++ time. The load
average is printed: the figures are only comparable on a quiet machine.

Usage:
  python3 bench/python_clv_bench.py BUILD_DIR [--runs 7] [--customers 1000000] [--seed 42]

BUILD_DIR (or $CRMKIT_BUILD_DIR) is a Release build with the targets crmkit_python and clv_bench:
its python/ directory holds the package, bench/clv_bench the C++ benchmark.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

SOURCE_DIR = Path(__file__).resolve().parent.parent
CDNOW = SOURCE_DIR / "tests" / "data" / "clv" / "cdnow_customers_summary.csv"
TRUTH = {"r": 0.2426, "alpha": 4.4135, "a": 0.7929, "b": 2.4259}  # FHL 2005, as clv_bench


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("build_dir", nargs="?", default=os.environ.get("CRMKIT_BUILD_DIR"),
                        help="a Release build dir with crmkit_python and clv_bench (default: $CRMKIT_BUILD_DIR)")
    parser.add_argument("--runs", type=int, default=7, help="runs of each measure (CDNOW: at least 20, as clv_bench)")
    parser.add_argument("--customers", type=int, default=1_000_000, help="simulated customers")
    parser.add_argument("--seed", type=int, default=42, help="simulation seed (clv_bench's default)")
    args = parser.parse_args()
    if not args.build_dir:
        parser.error("give the build directory (or set CRMKIT_BUILD_DIR)")
    return args


def timings(runs: int, work: Callable[[], Any]) -> list[float]:
    """Milliseconds of each of `runs` calls of `work`."""
    result = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        result.append((time.perf_counter() - start) * 1e3)
    return result


def run_cpp(build: Path, args: argparse.Namespace) -> dict[str, float]:
    """clv_bench's figures (best of its runs, ms) by measure, from its output."""
    binary = build / "bench" / "clv_bench"
    command = [str(binary), "--runs", str(args.runs), "--customers", str(args.customers), "--seed", str(args.seed),
               "--cdnow", str(CDNOW)]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    figures: dict[str, float] = {}
    section = "cdnow"
    for line in out.splitlines():
        if line.startswith("simulated BG/NBD"):
            section = "million"
            match = re.search(r"compressed in ([\d.]+) ms", line)
            if match:
                figures["million compress"] = float(match.group(1))
        match = re.match(r"\s+(BG/NBD|BG/NBD, rows compressed)\s+([\d.]+) ms", line)
        if match:
            figures[f"{section} {match.group(1)}"] = float(match.group(2))
        match = re.match(r"\s+predict \(P\(alive\), E\[Y\(52\)\]\)\s+([\d.]+) ms", line)
        if match:
            figures["million predict"] = float(match.group(1))
        match = re.match(r"\s+CLV, 12 monthly steps\s+([\d.]+) ms", line)
        if match:
            figures["million clv"] = float(match.group(1))
        if section == "million" and line.strip().startswith("BG/NBD ") and "parameters" not in figures:
            figures["parameters"] = line  # type: ignore[assignment]
    return figures


def main() -> int:
    args = parse_args()
    build = Path(args.build_dir).resolve()
    sys.path.insert(0, str(build / "python"))
    import numpy as np

    import crmkit
    import crmkit.clv as clv

    load_before = os.getloadavg()
    cpp = run_cpp(build, args)  # run again after the Python timings: the best of both is kept

    table = np.genfromtxt(CDNOW, delimiter=",", names=True)
    f, r, T = (np.ascontiguousarray(table[name], dtype=float) for name in ("frequency", "recency", "T"))
    truth = clv.BgNbd(**TRUTH)
    million = clv.simulate(truth, customers=args.customers, T=39, T_spread=12, grain=1 / 7, seed=args.seed)
    mf, mr, mT = million.frequency, million.recency, million.T
    small_runs = max(args.runs, 20)
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover
        pd = None

    rows: list[tuple[str, float | None, list[float]]] = []
    rows.append(("CDNOW BG/NBD fit, numpy API", cpp.get("cdnow BG/NBD"),
                 timings(small_runs, lambda: clv.fit_transaction_model("bgnbd", f, r, T))))
    rows.append(("CDNOW BG/NBD fit, BetaGeoFitter", cpp.get("cdnow BG/NBD"),
                 timings(small_runs, lambda: clv.BetaGeoFitter().fit(f, r, T))))
    if pd is not None:
        frame = pd.DataFrame({"frequency": f, "recency": r, "T": T})
        rows.append(("CDNOW BG/NBD fit, BetaGeoFitter (Series)", cpp.get("cdnow BG/NBD"),
                     timings(small_runs, lambda: clv.BetaGeoFitter().fit(frame["frequency"], frame["recency"], frame["T"]))))
    fits: list[Any] = []
    rows.append((f"{args.customers:,} customers BG/NBD fit, numpy API", cpp.get("million BG/NBD"),
                 timings(args.runs, lambda: fits.append(clv.fit_transaction_model("bgnbd", mf, mr, mT)))))
    rows.append((f"{args.customers:,} customers BG/NBD fit, BetaGeoFitter", cpp.get("million BG/NBD"),
                 timings(args.runs, lambda: clv.BetaGeoFitter().fit(mf, mr, mT))))
    compressed = clv.compress(mf, mr, mT)
    rows.append(("  compression alone (clv.compress)", cpp.get("million compress"),
                 timings(args.runs, lambda: clv.compress(mf, mr, mT))))
    cr = compressed.rows
    rows.append(("  fit on the compressed rows", cpp.get("million BG/NBD, rows compressed"),
                 timings(args.runs, lambda: clv.fit_transaction_model("bgnbd", cr.frequency, cr.recency, cr.T, cr.weights))))
    model = fits[-1].model
    rows.append(("predict P(alive), E[Y(52)], numpy API", cpp.get("million predict"),
                 timings(args.runs, lambda: clv.predict(model, mf, mr, mT, 52))))
    fitter = clv.BetaGeoFitter().fit(mf, mr, mT)
    rows.append(("  E[Y(52)] via BetaGeoFitter.predict", cpp.get("million predict"),
                 timings(args.runs, lambda: fitter.predict(52, mf, mr, mT))))
    spend = np.full(len(mf), 35.0)
    options = clv.ClvOptions(horizon=12, step=4.345)
    rows.append(("CLV 12 monthly steps, numpy API", cpp.get("million clv"),
                 timings(args.runs, lambda: clv.lifetime_value(model, mf, mr, mT, spend, options))))
    cpp_again = run_cpp(build, args)
    for key, value in cpp_again.items():
        if isinstance(value, float) and key in cpp:
            cpp[key] = min(cpp[key], value)
    load_after = os.getloadavg()

    fitted = fits[-1].result
    print(f"crmkit {crmkit.__version__}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; "
          f"runs: {args.runs} (CDNOW: {small_runs}); load average before {load_before[0]:.2f} "
          f"{load_before[1]:.2f} {load_before[2]:.2f}, after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    print(f"simulated: {len(mf):,} customers, {len(cr):,} distinct rows; Python fit: "
          + ", ".join(f"{k} {v:.4f}" for k, v in fitted.parameters.items()))
    if "parameters" in cpp:
        print(f"C++ fit:  {str(cpp['parameters']).strip()}")
    print()
    print("| measure | C++ best | Python best | Python median | overhead (best vs best) |")
    print("|---|---|---|---|---|")
    for label, cpp_ms, times in rows:
        best, median = min(times), statistics.median(times)
        if cpp_ms:
            overhead = f"{(best - cpp_ms) / cpp_ms * 100:+.1f} % ({best - cpp_ms:+.2f} ms)"
            cpp_text = f"{cpp_ms:.2f} ms"
        else:
            overhead, cpp_text = "", ""
        print(f"| {label} | {cpp_text} | {best:.2f} ms | {median:.2f} ms | {overhead} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
