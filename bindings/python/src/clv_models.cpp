// crmkit.clv, part 2: the model classes (BG/NBD, MBG/NBD, Pareto/NBD, BG/BB, Gamma-Gamma) with
// their closed forms vectorized over numpy arrays, and the shared column helpers of clv_common.hpp.
#include "clv_common.hpp"  // first: bindings.hpp and the casters

#include <array>
#include <cmath>
#include <memory>
#include <utility>

namespace crmkit::python::clv_binding {

// ---------------------------------------------------------------------------------------------
// Column helpers

SummaryColumns summary_columns(py::handle frequency, py::handle recency, py::handle T,
                               py::handle weights) {
  SummaryColumns columns{float64_column(frequency, "frequency"), float64_column(recency, "recency"),
                         float64_column(T, "T"), std::nullopt};
  const std::size_t n = columns.frequency.values.size();
  check_same_length("frequency", n, "recency", columns.recency.values.size());
  check_same_length("frequency", n, "T", columns.T.values.size());
  if (!weights.is_none()) {
    columns.weights = float64_column(weights, "weights");
    check_same_length("frequency", n, "weights", columns.weights->values.size());
  }
  return columns;
}

Broadcast broadcast_argument(py::handle source, const char* name) {
  py::array array = py::module_::import("numpy").attr("asarray")(source);
  const bool scalar = array.ndim() == 0;
  if (scalar) array = array.attr("reshape")(1);
  return Broadcast{float64_column(array, name), scalar, name};
}

std::size_t broadcast_length(const std::vector<const Broadcast*>& arguments, bool& all_scalar) {
  all_scalar = true;
  const Broadcast* reference = nullptr;
  for (const Broadcast* argument : arguments) {
    if (argument->scalar) continue;
    all_scalar = false;
    if (reference == nullptr) {
      reference = argument;
    } else {
      check_same_length(reference->name, reference->column.values.size(), argument->name,
                        argument->column.values.size());
    }
  }
  return reference == nullptr ? 1 : reference->column.values.size();
}

std::span<const double> expand(const Broadcast& argument, std::size_t n, std::vector<double>& storage) {
  if (!argument.scalar) return argument.column.values;
  storage.assign(n, argument.column.values[0]);
  return storage;
}

py::object result_of(std::vector<double>&& values, bool all_scalar) {
  if (all_scalar) return py::float_(values.at(0));
  return to_numpy(std::move(values));
}

py::array index_array(const std::vector<std::size_t>& rows) {
  std::vector<std::int64_t> values(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) values[i] = static_cast<std::int64_t>(rows[i]);
  return to_numpy(std::move(values));
}

py::dict named_values(const std::vector<std::string>& names, const std::vector<double>& values) {
  py::dict dict;
  for (std::size_t k = 0; k < names.size() && k < values.size(); ++k) dict[py::str(names[k])] = values[k];
  return dict;
}

namespace {

// ---------------------------------------------------------------------------------------------
// Vectorized evaluation of the per-customer closed forms

// The (x, t_x, T) rows of three broadcast arguments, validated as the model requires.
struct Rows {
  Broadcast frequency;
  Broadcast recency;
  Broadcast T;
  std::size_t n = 1;
  bool all_scalar = true;
  std::vector<double> x_storage, t_x_storage, T_storage;
  clv::SummaryView view{};
};

std::unique_ptr<Rows> rows_of(py::handle frequency, py::handle recency, py::handle T, bool discrete) {
  auto rows = std::make_unique<Rows>(Rows{broadcast_argument(frequency, "frequency"),
                                          broadcast_argument(recency, "recency"),
                                          broadcast_argument(T, "T"), 1, true, {}, {}, {}, {}});
  rows->n = broadcast_length({&rows->frequency, &rows->recency, &rows->T}, rows->all_scalar);
  rows->view = clv::SummaryView{expand(rows->frequency, rows->n, rows->x_storage),
                                expand(rows->recency, rows->n, rows->t_x_storage),
                                expand(rows->T, rows->n, rows->T_storage), {}};
  rows->view.validate(discrete);
  return rows;
}

// ValidationError `name[i]` unless every value is finite and >= 0.
void check_durations(const Broadcast& argument) {
  for (std::size_t i = 0; i < argument.column.values.size(); ++i) {
    const double value = argument.column.values[i];
    if (!(std::isfinite(value) && value >= 0)) {
      throw ValidationError(argument.scalar ? std::string(argument.name)
                                            : std::string(argument.name) + "[" + std::to_string(i) + "]",
                            py::repr(py::float_(value)).cast<std::string>(), "must be a finite number >= 0");
    }
  }
}

bool is_discrete(const clv::TransactionModel& model) { return model.model() == clv::Model::bgbb; }

py::object log_likelihood(const clv::TransactionModel& model, py::handle frequency, py::handle recency,
                          py::handle T) {
  auto rows = rows_of(frequency, recency, T, is_discrete(model));
  std::vector<double> out(rows->n);
  {
    py::gil_scoped_release release;
    const clv::SummaryView& v = rows->view;
    for (std::size_t i = 0; i < rows->n; ++i) out[i] = model.log_likelihood(v.frequency[i], v.recency[i], v.T[i]);
  }
  return result_of(std::move(out), rows->all_scalar);
}

py::object probability_alive(const clv::TransactionModel& model, py::handle frequency, py::handle recency,
                             py::handle T, unsigned threads) {
  auto rows = rows_of(frequency, recency, T, is_discrete(model));
  clv::Predictions predictions;
  {
    py::gil_scoped_release release;
    predictions = clv::predict(model, rows->view, 0, threads);
  }
  return result_of(std::move(predictions.probability_alive), rows->all_scalar);
}

py::object conditional_expected_purchases(const clv::TransactionModel& model, py::handle t, py::handle frequency,
                                          py::handle recency, py::handle T, unsigned threads) {
  const Broadcast horizon = broadcast_argument(t, "t");
  check_durations(horizon);
  auto rows = rows_of(frequency, recency, T, is_discrete(model));
  bool all_scalar = true;
  const std::size_t n = broadcast_length({&rows->frequency, &rows->recency, &rows->T, &horizon}, all_scalar);
  if (horizon.scalar) {
    clv::Predictions predictions;
    {
      py::gil_scoped_release release;
      predictions = clv::predict(model, rows->view, horizon.at(0), threads);
    }
    return result_of(std::move(predictions.expected_purchases), all_scalar);
  }
  // One horizon per row: the rows were broadcast to n already unless they were all scalars.
  std::vector<double> x, t_x, T_values;
  const clv::SummaryView v{expand(rows->frequency, n, x), expand(rows->recency, n, t_x),
                           expand(rows->T, n, T_values), {}};
  std::vector<double> out(n);
  {
    py::gil_scoped_release release;
    for (std::size_t i = 0; i < n; ++i) {
      out[i] = model.conditional_expected_purchases(horizon.at(i), v.frequency[i], v.recency[i], v.T[i]);
    }
  }
  return result_of(std::move(out), all_scalar);
}

py::object expected_purchases(const clv::TransactionModel& model, py::handle t) {
  const Broadcast horizon = broadcast_argument(t, "t");
  check_durations(horizon);
  const std::size_t n = horizon.column.values.size();
  std::vector<double> out(n);
  {
    py::gil_scoped_release release;
    for (std::size_t i = 0; i < n; ++i) out[i] = model.expected_purchases(horizon.at(i));
  }
  return result_of(std::move(out), horizon.scalar);
}

py::object probability_of_purchases(const clv::TransactionModel& model, py::handle n_purchases, py::handle t) {
  const Broadcast count = broadcast_argument(n_purchases, "n");
  const Broadcast horizon = broadcast_argument(t, "t");
  check_durations(horizon);
  for (std::size_t i = 0; i < count.column.values.size(); ++i) {
    const double value = count.column.values[i];
    if (!(std::isfinite(value) && value >= 0 && std::floor(value) == value && value < 9.0e15)) {
      throw ValidationError(count.scalar ? std::string("n") : "n[" + std::to_string(i) + "]",
                            py::repr(py::float_(value)).cast<std::string>(), "must be a whole number >= 0");
    }
  }
  bool all_scalar = true;
  const std::size_t n = broadcast_length({&count, &horizon}, all_scalar);
  std::vector<double> out(n);
  {
    py::gil_scoped_release release;
    for (std::size_t i = 0; i < n; ++i) {
      out[i] = model.probability_of_purchases(static_cast<std::int64_t>(count.at(i)), horizon.at(i));
    }
  }
  return result_of(std::move(out), all_scalar);
}

double total_log_likelihood(const clv::TransactionModel& model, py::handle frequency, py::handle recency,
                            py::handle T, py::handle weights) {
  const SummaryColumns columns = summary_columns(frequency, recency, T, weights);
  py::gil_scoped_release release;
  return model.total_log_likelihood(columns.view());
}

std::string format_parameters(const std::vector<std::string>& names, const std::vector<double>& values) {
  std::string text;
  for (std::size_t k = 0; k < names.size() && k < values.size(); ++k) {
    if (k > 0) text += ", ";
    text += names[k] + "=" + py::repr(py::float_(values[k])).cast<std::string>();
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// The four transaction models: one template, the parameter names differ.

struct ParameterDoc {
  const char* name;
  const char* doc;
};

template <class M>
void bind_transaction_model(py::module_& clv_module, const char* name, const char* doc,
                            const std::array<ParameterDoc, 4>& parameters) {
  py::class_<M, clv::TransactionModel, std::shared_ptr<M>> cls(clv_module, name, doc);
  const std::string init_doc =
      std::string("The model with these parameters (natural units, all finite and > 0).\n\n"
                  "Raises crmkit.ValidationError naming the parameter when one is not.");
  cls.def(py::init([](double p0, double p1, double p2, double p3) {
            return std::make_shared<M>(typename M::Parameters{p0, p1, p2, p3});
          }),
          py::arg(parameters[0].name) = 1.0, py::arg(parameters[1].name) = 1.0, py::arg(parameters[2].name) = 1.0,
          py::arg(parameters[3].name) = 1.0, init_doc.c_str());
  for (std::size_t k = 0; k < parameters.size(); ++k) {
    cls.def_property_readonly(
        parameters[k].name, [k](const M& model) { return model.parameters()[k]; }, parameters[k].doc);
  }
  cls.def(py::pickle([](const M& model) { return py::tuple(py::cast(model.parameters())); },
                     [](const py::tuple& state) {
                       const auto p = state.cast<std::vector<double>>();
                       if (p.size() != 4) throw py::value_error("invalid pickled state");
                       return std::make_shared<M>(typename M::Parameters{p[0], p[1], p[2], p[3]});
                     }));
}

}  // namespace

void init_clv_models(py::module_& clv_module) {
  using clv::TransactionModel;
  py::class_<TransactionModel, std::shared_ptr<TransactionModel>> base(
      clv_module, "TransactionModel",
      "A fitted (or given) model of how many purchases customers make and when they stop: BgNbd,\n"
      "ModifiedBgNbd, ParetoNbd or BgBb (the subclasses; this base class is not constructed directly).\n"
      "Durations are in the time unit of the data it was fitted on (opportunities for BG/BB). Immutable.\n\n"
      "Every per-customer method takes numbers or 1-D arrays (numpy, pandas Series, lists); scalars\n"
      "are broadcast against arrays, a call with scalars only returns a float, otherwise a float64\n"
      "array. Rows are validated first: crmkit.ValidationError names the column and row\n"
      "(`recency[12]`): x a whole number >= 0, 0 <= t_x <= T, t_x = 0 when x = 0, T > 0; whole\n"
      "numbers and x <= t_x for BG/BB.");
  base.def_property_readonly("model", &TransactionModel::model, "Which model this is (a crmkit.clv.Model).")
      .def_property_readonly(
          "parameter_names", &TransactionModel::parameter_names,
          "The parameter names in the model's order, e.g. ['r', 'alpha', 'a', 'b'] (a new list each time).")
      .def_property_readonly(
          "parameters",
          [](const TransactionModel& model) { return named_values(model.parameter_names(), model.parameters()); },
          "The parameters as a dict name -> value, in the model's order (a new dict each time).")
      .def("log_likelihood", &log_likelihood, py::arg("frequency"), py::arg("recency"), py::arg("T"),
           "Log-likelihood of each customer's (x, t_x, T).")
      .def("total_log_likelihood", &total_log_likelihood, py::arg("frequency"), py::arg("recency"), py::arg("T"),
           py::arg("weights") = py::none(),
           "Sum of weight * log-likelihood over the rows (1-D arrays; weights None = 1 per row).\n\n"
           "Raises crmkit.ValidationError naming the column and row of an invalid value.")
      .def("expected_purchases", &expected_purchases, py::arg("t"),
           "E[X(t)]: expected repeat purchases of a new customer in its first t time units (t >= 0).")
      .def("conditional_expected_purchases", &conditional_expected_purchases, py::arg("t"), py::arg("frequency"),
           py::arg("recency"), py::arg("T"), py::arg("threads") = 0U,
           "E[Y(t) | x, t_x, T]: expected purchases in the next t time units of customers with these\n"
           "histories. With a scalar t the rows are evaluated once per distinct (x, t_x, T), in parallel\n"
           "(threads: 0 = all; results never depend on it). BG/BB needs a whole number of opportunities.")
      .def("probability_alive", &probability_alive, py::arg("frequency"), py::arg("recency"), py::arg("T"),
           py::arg("threads") = 0U,
           "P(alive | x, t_x, T): the probability each customer has not dropped out by T (for BG/BB: is\n"
           "alive at opportunity n + 1). Evaluated once per distinct row, in parallel.")
      .def("probability_of_purchases", &probability_of_purchases, py::arg("n"), py::arg("t"),
           "P(X(t) = n): the probability a new customer makes exactly n repeat purchases in t time units.")
      .def("__eq__",
           [](const TransactionModel& self, const py::object& other) {
             if (!py::isinstance<TransactionModel>(other)) return false;
             const auto& that = other.cast<const TransactionModel&>();
             return self.model() == that.model() && self.parameters() == that.parameters();
           },
           py::arg("other"), "Same model and bitwise equal parameters.")
      .def("__repr__", [](const py::object& self) {
        const auto& model = self.cast<const TransactionModel&>();
        return py::str(self.get_type().attr("__name__")).cast<std::string>() + "(" +
               format_parameters(model.parameter_names(), model.parameters()) + ")";
      });

  bind_transaction_model<clv::BgNbd>(
      clv_module, "BgNbd",
      "BG/NBD (Fader, Hardie & Lee 2005, \"Counting your customers the easy way\"): purchases follow a\n"
      "Poisson process with rate lambda ~ Gamma(r, alpha); after each purchase the customer drops out\n"
      "with probability p ~ Beta(a, b). A customer with x = 0 is alive for sure.",
      {{{"r", "Shape of the purchase-rate gamma distribution."},
        {"alpha", "Scale (rate) of the purchase-rate gamma distribution, in time units."},
        {"a", "Beta distribution of the dropout probability."},
        {"b", "Beta distribution of the dropout probability."}}});
  bind_transaction_model<clv::ModifiedBgNbd>(
      clv_module, "ModifiedBgNbd",
      "MBG/NBD (Batislam, Denizel & Filiztekin 2007): BG/NBD where a customer may also drop out right\n"
      "after the first purchase, so customers with x = 0 are not all alive.",
      {{{"r", "Shape of the purchase-rate gamma distribution."},
        {"alpha", "Scale of the purchase-rate gamma distribution, in time units."},
        {"a", "Beta distribution of the dropout probability."},
        {"b", "Beta distribution of the dropout probability."}}});
  bind_transaction_model<clv::ParetoNbd>(
      clv_module, "ParetoNbd",
      "Pareto/NBD (Schmittlein, Morrison & Colombo 1987): Poisson purchases with rate lambda ~\n"
      "Gamma(r, alpha) and an exponential lifetime with rate mu ~ Gamma(s, beta). Fits start, unless\n"
      "told otherwise, from r = s = 1, alpha = mean(T) / max(mean(x), 0.1) and beta = mean(T).",
      {{{"r", "Shape of the purchase-rate gamma distribution."},
        {"alpha", "Scale of the purchase-rate gamma distribution, in time units."},
        {"s", "Shape of the dropout-rate gamma distribution."},
        {"beta", "Scale of the dropout-rate gamma distribution, in time units."}}});
  bind_transaction_model<clv::BgBb>(
      clv_module, "BgBb",
      "BG/BB (Fader, Hardie & Shang 2010): at each of n discrete opportunities an alive customer\n"
      "transacts with probability p ~ Beta(alpha, beta) and, after it, drops out with probability\n"
      "theta ~ Beta(gamma, delta). Durations count opportunities and must be whole numbers (T is n);\n"
      "probability_alive(x, t_x, n) is the probability of being alive at opportunity n + 1.",
      {{{"alpha", "Beta distribution of the transaction probability."},
        {"beta", "Beta distribution of the transaction probability."},
        {"gamma", "Beta distribution of the dropout probability."},
        {"delta", "Beta distribution of the dropout probability."}}});

  clv_module.def(
      "make_transaction_model",
      [](clv::Model model, py::handle parameters) {
        const Column<double> values = float64_column(parameters, "parameters");
        return std::shared_ptr<TransactionModel>(clv::make_transaction_model(model, values.values));
      },
      py::arg("model"), py::arg("parameters"),
      "Builds a model (BgNbd, ModifiedBgNbd, ParetoNbd or BgBb) from its parameters in natural units,\n"
      "in the model's order (a sequence or 1-D array).\n\n"
      "Raises crmkit.ValidationError when model is gammagamma, the count is wrong, or a parameter is\n"
      "not finite and positive (field `parameters[i]` named by its parameter name).");

  // Gamma-Gamma spend.
  using clv::GammaGamma;
  py::class_<GammaGamma, std::shared_ptr<GammaGamma>> gamma_gamma(
      clv_module, "GammaGamma",
      "The Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005; Fader & Hardie 2013,\n"
      "note 025): spend per transaction varies around each customer's mean nu, nu ~ Gamma(q, gamma);\n"
      "transaction values are Gamma(p, nu). Spend is assumed independent of the transaction process\n"
      "(check it: the correlation of frequency and monetary value should be weak). Immutable.");
  gamma_gamma
      .def(py::init([](double p, double q, double gamma) {
             return std::make_shared<GammaGamma>(GammaGamma::Parameters{p, q, gamma});
           }),
           py::arg("p") = 1.0, py::arg("q") = 1.0, py::arg("gamma") = 1.0,
           "The model with these parameters (all finite and > 0; crmkit.ValidationError otherwise).")
      .def_property_readonly("p", [](const GammaGamma& m) { return m.values().p; },
                             "Shape of the transaction-value gamma distribution.")
      .def_property_readonly("q", [](const GammaGamma& m) { return m.values().q; },
                             "Shape of the mean-value gamma distribution.")
      .def_property_readonly("gamma", [](const GammaGamma& m) { return m.values().gamma; },
                             "Scale of the mean-value gamma distribution (in money).")
      .def_property_readonly("model", [](const GammaGamma&) { return clv::Model::gammagamma; },
                             "Model.gammagamma.")
      .def_property_readonly("parameter_names", [](const GammaGamma&) { return GammaGamma::parameter_names(); },
                             "['p', 'q', 'gamma'] (a new list each time).")
      .def_property_readonly(
          "parameters",
          [](const GammaGamma& m) {
            return named_values(GammaGamma::parameter_names(), {m.values().p, m.values().q, m.values().gamma});
          },
          "The parameters as a dict name -> value (a new dict each time).")
      .def(
          "log_likelihood",
          [](const GammaGamma& model, py::handle frequency, py::handle monetary_value) {
            const Broadcast x = broadcast_argument(frequency, "frequency");
            const Broadcast m = broadcast_argument(monetary_value, "monetary_value");
            bool all_scalar = true;
            const std::size_t n = broadcast_length({&x, &m}, all_scalar);
            std::vector<double> xs, ms;
            const clv::SpendView view{expand(x, n, xs), expand(m, n, ms), {}};
            view.validate();
            std::vector<double> out(n);
            {
              py::gil_scoped_release release;
              for (std::size_t i = 0; i < n; ++i) {
                out[i] = model.log_likelihood(view.frequency[i], view.monetary_value[i]);
              }
            }
            return result_of(std::move(out), all_scalar);
          },
          py::arg("frequency"), py::arg("monetary_value"),
          "Log-likelihood of each repeat buyer's (x >= 1, m > 0); scalars or 1-D arrays.")
      .def("expected_spend", &GammaGamma::expected_spend,
           "E[M]: the population mean transaction value, p * gamma / (q - 1); +inf when q <= 1.")
      .def(
          "conditional_expected_spend",
          [](const GammaGamma& model, py::handle frequency, py::handle monetary_value) {
            const Broadcast x = broadcast_argument(frequency, "frequency");
            const Broadcast m = broadcast_argument(monetary_value, "monetary_value");
            bool all_scalar = true;
            const std::size_t n = broadcast_length({&x, &m}, all_scalar);
            for (const Broadcast* argument : {&x, &m}) {
              const bool whole = argument == &x;
              for (std::size_t i = 0; i < argument->column.values.size(); ++i) {
                const double v = argument->column.values[i];
                if (!(std::isfinite(v) && v >= 0 && (!whole || std::floor(v) == v))) {
                  throw ValidationError(
                      argument->scalar ? std::string(argument->name)
                                       : std::string(argument->name) + "[" + std::to_string(i) + "]",
                      py::repr(py::float_(v)).cast<std::string>(),
                      whole ? "must be a whole number >= 0" : "must be a finite number >= 0");
                }
              }
            }
            (void)model.conditional_expected_spend(0, 0);  // throws (field q) when q <= 1
            std::vector<double> out(n);
            {
              py::gil_scoped_release release;
              for (std::size_t i = 0; i < n; ++i) out[i] = model.conditional_expected_spend(x.at(i), m.at(i));
            }
            return result_of(std::move(out), all_scalar);
          },
          py::arg("frequency"), py::arg("monetary_value"),
          "E[M | x, m]: each customer's expected mean transaction value, a weighted mean of the population\n"
          "mean and the customer's own mean m (x = 0 gives the population mean). Scalars or 1-D arrays.\n\n"
          "Raises crmkit.ValidationError when q <= 1 (field `q`: the population mean does not exist), or\n"
          "naming `frequency[i]` / `monetary_value[i]` for a negative or non-finite value.")
      .def(
          "__eq__",
          [](const GammaGamma& self, const py::object& other) {
            if (!py::isinstance<GammaGamma>(other)) return false;
            const auto& that = other.cast<const GammaGamma&>();
            return self.values().p == that.values().p && self.values().q == that.values().q &&
                   self.values().gamma == that.values().gamma;
          },
          py::arg("other"), "Bitwise equal parameters.")
      .def("__repr__",
           [](const GammaGamma& m) {
             return "GammaGamma(" +
                    format_parameters(GammaGamma::parameter_names(), {m.values().p, m.values().q, m.values().gamma}) +
                    ")";
           })
      .def(py::pickle(
          [](const GammaGamma& m) { return py::make_tuple(m.values().p, m.values().q, m.values().gamma); },
          [](const py::tuple& state) {
            if (state.size() != 3) throw py::value_error("invalid pickled state");
            return std::make_shared<GammaGamma>(
                GammaGamma::Parameters{state[0].cast<double>(), state[1].cast<double>(), state[2].cast<double>()});
          }));
}

}  // namespace crmkit::python::clv_binding
