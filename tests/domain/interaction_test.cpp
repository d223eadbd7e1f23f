#include <catch2/catch.hpp>

#include "crmkit/core/error.hpp"
#include "crmkit/domain/interaction.hpp"

using namespace crmkit;

TEST_CASE("channels and directions round-trip through their names", "[domain]") {
  const Channel channels[] = {Channel::email, Channel::phone,  Channel::meeting, Channel::chat,
                              Channel::sms,   Channel::web,    Channel::social,  Channel::letter,
                              Channel::in_person, Channel::other};
  for (Channel c : channels) CHECK(parse_channel(to_string(c)) == c);
  CHECK(to_string(Channel::in_person) == "in_person");
  for (Direction d : {Direction::inbound, Direction::outbound, Direction::internal}) {
    CHECK(parse_direction(to_string(d)) == d);
  }
}

TEST_CASE("unknown channel and direction names are rejected", "[domain]") {
  REQUIRE_THROWS_WITH(parse_channel("fax"),
                      Catch::Contains("interaction.channel") && Catch::Contains("'fax'"));
  REQUIRE_THROWS_AS(parse_direction("incoming"), ValidationError);
}
