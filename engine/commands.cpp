#include "engine/commands.h"

#include <type_traits>

namespace zbb {

std::string_view action_type(const Action& action) {
  return std::visit([](const auto& a) { return event_type<std::decay_t<decltype(a)>>(); }, action);
}

std::string_view follow_up_type(const FollowUp& follow_up) {
  return std::visit([](const auto& f) { return event_type<std::decay_t<decltype(f)>>(); },
                    follow_up);
}

const google::protobuf::FieldDescriptor* field_of_type(const google::protobuf::Descriptor& holder,
                                                       const google::protobuf::Descriptor& type) {
  for (int i = 0; i < holder.field_count(); ++i)
    if (holder.field(i)->message_type() == &type) return holder.field(i);
  return nullptr;
}

}  // namespace zbb
