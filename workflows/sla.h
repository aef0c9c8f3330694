#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "engine/budget_line.h"
#include "engine/clock.h"
#include "engine/status.h"
#include "workflows/policy.pb.h"

namespace zbb::review {

// "YYYY-MM-DD" as a valid calendar date; nullopt for anything else.
std::optional<std::chrono::year_month_day> parse_calendar_date(std::string_view text);

// The policy's SLA calendar is usable: valid, distinct dates, worked weekends on weekends.
// INVALID_ARGUMENT names the field within sla_calendar.
Status check_sla_calendar(const zbb::policy::SlaCalendar& calendar);

// When a line that entered `state` at `entered` is due to have moved on, under the policy's
// sla_days and calendar; nullopt for a state without an SLA (a terminal state).
std::optional<Timestamp> sla_due(const zbb::policy::WorkflowPolicy& policy, std::string_view state,
                                 Timestamp entered);

// `days` after `entered`, counted as sla_days are: calendar days, or working days of the
// policy's SLA calendar.
Timestamp due_after_days(const zbb::policy::WorkflowPolicy& policy, std::uint32_t days,
                         Timestamp entered);

// Whether `line` may be escalated now for its visit of `state`: it is still in that state, its
// due time has passed and it was not yet escalated in this visit. FAILED_PRECONDITION says why
// not.
Status sla_breach_allowed(const BudgetLine& line, std::string_view state, Timestamp now);

}  // namespace zbb::review
