#include "adapters/grpc/proto_convert.h"

#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include "engine/wire_enums.h"

namespace zbb::api {
namespace {

namespace v1 = zbb::v1;

// What the edge refuses before the engine looks at an event, as it always has: enum values
// that are UNSPECIFIED or unknown, and dates that are not dates. Errors are named relative to
// the event message.
Status check_event(const v1::LineEvent& event) {
  using E = v1::LineEvent;
  switch (event.event_case()) {
    case E::kCreate:
      return check_content_enums(event.create().content()).within("content");
    case E::kRevise:
      return check_content_enums(event.revise().content()).within("content");
    case E::kDecide:
      return check_enum("decision", event.decide().decision());
    case E::kRunCheckpoint:
      return parse_date(event.run_checkpoint().as_of()).status().within("as_of");
    case E::kProposeAdjustment:
      return check_enum("kind", event.propose_adjustment().kind());
    case E::kDecideAdjustment:
      return check_enum("decision", event.decide_adjustment().decision());
    default:
      return Status::Ok();
  }
}

// The payload as protobuf's JSON mapping, field names as the .proto spells them; a payload that
// does not parse is shown as an empty object (VerifyAudit tells what is wrong with it).
std::string payload_json(const std::string& bytes) {
  v1::EventPayload payload;
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  if (!payload.ParseFromString(bytes) ||
      !google::protobuf::util::MessageToJsonString(payload, &json, options).ok())
    return "{}";
  return json;
}

}  // namespace

Result<LineContent> content_from_wire(const v1::LineContent& in) {
  ZBB_RETURN_IF_ERROR(check_content_enums(in));
  LineContent content = in;
  content.DiscardUnknownFields();
  return content;
}

Result<std::optional<Category>> category_filter_from_proto(v1::Category value) {
  if (value == v1::CATEGORY_UNSPECIFIED) return std::optional<Category>();
  ZBB_RETURN_IF_ERROR(check_enum("category", value));
  return std::optional<Category>(value);
}

Result<Action> action_from_proto(const v1::LineEvent& event) {
  std::optional<Action> action = action_of(event);
  if (!action) return Status::InvalidArgument("event", "must hold one lifecycle event");
  ZBB_RETURN_IF_ERROR(check_event(event).within(std::string(event_field_name(event))));
  // The event is the engine's action as it is, without the fields zbb does not know (a newer
  // client's), which are neither stored nor hashed.
  std::visit([](google::protobuf::Message& a) { a.DiscardUnknownFields(); }, *action);
  // A refusal grants nothing: said so in the event as the request sent it, before its
  // fingerprint is taken (a retry of a request recorded so stays the same request).
  if (auto* decide = std::get_if<DecideApproval>(&*action);
      decide != nullptr && decide->decision() != v1::DECISION_APPROVE && !decide->has_amount())
    decide->set_amount(0);
  return std::move(*action);
}

std::string_view event_field_name(const v1::LineEvent& event) {
  if (event.event_case() == v1::LineEvent::EVENT_NOT_SET) return {};
  // The descriptor's names live as long as the generated pool: for the whole program.
  const auto* field = v1::LineEvent::descriptor()->FindFieldByNumber(event.event_case());
  return field ? std::string_view(field->name()) : std::string_view();
}

void to_proto(const RecordedEvent& in, v1::RecordedEvent* out) {
  out->Clear();
  out->set_sequence(in.sequence);
  out->set_line_id(in.line_id);
  out->set_line_sequence(in.line_sequence);
  out->set_type(in.type);
  out->set_from_state(in.from_state);
  out->set_to_state(in.to_state);
  out->set_payload(in.payload);
  if (in.payload_encoding == PayloadEncoding::kJson) {
    out->set_payload_encoding(v1::PAYLOAD_ENCODING_JSON);
    out->set_payload_json(in.payload);
  } else {
    out->set_payload_encoding(v1::PAYLOAD_ENCODING_PROTOBUF);
    out->set_payload_json(payload_json(in.payload));
  }
  out->set_actor(in.actor);
  *out->mutable_at() = to_proto(in.at);
  out->set_request_id(in.request_id);
  out->set_prev_hash(in.prev_hash);
  out->set_hash(in.hash);
}

}  // namespace zbb::api
