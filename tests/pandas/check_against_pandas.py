#!/usr/bin/python3
"""One pandas test: runs the real `crmkit` program on the Online Retail file, runs the pandas
reference (bench/analytics_pandas.py) on the same file, and compares the two CSV outputs.

pandas is the peer here: the reference is an independent, plain pandas implementation of the
definitions of DOMAIN.md section 3, so agreement on real data checks crmkit's reading, cleaning,
period arithmetic, ranking, binning and formatting at once. Integers and labels must be equal,
floats equal to a relative 1e-9; a failure prints the first rows that differ. RFM scores and ABC
ranks are checked against the reference's binning of crmkit's own sums (check() in the reference
says why); the rows where pandas' own sums rank differently are reported in a note.

Usage: check_against_pandas.py --crmkit EXE --data FILE --reference SCRIPT --work-dir DIR CASE
"""

import argparse
import importlib.util
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

# The Online Retail cleaning of the data README, as crmkit's flags: rows without CustomerID,
# with Quantity <= 0 and cancelled invoices (InvoiceNo starting with C) are dropped.
CLEANING = ["--customer-column", "CustomerID", "--time-column", "InvoiceDate",
            "--unit-price-column", "UnitPrice", "--quantity-column", "Quantity",
            "--strip-decimal-zero-keys", "--skip-rows-without-customer", "--skip-nonpositive",
            "--exclude", "InvoiceNo=C"]

# Each case is a list of runs: (crmkit arguments after the command and the input, the reference's
# arguments, whether crmkit writes the result to --output FILE rather than to stdout). Both sides
# get the same options.
CASES = {
    "rfm": [(["rfm"], ["rfm"], False)],
    "rfm-value": [(["rfm", "--binning", "value"], ["rfm", "--binning", "value"], False)],
    "summary-week": [(["summary", "--time-unit", "week"], ["summary", "--time-unit", "week"], False)],
    # Monthly periods measured in days (30.436875 a month), and a window ending before the data.
    "summary-month": [(["summary", "--period", "month", "--time-unit", "day", "--as-of", "2011-09-30"],
                       ["summary", "--period", "month", "--time-unit", "day", "--as-of", "2011-09-30"],
                       False)],
    # Monday-start weeks for the frequency, an earlier as_of, quartiles (no standard segments).
    "rfm-week": [(["rfm", "--period", "week", "--as-of", "2011-06-30", "--bins", "4", "--no-segments"],
                  ["rfm", "--period", "week", "--as-of", "2011-06-30", "--bins", "4", "--no-segments"],
                  False)],
    # `cohorts` prints one metric per run: one column per age, cells after as_of blank.
    "cohorts": [(["cohorts", "--format", "csv", "--metric", metric], ["cohorts", "--metric", metric], False)
                for metric in ["active", "revenue", "retention"]],
    # `abc` prints the class totals; --output writes the per-customer ranking compared here.
    "abc": [(["abc"], ["abc"], True),
            (["abc", "--a", "0.5", "--b", "0.9", "--as-of", "2011-06-30"],
             ["abc", "--a", "0.5", "--b", "0.9", "--as-of", "2011-06-30"], True)],
}


def load_reference(path):
    spec = importlib.util.spec_from_file_location("analytics_pandas", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--crmkit", required=True, help="the crmkit program")
    parser.add_argument("--data", required=True, help="the Online Retail CSV (.gz)")
    parser.add_argument("--reference", required=True, help="bench/analytics_pandas.py")
    parser.add_argument("--work-dir", required=True, help="where crmkit's output is written")
    parser.add_argument("case", choices=sorted(CASES))
    args = parser.parse_args()

    work = Path(args.work_dir)
    work.mkdir(parents=True, exist_ok=True)
    reference = load_reference(args.reference)
    start = time.perf_counter()
    purchases = reference.load_online_retail(args.data)
    pandas_load_s = time.perf_counter() - start
    failed = False
    for number, (crmkit_args, reference_args, to_file) in enumerate(CASES[args.case], start=1):
        name = f"{args.case}-{number}"
        output = work / f"{name}.crmkit.csv"
        command = [args.crmkit, crmkit_args[0], "--input", args.data, *CLEANING, *crmkit_args[1:]]
        if to_file:
            command += ["--output", str(output)]
        print("command:", " ".join(command))
        start = time.perf_counter()
        run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        crmkit_s = time.perf_counter() - start
        if run.returncode != 0:
            print(f"crmkit failed (status {run.returncode}):\n{run.stderr}{run.stdout}")
            failed = True
            continue
        if not to_file:
            output.write_text(run.stdout)

        options = reference.parse_args(reference_args + ["--online-retail", args.data])
        start = time.perf_counter()
        expected = reference.compute(options, purchases)
        pandas_s = time.perf_counter() - start
        expected_file = work / f"{name}.pandas.csv"
        expected.to_csv(expected_file, index=False, float_format="%.17g")

        actual = pd.read_csv(output, keep_default_na=False, float_precision="round_trip")
        problems, notes, _ = reference.check(options, expected, actual)
        for note in notes:
            print("  note:", note)
        print(f"  {len(expected)} rows; crmkit {crmkit_s:.2f} s (reading included), pandas "
              f"{pandas_s:.2f} s (+ {pandas_load_s:.2f} s reading)")
        if problems:
            print(f"  crmkit and pandas disagree ({output} against {expected_file}):")
            print("\n".join(problems))
            failed = True
        else:
            print("  crmkit and pandas agree")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
