#!/usr/bin/python3
"""scikit-learn's peer of kmeans_bench: KMeans(algorithm="lloyd") on the same raw float64 features.

Reads the row-major float64 file kmeans_bench wrote, applies the same scaling (StandardScaler,
after numpy.log1p for log1p_standardize), runs KMeans with the same k, n_init, max_iter and tol
on `--threads` OpenMP threads, and prints one JSON line: the time of scaling + fit (as crmkit's
kmeans() does both), the fit alone, the inertia, the iterations and the peak RSS.

With --init FILE (k rows in original units, row-major float64) both sides start from the same
centroids (n_init must then be 1); otherwise k-means++ with random_state=--seed.
Run with Debian's interpreter: /usr/bin/python3 bench/kmeans_sklearn.py --features F --cols 3 ...
"""
import argparse
import json
import resource
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", required=True)
    parser.add_argument("--cols", type=int, default=3)
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--n-init", type=int, default=10)
    parser.add_argument("--max-iter", type=int, default=300)
    parser.add_argument("--tol", type=float, default=1e-4)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--scaling", default="standardize",
                        choices=["none", "standardize", "log1p_standardize"])
    parser.add_argument("--init", default=None)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()

    raw = np.fromfile(args.features, dtype=np.float64).reshape(-1, args.cols)
    init = None
    if args.init:
        init = np.fromfile(args.init, dtype=np.float64).reshape(args.k, args.cols)

    def transform_input(x):
        return np.log1p(x) if args.scaling == "log1p_standardize" else x

    best_total = best_fit = float("inf")
    with threadpool_limits(limits=args.threads):
        for _ in range(max(1, args.runs)):
            start = time.perf_counter()
            x = transform_input(raw)
            scaler = None
            if args.scaling != "none":
                scaler = StandardScaler()
                x = scaler.fit_transform(x)
            start_init = init
            if init is not None:
                start_init = transform_input(init)
                if scaler is not None:
                    start_init = scaler.transform(start_init)
            fit_start = time.perf_counter()
            km = KMeans(n_clusters=args.k, init="k-means++" if init is None else start_init,
                        n_init=args.n_init if init is None else 1, max_iter=args.max_iter,
                        tol=args.tol, algorithm="lloyd", random_state=args.seed).fit(x)
            end = time.perf_counter()
            best_total = min(best_total, end - start)
            best_fit = min(best_fit, end - fit_start)

    print(json.dumps({
        "tool": "sklearn", "mode": "init" if init is not None else "kmeanspp",
        "rows": raw.shape[0], "cols": args.cols, "k": args.k,
        "n_init": args.n_init if init is None else 1, "threads": args.threads,
        "scaling": args.scaling, "seconds": round(best_total, 4), "fit_seconds": round(best_fit, 4),
        "inertia": float(km.inertia_), "iterations": int(km.n_iter_),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1),
    }))


if __name__ == "__main__":
    main()
