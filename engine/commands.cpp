#include "engine/commands.h"

#include <type_traits>

namespace zbb {

std::string_view action_type(const Action& action) {
  return std::visit([](const auto& a) { return std::decay_t<decltype(a)>::kType; }, action);
}

}  // namespace zbb
