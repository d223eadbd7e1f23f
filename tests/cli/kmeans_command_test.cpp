// `crmkit kmeans`: k-means clusters of the RFM values, the k curve, assignments.
//
// tests/data/cli/analytics/clusters.csv holds two obvious groups (as of 2024-06-30):
//   customer  recency_days  frequency  monetary
//   1         2             3          300
//   2         1             4          480
//   3         0             3          270
//   4         172           1          10
//   5         162           1          12
//   6         146           1          8
// With k = 2 the clusters are {1, 2, 3} and {4, 5, 6}; with standardized features the centroids
// in original units are the members' means: (1, 10/3, 350) and (160, 1, 10). Checked with
// scikit-learn (/usr/bin/python3):
//   Z = StandardScaler().fit_transform(X); KMeans(k, n_init=10, random_state=0).fit(Z)
//   k = 1: inertia 18 (6 rows x 3 features of variance 1); k = 2: inertia 1.2843980583564745,
//   silhouette_score(Z, labels) 0.827967110342238; k = 3 ({2} split off): inertia
//   0.06804431640627648, silhouette 0.7557209235386159.
// Raw features (--scaling none), k = 2: within sums of squares 2 + 2/3 + 25800 (group 1..3)
// + 344 + 0 + 8 (group 4..6) = 26154.666...

#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_fixture.hpp"

using Catch::Contains;
using Catch::StartsWith;
using cli_test::data_file;
using cli_test::Result;
using cli_test::succeeded;
using cli_test::TempStore;
using nlohmann::json;

namespace {

const std::string fixture = data_file("analytics/clusters.csv");

Result kmeans(const std::vector<std::string>& more = {}) {
  return cli_test::run_on_file("kmeans", fixture, more);
}

// The clusters of a JSON result, the most recent (lowest recency) first: cluster numbers depend
// on the seeding, not on the data.
std::vector<json> clusters_by_recency(const json& document) {
  std::vector<json> clusters(document.at("clusters").begin(), document.at("clusters").end());
  std::sort(clusters.begin(), clusters.end(), [](const json& a, const json& b) {
    return a.at("recency_days").get<double>() < b.at("recency_days").get<double>();
  });
  return clusters;
}

}  // namespace

TEST_CASE("kmeans finds the two groups", "[cli][analytics]") {
  const json document = json::parse(succeeded(kmeans({"--k", "2", "--format", "json"})).out);
  CHECK(document.at("k") == 2);
  CHECK(document.at("scaling") == "standardize");
  CHECK(document.at("customers") == 6);
  CHECK(document.at("inertia").get<double>() == Approx(1.2843980583564745));
  CHECK(document.at("converged") == true);
  CHECK(document.at("silhouette").get<double>() == Approx(0.827967110342238));
  CHECK(document.at("silhouette_sample") == 6);
  const std::vector<json> clusters = clusters_by_recency(document);
  REQUIRE(clusters.size() == 2);
  CHECK(clusters[0].at("customers") == 3);
  CHECK(clusters[0].at("share") == 0.5);
  CHECK(clusters[0].at("recency_days").get<double>() == Approx(1.0));
  CHECK(clusters[0].at("frequency").get<double>() == Approx(10.0 / 3.0));
  CHECK(clusters[0].at("monetary").get<double>() == Approx(350.0));
  CHECK(clusters[1].at("customers") == 3);
  CHECK(clusters[1].at("recency_days").get<double>() == Approx(160.0));
  CHECK(clusters[1].at("frequency").get<double>() == Approx(1.0));
  CHECK(clusters[1].at("monetary").get<double>() == Approx(10.0));
}

TEST_CASE("kmeans as a table and as CSV", "[cli][analytics]") {
  const Result table = succeeded(kmeans({"--k", "2"}));
  const std::vector<std::string> lines = cli_test::lines_of(table.out);
  REQUIRE(lines.size() == 2 + 2 + 1 + 5);
  CHECK(lines[0] == "cluster  customers  share  recency_days  frequency  monetary");
  CHECK(lines[1] == "-------  ---------  -----  ------------  ---------  --------");
  // One cluster is the recent group, the other the old one, in either order.
  const bool recent_first = lines[2].find("350.00") != std::string::npos;
  const std::string recent = "        3  50.0%           1.0       3.33    350.00";
  const std::string old = "        3  50.0%         160.0       1.00     10.00";
  CHECK(lines[2] == "      0  " + (recent_first ? recent : old));
  CHECK(lines[3] == "      1  " + (recent_first ? old : recent));
  CHECK(lines[4].empty());
  CHECK(lines[5] == "scaling     standardize");
  CHECK(lines[6] == "inertia     1.2844");
  CHECK_THAT(lines[7], StartsWith("iterations  "));
  CHECK(lines[8] == "converged   yes");
  CHECK(lines[9] == "silhouette  0.8280 (sample of 6)");

  const std::vector<std::string> csv =
      cli_test::lines_of(succeeded(kmeans({"--k", "2", "--format", "csv"})).out);
  REQUIRE(csv.size() == 3);
  CHECK(csv[0] == "cluster,customers,share,recency_days,frequency,monetary");
  CHECK_THAT(csv[1], StartsWith("0,3,0.5,"));
  CHECK_THAT(csv[2], StartsWith("1,3,0.5,"));
}

TEST_CASE("kmeans --assignments writes each customer's cluster", "[cli][analytics]") {
  const TempStore dir;
  const std::string file = dir.file("clusters.csv");
  const Result result = succeeded(kmeans({"--k", "2", "--assignments", file, "--format", "json"}));
  const std::vector<std::string> lines = cli_test::lines_of(cli_test::read_text(file));
  REQUIRE(lines.size() == 7);
  CHECK(lines[0] == "customer_id,cluster");
  const auto cluster_of = [&](std::size_t row) {
    return lines[row].substr(lines[row].find(',') + 1);
  };
  CHECK_THAT(lines[1], StartsWith("1,"));
  CHECK(cluster_of(1) == cluster_of(2));
  CHECK(cluster_of(1) == cluster_of(3));
  CHECK(cluster_of(4) == cluster_of(5));
  CHECK(cluster_of(4) == cluster_of(6));
  CHECK(cluster_of(1) != cluster_of(4));
  // The assignments agree with the clusters printed: the recent group's number.
  const json document = json::parse(result.out);
  for (const json& cluster : document.at("clusters")) {
    if (cluster.at("monetary").get<double>() > 100) {
      CHECK(cluster_of(1) == std::to_string(cluster.at("cluster").get<int>()));
    }
  }
}

TEST_CASE("kmeans scalings, seeds and threads", "[cli][analytics]") {
  SECTION("--scaling none measures raw values") {
    const json document =
        json::parse(succeeded(kmeans({"--k", "2", "--scaling", "none", "--format", "json"})).out);
    CHECK(document.at("scaling") == "none");
    CHECK(document.at("inertia").get<double>() == Approx(26154.666666666664));
  }
  SECTION("--scaling log1p-standardize") {
    const json document = json::parse(
        succeeded(kmeans({"--k", "2", "--scaling", "log1p-standardize", "--format", "json"})).out);
    CHECK(document.at("scaling") == "log1p-standardize");
    const std::vector<json> clusters = clusters_by_recency(document);
    CHECK(clusters[0].at("customers") == 3);
  }
  SECTION("equal seeds and any number of threads give equal results") {
    const std::string first =
        succeeded(kmeans({"--k", "3", "--seed", "7", "--format", "json"})).out;
    for (const char* threads : {"1", "2", "3"}) {
      INFO("threads " << threads);
      CHECK(succeeded(kmeans({"--k", "3", "--seed", "7", "--format", "json", "--threads", threads}))
                .out == first);
    }
    const json document = json::parse(first);
    CHECK(document.at("inertia").get<double>() == Approx(0.06804431640627648));
  }
  SECTION("--silhouette-sample 0 skips the silhouette") {
    const json document = json::parse(
        succeeded(kmeans({"--k", "2", "--silhouette-sample", "0", "--format", "json"})).out);
    CHECK(document.at("silhouette") == nullptr);
    CHECK(document.at("silhouette_sample") == nullptr);
    CHECK_THAT(succeeded(kmeans({"--k", "2", "--silhouette-sample", "0"})).out,
               !Contains("silhouette"));
  }
  SECTION("k = 1 has no silhouette") {
    const json document = json::parse(succeeded(kmeans({"--k", "1", "--format", "json"})).out);
    CHECK(document.at("inertia").get<double>() == Approx(18.0));
    CHECK(document.at("silhouette") == nullptr);
  }
}

TEST_CASE("kmeans --choose-k prints the curve", "[cli][analytics]") {
  const json document =
      json::parse(succeeded(kmeans({"--choose-k", "1:3", "--format", "json"})).out);
  CHECK(document.at("scaling") == "standardize");
  const json& curve = document.at("curve");
  REQUIRE(curve.size() == 3);
  CHECK(curve[0].at("k") == 1);
  CHECK(curve[0].at("inertia").get<double>() == Approx(18.0));
  CHECK(curve[0].at("silhouette") == nullptr);
  CHECK(curve[1].at("inertia").get<double>() == Approx(1.2843980583564745));
  CHECK(curve[1].at("silhouette").get<double>() == Approx(0.827967110342238));
  CHECK(curve[2].at("inertia").get<double>() == Approx(0.06804431640627648));
  CHECK(curve[2].at("silhouette").get<double>() == Approx(0.7557209235386159));

  CHECK(succeeded(kmeans({"--choose-k", "1:3"})).out ==
        "k  inertia  silhouette\n"
        "-  -------  ----------\n"
        "1  18.0000\n"
        "2   1.2844      0.8280\n"
        "3   0.0680      0.7557\n");
  CHECK(succeeded(kmeans({"--choose-k", "2:3", "--silhouette-sample", "0", "--format", "csv"}))
            .out.starts_with("k,inertia,silhouette\n2,1.284"));
}

TEST_CASE("kmeans reads a store", "[cli][analytics]") {
  const TempStore store;
  REQUIRE(store.run({"import", "purchases", fixture, "--currency", "EUR", "-q"}).status == 0);
  CHECK(succeeded(store.run({"kmeans", "--k", "2", "--format", "json"})).out ==
        succeeded(kmeans({"--k", "2", "--format", "json"})).out);
}

TEST_CASE("kmeans usage errors and failures", "[cli][analytics]") {
  struct Case {
    std::vector<std::string> more;
    std::string message;
  };
  const std::vector<Case> cases{
      {{"--choose-k", "5:2"},
       "invalid value '5:2' for --choose-k: expected MIN:MAX with 1 <= MIN <= MAX, e.g. 2:10"},
      {{"--choose-k", "0:3"}, "invalid value '0:3' for --choose-k"},
      {{"--choose-k", "4"}, "invalid value '4' for --choose-k"},
      {{"--choose-k", "2:x"}, "invalid value '2:x' for --choose-k"},
      {{"--choose-k", "2:4", "--k", "3"}, "--k and --choose-k cannot be combined"},
      {{"--choose-k", "2:4", "--assignments", "a.csv"},
       "--assignments and --choose-k cannot be combined"},
      {{"--k", "0"}, "invalid value '0' for --k: expected an integer from 1 to 100000"},
      {{"--n-init", "0"}, "invalid value '0' for --n-init"},
      {{"--max-iterations", "0"}, "invalid value '0' for --max-iterations"},
      {{"--tolerance", "-1"},
       "invalid value '-1' for --tolerance: expected a number of at least 0"},
      {{"--seed", "-3"}, "invalid value '-3' for --seed"},
      {{"--silhouette-sample", "-1"}, "invalid value '-1' for --silhouette-sample"},
      {{"--scaling", "minmax"},
       "invalid value 'minmax' for --scaling: expected one of none, standardize, "
       "log1p-standardize"},
  };
  for (const Case& c : cases) {
    INFO(c.message);
    const Result result = kmeans(c.more);
    CHECK(result.status == 2);
    CHECK_THAT(result.err, Contains(c.message));
  }
  SECTION("more clusters than customers is the library's error") {
    const Result result = kmeans({"--k", "7"});
    CHECK(result.status == 1);
    CHECK_THAT(result.err, StartsWith("crmkit: error: "));
    CHECK_THAT(result.err, Contains("k"));
  }
  SECTION("help") {
    const Result help = succeeded(cli_test::run({"kmeans", "--help"}));
    CHECK_THAT(help.out, StartsWith("usage: crmkit kmeans (--input FILE | --db PATH) [options]\n"));
    for (const char* flag :
         {"--k", "--n-init", "--max-iterations", "--tolerance", "--seed", "--scaling", "--choose-k",
          "--silhouette-sample", "--assignments", "--as-of", "--period"}) {
      CHECK_THAT(help.out, Contains(flag));
    }
  }
}
