#include <catch2/catch.hpp>

#include "crmkit/storage/query.hpp"

#include "crmkit/core/time.hpp"

using crmkit::Deal;
using crmkit::parse_timestamp;
using crmkit::storage::DealStatus;
using crmkit::storage::status_of;
using crmkit::storage::TimeKey;

TEST_CASE("deal statuses have stable names", "[storage]") {
  CHECK(crmkit::storage::to_string(DealStatus::open) == "open");
  CHECK(crmkit::storage::to_string(DealStatus::won) == "won");
  CHECK(crmkit::storage::to_string(DealStatus::lost) == "lost");
}

TEST_CASE("a deal's status follows its closing timestamps", "[storage]") {
  Deal deal;
  CHECK(status_of(deal) == DealStatus::open);
  deal.won_at = parse_timestamp("2024-03-01T11:00:00Z");
  CHECK(status_of(deal) == DealStatus::won);
  deal.won_at.reset();
  deal.lost_at = parse_timestamp("2024-03-04T09:00:00Z");
  CHECK(status_of(deal) == DealStatus::lost);
  deal.lost_reason = "chose a competitor";  // the reason alone decides nothing
  deal.lost_at.reset();
  CHECK(status_of(deal) == DealStatus::open);
}

TEST_CASE("time keys order by time, then by id", "[storage]") {
  const TimeKey early{parse_timestamp("2024-03-01T10:00:00Z"), 9};
  const TimeKey late{parse_timestamp("2024-03-01T10:00:00.000001Z"), 1};
  const TimeKey late_higher_id{late.at, 2};
  CHECK(early < late);
  CHECK(late < late_higher_id);
  CHECK(late_higher_id == TimeKey{late.at, 2});
}

TEST_CASE("purchase columns count their rows", "[storage]") {
  crmkit::storage::PurchaseColumns columns;
  CHECK(columns.size() == 0);
  CHECK_FALSE(columns.currency.is_set());
  columns.customer_ids = {1, 2, 3};
  columns.times_us = {10, 20, 30};
  columns.amounts_minor = {100, 200, 300};
  CHECK(columns.size() == 3);
}
