#pragma once
// Test helper: a scratch directory of its own under the system's temporary directory, removed
// with everything in it.

#include <atomic>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <system_error>

#include <unistd.h>

namespace crmkit::test {

/// A fresh directory named after `tag`, the process and a random number, so that concurrent test
/// programs and test cases never share one; removed with its files on destruction.
class TempDir {
 public:
  explicit TempDir(std::string_view tag) {
    static std::atomic<unsigned> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("crmkit-" + std::string(tag) + "-" + std::to_string(::getpid()) + "-" +
             std::to_string(std::random_device{}()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
  /// The path of `name` inside the directory.
  [[nodiscard]] std::string file(std::string_view name) const { return (path_ / name).string(); }
  /// A path in the directory that no file has yet.
  [[nodiscard]] std::string fresh_file() {
    return file("db-" + std::to_string(++files_) + ".sqlite");
  }

 private:
  std::filesystem::path path_;
  int files_ = 0;
};

}  // namespace crmkit::test
