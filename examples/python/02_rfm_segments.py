"""02_rfm_segments: who are our best customers, who is slipping away, and what to do about it.

Reads a year of real order lines (the UCI Online Retail data bundled in examples/data), cleans
them the way its documentation says, and walks through the customer analytics of crmkit:
RFM scores and the standard segments, an ABC (Pareto) split of revenue, monthly cohort
retention, and a k-means clustering of the same customers. The Python twin of
examples/02_rfm_segments.cpp: same arguments, same output.

    python3 examples/python/02_rfm_segments.py [examples/data/online_retail.csv.gz]
"""

import sys

import crmkit
import crmkit.analytics as analytics


def read_online_retail(path):
    """The cleaning the data's documentation asks for: drop rows without a customer, returns
    (non-positive quantities) and cancelled invoices (numbers starting with "C"); the amount of a
    line is quantity x unit price."""
    return analytics.read_purchase_columns(
        path,
        customer_column="CustomerID",
        time_column="InvoiceDate",
        unit_price_column="UnitPrice",
        quantity_column="Quantity",
        strip_decimal_zero_keys=True,  # the file writes ids as 17850.0
        skip_rows_without_customer=True,
        skip_nonpositive=True,
        exclude_column="InvoiceNo",
        exclude_prefix="C",
    )


def print_segments(scores):
    segmentation = analytics.assign_segments(scores)
    print("%-20s %9s %7s %12s %8s %8s %7s %10s"
          % ("segment", "customers", "share", "revenue", "revenue%", "recency", "orders", "spend"))
    for s in analytics.summarize_segments(scores, segmentation):
        print("%-20s %9d %6.1f%% %12.2f %7.1f%% %8.1f %7.1f %10.2f"
              % (s.label, s.customers, 100 * s.customer_share, s.revenue, 100 * s.revenue_share,
                 s.mean_recency_days, s.mean_frequency, s.mean_monetary))


def print_edges(name, edges):
    print("  %-13s" % name + "".join(" %10.2f" % edge for edge in edges))


def print_abc(abc):
    print("%-5s %9s %7s %12s %8s" % ("class", "customers", "share", "revenue", "revenue%"))
    for abc_class, t in abc.totals.items():
        print("%-5s %9d %6.1f%% %12.2f %7.1f%%"
              % (abc_class.value, t.customers, 100 * t.customer_share, t.revenue, 100 * t.revenue_share))


def print_cohorts(table, max_cohorts, max_ages):
    print("%-10s %5s" % ("cohort", "size") + "".join(" %5s%d" % ("m+", age) for age in range(max_ages)))
    for c in range(min(len(table), max_cohorts)):
        line = "%-10s %5d" % (table.cohorts[c], table.sizes[c])
        for age in range(max_ages):
            if table.observed(c, age):
                line += " %5.1f%%" % (100 * table.retention(c, age))
            else:
                line += " %6s" % ""
        print(line)


def print_clusters(clusters, customers):
    print("%-7s %9s %7s %8s %7s %10s" % ("cluster", "customers", "share", "recency", "orders", "spend"))
    for k in range(clusters.k):
        recency, orders, spend = clusters.centroids[k]
        print("%-7d %9d %6.1f%% %8.1f %7.1f %10.2f"
              % (k, clusters.sizes[k], 100.0 * clusters.sizes[k] / customers, recency, orders, spend))


def main(argv):
    path = argv[1] if len(argv) > 1 else "examples/data/online_retail.csv.gz"

    purchases = read_online_retail(path)
    report = purchases.report
    print("Read %d order lines: kept %d; dropped %d without customer, %d returns, %d cancelled.\n"
          % (report.rows_read, report.rows_kept, report.rows_without_customer,
             report.rows_nonpositive, report.rows_excluded))

    # RFM as of the last day of the data: quintiles by rank (the default).
    scores = analytics.rfm(purchases.customer_ids, purchases.timestamps, purchases.amounts,
                           as_of="2011-12-09")
    print("RFM of %d customers as of %s, %d bins by %s. Bin edges:"
          % (len(scores), scores.as_of.isoformat(), scores.bins, scores.binning.value))
    print_edges("recency days", scores.edges.recency_days)
    print_edges("frequency", scores.edges.frequency)
    print_edges("monetary", scores.edges.monetary)

    print("\nThe standard segments (R x F grid):")
    print_segments(scores)

    print("\nABC: customers ranked by revenue, A up to 80% of it, B up to 95%:")
    print_abc(analytics.abc_analysis(scores.customer_ids, scores.monetary))

    print("\nMonthly cohorts: share of each cohort buying again n months after its first month:")
    print_cohorts(analytics.cohorts(purchases.customer_ids, purchases.timestamps, purchases.amounts), 6, 7)

    # k-means on log-scaled RFM values: the amounts span four orders of magnitude.
    clusters = analytics.kmeans(analytics.rfm_features(scores), k=4, seed=7,
                                scaling=analytics.Scaling.log1p_standardize)
    print("\nk-means, k = %d (log1p, standardized): inertia %.1f after %d iterations;"
          " centroids in original units:" % (clusters.k, clusters.inertia, clusters.iterations))
    print_clusters(clusters, len(scores))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except (crmkit.Error, OSError) as error:
        print("02_rfm_segments: %s" % error, file=sys.stderr)
        sys.exit(1)
