#pragma once

// What zbbctl prints for people: tables of lines, one line's details, its history, one line per
// watched event. Amounts in yuan with two decimals, times in the local time zone.

#include <optional>
#include <string>
#include <string_view>

#include <google/protobuf/repeated_ptr_field.h>

#include "engine/clock.h"
#include "engine/recorded_event.h"
#include "zbb/v1/budget_line.pb.h"
#include "zbb/v1/events.pb.h"
#include "zbb/v1/workflow.pb.h"

namespace zbb::cli {

using Lines = google::protobuf::RepeatedPtrField<zbb::v1::BudgetLine>;
using Events = google::protobuf::RepeatedPtrField<zbb::v1::RecordedEvent>;

// "2027-06-10 09:00" in the local time zone; empty for an unset timestamp.
std::string format_time(const google::protobuf::Timestamp& at);

// "12.34%" for 1234 basis points.
std::string percent_text(std::int64_t basis_points);

// Whole days from `since` to `now` (0 when `since` is unset or later).
std::int64_t whole_days(const google::protobuf::Timestamp& since, Timestamp now);

// "basic", "project", "department_overall" ↔ the enum; nullopt for any other name.
std::optional<zbb::v1::Category> category_from_name(std::string_view name);
std::string category_name(zbb::v1::Category category);

// The engine's view of a wire event (what summarize_event reads): its payload as stored.
RecordedEvent to_engine_event(const zbb::v1::RecordedEvent& event);

// line, department, title, state, waiting on, amount (granted, else requested), flags (a grade
// result use flags, a copied justification), waiting since, days (how long it has waited, for
// lines that wait on someone).
std::string lines_table(const Lines& lines, Timestamp now);

// One field a line, "name   value": who, what, where it stands, the amounts, warning, grade and
// flags.
std::string line_details(const zbb::v1::BudgetLine& line);

// #, when, actor, event, state (from → to), what.
std::string history_table(const Events& events);

// One event as it arrives: sequence, time, line, actor, type, from → to, summary.
std::string watch_line(const zbb::v1::RecordedEvent& event);

// The type of the event zbbd records when a line passes the SLA due time of its state.
inline constexpr std::string_view kSlaBreached = "sla_breached";

// One escalation (an sla_breached event) as it arrives: sequence, time, line, the state it is
// stuck in, whom it waits on and how long overdue it was when escalated ("overdue 3d 4h").
std::string escalation_line(const zbb::v1::RecordedEvent& event);

// The outcome of a command: "L-1: approval.awaiting_decision, waiting on approver:x, version 7
// (event #42)", and a note when the server answered a retry with the first result.
std::string command_result_line(const zbb::v1::CommandResponse& response);

}  // namespace zbb::cli
