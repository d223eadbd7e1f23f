#pragma once
/// @file
/// @brief Sales pipelines: ordered stages with a category, a default probability and a rotting threshold.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crmkit/core/id.hpp"
#include "crmkit/core/time.hpp"

namespace crmkit {

/// What reaching a stage means. Behaviour hangs off the category, never off the stage's name.
enum class StageCategory {
  open,  ///< the deal is still being worked
  won,   ///< the deal closed with a sale
  lost   ///< the deal closed without a sale
};

/// One step of a pipeline. Rules: `key` is 1 to 64 characters of `[a-z0-9_-]`, unique in its
/// pipeline and stable (deals and history refer to it); `name` is non-empty; `probability` is in
/// [0, 1], exactly 1 for won stages and 0 for lost stages; `rotting_days` > 0 when set.
struct Stage {
  std::string key;                           ///< stable key, e.g. `proposal`
  std::string name;                          ///< display name, e.g. `Proposal sent`
  StageCategory category = StageCategory::open;  ///< open, won or lost
  double probability = 0.0;                  ///< default win probability of deals in this stage
  std::optional<int> rotting_days;           ///< a deal idle longer than this is "rotting"
  /// Field-wise equality.
  friend bool operator==(const Stage&, const Stage&) = default;
};

/// An ordered list of stages that deals move through. Several pipelines may exist.
/// Rules: non-empty name (at most 200 bytes); at least one open stage; stage keys unique.
struct Pipeline {
  PipelineId id;              ///< assigned by the store on insert
  std::string name;           ///< display name, e.g. `New business`
  std::vector<Stage> stages;  ///< in order
  Timestamp created_at{};     ///< when it was created
  Timestamp updated_at{};     ///< when it last changed
  std::int64_t version = 0;   ///< 1 after insert

  /// The stage with `key`, or nullptr.
  [[nodiscard]] const Stage* find_stage(std::string_view key) const noexcept;
  /// The position of the stage with `key` in `stages`, or nullopt.
  [[nodiscard]] std::optional<std::size_t> stage_index(std::string_view key) const noexcept;
  /// The first open stage, or nullptr when there is none.
  [[nodiscard]] const Stage* first_open_stage() const noexcept;
  /// Field-wise equality.
  friend bool operator==(const Pipeline&, const Pipeline&) = default;
};

/// `open`, `won` or `lost`.
[[nodiscard]] std::string_view to_string(StageCategory category) noexcept;
/// Parses a StageCategory name. @throws ValidationError (field `stage.category`) for other text.
[[nodiscard]] StageCategory parse_stage_category(std::string_view text);

}  // namespace crmkit
