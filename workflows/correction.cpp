#include "workflows/correction.h"

#include <fmt/format.h>

#include <algorithm>

#include "workflows/sla.h"
#include "workflows/state_ids.h"

namespace zbb::review {
namespace {

using zbb::v1::CorrectionStatus;

bool is_open(const BudgetLine& line) {
  return line.has_correction() &&
         line.correction().status() != zbb::v1::CORRECTION_STATUS_ACCEPTED &&
         line.correction().status() != zbb::v1::CORRECTION_STATUS_UNSPECIFIED;
}

std::string_view status_text(CorrectionStatus status) {
  switch (status) {
    case zbb::v1::CORRECTION_STATUS_AWAITING_ANSWER:
      return "awaits the unit's answer";
    case zbb::v1::CORRECTION_STATUS_AWAITING_REVIEW:
      return "awaits a reviewer";
    case zbb::v1::CORRECTION_STATUS_ACCEPTED:
      return "was accepted";
    default:
      return "is not open";
  }
}

Status correction_in(const BudgetLine& line, CorrectionStatus wanted) {
  if (!line.has_correction())
    return Status::FailedPrecondition(fmt::format(
        "line {} has no correction: a yellow or red monitoring verdict opens one", line.id()));
  if (line.correction().status() != wanted)
    return Status::FailedPrecondition(
        fmt::format("the correction of line {} (opened by the {} verdict as of {}) {}", line.id(),
                    line.correction().level() == zbb::v1::WARNING_LEVEL_RED ? "red" : "yellow",
                    line.correction().as_of(), status_text(line.correction().status())));
  return Status::Ok();
}

// When the correction began to wait on its present step. Corrections stored before zbb kept it:
// the time of the step that led there.
Timestamp awaiting_since(const zbb::v1::Correction& c) {
  if (c.has_awaiting_since()) return from_proto(c.awaiting_since());
  if (c.status() == zbb::v1::CORRECTION_STATUS_AWAITING_REVIEW && c.has_answered_at())
    return from_proto(c.answered_at());
  if (c.returns() > 0 && c.has_reviewed_at()) return from_proto(c.reviewed_at());
  return from_proto(c.opened_at());
}

}  // namespace

bool take_verdict(BudgetLine& line, const MonitoringResult& verdict, Timestamp now) {
  const bool red = verdict.level() == zbb::v1::WARNING_LEVEL_RED;
  if (verdict.level() != zbb::v1::WARNING_LEVEL_YELLOW && !red) return false;
  const bool opened = !is_open(line);
  zbb::v1::Correction& correction = *line.mutable_correction();
  bool awaits_answer_anew = opened;
  if (opened) {
    correction.Clear();
    correction.set_status(zbb::v1::CORRECTION_STATUS_AWAITING_ANSWER);
    *correction.mutable_opened_at() = to_proto(now);
  } else if (red && correction.level() != zbb::v1::WARNING_LEVEL_RED) {
    // A red finding is answered anew, within a fresh deadline: measures written for a yellow one
    // do not answer it.
    correction.set_status(zbb::v1::CORRECTION_STATUS_AWAITING_ANSWER);
    awaits_answer_anew = true;
  }
  if (awaits_answer_anew) *correction.mutable_awaiting_since() = to_proto(now);
  if (red) {
    correction.clear_recheck();
    line.set_red_verdicts(line.red_verdicts() + 1);
  }
  correction.set_level(verdict.level());
  correction.set_as_of(verdict.as_of());
  *correction.mutable_reasons() = verdict.reasons();
  return awaits_answer_anew;
}

bool open_for_red_line(BudgetLine& line, Timestamp now) {
  if (line.has_correction() || line.monitoring().level() != zbb::v1::WARNING_LEVEL_RED)
    return false;
  return take_verdict(line, line.monitoring(), now);
}

bool correction_awaits_answer(const BudgetLine& line) {
  return line.has_correction() &&
         line.correction().status() == zbb::v1::CORRECTION_STATUS_AWAITING_ANSWER;
}

bool correction_awaits_review(const BudgetLine& line) {
  return line.has_correction() &&
         line.correction().status() == zbb::v1::CORRECTION_STATUS_AWAITING_REVIEW;
}

bool correction_accepted(const BudgetLine& line) {
  return line.has_correction() && line.correction().status() == zbb::v1::CORRECTION_STATUS_ACCEPTED;
}

bool accepted_and_rechecked(const BudgetLine& line) {
  return correction_accepted(line) && line.correction().has_recheck() &&
         line.correction().recheck().level() != zbb::v1::WARNING_LEVEL_RED;
}

bool lift_by_recheck(BudgetLine& line, Timestamp now) {
  const MonitoringResult recheck = line.correction().recheck();
  *line.mutable_monitoring() = recheck;
  line.mutable_correction()->clear_recheck();
  return take_verdict(line, recheck, now);
}

bool proposed_under_red(const BudgetLine& line) {
  const auto& adjustment = line.pending_adjustment();
  if (adjustment.has_under_red_warning()) return adjustment.under_red_warning();
  if (line.monitoring().level() != zbb::v1::WARNING_LEVEL_RED) return false;
  // A red verdict an adjustment approved since has lifted is no longer a warning.
  const auto verdict_day = parse_date(line.monitoring().as_of());
  for (const auto& decided : line.adjustments())
    if (decided.outcome() == zbb::v1::ADJUSTMENT_OUTCOME_APPROVED && !decided.decisions().empty() &&
        verdict_day.ok() && date_of(from_proto(decided.decisions().rbegin()->at())) >= *verdict_day)
      return false;
  return true;
}

std::optional<Timestamp> correction_due(const zbb::policy::WorkflowPolicy& policy,
                                        const BudgetLine& line,
                                        std::optional<Timestamp> state_due) {
  if (line.state() != state::kExecuting && line.state() != state::kRedWarning) return state_due;
  std::uint32_t days = 0;
  if (correction_awaits_answer(line)) days = policy.monitoring().correction_answer_days();
  if (correction_awaits_review(line)) days = policy.monitoring().correction_review_days();
  if (days == 0) return state_due;
  return due_after_days(policy, days, awaiting_since(line.correction()));
}

Status SpendingKeepsPendingCut(const BudgetLine& line, Fen amount) {
  const auto& pending = line.pending_adjustment();
  if (pending.kind() != zbb::v1::ADJUSTMENT_KIND_REDUCE &&
      pending.kind() != zbb::v1::ADJUSTMENT_KIND_REALLOCATE)
    return Status::Ok();
  // The line's rules keep every amount far below the range of int64: no overflow here.
  const Fen remains = line.approved_amount() - pending.amount();
  if (amount > 0 && line.spent_amount() + amount > remains)
    return Status::FailedPrecondition(fmt::format(
        "line {} has an adjustment pending that moves {} yuan away: spending stays within the {} "
        "yuan that would remain ({} spent)",
        line.id(), format_yuan(pending.amount()), format_yuan(remains),
        format_yuan(line.spent_amount())));
  return Status::Ok();
}

Status NotBeforeLatestVerdict(const BudgetLine& line, std::chrono::year_month_day as_of) {
  for (const MonitoringResult* verdict : {&line.monitoring(), &line.correction().recheck()}) {
    if (verdict->as_of().empty()) continue;
    const auto latest = parse_date(verdict->as_of());
    if (latest.ok() && as_of < *latest)
      return Status::FailedPrecondition(
          fmt::format("line {} was judged as of {}: a checkpoint as of {}, earlier, cannot replace "
                      "that verdict",
                      line.id(), verdict->as_of(), format_date(as_of)));
  }
  return Status::Ok();
}

Status CorrectionAwaitsAnswer(const BudgetLine& line) {
  return correction_in(line, zbb::v1::CORRECTION_STATUS_AWAITING_ANSWER);
}

Status CorrectionAwaitsReview(const BudgetLine& line) {
  return correction_in(line, zbb::v1::CORRECTION_STATUS_AWAITING_REVIEW);
}

Status DeadlineNotPast(const std::string& deadline, Timestamp now) {
  const auto day = parse_date(deadline);
  if (!day.ok()) return day.status().within("deadline");
  if (*day < date_of(now))
    return Status::InvalidArgument(
        "deadline", fmt::format("{} is past: today is {}", deadline, format_date(date_of(now))));
  return Status::Ok();
}

Status AnswererNeverReviews(const BudgetLine& line, const std::string& actor) {
  const auto& answerers = line.correction().answerers();
  if (std::find(answerers.begin(), answerers.end(), actor) != answerers.end() ||
      line.correction().answered_by() == actor)
    return Status::PermissionDenied(
        fmt::format("{} answered this correction and may not review it", actor));
  return Status::Ok();
}

}  // namespace zbb::review
