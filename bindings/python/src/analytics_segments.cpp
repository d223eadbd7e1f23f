// crmkit.analytics: segment rules, the segmentation of RFM scores and the per-segment summary.
#include "analytics_common.hpp"  // first: bindings.hpp, the casters

#include <string>
#include <utility>
#include <vector>

namespace crmkit::python::analytics_bindings {

namespace {

bool same_range(const an::ScoreRange& a, const an::ScoreRange& b) { return a.min == b.min && a.max == b.max; }
bool same_rule(const an::SegmentRule& a, const an::SegmentRule& b) {
  return a.label == b.label && same_range(a.r, b.r) && same_range(a.f, b.f) && same_range(a.m, b.m);
}

std::string range_repr(const an::ScoreRange& r) {
  return "ScoreRange(" + std::to_string(r.min) + ", " + std::to_string(r.max) + ")";
}

}  // namespace

void init_analytics_segments(py::module_& m) {
  py::class_<an::ScoreRange>(m, "ScoreRange",
                             "An inclusive range of scores. The default admits every score: a max of "
                             "100 (the largest number of bins) means 'and above', whatever the bins.")
      .def(py::init([](int min, int max) { return an::ScoreRange{min, max}; }), py::arg("min") = 1,
           py::arg("max") = 100, "A range min..max (inclusive).")
      .def_readwrite("min", &an::ScoreRange::min, "Lowest score admitted.")
      .def_readwrite("max", &an::ScoreRange::max, "Highest score admitted (100: no upper limit).")
      .def("contains", &an::ScoreRange::contains, py::arg("score"), "True when min <= score <= max.")
      .def("__eq__", [](const an::ScoreRange& a, const an::ScoreRange& b) { return same_range(a, b); },
           py::is_operator())
      .def("__repr__", &range_repr)
      .attr("__hash__") = py::none();

  py::class_<an::SegmentRule>(m, "SegmentRule",
                              "One rule: customers whose R, F and M scores all lie in the ranges get "
                              "the label.")
      .def(py::init([](std::string label, an::ScoreRange r, an::ScoreRange f, an::ScoreRange m_) {
             return an::SegmentRule{std::move(label), r, f, m_};
           }),
           py::arg("label"), py::arg("r") = an::ScoreRange{}, py::arg("f") = an::ScoreRange{},
           py::arg("m") = an::ScoreRange{}, "A rule; the ranges default to every score.")
      .def_readwrite("label", &an::SegmentRule::label, "The segment's name, not empty.")
      .def_readwrite("r", &an::SegmentRule::r, "Admitted recency scores (ScoreRange).")
      .def_readwrite("f", &an::SegmentRule::f, "Admitted frequency scores (ScoreRange).")
      .def_readwrite("m", &an::SegmentRule::m, "Admitted monetary scores (ScoreRange).")
      .def("__eq__", [](const an::SegmentRule& a, const an::SegmentRule& b) { return same_rule(a, b); },
           py::is_operator())
      .def("__repr__", [](const an::SegmentRule& r) {
        return repr_of("SegmentRule", {{"label", py_repr(r.label)}, {"r", range_repr(r.r)},
                                       {"f", range_repr(r.f)}, {"m", range_repr(r.m)}});
      })
      .attr("__hash__") = py::none();

  py::class_<an::SegmentRules>(m, "SegmentRules",
                               "Ordered rules: the first rule a customer matches names its segment; "
                               "customers matching none get fallback. Several rules may share a label.")
      .def(py::init([](std::vector<an::SegmentRule> rules, std::string fallback) {
             return an::SegmentRules{std::move(rules), std::move(fallback)};
           }),
           py::arg("rules") = std::vector<an::SegmentRule>{}, py::arg("fallback") = "Other",
           "Rules tried in order, and the label of the customers no rule matches.")
      .def_readwrite("rules", &an::SegmentRules::rules,
                     "The rules, tried in order (a list of SegmentRule). This is a copy: assign a "
                     "whole list to change it (rules.rules.append(...) changes nothing).")
      .def_readwrite("fallback", &an::SegmentRules::fallback, "The label of customers no rule matches.")
      .def_static("standard", &an::SegmentRules::standard,
                  "The default grid on R and F with 5 bins, which covers all 25 cells exactly once: "
                  "Champions, Loyal Customers, Potential Loyalists, New Customers, Promising, Need "
                  "Attention, About to Sleep, Can't Lose Them, At Risk, Hibernating.")
      .def("validate", &an::SegmentRules::validate, py::arg("bins"),
           "Checks the rules against scores 1..bins. Raises crmkit.ValidationError naming the rule "
           "(rules[i].label, rules[i].r, ...) when a label is empty or a range is empty or reaches "
           "outside 1..bins (a max of 100 excepted), or fallback is empty.")
      .def("__eq__",
           [](const an::SegmentRules& a, const an::SegmentRules& b) {
             if (a.fallback != b.fallback || a.rules.size() != b.rules.size()) return false;
             for (std::size_t i = 0; i < a.rules.size(); ++i) {
               if (!same_rule(a.rules[i], b.rules[i])) return false;
             }
             return true;
           },
           py::is_operator())
      .def("__repr__", [](const an::SegmentRules& r) {
        return repr_of("SegmentRules", {{"rules", py_repr(r.rules)}, {"fallback", py_repr(r.fallback)}});
      })
      .attr("__hash__") = py::none();

  using G = an::Segmentation;
  py::class_<G>(m, "Segmentation", "Which segment each customer is in.")
      .def_readonly("labels", &G::labels,
                    "Distinct labels: the rules' in first-appearance order, then the fallback (once).")
      .def_property_readonly("segment", [](py::object self) { return view(self.cast<G&>().segment, self); },
                             "Per customer (aligned with RfmScores.customer_ids): an index into labels "
                             "(uint16 array).")
      .def("label_of", &G::label_of, py::arg("row"), "The label of customer row ``row``.")
      .def(
          "segment_labels",
          [](py::object self) {
            py::object np = py::module_::import("numpy");
            py::object labels = np.attr("array")(self.attr("labels"), py::arg("dtype") = "object");
            return labels.attr("__getitem__")(self.attr("segment"));
          },
          "The label of every customer, as a numpy object array (labels[segment]).")
      .def("__len__", [](const G& g) { return g.segment.size(); }, "The number of customers.")
      .def("__repr__", [](const G& g) {
        return repr_of("Segmentation", {{"customers", std::to_string(g.segment.size())},
                                        {"labels", py_repr(g.labels)}});
      });

  using T = an::SegmentStats;
  py::class_<T>(m, "SegmentStats", "Summary of one segment.")
      .def_readonly("label", &T::label, "The segment.")
      .def_readonly("customers", &T::customers, "Customers in it.")
      .def_readonly("customer_share", &T::customer_share, "customers / all customers (0..1).")
      .def_readonly("revenue", &T::revenue, "Sum of its customers' monetary values.")
      .def_readonly("revenue_share", &T::revenue_share, "revenue / all revenue (0 when all revenue is 0).")
      .def_readonly("mean_recency_days", &T::mean_recency_days, "Mean recency in days (0 for an empty segment).")
      .def_readonly("mean_frequency", &T::mean_frequency,
                    "Mean number of purchase periods (0 for an empty segment).")
      .def_readonly("mean_monetary", &T::mean_monetary, "Mean total spend (0 for an empty segment).")
      .def("__repr__", [](const T& s) {
        return repr_of("SegmentStats", {{"label", py_repr(s.label)},
                                        {"customers", std::to_string(s.customers)},
                                        {"revenue", py_repr(s.revenue)}});
      });

  m.def(
      "assign_segments",
      [](const an::RfmScores& scores, const std::optional<an::SegmentRules>& rules) {
        py::gil_scoped_release release;
        return an::assign_segments(scores, rules ? *rules : an::SegmentRules::standard());
      },
      py::arg("scores"), py::arg("rules") = py::none(),
      "Assigns every scored customer (an RfmScores) to a segment: a Segmentation. rules: a "
      "SegmentRules (None: SegmentRules.standard(), which needs 5 bins).\n\n"
      "Raises crmkit.ValidationError when the rules are invalid for scores.bins.");
  m.def(
      "summarize_segments",
      [](const an::RfmScores& scores, const an::Segmentation& segmentation) {
        py::gil_scoped_release release;
        return an::summarize_segments(scores, segmentation);
      },
      py::arg("scores"), py::arg("segmentation"),
      "One SegmentStats per label of ``segmentation``, in its order, empty segments included.\n\n"
      "Raises crmkit.ValidationError when segmentation does not match scores (field segment).");
}

}  // namespace crmkit::python::analytics_bindings
