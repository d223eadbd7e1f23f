// Model names and the fit error shared by every CLV model.

#include "crmkit/analytics/clv/fit.hpp"

#include <string>
#include <string_view>

#include <fmt/format.h>

namespace crmkit::analytics::clv {

FitError::FitError(std::string_view model, const std::string& reason)
    : Error(fmt::format("cannot fit {}: {}", model, reason)) {}

std::string_view to_string(Model model) noexcept {
  switch (model) {
    case Model::bgnbd: return "bgnbd";
    case Model::mbgnbd: return "mbgnbd";
    case Model::paretonbd: return "paretonbd";
    case Model::bgbb: return "bgbb";
    case Model::gammagamma: return "gammagamma";
  }
  return "bgnbd";
}

Model parse_model(std::string_view text, std::string_view field) {
  for (const Model model : {Model::bgnbd, Model::mbgnbd, Model::paretonbd, Model::bgbb, Model::gammagamma}) {
    if (text == to_string(model)) return model;
  }
  throw ValidationError(std::string(field), std::string(text),
                        "must be one of bgnbd, mbgnbd, paretonbd, bgbb, gammagamma");
}

}  // namespace crmkit::analytics::clv
