#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/recorded_event.h"

namespace zbb::cli {

// One line for people on what an event decided, from its payload: "approve 1,250,000.00 yuan at
// department_head — 同意", "red: execution rate 0.00% lags…". Events of either encoding; a
// payload this zbbctl cannot read gives "".
std::string summarize_event(const RecordedEvent& event);

// What an sla_breached event says of the state visit it escalated; unset what the payload does
// not say.
struct Escalation {
  std::string state;
  std::string waiting_on;
  std::optional<std::int64_t> overdue_ms;
};
Escalation escalation_of(const RecordedEvent& event);

}  // namespace zbb::cli
