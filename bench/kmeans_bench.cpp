// k-means: crmkit against scikit-learn's KMeans (algorithm="lloyd") on the same features, in one run.
//
// The program generates seeded RFM-like features (recency_days, frequency, monetary: skewed, with
// a log-normal monetary) or reads them from a raw float64 file, writes them (and the starting
// centroids) as raw row-major float64 files, runs crmkit, then runs the peer kmeans_sklearn.py on
// those files, which scales them the same way and runs scikit-learn with the same k, n_init,
// max_iter and tolerance. Each side prints one JSON line (time, inertia, iterations, peak RSS);
// the last line compares them.
//
// Modes: `init` (n_init = 1, both start from the same k rows: the inertias must agree) and
// `kmeanspp` (each side seeds with its own k-means++, n_init runs; the inertias are reported).
//
// Usage: kmeans_bench [--rows N] [--k K] [--n-init I] [--max-iter M] [--tol T] [--seed S]
//                     [--threads T] [--scaling none|standardize|log1p_standardize]
//                     [--mode init|kmeanspp|both] [--runs R] [--dir DIR]
//                     [--features FILE --cols C] [--peer SCRIPT|none] [--python PATH]

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "crmkit/analytics/kmeans.hpp"

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;
namespace an = crmkit::analytics;

struct Settings {
  std::size_t rows = 1'000'000;
  int k = 5;
  int n_init = 10;
  int max_iter = 300;
  double tol = 1e-4;
  std::uint64_t seed = 42;
  unsigned threads = 2;
  std::string scaling = "standardize";
  std::string mode = "both";
  int runs = 1;
  fs::path dir = fs::temp_directory_path() / "crmkit_kmeans_bench";
  fs::path features;  // read instead of generated when set
  std::size_t cols = 3;
  std::string peer = (fs::path(__FILE__).parent_path() / "kmeans_sklearn.py").string();
  std::string python = "/usr/bin/python3";
};

Settings parse_args(int argc, char** argv) {
  Settings s;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--rows") s.rows = std::strtoull(value, nullptr, 10);
    else if (flag == "--k") s.k = std::atoi(value);
    else if (flag == "--n-init") s.n_init = std::atoi(value);
    else if (flag == "--max-iter") s.max_iter = std::atoi(value);
    else if (flag == "--tol") s.tol = std::atof(value);
    else if (flag == "--seed") s.seed = std::strtoull(value, nullptr, 10);
    else if (flag == "--threads") s.threads = static_cast<unsigned>(std::atoi(value));
    else if (flag == "--scaling") s.scaling = value;
    else if (flag == "--mode") s.mode = value;
    else if (flag == "--runs") s.runs = std::max(1, std::atoi(value));
    else if (flag == "--dir") s.dir = value;
    else if (flag == "--features") s.features = value;
    else if (flag == "--cols") s.cols = std::strtoull(value, nullptr, 10);
    else if (flag == "--peer") s.peer = value;
    else if (flag == "--python") s.python = value;
    else throw std::invalid_argument("unknown option " + std::string(flag));
  }
  return s;
}

/// Doubles from the raw 64-bit output, so the data are the same with every standard library.
class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}
  double uniform() { return static_cast<double>(engine_() >> 11U) * 0x1.0p-53; }  // [0, 1)
  double exponential(double mean) { return -std::log(1.0 - uniform()) * mean; }
  double normal() {
    const double u1 = 1.0 - uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  std::uint64_t below(std::uint64_t bound) { return engine_() % bound; }  // bias irrelevant here

 private:
  std::mt19937_64 engine_;
};

/// RFM-like customers from four latent segments (occasional, regular, loyal, lapsed): recency in
/// whole days, frequency geometric (heavy right tail), monetary = frequency × a log-normal
/// spend per purchase.
std::vector<double> generate(std::size_t rows, std::uint64_t seed) {
  struct Segment {
    double share, recency_offset, recency_mean, repeat_p, log_spend, log_sd;
  };
  constexpr std::array<Segment, 4> segments{{{0.4, 0, 60, 0.3, 3.0, 0.8},
                                             {0.3, 0, 30, 0.7, 4.0, 0.7},
                                             {0.2, 0, 10, 0.9, 5.5, 0.6},
                                             {0.1, 365, 120, 0.5, 3.5, 0.9}}};
  Random random(seed);
  std::vector<double> values;
  values.reserve(rows * 3);
  for (std::size_t r = 0; r < rows; ++r) {
    double u = random.uniform();
    std::size_t s = 0;
    while (s + 1 < segments.size() && u >= segments[s].share) u -= segments[s++].share;
    const Segment& seg = segments[s];
    const double recency = std::min(1500.0, std::floor(seg.recency_offset + random.exponential(seg.recency_mean)));
    // 1 + geometric number of repeat purchases, each repeated with probability repeat_p.
    const double frequency =
        1 + std::floor(std::log(1.0 - random.uniform()) / std::log(seg.repeat_p));
    const double monetary =
        std::round(frequency * std::exp(seg.log_spend + seg.log_sd * random.normal()) * 100) / 100;
    values.push_back(recency);
    values.push_back(frequency);
    values.push_back(monetary);
  }
  return values;
}

void write_f64(const fs::path& path, const std::vector<double>& values) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(values.data()),
            static_cast<std::streamsize>(values.size() * sizeof(double)));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::vector<double> read_f64(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  const auto bytes = static_cast<std::size_t>(fs::file_size(path));
  std::vector<double> values(bytes / sizeof(double));
  in.read(reinterpret_cast<char*>(values.data()), static_cast<std::streamsize>(values.size() * sizeof(double)));
  return values;
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux: KiB
}

// The value after "key": in a flat JSON line (the peer's output), NaN when absent.
double json_number(const std::string& line, const std::string& key) {
  const std::string needle = "\"" + key + "\":";
  const std::size_t at = line.find(needle);
  if (at == std::string::npos) return std::numeric_limits<double>::quiet_NaN();
  return std::strtod(line.c_str() + at + needle.size(), nullptr);
}

std::string number(double value) {
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%.17g", value);
  return text.data();
}

std::string run_peer(const Settings& s, const fs::path& features, std::size_t cols, int n_init,
                     const fs::path& init) {
  std::string command = s.python + " " + s.peer + " --features " + features.string() +
                        " --cols " + std::to_string(cols) + " --k " + std::to_string(s.k) +
                        " --n-init " + std::to_string(n_init) + " --max-iter " +
                        std::to_string(s.max_iter) + " --tol " + number(s.tol) +
                        " --seed " + std::to_string(s.seed) + " --threads " +
                        std::to_string(s.threads) + " --scaling " + s.scaling + " --runs " +
                        std::to_string(s.runs);
  if (!init.empty()) command += " --init " + init.string();
  std::FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run " + command);
  std::string output;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) output += buffer.data();
  if (pclose(pipe) != 0) throw std::runtime_error("the peer failed: " + command);
  while (!output.empty() && output.back() == '\n') output.pop_back();
  return output.substr(output.rfind('\n') == std::string::npos ? 0 : output.rfind('\n') + 1);
}

void run_mode(const Settings& s, const std::string& mode, const std::vector<double>& values,
              std::size_t cols, const fs::path& features_path) {
  const std::size_t rows = values.size() / cols;
  an::KMeansOptions options;
  options.k = s.k;
  options.n_init = mode == "init" ? 1 : s.n_init;
  options.max_iterations = s.max_iter;
  options.tolerance = s.tol;
  options.seed = s.seed;
  options.threads = s.threads;
  options.scaling = an::parse_scaling(s.scaling);
  fs::path init_path;
  if (mode == "init") {
    // k distinct rows, seeded, as the common starting centroids.
    Random random(s.seed ^ 0x1234'5678ULL);
    std::vector<std::size_t> picked;
    while (picked.size() < static_cast<std::size_t>(s.k)) {
      const auto row = static_cast<std::size_t>(random.below(rows));
      if (std::find(picked.begin(), picked.end(), row) == picked.end()) picked.push_back(row);
    }
    for (const std::size_t row : picked) {
      for (std::size_t c = 0; c < cols; ++c) options.initial_centroids.push_back(values[row * cols + c]);
    }
    init_path = s.dir / "kmeans_init.f64";
    write_f64(init_path, options.initial_centroids);
  }

  const an::FeatureMatrix matrix{values, rows, cols};
  double best = std::numeric_limits<double>::infinity();
  an::KMeansResult result;
  for (int run = 0; run < s.runs; ++run) {
    const auto start = Clock::now();
    result = an::kmeans(matrix, options);
    best = std::min(best, std::chrono::duration<double>(Clock::now() - start).count());
  }
  std::printf(
      "{\"tool\": \"crmkit\", \"mode\": \"%s\", \"rows\": %zu, \"cols\": %zu, \"k\": %d, "
      "\"n_init\": %d, \"threads\": %u, \"scaling\": \"%s\", \"seconds\": %.4f, \"inertia\": %.10g, "
      "\"iterations\": %d, \"peak_rss_mib\": %.1f}\n",
      mode.c_str(), rows, cols, s.k, options.n_init, s.threads, s.scaling.c_str(), best,
      result.inertia, result.iterations, peak_rss_mib());
  std::fflush(stdout);
  if (s.peer == "none") return;

  const std::string peer = run_peer(s, features_path, cols, options.n_init, init_path);
  std::printf("%s\n", peer.c_str());
  const double peer_seconds = json_number(peer, "seconds");
  const double peer_inertia = json_number(peer, "inertia");
  std::printf(
      "{\"compare\": \"%s\", \"speedup\": %.2f, \"inertia_crmkit\": %.10g, \"inertia_sklearn\": %.10g, "
      "\"inertia_rel_diff\": %.3g}\n",
      mode.c_str(), peer_seconds / best, result.inertia, peer_inertia,
      (result.inertia - peer_inertia) / peer_inertia);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Settings s = parse_args(argc, argv);
    fs::create_directories(s.dir);
    std::vector<double> values;
    fs::path features_path = s.features;
    std::size_t cols = s.cols;
    if (features_path.empty()) {
      values = generate(s.rows, s.seed);
      cols = 3;
      features_path = s.dir / "kmeans_features.f64";
      write_f64(features_path, values);
    } else {
      values = read_f64(features_path);
    }
    if (s.mode == "init" || s.mode == "both") run_mode(s, "init", values, cols, features_path);
    if (s.mode == "kmeanspp" || s.mode == "both") run_mode(s, "kmeanspp", values, cols, features_path);
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "kmeans_bench: %s\n", error.what());
    return 1;
  }
}
