#pragma once

// Reads of line_versions (schema version 10): every line as each command left it, for reads as
// of a time.

#include <optional>
#include <string>
#include <vector>

#include "engine/budget_line.h"
#include "engine/clock.h"
#include "engine/store.h"

namespace soci {
class session;
}

namespace zbb::sql {

// The line's latest version kept at or before `at`; nullopt when none is that old. DATA_LOSS
// when its document does not parse.
Result<std::optional<BudgetLine>> line_as_of(soci::session& session, const std::string& line_id,
                                             Timestamp at);

// LineLog::lines_as_of: from `lines` by its year and department, each line's version at `at`
// one lookup of line_versions' primary key.
Result<std::vector<LineAsOf>> lines_as_of(soci::session& session, Timestamp at,
                                          const LineFilter& filter, const std::string& after_id,
                                          std::size_t limit);

}  // namespace zbb::sql
