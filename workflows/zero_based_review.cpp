#include "workflows/zero_based_review.h"

#include <fmt/format.h>

#include "workflows/copied_justification.h"
#include "workflows/correction.h"
#include "workflows/library_rules.h"
#include "workflows/line_rules.h"
#include "workflows/prior_assessment.h"
#include "workflows/result_use.h"
#include "workflows/review_machine.h"
#include "workflows/role_rules.h"
#include "workflows/sla.h"
#include "workflows/waiting_on.h"

namespace zbb::review {

Status ZeroBasedReview::admit(const BudgetLine& line, Action& action, const Principal& principal,
                              Store& store) const {
  if (!std::holds_alternative<CreateLine>(action))
    ZBB_RETURN_IF_ERROR(LineVisibleTo(principal, line));
  ZBB_RETURN_IF_ERROR(DecisionNamesAwaitedLevel(line, action));
  ZBB_RETURN_IF_ERROR(SenderHoldsRole(principal, action, line));
  // An assessment, and a focused evaluation, judge a department's line from outside it.
  if ((std::holds_alternative<RecordAssessment>(action) ||
       std::holds_alternative<SubmitFocusedEvaluation>(action)) &&
      principal.has_role(unit_role(line.content().department())))
    return Status::PermissionDenied(
        fmt::format("{} may not {} line {}: it belongs to its own department {}", principal.name,
                    std::holds_alternative<RecordAssessment>(action) ? "assess" : "evaluate",
                    line.id(), line.content().department()));
  // A reallocation's receiving line is one the caller may know of; whether it may receive the
  // money (its department, its state) is the machine's to judge.
  if (const auto* proposal = std::get_if<ProposeAdjustment>(&action);
      proposal != nullptr && proposal->kind() == zbb::v1::ADJUSTMENT_KIND_REALLOCATE) {
    auto target = store.load_line(proposal->target_line());
    if (!target.ok() || !LineVisibleTo(principal, *target->line).ok())
      return Status::NotFound("line " + proposal->target_line() + " not found");
  }
  return Status::Ok();
}

namespace {

// Feeds `event` (an Action or a FollowUp) to the line's machine under the line's own policy.
template <typename Event>
Result<LineChange> run_machine(const PolicySet& policies, const BudgetLine& line,
                               const Event& event, const AddedByZbb& added, std::string_view type,
                               const Principal& principal, Timestamp now) {
  // A new line runs under the current policy; an existing one under the version it recorded.
  const auto* policy =
      line.state().empty() ? &policies.current() : policies.find(line.policy_version());
  if (policy == nullptr)
    return Status::FailedPrecondition(
        fmt::format("line {} runs under policy version {}, which is not loaded", line.id(),
                    line.policy_version()));

  BudgetLine next = line;
  ReviewMachine machine(next, *policy, principal.name, now, type, added);
  machine.initiate();
  machine.process_event(Restore(line.state()));
  if (!machine.error.ok()) return machine.error;
  std::visit([&](const auto& e) { machine.process_event(On<std::decay_t<decltype(e)>>(e)); },
             event);
  if (!machine.error.ok()) return machine.error;

  next.set_state(std::string(machine.state_id()));
  next.set_waiting_on(waiting_on(next, *policy));
  // A new state visit, or someone new waited on within it (the unit owing a rectification report
  // while awaiting ranking): its own SLA clock, and a new escalation once it passes. While the
  // line executes, an open correction's step is due on its own deadline instead; the correction
  // moving on changes only that, within the state visit.
  if (next.state() != line.state() || machine.wait_restarted ||
      (next.waiting_on() != line.waiting_on() && !machine.correction_moved)) {
    *next.mutable_state_entered_at() = to_proto(now);
    set_due_at(next, correction_due(*policy, next, sla_due(*policy, next.state(), now)));
    next.set_sla_breached(false);
  } else if (machine.correction_moved) {
    const auto due = correction_due(
        *policy, next, sla_due(*policy, next.state(), from_proto(next.state_entered_at())));
    if (due != due_at(line)) {
      set_due_at(next, due);
      // A new deadline still to come may be escalated once more; one already past (the state's
      // own, back after an accepted correction) keeps the escalation it had.
      if (due && *due > now) next.set_sla_breached(false);
    }
  }
  for (auto& decided : machine.events) decided.to_state = next.state();
  return LineChange{std::move(next), std::move(machine.events), std::move(machine.follow_ups),
                    std::move(machine.pool_changes)};
}

}  // namespace

Result<LineChange> ZeroBasedReview::apply(const BudgetLine& line, const Action& action,
                                          const AddedByZbb& added, const Principal& principal,
                                          Timestamp now) const {
  ZBB_RETURN_IF_ERROR(validate_action(action, added));
  return run_machine(policies_, line, action, added, action_type(action), principal, now);
}

Result<LineChange> ZeroBasedReview::record(const BudgetLine& line, const FollowUp& follow_up,
                                           const Principal& principal, Timestamp now) const {
  ZBB_RETURN_IF_ERROR(validate_follow_up(follow_up));
  return run_machine(policies_, line, follow_up, AddedByZbb{}, follow_up_type(follow_up), principal,
                     now);
}

namespace {

// The content whose programme's record a line reads: a revision's new content, else the line's.
const LineContent* reads_record_of(const BudgetLine& line, const Action& action) {
  if (const auto* create = std::get_if<CreateLine>(&action)) return &create->content();
  if (const auto* revise = std::get_if<ReviseLine>(&action)) return &revise->content();
  if (std::holds_alternative<SubmitLine>(action) || std::holds_alternative<ScorePriority>(action) ||
      std::holds_alternative<FundLine>(action))
    return &line.content();
  return nullptr;
}

}  // namespace

std::vector<LineFilter> ZeroBasedReview::reads(const BudgetLine& line, const Action& action) const {
  const LineContent* content = reads_record_of(line, action);
  if (content == nullptr) return {};
  std::vector<LineFilter> filters = {programme_lines_of_year_before(*content, 1),
                                     programme_lines_of_year_before(*content, 2)};
  // A submission between the assessment thresholds asks whether its programme is new: its lines
  // of every year.
  const auto* policy = policies_.find(line.policy_version());
  if (std::holds_alternative<SubmitLine>(action) && policy != nullptr &&
      may_need_assessment(*content, policy->prior_assessment()))
    filters.push_back(programme_lines_of_every_year(*content));
  // A submission's justification is compared with its department's lines of the year before.
  if (std::holds_alternative<SubmitLine>(action) && policy != nullptr &&
      policy->copied_justification().threshold_percent() > 0)
    filters.push_back(department_lines_of_year_before(*content));
  return filters;
}

Status ZeroBasedReview::complete(const BudgetLine& line, const Action& action, AddedByZbb& added,
                                 Store& store) const {
  if (const auto* proposal = std::get_if<ProposeAdjustment>(&action)) {
    // What the pool holds now, so that an increase it cannot cover is refused when proposed,
    // before any approver works on it (the commit checks the pool again when it is drawn).
    added.pool_balance = std::nullopt;
    if (proposal->kind() != zbb::v1::ADJUSTMENT_KIND_INCREASE) return Status::Ok();
    auto balance = store.pool_balance(line.content().fiscal_year(), line.content().department());
    if (!balance.ok()) return balance.status();
    added.pool_balance = *balance;
    return Status::Ok();
  }
  added.prior = std::nullopt;
  added.copied.clear();
  added.assessment_due.clear();
  added.programme = std::nullopt;
  const LineContent* content = reads_record_of(line, action);
  if (content == nullptr) return Status::Ok();
  // A new line runs under the current policy; a line under a policy not loaded is refused by
  // apply(), which names the version.
  const auto* policy = std::holds_alternative<CreateLine>(action)
                           ? &policies_.current()
                           : policies_.find(line.policy_version());
  if (policy == nullptr) return Status::Ok();
  // Result use: the record as it stands now, read again at each step that relies on it.
  // The project library, as it stands when the line is created and each time it is submitted.
  if ((std::holds_alternative<CreateLine>(action) || std::holds_alternative<SubmitLine>(action)) &&
      library_required(policy->library())) {
    auto programme = programme_of(*content, store);
    if (!programme.ok()) return programme.status();
    added.programme = std::move(programme).value();
  }
  auto prior = prior_result(*content, store, *policy);
  if (!prior.ok()) return prior.status();
  added.prior = *prior;
  if (!std::holds_alternative<SubmitLine>(action)) return Status::Ok();
  auto copied = copied_parts(line, store, policy->copied_justification());
  if (!copied.ok()) return copied.status();
  added.copied = std::move(*copied);
  auto due = assessment_due(line, store, policy->prior_assessment());
  if (!due.ok()) return due.status();
  added.assessment_due = std::move(*due);
  return Status::Ok();
}

Status ZeroBasedReview::admit_programme(const Programme* current,
                                        const ProgrammeCommand& command) const {
  return admit_programme_event(current, command);
}

Result<ProgrammeChange> ZeroBasedReview::decide_programme(const Programme* current,
                                                          const ProgrammeCommand& command,
                                                          Store& store, Timestamp now) const {
  return decide_programme_event(policies_.current().library(), current, command, store, now);
}

}  // namespace zbb::review
