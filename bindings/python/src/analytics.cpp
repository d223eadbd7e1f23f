// crmkit.analytics: periods, the customer summary and RFM scores on numpy columns.
// Segments: analytics_segments.cpp; k-means: analytics_models.cpp; cohorts and ABC: analytics_tables.cpp; CSV files and stores:
// analytics_io.cpp. Every computation runs with the GIL released, on columns viewed in place.
#include "analytics_common.hpp"  // first: bindings.hpp, the casters

#include <chrono>
#include <string>
#include <utility>

namespace crmkit::python {

namespace analytics_bindings {

py::array view_times(const std::vector<std::int64_t>& microseconds, py::handle owner) {
  return view(microseconds, owner).attr("view")("datetime64[us]");
}

py::array dates_to_numpy(const std::vector<Date>& dates) {
  std::vector<std::int64_t> days;
  days.reserve(dates.size());
  for (const Date& date : dates) days.push_back(std::chrono::sys_days(date).time_since_epoch().count());
  return to_numpy(std::move(days)).attr("view")("datetime64[D]");
}

py::object pandas(const char* what) {
  try {
    return py::module_::import("pandas");
  } catch (py::error_already_set& error) {
    if (!error.matches(PyExc_ImportError)) throw;
    throw py::import_error(std::string(what) +
                           " needs pandas, which is not installed (pip install pandas, or apt "
                           "install python3-pandas); to_dict() gives the same columns as numpy arrays");
  }
}

py::object data_frame(const py::dict& columns, const char* index, const char* what) {
  py::object pd = pandas(what);
  return pd.attr("DataFrame")(columns).attr("set_index")(index);
}

Purchases purchase_columns(py::handle customer_ids, py::handle timestamps, py::handle amounts) {
  Purchases purchases{int64_column(customer_ids, "customer_ids"), timestamp_column(timestamps, "timestamps"),
                      float64_column(amounts, "amounts")};
  check_same_length("customer_ids", purchases.customer_ids.values.size(), "timestamps",
                    purchases.times.values.size());
  check_same_length("customer_ids", purchases.customer_ids.values.size(), "amounts",
                    purchases.amounts.values.size());
  return purchases;
}

storage::PurchaseScan purchase_scan(const py::object& currency, const std::optional<Timestamp>& since,
                                    const std::optional<Timestamp>& until) {
  storage::PurchaseScan scan;
  if (!currency.is_none()) {
    if (py::isinstance<py::str>(currency)) {
      scan.currency = Currency(currency.cast<std::string>());
    } else if (py::hasattr(currency, "code")) {
      scan.currency = Currency(py::str(currency.attr("code")).cast<std::string>());
    } else {
      throw py::type_error("currency: expected None, an ISO 4217 code such as 'EUR' or a "
                           "crmkit.Currency, got " + py::repr(currency).cast<std::string>());
    }
  }
  scan.since = since;
  scan.until = until;
  return scan;
}

std::string repr_of(const char* name, const std::vector<std::pair<const char*, std::string>>& fields) {
  std::string text = std::string(name) + "(";
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::string(fields[i].first) + "=" + fields[i].second;
  }
  return text + ")";
}

namespace {

constexpr const char* store_scan_doc =
    "\n\nThe purchases are loaded from ``store`` with one bulk scan (amounts converted from minor "
    "to major units): ``currency`` (a code or crmkit.Currency) keeps only purchases in that "
    "currency (needed when the store mixes several: crmkit.StorageError otherwise), ``since`` / "
    "``until`` (aware datetimes) keep ``since <= occurred_at < until``.";

// ------------------------------------------------------------------------------------------
// Enums and periods

void bind_enums(py::module_& m) {
  bind_enum<an::Period>(m, public_module, "Period",
                        "A calendar period in UTC. Purchases by one customer in the same period count "
                        "as one purchase period; the same names serve as time units for durations.\n\n"
                        "day: a calendar day; week: an ISO week (Monday 00:00 to Monday 00:00 UTC); "
                        "month: a calendar month.",
                        {{an::Period::day, "day"}, {an::Period::week, "week"}, {an::Period::month, "month"}});
  bind_enum<an::Binning>(m, public_module, "Binning",
                         "How values are cut into score bins.\n\n"
                         "rank (the default): customers ranked by value ascending, ties by customer "
                         "id ascending, cut into equal-count bins (pandas qcut of rank(method='first')); "
                         "equal values may get different scores.\n"
                         "value: quantile edges at k/bins (numpy's linear interpolation); a value scores "
                         "the smallest k with value <= edge[k]; equal values share a score, some bins may "
                         "be empty.",
                         {{an::Binning::rank, "rank"}, {an::Binning::value, "value"}});
  bind_enum<an::Scaling>(m, public_module, "Scaling",
                         "How features are transformed before k-means; distances and inertia are "
                         "measured after it.\n\n"
                         "none: raw values; standardize: (x - mean) / population standard deviation "
                         "(scikit-learn's StandardScaler); log1p_standardize: log(1 + x), then "
                         "standardized, for skewed counts and amounts (needs x > -1).",
                         {{an::Scaling::none, "none"},
                          {an::Scaling::standardize, "standardize"},
                          {an::Scaling::log1p_standardize, "log1p_standardize"}});
  bind_enum<an::AbcClass>(m, public_module, "AbcClass",
                          "An ABC class. A: the few customers that bring most of the revenue; B: the "
                          "middle; C: the long tail, and every customer with no positive revenue.",
                          {{an::AbcClass::A, "A"}, {an::AbcClass::B, "B"}, {an::AbcClass::C, "C"}});
}

void bind_periods(py::module_& m) {
  m.def(
      "period_index",
      [](Timestamp time, an::Period period) {
        return an::period_index(time.time_since_epoch().count(), period);
      },
      py::arg("time"), py::arg("period"),
      "The index of the period holding the instant ``time`` (an aware datetime, ISO 8601 str or "
      "numpy.datetime64): days since 1970-01-01, weeks since Monday 1969-12-29, or months since "
      "1970-01. Negative before those origins.");
  m.def(
      "period_index", [](Date day, an::Period period) { return an::period_index(day, period); },
      py::arg("day"), py::arg("period"),
      "The index of the period holding the calendar day ``day`` (same origins as above).");
  m.def("period_start", &an::period_start, py::arg("index"), py::arg("period"),
        "The first day (datetime.date) of the period with index ``index``.");
  m.def("days_in", &an::days_in, py::arg("period"),
        "The length of ``period`` in days: 1, 7, or 30.436875 for a month (the Gregorian mean, "
        "365.2425 / 12).");
  m.def("units_per_period", &an::units_per_period, py::arg("period"), py::arg("unit"),
        "How many ``unit``s one ``period`` lasts: 1 when they are the same, 1/7 for days in weeks, "
        "7 for weeks in days, days_in(period) / days_in(unit) otherwise.");
}

// ------------------------------------------------------------------------------------------
// Binning

void bind_bins(py::module_& m) {
  py::class_<an::BinnedScores>(m, "BinnedScores",
                               "Scores of one column of values, 1 (lowest values) to bins (highest), "
                               "with the bin edges (see bin_scores).")
      .def_property_readonly(
          "scores", [](py::object self) { return view(self.cast<an::BinnedScores&>().scores, self); },
          "One score per value, in the order given (uint8 array).")
      .def_property_readonly(
          "edges", [](py::object self) { return view(self.cast<an::BinnedScores&>().edges, self); },
          "bins + 1 edges (float64 array): a value with score k lies in [edges[k-1], edges[k]]; "
          "edges[0] is the smallest value and edges[bins] the largest. Empty bins repeat the "
          "previous edge; without values every edge is 0.")
      .def("__len__", [](const an::BinnedScores& s) { return s.scores.size(); },
           "The number of values scored.")
      .def("__repr__", [](const an::BinnedScores& s) {
        return repr_of("BinnedScores", {{"values", std::to_string(s.scores.size())},
                                        {"bins", std::to_string(s.edges.empty() ? 0 : s.edges.size() - 1)}});
      });

  m.def(
      "bin_scores",
      [](const ArrayLike& values, int bins, an::Binning binning) {
        Column<double> column = float64_column(values.object, "values");
        py::gil_scoped_release release;
        return an::bin_scores(column.values, bins, binning);
      },
      py::arg("values"), py::arg("bins"), py::kw_only(), py::arg("binning") = an::Binning::rank,
      "Cuts ``values`` (a 1-D array of numbers) into ``bins`` scores. With Binning.rank, ties are "
      "broken by position, so pass the values in ascending customer id. A single value, or all "
      "values equal under Binning.value, scores 1.\n\n"
      "Raises crmkit.ValidationError when ``bins`` is outside 2..100 (field ``bins``) or a value is "
      "not finite (field ``values[i]``).");
}

// ------------------------------------------------------------------------------------------
// Customer summary

py::dict summary_columns(py::object self) {
  const auto& s = self.cast<an::CustomerSummary&>();
  py::dict columns;
  columns["customer_id"] = view(s.customer_ids, self);
  columns["first_purchase"] = view_times(s.first_purchase_us, self);
  columns["last_purchase"] = view_times(s.last_purchase_us, self);
  columns["frequency"] = view(s.frequency, self);
  columns["recency"] = view(s.recency, self);
  columns["T"] = view(s.T, self);
  columns["monetary_value"] = view(s.monetary_value, self);
  columns["total_spend"] = view(s.total_spend, self);
  columns["purchase_periods"] = view(s.purchase_periods, self);
  return columns;
}

void bind_summary(py::module_& m) {
  using S = an::CustomerSummary;
  py::class_<S>(m, "CustomerSummary",
                "One row per customer with a purchase on or before as_of, as numpy columns in "
                "ascending customer id: the sufficient statistics of the RFM and lifetime-value "
                "models (the definitions of the `lifetimes` library). The arrays view the result "
                "(no copy) and are read-only.")
      .def_property_readonly("customer_ids", [](py::object self) { return view(self.cast<S&>().customer_ids, self); },
                             "Customer ids, ascending, each once (int64).")
      .def_property_readonly("first_purchase_us",
                             [](py::object self) { return view_times(self.cast<S&>().first_purchase_us, self); },
                             "Time of each customer's earliest purchase (datetime64[us], UTC).")
      .def_property_readonly("last_purchase_us",
                             [](py::object self) { return view_times(self.cast<S&>().last_purchase_us, self); },
                             "Time of each customer's latest purchase (datetime64[us], UTC).")
      .def_property_readonly("frequency", [](py::object self) { return view(self.cast<S&>().frequency, self); },
                             "x: distinct purchase periods - 1, the repeat periods (int64).")
      .def_property_readonly("recency", [](py::object self) { return view(self.cast<S&>().recency, self); },
                             "t_x: last - first purchase period, in time units (float64).")
      .def_property_readonly("T", [](py::object self) { return view(self.cast<S&>().T, self); },
                             "as_of period - first purchase period, in time units (float64).")
      .def_property_readonly("monetary_value",
                             [](py::object self) { return view(self.cast<S&>().monetary_value, self); },
                             "Mean of the per-period totals of the repeat periods (the first period "
                             "excluded); 0 when x = 0 (float64).")
      .def_property_readonly("total_spend", [](py::object self) { return view(self.cast<S&>().total_spend, self); },
                             "Sum of every purchase amount, first period included (float64).")
      .def_property_readonly("purchase_periods",
                             [](py::object self) { return view(self.cast<S&>().purchase_periods, self); },
                             "Number of distinct purchase periods, x + 1 (int64).")
      .def_readonly("period", &S::period, "The Period purchases were grouped by.")
      .def_readonly("time_unit", &S::time_unit, "The Period that is the unit of recency and T.")
      .def_readonly("as_of", &S::as_of, "The last day of the observation window (datetime.date).")
      .def("__len__", &S::size, "The number of customers.")
      .def("find", &S::find, py::arg("customer_id"),
           "The row of ``customer_id`` (binary search), or None when absent.")
      .def("to_dict", &summary_columns,
           "The columns as a dict of numpy arrays: customer_id, first_purchase, last_purchase, "
           "frequency, recency, T, monetary_value, total_spend, purchase_periods.")
      .def("to_pandas",
           [](py::object self) { return data_frame(summary_columns(self), "customer_id", "CustomerSummary.to_pandas()"); },
           "The columns of to_dict() as a pandas DataFrame indexed by customer_id (lifetimes' "
           "column names: frequency, recency, T, monetary_value).")
      .def("__repr__", [](const S& s) {
        return repr_of("CustomerSummary", {{"customers", std::to_string(s.size())},
                                           {"period", py_repr(s.period)},
                                           {"time_unit", py_repr(s.time_unit)},
                                           {"as_of", py_repr(s.as_of)}});
      });

  using H = an::CalibrationHoldout;
  py::class_<H>(m, "CalibrationHoldout",
                "A calibration summary plus what each of its customers did in the holdout period "
                "(customers whose first purchase falls in the holdout are not included, as in "
                "`lifetimes`).")
      .def_readonly("calibration", &H::calibration,
                    "The CustomerSummary up to and including calibration_end (its as_of).")
      .def_property_readonly("holdout_frequency",
                             [](py::object self) { return view(self.cast<H&>().holdout_frequency, self); },
                             "Distinct purchase periods in the holdout, aligned with "
                             "calibration.customer_ids (int64).")
      .def_property_readonly("holdout_monetary_value",
                             [](py::object self) { return view(self.cast<H&>().holdout_monetary_value, self); },
                             "Mean per-period total in the holdout, 0 when there is none, aligned likewise "
                             "(float64; lifetimes averages per transaction instead, the same when each "
                             "period holds one purchase).")
      .def_readonly("holdout_duration", &H::holdout_duration,
                    "observation_end - calibration_end, in time units.")
      .def_readonly("observation_end", &H::observation_end, "The last day of the holdout (datetime.date).")
      .def("__len__", [](const H& h) { return h.calibration.size(); }, "The number of customers.")
      .def(
          "to_dict",
          [](py::object self) {
            const auto& h = self.cast<H&>();
            py::dict columns = summary_columns(self.attr("calibration"));
            columns["frequency_holdout"] = view(h.holdout_frequency, self);
            columns["monetary_value_holdout"] = view(h.holdout_monetary_value, self);
            columns["duration_holdout"] = py::module_::import("numpy").attr("full")(
                h.calibration.size(), h.holdout_duration);
            return columns;
          },
          "The calibration columns (see CustomerSummary.to_dict) plus frequency_holdout, "
          "monetary_value_holdout and duration_holdout (lifetimes' calibration_and_holdout_data).")
      .def(
          "to_pandas",
          [](py::object self) {
            return data_frame(self.attr("to_dict")(), "customer_id", "CalibrationHoldout.to_pandas()");
          },
          "The columns of to_dict() as a pandas DataFrame indexed by customer_id.")
      .def("__repr__", [](const H& h) {
        return repr_of("CalibrationHoldout", {{"customers", std::to_string(h.calibration.size())},
                                              {"calibration_end", py_repr(h.calibration.as_of)},
                                              {"observation_end", py_repr(h.observation_end)},
                                              {"holdout_duration", py_repr(h.holdout_duration)}});
      });

  m.def(
      "customer_summary",
      [](storage::Store& store, an::Period period, std::optional<an::Period> time_unit,
         std::optional<Date> as_of, unsigned threads, const py::object& currency,
         std::optional<Timestamp> since, std::optional<Timestamp> until) {
        const storage::PurchaseScan scan = purchase_scan(currency, since, until);
        py::gil_scoped_release release;
        return an::customer_summary(store, an::SummaryOptions{period, time_unit, as_of, threads}, scan);
      },
      py::arg("store"), py::kw_only(), py::arg("period") = an::Period::day,
      py::arg("time_unit") = py::none(), py::arg("as_of") = py::none(), py::arg("threads") = 0u,
      py::arg("currency") = py::none(), py::arg("since") = py::none(), py::arg("until") = py::none(),
      (std::string("customer_summary() of the purchases of a crmkit store.") + store_scan_doc).c_str());
  m.def(
      "customer_summary",
      [](const ArrayLike& customer_ids, const ArrayLike& timestamps, const ArrayLike& amounts, an::Period period,
         std::optional<an::Period> time_unit, std::optional<Date> as_of, unsigned threads) {
        const Purchases purchases = purchase_columns(customer_ids.object, timestamps.object, amounts.object);
        py::gil_scoped_release release;
        return an::customer_summary(purchases.view(), an::SummaryOptions{period, time_unit, as_of, threads});
      },
      py::arg("customer_ids"), py::arg("timestamps"), py::arg("amounts"), py::kw_only(),
      py::arg("period") = an::Period::day, py::arg("time_unit") = py::none(),
      py::arg("as_of") = py::none(), py::arg("threads") = 0u,
      "Summarizes purchases per customer: a CustomerSummary (frequency, recency, T, "
      "monetary_value... in ascending customer id).\n\n"
      "customer_ids: integer ids (any int dtype; whole floats accepted); timestamps: datetime64 "
      "(any unit; naive = UTC) or tz-aware pandas; amounts: numbers in major units (may be "
      "negative). Arrays, pandas Series and lists work; nothing is copied when the dtypes are "
      "int64, datetime64[us] and float64.\n"
      "period: purchases within one Period count as one purchase period (day); time_unit: the unit "
      "of recency and T (None: the period); as_of: the last day observed, inclusive (None: the day "
      "of the latest purchase); threads: worker threads, 0 = every hardware thread (results never "
      "depend on it).\n\n"
      "Raises TypeError for a wrong dtype, ValueError for a wrong shape, a length mismatch or NaT "
      "(naming the argument), crmkit.ValidationError for a non-finite amount (field amounts[i]).");

  m.def(
      "calibration_holdout_summary",
      [](const ArrayLike& customer_ids, const ArrayLike& timestamps, const ArrayLike& amounts, Date calibration_end,
         std::optional<Date> observation_end, an::Period period, std::optional<an::Period> time_unit,
         unsigned threads) {
        const Purchases purchases = purchase_columns(customer_ids.object, timestamps.object, amounts.object);
        py::gil_scoped_release release;
        return an::calibration_holdout_summary(
            purchases.view(), an::HoldoutOptions{calibration_end, observation_end, period, time_unit, threads});
      },
      py::arg("customer_ids"), py::arg("timestamps"), py::arg("amounts"), py::kw_only(),
      py::arg("calibration_end"), py::arg("observation_end") = py::none(),
      py::arg("period") = an::Period::day, py::arg("time_unit") = py::none(), py::arg("threads") = 0u,
      "Splits purchases at ``calibration_end`` (the last day of the calibration period, inclusive; "
      "the holdout starts the next day) and summarizes both sides: a CalibrationHoldout. "
      "observation_end: the last day of the holdout (None: the day of the latest purchase); "
      "period, time_unit, threads and the columns as in customer_summary().\n\n"
      "Raises crmkit.ValidationError when observation_end is before calibration_end (field "
      "observation_end), and as customer_summary() for bad columns.");
}

// ------------------------------------------------------------------------------------------
// RFM

py::dict rfm_columns(py::object self) {
  const auto& s = self.cast<an::RfmScores&>();
  py::dict columns;
  columns["customer_id"] = view(s.customer_ids, self);
  columns["recency_days"] = view(s.recency_days, self);
  columns["frequency"] = view(s.frequency, self);
  columns["monetary"] = view(s.monetary, self);
  columns["r"] = view(s.r, self);
  columns["f"] = view(s.f, self);
  columns["m"] = view(s.m, self);
  return columns;
}

void bind_rfm(py::module_& m) {
  using E = an::RfmEdges;
  py::class_<E>(m, "RfmEdges",
                "The bin edges of each RFM dimension (see BinnedScores.edges), in the units of the "
                "values: bins + 1 ascending float64 values each.")
      .def_property_readonly("recency_days", [](py::object self) { return view(self.cast<E&>().recency_days, self); },
                             "Edges of recency_days (ascending days; R reverses them).")
      .def_property_readonly("frequency", [](py::object self) { return view(self.cast<E&>().frequency, self); },
                             "Edges of frequency.")
      .def_property_readonly("monetary", [](py::object self) { return view(self.cast<E&>().monetary, self); },
                             "Edges of monetary.")
      .def("__repr__", [](const E& e) {
        return repr_of("RfmEdges", {{"recency_days", py_repr(e.recency_days)},
                                    {"frequency", py_repr(e.frequency)},
                                    {"monetary", py_repr(e.monetary)}});
      });

  using S = an::RfmScores;
  py::class_<S>(m, "RfmScores",
                "RFM values and scores, one row per customer in ascending customer id, as numpy "
                "columns (read-only views of the result, no copy).")
      .def_property_readonly("customer_ids", [](py::object self) { return view(self.cast<S&>().customer_ids, self); },
                             "Customer ids, ascending, each once (int64).")
      .def_property_readonly("recency_days", [](py::object self) { return view(self.cast<S&>().recency_days, self); },
                             "Whole days from the last purchase day to the as_of day, 0 when it is "
                             "the as_of day (int32).")
      .def_property_readonly("frequency", [](py::object self) { return view(self.cast<S&>().frequency, self); },
                             "Number of distinct purchase periods (int64).")
      .def_property_readonly("monetary", [](py::object self) { return view(self.cast<S&>().monetary, self); },
                             "Total spend (float64).")
      .def_property_readonly("r", [](py::object self) { return view(self.cast<S&>().r, self); },
                             "Recency score (uint8): bins + 1 - the score of recency_days, so the most "
                             "recent customers score highest.")
      .def_property_readonly("f", [](py::object self) { return view(self.cast<S&>().f, self); },
                             "Frequency score, 1..bins (uint8).")
      .def_property_readonly("m", [](py::object self) { return view(self.cast<S&>().m, self); },
                             "Monetary score, 1..bins (uint8).")
      .def_readonly("bins", &S::bins, "The number of bins used.")
      .def_readonly("binning", &S::binning, "The Binning used.")
      .def_readonly("period", &S::period, "The purchase Period used for the frequency.")
      .def_readonly("as_of", &S::as_of, "The day recency was measured to (datetime.date).")
      .def_readonly("edges", &S::edges, "The bin edges (RfmEdges), in value units.")
      .def("__len__", &S::size, "The number of customers.")
      .def("to_dict", &rfm_columns,
           "The columns as a dict of numpy arrays: customer_id, recency_days, frequency, monetary, "
           "r, f, m (the columns of `crmkit rfm`).")
      .def("to_pandas",
           [](py::object self) { return data_frame(rfm_columns(self), "customer_id", "RfmScores.to_pandas()"); },
           "The columns of to_dict() as a pandas DataFrame indexed by customer_id.")
      .def("__repr__", [](const S& s) {
        return repr_of("RfmScores", {{"customers", std::to_string(s.size())},
                                     {"bins", std::to_string(s.bins)},
                                     {"binning", py_repr(s.binning)},
                                     {"period", py_repr(s.period)},
                                     {"as_of", py_repr(s.as_of)}});
      });

  m.def(
      "rfm",
      [](storage::Store& store, std::optional<Date> as_of, int bins, an::Binning binning,
         an::Period period, unsigned threads, const py::object& currency,
         std::optional<Timestamp> since, std::optional<Timestamp> until) {
        const storage::PurchaseScan scan = purchase_scan(currency, since, until);
        py::gil_scoped_release release;
        return an::rfm(store, an::RfmOptions{bins, binning, period, as_of, threads}, scan);
      },
      py::arg("store"), py::kw_only(), py::arg("as_of") = py::none(), py::arg("bins") = 5,
      py::arg("binning") = an::Binning::rank, py::arg("period") = an::Period::day,
      py::arg("threads") = 0u, py::arg("currency") = py::none(), py::arg("since") = py::none(),
      py::arg("until") = py::none(),
      (std::string("rfm() of the purchases of a crmkit store.") + store_scan_doc).c_str());
  m.def(
      "rfm",
      [](const an::CustomerSummary& summary, int bins, an::Binning binning) {
        py::gil_scoped_release release;
        return an::rfm(summary, bins, binning);
      },
      py::arg("summary"), py::kw_only(), py::arg("bins") = 5, py::arg("binning") = an::Binning::rank,
      "RFM scores from a CustomerSummary already computed (its period and as_of are used): "
      "recency_days from last_purchase_us to as_of, frequency = purchase_periods, monetary = "
      "total_spend.\n\nRaises crmkit.ValidationError when bins is outside 2..100.");
  m.def(
      "rfm",
      [](const ArrayLike& customer_ids, const ArrayLike& timestamps, const ArrayLike& amounts, std::optional<Date> as_of,
         int bins, an::Binning binning, an::Period period, unsigned threads) {
        const Purchases purchases = purchase_columns(customer_ids.object, timestamps.object, amounts.object);
        py::gil_scoped_release release;
        return an::rfm(purchases.view(), an::RfmOptions{bins, binning, period, as_of, threads});
      },
      py::arg("customer_ids"), py::arg("timestamps"), py::arg("amounts"), py::kw_only(),
      py::arg("as_of") = py::none(), py::arg("bins") = 5, py::arg("binning") = an::Binning::rank,
      py::arg("period") = an::Period::day, py::arg("threads") = 0u,
      "RFM scores of every customer with a purchase on or before the as_of day: an RfmScores "
      "(recency_days, frequency, monetary and their scores r, f, m, with the bin edges).\n\n"
      "The columns as in customer_summary(). as_of: the day recency is measured to, inclusive; "
      "later purchases are ignored (None: the day of the latest purchase); bins: score bins per "
      "dimension, 2..100 (quintiles); binning: Binning.rank (equal-count bins, ties by customer "
      "id) or Binning.value (quantile edges, ties share a bin); period: purchases within one "
      "Period count once for the frequency; threads: 0 = every hardware thread (results never "
      "depend on it).\n\n"
      "Raises TypeError / ValueError for bad columns (naming them), crmkit.ValidationError for "
      "invalid options (naming the field: bins...) or a non-finite amount (amounts[i]).");
}

}  // namespace

}  // namespace analytics_bindings

void init_analytics(py::module_& analytics) {
  using namespace analytics_bindings;
  bind_enums(analytics);
  bind_periods(analytics);
  bind_bins(analytics);
  init_analytics_io_classes(analytics);
  bind_summary(analytics);
  bind_rfm(analytics);
  init_analytics_segments(analytics);
  init_analytics_models(analytics);
  init_analytics_tables(analytics);
  init_analytics_io_functions(analytics);
}

}  // namespace crmkit::python
