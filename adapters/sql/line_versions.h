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

// Each line of `filter`'s fiscal year and department (its other criteria unused) at its latest
// version kept at or before `at`, by id. Reads the index of versions by time once and one
// document per line answered.
Result<std::vector<BudgetLine>> lines_as_of(soci::session& session, Timestamp at,
                                            const LineFilter& filter);

}  // namespace zbb::sql
