#pragma once
// The subcommands of `crmkit`, one source file each. Each gets the words after its name.

#include "cli/command_line.hpp"

namespace crmkit::cli {

/// `crmkit import customers|purchases|interactions FILE ...` (import_command.cpp).
int run_import(const Args& args, Context& context);
/// `crmkit customers list|show|find ...` (customers_command.cpp).
int run_customers(const Args& args, Context& context);
/// `crmkit timeline CUSTOMER ...` (timeline_command.cpp).
int run_timeline(const Args& args, Context& context);
/// `crmkit stats ...` (stats_command.cpp).
int run_stats(const Args& args, Context& context);
/// `crmkit export customers|purchases|interactions ...` (export_command.cpp).
int run_export(const Args& args, Context& context);
/// `crmkit summary ...`: the lifetimes customer summary (summary_command.cpp).
int run_summary(const Args& args, Context& context);
/// `crmkit rfm ...`: RFM scores and segments per customer (rfm_command.cpp).
int run_rfm(const Args& args, Context& context);
/// `crmkit segments ...`: the per-segment table (segments_command.cpp).
int run_segments(const Args& args, Context& context);
/// `crmkit kmeans ...`: k-means clusters of the RFM values (kmeans_command.cpp).
int run_kmeans(const Args& args, Context& context);
/// `crmkit cohorts ...`: the acquisition cohort table (cohorts_command.cpp).
int run_cohorts(const Args& args, Context& context);
/// `crmkit abc ...`: ABC (Pareto) classes of customers by revenue (abc_command.cpp).
int run_abc(const Args& args, Context& context);
/// `crmkit clv fit|predict ...`: customer-lifetime-value models (clv_command.cpp).
int run_clv(const Args& args, Context& context);

}  // namespace crmkit::cli
