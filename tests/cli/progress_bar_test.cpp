// The import progress bar: what it draws, and that it redraws at most ten times a second
// (on a fake clock: tests never measure time).

#include <chrono>
#include <sstream>
#include <string>

#include "cli/progress_bar.hpp"
#include "cli_fixture.hpp"

using Catch::Contains;
using crmkit::cli::ProgressBar;
using crmkit::io::Progress;
using namespace std::chrono_literals;

namespace {

struct FakeClock {
  std::chrono::steady_clock::time_point now{};
};

std::size_t count_of(const std::string& text, char c) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), c));
}

}  // namespace

TEST_CASE("the progress bar shows the share of bytes read and the rows", "[cli]") {
  std::ostringstream out;
  const ProgressBar bar(out, "importing purchases");
  CHECK(bar.render(Progress{12000, 3'400'000, 6'800'000}) ==
        "importing purchases [###############---------------]  50%  3.4 / 6.8 MB  12,000 rows");
  CHECK(bar.render(Progress{0, 0, 6'800'000}) ==
        "importing purchases [------------------------------]   0%  0.0 / 6.8 MB  0 rows");
  // Without a known size (a stream), only the rows.
  CHECK(bar.render(Progress{250, 1000, 0}) == "importing purchases  250 rows");
}

TEST_CASE("the progress bar redraws at most every 100 ms, in place, and erases itself", "[cli]") {
  std::ostringstream out;
  FakeClock clock;
  {
    ProgressBar bar(out, "importing", [&clock] { return clock.now; });
    bar.update(Progress{10, 10, 100});
    CHECK(count_of(out.str(), '\r') == 1);
    CHECK_THAT(out.str(), Contains("  10%"));

    clock.now += 99ms;
    bar.update(Progress{20, 20, 100});
    CHECK(count_of(out.str(), '\r') == 1);  // too soon: not drawn
    CHECK_THAT(out.str(), !Contains("  20%"));

    clock.now += 1ms;
    bar.update(Progress{30, 30, 100});
    CHECK(count_of(out.str(), '\r') == 2);
    CHECK_THAT(out.str(), Contains("  30%"));

    bar.finish();
    const std::string text = out.str();
    CHECK(text.ends_with('\r'));
    CHECK(text.find('\n') == std::string::npos);
  }
  // finish() already erased the line; the destructor adds nothing.
  CHECK(count_of(out.str(), '\r') == 4);
}

TEST_CASE("no progress bar when stderr is not a terminal", "[cli]") {
  const cli_test::TempStore store;
  const cli_test::Result result =
      store.run({"import", "purchases", cli_test::data_file("purchases.csv"), "--batch-size", "1"});
  REQUIRE(result.status == 0);
  CHECK(result.err.empty());
}
