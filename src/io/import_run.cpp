#include "io/import_run.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "io/cells.hpp"

namespace crmkit::io::detail {

ImportRun::ImportRun(storage::Store& store, CsvReader& reader, const ImportOptions& options)
    : store_(&store),
      reader_(&reader),
      options_(&options),
      batch_size_(std::max<std::size_t>(options.batch_size, 1)) {
  if (options.on_error == OnError::abort) transaction_.emplace(store.begin());
}

bool ImportRun::next(std::vector<std::string_view>& fields) {
  for (;;) {
    try {
      if (!reader_->next(fields)) return false;
      ++report_.rows_read;
      ++rows_in_batch_;
      return true;
    } catch (const ParseError& error) {
      if (!skipping()) throw;
      // The reader has passed over the malformed row, which counts as read.
      ++report_.rows_read;
      ++rows_in_batch_;
      record(error, "");
    }
  }
}

void ImportRun::reject(const RowFailure& failure) {
  if (!skipping()) throw ParseError(failure);
  record(failure, failure.field());
}

void ImportRun::record(const ParseError& error, std::string field) {
  ++report_.rows_rejected;
  if (report_.errors.size() >= options_->max_reported_errors) return;
  report_.errors.push_back(
      RowError{error.line(), error.column(), std::move(field), error.value(), error.what()});
}

void ImportRun::open_batch() {
  if (!transaction_) transaction_.emplace(store_->begin());
}

void ImportRun::close_batch() {
  if (skipping() && transaction_) {
    transaction_->commit();
    transaction_.reset();
  }
  rows_in_batch_ = 0;
  report_progress();
}

ImportReport ImportRun::finish() {
  if (transaction_) {
    transaction_->commit();
    transaction_.reset();
  }
  report_progress();
  return std::move(report_);
}

void ImportRun::report_progress() const {
  if (!options_->progress) return;
  options_->progress(Progress{report_.rows_read, reader_->bytes_read(), reader_->bytes_total()});
}

std::optional<ElementField> element_field(std::string_view field, std::string_view root) noexcept {
  if (!field.starts_with(root) || field.size() <= root.size() || field[root.size()] != '[') {
    return std::nullopt;
  }
  const std::size_t close = field.find(']', root.size());
  if (close == std::string_view::npos) return std::nullopt;
  const std::optional<std::int64_t> index =
      to_int(field.substr(root.size() + 1, close - root.size() - 1));
  if (!index || *index < 0) return std::nullopt;
  return ElementField{static_cast<std::size_t>(*index), field.substr(close + 1)};
}

}  // namespace crmkit::io::detail
