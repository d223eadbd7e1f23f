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

}  // namespace crmkit::cli
