// SQLite bulk paths against raw SQLite, in one run on the same rows.
//
// 1. Import: N purchases appended through SqliteStore::append_purchases (one call, one transaction)
//    versus a plain program that inserts the same rows with the raw SQLite C API in one
//    prepared-statement transaction, into the same schema (same table, indexes, foreign keys and
//    PRAGMAs: the raw side writes into a database file created by crmkit). Best of R runs each,
//    alternating, on fresh files.
// 2. Scan: SqliteStore::scan_purchases over M purchases, and the raw SELECT of the same three
//    columns, rows/s.
//
// Usage: sqlite_bench [--import-rows N] [--scan-rows M] [--customers C] [--runs R] [--dir DIR]

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "crmkit/crmkit.hpp"
#include "crmkit/storage/sqlite_store.hpp"

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

struct Settings {
  std::int64_t import_rows = 1'000'000;
  std::int64_t scan_rows = 10'000'000;
  std::int64_t customers = 100'000;
  int runs = 3;
  fs::path dir = fs::temp_directory_path() / "crmkit_sqlite_bench";
};

Settings parse_args(int argc, char** argv) {
  Settings s;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--import-rows") s.import_rows = std::atoll(value);
    else if (flag == "--scan-rows") s.scan_rows = std::atoll(value);
    else if (flag == "--customers") s.customers = std::atoll(value);
    else if (flag == "--runs") s.runs = std::atoi(value);
    else if (flag == "--dir") s.dir = value;
    else throw std::invalid_argument("unknown option " + std::string(flag));
  }
  return s;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Seeded purchases over customers 1..customers, in 2023, amounts 0.01 to 1000.00 EUR.
std::vector<crmkit::Purchase> make_purchases(std::int64_t count, std::int64_t customers,
                                             std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::int64_t> customer(1, customers);
  std::uniform_int_distribution<std::int64_t> second(0, 365LL * 24 * 3600 - 1);
  std::uniform_int_distribution<std::int64_t> cents(1, 100'000);
  std::uniform_int_distribution<int> units(1, 12);
  const crmkit::Currency eur("EUR");
  const crmkit::Timestamp year_start = crmkit::parse_timestamp("2023-01-01T00:00:00Z");
  std::vector<crmkit::Purchase> rows(static_cast<std::size_t>(count));
  for (std::int64_t i = 0; i < count; ++i) {
    crmkit::Purchase& p = rows[static_cast<std::size_t>(i)];
    p.customer = crmkit::CustomerId(customer(rng));
    p.occurred_at = year_start + std::chrono::seconds(second(rng));
    p.amount = crmkit::Money(cents(rng), eur);
    p.order_ref = "SO-" + std::to_string(1'000'000 + i);
    p.quantity = units(rng);
    p.product_ref = "SKU-" + std::to_string(i % 5000);
  }
  return rows;
}

// A fresh crmkit database with `customers` customers (ids 1..customers), closed again.
void create_database(const fs::path& file, std::int64_t customers) {
  fs::remove(file);
  fs::remove(fs::path(file.string() + "-wal"));
  fs::remove(fs::path(file.string() + "-shm"));
  crmkit::storage::SqliteStore store(file.string());
  auto tx = store.begin();
  for (std::int64_t i = 1; i <= customers; ++i) {
    crmkit::Customer c;
    c.family_name = "Customer " + std::to_string(i);
    c.external_ref = std::to_string(i);
    store.insert_customer(c);
  }
  tx.commit();
}

double crmkit_import(const fs::path& file, std::vector<crmkit::Purchase>& rows) {
  crmkit::storage::SqliteStore store(file.string());
  const auto start = Clock::now();
  store.append_purchases(rows);
  return seconds_since(start);
}

void check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
  }
}

// The peer: the same rows through the raw C API, one prepared statement, one transaction, the
// same PRAGMAs crmkit sets (WAL, synchronous NORMAL, foreign keys on, a 64 MiB page cache).
double raw_import(const fs::path& file, const std::vector<crmkit::Purchase>& rows) {
  sqlite3* db = nullptr;
  check(sqlite3_open(file.c_str(), &db), db, "open");
  check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                     "PRAGMA cache_size=-65536;",
                     nullptr, nullptr, nullptr), db, "pragmas");
  const auto start = Clock::now();
  check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db, "begin");
  sqlite3_stmt* insert = nullptr;
  check(sqlite3_prepare_v2(db,
                           "INSERT INTO purchases (customer_id, occurred_at, amount_minor, currency, "
                           "order_ref, quantity, product_ref) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                           -1, &insert, nullptr), db, "prepare");
  for (const crmkit::Purchase& p : rows) {
    sqlite3_bind_int64(insert, 1, p.customer.value());
    sqlite3_bind_int64(insert, 2, p.occurred_at.time_since_epoch().count());
    sqlite3_bind_int64(insert, 3, p.amount.minor_units());
    const std::string_view code = p.amount.currency().code();
    sqlite3_bind_text(insert, 4, code.data(), static_cast<int>(code.size()), SQLITE_STATIC);
    sqlite3_bind_text(insert, 5, p.order_ref.data(), static_cast<int>(p.order_ref.size()), SQLITE_STATIC);
    sqlite3_bind_double(insert, 6, *p.quantity);
    sqlite3_bind_text(insert, 7, p.product_ref.data(), static_cast<int>(p.product_ref.size()), SQLITE_STATIC);
    check(sqlite3_step(insert), db, "insert");
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);
  check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
  const double elapsed = seconds_since(start);
  sqlite3_close(db);
  return elapsed;
}

double raw_scan(const fs::path& file, std::int64_t& rows_read) {
  sqlite3* db = nullptr;
  check(sqlite3_open(file.c_str(), &db), db, "open");
  const auto start = Clock::now();
  sqlite3_stmt* select = nullptr;
  check(sqlite3_prepare_v2(db, "SELECT customer_id, occurred_at, amount_minor FROM purchases ORDER BY id",
                           -1, &select, nullptr), db, "prepare");
  std::vector<std::int64_t> customers, times, amounts;
  while (sqlite3_step(select) == SQLITE_ROW) {
    customers.push_back(sqlite3_column_int64(select, 0));
    times.push_back(sqlite3_column_int64(select, 1));
    amounts.push_back(sqlite3_column_int64(select, 2));
  }
  sqlite3_finalize(select);
  const double elapsed = seconds_since(start);
  rows_read = static_cast<std::int64_t>(customers.size());
  sqlite3_close(db);
  return elapsed;
}

}  // namespace

int main(int argc, char** argv) try {
  const Settings s = parse_args(argc, argv);
  fs::create_directories(s.dir);
  std::printf("sqlite_bench: import %lld rows over %lld customers, best of %d; scan %lld rows\n",
              static_cast<long long>(s.import_rows), static_cast<long long>(s.customers), s.runs,
              static_cast<long long>(s.scan_rows));

  std::vector<crmkit::Purchase> rows = make_purchases(s.import_rows, s.customers, 42);
  const fs::path template_db = s.dir / "template.db";
  create_database(template_db, s.customers);
  double best_crmkit = 1e300;
  double best_raw = 1e300;
  for (int run = 0; run < s.runs; ++run) {
    const fs::path a = s.dir / "crmkit.db";
    const fs::path b = s.dir / "raw.db";
    for (const fs::path& f : {a, b}) {
      for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(fs::path(f.string() + suffix));
      fs::copy_file(template_db, f);
    }
    const double t_crmkit = crmkit_import(a, rows);
    const double t_raw = raw_import(b, rows);
    std::printf("  run %d: crmkit %.3f s, raw %.3f s\n", run + 1, t_crmkit, t_raw);
    best_crmkit = std::min(best_crmkit, t_crmkit);
    best_raw = std::min(best_raw, t_raw);
  }
  const double n = static_cast<double>(s.import_rows);
  std::printf("| import %lld purchases | crmkit %.0f rows/s | raw SQLite C API %.0f rows/s | crmkit/raw %.1f %% |\n",
              static_cast<long long>(s.import_rows), n / best_crmkit, n / best_raw,
              100.0 * best_raw / best_crmkit);

  // Scan: grow one file to scan_rows purchases in 1M-row appends, then read it both ways.
  const fs::path scan_db = s.dir / "scan.db";
  create_database(scan_db, s.customers);
  {
    crmkit::storage::SqliteStore store(scan_db.string());
    for (std::int64_t done = 0; done < s.scan_rows;) {
      const std::int64_t chunk = std::min<std::int64_t>(1'000'000, s.scan_rows - done);
      std::vector<crmkit::Purchase> part = make_purchases(chunk, s.customers, 1000 + static_cast<std::uint64_t>(done));
      store.append_purchases(part);
      done += chunk;
    }
  }
  crmkit::storage::SqliteStore store(scan_db.string());
  auto start = Clock::now();
  const crmkit::storage::PurchaseColumns columns = store.scan_purchases({});
  const double t_scan = seconds_since(start);
  std::int64_t raw_rows = 0;
  const double t_raw_scan = raw_scan(scan_db, raw_rows);
  const double m = static_cast<double>(columns.size());
  std::printf("| scan %zu purchases | crmkit %.0f rows/s (%.2f s) | raw SELECT %.0f rows/s (%.2f s) | crmkit/raw %.1f %% |\n",
              columns.size(), m / t_scan, t_scan, static_cast<double>(raw_rows) / t_raw_scan,
              t_raw_scan, 100.0 * t_raw_scan / t_scan);
  fs::remove_all(s.dir);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "sqlite_bench: %s\n", e.what());
  return 1;
}
