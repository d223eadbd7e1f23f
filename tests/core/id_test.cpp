#include "crmkit/core/id.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <vector>

using crmkit::CustomerId;
using crmkit::DealId;

TEST_CASE("a default id is unassigned", "[core]") {
  constexpr CustomerId id;
  STATIC_REQUIRE(id.value() == 0);
  STATIC_REQUIRE_FALSE(id.valid());
}

TEST_CASE("only positive ids are valid", "[core]") {
  CHECK(CustomerId{1}.valid());
  CHECK(CustomerId{9'007'199'254'740'993}.valid());
  CHECK_FALSE(CustomerId{0}.valid());
  CHECK_FALSE(CustomerId{-5}.valid());
}

TEST_CASE("ids of different entities do not convert into each other", "[core]") {
  STATIC_REQUIRE_FALSE(std::is_convertible_v<CustomerId, DealId>);
  STATIC_REQUIRE_FALSE(std::is_constructible_v<DealId, CustomerId>);
  // Raw integers must be wrapped explicitly.
  STATIC_REQUIRE_FALSE(std::is_convertible_v<std::int64_t, CustomerId>);
  STATIC_REQUIRE(std::is_constructible_v<CustomerId, std::int64_t>);
}

TEST_CASE("ids order and compare by value", "[core]") {
  std::vector<DealId> ids{DealId{30}, DealId{4}, DealId{-2}, DealId{17}};
  std::sort(ids.begin(), ids.end());
  std::vector<std::int64_t> values;
  for (const DealId id : ids) {
    values.push_back(id.value());
  }
  CHECK(values == std::vector<std::int64_t>{-2, 4, 17, 30});
  CHECK(DealId{4} == DealId{4});
  CHECK(DealId{4} != DealId{5});
  CHECK((DealId{4} <=> DealId{5}) == std::strong_ordering::less);
}

TEST_CASE("ids key ordered and unordered containers", "[core]") {
  std::unordered_map<CustomerId, std::string> names;
  names[CustomerId{1}] = "Ada";
  names[CustomerId{2}] = "Grace";
  names[CustomerId{1}] = "Ada Lovelace";
  CHECK(names.size() == 2);
  CHECK(names.at(CustomerId{1}) == "Ada Lovelace");

  const std::set<CustomerId> ordered{CustomerId{3}, CustomerId{1}, CustomerId{3}};
  CHECK(ordered.size() == 2);
  CHECK(ordered.begin()->value() == 1);
}

TEST_CASE("an id hashes like its raw value", "[core]") {
  CHECK(std::hash<CustomerId>{}(CustomerId{123}) == std::hash<std::int64_t>{}(123));
  std::unordered_set<std::size_t> hashes;
  for (std::int64_t v = 1; v <= 100; ++v) {
    hashes.insert(std::hash<DealId>{}(DealId{v}));
  }
  CHECK(hashes.size() == 100);
}

TEST_CASE("an id prints as its decimal value", "[core]") {
  CHECK(CustomerId{42}.to_string() == "42");
  CHECK(CustomerId{}.to_string() == "0");
  CHECK(DealId{-7}.to_string() == "-7");
  CHECK(DealId{INT64_MAX}.to_string() == "9223372036854775807");
}
