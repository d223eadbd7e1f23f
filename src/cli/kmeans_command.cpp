// `crmkit kmeans`: k-means clusters of the customers' RFM values (recency_days, frequency,
// monetary), or the inertia and silhouette curve that helps choose k.

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/purchase_input.hpp"
#include "cli/rfm_command.hpp"
#include "crmkit/analytics/kmeans.hpp"

namespace crmkit::cli {

namespace {

constexpr std::array<Choice<analytics::Scaling>, 3> scaling_choices{{
    {"none", analytics::Scaling::none},
    {"standardize", analytics::Scaling::standardize},
    {"log1p-standardize", analytics::Scaling::log1p_standardize},
}};

// Generous bounds: beyond them a value is a typo, and would only cost time.
constexpr long long max_k = 100000;
constexpr long long max_n_init = 1000;
constexpr long long max_iterations = 1000000;

struct KMeansSettings {
  long long k = 4;
  long long n_init = 10;
  long long max_iterations = 300;
  double tolerance = 1e-4;
  long long seed = 0;
  std::string scaling = "standardize";
  std::string choose_k;
  long long silhouette_sample = 10000;
  std::string assignments;
  std::string format;
};

std::string scaling_name(analytics::Scaling scaling) {
  for (const Choice<analytics::Scaling>& choice : scaling_choices) {
    if (choice.value == scaling) return std::string(choice.name);
  }
  return std::string(analytics::to_string(scaling));
}

struct KRange {
  int min = 0;
  int max = 0;
};

std::optional<int> whole_number(std::string_view text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

KRange k_range(const CommandLine& line, const std::string& text) {
  const std::size_t colon = text.find(':');
  const std::optional<int> min = colon == std::string::npos
                                     ? std::nullopt
                                     : whole_number(std::string_view(text).substr(0, colon));
  const std::optional<int> max = colon == std::string::npos
                                     ? std::nullopt
                                     : whole_number(std::string_view(text).substr(colon + 1));
  if (!min || !max || *min < 1 || *max < *min || *max > max_k) {
    line.fail(invalid_value_message("--choose-k", text,
                                    "expected MIN:MAX with 1 <= MIN <= MAX, e.g. 2:10"));
  }
  return {*min, *max};
}

// Clusters that occur: the silhouette needs two.
bool has_two_clusters(const analytics::KMeansResult& result) {
  return std::count_if(result.sizes.begin(), result.sizes.end(),
                       [](std::int64_t size) { return size > 0; }) >= 2;
}

int print_curve(Context& context, OutputFormat format, const std::vector<analytics::KChoice>& curve,
                bool with_silhouette, analytics::Scaling scaling) {
  Results results;
  results.columns = {
      {"k"}, {"inertia", TableStyle::plain, 4}, {"silhouette", TableStyle::plain, 4}};
  results.rows = curve.size();
  results.cell = [&](std::size_t row, std::size_t column) -> Cell {
    const analytics::KChoice& choice = curve[row];
    switch (column) {
      case 0:
        return std::int64_t{choice.k};
      case 1:
        return choice.inertia;
      default:
        // A single cluster has no silhouette: blank rather than the library's placeholder 0.
        if (!with_silhouette || choice.k < 2) return std::monostate{};
        return choice.silhouette;
    }
  };
  if (format != OutputFormat::json) {
    write_results(context.out, format, results);
    return 0;
  }
  Json document = Json::object();
  document["scaling"] = scaling_name(scaling);
  document["curve"] = results_json(results);
  print_json(context.out, document);
  return 0;
}

void print_run_facts(std::ostream& out, const analytics::KMeansResult& result,
                     std::optional<double> silhouette, std::size_t sample) {
  Table facts;
  facts.header = false;
  facts.columns = {"name", "value"};
  facts.rows.push_back({"scaling", scaling_name(result.scaling)});
  facts.rows.push_back({"inertia", format_real(result.inertia, 4)});
  facts.rows.push_back({"iterations", std::to_string(result.iterations)});
  facts.rows.push_back({"converged", result.converged ? "yes" : "no"});
  if (silhouette) {
    facts.rows.push_back(
        {"silhouette", fmt::format("{:.4f} (sample of {})", *silhouette, format_count(sample))});
  }
  out << '\n';
  print_aligned(out, facts);
}

}  // namespace

int run_kmeans(const Args& args, Context& context) {
  PurchaseInputSettings input_settings;
  RfmSettings rfm_settings;
  KMeansSettings settings;
  const analytics::KMeansOptions defaults;
  settings.k = defaults.k;
  settings.n_init = defaults.n_init;
  settings.max_iterations = defaults.max_iterations;
  settings.tolerance = defaults.tolerance;
  settings.seed = static_cast<long long>(defaults.seed);
  CommandLine line(
      "crmkit kmeans", "(--input FILE | --db PATH) [options]",
      "Clusters customers by k-means on their RFM values (recency_days, frequency, monetary, as\n"
      "'crmkit rfm' computes them), scaled by --scaling: one row per cluster with its customers,\n"
      "their share and the centroid in original units; then the scaling, inertia (in the scaled\n"
      "space), iterations, whether the best run converged, and the silhouette score on a sample.\n"
      "k-means++ seeding, --n-init runs, the lowest inertia wins; equal seeds give equal results.\n"
      "--choose-k MIN:MAX prints the inertia and silhouette of every k instead.");
  add_purchase_input_options(line, input_settings);
  add_rfm_window_options(line, rfm_settings);
  auto option = line.options().add_options();
  option("k", po::value(&settings.k)->value_name("N")->default_value(settings.k),
         "number of clusters");
  option("n-init", po::value(&settings.n_init)->value_name("N")->default_value(settings.n_init),
         "k-means++ initializations; the run with the lowest inertia wins");
  option(
      "max-iterations",
      po::value(&settings.max_iterations)->value_name("N")->default_value(settings.max_iterations),
      "Lloyd iterations per initialization");
  option("tolerance",
         po::value(&settings.tolerance)->value_name("X")->default_value(settings.tolerance),
         "convergence: centroid shift, relative to the features' mean variance (scikit-learn's "
         "rule)");
  option("seed", po::value(&settings.seed)->value_name("N")->default_value(settings.seed),
         "seed of the k-means++ seeding and of the silhouette sample");
  option("scaling",
         po::value(&settings.scaling)->value_name("METHOD")->default_value(settings.scaling),
         "feature transform: none, standardize (mean 0, standard deviation 1) or "
         "log1p-standardize (log(1 + x) first: for skewed counts and amounts)");
  option("choose-k", po::value(&settings.choose_k)->value_name("MIN:MAX"),
         "print the inertia and silhouette of every k from MIN to MAX instead of one clustering");
  option("silhouette-sample",
         po::value(&settings.silhouette_sample)
             ->value_name("N")
             ->default_value(settings.silhouette_sample),
         "customers sampled for the silhouette score (its cost grows with the square); 0 skips it");
  option("assignments", po::value(&settings.assignments)->value_name("FILE"),
         "also write each customer's cluster to FILE as CSV: customer_id,cluster");
  add_format_option(line, settings.format);
  if (!line.parse(args, context.out)) return 0;

  const OutputFormat format = output_format(line, settings.format);
  const PurchaseInput input = purchase_input(line, input_settings);
  const analytics::RfmOptions rfm_window = rfm_options(line, rfm_settings, input.threads);
  analytics::KMeansOptions options;
  options.k = static_cast<int>(checked_integer(line, "--k", settings.k, 1, max_k));
  options.n_init =
      static_cast<int>(checked_integer(line, "--n-init", settings.n_init, 1, max_n_init));
  options.max_iterations = static_cast<int>(
      checked_integer(line, "--max-iterations", settings.max_iterations, 1, max_iterations));
  if (!std::isfinite(settings.tolerance) || settings.tolerance < 0) {
    line.fail(invalid_value_message("--tolerance", fmt::format("{}", settings.tolerance),
                                    "expected a number of at least 0"));
  }
  options.tolerance = settings.tolerance;
  options.seed = static_cast<std::uint64_t>(
      checked_integer(line, "--seed", settings.seed, 0, std::numeric_limits<long long>::max()));
  options.scaling = parse_choice(line, "--scaling", settings.scaling, scaling_choices);
  options.threads = input.threads;
  const auto sample = static_cast<std::size_t>(
      checked_integer(line, "--silhouette-sample", settings.silhouette_sample, 0,
                      std::numeric_limits<long long>::max()));
  std::optional<KRange> choose;
  if (line.given("choose-k")) {
    choose = k_range(line, settings.choose_k);
    if (line.given("k")) line.fail("--k and --choose-k cannot be combined");
    if (line.given("assignments")) line.fail("--assignments and --choose-k cannot be combined");
  }
  if (line.given("assignments") && settings.assignments.empty()) {
    line.fail(invalid_value_message("--assignments", settings.assignments, "expected a file name"));
  }

  const analytics::PurchaseData purchases = load_purchases(input);
  const analytics::RfmScores scores = analytics::rfm(purchases.view(), rfm_window);
  const analytics::FeatureTable features = analytics::rfm_features(scores);
  const analytics::FeatureMatrix matrix = features.matrix();

  if (choose) {
    std::vector<analytics::KChoice> curve;
    if (sample > 0) {
      curve = analytics::inertia_curve(matrix, choose->min, choose->max, options, sample);
    } else {
      for (int k = choose->min; k <= choose->max; ++k) {
        options.k = k;
        curve.push_back({k, analytics::kmeans(matrix, options).inertia, 0.0});
      }
    }
    return print_curve(context, format, curve, sample > 0, options.scaling);
  }

  const analytics::KMeansResult result = analytics::kmeans(matrix, options);
  std::optional<double> silhouette;
  if (sample > 0 && has_two_clusters(result)) {
    silhouette =
        analytics::silhouette_score(matrix, result.labels, options.scaling, sample, options.seed);
  }
  const std::size_t sampled = std::min(sample, matrix.rows);

  Results clusters;
  clusters.columns = {{"cluster"},
                      {"customers", TableStyle::count},
                      {"share", TableStyle::percent, 1},
                      {"recency_days", TableStyle::plain, 1},
                      {"frequency", TableStyle::plain, 2},
                      {"monetary", TableStyle::plain, 2}};
  clusters.rows = static_cast<std::size_t>(result.k);
  const double customers = static_cast<double>(matrix.rows);
  clusters.cell = [&](std::size_t row, std::size_t column) -> Cell {
    switch (column) {
      case 0:
        return static_cast<std::int64_t>(row);
      case 1:
        return result.sizes[row];
      case 2:
        return static_cast<double>(result.sizes[row]) / customers;
      default:
        return result.centroids[row * result.cols + (column - 3)];
    }
  };

  if (!settings.assignments.empty()) {
    Results assignments;
    assignments.columns = {{"customer_id"}, {"cluster"}};
    assignments.rows = scores.size();
    assignments.cell = [&](std::size_t row, std::size_t column) -> Cell {
      if (column == 0) return scores.customer_ids[row];
      return std::int64_t{result.labels[row]};
    };
    write_file(settings.assignments, [&](std::ostream& out) { write_csv(out, assignments); });
  }

  if (format == OutputFormat::json) {
    Json document = Json::object();
    document["k"] = result.k;
    document["scaling"] = scaling_name(result.scaling);
    document["customers"] = matrix.rows;
    document["inertia"] = result.inertia;
    document["iterations"] = result.iterations;
    document["converged"] = result.converged;
    document["best_init"] = result.best_init;
    document["silhouette"] = silhouette ? Json(*silhouette) : Json(nullptr);
    document["silhouette_sample"] = silhouette ? Json(sampled) : Json(nullptr);
    document["clusters"] = results_json(clusters);
    print_json(context.out, document);
    return 0;
  }
  write_results(context.out, format, clusters);
  if (format == OutputFormat::table) print_run_facts(context.out, result, silhouette, sampled);
  return 0;
}

}  // namespace crmkit::cli
