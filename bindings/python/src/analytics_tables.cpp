// crmkit.analytics: cohort tables (2-D numpy arrays) and ABC (Pareto) analysis.
#include "analytics_common.hpp"  // first: bindings.hpp, the casters

#include <chrono>
#include <cmath>
#include <limits>
#include <utility>

namespace crmkit::python::analytics_bindings {

namespace {

constexpr const char* store_doc =
    "\n\nThe purchases are loaded from ``store`` with one bulk scan (amounts converted from minor "
    "to major units): ``currency`` (a code or crmkit.Currency) keeps only purchases in that "
    "currency (needed when the store mixes several), ``since`` / ``until`` (aware datetimes) keep "
    "``since <= occurred_at < until``.";

// The retention of every cell, NaN where the cell is not observed or the cohort is empty.
py::array retention_rates(const an::CohortTable& t) {
  std::vector<double> rates(t.size() * t.ages, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t c = 0; c < t.size(); ++c) {
    for (std::size_t a = 0; a < t.ages; ++a) {
      if (t.observed(c, a) && t.sizes[c] > 0) rates[c * t.ages + a] = t.retention(c, a);
    }
  }
  py::array flat = to_numpy(std::move(rates));
  return flat.attr("reshape")(t.size(), t.ages);
}

py::array observed_mask(const an::CohortTable& t) {
  py::array_t<bool> mask({static_cast<py::ssize_t>(t.size()), static_cast<py::ssize_t>(t.ages)});
  auto cells = mask.mutable_unchecked<2>();
  for (std::size_t c = 0; c < t.size(); ++c) {
    for (std::size_t a = 0; a < t.ages; ++a) {
      cells(static_cast<py::ssize_t>(c), static_cast<py::ssize_t>(a)) = t.observed(c, a);
    }
  }
  return mask;
}

// Long form: one row per observed cell, the columns of bench/analytics_pandas.py's cohorts().
py::dict cohort_columns(const an::CohortTable& t) {
  std::vector<std::int64_t> cohort_days, sizes, ages, active;
  std::vector<double> revenue, retention;
  for (std::size_t c = 0; c < t.size(); ++c) {
    for (std::size_t a = 0; a < t.ages && t.observed(c, a); ++a) {
      cohort_days.push_back(std::chrono::sys_days(t.cohorts[c]).time_since_epoch().count());
      sizes.push_back(t.sizes[c]);
      ages.push_back(static_cast<std::int64_t>(a));
      active.push_back(t.active_at(c, a));
      revenue.push_back(t.revenue_at(c, a));
      retention.push_back(t.sizes[c] > 0 ? t.retention(c, a) : std::numeric_limits<double>::quiet_NaN());
    }
  }
  py::dict columns;
  columns["cohort"] = to_numpy(std::move(cohort_days)).attr("view")("datetime64[D]");
  columns["size"] = to_numpy(std::move(sizes));
  columns["age"] = to_numpy(std::move(ages));
  columns["active"] = to_numpy(std::move(active));
  columns["revenue"] = to_numpy(std::move(revenue));
  columns["retention"] = to_numpy(std::move(retention));
  return columns;
}

void bind_cohorts(py::module_& m) {
  using T = an::CohortTable;
  py::class_<T>(m, "CohortTable",
                "Cohorts x ages: customers grouped by acquisition period (cohort c, ascending, no "
                "gaps) followed period by period (age a = periods since the first purchase). Cell "
                "(c, a) is observed exactly when c + a < ages; later cells are 0, not data.")
      .def_readonly("period", &T::period, "The cohort and age Period.")
      .def_readonly("as_of", &T::as_of, "The last day observed (datetime.date).")
      .def_property_readonly("cohorts", [](const T& t) { return dates_to_numpy(t.cohorts); },
                             "First day of each acquisition period, ascending (datetime64[D] array).")
      .def_property_readonly("sizes", [](py::object self) { return view(self.cast<T&>().sizes, self); },
                             "Customers acquired in each cohort (int64).")
      .def_readonly("ages", &T::ages, "Columns: ages 0 .. ages - 1 (the oldest cohort's span).")
      .def_property_readonly(
          "active",
          [](py::object self) {
            const auto& t = self.cast<T&>();
            return view(t.active, t.size(), t.ages, self);
          },
          "(cohorts, ages) int64 array: customers of the cohort with at least one purchase at "
          "that age (a read-only view).")
      .def_property_readonly(
          "revenue",
          [](py::object self) {
            const auto& t = self.cast<T&>();
            return view(t.revenue, t.size(), t.ages, self);
          },
          "(cohorts, ages) float64 array: sum of the cohort's purchase amounts at that age.")
      .def("observed", &T::observed, py::arg("cohort"), py::arg("age"),
           "Whether age ``age`` of cohort ``cohort`` lies on or before as_of.")
      .def("active_at", &T::active_at, py::arg("cohort"), py::arg("age"),
           "Active customers at (cohort, age). IndexError outside the table.")
      .def("revenue_at", &T::revenue_at, py::arg("cohort"), py::arg("age"),
           "Revenue at (cohort, age). IndexError outside the table.")
      .def("retention", &T::retention, py::arg("cohort"), py::arg("age"),
           "Retention rate: active / cohort size (1 at age 0). IndexError outside the table.")
      .def("retention_rates", &retention_rates,
           "(cohorts, ages) float64 array of retention rates, NaN where the cell is not observed "
           "or the cohort has no customer.")
      .def("observed_mask", &observed_mask, "(cohorts, ages) bool array: which cells are observed.")
      .def("__len__", &T::size, "The number of cohorts.")
      .def("to_dict", &cohort_columns,
           "Long form, one row per observed cell, as numpy arrays: cohort (datetime64[D]), size, "
           "age, active, revenue, retention (NaN for a cohort without customers).")
      .def(
          "to_pandas",
          [](const T& t) {
            return pandas("CohortTable.to_pandas()").attr("DataFrame")(cohort_columns(t));
          },
          "The long form of to_dict() as a pandas DataFrame (cohort_table() in crmkit.analytics "
          "pivots it to one row per cohort).")
      .def("__repr__", [](const T& t) {
        return repr_of("CohortTable", {{"period", py_repr(t.period)},
                                       {"cohorts", std::to_string(t.size())},
                                       {"ages", std::to_string(t.ages)},
                                       {"as_of", py_repr(t.as_of)}});
      });

  m.def(
      "cohorts",
      [](storage::Store& store, an::Period period, std::optional<Date> as_of, unsigned threads,
         const py::object& currency, std::optional<Timestamp> since, std::optional<Timestamp> until) {
        const storage::PurchaseScan scan = purchase_scan(currency, since, until);
        py::gil_scoped_release release;
        return an::cohorts(store, an::CohortOptions{period, as_of, threads}, scan);
      },
      py::arg("store"), py::kw_only(), py::arg("period") = an::Period::month,
      py::arg("as_of") = py::none(), py::arg("threads") = 0u, py::arg("currency") = py::none(),
      py::arg("since") = py::none(), py::arg("until") = py::none(),
      (std::string("cohorts() of the purchases of a crmkit store.") + store_doc).c_str());
  m.def(
      "cohorts",
      [](const ArrayLike& customer_ids, const ArrayLike& timestamps, const ArrayLike& amounts, an::Period period,
         std::optional<Date> as_of, unsigned threads) {
        const Purchases purchases = purchase_columns(customer_ids.object, timestamps.object, amounts.object);
        py::gil_scoped_release release;
        return an::cohorts(purchases.view(), an::CohortOptions{period, as_of, threads});
      },
      py::arg("customer_ids"), py::arg("timestamps"), py::arg("amounts"), py::kw_only(),
      py::arg("period") = an::Period::month, py::arg("as_of") = py::none(), py::arg("threads") = 0u,
      "Builds the CohortTable: a customer's cohort is the Period of their first purchase (months "
      "by default); cohorts run without gaps from the first acquisition period to the as_of "
      "period. as_of: the last day observed, inclusive (None: the latest purchase day); the "
      "columns as in customer_summary().\n\n"
      "Raises crmkit.ValidationError on bad columns, or when the data span more than 8192 periods "
      "(field period: use a longer period).");
}

py::array class_letters(const std::vector<an::AbcClass>& classes) {
  py::array_t<char> letters(static_cast<py::ssize_t>(classes.size()));
  char* out = letters.mutable_data();
  for (std::size_t i = 0; i < classes.size(); ++i) out[i] = an::to_char(classes[i]);
  return letters.attr("view")("S1").attr("astype")("U1");
}

py::dict abc_columns(py::object self) {
  const auto& r = self.cast<an::AbcResult&>();
  py::dict columns;
  columns["rank"] = py::module_::import("numpy").attr("arange")(1, r.size() + 1, py::arg("dtype") = "int64");
  columns["customer_id"] = view(r.customer_ids, self);
  columns["revenue"] = view(r.revenue, self);
  columns["cumulative_share"] = view(r.cumulative_share, self);
  columns["class"] = class_letters(r.classes);
  return columns;
}

void bind_abc(py::module_& m) {
  using C = an::AbcClassTotals;
  py::class_<C>(m, "AbcClassTotals", "Totals of one ABC class.")
      .def_readonly("customers", &C::customers, "Customers in the class.")
      .def_readonly("revenue", &C::revenue, "Their revenue.")
      .def_readonly("customer_share", &C::customer_share, "customers / all customers.")
      .def_readonly("revenue_share", &C::revenue_share,
                    "revenue / total positive revenue (0 when there is none).")
      .def("__repr__", [](const C& c) {
        return repr_of("AbcClassTotals", {{"customers", std::to_string(c.customers)},
                                          {"revenue", py_repr(c.revenue)},
                                          {"customer_share", py_repr(c.customer_share)},
                                          {"revenue_share", py_repr(c.revenue_share)}});
      });

  using R = an::AbcResult;
  py::class_<R>(m, "AbcResult",
                "Customers ranked by revenue, descending, ties by customer id ascending, as numpy "
                "columns (read-only views), with their cumulative revenue share and ABC class.")
      .def_property_readonly("customer_ids", [](py::object self) { return view(self.cast<R&>().customer_ids, self); },
                             "Customer ids in rank order (int64).")
      .def_property_readonly("revenue", [](py::object self) { return view(self.cast<R&>().revenue, self); },
                             "Each customer's total revenue (float64).")
      .def_property_readonly("cumulative_share",
                             [](py::object self) { return view(self.cast<R&>().cumulative_share, self); },
                             "Positive revenue of this customer and every one ranked before it, over "
                             "the total positive revenue (0..1; 0 everywhere when none is positive).")
      .def_property_readonly("classes", [](const R& r) { return class_letters(r.classes); },
                             "Each customer's class as a str array ('A', 'B', 'C'; dtype <U1).")
      .def_property_readonly(
          "totals",
          [](const R& r) {
            py::dict totals;
            for (const an::AbcClass c : {an::AbcClass::A, an::AbcClass::B, an::AbcClass::C}) {
              totals[py::cast(c)] = py::cast(r.totals[static_cast<std::size_t>(c)]);
            }
            return totals;
          },
          "Per class: a dict {AbcClass: AbcClassTotals} (a copy).")
      .def_readonly("total_revenue", &R::total_revenue, "Sum of the positive revenues.")
      .def_property_readonly("a", [](const R& r) { return r.options.a; }, "The class A threshold used.")
      .def_property_readonly("b", [](const R& r) { return r.options.b; }, "The class B threshold used.")
      .def_property_readonly("as_of", [](const R& r) { return r.options.as_of; },
                             "The last day counted (datetime.date), or None: every purchase.")
      .def("__len__", &R::size, "The number of customers.")
      .def("to_dict", &abc_columns,
           "The columns as a dict of numpy arrays: rank (1-based), customer_id, revenue, "
           "cumulative_share, class (the columns of `crmkit abc`).")
      .def(
          "to_pandas",
          [](py::object self) { return data_frame(abc_columns(self), "customer_id", "AbcResult.to_pandas()"); },
          "The columns of to_dict() as a pandas DataFrame indexed by customer_id, in rank order.")
      .def("__repr__", [](const R& r) {
        return repr_of("AbcResult", {{"customers", std::to_string(r.size())},
                                     {"total_revenue", py_repr(r.total_revenue)},
                                     {"a", py_repr(r.options.a)},
                                     {"b", py_repr(r.options.b)}});
      });

  m.def(
      "abc_analysis",
      [](storage::Store& store, double a, double b, std::optional<Date> as_of, const py::object& currency,
         std::optional<Timestamp> since, std::optional<Timestamp> until) {
        const storage::PurchaseScan scan = purchase_scan(currency, since, until);
        py::gil_scoped_release release;
        return an::abc_analysis(store, an::AbcOptions{a, b, as_of}, scan);
      },
      py::arg("store"), py::kw_only(), py::arg("a") = 0.80, py::arg("b") = 0.95,
      py::arg("as_of") = py::none(), py::arg("currency") = py::none(), py::arg("since") = py::none(),
      py::arg("until") = py::none(),
      (std::string("abc_analysis() of the purchases of a crmkit store.") + store_doc).c_str());
  m.def(
      "abc_analysis",
      [](const ArrayLike& customer_ids, const ArrayLike& timestamps, const ArrayLike& amounts, double a, double b,
         std::optional<Date> as_of) {
        const Purchases purchases = purchase_columns(customer_ids.object, timestamps.object, amounts.object);
        py::gil_scoped_release release;
        return an::abc_analysis(purchases.view(), an::AbcOptions{a, b, as_of});
      },
      py::arg("customer_ids"), py::arg("timestamps"), py::arg("amounts"), py::kw_only(),
      py::arg("a") = 0.80, py::arg("b") = 0.95, py::arg("as_of") = py::none(),
      "ABC analysis of purchases: each customer's revenue is the sum of their amounts (up to "
      "as_of, inclusive, when given). A customer is class A when the revenue share of the "
      "customers ranked before it is below ``a`` (so the one that crosses ``a`` is still A), B "
      "when it is below ``b``, else C (as is every customer without positive revenue).\n\n"
      "Raises crmkit.ValidationError on bad columns or thresholds outside 0 < a <= b <= 1 (field "
      "a or b).");
  m.def(
      "abc_analysis",
      [](const ArrayLike& customer_ids, const ArrayLike& revenue, double a, double b) {
        Column<std::int64_t> ids = int64_column(customer_ids.object, "customer_ids");
        Column<double> values = float64_column(revenue.object, "revenue");
        check_same_length("customer_ids", ids.values.size(), "revenue", values.values.size());
        py::gil_scoped_release release;
        return an::abc_analysis(ids.values, values.values, an::AbcOptions{a, b, std::nullopt});
      },
      py::arg("customer_ids"), py::arg("revenue"), py::kw_only(), py::arg("a") = 0.80,
      py::arg("b") = 0.95,
      "ABC analysis of per-customer revenue already computed (e.g. RfmScores.monetary); ids must "
      "be distinct.\n\nRaises crmkit.ValidationError when an id repeats (field customer_ids), a "
      "revenue is not finite, or the thresholds are invalid; ValueError when the lengths differ.");
}

}  // namespace

void init_analytics_tables(py::module_& m) {
  bind_cohorts(m);
  bind_abc(m);
}

}  // namespace crmkit::python::analytics_bindings
