#pragma once
// Shared by the clv binding sources (clv.cpp, clv_models.cpp): summary columns taken from numpy
// arguments, broadcasting of scalar-or-array arguments, and read-only numpy views of C++ vectors.

#include "bindings.hpp"  // first: the casters

#include <crmkit/analytics/clv.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "arrays.hpp"

namespace crmkit::python::clv_binding {

namespace clv = crmkit::analytics::clv;

/// The (x, t_x, T[, weights]) columns of a summary given as numpy arguments.
struct SummaryColumns {
  Column<double> frequency;
  Column<double> recency;
  Column<double> T;
  std::optional<Column<double>> weights;
  /// A view valid while this object lives.
  [[nodiscard]] clv::SummaryView view() const {
    return {frequency.values, recency.values, T.values,
            weights ? weights->values : std::span<const double>{}};
  }
};

/// Converts the arguments (1-D, numbers) and checks their lengths; `weights` may be None.
SummaryColumns summary_columns(py::handle frequency, py::handle recency, py::handle T,
                               py::handle weights);

/// A scalar-or-1-D numeric argument: a scalar is broadcast against the arrays.
struct Broadcast {
  Column<double> column;
  bool scalar = false;
  const char* name = "";
  [[nodiscard]] double at(std::size_t i) const noexcept {
    return scalar ? column.values[0] : column.values[i];
  }
};

/// A float64 argument that may be a scalar (0-d) or a 1-D array.
Broadcast broadcast_argument(py::handle source, const char* name);

/// The common length of the array arguments (ValueError naming one when they differ); 1 and
/// `all_scalar` when every argument is a scalar.
std::size_t broadcast_length(const std::vector<const Broadcast*>& arguments, bool& all_scalar);

/// The values of `argument` repeated to `n` rows when it is a scalar, else its own values.
std::span<const double> expand(const Broadcast& argument, std::size_t n, std::vector<double>& storage);

/// A numpy array of `values`, or a Python float when the arguments were all scalars.
py::object result_of(std::vector<double>&& values, bool all_scalar);

/// A read-only numpy array viewing `values`, kept alive by `owner`.
template <class T>
py::array readonly_view(const std::vector<T>& values, py::handle owner) {
  py::array_t<T> array(static_cast<py::ssize_t>(values.size()), values.data(), owner);
  array.attr("setflags")(py::arg("write") = false);
  return array;
}

/// Row indices (std::size_t) as an int64 numpy array.
py::array index_array(const std::vector<std::size_t>& rows);

/// A dict name → value, in the order of `names`.
py::dict named_values(const std::vector<std::string>& names, const std::vector<double>& values);

/// Binds TransactionModel, BgNbd, ModifiedBgNbd, ParetoNbd, BgBb, GammaGamma and
/// make_transaction_model (clv_models.cpp).
void init_clv_models(py::module_& clv);

}  // namespace crmkit::python::clv_binding
