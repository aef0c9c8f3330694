#include "engine/proto_codec.h"

#include <array>
#include <cstddef>
#include <utility>

#include <fmt/format.h>
#include <google/protobuf/util/time_util.h>

namespace zbb {
namespace {

namespace v1 = zbb::v1;

// One wire value per engine value; the wire's UNSPECIFIED is absent unless it means something.
template <typename Wire, typename Engine, std::size_t N>
using EnumTable = std::array<std::pair<Wire, Engine>, N>;

// A line not yet judged by the checkpoint has no warning level: the wire's UNSPECIFIED.
constexpr EnumTable<v1::WarningLevel, WarningLevel, 4> kWarningLevels{{
    {v1::WARNING_LEVEL_UNSPECIFIED, WarningLevel::kNone},
    {v1::WARNING_LEVEL_GREEN, WarningLevel::kGreen},
    {v1::WARNING_LEVEL_YELLOW, WarningLevel::kYellow},
    {v1::WARNING_LEVEL_RED, WarningLevel::kRed},
}};
constexpr EnumTable<v1::AdjustmentKind, AdjustmentKind, 4> kAdjustmentKinds{{
    {v1::ADJUSTMENT_KIND_REDUCE, AdjustmentKind::kReduce},
    {v1::ADJUSTMENT_KIND_INCREASE, AdjustmentKind::kIncrease},
    {v1::ADJUSTMENT_KIND_REVISE_TARGET, AdjustmentKind::kReviseTarget},
    {v1::ADJUSTMENT_KIND_REALLOCATE, AdjustmentKind::kReallocate},
}};
constexpr EnumTable<v1::AdjustmentOutcome, AdjustmentOutcome, 3> kAdjustmentOutcomes{{
    {v1::ADJUSTMENT_OUTCOME_PENDING, AdjustmentOutcome::kPending},
    {v1::ADJUSTMENT_OUTCOME_APPROVED, AdjustmentOutcome::kApproved},
    {v1::ADJUSTMENT_OUTCOME_REJECTED, AdjustmentOutcome::kRejected},
}};

template <typename Wire, typename Engine, std::size_t N>
Wire wire_value(const EnumTable<Wire, Engine, N>& table, Engine value) {
  for (const auto& [wire, engine] : table)
    if (engine == value) return wire;
  return static_cast<Wire>(0);  // an engine value out of range: UNSPECIFIED
}

template <typename Wire, typename Engine, std::size_t N>
Result<Engine> engine_value(const EnumTable<Wire, Engine, N>& table, Wire value,
                            std::string_view field) {
  for (const auto& [wire, engine] : table)
    if (wire == value) return engine;
  std::string choices;
  for (const auto& [wire, engine] : table) {
    if (!choices.empty()) choices += ", ";
    choices += to_string(engine);
  }
  const int number = static_cast<int>(value);
  if (number == 0)
    return Status::InvalidArgument(std::string(field), "is unspecified; must be one of " + choices);
  return Status::InvalidArgument(std::string(field),
                                 fmt::format("must be one of {}, not {}", choices, number));
}

void fill(const MonitoringResult& in, v1::MonitoringResult* out) {
  out->set_level(to_proto(in.level));
  out->set_as_of(in.as_of);
  out->set_execution_rate_bp(in.execution_rate_bp);
  out->set_time_progress_bp(in.time_progress_bp);
  out->set_indicator_completion_bp(in.indicator_completion_bp);
  for (const auto& reason : in.reasons) out->add_reasons(reason);
}

void fill(const Adjustment& in, v1::Adjustment* out) {
  out->set_kind(to_proto(in.kind));
  out->set_amount(in.amount);
  out->set_indicator(in.indicator);
  out->set_new_target(in.new_target);
  out->set_reason(in.reason);
  out->set_proposed_by(in.proposed_by);
  *out->mutable_proposed_at() = to_proto(in.proposed_at);
  out->mutable_decisions()->Add(in.decisions.begin(), in.decisions.end());
  out->set_outcome(to_proto(in.outcome));
  out->set_target_line(in.target_line);
}

// The inverse of fill(); errors name the field under the message.
Result<Adjustment> adjustment_from_proto(const v1::Adjustment& in) {
  Adjustment out;
  auto kind = from_proto(in.kind(), "kind");
  if (!kind.ok()) return kind.status();
  out.kind = *kind;
  out.amount = in.amount();
  out.indicator = in.indicator();
  out.new_target = in.new_target();
  out.target_line = in.target_line();
  out.reason = in.reason();
  out.proposed_by = in.proposed_by();
  out.proposed_at = from_proto(in.proposed_at());
  out.decisions.assign(in.decisions().begin(), in.decisions().end());
  auto outcome = from_proto(in.outcome(), "outcome");
  if (!outcome.ok()) return outcome.status();
  out.outcome = *outcome;
  return out;
}

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
  e->set_kind(to_proto(a.kind));
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

v1::WarningLevel to_proto(WarningLevel value) { return wire_value(kWarningLevels, value); }
v1::AdjustmentKind to_proto(AdjustmentKind value) { return wire_value(kAdjustmentKinds, value); }
v1::AdjustmentOutcome to_proto(AdjustmentOutcome value) {
  return wire_value(kAdjustmentOutcomes, value);
}

Result<WarningLevel> from_proto(v1::WarningLevel value, std::string_view field) {
  return engine_value(kWarningLevels, value, field);
}
Result<AdjustmentKind> from_proto(v1::AdjustmentKind value, std::string_view field) {
  return engine_value(kAdjustmentKinds, value, field);
}
Result<AdjustmentOutcome> from_proto(v1::AdjustmentOutcome value, std::string_view field) {
  return engine_value(kAdjustmentOutcomes, value, field);
}

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
  if (in.monitoring) fill(*in.monitoring, out->mutable_monitoring());
  if (in.pending_adjustment) fill(*in.pending_adjustment, out->mutable_pending_adjustment());
  for (const auto& adjustment : in.adjustments) fill(adjustment, out->add_adjustments());
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

void to_proto(const MonitoringResult& in, v1::MonitoringResult* out) {
  out->Clear();
  fill(in, out);
}

Result<MonitoringResult> monitoring_from_proto(const v1::MonitoringResult& in) {
  auto level = from_proto(in.level(), "level");
  if (!level.ok()) return level.status();
  MonitoringResult out{*level,
                       in.as_of(),
                       in.execution_rate_bp(),
                       in.time_progress_bp(),
                       in.indicator_completion_bp(),
                       {in.reasons().begin(), in.reasons().end()}};
  return out;
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
  if (in.has_monitoring()) {
    auto monitoring = monitoring_from_proto(in.monitoring());
    if (!monitoring.ok()) return monitoring.status().within("monitoring");
    out.monitoring = std::move(monitoring).value();
  }
  if (in.has_pending_adjustment()) {
    auto pending = adjustment_from_proto(in.pending_adjustment());
    if (!pending.ok()) return pending.status().within("pending_adjustment");
    out.pending_adjustment = std::move(pending).value();
  }
  for (int i = 0; i < in.adjustments_size(); ++i) {
    auto adjustment = adjustment_from_proto(in.adjustments(i));
    if (!adjustment.ok()) return adjustment.status().within(fmt::format("adjustments[{}]", i));
    out.adjustments.push_back(std::move(adjustment).value());
  }
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
