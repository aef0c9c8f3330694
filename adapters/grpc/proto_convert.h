#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "engine/budget_line.h"
#include "engine/commands.h"
#include "engine/recorded_event.h"
#include "engine/status.h"
#include "zbb/v1/budget_line.pb.h"
#include "zbb/v1/events.pb.h"

namespace zbb::api {

// Conversion between the wire messages (zbb.v1) and the engine's plain types, at the edge.
//
// Requests: only what the engine types cannot represent is checked here — enum values that
// are UNSPECIFIED or unknown, and dates that are not dates. Everything else (amounts, sizes,
// UTF-8, required texts) is the workflow's to judge. Errors are INVALID_ARGUMENT naming the
// field path as the proto spells it ("indicators[2].level1", "decide.decision").

// --- enums, engine → wire ---
zbb::v1::Category to_proto(Category value);
zbb::v1::IndicatorLevel1 to_proto(IndicatorLevel1 value);
zbb::v1::IndicatorLevel2 to_proto(IndicatorLevel2 value);
zbb::v1::Direction to_proto(Direction value);
zbb::v1::WarningLevel to_proto(WarningLevel value);  // kNone → UNSPECIFIED ("not yet judged")
zbb::v1::Decision to_proto(Decision value);
zbb::v1::AdjustmentKind to_proto(AdjustmentKind value);
zbb::v1::AdjustmentOutcome to_proto(AdjustmentOutcome value);
zbb::v1::IncrementLevel to_proto(IncrementLevel value);

// --- enums, wire → engine ---
// INVALID_ARGUMENT naming `field` for UNSPECIFIED ("is unspecified; …") or a number the proto
// does not define ("must be one of …"). WarningLevel is the exception: UNSPECIFIED is kNone.
Result<Category> from_proto(zbb::v1::Category value, std::string_view field);
Result<IndicatorLevel1> from_proto(zbb::v1::IndicatorLevel1 value, std::string_view field);
Result<IndicatorLevel2> from_proto(zbb::v1::IndicatorLevel2 value, std::string_view field);
Result<Direction> from_proto(zbb::v1::Direction value, std::string_view field);
Result<WarningLevel> from_proto(zbb::v1::WarningLevel value, std::string_view field);
Result<Decision> from_proto(zbb::v1::Decision value, std::string_view field);
Result<AdjustmentKind> from_proto(zbb::v1::AdjustmentKind value, std::string_view field);
Result<AdjustmentOutcome> from_proto(zbb::v1::AdjustmentOutcome value, std::string_view field);

// A ListLines filter: UNSPECIFIED is nullopt (any category); an unknown number is
// INVALID_ARGUMENT "category".
Result<std::optional<Category>> category_filter_from_proto(zbb::v1::Category value);

// --- requests ---
// Indicator.qualitative = true becomes quantitative = false; Indicator.actual is carried as
// given (the workflow refuses it in a request's content).
Result<LineContent> content_from_proto(const zbb::v1::LineContent& content);

// The engine action for the event the oneof holds. Fields are named under the event
// ("create.content.category", "run_checkpoint.as_of"); an unset oneof is "event".
Result<Action> action_from_proto(const zbb::v1::LineEvent& event);

// The name of the oneof field set in `event` ("decide", "run_checkpoint"), empty when unset.
// Lets the service name an engine error's field under the event: "event.decide.amount".
std::string_view event_field_name(const zbb::v1::LineEvent& event);

// "YYYY-MM-DD", strictly: four, two and two digits that make a date of the calendar.
// INVALID_ARGUMENT with an empty field otherwise; name it with Status::within.
Result<std::chrono::year_month_day> parse_date(std::string_view text);

// --- responses ---
google::protobuf::Timestamp to_proto(Timestamp at);
Timestamp from_proto(const google::protobuf::Timestamp& at);  // truncated to milliseconds

void to_proto(const LineContent& content, zbb::v1::LineContent* out);
// Every field; monitoring, pending_adjustment and evaluation only when the line has them.
void to_proto(const BudgetLine& line, zbb::v1::BudgetLine* out);
// The event's payload goes to payload_json, byte for byte (it is what the hash covers).
void to_proto(const RecordedEvent& event, zbb::v1::RecordedEvent* out);
void to_proto(const MonitoringResult& result, zbb::v1::MonitoringResult* out);

}  // namespace zbb::api
