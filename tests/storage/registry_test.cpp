#include <catch2/catch.hpp>

#include "crmkit/storage/registry.hpp"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "crmkit/core/error.hpp"
#include "crmkit/storage/memory_store.hpp"

using crmkit::StorageError;
using crmkit::ValidationError;
using crmkit::storage::MemoryStore;
using crmkit::storage::open;
using crmkit::storage::register_backend;
using crmkit::storage::registered_backends;
using crmkit::storage::Store;

namespace {

// The registry lives as long as the process, so every test registers schemes of its own.
std::unique_ptr<Store> new_memory_store(std::string_view) { return std::make_unique<MemoryStore>(); }

bool is_registered(const std::string& scheme) {
  const std::vector<std::string> schemes = registered_backends();
  return std::find(schemes.begin(), schemes.end(), scheme) != schemes.end();
}

void require_invalid_scheme(std::string_view scheme) {
  INFO("scheme '" << std::string(scheme) << "'");
  try {
    register_backend(scheme, new_memory_store);
    FAIL("expected a ValidationError");
  } catch (const ValidationError& error) {
    CHECK(error.field() == "scheme");
    CHECK(error.value() == scheme);
    CHECK_THAT(std::string(error.what()), Catch::Contains("scheme"));
  }
}

}  // namespace

TEST_CASE("memory: opens a new, empty in-memory store", "[storage]") {
  const std::unique_ptr<Store> first = open("memory:");
  REQUIRE(first != nullptr);
  CHECK(first->backend() == "memory");
  CHECK(first->counts() == crmkit::storage::StoreCounts{});
  crmkit::Customer ada;
  ada.given_name = "Ada";
  first->insert_customer(ada);

  const std::unique_ptr<Store> second = open("memory:anything at all");
  REQUIRE(second != nullptr);
  CHECK(second->backend() == "memory");
  CHECK(second->counts().customers == 0);  // every open gives a store of its own
  CHECK(first->counts().customers == 1);
  CHECK(open("MEMORY:")->backend() == "memory");  // schemes are case-insensitive
}

TEST_CASE("a URI without a scheme throws ValidationError naming the uri", "[storage]") {
  for (const std::string uri : {"memory", "", ":memory", "crm.db"}) {
    INFO("uri '" << uri << "'");
    try {
      (void)open(uri);
      FAIL("expected a ValidationError");
    } catch (const ValidationError& error) {
      CHECK(error.field() == "uri");
      CHECK(error.value() == uri);
      CHECK_THAT(std::string(error.what()), Catch::StartsWith("uri: '" + uri + "'"));
    }
  }
}

TEST_CASE("an unknown scheme throws StorageError (unsupported) listing the known ones", "[storage]") {
  try {
    (void)open("nosuchdb:crm.db");
    FAIL("expected a StorageError");
  } catch (const StorageError& error) {
    CHECK(error.kind() == StorageError::Kind::unsupported);
    CHECK(error.backend() == "nosuchdb");
    const std::string message = error.what();
    CHECK_THAT(message, Catch::Contains("'nosuchdb'"));
    CHECK_THAT(message, Catch::Contains("'nosuchdb:crm.db'"));
    CHECK_THAT(message, Catch::Contains("memory"));
  }
}

TEST_CASE("a registered scheme opens through its factory with the location", "[storage]") {
  std::vector<std::string> locations;
  register_backend("wrapped-memory", [&locations](std::string_view location) {
    locations.emplace_back(location);
    return std::make_unique<MemoryStore>();
  });
  CHECK(is_registered("wrapped-memory"));
  const std::unique_ptr<Store> store = open("wrapped-memory:some/where?mode=rw");
  REQUIRE(store != nullptr);
  CHECK(store->backend() == "memory");
  (void)open("Wrapped-Memory:");
  CHECK(locations == std::vector<std::string>{"some/where?mode=rw", ""});
  register_backend("wrapped-memory", new_memory_store);  // the lambda's captures die with the test
}

TEST_CASE("registering a scheme again replaces its factory", "[storage]") {
  int first_calls = 0;
  int second_calls = 0;
  register_backend("replaceable", [&first_calls](std::string_view) {
    ++first_calls;
    return std::make_unique<MemoryStore>();
  });
  (void)open("replaceable:");
  register_backend("replaceable", [&second_calls](std::string_view) {
    ++second_calls;
    return std::make_unique<MemoryStore>();
  });
  (void)open("replaceable:");
  (void)open("replaceable:x");
  CHECK(first_calls == 1);
  CHECK(second_calls == 2);
  const std::vector<std::string> schemes = registered_backends();
  CHECK(std::count(schemes.begin(), schemes.end(), "replaceable") == 1);
  register_backend("replaceable", new_memory_store);
}

TEST_CASE("the built-in memory backend can be replaced too", "[storage]") {
  int calls = 0;
  register_backend("memory", [&calls](std::string_view) {
    ++calls;
    return std::make_unique<MemoryStore>();
  });
  (void)open("memory:");
  CHECK(calls == 1);
  register_backend("memory", new_memory_store);  // restore a factory that outlives this test
  (void)open("memory:");
  CHECK(calls == 1);
}

TEST_CASE("malformed schemes and empty factories are rejected", "[storage]") {
  for (const char* scheme : {"", "Memory", "1db", "my db", "my_db", "db:x", "-db", "é"}) {
    require_invalid_scheme(scheme);
  }
  register_backend("a1+b-c.d", new_memory_store);  // every allowed character
  CHECK(is_registered("a1+b-c.d"));
  CHECK(open("a1+b-c.d:")->backend() == "memory");

  try {
    register_backend("empty-factory", crmkit::storage::StoreFactory{});
    FAIL("expected a ValidationError");
  } catch (const ValidationError& error) {
    CHECK(error.field() == "scheme");
    CHECK(error.value() == "empty-factory");
    CHECK_THAT(std::string(error.what()), Catch::Contains("empty factory"));
  }
  CHECK_FALSE(is_registered("empty-factory"));
}

TEST_CASE("a factory that returns no store is reported as a StorageError", "[storage]") {
  register_backend("null-store", [](std::string_view) { return std::unique_ptr<Store>{}; });
  try {
    (void)open("null-store:x");
    FAIL("expected a StorageError");
  } catch (const StorageError& error) {
    CHECK(error.kind() == StorageError::Kind::other);
    CHECK_THAT(std::string(error.what()), Catch::Contains("'null-store'"));
  }
}

TEST_CASE("registered_backends lists every scheme once, sorted", "[storage]") {
  register_backend("zzz-last", new_memory_store);
  register_backend("aaa-first", new_memory_store);
  const std::vector<std::string> schemes = registered_backends();
  CHECK(std::is_sorted(schemes.begin(), schemes.end()));
  CHECK(std::adjacent_find(schemes.begin(), schemes.end()) == schemes.end());
  CHECK(is_registered("memory"));
  CHECK(is_registered("zzz-last"));
  CHECK(is_registered("aaa-first"));
}

TEST_CASE("sqlite URIs open SQLite stores on a file or in memory", "[storage]") {
  CHECK(is_registered("sqlite"));
  const auto in_memory = open("sqlite::memory:");
  CHECK(in_memory->backend() == "sqlite");
  CHECK(in_memory->counts() == crmkit::storage::StoreCounts{});

  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / "crmkit_registry_test_sqlite.db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + suffix);
  {
    const auto on_file = open("sqlite:" + file.string());
    CHECK(on_file->backend() == "sqlite");
    crmkit::Customer customer;
    customer.family_name = "Durand";
    on_file->insert_customer(customer);
  }
  CHECK(std::filesystem::exists(file));
  CHECK(open("sqlite:" + file.string())->counts().customers == 1);  // the file keeps the data
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + suffix);

  try {
    (void)open("sqlite:");
    FAIL("an empty sqlite location must be rejected");
  } catch (const ValidationError& error) {
    CHECK(error.field() == "uri");
    CHECK_THAT(std::string(error.what()), Catch::Contains("sqlite:crm.db"));
  }
}
