#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "crmkit/analytics/clv/summary_data.hpp"
#include "crmkit/analytics/customer_summary.hpp"
#include "support/validation_matchers.hpp"

using crmkit::analytics::clv::compress;
using crmkit::analytics::clv::SummaryData;
using crmkit::analytics::clv::SummaryView;
using crmkit::test::require_invalid;

namespace {

SummaryData rows(std::vector<double> x, std::vector<double> t_x, std::vector<double> T,
                 std::vector<double> weights = {}) {
  return SummaryData{std::move(x), std::move(t_x), std::move(T), std::move(weights)};
}

}  // namespace

TEST_CASE("SummaryView::validate accepts valid rows, empty input and edge values", "[clv][summary_data]") {
  CHECK_NOTHROW(rows({}, {}, {}).view().validate());
  // x = 0 with t_x = 0; t_x = T; a repeat purchase at the first purchase's time (t_x = 0, x > 0).
  CHECK_NOTHROW(rows({0, 3, 2, 1500}, {0, 5, 0, 10}, {1, 5, 4, 10}).view().validate());
  CHECK_NOTHROW(rows({0, 1}, {0, 2}, {3, 3}, {1.5, 2}).view().validate());
  CHECK_NOTHROW(rows({0, 1}, {0, 2}, {3, 3}).view().validate(true));
}

TEST_CASE("SummaryView::validate names the column, the row, the value and the rule", "[clv][summary_data]") {
  require_invalid(
      [] {
        rows({0, 1.5}, {0, 1}, {2, 2}).view().validate();
      },
      "frequency[1]", "1.5", "whole number");
  require_invalid([] { rows({0, -1}, {0, 1}, {2, 2}).view().validate(); }, "frequency[1]", "-1", ">= 0");
  require_invalid([] { rows({std::nan("")}, {0}, {2}).view().validate(); }, "frequency[0]", "nan");
  require_invalid([] { rows({2}, {3}, {2}).view().validate(); }, "recency[0]", "3", "must not exceed T");
  require_invalid(
      [] {
        rows({0, 0}, {0, 1}, {2, 2}).view().validate();
      },
      "recency[1]", "1", "0 when frequency is 0");
  require_invalid([] { rows({1}, {-1}, {2}).view().validate(); }, "recency[0]", "-1", ">= 0");
  require_invalid([] { rows({0}, {0}, {0}).view().validate(); }, "T[0]", "0", "> 0");
  require_invalid([] { rows({0}, {0}, {std::numeric_limits<double>::infinity()}).view().validate(); }, "T[0]",
                  "inf");
  require_invalid([] { rows({0, 1}, {0, 1}, {1, 1}, {1, 0}).view().validate(); }, "weights[1]", "0", "> 0");
  require_invalid([] { rows({0, 1}, {0}, {1, 1}).view().validate(); }, "recency", "1 rows", "as many rows");
  require_invalid([] { rows({0, 1}, {0, 1}, {1}).view().validate(); }, "T", "1 rows", "as many rows");
  require_invalid(
      [] {
        rows({0, 1}, {0, 1}, {1, 1}, {1}).view().validate();
      },
      "weights", "1 rows", "as many rows");
  // Discrete (BG/BB): whole opportunities, and no more transactions than the last one's index.
  require_invalid([] { rows({1}, {1.5}, {3}).view().validate(true); }, "recency[0]", "1.5", "whole number");
  require_invalid([] { rows({1}, {1}, {3.5}).view().validate(true); }, "T[0]", "3.5", "whole number");
  require_invalid([] { rows({3}, {2}, {4}).view().validate(true); }, "frequency[0]", "3",
                  "must not exceed recency");
}

TEST_CASE("compress merges identical rows, sums weights and sorts by (x, t_x, T)", "[clv][summary_data]") {
  // Rows 0, 2 and 5 are (1, 2, 5); rows 1 and 4 are (0, 0, 5); row 3 is (0, 0, 4); -0.0 equals 0.
  const SummaryData data = rows({1, 0, 1, 0, 0, 1}, {2, 0, 2, 0, -0.0, 2}, {5, 5, 5, 4, 5, 5});
  const auto c = compress(data.view());
  // Sorted: (0, 0, 4) w1, (0, 0, 5) w2, (1, 2, 5) w3.
  CHECK(c.rows.frequency == std::vector<double>{0, 0, 1});
  CHECK(c.rows.recency == std::vector<double>{0, 0, 2});
  CHECK(c.rows.T == std::vector<double>{4, 5, 5});
  CHECK(c.rows.weights == std::vector<double>{1, 2, 3});
  CHECK(c.row_of == std::vector<std::size_t>{2, 1, 2, 0, 1, 2});
  CHECK_FALSE(std::signbit(c.rows.recency[1]));

  // With weights: (1, 2, 5) gets 0.5 + 2 + 0.25.
  const SummaryData weighted = rows({1, 0, 1, 1}, {2, 0, 2, 2}, {5, 5, 5, 5}, {0.5, 7, 2, 0.25});
  const auto w = compress(weighted.view());
  CHECK(w.rows.weights == std::vector<double>{7, 2.75});
  CHECK(w.row_of == std::vector<std::size_t>{1, 0, 1, 1});
}

TEST_CASE("compress handles empty input, a single row, all-equal rows and ties in one column",
          "[clv][summary_data]") {
  const auto empty = compress(rows({}, {}, {}).view());
  CHECK(empty.rows.size() == 0);
  CHECK(empty.row_of.empty());

  const auto single = compress(rows({3}, {2.5}, {7}).view());
  CHECK(single.rows.size() == 1);
  CHECK(single.rows.weights == std::vector<double>{1});
  CHECK(single.row_of == std::vector<std::size_t>{0});

  const auto same = compress(rows({2, 2, 2, 2}, {1, 1, 1, 1}, {3, 3, 3, 3}).view());
  CHECK(same.rows.size() == 1);
  CHECK(same.rows.weights == std::vector<double>{4});

  // Equal x and T, different t_x: t_x decides the order; equal x and t_x: T decides.
  const auto ties = compress(rows({1, 1, 1, 1}, {3, 1, 1, 2}, {5, 5, 4, 5}).view());
  CHECK(ties.rows.recency == std::vector<double>{1, 1, 2, 3});
  CHECK(ties.rows.T == std::vector<double>{4, 5, 5, 5});
  CHECK(ties.row_of == std::vector<std::size_t>{3, 1, 0, 2});
}

TEST_CASE("compress validates its input", "[clv][summary_data]") {
  require_invalid([] { (void)compress(rows({0, 1}, {0, 3}, {2, 2}).view()); }, "recency[1]", "3");
}

TEST_CASE("compress on a million rows matches the counts of a direct tally", "[clv][summary_data]") {
  // Row i is pattern i mod 97 of (x, t_x, T) = (k mod 5, ...): 97 distinct rows, each 1e6/97 times
  // (10310 or 10309 rows). Times on a 1/7 grain as daily data in weeks.
  const std::size_t n = 1'000'000;
  SummaryData data;
  data.frequency.resize(n);
  data.recency.resize(n);
  data.T.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto k = static_cast<int>(i % 97);
    const int x = k % 5;
    data.frequency[i] = x;
    data.T[i] = 30 + static_cast<double>(k) / 7;
    data.recency[i] = x == 0 ? 0.0 : static_cast<double>(k % 13) / 7;
  }
  const auto c = compress(data.view());
  REQUIRE(c.rows.size() == 97);
  double total = 0;
  for (std::size_t r = 0; r < c.rows.size(); ++r) {
    total += c.rows.weights[r];
    if (r > 0) {  // strictly increasing (x, t_x, T)
      const bool increasing =
          c.rows.frequency[r - 1] < c.rows.frequency[r] ||
          (c.rows.frequency[r - 1] == c.rows.frequency[r] &&
           (c.rows.recency[r - 1] < c.rows.recency[r] ||
            (c.rows.recency[r - 1] == c.rows.recency[r] && c.rows.T[r - 1] < c.rows.T[r])));
      CHECK(increasing);
    }
  }
  CHECK(total == static_cast<double>(n));
  for (std::size_t i = 0; i < n; i += 997) {  // a sample of rows map back to their values
    const std::size_t r = c.row_of[i];
    CHECK(c.rows.frequency[r] == data.frequency[i]);
    CHECK(c.rows.recency[r] == data.recency[i]);
    CHECK(c.rows.T[r] == data.T[i]);
    CHECK(c.rows.weights[r] == ((i % 97) < n % 97 ? 10310.0 : 10309.0));
  }
}

TEST_CASE("compress of rows whose times are not on a grain (every row distinct)", "[clv][summary_data]") {
  // 20,000 rows with irrational times: every row distinct, so no row merges; rows come out sorted.
  const std::size_t n = 20'000;
  SummaryData data;
  for (std::size_t i = 0; i < n; ++i) {
    const double T = 10 + std::fmod(static_cast<double>(i) * 0.7548776662466927, 30.0);
    const double x = static_cast<double>(i % 4);
    data.frequency.push_back(x);
    data.T.push_back(T);
    data.recency.push_back(x == 0 ? 0.0 : T * std::fmod(static_cast<double>(i) * 0.5698402909980532, 1.0));
  }
  const auto c = compress(data.view());
  REQUIRE(c.rows.size() == n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t r = c.row_of[i];
    REQUIRE(c.rows.frequency[r] == data.frequency[i]);
    REQUIRE(c.rows.recency[r] == data.recency[i]);
    REQUIRE(c.rows.T[r] == data.T[i]);
  }
  for (std::size_t r = 1; r < n; ++r) {
    const bool increasing = c.rows.frequency[r - 1] < c.rows.frequency[r] ||
                            (c.rows.frequency[r - 1] == c.rows.frequency[r] &&
                             (c.rows.recency[r - 1] < c.rows.recency[r] ||
                              (c.rows.recency[r - 1] == c.rows.recency[r] && c.rows.T[r - 1] < c.rows.T[r])));
    REQUIRE(increasing);
  }
}

TEST_CASE("summary_data takes (x, t_x, T) from a customer summary", "[clv][summary_data]") {
  crmkit::analytics::CustomerSummary summary;
  summary.customer_ids = {1, 2};
  summary.frequency = {0, 3};
  summary.recency = {0, 2.5};
  summary.T = {4, 6};
  const SummaryData data = crmkit::analytics::clv::summary_data(summary);
  CHECK(data.frequency == std::vector<double>{0, 3});
  CHECK(data.recency == std::vector<double>{0, 2.5});
  CHECK(data.T == std::vector<double>{4, 6});
  CHECK(data.weights.empty());
  CHECK(data.view().weight(1) == 1.0);
}
