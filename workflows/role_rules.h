#pragma once

// Who may send which event to a line: the role rules of the zero-based review, beside the
// segregation-of-duties guards of the machine (line_rules.h). The workflow checks them when the
// engine admits an action, before the machine judges the event against the line's state, so a
// caller without the role hears PERMISSION_DENIED whatever state the line is in.
//
// Roles: "unit:<department>" acts on its own department's lines; "reviewer" runs target review,
// funding and closing; "approver:<level>" decides at that level of an approval or adjustment
// chain; "integrator" (finance systems) creates lines and pushes execution data; "zbb" is zbb
// itself (escalations, scheduled rounds); "supervisor" reads only; "expert" (an assessor from
// outside the bureau's staff) records prior assessments and reads as the other non-unit roles do;
// "evaluator" (a third party, 第三方机构) submits focused evaluations and reads likewise.

#include <string>
#include <string_view>
#include <vector>

#include "engine/budget_line.h"
#include "engine/commands.h"
#include "engine/principal.h"
#include "engine/status.h"

namespace zbb::review {

// "a, b or c": roles (or any names) as a message lists them.
std::string joined(const std::vector<std::string>& items, std::string_view last_separator);

// A principal all of whose roles are units': it may see its own departments' lines only.
bool is_pure_unit(const Principal& principal);

// OK when `principal` may see `line`: everyone but a pure unit, and the unit of its department.
// PERMISSION_DENIED naming the roles that may.
Status LineReadableBy(const Principal& principal, const BudgetLine& line);

// A line a caller may not see is, to that caller, a line that does not exist: NOT_FOUND, the
// same words as for an unknown id.
Status LineVisibleTo(const Principal& principal, const BudgetLine& line);

// OK when `principal` holds a role that may send `action` to `line` (of `department`: the
// line's, or for a creation the content's), else PERMISSION_DENIED "<name> may not <event> on
// line <id>: needs role …".
Status SenderHoldsRole(const Principal& principal, const Action& action, const BudgetLine& line);

// A decision names the level it decides at as the policy does ("department_head") or as the
// role does ("approver:department_head"), or not at all: the level the line waits on, filled in
// here. Any other level is INVALID_ARGUMENT "level" naming the level awaited — before the
// caller's role is judged against it; the machine still judges the decision against the state.
Status DecisionNamesAwaitedLevel(const BudgetLine& line, Action& action);

}  // namespace zbb::review
