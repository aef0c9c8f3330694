#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "engine/budget_line.h"
#include "engine/commands.h"
#include "engine/proto_codec.h"
#include "engine/recorded_event.h"
#include "engine/status.h"
#include "zbb/v1/budget_line.pb.h"
#include "zbb/v1/events.pb.h"

namespace zbb::api {

// The wire messages (zbb.v1) at the edge. The engine works on them itself (README: design
// notes): a request's event is the engine's action as the client sent it.
//
// Requests: what the edge has always refused first is refused here first — enum values that
// are UNSPECIFIED or unknown, and dates that are not dates — and the fields zbb does not know
// (a newer client's) are dropped, so that they are neither stored nor hashed. Everything else
// (amounts, sizes, UTF-8, required texts) is the workflow's to judge. Errors are
// INVALID_ARGUMENT naming the field path as the proto spells it ("decide.decision",
// "create.content.indicators[2].level1").

// Times between the engine's clock and the messages: engine/budget_line.h, named here too so
// that the edge reads as one vocabulary.
using zbb::from_proto;
using zbb::to_proto;

// A request's content as the engine takes it: the message itself, refused (INVALID_ARGUMENT
// naming the field under the content) when an enum is UNSPECIFIED or unknown, as before the
// engine looks at anything else, and without the fields zbb does not know (a newer client's),
// which are neither stored nor hashed.
Result<LineContent> content_from_wire(const zbb::v1::LineContent& content);

// A ListLines filter: UNSPECIFIED is nullopt (any category); an unknown number is
// INVALID_ARGUMENT "category".
Result<std::optional<Category>> category_filter_from_proto(zbb::v1::Category value);

// --- requests ---
// The engine action for the event the oneof holds. Fields are named under the event
// ("create.content.category", "run_checkpoint.as_of"); an unset oneof is "event".
Result<Action> action_from_proto(const zbb::v1::LineEvent& event);

// The name of the oneof field set in `event` ("decide", "run_checkpoint"), empty when unset.
// Lets the service name an engine error's field under the event: "event.decide.amount".
std::string_view event_field_name(const zbb::v1::LineEvent& event);

// --- responses ---
// The payload as stored and hashed, its encoding, and its JSON (the stored text of a JSON
// payload; protobuf's JSON mapping of a protobuf one).
void to_proto(const RecordedEvent& event, zbb::v1::RecordedEvent* out);

}  // namespace zbb::api
