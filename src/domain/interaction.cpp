#include "crmkit/domain/interaction.hpp"

#include "domain/enum_names.hpp"

namespace crmkit {
namespace {

constexpr std::array<std::string_view, 10> channel_names{
    "email", "phone", "meeting", "chat", "sms", "web", "social", "letter", "in_person", "other"};
constexpr std::array<std::string_view, 3> direction_names{"inbound", "outbound", "internal"};

}  // namespace

std::string_view to_string(Channel channel) noexcept {
  return detail::enum_name(channel_names, channel);
}
std::string_view to_string(Direction direction) noexcept {
  return detail::enum_name(direction_names, direction);
}
Channel parse_channel(std::string_view text) {
  return detail::parse_enum<Channel>(channel_names, text, "interaction.channel");
}
Direction parse_direction(std::string_view text) {
  return detail::parse_enum<Direction>(direction_names, text, "interaction.direction");
}

}  // namespace crmkit
