// A seeded generator of realistic purchase data for the analytics benchmarks.
//
// Usage: generate_purchases --purchases N --customers M --seed S --out PREFIX [--sparse-ids]
//
// Writes PREFIX.csv (`customer_id,timestamp,amount`, timestamps like `2023-04-05 13:45:10`,
// amounts with 2 decimals, rows in chronological order as in a real export) and PREFIX.bin (the
// same rows as raw columns, format in purchase_columns_file.hpp).
//
// Shape: M customers, each with at least one purchase; the other N − M purchases are shared out
// by a multinomial draw on gamma-distributed weights (shape 0.5), so purchase counts are
// gamma-Poisson (negative binomial): most customers buy once or twice, a few buy hundreds of
// times. Each customer is acquired at a uniform time in 2022-2023 and buys uniformly between then
// and the end; amounts are log-normal around a per-customer typical basket. Customer ids are
// 1..M in random order, or with --sparse-ids distinct random positive 63-bit values.
// Deterministic for a given seed (std::mt19937_64 and libstdc++'s distributions).

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "purchase_columns_file.hpp"

namespace {

struct Settings {
  std::uint64_t purchases = 1'000'000;
  std::uint64_t customers = 100'000;
  std::uint64_t seed = 42;
  std::string out;
  bool sparse_ids = false;
};

[[noreturn]] void usage(const std::string& problem) {
  std::fprintf(stderr,
               "generate_purchases: %s\nusage: generate_purchases --purchases N --customers M "
               "--seed S --out PREFIX [--sparse-ids]\n",
               problem.c_str());
  std::exit(2);
}

std::uint64_t parse_count(std::string_view flag, const char* text) {
  std::uint64_t value = 0;
  const char* end = text + std::strlen(text);
  const auto [stop, error] = std::from_chars(text, end, value);
  if (error != std::errc{} || stop != end) usage(std::string(flag) + " wants a whole number");
  return value;
}

Settings parse_args(int argc, char** argv) {
  Settings s;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--sparse-ids") {
      s.sparse_ids = true;
      continue;
    }
    if (i + 1 >= argc) usage(std::string(flag) + " needs a value");
    const char* value = argv[++i];
    if (flag == "--purchases") s.purchases = parse_count(flag, value);
    else if (flag == "--customers") s.customers = parse_count(flag, value);
    else if (flag == "--seed") s.seed = parse_count(flag, value);
    else if (flag == "--out") s.out = value;
    else usage("unknown option " + std::string(flag));
  }
  if (s.out.empty()) usage("--out PREFIX is required");
  if (s.customers == 0) usage("--customers must be at least 1");
  if (s.purchases < s.customers) usage("--purchases must be at least --customers (each buys once)");
  return s;
}

// 2022-01-01T00:00:00Z and the two years after it.
constexpr std::int64_t start_seconds = 1'640'995'200;
constexpr std::int64_t span_days = 730;
constexpr std::int64_t span_seconds = span_days * 86'400;

constexpr std::uint64_t mask63 = (std::uint64_t{1} << 63) - 1;

// A bijection of [0, 2^63): distinct inputs give distinct, random-looking positive ids.
std::int64_t sparse_id(std::uint64_t index, std::uint64_t seed) {
  std::uint64_t x = (index + seed * 0x9E3779B97F4A7C15ULL) & mask63;
  x = (x * 0xBF58476D1CE4E5B9ULL) & mask63;  // odd multiplier: invertible modulo 2^63
  x ^= x >> 29;
  x = (x * 0x94D049BB133111EBULL) & mask63;
  x ^= x >> 32;
  return static_cast<std::int64_t>(x);
}

struct Row {
  std::uint32_t second;  // seconds since start_seconds
  std::uint32_t customer;
  std::int64_t cents;
};

// Stable LSD radix sort on `second` (< 2^26): two passes of 13 bits, rows keep their order on ties.
void sort_by_time(std::vector<Row>& rows) {
  std::vector<Row> scratch(rows.size());
  constexpr unsigned bits = 13;
  constexpr std::size_t buckets = std::size_t{1} << bits;
  for (unsigned shift = 0; shift < 26; shift += bits) {
    std::vector<std::size_t> offsets(buckets + 1, 0);
    for (const Row& row : rows) ++offsets[((row.second >> shift) & (buckets - 1)) + 1];
    std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
    for (const Row& row : rows) scratch[offsets[(row.second >> shift) & (buckets - 1)]++] = row;
    rows.swap(scratch);
  }
}

std::vector<Row> generate_rows(const Settings& s, std::mt19937_64& rng) {
  const std::size_t m = s.customers;
  // Purchase counts: 1 each, plus a multinomial share of the rest on gamma weights.
  std::gamma_distribution<double> weight_of(0.5, 1.0);
  std::vector<double> weights(m);
  for (double& w : weights) w = weight_of(rng);
  double weight_left = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::uint64_t left = s.purchases - s.customers;
  std::vector<std::uint32_t> counts(m, 1);
  for (std::size_t c = 0; c < m && left > 0; ++c) {
    const double p = weight_left > 0 ? std::clamp(weights[c] / weight_left, 0.0, 1.0) : 1.0;
    std::binomial_distribution<std::uint64_t> share(left, p);
    const std::uint64_t n = c + 1 == m ? left : share(rng);
    counts[c] += static_cast<std::uint32_t>(n);
    left -= n;
    weight_left -= weights[c];
  }

  std::vector<Row> rows;
  rows.reserve(s.purchases);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (std::size_t c = 0; c < m; ++c) {
    // Acquired uniformly over the two years; buys uniformly from then to the end.
    const auto first = static_cast<std::uint32_t>(unit(rng) * static_cast<double>(span_seconds - 1));
    const double active = static_cast<double>(span_seconds - 1 - first);
    const double typical_log = 3.4 + 0.6 * normal(rng);  // baskets around e^3.4 ~ 30
    for (std::uint32_t k = 0; k < counts[c]; ++k) {
      const auto second = k == 0 ? first : first + static_cast<std::uint32_t>(unit(rng) * active);
      const double amount = std::exp(typical_log + 0.5 * normal(rng));
      const auto cents = std::max<std::int64_t>(1, std::llround(amount * 100.0));
      rows.push_back({second, static_cast<std::uint32_t>(c), cents});
    }
  }
  sort_by_time(rows);
  return rows;
}

// The customer ids of customers 0..m-1: 1..m shuffled, or sparse 63-bit values.
std::vector<std::int64_t> customer_ids(const Settings& s, std::mt19937_64& rng) {
  std::vector<std::int64_t> ids(s.customers);
  if (s.sparse_ids) {
    for (std::size_t c = 0; c < ids.size(); ++c) ids[c] = sparse_id(c, s.seed);
    return ids;
  }
  std::iota(ids.begin(), ids.end(), std::int64_t{1});
  std::shuffle(ids.begin(), ids.end(), rng);
  return ids;
}

// `YYYY-MM-DD ` for every day of the span: formatting a date once, not once per row.
std::vector<std::string> day_prefixes() {
  std::vector<std::string> days;
  days.reserve(span_days + 1);
  const std::chrono::sys_days first{std::chrono::seconds{start_seconds} / std::chrono::days{1} *
                                    std::chrono::days{1}};
  for (std::int64_t d = 0; d <= span_days; ++d) {
    const std::chrono::year_month_day ymd{first + std::chrono::days{d}};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    days.emplace_back(text);
  }
  return days;
}

char* two_digits(char* out, std::uint32_t value) {
  out[0] = static_cast<char>('0' + value / 10);
  out[1] = static_cast<char>('0' + value % 10);
  return out + 2;
}

void write_csv(const std::string& path, const std::vector<Row>& rows,
               const std::vector<std::int64_t>& ids) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) throw std::runtime_error("cannot open '" + path + "' for writing");
  const std::vector<std::string> days = day_prefixes();
  std::vector<char> buffer(std::size_t{1} << 22);
  char* out = buffer.data();
  const auto flush = [&] {
    const auto size = static_cast<std::size_t>(out - buffer.data());
    if (std::fwrite(buffer.data(), 1, size, file) != size) {
      std::fclose(file);
      throw std::runtime_error("cannot write '" + path + "'");
    }
    out = buffer.data();
  };
  constexpr std::string_view header = "customer_id,timestamp,amount\n";
  out = std::copy(header.begin(), header.end(), out);
  for (const Row& row : rows) {
    if (buffer.data() + buffer.size() - out < 96) flush();
    out = std::to_chars(out, out + 24, ids[row.customer]).ptr;
    *out++ = ',';
    const std::uint32_t day = row.second / 86'400;
    const std::uint32_t in_day = row.second % 86'400;
    const std::string& prefix = days[day];
    out = std::copy(prefix.begin(), prefix.end(), out);
    out = two_digits(out, in_day / 3600);
    *out++ = ':';
    out = two_digits(out, in_day / 60 % 60);
    *out++ = ':';
    out = two_digits(out, in_day % 60);
    *out++ = ',';
    out = std::to_chars(out, out + 24, row.cents / 100).ptr;
    *out++ = '.';
    out = two_digits(out, static_cast<std::uint32_t>(row.cents % 100));
    *out++ = '\n';
  }
  flush();
  if (std::fclose(file) != 0) throw std::runtime_error("cannot write '" + path + "'");
}

void write_bin(const std::string& path, const std::vector<Row>& rows,
               const std::vector<std::int64_t>& ids) {
  crmkit::analytics::PurchaseData data;
  data.customer_ids.resize(rows.size());
  data.times_us.resize(rows.size());
  data.amounts.resize(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    data.customer_ids[i] = ids[rows[i].customer];
    data.times_us[i] = (start_seconds + rows[i].second) * 1'000'000;
    // cents / 100.0 is the double nearest to the 2-decimal text, as a CSV reader parses it.
    data.amounts[i] = static_cast<double>(rows[i].cents) / 100.0;
  }
  crmkit::bench::write_purchase_bin(path, data);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Settings s = parse_args(argc, argv);
    const auto started = std::chrono::steady_clock::now();
    std::mt19937_64 rng(s.seed);
    const std::vector<Row> rows = generate_rows(s, rng);
    const std::vector<std::int64_t> ids = customer_ids(s, rng);
    write_csv(s.out + ".csv", rows, ids);
    write_bin(s.out + ".bin", rows, ids);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf("wrote %s.csv and %s.bin: %llu purchases, %llu customers (%.2f s)\n", s.out.c_str(),
                s.out.c_str(), static_cast<unsigned long long>(s.purchases),
                static_cast<unsigned long long>(s.customers), seconds);
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "generate_purchases: %s\n", error.what());
    return 1;
  }
}
