#pragma once
// A one-line progress bar for imports, redrawn in place on a terminal.

#include <chrono>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

#include "crmkit/io/import.hpp"

namespace crmkit::cli {

/// Draws an import's progress as one line, `\r`-redrawn, at most ten times a second: the
/// importer reports after every batch, which can be far more often than a person can read.
/// Only meant for a terminal; the caller decides whether there is one.
class ProgressBar {
 public:
  /// A source of the current time; a test passes its own.
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  /// The least time between two redraws.
  static constexpr std::chrono::milliseconds redraw_interval{100};

  /// Draws on `out`, the line starting with `label`.
  ProgressBar(std::ostream& out, std::string label, Clock clock = &std::chrono::steady_clock::now);
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  /// Erases the line when finish() was not called.
  ~ProgressBar();

  /// Redraws with `progress`, unless the last redraw is more recent than redraw_interval.
  void update(const io::Progress& progress);
  /// Erases the line, so that what follows starts on a clean one.
  void finish();

  /// The line for `progress`, e.g. `importing [#####-----]  50%  3.4 / 6.8 MB  12,000 rows`.
  [[nodiscard]] std::string render(const io::Progress& progress) const;

 private:
  std::ostream* out_;
  std::string label_;
  Clock clock_;
  std::optional<std::chrono::steady_clock::time_point> last_draw_;
  std::size_t drawn_width_ = 0;
};

}  // namespace crmkit::cli
