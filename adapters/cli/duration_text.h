#pragma once

// Spans of time as people type and read them: "20d", "36h", "90m" in; "3d 4h" out.

#include <chrono>
#include <string>
#include <string_view>

#include "engine/status.h"

namespace zbb::cli {

// A span typed by a person → seconds: a whole number and a unit, d (days), h, m or s ("20d",
// "36h", "90m"), or several such from days down to seconds, each unit once ("1d12h"). Refuses
// with INVALID_ARGUMENT (reason in the message) an empty text, a sign or a fraction, a number
// without a unit, an unknown unit, and spans longer than ten years (3,660 days).
Result<std::chrono::seconds> parse_span(std::string_view text);

// A span for people, in its two largest units, truncated: "3d 4h", "5h 12m", "12m", "45s";
// a negative span is the same with a minus sign, "-2d 3h".
std::string format_span(std::chrono::milliseconds span);

}  // namespace zbb::cli
