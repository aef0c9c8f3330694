#pragma once

// Targets follow the money ("确保资源与目标相匹配"): a line the last approval level grants less
// than its request restates its indicator targets for the money approved, and a reviewer
// accepts them before it executes; evaluation then measures against the targets issued.

#include "engine/budget_line.h"
#include "engine/commands.h"
#include "engine/status.h"

namespace zbb::review {

// Whether the line, approved at `approved`, restates its targets: less than it requested.
bool restates_targets(const BudgetLine& line, Fen approved);

// Opens the restatement of a line approved at `approved`: the request's indicators and its funded
// packages' kept, due.
void open_restatement(BudgetLine& line, Fen approved);

// Guard: the restatement names the request's indicators — same name, levels, unit, direction
// and kind, in the same order — changing quantitative targets only, and the same of the funded
// packages' indicators, package by package. INVALID_ARGUMENT naming the indicator
// ("indicators", "packages" or "packages[i].indicators" for another count).
Status RestatedLikeRequested(const BudgetLine& line, const RestateTargets& restated);

// Issues the accepted restatement with the budget: the line's indicators and its issued packages'
// take the restated targets.
void issue_restated_targets(BudgetLine& line);

}  // namespace zbb::review
