#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <vector>

#include "crmkit/analytics/customer_summary.hpp"
#include "crmkit/analytics/purchases.hpp"
#include "support/validation_matchers.hpp"

using crmkit::analytics::PurchaseData;
using crmkit::analytics::PurchaseView;

TEST_CASE("purchase data owns columns and gives a view of them", "[analytics]") {
  PurchaseData data;
  data.reserve(3);
  CHECK(data.customer_ids.capacity() >= 3);
  CHECK(data.times_us.capacity() >= 3);
  CHECK(data.amounts.capacity() >= 3);
  data.push_back(7, 100, 1.5);
  data.push_back(-3, -200, -2.25);
  CHECK(data.size() == 2);
  CHECK(data.currency.code() == "XXX");
  const PurchaseView view = data.view();
  CHECK(view.size() == 2);
  CHECK_FALSE(view.empty());
  CHECK(view.customer_ids[1] == -3);
  CHECK(view.times_us[1] == -200);
  CHECK(view.amounts[1] == -2.25);  // returns are negative amounts, and valid
  CHECK(view.customer_ids.data() == data.customer_ids.data());  // a view, not a copy
  CHECK_NOTHROW(view.validate());
  CHECK(PurchaseView{}.empty());
  CHECK_NOTHROW(PurchaseView{}.validate());
}

TEST_CASE("purchase view validation names the column and the value", "[analytics]") {
  const std::vector<std::int64_t> ids{1, 2, 3};
  const std::vector<std::int64_t> times{10, 20, 30};
  const std::vector<std::int64_t> short_times{10, 20};
  const std::vector<double> amounts{1.0, 2.0, 3.0};
  const std::vector<double> long_amounts{1.0, 2.0, 3.0, 4.0};
  crmkit::test::require_invalid([&] { PurchaseView{ids, short_times, amounts}.validate(); }, "times_us", "2 rows",
                                "as many rows as customer_ids (3)");
  crmkit::test::require_invalid([&] { PurchaseView{ids, times, long_amounts}.validate(); }, "amounts", "4 rows",
                                "as many rows as customer_ids (3)");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<double> bad{1.0, inf, nan};
  // The first bad row is the one reported.
  crmkit::test::require_invalid([&] { PurchaseView{ids, times, bad}.validate(); }, "amounts[1]", "inf", "finite");
  const std::vector<double> bad_last{1.0, 2.0, -inf};
  crmkit::test::require_invalid([&] { PurchaseView{ids, times, bad_last}.validate(); }, "amounts[2]", "-inf",
                                "finite");
}

TEST_CASE("the first bad amount is reported whatever the thread count", "[analytics]") {
  // Enough rows for several validation tasks; bad rows in two of them.
  const std::size_t rows = 700'000;
  std::vector<std::int64_t> ids(rows, 1);
  std::vector<std::int64_t> times(rows, 0);
  std::vector<double> amounts(rows, 1.0);
  amounts[650'000] = std::numeric_limits<double>::quiet_NaN();
  amounts[400'001] = std::numeric_limits<double>::infinity();
  const PurchaseView view{ids, times, amounts};
  crmkit::test::require_invalid([&] { view.validate(); }, "amounts[400001]", "inf", "finite");
  for (const unsigned threads : {1U, 2U, 3U}) {
    crmkit::analytics::SummaryOptions options;
    options.threads = threads;
    crmkit::test::require_invalid([&] { (void)crmkit::analytics::customer_summary(view, options); },
                                  "amounts[400001]", "inf", "finite");
  }
}
