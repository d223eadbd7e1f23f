// crmkit.analytics: k-means on feature matrices (2-D numpy arrays, DataFrames or FeatureTables),
// the silhouette score and the inertia curve.
#include "analytics_common.hpp"  // first: bindings.hpp, the casters

#include <limits>
#include <utility>

namespace crmkit::python::analytics_bindings {

namespace {

py::object numpy() { return py::module_::import("numpy"); }

/// A feature matrix taken from a Python argument, holding what it views.
struct Features {
  py::object holder;  // the array (or FeatureTable) viewed
  an::FeatureMatrix matrix;
};

// A FeatureTable is viewed as it is; anything else goes through numpy: a 2-D array of numbers,
// converted to C-contiguous float64 only when it is not already (ints, slices, Fortran order).
Features features_of(py::handle source, const char* name) {
  if (py::isinstance<an::FeatureTable>(source)) {
    const auto& table = source.cast<const an::FeatureTable&>();
    return {py::reinterpret_borrow<py::object>(source), table.matrix()};
  }
  py::object values = py::reinterpret_borrow<py::object>(source);
  if (py::hasattr(values, "columns") && py::hasattr(values, "to_numpy")) values = values.attr("to_numpy")();
  py::array array = numpy().attr("asarray")(values);
  if (array.ndim() != 2) {
    throw py::value_error(std::string(name) + ": expected a 2-D array (rows, features), got " +
                          std::to_string(array.ndim()) + " dimension(s) with shape " +
                          py::str(array.attr("shape")).cast<std::string>());
  }
  const char kind = array.dtype().kind();
  if (kind != 'f' && kind != 'i' && kind != 'u') {
    throw py::type_error(std::string(name) + ": expected numbers (float64), got dtype " +
                         py::str(array.dtype()).cast<std::string>());
  }
  auto typed = py::array_t<double, py::array::c_style>::ensure(
      numpy().attr("ascontiguousarray")(array, py::arg("dtype") = "float64"));
  if (!typed) throw py::error_already_set();
  const auto rows = static_cast<std::size_t>(typed.shape(0));
  const auto cols = static_cast<std::size_t>(typed.shape(1));
  an::FeatureMatrix matrix{std::span<const double>(typed.data(), rows * cols), rows, cols};
  return {std::move(typed), matrix};
}

std::vector<double> centroids_of(const py::object& source) {
  if (source.is_none()) return {};
  py::array array = numpy().attr("ascontiguousarray")(source, py::arg("dtype") = "float64");
  Column<double> flat = float64_column(array.attr("ravel")(), "initial_centroids");
  return {flat.values.begin(), flat.values.end()};
}

std::vector<std::int32_t> labels_of(py::handle source) {
  Column<std::int64_t> labels = int64_column(source, "labels");
  std::vector<std::int32_t> narrow;
  narrow.reserve(labels.values.size());
  for (std::size_t i = 0; i < labels.values.size(); ++i) {
    const std::int64_t label = labels.values[i];
    if (label < 0 || label > std::numeric_limits<std::int32_t>::max()) {
      throw py::value_error("labels[" + std::to_string(i) + "]: " + std::to_string(label) +
                            " is not a cluster number (0..2**31-1)");
    }
    narrow.push_back(static_cast<std::int32_t>(label));
  }
  return narrow;
}

an::KMeansOptions kmeans_options(int k, int n_init, int max_iterations, double tolerance,
                                 std::uint64_t seed, an::Scaling scaling,
                                 std::vector<double> initial_centroids, unsigned threads) {
  an::KMeansOptions options;
  options.k = k;
  options.n_init = n_init;
  options.max_iterations = max_iterations;
  options.tolerance = tolerance;
  options.seed = seed;
  options.scaling = scaling;
  options.initial_centroids = std::move(initial_centroids);
  options.threads = threads;
  return options;
}

}  // namespace

void init_analytics_models(py::module_& m) {
  using F = an::FeatureTable;
  py::class_<F>(m, "FeatureTable",
                "Features with their names, e.g. built from RFM values by rfm_features(); kmeans() "
                "and silhouette_score() take it as it is.")
      .def_property_readonly(
          "values",
          [](py::object self) {
            const auto& t = self.cast<F&>();
            return view(t.values, t.rows, t.cols, self);
          },
          "The features, a read-only (rows, cols) float64 array (a view, no copy).")
      .def_readonly("rows", &F::rows, "Observations.")
      .def_readonly("cols", &F::cols, "Features per observation.")
      .def_readonly("names", &F::names, "One name per feature (a list of str).")
      .def("__len__", [](const F& t) { return t.rows; }, "The number of observations.")
      .def(
          "to_pandas",
          [](py::object self) {
            const auto& t = self.cast<F&>();
            return pandas("FeatureTable.to_pandas()")
                .attr("DataFrame")(view(t.values, t.rows, t.cols, self), py::arg("columns") = t.names);
          },
          "The features as a pandas DataFrame with the names as columns.")
      .def("__repr__", [](const F& t) {
        return repr_of("FeatureTable", {{"rows", std::to_string(t.rows)}, {"names", py_repr(t.names)}});
      });

  m.def(
      "rfm_features",
      [](const an::RfmScores& scores) {
        py::gil_scoped_release release;
        return an::rfm_features(scores);
      },
      py::arg("scores"),
      "The features recency_days, frequency, monetary of every scored customer (one row each, in "
      "RfmScores order): a FeatureTable.");

  using R = an::KMeansResult;
  py::class_<R>(m, "KMeansResult", "The best k-means run. Arrays are read-only views (no copy).")
      .def_readonly("k", &R::k, "Clusters.")
      .def_readonly("cols", &R::cols, "Features.")
      .def_property_readonly("labels", [](py::object self) { return view(self.cast<R&>().labels, self); },
                             "Per observation, the cluster 0..k-1 (int32).")
      .def_property_readonly(
          "centroids",
          [](py::object self) {
            const auto& r = self.cast<R&>();
            return view(r.centroids, static_cast<std::size_t>(r.k), r.cols, self);
          },
          "(k, cols) centroids in original feature units (float64).")
      .def_property_readonly(
          "scaled_centroids",
          [](py::object self) {
            const auto& r = self.cast<R&>();
            return view(r.scaled_centroids, static_cast<std::size_t>(r.k), r.cols, self);
          },
          "(k, cols) centroids in the scaled space where distances are measured (float64).")
      .def_property_readonly("sizes", [](py::object self) { return view(self.cast<R&>().sizes, self); },
                             "Observations per cluster (int64).")
      .def_readonly("inertia", &R::inertia,
                    "Sum of squared distances to the nearest centroid, in the scaled space.")
      .def_readonly("iterations", &R::iterations, "Lloyd iterations of the winning run.")
      .def_readonly("converged", &R::converged, "Whether the winning run met the tolerance.")
      .def_readonly("best_init", &R::best_init, "Which initialization won (0-based).")
      .def_readonly("scaling", &R::scaling, "The Scaling used.")
      .def_property_readonly("feature_means", [](py::object self) { return view(self.cast<R&>().feature_means, self); },
                             "Per feature, subtracted after the log1p (0 with Scaling.none).")
      .def_property_readonly("feature_scales",
                             [](py::object self) { return view(self.cast<R&>().feature_scales, self); },
                             "Per feature, divided by (1 with Scaling.none, and for constant features).")
      .def("__repr__", [](const R& r) {
        return repr_of("KMeansResult", {{"k", std::to_string(r.k)},
                                        {"rows", std::to_string(r.labels.size())},
                                        {"inertia", py_repr(r.inertia)},
                                        {"iterations", std::to_string(r.iterations)},
                                        {"converged", r.converged ? "True" : "False"}});
      });

  m.def(
      "kmeans",
      [](const ArrayLike& features, int k, int n_init, int max_iterations, double tolerance,
         std::uint64_t seed, an::Scaling scaling, const py::object& initial_centroids, unsigned threads) {
        const Features f = features_of(features.object, "features");
        const an::KMeansOptions options = kmeans_options(k, n_init, max_iterations, tolerance, seed,
                                                         scaling, centroids_of(initial_centroids), threads);
        py::gil_scoped_release release;
        return an::kmeans(f.matrix, options);
      },
      py::arg("features"), py::kw_only(), py::arg("k") = 4, py::arg("n_init") = 10,
      py::arg("max_iterations") = 300, py::arg("tolerance") = 1e-4, py::arg("seed") = 0u,
      py::arg("scaling") = an::Scaling::standardize, py::arg("initial_centroids") = py::none(),
      py::arg("threads") = 0u,
      "Clusters the rows of ``features``: a 2-D (rows, features) array of numbers (float64 "
      "C-contiguous is viewed; other dtypes and layouts are converted once), a pandas DataFrame "
      "or a FeatureTable. k-means++ seeding, n_init seeded runs (the lowest inertia wins), Lloyd "
      "iterations until the squared centroid shift is at most tolerance x the mean variance of "
      "the scaled features (scikit-learn's rule) or max_iterations. Equal seeds give equal "
      "results on any number of threads.\n\n"
      "scaling: a Scaling (standardize); initial_centroids: None, or (k, features) starting "
      "centroids in original units (then one run, n_init ignored); threads: 0 = every hardware "
      "thread.\n\n"
      "Raises crmkit.ValidationError on invalid options (field k, n_init, max_iterations, "
      "tolerance, initial_centroids), a non-finite feature (values[row][col]) or a value log1p "
      "cannot take; ValueError / TypeError for an array that is not 2-D or not numbers.");

  m.def(
      "silhouette_score",
      [](const ArrayLike& features, const ArrayLike& labels, an::Scaling scaling, std::size_t sample_size,
         std::uint64_t seed) {
        const Features f = features_of(features.object, "features");
        const std::vector<std::int32_t> l = labels_of(labels.object);
        py::gil_scoped_release release;
        return an::silhouette_score(f.matrix, l, scaling, sample_size, seed);
      },
      py::arg("features"), py::arg("labels"), py::kw_only(),
      py::arg("scaling") = an::Scaling::standardize, py::arg("sample_size") = 10000u,
      py::arg("seed") = 0u,
      "Mean silhouette coefficient of a clustering (labels: one cluster number per row), in the "
      "space ``scaling`` gives (-1..1, higher is better), over a seeded sample of at most "
      "sample_size rows measured against that sample, as scikit-learn's silhouette_score(..., "
      "sample_size=...). Singleton clusters score 0, and a sample holding one cluster scores 0.\n\n"
      "Raises crmkit.ValidationError when labels and rows differ in number, fewer than 2 "
      "clusters occur, or sample_size is below 2.");

  using C = an::KChoice;
  py::class_<C>(m, "KChoice", "One point of the curve that helps choose k (see inertia_curve).")
      .def_readonly("k", &C::k, "Clusters.")
      .def_readonly("inertia", &C::inertia, "Inertia of the best run with k clusters.")
      .def_readonly("silhouette", &C::silhouette, "Sampled silhouette score (0 for k = 1).")
      .def("__repr__", [](const C& c) {
        return repr_of("KChoice", {{"k", std::to_string(c.k)},
                                   {"inertia", py_repr(c.inertia)},
                                   {"silhouette", py_repr(c.silhouette)}});
      });

  m.def(
      "inertia_curve",
      [](const ArrayLike& features, int k_min, int k_max, int n_init, int max_iterations, double tolerance,
         std::uint64_t seed, an::Scaling scaling, unsigned threads, std::size_t silhouette_sample) {
        const Features f = features_of(features.object, "features");
        const an::KMeansOptions options =
            kmeans_options(4, n_init, max_iterations, tolerance, seed, scaling, {}, threads);
        py::gil_scoped_release release;
        return an::inertia_curve(f.matrix, k_min, k_max, options, silhouette_sample);
      },
      py::arg("features"), py::arg("k_min"), py::arg("k_max"), py::kw_only(), py::arg("n_init") = 10,
      py::arg("max_iterations") = 300, py::arg("tolerance") = 1e-4, py::arg("seed") = 0u,
      py::arg("scaling") = an::Scaling::standardize, py::arg("threads") = 0u,
      py::arg("silhouette_sample") = 10000u,
      "k-means for every k in k_min..k_max with the kmeans() options: a list of KChoice (k, "
      "inertia, silhouette). Look for the elbow of the inertia and the highest silhouette.\n\n"
      "Raises crmkit.ValidationError when the range is empty, k_min < 1, k_max exceeds the rows "
      "(field k_max), or silhouette_sample is below 2.");
}

}  // namespace crmkit::python::analytics_bindings
