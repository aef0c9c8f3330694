#pragma once

#include <string>

#include "engine/budget_line.h"
#include "workflows/policy.pb.h"

namespace zbb::review {

// Role names, as the API's tokens carry them.
inline constexpr std::string_view kReviewerRole = "reviewer";
// The third party (第三方机构) that carries out focused evaluations.
inline constexpr std::string_view kEvaluatorRole = "evaluator";
inline constexpr std::string_view kUnitRolePrefix = "unit:";
// The role of an approval or adjustment level: "approver:<level name>".
inline constexpr std::string_view kApproverRolePrefix = "approver:";

std::string unit_role(const std::string& department);

// The role a line in its current state waits on: the unit of its department while it is the
// unit's move (draft, revision, execution, self-evaluation), "reviewer" for target review,
// ranking, finance's review and closing and an answered correction in execution, the evaluator
// for a focused evaluation, the awaited level's role during approval and adjustment; empty when
// the line is terminal.
std::string waiting_on(const BudgetLine& line, const zbb::policy::WorkflowPolicy& policy);

}  // namespace zbb::review
