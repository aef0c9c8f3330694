#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/budget_line.h"
#include "engine/status.h"
#include "engine/supervision.h"

namespace zbb {

// The groups Summarize answers, added up from the lines themselves rather than the store's
// per-group totals (for lines as they stood at a time), a line at a time: one group per key with
// a line, ordered by key; each group's oldest the active line (one with a due time) that entered
// its state first, ties by id.
class SummaryOfLines {
 public:
  explicit SummaryOfLines(SummaryGrouping grouping) : grouping_(grouping) {}

  // INTERNAL when a sum goes beyond int64, as the store's totals refuse it.
  Status add(const BudgetLine& line);
  std::vector<SummaryGroup> groups() const;

 private:
  SummaryGrouping grouping_;
  std::map<std::string, SummaryGroup> groups_;
};

// The same over `lines` at once.
Result<std::vector<SummaryGroup>> summarize_lines(const std::vector<BudgetLine>& lines,
                                                  SummaryGrouping grouping);

}  // namespace zbb
