#include "io/output_file.hpp"

#include <fmt/format.h>

#include <boost/iostreams/filter/gzip.hpp>
#include <boost/iostreams/filtering_stream.hpp>
#include <cerrno>
#include <cstring>

#include "crmkit/core/error.hpp"

namespace crmkit::io::detail {

struct OutputFile::Impl {
  std::filesystem::path path;
  std::ofstream file;
  boost::iostreams::filtering_ostream gzip;  // used only for `.gz`
  bool compressed = false;

  [[noreturn]] void fail(std::string_view what) const {
    throw Error(fmt::format("{}: {}", path.string(), what));
  }
};

OutputFile::OutputFile(const std::filesystem::path& path) : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  impl_->file.open(path, std::ios::binary | std::ios::trunc);
  if (!impl_->file) {
    impl_->fail(fmt::format("cannot open the file for writing: {}", std::strerror(errno)));
  }
  if (path.extension() == ".gz") {
    impl_->compressed = true;
    // mtime 0 and no file name in the gzip header: the same export gives the same bytes.
    impl_->gzip.push(boost::iostreams::gzip_compressor(boost::iostreams::gzip_params(9)));
    impl_->gzip.push(impl_->file);
  }
}

OutputFile::~OutputFile() = default;

std::ostream& OutputFile::stream() noexcept {
  if (impl_->compressed) return impl_->gzip;
  return impl_->file;
}

void OutputFile::close() {
  try {
    if (impl_->compressed) {
      impl_->gzip.flush();
      impl_->gzip.reset();  // pops the compressor, which writes the gzip trailer
    }
  } catch (const std::exception& error) {
    impl_->fail(fmt::format("compressing failed: {}", error.what()));
  }
  impl_->file.close();
  if (!impl_->file) impl_->fail("writing the file failed");
}

}  // namespace crmkit::io::detail
