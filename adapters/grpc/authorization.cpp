#include "adapters/grpc/authorization.h"

#include <string_view>
#include <type_traits>
#include <variant>

#include "workflows/waiting_on.h"

namespace zbb::api {
namespace {

using review::kReviewerRole;
using review::kUnitRolePrefix;
using review::unit_role;

using review::kApproverRolePrefix;
constexpr std::string_view kApproverPrefix = kApproverRolePrefix;
constexpr std::string_view kIntegratorRole = "integrator";
constexpr std::string_view kEveryReader = "reviewer, approver:<level>, supervisor or integrator";

bool is_unit_role(std::string_view role) { return role.starts_with(kUnitRolePrefix); }

// A principal all of whose roles are unit roles: it may see its own departments only.
bool is_pure_unit(const Principal& principal) {
  for (const auto& role : principal.roles)
    if (!is_unit_role(role)) return false;
  return true;
}

std::vector<std::string> unit_departments(const Principal& principal) {
  std::vector<std::string> departments;
  for (const auto& role : principal.roles)
    if (is_unit_role(role)) departments.push_back(role.substr(kUnitRolePrefix.size()));
  return departments;
}

std::string joined(const std::vector<std::string>& items, std::string_view last_separator) {
  std::string text;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) text += i + 1 == items.size() ? std::string(last_separator) : ", ";
    text += items[i];
  }
  return text;
}

template <typename T, typename... Alternatives>
constexpr bool is_one_of = (std::is_same_v<T, Alternatives> || ...);

// The roles any one of which may send `action` to a line of `department`.
std::vector<std::string> allowed_roles(const Action& action, const std::string& department) {
  const std::string unit = unit_role(department);
  const std::string reviewer(kReviewerRole);
  const std::string integrator(kIntegratorRole);
  return std::visit(
      [&](const auto& event) -> std::vector<std::string> {
        using T = std::decay_t<decltype(event)>;
        if constexpr (std::is_same_v<T, CreateLine>) {
          return {unit, integrator};
        } else if constexpr (is_one_of<T, ReviseLine, SubmitLine, WithdrawLine, ProposeAdjustment,
                                       BeginEvaluation, SubmitSelfEvaluation>) {
          return {unit};
        } else if constexpr (is_one_of<T, StartTargetReview, ReviewTargets, ScorePriority, FundLine,
                                       CloseLine>) {
          return {reviewer};
        } else if constexpr (is_one_of<T, DecideApproval, DecideAdjustment>) {
          return {std::string(kApproverPrefix) + event.level};
        } else if constexpr (std::is_same_v<T, RecordSpending>) {
          return {integrator};
        } else if constexpr (is_one_of<T, ExpectReallocation, ReceiveReallocation,
                                       CancelReallocation, RecordSlaBreach>) {
          return {};  // written by zbb itself (reallocations, escalations), never sent by anyone
        } else if constexpr (std::is_same_v<T, RecordIndicatorProgress>) {
          return {integrator, unit};
        } else {
          static_assert(std::is_same_v<T, RunCheckpoint>, "every action needs a rule");
          return {reviewer, integrator};
        }
      },
      action);
}

std::string on_line(const BudgetLine& line) {
  return line.id.empty() ? "on a new line" : "on line " + line.id;
}

}  // namespace

Status authorize_action(const Principal& principal, const Action& action, const BudgetLine& line) {
  const std::string& department = std::holds_alternative<CreateLine>(action)
                                      ? std::get<CreateLine>(action).content.department
                                      : line.content.department;
  const std::vector<std::string> allowed = allowed_roles(action, department);
  for (const auto& role : allowed)
    if (principal.has_role(role)) return Status::Ok();
  // A decision without a level on a line that waits on no level: any approver may hear that
  // the line's state takes no decision.
  if (allowed.size() == 1 && allowed.front() == kApproverPrefix)
    for (const auto& role : principal.roles)
      if (role.starts_with(kApproverPrefix)) return Status::Ok();
  if (allowed.empty())
    return Status::PermissionDenied(std::string(action_type(action)) +
                                    " is recorded by zbb itself, never sent");
  const bool any_level = allowed.size() == 1 && allowed.front() == kApproverPrefix;
  return Status::PermissionDenied(principal.name + " may not " + std::string(action_type(action)) +
                                  " " + on_line(line) + ": needs role " +
                                  (any_level ? "approver:<level>" : joined(allowed, " or ")));
}

Status authorize_read(const Principal& principal, const BudgetLine& line) {
  if (!is_pure_unit(principal) || principal.has_role(unit_role(line.content.department))) {
    return Status::Ok();
  }
  return Status::PermissionDenied(
      principal.name + " may not read line " + line.id + ": it belongs to department " +
      quote_cut(line.content.department) + "; needs role " + unit_role(line.content.department) +
      ", " + std::string(kEveryReader));
}

Status authorize_watch(const Principal& principal) {
  if (!is_pure_unit(principal)) return Status::Ok();
  return Status::PermissionDenied(principal.name +
                                  " may not watch events: the stream carries every department's "
                                  "lines; needs role " +
                                  std::string(kEveryReader));
}

Status restrict_listing(const Principal& principal, LineFilter& filter) {
  if (!is_pure_unit(principal)) return Status::Ok();
  const std::vector<std::string> departments = unit_departments(principal);
  if (departments.empty()) {
    return Status::PermissionDenied(principal.name + " may not list lines: needs role " +
                                    "unit:<department>, " + std::string(kEveryReader));
  }
  if (filter.department.empty()) {
    if (departments.size() == 1) {
      filter.department = departments.front();
      return Status::Ok();
    }
    return Status::PermissionDenied(principal.name +
                                    " may list only its own departments' lines: name one of your "
                                    "departments (" +
                                    joined(departments, ", ") + ")");
  }
  for (const auto& department : departments)
    if (department == filter.department) return Status::Ok();
  return Status::PermissionDenied(principal.name + " may not list lines of department " +
                                  quote_cut(filter.department) + ": it may list only " +
                                  joined(departments, ", "));
}

Status authorize_audit(const Principal& principal) {
  if (principal.has_role("supervisor")) return Status::Ok();
  return Status::PermissionDenied(principal.name +
                                  " may not verify the audit trail: needs role supervisor");
}

Status authorize_ranking(const Principal& principal) {
  if (principal.has_role(kReviewerRole)) return Status::Ok();
  return Status::PermissionDenied(principal.name + " may not rank lines: needs role reviewer");
}

Status authorize_monitoring(const Principal& principal) {
  if (principal.has_role(kReviewerRole) || principal.has_role(kIntegratorRole)) return Status::Ok();
  return Status::PermissionDenied(principal.name +
                                  " may not run monitoring: needs role reviewer or integrator");
}

std::vector<std::string> queue_roles(const Principal& principal) {
  std::vector<std::string> roles;
  for (const auto& role : principal.roles) {
    if (is_unit_role(role) || role == kReviewerRole || role.starts_with(kApproverPrefix)) {
      roles.push_back(role);
    }
  }
  return roles;
}

Result<std::string> readable_department(const Principal& principal, const std::string& department) {
  LineFilter filter;
  filter.department = department;
  ZBB_RETURN_IF_ERROR(restrict_listing(principal, filter));
  return filter.department;
}

bool reads_every_department(const Principal& principal) { return !is_pure_unit(principal); }

}  // namespace zbb::api
