#include "adapters/grpc/authorization.h"

#include <string_view>

#include "workflows/role_rules.h"
#include "workflows/waiting_on.h"

namespace zbb::api {
namespace {

using review::kReviewerRole;
using review::kUnitRolePrefix;
using review::unit_role;

using review::kApproverRolePrefix;
constexpr std::string_view kApproverPrefix = kApproverRolePrefix;
constexpr std::string_view kIntegratorRole = "integrator";
constexpr std::string_view kEveryReader =
    "reviewer, approver:<level>, supervisor, integrator, expert or evaluator";

bool is_unit_role(std::string_view role) { return role.starts_with(kUnitRolePrefix); }

using review::is_pure_unit;

std::vector<std::string> unit_departments(const Principal& principal) {
  std::vector<std::string> departments;
  for (const auto& role : principal.roles)
    if (is_unit_role(role)) departments.push_back(role.substr(kUnitRolePrefix.size()));
  return departments;
}

using review::joined;

}  // namespace

Status authorize_read(const Principal& principal, const BudgetLine& line) {
  return review::LineReadableBy(principal, line);
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
