// Reading a purchases CSV file into columns: crmkit::io::read_purchase_columns against pandas
// read_csv with datetime parsing, on the same file, in the same run.
//
// crmkit reads the file with 1 thread and with every hardware thread (best of R runs each);
// then read_csv_pandas.py runs in a child process (so that its peak RSS is its own) and prints
// one line of JSON with its best time. Both sides' data are checked to agree (row count, first and
// last time, sum of ids and amounts), and the ratio pandas / crmkit is printed.
//
// Usage: csv_bench PREFIX|FILE.csv [--runs R] [--python PATH] [--script PATH] [--no-pandas]
// PREFIX is what generate_purchases --out was given (PREFIX.csv is read).

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

#include "crmkit/io/purchase_columns.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Settings {
  fs::path file;
  int runs = 3;
  std::string python = "/usr/bin/python3";
  // The peer script sits next to this source file.
  fs::path script = fs::path(__FILE__).parent_path() / "read_csv_pandas.py";
  bool pandas = true;
};

Settings parse_args(int argc, char** argv) {
  Settings s;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(std::string(arg) + " needs a value");
      return argv[++i];
    };
    if (arg == "--runs") s.runs = std::max(1, std::atoi(value().c_str()));
    else if (arg == "--python") s.python = value();
    else if (arg == "--script") s.script = value();
    else if (arg == "--no-pandas") s.pandas = false;
    else if (arg.starts_with("--")) throw std::invalid_argument("unknown option " + std::string(arg));
    else s.file = arg;
  }
  if (s.file.empty()) {
    throw std::invalid_argument(
        "usage: csv_bench PREFIX|FILE.csv [--runs R] [--python PATH] [--script PATH] [--no-pandas]");
  }
  if (s.file.extension() != ".csv") s.file += ".csv";
  return s;
}

// What both sides must agree on.
struct Fingerprint {
  std::uint64_t rows = 0;
  std::int64_t first_time_us = 0;
  std::int64_t last_time_us = 0;
  double amount_sum = 0;
  std::uint64_t id_sum = 0;  // modulo 2^64
};

Fingerprint fingerprint(const crmkit::analytics::PurchaseData& data) {
  Fingerprint f;
  f.rows = data.size();
  if (data.size() == 0) return f;
  f.first_time_us = *std::min_element(data.times_us.begin(), data.times_us.end());
  f.last_time_us = *std::max_element(data.times_us.begin(), data.times_us.end());
  for (const double amount : data.amounts) f.amount_sum += amount;
  for (const std::int64_t id : data.customer_ids) f.id_sum += static_cast<std::uint64_t>(id);
  return f;
}

struct Timing {
  double seconds = std::numeric_limits<double>::infinity();
  Fingerprint data;
};

Timing time_crmkit(const fs::path& file, unsigned threads, int runs) {
  crmkit::io::PurchaseColumnsOptions options;
  options.threads = threads;
  Timing timing;
  for (int run = 0; run < runs; ++run) {
    const auto start = Clock::now();
    const crmkit::analytics::PurchaseData data = crmkit::io::read_purchase_columns(file, options);
    timing.seconds = std::min(timing.seconds, std::chrono::duration<double>(Clock::now() - start).count());
    if (run == 0) timing.data = fingerprint(data);
  }
  return timing;
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB on Linux
}

// The text after `"key": ` in a one-line JSON object, up to the next comma or brace.
std::optional<std::string> json_field(const std::string& json, const std::string& key) {
  const std::string tag = "\"" + key + "\": ";
  const std::size_t at = json.find(tag);
  if (at == std::string::npos) return std::nullopt;
  const std::size_t begin = at + tag.size();
  const std::size_t end = json.find_first_of(",}", begin);
  return json.substr(begin, end - begin);
}

double json_number(const std::string& json, const std::string& key) {
  const std::optional<std::string> text = json_field(json, key);
  if (!text) throw std::runtime_error("the pandas peer did not report " + key + ": " + json);
  return std::strtod(text->c_str(), nullptr);
}

std::uint64_t json_integer(const std::string& json, const std::string& key) {
  const std::optional<std::string> text = json_field(json, key);
  if (!text) throw std::runtime_error("the pandas peer did not report " + key + ": " + json);
  return std::strtoull(text->c_str(), nullptr, 10);
}

std::string run_pandas(const Settings& s) {
  const std::string command = "'" + s.python + "' '" + s.script.string() + "' '" + s.file.string() +
                              "' --runs " + std::to_string(s.runs);
  std::FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run: " + command);
  std::string output;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  if (pclose(pipe) != 0) throw std::runtime_error("the pandas peer failed: " + command);
  return output;
}

void check_same(const Fingerprint& crmkit, const std::string& json) {
  const bool same =
      crmkit.rows == json_integer(json, "rows") &&
      crmkit.first_time_us == static_cast<std::int64_t>(json_number(json, "first_time_us")) &&
      crmkit.last_time_us == static_cast<std::int64_t>(json_number(json, "last_time_us")) &&
      crmkit.id_sum == json_integer(json, "id_sum") &&
      std::abs(crmkit.amount_sum - json_number(json, "amount_sum")) <=
          1e-9 * std::max(1.0, std::abs(crmkit.amount_sum));
  if (!same) throw std::runtime_error("crmkit and pandas read different data: " + json);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Settings s = parse_args(argc, argv);
    const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
    std::printf("file %s (%.1f MiB), best of %d runs\n", s.file.string().c_str(),
                static_cast<double>(fs::file_size(s.file)) / (1024.0 * 1024.0), s.runs);

    const Timing one = time_crmkit(s.file, 1, s.runs);
    const Timing all = time_crmkit(s.file, 0, s.runs);
    const double crmkit_rss = peak_rss_mib();
    const double rows = static_cast<double>(one.data.rows);
    std::printf("crmkit read_purchase_columns, 1 thread:   %8.3f s  %6.1f M rows/s\n", one.seconds,
                rows / one.seconds / 1e6);
    std::printf("crmkit read_purchase_columns, %u threads:  %8.3f s  %6.1f M rows/s  peak RSS %.0f MiB\n",
                cores, all.seconds, rows / all.seconds / 1e6, crmkit_rss);
    if (!s.pandas) return 0;

    const std::string json = run_pandas(s);
    check_same(all.data, json);
    const double pandas = json_number(json, "seconds");
    const double parse_dates = json_number(json, "parse_dates_s");
    const double to_datetime = json_number(json, "to_datetime_s");
    std::printf("pandas read_csv(parse_dates):            %8.3f s  %6.1f M rows/s\n", parse_dates,
                rows / parse_dates / 1e6);
    std::printf("pandas read_csv + to_datetime(format):   %8.3f s  %6.1f M rows/s  peak RSS %.0f MiB\n",
                to_datetime, rows / to_datetime / 1e6, json_number(json, "peak_rss_mib"));
    std::printf("ratio pandas (faster way) / crmkit: %.1fx with %u threads, %.1fx with 1 thread\n",
                pandas / all.seconds, cores, pandas / one.seconds);
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "csv_bench: %s\n", error.what());
    return 1;
  }
}
