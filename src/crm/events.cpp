#include "crmkit/crm/events.hpp"

#include <type_traits>
#include <utility>


namespace crmkit {

namespace {

template <class T>
constexpr std::string_view name_of() noexcept {
  if constexpr (std::is_same_v<T, CustomerCreated>) {
    return "customer_created";
  } else if constexpr (std::is_same_v<T, CustomerUpdated>) {
    return "customer_updated";
  } else if constexpr (std::is_same_v<T, CustomerDeleted>) {
    return "customer_deleted";
  } else if constexpr (std::is_same_v<T, InteractionLogged>) {
    return "interaction_logged";
  } else if constexpr (std::is_same_v<T, DealOpened>) {
    return "deal_opened";
  } else if constexpr (std::is_same_v<T, DealStageChanged>) {
    return "deal_stage_changed";
  } else if constexpr (std::is_same_v<T, DealWon>) {
    return "deal_won";
  } else {
    static_assert(std::is_same_v<T, DealLost>, "every Event alternative needs a name");
    return "deal_lost";
  }
}

}  // namespace

std::string_view event_name(const Event& event) noexcept {
  return std::visit([](const auto& alternative) noexcept {
    return name_of<std::decay_t<decltype(alternative)>>();
  }, event);
}

Subscription::Subscription() noexcept = default;

Subscription::Subscription(std::unique_ptr<Connection> connection) noexcept
    : connection_(std::move(connection)) {}

Subscription::Subscription(Subscription&&) noexcept = default;

Subscription& Subscription::operator=(Subscription&& other) noexcept {
  if (this != &other) {
    disconnect();
    connection_ = std::move(other.connection_);
  }
  return *this;
}

Subscription::~Subscription() { disconnect(); }

void Subscription::disconnect() noexcept {
  if (connection_) connection_->disconnect();
  connection_.reset();
}

bool Subscription::connected() const noexcept { return connection_ && connection_->connected(); }

}  // namespace crmkit
