#include "engine/proto_codec.h"

#include <utility>

#include <fmt/format.h>
#include <google/protobuf/util/time_util.h>

namespace zbb {
namespace {

namespace v1 = zbb::v1;

// The payload's message of each action; zbb's own actions have theirs too.
// What the workflow completed an action with (last year's result, a ranking's placement) is
// what zbb decided: the payload keeps it apart from what the client sent.
void fill(const CreateLine& a, v1::EventPayload* out) {
  *out->mutable_event()->mutable_create()->mutable_content() = a.content;
  if (a.prior) *out->mutable_decided()->mutable_prior() = *a.prior;
}
void fill(const ReviseLine& a, v1::EventPayload* out) {
  *out->mutable_event()->mutable_revise()->mutable_content() = a.content;
}
void fill(const SubmitLine&, v1::EventPayload* out) { out->mutable_event()->mutable_submit(); }
void fill(const StartTargetReview&, v1::EventPayload* out) {
  out->mutable_event()->mutable_start_target_review();
}
void fill(const ReviewTargets& a, v1::EventPayload* out) {
  auto* e = out->mutable_event()->mutable_review_targets();
  e->set_accept(a.accept);
  e->set_comment(a.comment);
}
void fill(const ScorePriority& a, v1::EventPayload* out) {
  auto* e = out->mutable_event()->mutable_score_priority();
  e->mutable_scores()->Add(a.scores.begin(), a.scores.end());
  e->set_comment(a.comment);
}
void fill(const FundLine& a, v1::EventPayload* out) {
  auto* e = out->mutable_event()->mutable_fund();
  e->set_amount(a.amount);
  e->set_comment(a.comment);
  if (a.placement) *out->mutable_decided()->mutable_placement() = *a.placement;
}
void fill(const DecideApproval& a, v1::EventPayload* out) {
  auto* e = out->mutable_event()->mutable_decide();
  e->set_level(a.level);
  e->set_decision(a.decision);
  if (a.amount) e->set_amount(*a.amount);
  e->set_comment(a.comment);
}
void fill(const RecordSpending& a, v1::EventPayload* out) {
  auto* e = out->mutable_event()->mutable_record_spending();
  e->set_amount(a.amount);
  e->set_payment_ref(a.payment_ref);
  e->set_comment(a.comment);
}
void fill(const RecordIndicatorProgress& a, v1::EventPayload* out) {
  auto* e = out->mutable_event()->mutable_record_indicator_progress();
  e->set_indicator(a.indicator);
  e->set_actual(a.actual);
}
void fill(const RunCheckpoint& a, v1::EventPayload* out) {
  out->mutable_event()->mutable_run_checkpoint()->set_as_of(format_date(a.as_of));
}
void fill(const ProposeAdjustment& a, v1::EventPayload* out) {
  auto* e = out->mutable_event()->mutable_propose_adjustment();
  e->set_kind(a.kind);
  e->set_amount(a.amount);
  e->set_indicator(a.indicator);
  e->set_new_target(a.new_target);
  e->set_reason(a.reason);
  e->set_target_line(a.target_line);
}
void fill(const DecideAdjustment& a, v1::EventPayload* out) {
  auto* e = out->mutable_event()->mutable_decide_adjustment();
  e->set_level(a.level);
  e->set_decision(a.decision);
  e->set_comment(a.comment);
}
void fill(const BeginEvaluation&, v1::EventPayload* out) {
  out->mutable_event()->mutable_begin_evaluation();
}
void fill(const SubmitSelfEvaluation& a, v1::EventPayload* out) {
  auto* e = out->mutable_event()->mutable_submit_self_evaluation();
  for (const auto& value : a.final_actuals) {
    auto* wire = e->add_final_actuals();
    wire->set_indicator(value.indicator);
    wire->set_actual(value.actual);
  }
  e->set_satisfaction_percent(static_cast<std::int32_t>(a.satisfaction_percent));
  e->set_summary(a.summary);
}
void fill(const CloseLine& a, v1::EventPayload* out) {
  out->mutable_event()->mutable_close()->set_comment(a.comment);
}
void fill(const WithdrawLine& a, v1::EventPayload* out) {
  out->mutable_event()->mutable_withdraw()->set_reason(a.reason);
}
void fill(const ExpectReallocation& a, v1::EventPayload* out) {
  auto* e = out->mutable_follow_up()->mutable_expect_reallocation();
  e->set_from_line(a.from_line);
  e->set_fiscal_year(a.fiscal_year);
  e->set_amount(a.amount);
  e->set_department(a.department);
}
void fill(const ReceiveReallocation& a, v1::EventPayload* out) {
  auto* e = out->mutable_follow_up()->mutable_receive_reallocation();
  e->set_from_line(a.from_line);
  e->set_amount(a.amount);
}
void fill(const CancelReallocation& a, v1::EventPayload* out) {
  out->mutable_follow_up()->mutable_cancel_reallocation()->set_from_line(a.from_line);
}
void fill(const RecordSlaBreach& a, v1::EventPayload* out) {
  out->mutable_follow_up()->mutable_sla_breached()->set_state(a.state);
}

}  // namespace

google::protobuf::Timestamp to_proto(Timestamp at) {
  return google::protobuf::util::TimeUtil::MillisecondsToTimestamp(to_millis(at));
}

Timestamp from_proto(const google::protobuf::Timestamp& at) {
  return from_millis(google::protobuf::util::TimeUtil::TimestampToMilliseconds(at));
}

void to_proto(const BudgetLine& in, v1::BudgetLine* out) {
  out->Clear();
  out->set_id(in.id);
  *out->mutable_content() = in.content;
  out->set_state(in.state);
  out->set_version(in.version);
  out->set_policy_version(in.policy_version);
  out->set_waiting_on(in.waiting_on);
  out->set_created_by(in.created_by);
  out->set_submitted_by(in.submitted_by);
  *out->mutable_created_at() = to_proto(in.created_at);
  *out->mutable_updated_at() = to_proto(in.updated_at);
  *out->mutable_state_entered_at() = to_proto(in.state_entered_at);
  if (in.due_at) *out->mutable_due_at() = to_proto(*in.due_at);
  out->set_sla_breached(in.sla_breached);
  out->set_review_claimed_by(in.review_claimed_by);
  out->set_funded_amount(in.funded_amount);
  out->set_approval_step(static_cast<std::int32_t>(in.approval_step));
  out->set_granted_amount(in.granted_amount);
  out->set_approved_amount(in.approved_amount);
  out->mutable_approvals()->Add(in.approvals.begin(), in.approvals.end());
  out->set_spent_amount(in.spent_amount);
  if (in.monitoring) *out->mutable_monitoring() = *in.monitoring;
  if (in.pending_adjustment) *out->mutable_pending_adjustment() = *in.pending_adjustment;
  out->mutable_adjustments()->Add(in.adjustments.begin(), in.adjustments.end());
  if (in.evaluation) *out->mutable_evaluation() = *in.evaluation;
  *out->mutable_submitted_at() = to_proto(in.submitted_at);
  if (in.priority) {
    auto* priority = out->mutable_priority();
    *priority = *in.priority;
  }
  out->mutable_incoming()->Add(in.incoming.begin(), in.incoming.end());
  if (in.prior) *out->mutable_prior() = *in.prior;
  if (in.placement) *out->mutable_placement() = *in.placement;
  for (const auto& preparer : in.preparers) out->add_preparers(preparer);
}

ApprovalRecord approval_record(const std::string& level, const std::string& actor,
                               Decision decision, Fen amount, const std::string& comment,
                               Timestamp at) {
  ApprovalRecord record;
  record.set_level(level);
  record.set_actor(actor);
  record.set_decision(decision);
  record.set_amount(amount);
  record.set_comment(comment);
  *record.mutable_at() = to_proto(at);
  return record;
}

Result<BudgetLine> line_from_proto(const v1::BudgetLine& in) {
  // A stored time is of the calendar's years 1 to 9999, as protobuf's Timestamp defines it.
  for (const google::protobuf::Timestamp* at :
       {&in.created_at(), &in.submitted_at(), &in.updated_at(), &in.state_entered_at(),
        &in.due_at(), &in.priority().scored_at()}) {
    if (at->seconds() < google::protobuf::util::TimeUtil::kTimestampMinSeconds ||
        at->seconds() > google::protobuf::util::TimeUtil::kTimestampMaxSeconds)
      return Status::InvalidArgument("",
                                     fmt::format("a time is out of range: {} s", at->seconds()));
  }
  BudgetLine out;
  out.id = in.id();
  out.content = in.content();
  out.state = in.state();
  out.waiting_on = in.waiting_on();
  out.version = in.version();
  out.policy_version = in.policy_version();
  out.created_by = in.created_by();
  out.submitted_by = in.submitted_by();
  out.preparers.assign(in.preparers().begin(), in.preparers().end());
  out.created_at = from_proto(in.created_at());
  out.submitted_at = from_proto(in.submitted_at());
  out.updated_at = from_proto(in.updated_at());
  out.state_entered_at = from_proto(in.state_entered_at());
  if (in.has_due_at()) out.due_at = from_proto(in.due_at());
  out.sla_breached = in.sla_breached();
  out.review_claimed_by = in.review_claimed_by();
  if (in.has_prior()) out.prior = in.prior();
  if (in.has_priority()) out.priority = in.priority();
  if (in.has_placement()) out.placement = in.placement();
  out.funded_amount = in.funded_amount();
  out.approval_step = static_cast<std::size_t>(std::max(0, in.approval_step()));
  out.granted_amount = in.granted_amount();
  out.approved_amount = in.approved_amount();
  out.approvals.assign(in.approvals().begin(), in.approvals().end());
  out.spent_amount = in.spent_amount();
  if (in.has_monitoring()) out.monitoring = in.monitoring();
  if (in.has_pending_adjustment()) out.pending_adjustment = in.pending_adjustment();
  out.adjustments.assign(in.adjustments().begin(), in.adjustments().end());
  out.incoming.assign(in.incoming().begin(), in.incoming().end());
  if (in.has_evaluation()) out.evaluation = in.evaluation();
  return out;
}

std::string line_document(const BudgetLine& line) {
  v1::BudgetLine document;
  to_proto(line, &document);
  return document.SerializeAsString();
}

Result<BudgetLine> line_from_document(std::string_view bytes, std::string_view line_id) {
  v1::BudgetLine document;
  if (!document.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return Status::DataLoss(fmt::format("line {}: stored document does not parse", line_id));
  auto line = line_from_proto(document);
  if (!line.ok())
    return Status::DataLoss(fmt::format("line {}: stored document does not decode: {}", line_id,
                                        line.status().to_string()));
  return line;
}

void to_proto(const Action& action, v1::EventPayload* out) {
  out->Clear();
  std::visit([out](const auto& a) { fill(a, out); }, action);
}

void to_proto(const FollowUp& follow_up, v1::EventPayload* out) {
  out->Clear();
  std::visit([out](const auto& f) { fill(f, out); }, follow_up);
}

std::string outcome_document(const CommandOutcome& outcome) {
  model::CommandOutcome document;
  for (const auto& item : outcome.items) {
    auto* wire = document.add_items();
    wire->set_line_id(item.line_id);
    wire->set_version(item.version);
    wire->set_state(item.state);
  }
  document.set_last_sequence(outcome.last_sequence);
  return document.SerializeAsString();
}

Result<CommandOutcome> outcome_from_document(std::string_view bytes) {
  model::CommandOutcome document;
  if (!document.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return Status::DataLoss("stored outcome does not parse");
  CommandOutcome outcome;
  for (const auto& item : document.items())
    outcome.items.push_back(LineOutcome{item.line_id(), item.version(), item.state()});
  outcome.last_sequence = document.last_sequence();
  return outcome;
}

}  // namespace zbb
