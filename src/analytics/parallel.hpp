#pragma once
// Running independent tasks on a few threads. Callers split their work into tasks whose number
// and boundaries do not depend on the thread count, and combine the tasks' results in task order,
// so that results are identical whatever the thread count.

#include <cstddef>
#include <functional>

namespace crmkit::analytics::detail {

/// `requested`, or every hardware thread (at least 1) when it is 0.
[[nodiscard]] unsigned thread_count(unsigned requested) noexcept;

/// Calls `task(i)` once for every i in [0, tasks), on up to `threads` threads (the caller's
/// among them); returns when all are done. The first exception a task throws is rethrown here,
/// after the other threads have stopped taking tasks.
void parallel_for(std::size_t tasks, unsigned threads, const std::function<void(std::size_t)>& task);

/// Splits [0, size) into consecutive ranges of `chunk` items (the last may be shorter):
/// the number of ranges, at least 1.
[[nodiscard]] constexpr std::size_t chunk_count(std::size_t size, std::size_t chunk) noexcept {
  return size == 0 ? 1 : (size + chunk - 1) / chunk;
}

}  // namespace crmkit::analytics::detail
