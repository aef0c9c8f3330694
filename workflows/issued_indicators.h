#pragma once

// The indicator targets issued with a line's budget: the line's own indicators and those of the
// decision packages it was funded with (each package may carry indicators of its own: what it
// delivers beyond the packages below it). Monitoring and evaluation measure these; progress,
// final actuals and revised targets name one of them.

#include <string>
#include <vector>

#include "engine/budget_line.h"
#include "engine/status.h"

namespace zbb::review {

// The levels of the decision packages the line was funded with, lowest first: those its ranking
// funded (placement.funded_levels); funded without a ranking, the minimum package and each next
// one the funded amount covers together with those below it. Empty for a line without packages
// or not funded yet.
std::vector<IncrementLevel> funded_levels(const BudgetLine& line);

// The funded levels whose packages `approved` covers in full with those below them, lowest first;
// the minimum package always (the line runs on it whatever it was granted).
std::vector<IncrementLevel> levels_covered(const BudgetLine& line, Fen approved);

// The levels whose targets were issued with the budget: the line's issued_levels, recorded when
// its last approval level approved; before that (and for a line approved before zbb recorded
// them), its funded levels.
std::vector<IncrementLevel> issued_levels(const BudgetLine& line);

// The issued packages that carry indicators, lowest first, with their indicators.
std::vector<PackageTargets> issued_package_targets(const BudgetLine& line);

// Every indicator issued with the budget: the line's own, then its issued packages', lowest
// package first.
std::vector<const Indicator*> issued_indicators(const BudgetLine& line);

// The issued quantitative indicator called `name`, to report on or to revise. INVALID_ARGUMENT on
// `field` when the line has no indicator of that name, when it is qualitative, or when it belongs
// to a package whose targets were not issued.
Result<Indicator*> find_issued_indicator(BudgetLine& line, const std::string& name,
                                         const std::string& field);
Result<const Indicator*> find_issued_indicator(const BudgetLine& line, const std::string& name,
                                               const std::string& field);

}  // namespace zbb::review
