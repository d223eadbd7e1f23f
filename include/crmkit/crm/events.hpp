#pragma once
/// @file
/// @brief Domain events that the Crm facade publishes to in-process subscribers.

#include <functional>
#include <memory>
#include <string_view>
#include <variant>

#include "crmkit/domain/customer.hpp"
#include "crmkit/domain/deal.hpp"
#include "crmkit/domain/interaction.hpp"

namespace crmkit {

/// A customer was created.
struct CustomerCreated {
  Customer customer;  ///< the stored record
};
/// A customer was changed (a restore from soft delete included).
struct CustomerUpdated {
  Customer before;    ///< the record before the change
  Customer customer;  ///< the stored record after it
};
/// A customer was soft-deleted.
struct CustomerDeleted {
  Customer customer;  ///< the stored record, with `deleted_at` set
};
/// An interaction was logged.
struct InteractionLogged {
  Interaction interaction;  ///< the stored record
};
/// A deal was opened.
struct DealOpened {
  Deal deal;  ///< the stored record
};
/// A deal moved to another stage (including into won or lost stages, and reopening).
struct DealStageChanged {
  Deal deal;           ///< the stored record after the move
  StageChange change;  ///< the history entry the move recorded
};
/// A deal entered a won stage (published after its DealStageChanged).
struct DealWon {
  Deal deal;  ///< the stored record
};
/// A deal entered a lost stage (published after its DealStageChanged).
struct DealLost {
  Deal deal;  ///< the stored record
};

/// Any domain event.
using Event = std::variant<CustomerCreated, CustomerUpdated, CustomerDeleted, InteractionLogged,
                           DealOpened, DealStageChanged, DealWon, DealLost>;

/// The event's name in snake case, e.g. `deal_stage_changed`.
[[nodiscard]] std::string_view event_name(const Event& event) noexcept;

/// A subscriber's callback. It runs on the thread that made the change, after the change is
/// committed; an exception it throws is caught and ignored so that other subscribers still run
/// and the committed change is not reported as failed.
using EventHandler = std::function<void(const Event&)>;

/// Keeps a subscription alive: the handler is disconnected when the Subscription is destroyed
/// or disconnect() is called. Movable, not copyable. A Subscription may outlive its Crm.
class Subscription {
 public:
  /// The link to an event source that a Subscription controls (Crm implements it).
  class Connection {
   public:
    virtual ~Connection() = default;
    /// Stops delivery to the handler. Idempotent; must not throw.
    virtual void disconnect() noexcept = 0;
    /// True while the handler is connected.
    [[nodiscard]] virtual bool connected() const noexcept = 0;
  };

  /// An empty subscription (connected to nothing).
  Subscription() noexcept;
  /// Takes over a connection.
  explicit Subscription(std::unique_ptr<Connection> connection) noexcept;
  Subscription(Subscription&&) noexcept;             ///< Moves the connection.
  Subscription& operator=(Subscription&&) noexcept;  ///< Disconnects this one, then moves.
  Subscription(const Subscription&) = delete;             ///< Not copyable.
  Subscription& operator=(const Subscription&) = delete;  ///< Not copyable.
  /// Disconnects.
  ~Subscription();
  /// Stops delivering events to the handler. Idempotent.
  void disconnect() noexcept;
  /// True while the handler is connected.
  [[nodiscard]] bool connected() const noexcept;

 private:
  std::unique_ptr<Connection> connection_;
};

}  // namespace crmkit
