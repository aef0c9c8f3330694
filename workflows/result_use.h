#pragma once

#include <optional>

#include "engine/budget_line.h"
#include "engine/store.h"
#include "workflows/policy.pb.h"

// Result use: last year's evaluation of a programme follows it into this year's request.
namespace zbb::review {

// The same programme's lines (of the same department: a programme belongs to its department) in
// the fiscal year before `content`'s: what result use and the copy rule read.
LineFilter programme_lines_of_year_before(const LineContent& content);

// The evaluated line of the programme in the fiscal year before `content`'s (the latest
// evaluated, if there are several) and what `policy` makes of its grade; nullopt when the
// programme was not evaluated last year.
Result<std::optional<PriorResult>> prior_result(const LineContent& content, Store& store,
                                                const zbb::policy::WorkflowPolicy& policy);

// A flagged request is funded at most up to its ceiling.
Status FundedWithinCeiling(const BudgetLine& line, Fen amount);

}  // namespace zbb::review
