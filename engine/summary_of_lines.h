#pragma once

#include <vector>

#include "engine/budget_line.h"
#include "engine/status.h"
#include "engine/supervision.h"

namespace zbb {

// The groups Summarize answers, computed from the lines themselves rather than the store's
// per-group totals (for lines as they stood at a time): one group per key with a line, ordered
// by key; each group's oldest the active line (one with a due time) that entered its state
// first, ties by id. INTERNAL when a sum goes beyond int64, as the store's totals refuse it.
Result<std::vector<SummaryGroup>> summarize_lines(const std::vector<BudgetLine>& lines,
                                                  SummaryGrouping grouping);

}  // namespace zbb
