#pragma once

// A department's year in one report (部门整体支出绩效评价, seed 002's "部门整体支出评价"): its
// lines, money, execution, evaluation grades, warnings, corrections and unspent money, with an
// overall score under the policy's department_evaluation weights.

#include <vector>

#include "engine/budget_line.h"
#include "workflows/policy.pb.h"
#include "zbb/v1/query.pb.h"

namespace zbb::review {

// The report of `department`'s lines of `fiscal_year` (`lines`: those and no others), scored under
// `policy` (the current one): no overall score when it names no department_evaluation weights or
// when no line has a budget.
zbb::v1::DepartmentReport department_report(const std::vector<BudgetLine>& lines,
                                            const zbb::policy::WorkflowPolicy& policy,
                                            int fiscal_year, const std::string& department);

}  // namespace zbb::review
