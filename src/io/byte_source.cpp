#include "io/byte_source.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/iostreams/categories.hpp>
#include <boost/iostreams/filter/gzip.hpp>
#include <boost/iostreams/filtering_stream.hpp>
#include <cstring>
#include <exception>

#include "crmkit/core/error.hpp"

namespace crmkit::io::detail {
namespace {

constexpr std::array<char, 2> gzip_magic{'\x1F', '\x8B'};
// Large internal buffers keep the decompressor's per-call overhead negligible.
constexpr std::streamsize gzip_buffer_size = 128 * 1024;

// The bytes read from `in` to sniff its format, replayed before the rest of the stream.
struct Sniffed {
  std::array<char, 2> bytes{};
  std::size_t size = 0;
  [[nodiscard]] bool is_gzip() const noexcept { return size == 2 && bytes == gzip_magic; }
};

std::size_t read_stream(std::istream& in, char* out, std::size_t size, const std::string& name) {
  if (size == 0 || in.eof()) return 0;
  in.read(out, static_cast<std::streamsize>(size));
  if (in.bad()) throw Error(fmt::format("{}: reading the input failed", name));
  return static_cast<std::size_t>(in.gcount());
}

// Replays the sniffed bytes, then reads the stream; shared by both sources.
class RawInput {
 public:
  RawInput(std::istream& in, std::string name, Sniffed sniffed)
      : in_(&in), name_(std::move(name)), sniffed_(sniffed) {}

  std::size_t read(char* out, std::size_t size) {
    std::size_t done = 0;
    if (replayed_ < sniffed_.size && size > 0) {
      const std::size_t n = std::min(size, sniffed_.size - replayed_);
      std::memcpy(out, sniffed_.bytes.data() + replayed_, n);
      replayed_ += n;
      done = n;
    }
    done += read_stream(*in_, out + done, size - done, name_);
    count_ += done;
    return done;
  }
  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  [[nodiscard]] const std::string& name() const noexcept { return name_; }

 private:
  std::istream* in_;
  std::string name_;
  Sniffed sniffed_;
  std::size_t replayed_ = 0;
  std::uint64_t count_ = 0;
};

class PlainSource final : public ByteSource {
 public:
  explicit PlainSource(RawInput input) : input_(std::move(input)) {}
  std::size_t read(char* out, std::size_t size) override { return input_.read(out, size); }
  [[nodiscard]] std::uint64_t raw_bytes() const noexcept override { return input_.count(); }
  [[nodiscard]] bool compressed() const noexcept override { return false; }

 private:
  RawInput input_;
};

// Boost.Iostreams copies devices, so the device only points at the RawInput it reads.
class RawDevice {
 public:
  using char_type = char;
  using category = boost::iostreams::source_tag;
  explicit RawDevice(RawInput* input) noexcept : input_(input) {}
  std::streamsize read(char* out, std::streamsize size) {
    const std::size_t n = input_->read(out, static_cast<std::size_t>(size));
    return n == 0 ? -1 : static_cast<std::streamsize>(n);
  }

 private:
  RawInput* input_;
};

class GzipSource final : public ByteSource {
 public:
  explicit GzipSource(RawInput input) : input_(std::move(input)) {
    stream_.push(boost::iostreams::gzip_decompressor(boost::iostreams::gzip::default_window_bits,
                                                     gzip_buffer_size),
                 gzip_buffer_size);
    stream_.push(RawDevice(&input_), gzip_buffer_size);
    // Without badbit in the mask, the stream would swallow the decompressor's exceptions and a
    // corrupt file would look like a short one.
    stream_.exceptions(std::ios::badbit);
  }
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;
  ~GzipSource() override = default;

  std::size_t read(char* out, std::size_t size) override {
    if (size == 0 || stream_.eof()) return 0;
    try {
      stream_.read(out, static_cast<std::streamsize>(size));
    } catch (const Error&) {
      throw;
    } catch (const std::exception& error) {
      throw Error(fmt::format("{}: the gzip data is corrupt or truncated ({})", input_.name(),
                              error.what()));
    }
    return static_cast<std::size_t>(stream_.gcount());
  }
  [[nodiscard]] std::uint64_t raw_bytes() const noexcept override { return input_.count(); }
  [[nodiscard]] bool compressed() const noexcept override { return true; }

 private:
  RawInput input_;
  boost::iostreams::filtering_istream stream_;
};

}  // namespace

std::unique_ptr<ByteSource> open_source(std::istream& in, const std::string& name,
                                        bool require_gzip) {
  Sniffed sniffed;
  sniffed.size = read_stream(in, sniffed.bytes.data(), sniffed.bytes.size(), name);
  if (sniffed.is_gzip()) {
    return std::make_unique<GzipSource>(RawInput(in, name, sniffed));
  }
  if (require_gzip) {
    throw Error(
        fmt::format("{}: is named *.gz but is not gzip data (it does not start with the "
                    "gzip magic bytes 1F 8B)",
                    name));
  }
  return std::make_unique<PlainSource>(RawInput(in, name, sniffed));
}

}  // namespace crmkit::io::detail
