#include "workflows/role_rules.h"

#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "workflows/waiting_on.h"

namespace zbb::review {
namespace {

constexpr std::string_view kIntegratorRole = "integrator";
// An assessor from outside the bureau's staff (事前绩效评估 by experts): records assessments only.
constexpr std::string_view kExpertRole = "expert";
constexpr std::string_view kEveryReader =
    "reviewer, approver:<level>, supervisor, integrator, expert or evaluator";

template <typename T, typename... Alternatives>
constexpr bool is_one_of = (std::is_same_v<T, Alternatives> || ...);

// The roles any one of which may send `action` to a line of `department`.
std::vector<std::string> allowed_roles(const Action& action, const std::string& department) {
  const std::string unit = unit_role(department);
  const std::string reviewer(kReviewerRole);
  const std::string integrator(kIntegratorRole);
  const std::string zbb(Principal::kZbbRole);
  return std::visit(
      [&](const auto& event) -> std::vector<std::string> {
        using T = std::decay_t<decltype(event)>;
        if constexpr (std::is_same_v<T, CreateLine>) {
          return {unit, integrator};
        } else if constexpr (is_one_of<T, ReviseLine, SubmitLine, WithdrawLine, ProposeAdjustment,
                                       BeginEvaluation, SubmitSelfEvaluation, SubmitRectification,
                                       RestateTargets, AnswerCorrection>) {
          return {unit};
        } else if constexpr (is_one_of<T, StartTargetReview, ReviewTargets, ScorePriority, FundLine,
                                       CloseLine, ReviewRectification, ReviewRestatedTargets,
                                       ReviewCorrection, SelectFocusedEvaluation,
                                       ReviewEvaluation>) {
          return {reviewer};
        } else if constexpr (std::is_same_v<T, SubmitFocusedEvaluation>) {
          return {std::string(kEvaluatorRole)};
        } else if constexpr (is_one_of<T, DecideApproval, DecideAdjustment>) {
          return {std::string(kApproverRolePrefix) + event.level()};
        } else if constexpr (std::is_same_v<T, RecordAssessment>) {
          return {reviewer, std::string(kExpertRole)};
        } else if constexpr (std::is_same_v<T, RecordSpending>) {
          return {integrator};
        } else if constexpr (std::is_same_v<T, RecordIndicatorProgress>) {
          return {integrator, unit};
        } else {
          static_assert(std::is_same_v<T, RunCheckpoint>, "every action needs a rule");
          return {reviewer, integrator, zbb};  // zbb: the scheduled monitoring round
        }
      },
      action);
}

// A line being created has no state yet, whatever id it is to have.
std::string on_line(const BudgetLine& line) {
  return line.state().empty() ? "on a new line" : "on line " + line.id();
}

}  // namespace

std::string joined(const std::vector<std::string>& items, std::string_view last_separator) {
  std::string text;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) text += i + 1 == items.size() ? std::string(last_separator) : ", ";
    text += items[i];
  }
  return text;
}

bool is_pure_unit(const Principal& principal) {
  for (const auto& role : principal.roles)
    if (!role.starts_with(kUnitRolePrefix)) return false;
  return true;
}

Status LineReadableBy(const Principal& principal, const BudgetLine& line) {
  if (!is_pure_unit(principal) || principal.has_role(unit_role(line.content().department())))
    return Status::Ok();
  return Status::PermissionDenied(
      principal.name + " may not read line " + line.id() + ": it belongs to department " +
      quote_cut(line.content().department()) + "; needs role " +
      unit_role(line.content().department()) + ", " + std::string(kEveryReader));
}

Status LineVisibleTo(const Principal& principal, const BudgetLine& line) {
  if (LineReadableBy(principal, line).ok()) return Status::Ok();
  return Status::NotFound("line " + line.id() + " not found");
}

Status SenderHoldsRole(const Principal& principal, const Action& action, const BudgetLine& line) {
  const std::string& department = std::holds_alternative<CreateLine>(action)
                                      ? std::get<CreateLine>(action).content().department()
                                      : line.content().department();
  const std::vector<std::string> allowed = allowed_roles(action, department);
  for (const auto& role : allowed)
    if (principal.has_role(role)) return Status::Ok();
  const bool any_level = allowed.size() == 1 && allowed.front() == kApproverRolePrefix;
  // A decision without a level on a line that waits on no level: any approver may hear that
  // the line's state takes no decision.
  if (any_level)
    for (const auto& role : principal.roles)
      if (role.starts_with(kApproverRolePrefix)) return Status::Ok();
  // zbb's own role is no one else's to ask for.
  std::vector<std::string> named;
  for (const auto& role : allowed)
    if (role != Principal::kZbbRole) named.push_back(role);
  return Status::PermissionDenied(principal.name + " may not " + std::string(action_type(action)) +
                                  " " + on_line(line) + ": needs role " +
                                  (any_level ? "approver:<level>" : joined(named, " or ")));
}

Status DecisionNamesAwaitedLevel(const BudgetLine& line, Action& action) {
  std::string* level = nullptr;
  if (auto* decide = std::get_if<DecideApproval>(&action)) level = decide->mutable_level();
  if (auto* decide = std::get_if<DecideAdjustment>(&action)) level = decide->mutable_level();
  if (level == nullptr) return Status::Ok();
  if (level->starts_with(kApproverRolePrefix)) level->erase(0, kApproverRolePrefix.size());
  const std::string_view waiting_on = line.waiting_on();
  if (!waiting_on.starts_with(kApproverRolePrefix)) return Status::Ok();
  const std::string awaited(waiting_on.substr(kApproverRolePrefix.size()));
  if (level->empty()) {
    *level = awaited;
  } else if (*level != awaited) {
    return Status::InvalidArgument("level", "line " + line.id() + " waits on level " + awaited +
                                                " (role " + std::string(waiting_on) + "), not " +
                                                quote_cut(*level));
  }
  return Status::Ok();
}

}  // namespace zbb::review
