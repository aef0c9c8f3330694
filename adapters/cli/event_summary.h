#pragma once

#include <string>

#include "engine/recorded_event.h"

namespace zbb::cli {

// One line for people on what an event decided, from its payload: "approve 1,250,000.00 yuan at
// department_head — 同意", "red: execution rate 0.00% lags…".
std::string summarize_event(const RecordedEvent& event);

}  // namespace zbb::cli
