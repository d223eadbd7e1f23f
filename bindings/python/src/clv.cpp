// crmkit.clv: customer-lifetime-value models on numpy columns. Part 1 (this file): the enums,
// options and results, summary data, fits, predictions, lifetime values, holdout validation and
// the simulators. The model classes are in clv_models.cpp; the lifetimes-like API is pure Python
// (crmkit/clv.py).
#include "clv_common.hpp"  // first: bindings.hpp and the casters

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace crmkit::python {

namespace {

using namespace clv_binding;  // NOLINT(google-build-using-namespace): one area's helpers

// The summary rows of an analytics.CustomerSummary (the bound C++ class), or of any object with
// frequency, recency and T columns.
clv::SummaryData summary_data_of(const py::object& summary) {
  try {
    const auto& bound = summary.cast<const analytics::CustomerSummary&>();
    return clv::summary_data(bound);
  } catch (const py::cast_error&) {
    // Not the bound class: read its columns.
  }
  for (const char* name : {"frequency", "recency", "T"}) {
    if (!py::hasattr(summary, name)) {
      throw py::type_error(std::string("summary: expected a crmkit.analytics.CustomerSummary or an object with "
                                       "frequency, recency and T columns, got ") +
                           py::repr(summary.get_type()).cast<std::string>());
    }
  }
  const SummaryColumns columns =
      summary_columns(summary.attr("frequency"), summary.attr("recency"), summary.attr("T"), py::none());
  clv::SummaryData data;
  data.frequency.assign(columns.frequency.values.begin(), columns.frequency.values.end());
  data.recency.assign(columns.recency.values.begin(), columns.recency.values.end());
  data.T.assign(columns.T.values.begin(), columns.T.values.end());
  return data;
}

clv::FitOptions options_or_default(const std::optional<clv::FitOptions>& options) {
  return options ? *options : clv::FitOptions{};
}

std::string repr_float(double value) { return py::repr(py::float_(value)).cast<std::string>(); }

// A property getter returning a read-only numpy view of a vector member, kept alive by the object.
template <class C, class T>
auto column_view(std::vector<T> C::*member) {
  return [member](const py::object& self) { return readonly_view(self.cast<const C&>().*member, self); };
}

void bind_enums(py::module_& m) {
  bind_enum<clv::Model>(m, "crmkit.clv", "Model",
                        "The models crmkit fits: bgnbd (BG/NBD, Fader, Hardie & Lee 2005), mbgnbd (MBG/NBD,\n"
                        "Batislam, Denizel & Filiztekin 2007), paretonbd (Pareto/NBD, Schmittlein, Morrison &\n"
                        "Colombo 1987), bgbb (BG/BB, discrete opportunities, Fader, Hardie & Shang 2010) and\n"
                        "gammagamma (Gamma-Gamma spend). Arguments also accept the str value ('bgnbd').",
                        {{clv::Model::bgnbd, "bgnbd"},
                         {clv::Model::mbgnbd, "mbgnbd"},
                         {clv::Model::paretonbd, "paretonbd"},
                         {clv::Model::bgbb, "bgbb"},
                         {clv::Model::gammagamma, "gammagamma"}});
  bind_enum<clv::Discounting>(
      m, "crmkit.clv", "Discounting",
      "How future value is discounted: steps (as lifetimes' customer_lifetime_value: the horizon cut into\n"
      "steps, the purchases of step i discounted by (1 + rate)^i; the only choice for BG/BB) or continuous\n"
      "(each expected purchase discounted when it is expected, at the force of interest ln(1 + rate) per\n"
      "step). Arguments also accept the str value ('steps').",
      {{clv::Discounting::steps, "steps"}, {clv::Discounting::continuous, "continuous"}});
}

void bind_options_and_results(py::module_& m) {
  py::class_<clv::FitOptions>(
      m, "FitOptions",
      "How a maximum-likelihood fit runs. Parameters are optimized in log space with NLopt's L-BFGS\n"
      "(a Nelder-Mead fallback when it fails). A mutable value; `initial` is a list value: assign the\n"
      "whole list (options.initial.append(x) changes a copy).")
      .def(py::init([](double penalizer, std::vector<double> initial, int max_evaluations,
                       double relative_tolerance, bool standard_errors, unsigned threads) {
             clv::FitOptions o;
             o.penalizer = penalizer;
             o.initial = std::move(initial);
             o.max_evaluations = max_evaluations;
             o.relative_tolerance = relative_tolerance;
             o.standard_errors = standard_errors;
             o.threads = threads;
             return o;
           }),
           py::kw_only(), py::arg("penalizer") = 0.0, py::arg("initial") = std::vector<double>{},
           py::arg("max_evaluations") = 5000, py::arg("relative_tolerance") = 1e-10,
           py::arg("standard_errors") = true, py::arg("threads") = 0U,
           "Options by keyword; the defaults are the C++ ones (checked when a fit runs).")
      .def_readwrite("penalizer", &clv::FitOptions::penalizer,
                     "L2 penalty as lifetimes applies it: the objective is -(weighted mean log-likelihood) +\n"
                     "penalizer * sum(parameter^2). 0 (the default) is plain maximum likelihood.")
      .def_readwrite("initial", &clv::FitOptions::initial,
                     "Starting parameters in natural units, in the model's order; empty: the model's defaults.\n"
                     "A list value (assign a whole list).")
      .def_readwrite("max_evaluations", &clv::FitOptions::max_evaluations,
                     "Objective evaluations allowed, per optimizer run.")
      .def_readwrite("relative_tolerance", &clv::FitOptions::relative_tolerance,
                     "Stop when the objective changes by less, relatively.")
      .def_readwrite("standard_errors", &clv::FitOptions::standard_errors,
                     "Compute standard errors from the observed information (a numerical Hessian).")
      .def_readwrite("threads", &clv::FitOptions::threads,
                     "Worker threads, 0 = all; results never depend on it.")
      .def(
          "__eq__",
          [](const clv::FitOptions& a, const py::object& other) {
            if (!py::isinstance<clv::FitOptions>(other)) return false;
            const auto& b = other.cast<const clv::FitOptions&>();
            return a.penalizer == b.penalizer && a.initial == b.initial && a.max_evaluations == b.max_evaluations &&
                   a.relative_tolerance == b.relative_tolerance && a.standard_errors == b.standard_errors &&
                   a.threads == b.threads;
          },
          py::arg("other"), "Field-wise equality.")
      .def("__repr__", [](const clv::FitOptions& o) {
        return "FitOptions(penalizer=" + repr_float(o.penalizer) +
               ", initial=" + py::repr(py::cast(o.initial)).cast<std::string>() +
               ", max_evaluations=" + std::to_string(o.max_evaluations) +
               ", relative_tolerance=" + repr_float(o.relative_tolerance) +
               ", standard_errors=" + (o.standard_errors ? "True" : "False") +
               ", threads=" + std::to_string(o.threads) + ")";
      });

  py::class_<clv::FitResult>(
      m, "FitResult",
      "The outcome of a fit (read-only). A fit that fails raises crmkit.FitError; it never returns NaN\n"
      "parameters.")
      .def_readonly("model", &clv::FitResult::model, "What was fitted (a crmkit.clv.Model).")
      .def_readonly("parameter_names", &clv::FitResult::parameter_names,
                    "The parameter names in the model's order, e.g. ['r', 'alpha', 'a', 'b'].")
      .def_property_readonly(
          "parameters", [](const clv::FitResult& r) { return named_values(r.parameter_names, r.parameters); },
          "The estimates as a dict name -> value (natural units), in the model's order.")
      .def_property_readonly(
          "parameter_values", column_view(&clv::FitResult::parameters),
          "The estimates as a float64 array, in the order of parameter_names.")
      .def_property_readonly(
          "standard_errors",
          [](const clv::FitResult& r) { return named_values(r.parameter_names, r.standard_errors); },
          "Standard errors as a dict name -> value, from the inverse of the observed information\n"
          "(natural units); empty when not requested or not available (see standard_error_note).")
      .def_property_readonly(
          "standard_error_values", column_view(&clv::FitResult::standard_errors),
          "The standard errors as a float64 array (empty when there are none).")
      .def_readonly("standard_error_note", &clv::FitResult::standard_error_note,
                    "Why the standard errors are missing, else ''.")
      .def_readonly("log_likelihood", &clv::FitResult::log_likelihood,
                    "Sum of weight * log-likelihood at the estimates (no penalty).")
      .def_readonly("evaluations", &clv::FitResult::evaluations,
                    "Objective evaluations, every optimizer run included.")
      .def_readonly("converged", &clv::FitResult::converged, "Whether the optimizer met its tolerance.")
      .def_readonly("reason", &clv::FitResult::reason, "The optimizer's stopping reason, in words.")
      .def_readonly("algorithm", &clv::FitResult::algorithm,
                    "The optimizer(s) used, e.g. 'L-BFGS' or 'Nelder-Mead + L-BFGS'.")
      .def_readonly("customers", &clv::FitResult::customers, "Sum of the weights: the customers the fit saw.")
      .def_readonly("distinct_rows", &clv::FitResult::distinct_rows, "Rows after compression.")
      .def("__repr__", [](const clv::FitResult& r) {
        std::string params;
        for (std::size_t k = 0; k < r.parameters.size() && k < r.parameter_names.size(); ++k) {
          params += (k > 0 ? ", " : "") + r.parameter_names[k] + "=" + repr_float(r.parameters[k]);
        }
        return "FitResult(model=<Model." + std::string(clv::to_string(r.model)) + ">, " + params +
               ", log_likelihood=" + repr_float(r.log_likelihood) + ", converged=" + (r.converged ? "True" : "False") +
               ")";
      });

  py::class_<clv::ClvOptions>(
      m, "ClvOptions",
      "The horizon and discounting of a lifetime value. A mutable value; keyword constructor with the\n"
      "C++ defaults: 12 steps of 30 time units (months of days, lifetimes' freq 'D'), 1 % a step.")
      .def(py::init([](double horizon, double step, double discount_rate, clv::Discounting discounting,
                       unsigned threads) {
             clv::ClvOptions o;
             o.horizon = horizon;
             o.step = step;
             o.discount_rate = discount_rate;
             o.discounting = discounting;
             o.threads = threads;
             return o;
           }),
           py::kw_only(), py::arg("horizon") = 12.0, py::arg("step") = 30.0, py::arg("discount_rate") = 0.01,
           py::arg("discounting") = clv::Discounting::steps, py::arg("threads") = 0U,
           "Options by keyword (checked when the values are computed).")
      .def_readwrite("horizon", &clv::ClvOptions::horizon, "How far ahead, in steps (12 months by default).")
      .def_readwrite("step", &clv::ClvOptions::step,
                     "The length of one step in the model's time unit: 30 for months of days (lifetimes' 'D'),\n"
                     "4.345 for months of weeks ('W'), 1 when the unit is the step.")
      .def_readwrite("discount_rate", &clv::ClvOptions::discount_rate, "Per step, >= 0 (0.01 = 1 % a month).")
      .def_readwrite("discounting", &clv::ClvOptions::discounting, "How to discount (a crmkit.clv.Discounting).")
      .def_readwrite("threads", &clv::ClvOptions::threads, "Worker threads, 0 = all; results never depend on it.")
      .def(
          "__eq__",
          [](const clv::ClvOptions& a, const py::object& other) {
            if (!py::isinstance<clv::ClvOptions>(other)) return false;
            const auto& b = other.cast<const clv::ClvOptions&>();
            return a.horizon == b.horizon && a.step == b.step && a.discount_rate == b.discount_rate &&
                   a.discounting == b.discounting && a.threads == b.threads;
          },
          py::arg("other"), "Field-wise equality.")
      .def("__repr__", [](const clv::ClvOptions& o) {
        return "ClvOptions(horizon=" + repr_float(o.horizon) + ", step=" + repr_float(o.step) +
               ", discount_rate=" + repr_float(o.discount_rate) + ", discounting=<Discounting." +
               (o.discounting == clv::Discounting::steps ? "steps" : "continuous") +
               ">, threads=" + std::to_string(o.threads) + ")";
      });
}

void bind_summary_data(py::module_& m) {
  py::class_<clv::SummaryData>(
      m, "SummaryData",
      "Customers as rows of sufficient statistics (x, t_x, T) with optional weights, owning their data.\n"
      "Immutable: the columns are read-only float64 arrays viewing it. For BG/NBD, MBG/NBD and\n"
      "Pareto/NBD: x = repeat purchases, t_x = time of the last purchase since the first, T = time since\n"
      "the first purchase, in one time unit. For BG/BB: x transactions, the last at opportunity t_x, of n.")
      .def(py::init([](py::handle frequency, py::handle recency, py::handle T, py::handle weights) {
             const SummaryColumns columns = summary_columns(frequency, recency, T, weights);
             clv::SummaryData data;
             data.frequency.assign(columns.frequency.values.begin(), columns.frequency.values.end());
             data.recency.assign(columns.recency.values.begin(), columns.recency.values.end());
             data.T.assign(columns.T.values.begin(), columns.T.values.end());
             if (columns.weights) data.weights.assign(columns.weights->values.begin(), columns.weights->values.end());
             return data;
           }),
           py::arg("frequency"), py::arg("recency"), py::arg("T"), py::arg("weights") = py::none(),
           "Copies the columns (1-D numbers of equal length; weights None = 1 per row). Not validated:\n"
           "call validate().")
      .def_property_readonly(
          "frequency", column_view(&clv::SummaryData::frequency),
          "x, read-only float64 array.")
      .def_property_readonly(
          "recency", column_view(&clv::SummaryData::recency),
          "t_x, read-only float64 array.")
      .def_property_readonly(
          "T", column_view(&clv::SummaryData::T),
          "T (or n for BG/BB), read-only float64 array.")
      .def_property_readonly(
          "weights", column_view(&clv::SummaryData::weights),
          "Customers per row, read-only float64 array; empty means 1 for every row.")
      .def("__len__", &clv::SummaryData::size, "Number of rows.")
      .def(
          "validate", [](const clv::SummaryData& data, bool discrete) { data.view().validate(discrete); },
          py::arg("discrete") = false,
          "Checks lengths and the rules (x a whole number >= 0, 0 <= t_x <= T, t_x = 0 when x = 0, T > 0,\n"
          "weights > 0, everything finite; with discrete, t_x and T whole numbers and x <= t_x).\n"
          "Raises crmkit.ValidationError naming the column and row (`recency[12]`).")
      .def(
          "__eq__",
          [](const clv::SummaryData& a, const py::object& other) {
            if (!py::isinstance<clv::SummaryData>(other)) return false;
            const auto& b = other.cast<const clv::SummaryData&>();
            return a.frequency == b.frequency && a.recency == b.recency && a.T == b.T && a.weights == b.weights;
          },
          py::arg("other"), "Equal columns.")
      .def("__repr__", [](const clv::SummaryData& d) {
        return "SummaryData(rows=" + std::to_string(d.size()) + ", weighted=" + (d.weights.empty() ? "False" : "True") +
               ")";
      });

  py::class_<clv::CompressedSummary>(
      m, "CompressedSummary",
      "Identical rows merged, as a fit iterates over them: `rows` (distinct (x, t_x, T), sorted, with\n"
      "summed weights) and `row_of` (for every input row, the index of its distinct row). Read-only.")
      .def_readonly("rows", &clv::CompressedSummary::rows, "The distinct rows with their summed weights (SummaryData).")
      .def_property_readonly(
          "row_of", [](const clv::CompressedSummary& c) { return index_array(c.row_of); },
          "For every input row, the index of its distinct row in `rows` (int64 array).")
      .def("__repr__", [](const clv::CompressedSummary& c) {
        return "CompressedSummary(rows=" + std::to_string(c.rows.size()) +
               ", input_rows=" + std::to_string(c.row_of.size()) +
               ")";
      });

  m.def(
      "summary_data", [](const py::object& summary) { return summary_data_of(summary); }, py::arg("summary"),
      "The (x, t_x, T) columns of a customer summary (crmkit.analytics.customer_summary(), in its time\n"
      "unit; or any object with frequency, recency and T columns), one row per customer, as SummaryData.");

  m.def(
      "compress",
      [](py::handle frequency, py::handle recency, py::handle T, py::handle weights) {
        const SummaryColumns columns = summary_columns(frequency, recency, T, weights);
        py::gil_scoped_release release;
        return clv::compress(columns.view());
      },
      py::arg("frequency"), py::arg("recency"), py::arg("T"), py::arg("weights") = py::none(),
      "Merges rows with equal (x, t_x, T), summing their weights (None = 1 each); rows come out sorted\n"
      "by (x, t_x, T). Fits do it themselves. Raises crmkit.ValidationError as SummaryData.validate.");

  py::class_<clv::SpendData>(
      m, "SpendData",
      "The repeat buyers' rows: frequency (x >= 1), monetary_value (mean repeat value) and rows (the\n"
      "input row of each). Read-only arrays viewing the object.")
      .def_property_readonly(
          "frequency", column_view(&clv::SpendData::frequency),
          "x >= 1, read-only float64 array.")
      .def_property_readonly(
          "monetary_value",
          column_view(&clv::SpendData::monetary_value),
          "Mean repeat-transaction value, read-only float64 array.")
      .def_property_readonly(
          "rows", [](const clv::SpendData& s) { return index_array(s.rows); },
          "The input row of each (int64 array).")
      .def("__len__", [](const clv::SpendData& s) { return s.frequency.size(); }, "Number of repeat buyers.")
      .def("__repr__",
           [](const clv::SpendData& s) { return "SpendData(rows=" + std::to_string(s.frequency.size()) + ")"; });

  m.def(
      "spend_rows",
      [](py::handle frequency, py::handle monetary_value) {
        const Column<double> x = float64_column(frequency, "frequency");
        const Column<double> value = float64_column(monetary_value, "monetary_value");
        return clv::spend_rows(x.values, value.values);
      },
      py::arg("frequency"), py::arg("monetary_value"),
      "The rows of (frequency, monetary_value) with frequency > 0, as SpendData (what fit_gamma_gamma\n"
      "needs). Raises crmkit.ValidationError when the lengths differ.");
}

void bind_fits(py::module_& m) {
  py::class_<clv::TransactionFit>(m, "TransactionFit",
                                  "A fitted transaction model with its fit report: `model` and `result`.")
      .def_property_readonly(
          "model",
          [](const clv::TransactionFit& f) { return std::const_pointer_cast<clv::TransactionModel>(f.model); },
          "The model at the estimates (BgNbd, ModifiedBgNbd, ParetoNbd or BgBb).")
      .def_readonly("result", &clv::TransactionFit::result, "Estimates, errors, log-likelihood... (FitResult).")
      .def("__repr__", [](const py::object& self) {
        return "TransactionFit(model=" + py::repr(self.attr("model")).cast<std::string>() + ", log_likelihood=" +
               repr_float(self.cast<const clv::TransactionFit&>().result.log_likelihood) + ")";
      });
  py::class_<clv::GammaGammaFit>(m, "GammaGammaFit",
                                 "A fitted Gamma-Gamma model with its fit report: `model` and `result`.")
      .def_readonly("model", &clv::GammaGammaFit::model, "The model at the estimates (GammaGamma).")
      .def_readonly("result", &clv::GammaGammaFit::result, "Estimates, errors, log-likelihood... (FitResult).")
      .def("__repr__", [](const py::object& self) {
        return "GammaGammaFit(model=" + py::repr(self.attr("model")).cast<std::string>() + ", log_likelihood=" +
               repr_float(self.cast<const clv::GammaGammaFit&>().result.log_likelihood) + ")";
      });

  m.def(
      "fit_transaction_model",
      [](clv::Model model, py::handle frequency, py::handle recency, py::handle T, py::handle weights,
         const std::optional<clv::FitOptions>& options) {
        const SummaryColumns columns = summary_columns(frequency, recency, T, weights);
        const clv::FitOptions o = options_or_default(options);
        py::gil_scoped_release release;
        return clv::fit_transaction_model(model, columns.view(), o);
      },
      py::arg("model"), py::arg("frequency"), py::arg("recency"), py::arg("T"), py::arg("weights") = py::none(),
      py::arg("options") = py::none(),
      "Fits model (bgnbd, mbgnbd, paretonbd or bgbb; a Model or its str) to the summary columns by\n"
      "maximum likelihood (identical rows merged first; weights None = 1 per row). The GIL is released.\n\n"
      "Raises crmkit.ValidationError on invalid data (naming the column and row; BG/BB checks whole\n"
      "numbers) or options; crmkit.FitError when no finite estimate is found (e.g. nobody repeats).");

  m.def(
      "fit_gamma_gamma",
      [](py::handle frequency, py::handle monetary_value, py::handle weights,
         const std::optional<clv::FitOptions>& options) {
        const Column<double> x = float64_column(frequency, "frequency");
        const Column<double> value = float64_column(monetary_value, "monetary_value");
        std::optional<Column<double>> w;
        if (!weights.is_none()) {
          w = float64_column(weights, "weights");
          check_same_length("frequency", x.values.size(), "weights", w->values.size());
        }
        check_same_length("frequency", x.values.size(), "monetary_value", value.values.size());
        const clv::SpendView view{x.values, value.values, w ? w->values : std::span<const double>{}};
        const clv::FitOptions o = options_or_default(options);
        py::gil_scoped_release release;
        return clv::fit_gamma_gamma(view, o);
      },
      py::arg("frequency"), py::arg("monetary_value"), py::arg("weights") = py::none(),
      py::arg("options") = py::none(),
      "Fits Gamma-Gamma to repeat buyers (x >= 1, m > 0: leave out x = 0, see spend_rows()).\n\n"
      "Raises crmkit.ValidationError on invalid data or options (naming `frequency[i]`...);\n"
      "crmkit.FitError when no finite estimate is found.");
}

void bind_predictions(py::module_& m) {
  py::class_<clv::Predictions>(m, "Predictions",
                               "P(alive) and expected purchases of every row (read-only float64 arrays).")
      .def_property_readonly(
          "probability_alive",
          column_view(&clv::Predictions::probability_alive),
          "P(alive | x, t_x, T) of every row.")
      .def_property_readonly(
          "expected_purchases",
          column_view(&clv::Predictions::expected_purchases),
          "E[Y(horizon) | x, t_x, T] of every row.")
      .def("__len__", [](const clv::Predictions& p) { return p.probability_alive.size(); }, "Number of rows.")
      .def("__repr__", [](const clv::Predictions& p) {
        return "Predictions(rows=" + std::to_string(p.probability_alive.size()) + ")";
      });

  m.def(
      "predict",
      [](const clv::TransactionModel& model, py::handle frequency, py::handle recency, py::handle T, double horizon,
         unsigned threads) {
        const SummaryColumns columns = summary_columns(frequency, recency, T, py::none());
        py::gil_scoped_release release;
        return clv::predict(model, columns.view(), horizon, threads);
      },
      py::arg("model"), py::arg("frequency"), py::arg("recency"), py::arg("T"), py::arg("horizon"),
      py::arg("threads") = 0U,
      "P(alive) and the expected purchases over the next `horizon` time units of every row, evaluated\n"
      "once per distinct (x, t_x, T) and in parallel (threads 0 = all). The GIL is released.\n\n"
      "Raises crmkit.ValidationError on invalid rows or a negative horizon.");

  m.def(
      "lifetime_value",
      [](const clv::TransactionModel& model, const clv::GammaGamma& gamma_gamma, py::handle frequency,
         py::handle recency, py::handle T, py::handle monetary_value, const std::optional<clv::ClvOptions>& options) {
        const SummaryColumns columns = summary_columns(frequency, recency, T, py::none());
        const Column<double> value = float64_column(monetary_value, "monetary_value");
        const clv::ClvOptions o = options ? *options : clv::ClvOptions{};
        std::vector<double> out;
        {
          py::gil_scoped_release release;
          out = clv::lifetime_value(model, gamma_gamma, columns.view(), value.values, o);
        }
        return to_numpy(std::move(out));
      },
      py::arg("model"), py::arg("gamma_gamma"), py::arg("frequency"), py::arg("recency"), py::arg("T"),
      py::arg("monetary_value"), py::arg("options") = py::none(),
      "Lifetime values of every row: m_i = gamma_gamma.conditional_expected_spend(x_i, monetary_value_i)\n"
      "(the mean repeat spend, 0 when x = 0, as lifetimes) times the discounted expected purchases over\n"
      "the horizon (ClvOptions; None = 12 steps of 30, 1 % a step, steps discounting). A float64 array.\n\n"
      "Raises crmkit.ValidationError on invalid rows, lengths or options (field named).");
  m.def(
      "lifetime_value",
      [](const clv::TransactionModel& model, py::handle frequency, py::handle recency, py::handle T,
         py::handle expected_spend, const std::optional<clv::ClvOptions>& options) {
        const SummaryColumns columns = summary_columns(frequency, recency, T, py::none());
        const Column<double> spend = float64_column(expected_spend, "expected_spend");
        const clv::ClvOptions o = options ? *options : clv::ClvOptions{};
        std::vector<double> out;
        {
          py::gil_scoped_release release;
          out = clv::lifetime_value(model, columns.view(), spend.values, o);
        }
        return to_numpy(std::move(out));
      },
      py::arg("model"), py::arg("frequency"), py::arg("recency"), py::arg("T"), py::arg("expected_spend"),
      py::arg("options") = py::none(),
      "Lifetime values with a given expected spend (or margin) per transaction for each row.\n\n"
      "Raises crmkit.ValidationError on invalid rows, lengths or options.");

  py::class_<clv::HoldoutRow>(m, "HoldoutRow",
                              "One group of customers with the same calibration frequency (the last group\n"
                              "collects x >= the cap). Read-only.")
      .def_readonly("frequency", &clv::HoldoutRow::frequency,
                    "Calibration repeat purchases x (the cap for the last group).")
      .def_readonly("customers", &clv::HoldoutRow::customers, "Customers in the group.")
      .def_readonly("actual", &clv::HoldoutRow::actual, "Mean actual holdout purchases.")
      .def_readonly("predicted", &clv::HoldoutRow::predicted, "Mean predicted E[Y(duration) | x, t_x, T].")
      .def("__repr__", [](const clv::HoldoutRow& r) {
        return "HoldoutRow(frequency=" + std::to_string(r.frequency) + ", customers=" + repr_float(r.customers) +
               ", actual=" + repr_float(r.actual) + ", predicted=" + repr_float(r.predicted) + ")";
      });
  py::class_<clv::HoldoutValidation>(m, "HoldoutValidation",
                                     "Predicted against actual holdout purchases: the table by calibration\n"
                                     "frequency and the overall error figures. Read-only.")
      .def_readonly("rows", &clv::HoldoutValidation::rows,
                    "HoldoutRow by calibration frequency, ascending (a new list each time).")
      .def_readonly("total_actual", &clv::HoldoutValidation::total_actual, "Sum of actual holdout purchases.")
      .def_readonly("total_predicted", &clv::HoldoutValidation::total_predicted, "Sum of predicted holdout purchases.")
      .def_readonly("mae", &clv::HoldoutValidation::mae, "Mean absolute error per customer.")
      .def_readonly("rmse", &clv::HoldoutValidation::rmse, "Root mean squared error per customer.")
      .def_readonly("correlation", &clv::HoldoutValidation::correlation,
                    "Pearson correlation of actual and predicted per customer; NaN when undefined.")
      .def("__repr__", [](const clv::HoldoutValidation& v) {
        return "HoldoutValidation(groups=" + std::to_string(v.rows.size()) +
               ", total_actual=" + repr_float(v.total_actual) +
               ", total_predicted=" + repr_float(v.total_predicted) + ", mae=" + repr_float(v.mae) + ")";
      });

  m.def(
      "validate_holdout",
      [](const clv::TransactionModel& model, py::handle frequency, py::handle recency, py::handle T,
         py::handle holdout_frequency, double duration, std::int64_t max_frequency, py::handle weights) {
        const SummaryColumns columns = summary_columns(frequency, recency, T, weights);
        const Column<double> holdout = float64_column(holdout_frequency, "holdout_frequency");
        py::gil_scoped_release release;
        return clv::validate_holdout(model, columns.view(), holdout.values, duration, max_frequency);
      },
      py::arg("model"), py::arg("frequency"), py::arg("recency"), py::arg("T"), py::arg("holdout_frequency"),
      py::arg("duration"), py::arg("max_frequency") = 7, py::arg("weights") = py::none(),
      "Compares the model's predictions over `duration` with each customer's actual holdout purchases;\n"
      "groups x >= max_frequency together, as the papers' tables do (7+).\n\n"
      "Raises crmkit.ValidationError when lengths differ, the duration is not positive, or rows are invalid.");
}

void bind_simulators(py::module_& m) {
  m.def(
      "simulate",
      [](const clv::TransactionModel& model, std::size_t customers, double T, double T_spread, double grain,
         std::uint64_t seed) {
        clv::SimulationOptions options;
        options.customers = customers;
        options.T = T;
        options.T_spread = T_spread;
        options.grain = grain;
        options.seed = seed;
        py::gil_scoped_release release;
        if (const auto* bgnbd = dynamic_cast<const clv::BgNbd*>(&model)) return clv::simulate(*bgnbd, options);
        if (const auto* mbgnbd = dynamic_cast<const clv::ModifiedBgNbd*>(&model)) {
          return clv::simulate(*mbgnbd, options);
        }
        if (const auto* pareto = dynamic_cast<const clv::ParetoNbd*>(&model)) return clv::simulate(*pareto, options);
        return clv::simulate(dynamic_cast<const clv::BgBb&>(model), options);
      },
      py::arg("model"), py::kw_only(), py::arg("customers") = std::size_t{1000}, py::arg("T") = 52.0,
      py::arg("T_spread") = 0.0, py::arg("grain") = 0.0, py::arg("seed") = std::uint64_t{0},
      "Simulated (x, t_x, T) rows (SummaryData) from the model's generative process: `customers` of\n"
      "them observed for T time units (whole opportunities for BG/BB), drawn uniformly from\n"
      "[T - T_spread, T] when T_spread > 0; t_x and T rounded to `grain` (0 keeps exact times).\n"
      "Equal seeds give equal data. Raises crmkit.ValidationError on invalid options.");
  m.def(
      "simulate_spend",
      [](const clv::GammaGamma& model, py::handle frequency, std::uint64_t seed) {
        const Column<double> x = float64_column(frequency, "frequency");
        py::gil_scoped_release release;
        return clv::simulate_spend(model, x.values, seed);
      },
      py::arg("model"), py::arg("frequency"), py::arg("seed") = std::uint64_t{0},
      "Simulated spend (SpendData): for each given x >= 1, the mean of x Gamma(p, nu) values with\n"
      "nu ~ Gamma(q, gamma). Raises crmkit.ValidationError when a frequency is below 1 or not whole.");
}

}  // namespace

void init_clv(py::module_& clv_module) {
  bind_enums(clv_module);
  bind_options_and_results(clv_module);
  clv_binding::init_clv_models(clv_module);
  bind_summary_data(clv_module);
  bind_fits(clv_module);
  bind_predictions(clv_module);
  bind_simulators(clv_module);
}

}  // namespace crmkit::python
