// RFM scoring: crmkit::analytics::rfm against pandas, in one run on the same purchases.
//
// Loads PREFIX.bin (written by generate_purchases; format in purchase_columns_file.hpp), times
// analytics::rfm on one thread and on every hardware thread (best of R runs each), then runs the
// pandas reference (bench/analytics_pandas.py, Debian's python3) on the same file. The script
// times its own computation, from the DataFrame in memory to the scores (best of R runs, file
// reading excluded), and compares with the scores crmkit wrote to a temporary CSV file: the values
// to a relative 1e-9, the scores exactly against its binning of crmkit's values (sums of the same
// decimal amounts in another order may differ in the last bit and break a tie the other way); the
// benchmark fails when they disagree. Peak RSS: getrusage(RUSAGE_SELF) here before the CSV
// is written, and the script's own resource.getrusage.
//
// Usage: rfm_bench PREFIX.bin [--runs R] [--python PATH] [--script PATH] [--no-pandas]

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "crmkit/analytics/rfm.hpp"
#include "purchase_columns_file.hpp"

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;
namespace analytics = crmkit::analytics;

struct Settings {
  std::string bin;
  int runs = 3;
  std::string python = "/usr/bin/python3";  // Debian's, with pandas (see DESIGN.md)
  // The reference sits next to this source file; __FILE__ is absolute in a CMake build.
  std::string script = (fs::path(__FILE__).parent_path() / "analytics_pandas.py").string();
  bool pandas = true;
};

[[noreturn]] void usage(const std::string& problem) {
  std::fprintf(stderr,
               "rfm_bench: %s\nusage: rfm_bench PREFIX.bin [--runs R] [--python PATH] "
               "[--script PATH] [--no-pandas]\n",
               problem.c_str());
  std::exit(2);
}

Settings parse_args(int argc, char** argv) {
  Settings s;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--no-pandas") {
      s.pandas = false;
    } else if (arg == "--runs" || arg == "--python" || arg == "--script") {
      if (i + 1 >= argc) usage(std::string(arg) + " needs a value");
      const char* value = argv[++i];
      if (arg == "--runs") {
        s.runs = std::atoi(value);
        if (s.runs < 1) usage("--runs wants a positive number");
      } else if (arg == "--python") {
        s.python = value;
      } else {
        s.script = value;
      }
    } else if (!arg.starts_with("--") && s.bin.empty()) {
      s.bin = arg;
    } else {
      usage("unexpected argument " + std::string(arg));
    }
  }
  if (s.bin.empty()) usage("PREFIX.bin is required");
  return s;
}

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // KiB on Linux
}

struct Timed {
  analytics::RfmScores scores;
  double best_ms = std::numeric_limits<double>::infinity();
};

Timed time_rfm(const analytics::PurchaseView& view, unsigned threads, int runs) {
  analytics::RfmOptions options;
  options.threads = threads;
  Timed timed;
  for (int run = 0; run < runs; ++run) {
    timed.scores = {};  // free the previous result first, so that peak RSS counts one
    const auto start = Clock::now();
    timed.scores = analytics::rfm(view, options);
    timed.best_ms = std::min(timed.best_ms, ms_since(start));
  }
  return timed;
}

bool same_scores(const analytics::RfmScores& a, const analytics::RfmScores& b) {
  return a.customer_ids == b.customer_ids && a.recency_days == b.recency_days &&
         a.frequency == b.frequency && a.monetary == b.monetary && a.r == b.r && a.f == b.f &&
         a.m == b.m;
}

// The scores as the CSV the script's --check reads: the columns of `crmkit rfm`, no segment.
void write_scores_csv(const std::string& path, const analytics::RfmScores& s) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) throw std::runtime_error("cannot open '" + path + "' for writing");
  std::string out = "customer_id,recency_days,frequency,monetary,r,f,m\n";
  out.reserve(std::size_t{1} << 20);
  char number[32];
  const auto put = [&](auto value) {
    out.append(number, std::to_chars(number, number + sizeof number, value).ptr);
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    put(s.customer_ids[i]);
    out += ',';
    put(s.recency_days[i]);
    out += ',';
    put(s.frequency[i]);
    out += ',';
    put(s.monetary[i]);  // shortest text that reads back as the same double
    out += ',';
    put(static_cast<int>(s.r[i]));
    out += ',';
    put(static_cast<int>(s.f[i]));
    out += ',';
    put(static_cast<int>(s.m[i]));
    out += '\n';
    if (out.size() > (std::size_t{1} << 20) - 128 || i + 1 == s.size()) {
      if (std::fwrite(out.data(), 1, out.size(), file) != out.size()) {
        std::fclose(file);
        throw std::runtime_error("cannot write '" + path + "'");
      }
      out.clear();
    }
  }
  if (std::fclose(file) != 0) throw std::runtime_error("cannot write '" + path + "'");
}

std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// The number after `"key": ` in a flat JSON line, or NaN.
double json_number(const std::string& json, std::string_view key) {
  const std::string needle = "\"" + std::string(key) + "\": ";
  const auto at = json.find(needle);
  if (at == std::string::npos) return std::numeric_limits<double>::quiet_NaN();
  return std::strtod(json.c_str() + at + needle.size(), nullptr);
}

struct PandasRun {
  double compute_ms = 0;
  double peak_rss_kib = 0;
  bool agree = false;
  double tie_rows = 0;  // rows where pandas' own sums break a tie the other way (see the script)
};

// Runs the script with --check; its mismatch report goes to our stderr, its JSON line to us.
PandasRun run_pandas(const Settings& s, const std::string& crmkit_csv) {
  const std::string command = shell_quote(s.python) + " " + shell_quote(s.script) + " rfm --bin " +
                              shell_quote(s.bin) + " --no-segments --output - --bench --repeat " +
                              std::to_string(s.runs) + " --check " + shell_quote(crmkit_csv);
  std::fflush(stdout);  // our lines first, then whatever the script says on stderr
  std::FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run: " + command);
  std::string output;
  char buffer[4096];
  for (std::size_t got; (got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) output.append(buffer, got);
  const int status = pclose(pipe);
  const auto line_start = output.rfind("{\"command\"");
  if (line_start == std::string::npos || status == -1 || !WIFEXITED(status) ||
      (WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 1)) {
    throw std::runtime_error("the pandas script failed (" + command + "):\n" + output);
  }
  const std::string json = output.substr(line_start);
  PandasRun run;
  run.compute_ms = json_number(json, "compute_ms");
  run.peak_rss_kib = json_number(json, "peak_rss_kib");
  run.agree = WEXITSTATUS(status) == 0 && json.find("\"agree\": true") != std::string::npos;
  run.tie_rows = json_number(json, "tie_rows");
  return run;
}

std::string mib(double kib) {
  char text[32];
  std::snprintf(text, sizeof text, "%.0f MiB", kib / 1024.0);
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Settings s = parse_args(argc, argv);
    const auto loaded = Clock::now();
    const analytics::PurchaseData data = crmkit::bench::read_purchase_bin(s.bin);
    const double load_ms = ms_since(loaded);
    const analytics::PurchaseView view = data.view();
    const unsigned all = std::max(1u, std::thread::hardware_concurrency());

    const Timed one = time_rfm(view, 1, s.runs);
    const Timed many = time_rfm(view, all, s.runs);
    const long crmkit_rss = peak_rss_kib();
    if (!same_scores(one.scores, many.scores)) {
      std::fprintf(stderr, "rfm_bench: 1 thread and %u threads give different scores\n", all);
      return 1;
    }
    const std::size_t customers = one.scores.size();
    std::printf("rfm_bench %s: %zu purchases, %zu customers (loaded in %.0f ms), best of %d\n",
                s.bin.c_str(), view.size(), customers, load_ms, s.runs);
    std::printf("crmkit rfm: %.1f ms on 1 thread, %.1f ms on %u threads; peak RSS %s\n", one.best_ms,
                many.best_ms, all, mib(static_cast<double>(crmkit_rss)).c_str());
    if (!s.pandas) return 0;

    const fs::path csv = fs::temp_directory_path() /
                         ("crmkit_rfm_bench_" + std::to_string(getpid()) + ".csv");
    write_scores_csv(csv.string(), one.scores);
    PandasRun pandas;
    try {
      pandas = run_pandas(s, csv.string());
    } catch (...) {
      fs::remove(csv);
      throw;
    }
    fs::remove(csv);
    std::printf("pandas rfm: %.1f ms (computation only); peak RSS %s; scores %s", pandas.compute_ms,
                mib(pandas.peak_rss_kib).c_str(), pandas.agree ? "agree" : "DISAGREE");
    if (pandas.agree && pandas.tie_rows > 0) {
      std::printf(" (%.0f customers tie on monetary in decimal; pandas' own sums break the tie "
                  "by the last bit, so the check bins crmkit's sums)",
                  pandas.tie_rows);
    }
    std::printf("\n\n");
    std::printf("| rows | customers | crmkit 1 thread | crmkit %u threads | pandas | ratio 1 thread |"
                " ratio %u threads | crmkit peak RSS | pandas peak RSS |\n",
                all, all);
    std::printf("|---|---|---|---|---|---|---|---|---|\n");
    std::printf("| %zu | %zu | %.1f ms | %.1f ms | %.1f ms | %.1fx | %.1fx | %s | %s |\n", view.size(),
                customers, one.best_ms, many.best_ms, pandas.compute_ms, pandas.compute_ms / one.best_ms,
                pandas.compute_ms / many.best_ms, mib(static_cast<double>(crmkit_rss)).c_str(),
                mib(pandas.peak_rss_kib).c_str());
    return pandas.agree ? 0 : 1;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "rfm_bench: %s\n", error.what());
    return 1;
  }
}
