#pragma once
// The values of --time-format, shared by `crmkit import` and every command that reads purchases
// with --input (purchase_input.cpp), so that both spell the formats the same way.

#include <array>

#include "cli/command_line.hpp"
#include "crmkit/io/import.hpp"

namespace crmkit::cli {

inline constexpr std::array<Choice<io::TimeFormat>, 3> time_format_choices{{
    {"iso8601", io::TimeFormat::iso8601},
    {"compact-date", io::TimeFormat::compact_date},
    {"unix-seconds", io::TimeFormat::unix_seconds},
}};

}  // namespace crmkit::cli
