#include "cli/progress_bar.hpp"

#include <algorithm>
#include <ostream>
#include <utility>

#include <fmt/format.h>

#include "cli/output.hpp"
#include "cli/table.hpp"

namespace crmkit::cli {

namespace {

constexpr std::size_t bar_width = 30;

double megabytes(std::uint64_t bytes) { return static_cast<double>(bytes) / 1e6; }

}  // namespace

ProgressBar::ProgressBar(std::ostream& out, std::string label, Clock clock)
    : out_(&out), label_(std::move(label)), clock_(std::move(clock)) {}

ProgressBar::~ProgressBar() {
  try {
    finish();
  } catch (...) {  // a destructor must not throw; a lost redraw is harmless
  }
}

void ProgressBar::update(const io::Progress& progress) {
  const auto now = clock_();
  if (last_draw_ && now - *last_draw_ < redraw_interval) return;
  last_draw_ = now;
  std::string line = render(progress);
  const std::size_t width = display_width(line);
  // Blanks over the rest of a longer previous line.
  if (width < drawn_width_) line.append(drawn_width_ - width, ' ');
  drawn_width_ = std::max(drawn_width_, width);
  *out_ << '\r' << line << std::flush;
}

void ProgressBar::finish() {
  if (drawn_width_ == 0) return;
  *out_ << '\r' << std::string(drawn_width_, ' ') << '\r' << std::flush;
  drawn_width_ = 0;
}

std::string ProgressBar::render(const io::Progress& progress) const {
  const std::string rows = format_count(progress.rows) + " rows";
  if (progress.bytes_total == 0) return fmt::format("{}  {}", label_, rows);
  const double fraction = std::min(
      1.0, static_cast<double>(progress.bytes_read) / static_cast<double>(progress.bytes_total));
  const auto filled = static_cast<std::size_t>(fraction * static_cast<double>(bar_width));
  return fmt::format("{} [{}{}] {:3.0f}%  {:.1f} / {:.1f} MB  {}", label_, std::string(filled, '#'),
                     std::string(bar_width - filled, '-'), fraction * 100.0,
                     megabytes(progress.bytes_read), megabytes(progress.bytes_total), rows);
}

}  // namespace crmkit::cli
