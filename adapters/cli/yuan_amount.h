#pragma once

#include <string_view>

#include "engine/money.h"
#include "engine/status.h"

namespace zbb::cli {

// An amount in yuan as people write it → fen, exactly (no floating point): digits, optionally
// grouped by commas in threes ("1,250,000"), optionally a point and one or two decimals
// ("1,234.5", "0.01"). Refuses with INVALID_ARGUMENT (reason in the message) a sign,
// a third decimal, misplaced commas, anything else, and amounts beyond an int64 of fen.
Result<Fen> parse_yuan(std::string_view text);

}  // namespace zbb::cli
