#pragma once

#include <vector>

#include "engine/budget_line.h"
#include "engine/store.h"
#include "workflows/policy.pb.h"

// Copied justifications: a request that restates another line's necessity statement or cost
// breakdown instead of arguing its need afresh ("不以上年为基数").
namespace zbb::review {

// The parts of `line`'s justification (necessity statement, cost breakdown) at least
// `rule.threshold_percent` similar to the same part of one of its department's lines of the
// fiscal year before, of its programme or another, each with the line it resembles most (the
// most similar; of equals, the programme's own line, then the lowest id). None when the rule's
// threshold is 0. Costs one reading of the department's lines of that year.
Result<std::vector<CopiedText>> copied_parts(const BudgetLine& line, LineLog& lines,
                                             const zbb::policy::CopiedJustification& rule);

// The lines a submission's justification is compared with: the department's of the fiscal year
// before the request's, whatever their programme (a justification carried over from last year
// under a new programme code is as much a copy).
LineFilter department_lines_of_year_before(const LineContent& content);

// A policy that refuses copies refuses a submission of `line` with a copied part: INVALID_ARGUMENT
// naming the first one (and its programme, when another). Otherwise copies are only flagged.
Status JustificationNotCopied(const BudgetLine& line, const zbb::policy::CopiedJustification& rule,
                              const std::vector<CopiedText>& copied);

}  // namespace zbb::review
