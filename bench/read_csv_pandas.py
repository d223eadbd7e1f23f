#!/usr/bin/python3
"""The pandas peer of csv_bench: reads a `customer_id,timestamp,amount` CSV file into a
DataFrame with the timestamps as datetime64[ns], best of N runs, and prints one line of JSON.

Two ways are timed and both reported; csv_bench compares against the faster:
  parse_dates: pd.read_csv(path, parse_dates=["timestamp"])
  to_datetime: pd.read_csv(path), then pd.to_datetime(df.timestamp, format="%Y-%m-%d %H:%M:%S")
(the format of generate_purchases; pandas then skips format inference).

Usage: /usr/bin/python3 read_csv_pandas.py FILE.csv [--runs N]
Run it as its own process so that its peak RSS (resource.getrusage) is its own.
"""

import argparse
import json
import resource
import time

import numpy as np
import pandas as pd


def read_parse_dates(path):
    return pd.read_csv(path, parse_dates=["timestamp"])


def read_to_datetime(path):
    df = pd.read_csv(path)
    df["timestamp"] = pd.to_datetime(df["timestamp"], format="%Y-%m-%d %H:%M:%S")
    return df


def best_of(read, path, runs):
    best = float("inf")
    df = None
    for _ in range(runs):
        df = None  # free the previous frame before timing the next read
        start = time.perf_counter()
        df = read(path)
        best = min(best, time.perf_counter() - start)
    return best, df


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    parse_dates_s, _ = best_of(read_parse_dates, args.file, args.runs)
    to_datetime_s, df = best_of(read_to_datetime, args.file, args.runs)
    assert df["timestamp"].dtype == np.dtype("datetime64[ns]")
    times_us = df["timestamp"].to_numpy().astype(np.int64) // 1000
    result = {
        "pandas": pd.__version__,
        "rows": int(len(df)),
        "parse_dates_s": parse_dates_s,
        "to_datetime_s": to_datetime_s,
        "seconds": min(parse_dates_s, to_datetime_s),
        # A fingerprint of the data, checked against crmkit's reading of the same file.
        "first_time_us": int(times_us.min()) if len(df) else 0,
        "last_time_us": int(times_us.max()) if len(df) else 0,
        "amount_sum": float(df["amount"].sum()),
        "id_sum": int(df["customer_id"].to_numpy().astype(np.uint64).sum(dtype=np.uint64)),
        # ru_maxrss is in KiB on Linux.
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
