#pragma once
// A file to write an export to, gzip-compressed when its name ends in `.gz`.

#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>

namespace crmkit::io::detail {

class OutputFile {
 public:
  // @throws Error when the file cannot be created.
  explicit OutputFile(const std::filesystem::path& path);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  [[nodiscard]] std::ostream& stream() noexcept;
  // Flushes (writing the gzip trailer) and closes. @throws Error when writing failed.
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace crmkit::io::detail
