#include "crmkit/domain/pipeline.hpp"

#include <algorithm>

#include "domain/enum_names.hpp"

namespace crmkit {
namespace {
constexpr std::array<std::string_view, 3> category_names{"open", "won", "lost"};
}  // namespace

const Stage* Pipeline::find_stage(std::string_view key) const noexcept {
  const auto index = stage_index(key);
  return index ? &stages[*index] : nullptr;
}

std::optional<std::size_t> Pipeline::stage_index(std::string_view key) const noexcept {
  const auto it = std::find_if(stages.begin(), stages.end(),
                               [key](const Stage& s) { return s.key == key; });
  if (it == stages.end()) return std::nullopt;
  return static_cast<std::size_t>(it - stages.begin());
}

const Stage* Pipeline::first_open_stage() const noexcept {
  const auto it = std::find_if(stages.begin(), stages.end(),
                               [](const Stage& s) { return s.category == StageCategory::open; });
  return it == stages.end() ? nullptr : &*it;
}

std::string_view to_string(StageCategory category) noexcept {
  return detail::enum_name(category_names, category);
}
StageCategory parse_stage_category(std::string_view text) {
  return detail::parse_enum<StageCategory>(category_names, text, "stage.category");
}

}  // namespace crmkit
