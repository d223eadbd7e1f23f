#pragma once
/// @file
/// @brief Deals (opportunities) in a pipeline, with their stage history.

#include <optional>
#include <string>
#include <vector>

#include "crmkit/core/id.hpp"
#include "crmkit/core/money.hpp"
#include "crmkit/core/time.hpp"
#include "crmkit/domain/pipeline.hpp"

namespace crmkit {

/// A contact person on a deal, with their role (e.g. `decision maker`).
struct DealContact {
  CustomerId person;  ///< a customer of kind person
  std::string role;   ///< may be empty
  /// Field-wise equality.
  friend bool operator==(const DealContact&, const DealContact&) = default;
};

/// One move of a deal between stages. The first entry of a history has no `from`: it records
/// the stage the deal was opened in.
struct StageChange {
  std::optional<std::string> from;  ///< the stage left (none for the opening entry)
  std::string to;                   ///< the stage entered
  Timestamp at{};                   ///< when
  std::string by;                   ///< who made the move
  std::string note;                 ///< the lost reason for moves into a lost stage, else free text
  /// Field-wise equality.
  friend bool operator==(const StageChange&, const StageChange&) = default;
};

/// A sales opportunity with one customer, in one stage of one pipeline.
/// Rules (validate(const Deal&, const Pipeline&)): stage exists in the pipeline; title non-empty
/// (at most 200 bytes); amount ≥ 0; probability override in [0, 1]; a lost deal has a lost
/// reason and `lost_at`; a won deal has `won_at`; an open deal has neither; history is non-empty,
/// ordered in time, chained (`from` of each entry is the previous `to`) and ends in `stage`.
struct Deal {
  DealId id;                                ///< assigned by the store on insert
  PipelineId pipeline;                      ///< the pipeline it moves through
  std::string stage;                        ///< key of its current stage
  CustomerId customer;                      ///< the customer (person or organization) buying
  std::vector<DealContact> contacts;        ///< contact persons with roles
  std::string title;                        ///< display title
  Money amount;                             ///< expected value
  std::optional<double> probability;        ///< manual override of the stage's probability
  std::optional<Date> expected_close;       ///< expected close date
  std::string owner;                        ///< user who owns the deal
  std::string lost_reason;                  ///< why it was lost (lost deals only)
  std::optional<Timestamp> won_at;          ///< when it was won
  std::optional<Timestamp> lost_at;         ///< when it was lost
  std::vector<StageChange> history;         ///< every stage change, oldest first
  std::optional<std::string> external_ref;  ///< the host system's key
  Timestamp created_at{};                   ///< when it was opened
  Timestamp updated_at{};                   ///< when it last changed
  std::int64_t version = 0;                 ///< 1 after insert

  /// The probability used for weighting: the override when set, else the stage's default
  /// (0 when the stage is not in `stages_of`, the deal's pipeline).
  [[nodiscard]] double effective_probability(const Pipeline& stages_of) const noexcept;
  /// When the deal entered its current stage (the last history entry), or `created_at`.
  [[nodiscard]] Timestamp stage_entered_at() const noexcept;
  /// Field-wise equality.
  friend bool operator==(const Deal&, const Deal&) = default;
};

}  // namespace crmkit
