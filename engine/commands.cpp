#include "engine/commands.h"

#include <type_traits>

namespace zbb {

std::string_view action_type(const Action& action) {
  return std::visit([](const auto& a) { return std::decay_t<decltype(a)>::kType; }, action);
}

std::string_view follow_up_type(const FollowUp& follow_up) {
  return std::visit([](const auto& f) { return std::decay_t<decltype(f)>::kType; }, follow_up);
}

}  // namespace zbb
