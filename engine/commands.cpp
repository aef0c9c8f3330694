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

namespace {

// The alternative of Action whose message is `event`'s, from the I-th on.
template <std::size_t I = 0>
std::optional<Action> action_from_message(const google::protobuf::Message& event) {
  if constexpr (I == std::variant_size_v<Action>) {
    return std::nullopt;
  } else {
    using Alternative = std::variant_alternative_t<I, Action>;
    if (event.GetDescriptor() != Alternative::descriptor())
      return action_from_message<I + 1>(event);
    Alternative out;
    out.CopyFrom(event);
    return Action(std::move(out));
  }
}

}  // namespace

std::optional<Action> action_of(const zbb::v1::LineEvent& event) {
  const auto* field = event.GetDescriptor()->FindFieldByNumber(event.event_case());
  if (field == nullptr) return std::nullopt;
  return action_from_message(event.GetReflection()->GetMessage(event, field));
}

const google::protobuf::FieldDescriptor* field_of_type(const google::protobuf::Descriptor& holder,
                                                       const google::protobuf::Descriptor& type) {
  for (int i = 0; i < holder.field_count(); ++i)
    if (holder.field(i)->message_type() == &type) return holder.field(i);
  return nullptr;
}

}  // namespace zbb
