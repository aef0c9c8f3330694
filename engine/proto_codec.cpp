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
}  // namespace

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

std::string line_document(const BudgetLine& line) { return line.SerializeAsString(); }

Result<BudgetLine> line_from_document(std::string_view bytes, std::string_view line_id) {
  BudgetLine line;
  if (!line.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return Status::DataLoss(fmt::format("line {}: stored document does not parse", line_id));
  // A stored time is of the calendar's years 1 to 9999, as protobuf's Timestamp defines it.
  for (const google::protobuf::Timestamp* at :
       {&line.created_at(), &line.submitted_at(), &line.updated_at(), &line.state_entered_at(),
        &line.due_at(), &line.priority().scored_at()}) {
    if (at->seconds() < google::protobuf::util::TimeUtil::kTimestampMinSeconds ||
        at->seconds() > google::protobuf::util::TimeUtil::kTimestampMaxSeconds)
      return Status::DataLoss(
          fmt::format("line {}: stored document does not decode: INVALID_ARGUMENT: a time is out "
                      "of range: {} s",
                      line_id, at->seconds()));
  }
  return line;
}

void to_proto(const Action& action, v1::EventPayload* out) {
  out->Clear();
  std::visit([out](const auto& a) { fill(a, out); }, action);
}

void to_proto(const FollowUp& follow_up, v1::EventPayload* out) {
  out->Clear();
  // A follow-up is its payload's message already: copied into the field of its type.
  std::visit(
      [out](const google::protobuf::Message& f) {
        v1::FollowUp* holder = out->mutable_follow_up();
        const auto* field = field_of_type(*holder->GetDescriptor(), *f.GetDescriptor());
        holder->GetReflection()->MutableMessage(holder, field)->CopyFrom(f);
      },
      follow_up);
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
