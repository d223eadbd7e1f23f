#include "crmkit/analytics/period.hpp"

#include <string>

#include "analytics/period_math.hpp"
#include "crmkit/core/error.hpp"

namespace crmkit::analytics {

std::string_view to_string(Period period) noexcept {
  switch (period) {
    case Period::day: return "day";
    case Period::week: return "week";
    case Period::month: return "month";
  }
  return "day";
}

Period parse_period(std::string_view text, std::string_view field) {
  if (text == "day") return Period::day;
  if (text == "week") return Period::week;
  if (text == "month") return Period::month;
  throw ValidationError(std::string(field), std::string(text), "is not a period: expected day, week or month");
}

std::int64_t period_index(std::int64_t time_us, Period period) noexcept {
  return detail::period_of_day(detail::day_index(time_us), period);
}

std::int64_t period_index(Date day, Period period) noexcept {
  if (period == Period::month) {
    return (static_cast<std::int64_t>(static_cast<int>(day.year())) - 1970) * 12 +
           static_cast<std::int64_t>(static_cast<unsigned>(day.month())) - 1;
  }
  return detail::period_of_day(std::chrono::sys_days(day).time_since_epoch().count(), period);
}

Date period_start(std::int64_t index, Period period) noexcept {
  using std::chrono::days;
  using std::chrono::sys_days;
  switch (period) {
    case Period::day: return Date{sys_days{days{index}}};
    case Period::week: return Date{sys_days{days{index * 7 - 3}}};
    case Period::month: {
      const std::int64_t year = 1970 + detail::floor_div(index, 12);
      const std::int64_t month = index - (year - 1970) * 12 + 1;
      return Date{std::chrono::year{static_cast<int>(year)}, std::chrono::month{static_cast<unsigned>(month)},
                  std::chrono::day{1}};
    }
  }
  return Date{};
}

double days_in(Period period) noexcept {
  switch (period) {
    case Period::day: return 1.0;
    case Period::week: return 7.0;
    case Period::month: return 365.2425 / 12.0;
  }
  return 1.0;
}

double units_per_period(Period period, Period unit) noexcept {
  if (period == unit) return 1.0;
  return days_in(period) / days_in(unit);
}

}  // namespace crmkit::analytics
