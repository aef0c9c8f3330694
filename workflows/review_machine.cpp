#include "workflows/review_machine.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "engine/money.h"
#include "workflows/checkpoints.h"
#include "workflows/copied_justification.h"
#include "workflows/correction.h"
#include "workflows/evaluation_rules.h"
#include "workflows/issued_indicators.h"
#include "workflows/library_rules.h"
#include "workflows/line_rules.h"
#include "workflows/monthly_execution.h"
#include "workflows/performance.h"
#include "workflows/prior_assessment.h"
#include "workflows/restated_targets.h"
#include "workflows/result_use.h"
#include "workflows/sla.h"
#include "workflows/unspent_money.h"

namespace zbb::review {
namespace {

// Returns early from a reaction with the refusal when a guard says no.
#define ZBB_GUARD(machine, state, rule)                        \
  do {                                                         \
    if (::zbb::Status zbb_guard_ = (rule); !zbb_guard_.ok())   \
      return (machine).refuse((state), std::move(zbb_guard_)); \
  } while (false)

template <typename State>
sc::result withdraw(State& state, const On<WithdrawLine>& e) {
  auto& m = state.template context<ReviewMachine>();
  m.record(e.action);
  return state.template transit<Withdrawn>();
}

// Every active state keeps its SLA clock; the escalation neither moves the line nor restarts
// the clock, it only says (once per visit) that the due time has passed.
template <typename State>
sc::result escalate(State& state, const On<RecordSlaBreach>& e) {
  auto& m = state.template context<ReviewMachine>();
  ZBB_GUARD(m, state, sla_breach_allowed(m.line, e.action.state(), m.now));
  m.line.set_sla_breached(true);
  zbb::v1::EventDecided decided;
  decided.set_waiting_on(m.line.waiting_on());
  *decided.mutable_state_entered_at() = m.line.state_entered_at();
  *decided.mutable_due_at() = m.line.due_at();
  decided.set_overdue_ms((m.now - *due_at(m.line)).count());
  m.record(e.action, decided);
  return state.discard_event();
}

// Result use: the programme's record as zbb just read it replaces what the line knew.
void take_record(ReviewMachine& m) {
  if (m.added.prior)
    *m.line.mutable_prior() = *m.added.prior;
  else
    m.line.clear_prior();
}

template <typename State>
sc::result revise(State& state, const On<ReviseLine>& e) {
  auto& m = state.template context<ReviewMachine>();
  ZBB_GUARD(m, state, RevisionKeepsOwner(m.line.content(), e.action.content()));
  *m.line.mutable_content() = e.action.content();
  take_record(m);  // a revised request is cut from its new amount
  m.note_preparer();
  m.record(e.action);
  return state.discard_event();
}

template <typename State>
sc::result submit(State& state, const On<SubmitLine>& e) {
  auto& m = state.template context<ReviewMachine>();
  ZBB_GUARD(m, state, ReadyForReview(m.line.content()));
  ZBB_GUARD(m, state, NamesAdmittedProgramme(m.line.content(), m.added.programme, false));
  ZBB_GUARD(m, state,
            JustificationNotCopied(m.line, m.policy.copied_justification(), m.added.copied));
  m.line.set_submitted_by(m.actor);
  *m.line.mutable_submitted_at() = to_proto(m.now);
  m.note_preparer();
  take_record(m);
  // A new submission is assessed afresh when the policy selects it, and scored afresh for
  // ranking on the record as it then stands.
  m.line.set_assessment_due(m.added.assessment_due);
  m.line.clear_assessment();
  m.line.clear_priority();
  // Reviewers see what this submission restates; a revision submitted again is judged afresh.
  m.line.mutable_copied()->Assign(m.added.copied.begin(), m.added.copied.end());
  m.record(e.action);
  return state.template transit<Submitted>();
}

// The unit answers a grade that asks for rectification; its author prepared the line's case and
// may not decide on the line either.
template <typename State>
sc::result submit_rectification(State& state, const On<SubmitRectification>& e) {
  auto& m = state.template context<ReviewMachine>();
  ZBB_GUARD(m, state, RectificationAsked(m.line));
  zbb::v1::Rectification& report = *m.line.mutable_rectification();
  report.Clear();
  report.set_evaluated_line(m.line.prior().line_id());
  report.set_report(e.action.report());
  report.set_submitted_by(m.actor);
  *report.mutable_submitted_at() = to_proto(m.now);
  report.set_status(zbb::v1::RECTIFICATION_STATUS_SUBMITTED);
  m.note_preparer();
  m.record(e.action);
  return state.discard_event();
}

template <typename State>
sc::result review_rectification(State& state, const On<ReviewRectification>& e) {
  auto& m = state.template context<ReviewMachine>();
  ZBB_GUARD(m, state, RectificationAwaitsReview(m.line));
  ZBB_GUARD(m, state, SubmitterNeverDecides(m.line, m.actor));
  if (!e.action.accept())
    ZBB_GUARD(m, state, ReasonGiven(zbb::v1::DECISION_RETURN, e.action.comment()));
  zbb::v1::Rectification& report = *m.line.mutable_rectification();
  report.set_status(e.action.accept() ? zbb::v1::RECTIFICATION_STATUS_ACCEPTED
                                      : zbb::v1::RECTIFICATION_STATUS_RETURNED);
  report.set_reviewed_by(m.actor);
  *report.mutable_reviewed_at() = to_proto(m.now);
  report.set_comment(e.action.comment());
  m.record(e.action);
  return state.discard_event();
}

// A prior performance assessment of the submitted line; a verdict against returns it to the
// unit.
template <typename State>
sc::result record_assessment(State& state, const On<RecordAssessment>& e) {
  auto& m = state.template context<ReviewMachine>();
  ZBB_GUARD(m, state, AssessmentDue(m.line));
  ZBB_GUARD(m, state, SubmitterNeverDecides(m.line, m.actor));
  const Decision verdict =
      e.action.approve() ? zbb::v1::DECISION_APPROVE : zbb::v1::DECISION_RETURN;
  ZBB_GUARD(m, state, ReasonGiven(verdict, e.action.comment()));
  zbb::v1::Assessment& assessment = *m.line.mutable_assessment();
  assessment.Clear();
  *assessment.mutable_parts() = e.action.parts();
  assessment.set_approved(e.action.approve());
  assessment.set_comment(e.action.comment());
  assessment.set_assessed_by(m.actor);
  *assessment.mutable_assessed_at() = to_proto(m.now);
  m.record(e.action);
  if (!e.action.approve()) return state.template transit<ReturnedForRevision>();
  return state.discard_event();
}

// A checkpoint is run on or after the policy's first checkpoint date, within the line's fiscal
// year, and never as of a day that has not come yet on the engine's clock.
Status CheckpointDateReached(const BudgetLine& line, const zbb::policy::Monitoring& monitoring,
                             std::chrono::year_month_day as_of, Timestamp now) {
  if (static_cast<int>(as_of.year()) != line.content().fiscal_year())
    return Status::InvalidArgument("as_of",
                                   fmt::format("{} is outside fiscal year {}", format_date(as_of),
                                               line.content().fiscal_year()));
  const auto date = first_checkpoint_date(monitoring, line.content().fiscal_year());
  if (as_of < date)
    return Status::FailedPrecondition(
        fmt::format("the first checkpoint is due on {}; {} is before it", format_date(date),
                    format_date(as_of)));
  if (as_of > date_of(now))
    return Status::FailedPrecondition(fmt::format("a checkpoint as of {} cannot be run on {}",
                                                  format_date(as_of), format_date(date_of(now))));
  return Status::Ok();
}

// Every criterion of the policy scored exactly once — by the reviewer, but the history
// criterion, which zbb fills from the programme's record — and the weighted score in
// hundredths. `scores` becomes the full list: the reviewer's, then the history criterion's.
Result<std::int64_t> weighted_priority(google::protobuf::RepeatedPtrField<CriterionScore>& scores,
                                       const zbb::policy::WorkflowPolicy& policy,
                                       std::uint32_t history_points) {
  const std::string& history = policy.result_use().history_criterion();
  for (int i = 0; i < scores.size(); ++i) {
    const bool known = std::any_of(
        policy.ranking_criteria().begin(), policy.ranking_criteria().end(),
        [&](const auto& criterion) { return criterion.name() == scores[i].criterion(); });
    if (!known)
      return Status::InvalidArgument(
          fmt::format("scores[{}].criterion", i),
          fmt::format("{} is not a criterion of policy {}", quote_cut(scores[i].criterion()),
                      policy.version()));
    if (scores[i].criterion() == history)
      return Status::InvalidArgument(
          fmt::format("scores[{}].criterion", i),
          fmt::format("{} is scored by zbb from the programme's record (result use), not by the "
                      "reviewer",
                      history));
  }
  if (!history.empty()) {
    CriterionScore& filled = *scores.Add();
    filled.set_criterion(history);
    filled.set_score(static_cast<std::int32_t>(history_points));
  }
  std::int64_t total = 0;
  for (const auto& criterion : policy.ranking_criteria()) {
    const auto found = std::find_if(scores.begin(), scores.end(), [&](const CriterionScore& s) {
      return s.criterion() == criterion.name();
    });
    if (found == scores.end())
      return Status::InvalidArgument("scores",
                                     fmt::format("criterion {} is not scored", criterion.name()));
    total += std::int64_t{found->score()} * criterion.weight();
  }
  return total;  // weights sum to 100 and scores are 0..100: hundredths of a point
}

// The self-evaluation opens on the policy's day of the year after the fiscal year, and only for
// a line a checkpoint has judged.
Status EvaluationOpen(const BudgetLine& line, const zbb::policy::WorkflowPolicy& policy,
                      Timestamp now) {
  if (!line.has_monitoring())
    return Status::FailedPrecondition(
        fmt::format("line {} has not been through a monitoring checkpoint", line.id()));
  if (!line.incoming().empty())
    return Status::FailedPrecondition(
        fmt::format("line {} still awaits the decision on money reallocated to it from {}",
                    line.id(), line.incoming(0).from_line()));
  const auto opens =
      month_day_of(line.content().fiscal_year() + 1, policy.year_end().evaluation_opens());
  if (date_of(now) < opens)
    return Status::FailedPrecondition(
        fmt::format("the self-evaluation of fiscal year {} opens on {}",
                    line.content().fiscal_year(), format_date(opens)));
  return Status::Ok();
}

// Spending is recorded until the final accounts (决算) of the line's fiscal year close, on the
// policy's day of the year after it.
Status BeforeFinalAccounts(const BudgetLine& line, const zbb::policy::WorkflowPolicy& policy,
                           Timestamp now) {
  const auto closes =
      month_day_of(line.content().fiscal_year() + 1, policy.year_end().final_accounts());
  if (date_of(now) > closes)
    return Status::FailedPrecondition(
        fmt::format("the final accounts of fiscal year {} closed on {}: no spending is recorded "
                    "on its lines after it",
                    line.content().fiscal_year(), format_date(closes)));
  return Status::Ok();
}

// The money a line leaves unspent is settled once no payment can still come: after the final
// accounts of its fiscal year close. A line that spent all it was approved may be closed before.
Status UnspentSettledAfterFinalAccounts(const BudgetLine& line,
                                        const zbb::policy::WorkflowPolicy& policy, Timestamp now) {
  const Fen unspent = unspent_amount(line);
  if (unspent == 0) return Status::Ok();
  const auto closes =
      month_day_of(line.content().fiscal_year() + 1, policy.year_end().final_accounts());
  if (date_of(now) <= closes)
    return Status::FailedPrecondition(fmt::format(
        "line {} has {} yuan unspent, and payments are recorded on it until the final accounts "
        "of fiscal year {} close on {}: it is closed after that day",
        line.id(), format_yuan(unspent), line.content().fiscal_year(), format_date(closes)));
  return Status::Ok();
}

Status ProposerNeverDecides(const zbb::Adjustment& adjustment, const std::string& actor) {
  if (adjustment.proposed_by() == actor)
    return Status::PermissionDenied(
        fmt::format("{} proposed this adjustment and may not decide on it", actor));
  return Status::Ok();
}

// Who wrote an evaluation of the line — the unit's or the evaluator's — does not judge it.
Status WriterNeverJudges(const BudgetLine& line, const std::string& actor,
                         std::string_view action) {
  const bool wrote_self =
      (line.has_self_evaluation() && line.self_evaluation().submitted_by() == actor) ||
      (line.has_evaluation() && !line.evaluation().focused() &&
       line.evaluation().submitted_by() == actor);
  if (wrote_self)
    return Status::PermissionDenied(
        fmt::format("{} wrote the self-evaluation and may not {}", actor, action));
  if (line.has_evaluation() && line.evaluation().focused() &&
      line.evaluation().submitted_by() == actor)
    return Status::PermissionDenied(
        fmt::format("{} wrote the focused evaluation and may not {}", actor, action));
  return Status::Ok();
}

// The reviewer who picked a line for focused evaluation does not carry it out.
Status SelectorNeverEvaluates(const BudgetLine& line, const std::string& actor) {
  if (line.focused().selected_by() == actor)
    return Status::PermissionDenied(fmt::format(
        "{} picked line {} for focused evaluation and may not carry it out", actor, line.id()));
  return Status::Ok();
}

// A line is picked for focused evaluation once, and before finance reviewed its evaluation.
Status NotYetFocusedOrReviewed(const BudgetLine& line) {
  if (line.has_focused()) {
    std::string reasons;
    for (const auto& reason : line.focused().reasons())
      reasons += (reasons.empty() ? "" : "; ") + reason;
    return Status::FailedPrecondition(
        fmt::format("line {} was already selected for focused evaluation by {} ({})", line.id(),
                    line.focused().selected_by(), reasons));
  }
  if (line.evaluation().reviews_size() > 0)
    return Status::FailedPrecondition(
        fmt::format("finance already reviewed the evaluation of line {}: it is picked for focused "
                    "evaluation before its review",
                    line.id()));
  return Status::Ok();
}

// The adjustment as it changes the line once its chain has approved it: a cut returns money to
// the department's pool, an increase draws from it, a reallocation hands it to another line.
Status apply_adjustment(ReviewMachine& m, const zbb::Adjustment& adjustment) {
  BudgetLine& line = m.line;
  const PoolChange pool{line.content().fiscal_year(), line.content().department(),
                        adjustment.amount(), line.id(), "adjustment cut"};
  switch (adjustment.kind()) {
    case zbb::v1::ADJUSTMENT_KIND_REDUCE:
      ZBB_RETURN_IF_ERROR(ReductionKeepsSpending(line, adjustment.amount()));
      line.set_approved_amount(line.approved_amount() - adjustment.amount());
      m.pool_changes.push_back(pool);
      return Status::Ok();
    case zbb::v1::ADJUSTMENT_KIND_INCREASE:
      ZBB_RETURN_IF_ERROR(IncreaseFits(line, adjustment.amount()));
      line.set_approved_amount(line.approved_amount() + adjustment.amount());
      m.pool_changes.push_back({pool.fiscal_year, pool.department, -adjustment.amount(), line.id(),
                                "adjustment increase"});
      return Status::Ok();
    case zbb::v1::ADJUSTMENT_KIND_REALLOCATE: {
      ZBB_RETURN_IF_ERROR(ReductionKeepsSpending(line, adjustment.amount()));
      line.set_approved_amount(line.approved_amount() - adjustment.amount());
      ReceiveReallocation receive;
      receive.set_from_line(line.id());
      receive.set_amount(adjustment.amount());
      m.follow_ups.push_back({adjustment.target_line(), std::nullopt, std::move(receive)});
      return Status::Ok();
    }
    case zbb::v1::ADJUSTMENT_KIND_REVISE_TARGET: {
      auto indicator = find_issued_indicator(line, adjustment.indicator(), "indicator");
      if (!indicator.ok()) return indicator.status();
      (*indicator)->set_target(adjustment.new_target());
      return Status::Ok();
    }
    default:
      break;
  }
  return Status::Internal("unknown adjustment kind");
}

}  // namespace

void ReviewMachine::unconsumed_event(const sc::event_base&) {
  const auto accepted = accepted_events();
  const std::string accepts = accepted.empty() ? std::string("nothing: the state is terminal")
                                               : fmt::format("{}", fmt::join(accepted, ", "));
  error = Status::FailedPrecondition(
      fmt::format("line {} is in state {}, which does not accept {}; it accepts {}", line.id(),
                  state_id().empty() ? "(none: not created)" : state_id(), action_type, accepts));
}

std::string_view ReviewMachine::state_id() const {
  for (auto it = state_begin(); it != state_end(); ++it)
    if (const auto* leaf = dynamic_cast<const LeafState*>(&*it)) return leaf->id();
  return "restoring";
}

std::vector<std::string_view> ReviewMachine::accepted_events() const {
  for (auto it = state_begin(); it != state_end(); ++it)
    if (const auto* leaf = dynamic_cast<const LeafState*>(&*it)) return leaf->accepted();
  return {};
}

sc::result Restoring::react(const Restore& restore) {
  const std::string_view id = restore.state_id;
  if (id == Nonexistent::kId) return transit<Nonexistent>();
  if (id == Draft::kId) return transit<Draft>();
  if (id == Submitted::kId) return transit<Submitted>();
  if (id == UnderTargetReview::kId) return transit<UnderTargetReview>();
  if (id == ReturnedForRevision::kId) return transit<ReturnedForRevision>();
  if (id == AwaitingRanking::kId) return transit<AwaitingRanking>();
  if (id == AwaitingDecision::kId) return transit<AwaitingDecision>();
  if (id == RestatingTargets::kId) return transit<RestatingTargets>();
  if (id == ReviewingRestatedTargets::kId) return transit<ReviewingRestatedTargets>();
  if (id == Executing::kId) return transit<Executing>();
  if (id == RedWarning::kId) return transit<RedWarning>();
  if (id == AdjustmentProposed::kId) return transit<AdjustmentProposed>();
  if (id == SelfEvaluation::kId) return transit<SelfEvaluation>();
  if (id == FocusedEvaluation::kId) return transit<FocusedEvaluation>();
  if (id == Scored::kId) return transit<Scored>();
  if (id == Closed::kId) return transit<Closed>();
  if (id == Withdrawn::kId) return transit<Withdrawn>();
  if (id == Rejected::kId) return transit<Rejected>();
  if (id == Unfunded::kId) return transit<Unfunded>();
  auto& m = context<ReviewMachine>();
  return m.refuse(*this, Status::Internal(fmt::format("line {} has an unknown stored state \"{}\"",
                                                      m.line.id(), id)));
}

sc::result Nonexistent::react(const On<CreateLine>& e) {
  auto& m = context<ReviewMachine>();
  ZBB_GUARD(m, *this, ReadyForReview(e.action.content()));
  ZBB_GUARD(m, *this, NamesAdmittedProgramme(e.action.content(), m.added.programme, true));
  *m.line.mutable_content() = e.action.content();
  m.line.set_created_by(m.actor);
  *m.line.mutable_created_at() = to_proto(m.now);
  m.line.mutable_submitted_at();  // never submitted yet: the epoch, as the line has always shown
  m.note_preparer();
  m.line.set_policy_version(m.policy.version());
  take_record(m);
  zbb::v1::EventDecided decided;
  decided.set_policy_version(m.policy.version());
  m.record(e.action, decided);
  return transit<Draft>();
}

sc::result Draft::react(const On<ReviseLine>& e) { return revise(*this, e); }
sc::result Draft::react(const On<SubmitLine>& e) { return submit(*this, e); }
sc::result Draft::react(const On<WithdrawLine>& e) { return withdraw(*this, e); }

sc::result Draft::react(const On<SubmitRectification>& e) { return submit_rectification(*this, e); }

sc::result Justification::react(const On<WithdrawLine>& e) { return withdraw(*this, e); }
sc::result Justification::react(const On<SubmitRectification>& e) {
  return submit_rectification(*this, e);
}
sc::result Justification::react(const On<ReviewRectification>& e) {
  return review_rectification(*this, e);
}

sc::result Submitted::react(const On<StartTargetReview>& e) {
  auto& m = context<ReviewMachine>();
  ZBB_GUARD(m, *this, SubmitterNeverDecides(m.line, m.actor));
  m.line.set_review_claimed_by(m.actor);
  m.record(e.action);
  return transit<UnderTargetReview>();
}

sc::result Submitted::react(const On<RecordAssessment>& e) { return record_assessment(*this, e); }
sc::result UnderTargetReview::react(const On<RecordAssessment>& e) {
  return record_assessment(*this, e);
}

sc::result UnderTargetReview::react(const On<ReviewTargets>& e) {
  auto& m = context<ReviewMachine>();
  ZBB_GUARD(m, *this, SubmitterNeverDecides(m.line, m.actor));
  if (!e.action.accept()) {
    ZBB_GUARD(m, *this, ReasonGiven(zbb::v1::DECISION_RETURN, e.action.comment()));
    m.record(e.action);
    return transit<ReturnedForRevision>();
  }
  ZBB_GUARD(m, *this, ReadyForReview(m.line.content()));
  ZBB_GUARD(m, *this, AssessedBeforeRanking(m.line));
  m.record(e.action);
  return transit<AwaitingRanking>();
}

sc::result ReturnedForRevision::react(const On<ReviseLine>& e) { return revise(*this, e); }
sc::result ReturnedForRevision::react(const On<SubmitLine>& e) { return submit(*this, e); }

sc::result Ranking::react(const On<WithdrawLine>& e) { return withdraw(*this, e); }
sc::result Ranking::react(const On<SubmitRectification>& e) {
  return submit_rectification(*this, e);
}
sc::result Ranking::react(const On<ReviewRectification>& e) {
  return review_rectification(*this, e);
}

sc::result AwaitingRanking::react(const On<ScorePriority>& e) {
  auto& m = context<ReviewMachine>();
  ZBB_GUARD(m, *this, SubmitterNeverDecides(m.line, m.actor));
  take_record(m);  // ranking reads the record as it stands now
  auto scores = e.action.scores();
  auto score = weighted_priority(scores, m.policy, history_points(m.line, m.policy.result_use()));
  if (!score.ok()) return m.refuse(*this, score.status());
  PriorityScore& priority = *m.line.mutable_priority();
  priority.Clear();
  *priority.mutable_scores() = std::move(scores);
  priority.set_score_hundredths(*score);
  priority.set_scored_by(m.actor);
  *priority.mutable_scored_at() = to_proto(m.now);
  zbb::v1::EventDecided decided;
  decided.set_score_hundredths(*score);
  m.record(e.action, decided);
  return discard_event();
}

sc::result AwaitingRanking::react(const On<FundLine>& e) {
  auto& m = context<ReviewMachine>();
  ZBB_GUARD(m, *this, SubmitterNeverDecides(m.line, m.actor));
  ZBB_GUARD(m, *this, FundedWithinRequest(m.line, e.action.amount()));
  ZBB_GUARD(m, *this, ScoredOnCurrentRecord(m.line, m.added.prior, e.action.amount()));
  ZBB_GUARD(m, *this, FundedWithinCeiling(m.line, e.action.amount()));
  ZBB_GUARD(m, *this, RectifiedBeforeFunding(m.line, e.action.amount()));
  ZBB_GUARD(m, *this, FundedMatchesPackages(m.line, e.action, m.added.placement));
  if (m.added.placement)
    *m.line.mutable_placement() = *m.added.placement;
  else
    m.line.clear_placement();
  m.line.set_funded_amount(e.action.amount());
  m.line.clear_issued_levels();  // issued anew when the last approval level approves
  m.record(e.action);
  if (e.action.amount() == 0) return transit<Unfunded>();
  m.line.set_granted_amount(e.action.amount());
  m.line.set_approval_step(0);
  return transit<AwaitingDecision>();
}

sc::result Approval::react(const On<WithdrawLine>& e) { return withdraw(*this, e); }

sc::result AwaitingDecision::react(const On<DecideApproval>& e) {
  auto& m = context<ReviewMachine>();
  const auto& chain = m.policy.approval_chain();
  if (m.line.approval_step() >= chain.size())
    return m.refuse(*this, Status::Internal("approval step beyond the policy's chain"));
  // No level: the level the line waits on. No amount on an approval: what the level before
  // granted (the first: what was funded); on a refusal: nothing. The event records what was
  // decided in full.
  DecideApproval d = e.action;
  if (d.level().empty()) d.set_level(chain[m.line.approval_step()].name());
  if (d.decision() == zbb::v1::DECISION_APPROVE && !d.has_amount())
    d.set_amount(m.line.granted_amount());
  else if (!d.has_amount())
    d.set_amount(0);  // a refusal grants nothing
  ZBB_GUARD(m, *this, DecisionForCurrentLevel(chain[m.line.approval_step()].name(), d.level()));
  ZBB_GUARD(m, *this, SubmitterNeverDecides(m.line, m.actor));
  ZBB_GUARD(m, *this, OneActorOneLevel(m.line.approvals(), d.level(), m.actor));
  ZBB_GUARD(m, *this, ReasonGiven(d.decision(), d.comment()));
  if (d.decision() == zbb::v1::DECISION_APPROVE)
    ZBB_GUARD(m, *this, ApprovedWithinFunded(m.line, d.amount()));

  const Fen granted = d.decision() == zbb::v1::DECISION_APPROVE ? d.amount() : 0;
  *m.line.add_approvals() =
      approval_record(d.level(), m.actor, d.decision(), granted, d.comment(), m.now);
  m.record(d);
  switch (d.decision()) {
    case zbb::v1::DECISION_REJECT:
      return transit<Rejected>();
    case zbb::v1::DECISION_RETURN:
      m.line.set_approval_step(0);
      return transit<ReturnedForRevision>();
    default:  // approve: the rules refuse any other value before it gets here
      break;
  }
  m.line.set_granted_amount(granted);
  m.line.set_approval_step(m.line.approval_step() + 1);
  if (m.line.approval_step() == chain.size()) {
    m.line.set_approved_amount(granted);
    // The packages the money approved covers issue their targets with it; the others none.
    m.line.clear_issued_levels();
    for (IncrementLevel level : levels_covered(m.line, granted)) m.line.add_issued_levels(level);
    // Targets follow the money: less than requested, and the unit restates them first.
    if (restates_targets(m.line, granted)) {
      open_restatement(m.line, granted);
      return transit<RestatingTargets>();
    }
    return transit<Executing>();
  }
  m.restart_wait();
  return discard_event();
}

sc::result RestatingTargets::react(const On<RestateTargets>& e) {
  auto& m = context<ReviewMachine>();
  ZBB_GUARD(m, *this, RestatedLikeRequested(m.line, e.action));
  zbb::v1::RestatedTargets& r = *m.line.mutable_restated_targets();
  *r.mutable_restated() = e.action.indicators();
  *r.mutable_restated_packages() = e.action.packages();
  r.set_restated_by(m.actor);
  *r.mutable_restated_at() = to_proto(m.now);
  r.set_status(zbb::v1::RESTATEMENT_STATUS_SUBMITTED);
  // A new restatement awaits a new review: the last one's answer is in the history.
  r.clear_reviewed_by();
  r.clear_reviewed_at();
  r.clear_comment();
  m.note_preparer();  // who restates the targets does not accept them
  m.record(e.action);
  return transit<ReviewingRestatedTargets>();
}

sc::result ReviewingRestatedTargets::react(const On<ReviewRestatedTargets>& e) {
  auto& m = context<ReviewMachine>();
  ZBB_GUARD(m, *this, SubmitterNeverDecides(m.line, m.actor));
  if (!e.action.accept())
    ZBB_GUARD(m, *this, ReasonGiven(zbb::v1::DECISION_RETURN, e.action.comment()));
  zbb::v1::RestatedTargets& r = *m.line.mutable_restated_targets();
  r.set_status(e.action.accept() ? zbb::v1::RESTATEMENT_STATUS_ACCEPTED
                                 : zbb::v1::RESTATEMENT_STATUS_RETURNED);
  r.set_reviewed_by(m.actor);
  *r.mutable_reviewed_at() = to_proto(m.now);
  r.set_comment(e.action.comment());
  m.record(e.action);
  if (!e.action.accept()) return transit<RestatingTargets>();
  // Issued with the budget: what monitoring and evaluation measure against from now on.
  issue_restated_targets(m.line);
  return transit<Executing>();
}

sc::result Execution::react(const On<RecordIndicatorProgress>& e) {
  auto& m = context<ReviewMachine>();
  auto indicator = find_issued_indicator(m.line, e.action.indicator(), "indicator");
  if (!indicator.ok()) return m.refuse(*this, indicator.status());
  (*indicator)->set_actual(e.action.actual());
  m.record(e.action);
  return discard_event();
}

sc::result Execution::react(const On<ProposeAdjustment>& e) {
  auto& m = context<ReviewMachine>();
  const auto& p = e.action;
  switch (p.kind()) {
    case zbb::v1::ADJUSTMENT_KIND_REDUCE:
      ZBB_GUARD(m, *this, ReductionKeepsSpending(m.line, p.amount()));
      break;
    case zbb::v1::ADJUSTMENT_KIND_INCREASE:
      ZBB_GUARD(m, *this, IncreaseFits(m.line, p.amount()));
      ZBB_GUARD(m, *this, PoolCovers(m.line, p.amount(), m.added.pool_balance));
      break;
    case zbb::v1::ADJUSTMENT_KIND_REALLOCATE: {
      ZBB_GUARD(m, *this, ReductionKeepsSpending(m.line, p.amount()));
      if (p.target_line() == m.line.id())
        return m.refuse(
            *this, Status::InvalidArgument("target_line", "a line cannot reallocate to itself"));
      // The receiving line must be able to take the money now: it says so in this command.
      ExpectReallocation expect;
      expect.set_from_line(m.line.id());
      expect.set_fiscal_year(m.line.content().fiscal_year());
      expect.set_amount(p.amount());
      expect.set_department(m.line.content().department());
      m.follow_ups.push_back({p.target_line(), std::nullopt, std::move(expect)});
      break;
    }
    case zbb::v1::ADJUSTMENT_KIND_REVISE_TARGET: {
      auto indicator = find_issued_indicator(std::as_const(m.line), p.indicator(), "indicator");
      if (!indicator.ok()) return m.refuse(*this, indicator.status());
      if ((*indicator)->direction() == zbb::v1::DIRECTION_AT_LEAST && p.new_target() == 0)
        return m.refuse(
            *this, Status::InvalidArgument("new_target", "an at-least target must be above zero"));
      break;
    }
    default:  // refused by the line's rules before the machine sees it
      return m.refuse(*this, Status::Internal("unknown adjustment kind"));
  }
  zbb::Adjustment adjustment;
  adjustment.set_kind(p.kind());
  adjustment.set_amount(p.kind() == zbb::v1::ADJUSTMENT_KIND_REVISE_TARGET ? 0 : p.amount());
  adjustment.set_indicator(p.kind() == zbb::v1::ADJUSTMENT_KIND_REVISE_TARGET ? p.indicator() : "");
  adjustment.set_target_line(p.target_line());
  adjustment.set_new_target(p.kind() == zbb::v1::ADJUSTMENT_KIND_REVISE_TARGET ? p.new_target()
                                                                               : 0);
  adjustment.set_reason(p.reason());
  adjustment.set_outcome(zbb::v1::ADJUSTMENT_OUTCOME_PENDING);
  adjustment.set_proposed_by(m.actor);
  *adjustment.mutable_proposed_at() = to_proto(m.now);
  adjustment.set_under_red_warning(state_cast<const RedWarning*>() != nullptr);
  *m.line.mutable_pending_adjustment() = adjustment;
  m.record(p);
  return transit<AdjustmentProposed>();
}

namespace {

// The receiving half of a reallocation, settled by the decision on the giving line.
Status settle_incoming(ReviewMachine& m, const std::string& from_line, std::optional<Fen> amount) {
  auto& incoming = *m.line.mutable_incoming();
  const auto found = std::find_if(incoming.begin(), incoming.end(),
                                  [&](const auto& in) { return in.from_line() == from_line; });
  if (found == incoming.end() || (amount && found->amount() != *amount))
    return Status::FailedPrecondition(fmt::format(
        "line {} expects no reallocation of that amount from line {}", m.line.id(), from_line));
  if (amount) {
    ZBB_RETURN_IF_ERROR(IncreaseFits(m.line, *amount));
    m.line.set_approved_amount(m.line.approved_amount() + *amount);
  }
  incoming.erase(found);
  return Status::Ok();
}

template <typename State>
sc::result receive(State& state, const On<ReceiveReallocation>& e) {
  auto& m = state.template context<ReviewMachine>();
  ZBB_GUARD(m, state, settle_incoming(m, e.action.from_line(), e.action.amount()));
  zbb::v1::EventDecided decided;
  decided.set_approved_amount(m.line.approved_amount());
  m.record(e.action, decided);
  return state.discard_event();
}

template <typename State>
sc::result cancel(State& state, const On<CancelReallocation>& e) {
  auto& m = state.template context<ReviewMachine>();
  ZBB_GUARD(m, state, settle_incoming(m, e.action.from_line(), std::nullopt));
  m.record(e.action);
  return state.discard_event();
}

}  // namespace

sc::result Execution::react(const On<ExpectReallocation>& e) {
  auto& m = context<ReviewMachine>();
  const auto& x = e.action;
  if (x.fiscal_year() != m.line.content().fiscal_year())
    return m.refuse(*this, Status::FailedPrecondition(fmt::format(
                               "line {} is of fiscal year {}; money of {} cannot move to it",
                               m.line.id(), m.line.content().fiscal_year(), x.fiscal_year())));
  // Money moves within a department; between departments it goes back through ranking.
  if (x.department() != m.line.content().department())
    return m.refuse(*this, Status::FailedPrecondition(fmt::format(
                               "line {} is not of {}; a reallocation stays within a department",
                               m.line.id(), x.department())));
  const bool already = std::any_of(m.line.incoming().begin(), m.line.incoming().end(),
                                   [&](const auto& in) { return in.from_line() == x.from_line(); });
  if (already)
    return m.refuse(*this, Status::FailedPrecondition(
                               fmt::format("line {} already expects a reallocation from line {}",
                                           m.line.id(), x.from_line())));
  IncomingReallocation& incoming = *m.line.add_incoming();
  incoming.set_from_line(x.from_line());
  incoming.set_amount(x.amount());
  m.record(x);
  return discard_event();
}
// The unspent money of the programme's line of the year before, closed in the same command.
template <typename State>
sc::result receive_carry_over(State& state, const On<ReceiveCarryOver>& e) {
  auto& m = state.template context<ReviewMachine>();
  ZBB_GUARD(m, state, IsNextYearLineOf(m.line, e.action));
  ZBB_GUARD(m, state, IncreaseFits(m.line, e.action.amount()));
  m.line.set_approved_amount(m.line.approved_amount() + e.action.amount());
  zbb::v1::CarriedOver& carried = *m.line.add_carried_in();
  carried.set_from_line(e.action.from_line());
  carried.set_fiscal_year(e.action.fiscal_year());
  carried.set_amount(e.action.amount());
  zbb::v1::EventDecided decided;
  decided.set_approved_amount(m.line.approved_amount());
  m.record(e.action, decided);
  return state.discard_event();
}

sc::result Execution::react(const On<ReceiveCarryOver>& e) { return receive_carry_over(*this, e); }
sc::result Adjusting::react(const On<ReceiveCarryOver>& e) { return receive_carry_over(*this, e); }
sc::result Execution::react(const On<ReceiveReallocation>& e) { return receive(*this, e); }
sc::result Execution::react(const On<CancelReallocation>& e) { return cancel(*this, e); }
sc::result Adjusting::react(const On<ReceiveReallocation>& e) { return receive(*this, e); }
sc::result Adjusting::react(const On<CancelReallocation>& e) { return cancel(*this, e); }

namespace {

// Records a payment; `and_then(decided)` does what else it changes on the line and says so.
template <typename State, typename AndThen>
sc::result record_spending(State& state, const On<RecordSpending>& e, AndThen&& and_then) {
  auto& m = state.template context<ReviewMachine>();
  ZBB_GUARD(m, state, BeforeFinalAccounts(m.line, m.policy, m.now));
  ZBB_GUARD(m, state, SpendingWithinApproved(m.line, e.action.amount()));
  m.line.set_spent_amount(m.line.spent_amount() + e.action.amount());
  record_spent_in_month(m.line, m.now, e.action.amount());
  zbb::v1::EventDecided decided;
  decided.set_spent_amount(m.line.spent_amount());
  and_then(decided);
  m.record(e.action, decided);
  return state.discard_event();
}

template <typename State>
sc::result record_spending(State& state, const On<RecordSpending>& e) {
  return record_spending(state, e, [](zbb::v1::EventDecided&) {});
}

// A checkpoint's verdict on the line, as of the event's date; the caller moves the line.
template <typename State>
std::optional<sc::result> judge_checkpoint(State& state, const On<RunCheckpoint>& e,
                                           MonitoringResult& verdict) {
  auto& m = state.template context<ReviewMachine>();
  // The line's rules refused a date that is not one before the machine saw it.
  auto as_of = parse_date(e.action.as_of());
  if (!as_of.ok()) return m.refuse(state, as_of.status().within("as_of"));
  if (Status reached = CheckpointDateReached(m.line, m.policy.monitoring(), *as_of, m.now);
      !reached.ok())
    return m.refuse(state, std::move(reached));
  if (Status later = NotBeforeLatestVerdict(m.line, *as_of); !later.ok())
    return m.refuse(state, std::move(later));
  verdict = assess_checkpoint(m.line, m.policy.monitoring(), *as_of);
  return std::nullopt;
}

// Records the checkpoint event with its verdict and where the correction stands after it.
void record_checkpoint(ReviewMachine& m, const RunCheckpoint& checkpoint,
                       const MonitoringResult& verdict, bool correction_changed) {
  zbb::v1::EventDecided decided;
  *decided.mutable_result() = verdict;
  if (correction_changed) decided.set_correction(m.line.correction().status());
  m.record(checkpoint, decided);
}

template <typename State>
sc::result answer_correction(State& state, const On<AnswerCorrection>& e) {
  auto& m = state.template context<ReviewMachine>();
  // A red line stored before zbb kept corrections enters the loop by answering its red verdict.
  const bool red = m.line.state() == state::kRedWarning ||
                   (m.line.state() == state::kAdjustmentProposed && proposed_under_red(m.line));
  if (red) open_for_red_line(m.line, m.now);
  ZBB_GUARD(m, state, CorrectionAwaitsAnswer(m.line));
  ZBB_GUARD(m, state, DeadlineNotPast(e.action.deadline(), m.now));
  zbb::v1::Correction& c = *m.line.mutable_correction();
  c.set_measures(e.action.measures());
  c.set_deadline(e.action.deadline());
  c.set_answered_by(m.actor);
  if (std::find(c.answerers().begin(), c.answerers().end(), m.actor) == c.answerers().end())
    c.add_answerers(m.actor);
  *c.mutable_answered_at() = to_proto(m.now);
  *c.mutable_awaiting_since() = to_proto(m.now);
  c.set_status(zbb::v1::CORRECTION_STATUS_AWAITING_REVIEW);
  zbb::v1::EventDecided decided;
  decided.set_correction(c.status());
  m.record(e.action, decided);
  m.correction_moved = true;  // the review has its own deadline
  return state.discard_event();
}

// Reviews the answer; nullopt when it was taken (the caller says where the line goes).
template <typename State>
std::optional<sc::result> review_correction(State& state, const On<ReviewCorrection>& e) {
  auto& m = state.template context<ReviewMachine>();
  const auto refused = [&](Status reason) -> std::optional<sc::result> {
    return m.refuse(state, std::move(reason));
  };
  if (Status s = CorrectionAwaitsReview(m.line); !s.ok()) return refused(s);
  if (Status s = SubmitterNeverDecides(m.line, m.actor); !s.ok()) return refused(s);
  if (Status s = AnswererNeverReviews(m.line, m.actor); !s.ok()) return refused(s);
  if (!e.action.accept())
    if (Status s = ReasonGiven(zbb::v1::DECISION_RETURN, e.action.comment()); !s.ok())
      return refused(s);
  zbb::v1::Correction& c = *m.line.mutable_correction();
  c.set_status(e.action.accept() ? zbb::v1::CORRECTION_STATUS_ACCEPTED
                                 : zbb::v1::CORRECTION_STATUS_AWAITING_ANSWER);
  if (!e.action.accept()) {
    c.set_returns(c.returns() + 1);
    *c.mutable_awaiting_since() = to_proto(m.now);
  }
  c.set_reviewed_by(m.actor);
  *c.mutable_reviewed_at() = to_proto(m.now);
  c.set_review_comment(e.action.comment());
  zbb::v1::EventDecided decided;
  decided.set_correction(c.status());
  m.record(e.action, decided);
  m.correction_moved = true;
  return std::nullopt;
}

}  // namespace

sc::result Executing::react(const On<RecordSpending>& e) { return record_spending(*this, e); }

// December's payments booked in the final-accounts period still count for the year, whether the
// unit has begun its self-evaluation or not.
sc::result SelfEvaluation::react(const On<RecordSpending>& e) { return record_spending(*this, e); }

sc::result AdjustmentProposed::react(const On<RecordSpending>& e) {
  auto& m = context<ReviewMachine>();
  if (proposed_under_red(m.line))
    return m.refuse(*this, Status::FailedPrecondition(fmt::format(
                               "line {} is under a red warning: it takes no spending until the "
                               "adjustment proposed is approved",
                               m.line.id())));
  // The last approver must still be able to apply the cut.
  ZBB_GUARD(m, *this, SpendingKeepsPendingCut(m.line, e.action.amount()));
  return record_spending(*this, e);
}

sc::result Execution::react(const On<AnswerCorrection>& e) { return answer_correction(*this, e); }
sc::result Adjusting::react(const On<AnswerCorrection>& e) { return answer_correction(*this, e); }

sc::result Execution::react(const On<ReviewCorrection>& e) {
  if (auto refused = review_correction(*this, e)) return *refused;
  auto& m = context<ReviewMachine>();
  // Accepted under a red warning after a re-check that was not red: the warning is lifted.
  if (state_cast<const RedWarning*>() != nullptr && accepted_and_rechecked(m.line)) {
    lift_by_recheck(m.line, m.now);
    return transit<Executing>();
  }
  return discard_event();
}

// While an adjustment is decided, the correction goes on; only the decision moves the line.
sc::result Adjusting::react(const On<ReviewCorrection>& e) {
  if (auto refused = review_correction(*this, e)) return *refused;
  return discard_event();
}

sc::result Executing::react(const On<RunCheckpoint>& e) {
  auto& m = context<ReviewMachine>();
  MonitoringResult verdict;
  if (auto refused = judge_checkpoint(*this, e, verdict)) return *refused;
  *m.line.mutable_monitoring() = verdict;
  // A yellow or red verdict opens a correction (or raises the open one): the unit answers it.
  m.correction_moved = take_verdict(m.line, verdict, m.now);
  record_checkpoint(m, e.action, verdict, verdict.level() != zbb::v1::WARNING_LEVEL_GREEN);
  if (verdict.level() == zbb::v1::WARNING_LEVEL_RED) return transit<RedWarning>();
  return discard_event();
}

// The re-check of a red line, at a checkpoint or on request. Not red, with the correction
// accepted: the warning is lifted (a yellow verdict opens the next correction). Not red before the
// acceptance: kept on the correction, and the acceptance lifts the warning. Red again: the
// correction is raised to it — or, one accepted having failed, a new one opens.
sc::result RedWarning::react(const On<RunCheckpoint>& e) {
  auto& m = context<ReviewMachine>();
  MonitoringResult verdict;
  if (auto refused = judge_checkpoint(*this, e, verdict)) return *refused;
  // A red line stored before zbb kept corrections: its red verdict's correction first.
  m.correction_moved = open_for_red_line(m.line, m.now);
  if (verdict.level() == zbb::v1::WARNING_LEVEL_RED) {
    *m.line.mutable_monitoring() = verdict;
    m.correction_moved = take_verdict(m.line, verdict, m.now) || m.correction_moved;
    record_checkpoint(m, e.action, verdict, true);
    return discard_event();
  }
  *m.line.mutable_correction()->mutable_recheck() = verdict;
  if (correction_accepted(m.line)) {
    const bool opened = lift_by_recheck(m.line, m.now);
    m.correction_moved = opened || m.correction_moved;
    record_checkpoint(m, e.action, verdict, opened);
    return transit<Executing>();
  }
  record_checkpoint(m, e.action, verdict, false);
  return discard_event();
}

sc::result Executing::react(const On<BeginEvaluation>& e) {
  auto& m = context<ReviewMachine>();
  ZBB_GUARD(m, *this, EvaluationOpen(m.line, m.policy, m.now));
  m.record(e.action);
  return transit<SelfEvaluation>();
}

sc::result AdjustmentProposed::react(const On<DecideAdjustment>& e) {
  auto& m = context<ReviewMachine>();
  const auto& chain = m.policy.adjustment_chain();
  if (!m.line.has_pending_adjustment())
    return m.refuse(*this, Status::Internal("no pending adjustment in state adjustment.proposed"));
  zbb::Adjustment& adjustment = *m.line.mutable_pending_adjustment();
  const std::size_t step = adjustment.decisions_size();
  if (step >= static_cast<std::size_t>(chain.size()))
    return m.refuse(*this, Status::Internal("adjustment step beyond the policy's chain"));
  // No level: the level the adjustment waits on; the event records it.
  DecideAdjustment d = e.action;
  if (d.level().empty()) d.set_level(chain[step].name());
  ZBB_GUARD(m, *this, DecisionForCurrentLevel(chain[step].name(), d.level()));
  ZBB_GUARD(m, *this, SubmitterNeverDecides(m.line, m.actor));
  ZBB_GUARD(m, *this, ProposerNeverDecides(adjustment, m.actor));
  ZBB_GUARD(m, *this, OneActorOneLevel(adjustment.decisions(), d.level(), m.actor));
  ZBB_GUARD(m, *this, ReasonGiven(d.decision(), d.comment()));

  // The amount is what this decision grants: nothing when it refuses.
  const Fen granted = d.decision() == zbb::v1::DECISION_APPROVE ? adjustment.amount() : 0;
  *adjustment.add_decisions() =
      approval_record(d.level(), m.actor, d.decision(), granted, d.comment(), m.now);
  if (d.decision() == zbb::v1::DECISION_APPROVE &&
      step + 1 < static_cast<std::size_t>(chain.size())) {
    m.record(d);
    m.restart_wait();
    return discard_event();
  }
  if (d.decision() == zbb::v1::DECISION_APPROVE) {
    ZBB_GUARD(m, *this, apply_adjustment(m, adjustment));
    adjustment.set_outcome(zbb::v1::ADJUSTMENT_OUTCOME_APPROVED);
  } else {
    adjustment.set_outcome(zbb::v1::ADJUSTMENT_OUTCOME_REJECTED);
    if (adjustment.kind() == zbb::v1::ADJUSTMENT_KIND_REALLOCATE) {
      CancelReallocation cancel;
      cancel.set_from_line(m.line.id());
      m.follow_ups.push_back({adjustment.target_line(), std::nullopt, std::move(cancel)});
    }
  }
  zbb::v1::EventDecided decided;
  decided.set_outcome(adjustment.outcome());
  decided.set_approved_amount(m.line.approved_amount());
  m.record(d, decided);
  // An approval lifts a red warning; a rejection leaves the line as it was proposed on — unless
  // its correction was accepted and re-checked meanwhile, which lift the warning themselves.
  const bool was_red = proposed_under_red(m.line);
  const bool rejected = adjustment.outcome() == zbb::v1::ADJUSTMENT_OUTCOME_REJECTED;
  *m.line.add_adjustments() = std::move(adjustment);
  m.line.clear_pending_adjustment();
  if (rejected && was_red) {
    if (!accepted_and_rechecked(m.line)) return transit<RedWarning>();
    m.correction_moved = lift_by_recheck(m.line, m.now);
  } else if (was_red && m.line.has_correction()) {
    m.line.mutable_correction()->clear_recheck();  // the approval lifted the warning
  }
  return transit<Executing>();
}

// A self-evaluation or a focused evaluation, scored on the line with the final actuals it
// reports; the refusal otherwise, which the reaction returns through refuse() (a reaction
// result made and dropped is a Boost.Statechart error).
template <typename State, typename Submission>
Result<zbb::Evaluation> scored_submission(State& state, const Submission& s) {
  auto& m = state.template context<ReviewMachine>();
  for (int i = 0; i < s.final_actuals_size(); ++i) {
    auto indicator = find_issued_indicator(m.line, s.final_actuals(i).indicator(),
                                           fmt::format("final_actuals[{}].indicator", i));
    if (!indicator.ok()) return indicator.status();
    (*indicator)->set_actual(s.final_actuals(i).actual());
  }
  if (Status graded = check_qualitative_grades(m.line, m.policy, s.qualitative(), "qualitative");
      !graded.ok())
    return graded;
  zbb::Evaluation evaluation =
      score_evaluation(m.line, m.policy, s.satisfaction_percent(), s.qualitative());
  evaluation.set_summary(s.summary());
  evaluation.set_submitted_by(m.actor);
  return evaluation;
}

void decided_score(const zbb::Evaluation& evaluation, zbb::v1::EventDecided& decided) {
  decided.set_score_tenths(evaluation.score_tenths());
  decided.set_grade(evaluation.grade());
}

// The execution points take the year's final spending: a payment booked after the evaluation
// (before the final accounts close) scores the line again, on the evaluation's answers.
template <typename State>
sc::result record_spending_and_rescore(State& state, const On<RecordSpending>& e) {
  auto& m = state.template context<ReviewMachine>();
  return record_spending(state, e, [&](zbb::v1::EventDecided& decided) {
    *m.line.mutable_evaluation() = rescored_execution(m.line, m.policy, m.line.evaluation());
    decided_score(m.line.evaluation(), decided);
  });
}

// Scored, and — when the policy selects the line — on to the evaluator.
sc::result SelfEvaluation::react(const On<SubmitSelfEvaluation>& e) {
  auto& m = context<ReviewMachine>();
  Result<zbb::Evaluation> evaluation = scored_submission(*this, e.action);
  if (!evaluation.ok()) return m.refuse(*this, evaluation.status());
  *m.line.mutable_evaluation() = std::move(evaluation).value();
  zbb::v1::EventDecided decided;
  decided_score(m.line.evaluation(), decided);
  std::vector<std::string> reasons = focused_selection(m.line, m.policy.evaluation().focused());
  if (reasons.empty()) {
    m.record(e.action, decided);
    return transit<Scored>();
  }
  zbb::v1::FocusedEvaluation& focused = *m.line.mutable_focused();
  for (auto& reason : reasons) focused.add_reasons(std::move(reason));
  focused.set_selected_by(std::string(Principal::kZbbRole));
  *focused.mutable_selected_at() = to_proto(m.now);
  *decided.mutable_focused() = focused;
  m.record(e.action, decided);
  return transit<FocusedEvaluation>();
}

sc::result FocusedEvaluation::react(const On<RecordSpending>& e) {
  return record_spending_and_rescore(*this, e);
}

// The third party's evaluation replaces the unit's, which the line keeps.
sc::result FocusedEvaluation::react(const On<SubmitFocusedEvaluation>& e) {
  auto& m = context<ReviewMachine>();
  ZBB_GUARD(m, *this, SubmitterNeverDecides(m.line, m.actor));
  ZBB_GUARD(m, *this, WriterNeverJudges(m.line, m.actor, "evaluate the line again"));
  ZBB_GUARD(m, *this, SelectorNeverEvaluates(m.line, m.actor));
  Result<zbb::Evaluation> evaluation = scored_submission(*this, e.action);
  if (!evaluation.ok()) return m.refuse(*this, evaluation.status());
  evaluation->set_focused(true);
  if (m.line.has_evaluation()) *m.line.mutable_self_evaluation() = m.line.evaluation();
  *m.line.mutable_evaluation() = std::move(evaluation).value();
  m.line.mutable_focused()->set_evaluated_by(m.actor);
  *m.line.mutable_focused()->mutable_evaluated_at() = to_proto(m.now);
  zbb::v1::EventDecided decided;
  decided_score(m.line.evaluation(), decided);
  m.record(e.action, decided);
  return transit<Scored>();
}

sc::result Scored::react(const On<RecordSpending>& e) {
  return record_spending_and_rescore(*this, e);
}

sc::result Scored::react(const On<SelectFocusedEvaluation>& e) {
  auto& m = context<ReviewMachine>();
  ZBB_GUARD(m, *this, SubmitterNeverDecides(m.line, m.actor));
  ZBB_GUARD(m, *this, NotYetFocusedOrReviewed(m.line));
  zbb::v1::FocusedEvaluation& focused = *m.line.mutable_focused();
  focused.add_reasons(e.action.reason());
  focused.set_selected_by(m.actor);
  *focused.mutable_selected_at() = to_proto(m.now);
  zbb::v1::EventDecided decided;
  *decided.mutable_focused() = focused;
  m.record(e.action, decided);
  return transit<FocusedEvaluation>();
}

// Finance's re-review: the line stays scored, awaiting its closing.
sc::result Scored::react(const On<ReviewEvaluation>& e) {
  auto& m = context<ReviewMachine>();
  ZBB_GUARD(m, *this, SubmitterNeverDecides(m.line, m.actor));
  ZBB_GUARD(m, *this, WriterNeverJudges(m.line, m.actor, "review the evaluation"));
  ZBB_GUARD(m, *this, apply_review(m.line, m.policy, e.action, m.actor, m.now));
  zbb::v1::EventDecided decided;
  decided_score(m.line.evaluation(), decided);
  m.record(e.action, decided);
  return discard_event();
}

// Filed; the money left unspent goes to the county's pool, or to the programme's next-year line.
sc::result Scored::react(const On<CloseLine>& e) {
  auto& m = context<ReviewMachine>();
  ZBB_GUARD(m, *this, SubmitterNeverDecides(m.line, m.actor));
  ZBB_GUARD(m, *this, WriterNeverJudges(m.line, m.actor, "close the line"));
  ZBB_GUARD(m, *this, UnspentSettledAfterFinalAccounts(m.line, m.policy, m.now));
  const std::string& to_line = e.action.carry_over_to();
  zbb::v1::Unspent unspent;
  unspent.set_amount(unspent_amount(m.line));
  if (!to_line.empty()) {
    ZBB_GUARD(m, *this, CarryOverAllowed(m.line, m.policy.year_end(), to_line));
    unspent.set_disposal(zbb::v1::UNSPENT_DISPOSAL_CARRIED_OVER);
    unspent.set_to_line(to_line);
    m.follow_ups.push_back({to_line, std::nullopt, carry_over_of(m.line, unspent.amount())});
  } else if (unspent.amount() > 0) {
    unspent.set_disposal(zbb::v1::UNSPENT_DISPOSAL_RECOVERED);
    // The county's general pool: the pool of no department.
    m.pool_changes.push_back({m.line.content().fiscal_year(), "", unspent.amount(), m.line.id(),
                              std::string(kRecoveredAtClosing)});
  }
  *m.line.mutable_unspent() = unspent;
  zbb::v1::EventDecided decided;
  *decided.mutable_unspent() = unspent;
  m.record(e.action, decided);
  return transit<Closed>();
}

sc::result Draft::react(const On<RecordSlaBreach>& e) { return escalate(*this, e); }
sc::result Justification::react(const On<RecordSlaBreach>& e) { return escalate(*this, e); }
sc::result Ranking::react(const On<RecordSlaBreach>& e) { return escalate(*this, e); }
sc::result Approval::react(const On<RecordSlaBreach>& e) { return escalate(*this, e); }
sc::result TargetsForTheMoney::react(const On<RecordSlaBreach>& e) { return escalate(*this, e); }
sc::result Execution::react(const On<RecordSlaBreach>& e) { return escalate(*this, e); }
sc::result Adjusting::react(const On<RecordSlaBreach>& e) { return escalate(*this, e); }
sc::result Evaluating::react(const On<RecordSlaBreach>& e) { return escalate(*this, e); }

}  // namespace zbb::review
