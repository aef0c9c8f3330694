#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/clock.h"
#include "engine/money.h"

namespace zbb {

// What supervisors ask of the store: which lines are stuck, and the figures of a dashboard.
// Every line in an active state has a due time (its SLA); terminal lines have none.

// Where a page of stuck lines ended: the sort key and id of its last line.
struct StuckCursor {
  std::int64_t key_ms = 0;  // due time, or time the state was entered for an age query
  std::string line_id;

  bool operator==(const StuckCursor&) const = default;
};

// Lines past their due time at `now` — or, with `min_age`, lines that entered their state at
// least that long before `now`, due or not. Unset criteria match every line.
struct StuckQuery {
  Timestamp now = {};
  std::optional<std::chrono::milliseconds> min_age = std::nullopt;
  std::optional<int> fiscal_year = std::nullopt;
  std::string department = {};
  std::string state = {};
  std::string waiting_on = {};
  std::optional<StuckCursor> after = std::nullopt;  // the cursor of the previous page
  std::size_t limit = 100;
};

// One stuck line, most overdue (or oldest, for an age query) first.
struct StuckLine {
  std::string line_id;
  int fiscal_year = 0;
  std::string department;
  std::string state;
  std::string waiting_on;
  Timestamp state_entered_at;
  Timestamp due_at;
  Fen requested_amount = 0;
  Fen approved_amount = 0;
  bool escalated = false;  // sla_breached already recorded in this state visit

  bool operator==(const StuckLine&) const = default;
};

enum class SummaryGrouping { kState, kDepartment, kWaitingOn, kWarningLevel };

struct SummaryQuery {
  SummaryGrouping group_by = SummaryGrouping::kState;
  std::optional<int> fiscal_year = std::nullopt;
  std::string department = {};
};

// The line of a group that has waited longest in its current (active) state.
struct OldestItem {
  std::string line_id;
  std::string state;
  Timestamp state_entered_at;
  Timestamp due_at;

  bool operator==(const OldestItem&) const = default;
};

// Lines of one group and their money. `key` is the state, department, waited-on role or
// warning level ("" for a line without one: terminal, or never monitored).
struct SummaryGroup {
  std::string key;
  std::int64_t lines = 0;
  std::int64_t escalated = 0;  // lines escalated in their current state visit
  Fen requested = 0;           // sums kept by the store; a sum beyond int64 is refused as INTERNAL
  Fen approved = 0;
  Fen spent = 0;
  std::optional<OldestItem> oldest;  // none when no line of the group is active

  bool operator==(const SummaryGroup&) const = default;
};

// An active line whose due time has passed and that was not yet escalated in its state visit.
struct DueLine {
  std::string line_id;
  std::int64_t version = 0;
  std::string state;
  Timestamp due_at;

  bool operator==(const DueLine&) const = default;
};

std::string_view to_string(SummaryGrouping grouping);

}  // namespace zbb
