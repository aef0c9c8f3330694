#include "engine/proto_codec.h"

#include <utility>

#include <fmt/format.h>
#include <google/protobuf/util/time_util.h>

namespace zbb {
namespace {

namespace v1 = zbb::v1;

// An event is its payload's message already: copied into the field of its type in `holder`
// (a zbb.v1.LineEvent or FollowUp).
void copy_into(google::protobuf::Message* holder, const google::protobuf::Message& event) {
  const auto* field = field_of_type(*holder->GetDescriptor(), *event.GetDescriptor());
  holder->GetReflection()->MutableMessage(holder, field)->CopyFrom(event);
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
  // An approval step below the chain's first level (a damaged older document) is its first.
  if (line.approval_step() < 0) line.set_approval_step(0);
  return line;
}

void action_payload(const google::protobuf::Message& action, const AddedByZbb& added,
                    v1::EventPayload* out) {
  out->Clear();
  copy_into(out->mutable_event(), action);
  // What the workflow completed the action with (the programme's record, a ranking's placement) is
  // what zbb decided: the payload keeps it apart from what the client sent.
  if (added.prior) *out->mutable_decided()->mutable_prior() = *added.prior;
  if (added.placement) *out->mutable_decided()->mutable_placement() = *added.placement;
  for (const CopiedText& copied : added.copied) *out->mutable_decided()->add_copied() = copied;
  if (!added.assessment_due.empty())
    out->mutable_decided()->set_assessment_due(added.assessment_due);
}

void follow_up_payload(const google::protobuf::Message& follow_up, v1::EventPayload* out) {
  out->Clear();
  copy_into(out->mutable_follow_up(), follow_up);
}

void to_proto(const Action& action, const AddedByZbb& added, v1::EventPayload* out) {
  std::visit([&](const google::protobuf::Message& a) { action_payload(a, added, out); }, action);
}

void to_proto(const FollowUp& follow_up, v1::EventPayload* out) {
  std::visit([out](const google::protobuf::Message& f) { follow_up_payload(f, out); }, follow_up);
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
