#pragma once

// What a principal may read and run beyond one line's events, decided at the gRPC edge: reading
// lines, listings, the event stream, audits, rankings and monitoring rounds. Who may send which
// event to a line is the workflow's to decide (workflows/role_rules.h), in the engine.
//
// Roles: "unit:<department>" acts on its own department's lines; "reviewer" runs target review,
// funding and closing; "approver:<level>" decides at that level of an approval or adjustment
// chain; "supervisor" reads everything; "integrator" (finance systems) creates lines and pushes
// execution data; "expert" records prior assessments; "evaluator" (a third party) submits
// focused evaluations.

#include <string>
#include <vector>

#include "adapters/grpc/principal.h"
#include "engine/budget_line.h"
#include "engine/commands.h"
#include "engine/status.h"
#include "engine/store.h"

namespace zbb::api {

// OK when `principal` may see `line`: supervisors, reviewers, approvers and integrators see every
// line, a unit only its own departments' lines.
Status authorize_read(const Principal& principal, const BudgetLine& line);

// Whether `principal` reads every department's lines, pools and reports (it has a role that is
// not a unit's).
bool reads_every_department(const Principal& principal);

// OK unless `principal` has only unit roles: the event stream carries every department's events.
Status authorize_watch(const Principal& principal);

// Verifying the audit trail: supervisors.
Status authorize_audit(const Principal& principal);

// Ranking lines and applying the result: reviewers.
Status authorize_ranking(const Principal& principal);

// A monitoring round over many lines: reviewers and integrators, as for one line's checkpoint.
Status authorize_monitoring(const Principal& principal);

// Confines a listing to what `principal` may read. Readers of everything keep `filter` as is. A
// unit's filter gets its department, or keeps the one it names if that is one of the unit's;
// PERMISSION_DENIED when it names another department, or names none while the principal is the
// unit of several.
Status restrict_listing(const Principal& principal, LineFilter& filter);

// The department a request about one department (supervision, pools, reports) may cover: a unit
// is held to its own, as restrict_listing holds a listing; everyone else may ask about any ("":
// every department, or the county).
Result<std::string> readable_department(const Principal& principal, const std::string& department);

// The roles whose waiting lines form this principal's work queue (matched against
// BudgetLine::waiting_on): its unit:, reviewer and approver: roles, in the order it holds them.
std::vector<std::string> queue_roles(const Principal& principal);

}  // namespace zbb::api
