#include "adapters/grpc/proto_convert.h"

#include <array>
#include <cstddef>
#include <utility>

#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include "engine/wire_enums.h"

namespace zbb::api {
namespace {

namespace v1 = zbb::v1;

bool is_digits(std::string_view text) {
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

unsigned to_number(std::string_view digits) {
  unsigned n = 0;
  for (char c : digits) n = n * 10 + static_cast<unsigned>(c - '0');
  return n;
}

// One converter per oneof case; errors are named relative to the event message.
Result<Action> convert(const v1::CreateLine& in) {
  auto content = content_from_wire(in.content());
  if (!content.ok()) return content.status().within("content");
  return Action(CreateLine{std::move(content).value()});
}

Result<Action> convert(const v1::Revise& in) {
  auto content = content_from_wire(in.content());
  if (!content.ok()) return content.status().within("content");
  return Action(ReviseLine{std::move(content).value()});
}

Result<Action> convert(const v1::Submit&) { return Action(SubmitLine{}); }

Result<Action> convert(const v1::StartTargetReview&) { return Action(StartTargetReview{}); }

Result<Action> convert(const v1::ReviewTargets& in) {
  return Action(ReviewTargets{in.accept(), in.comment()});
}

Result<Action> convert(const v1::ScorePriority& in) {
  ScorePriority out;
  out.scores.assign(in.scores().begin(), in.scores().end());
  for (auto& score : out.scores) score.DiscardUnknownFields();  // what zbb does not know
  out.comment = in.comment();
  return Action(std::move(out));
}

// A fund by hand carries no placement: only a ranking run places lines.
Result<Action> convert(const v1::Fund& in) {
  return Action(FundLine{in.amount(), in.comment(), std::nullopt});
}

Result<Action> convert(const v1::Decide& in) {
  ZBB_RETURN_IF_ERROR(check_enum("decision", in.decision()));
  // An approval without an amount grants what was granted before; a refusal grants nothing.
  std::optional<Fen> amount;
  if (in.has_amount() || in.decision() != zbb::v1::DECISION_APPROVE) amount = in.amount();
  return Action(DecideApproval{in.level(), in.decision(), amount, in.comment()});
}

Result<Action> convert(const v1::RecordSpending& in) {
  return Action(RecordSpending{in.amount(), in.payment_ref(), in.comment()});
}

Result<Action> convert(const v1::RecordIndicatorProgress& in) {
  return Action(RecordIndicatorProgress{in.indicator(), in.actual()});
}

Result<Action> convert(const v1::RunCheckpoint& in) {
  auto as_of = parse_date(in.as_of());
  if (!as_of.ok()) return as_of.status().within("as_of");
  return Action(RunCheckpoint{*as_of});
}

Result<Action> convert(const v1::ProposeAdjustment& in) {
  ZBB_RETURN_IF_ERROR(check_enum("kind", in.kind()));
  return Action(ProposeAdjustment{in.kind(), in.amount(), in.indicator(), in.new_target(),
                                  in.reason(), in.target_line()});
}

Result<Action> convert(const v1::DecideAdjustment& in) {
  ZBB_RETURN_IF_ERROR(check_enum("decision", in.decision()));
  return Action(DecideAdjustment{in.level(), in.decision(), in.comment()});
}

Result<Action> convert(const v1::BeginEvaluation&) { return Action(BeginEvaluation{}); }

Result<Action> convert(const v1::SubmitSelfEvaluation& in) {
  SubmitSelfEvaluation out;
  out.final_actuals.reserve(static_cast<std::size_t>(in.final_actuals_size()));
  for (const auto& value : in.final_actuals())
    out.final_actuals.push_back(IndicatorValue{value.indicator(), value.actual()});
  out.satisfaction_percent = in.satisfaction_percent();
  out.summary = in.summary();
  return Action(std::move(out));
}

Result<Action> convert(const v1::Close& in) { return Action(CloseLine{in.comment()}); }

Result<Action> convert(const v1::Withdraw& in) { return Action(WithdrawLine{in.reason()}); }

Result<Action> convert_event(const v1::LineEvent& event) {
  using E = v1::LineEvent;
  switch (event.event_case()) {
    case E::kCreate:
      return convert(event.create());
    case E::kRevise:
      return convert(event.revise());
    case E::kSubmit:
      return convert(event.submit());
    case E::kStartTargetReview:
      return convert(event.start_target_review());
    case E::kReviewTargets:
      return convert(event.review_targets());
    case E::kScorePriority:
      return convert(event.score_priority());
    case E::kFund:
      return convert(event.fund());
    case E::kDecide:
      return convert(event.decide());
    case E::kRecordSpending:
      return convert(event.record_spending());
    case E::kRecordIndicatorProgress:
      return convert(event.record_indicator_progress());
    case E::kRunCheckpoint:
      return convert(event.run_checkpoint());
    case E::kProposeAdjustment:
      return convert(event.propose_adjustment());
    case E::kDecideAdjustment:
      return convert(event.decide_adjustment());
    case E::kBeginEvaluation:
      return convert(event.begin_evaluation());
    case E::kSubmitSelfEvaluation:
      return convert(event.submit_self_evaluation());
    case E::kClose:
      return convert(event.close());
    case E::kWithdraw:
      return convert(event.withdraw());
    case E::EVENT_NOT_SET:
      break;
  }
  return Status::InvalidArgument("event", "must hold one lifecycle event");
}

// The payload as protobuf's JSON mapping, field names as the .proto spells them; a payload that
// does not parse is shown as an empty object (VerifyAudit tells what is wrong with it).
std::string payload_json(const std::string& bytes) {
  v1::EventPayload payload;
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  if (!payload.ParseFromString(bytes) ||
      !google::protobuf::util::MessageToJsonString(payload, &json, options).ok())
    return "{}";
  return json;
}

}  // namespace

Result<LineContent> content_from_wire(const v1::LineContent& in) {
  ZBB_RETURN_IF_ERROR(check_content_enums(in));
  LineContent content = in;
  content.DiscardUnknownFields();
  return content;
}

Result<std::optional<Category>> category_filter_from_proto(v1::Category value) {
  if (value == v1::CATEGORY_UNSPECIFIED) return std::optional<Category>();
  ZBB_RETURN_IF_ERROR(check_enum("category", value));
  return std::optional<Category>(value);
}

Result<Action> action_from_proto(const v1::LineEvent& event) {
  auto action = convert_event(event);
  if (!action.ok() && event.event_case() != v1::LineEvent::EVENT_NOT_SET)
    return action.status().within(std::string(event_field_name(event)));
  return action;
}

std::string_view event_field_name(const v1::LineEvent& event) {
  if (event.event_case() == v1::LineEvent::EVENT_NOT_SET) return {};
  // The descriptor's names live as long as the generated pool: for the whole program.
  const auto* field = v1::LineEvent::descriptor()->FindFieldByNumber(event.event_case());
  return field ? std::string_view(field->name()) : std::string_view();
}

Result<std::chrono::year_month_day> parse_date(std::string_view text) {
  const bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-' &&
                      is_digits(text.substr(0, 4)) && is_digits(text.substr(5, 2)) &&
                      is_digits(text.substr(8, 2));
  if (!shaped) return Status::InvalidArgument("", "must be a date written YYYY-MM-DD");
  const std::chrono::year_month_day date{
      std::chrono::year(static_cast<int>(to_number(text.substr(0, 4)))),
      std::chrono::month(to_number(text.substr(5, 2))),
      std::chrono::day(to_number(text.substr(8, 2)))};
  if (!date.ok())
    return Status::InvalidArgument("", fmt::format("{} is not a date of the calendar", text));
  return date;
}

void to_proto(const RecordedEvent& in, v1::RecordedEvent* out) {
  out->Clear();
  out->set_sequence(in.sequence);
  out->set_line_id(in.line_id);
  out->set_line_sequence(in.line_sequence);
  out->set_type(in.type);
  out->set_from_state(in.from_state);
  out->set_to_state(in.to_state);
  out->set_payload(in.payload);
  if (in.payload_encoding == PayloadEncoding::kJson) {
    out->set_payload_encoding(v1::PAYLOAD_ENCODING_JSON);
    out->set_payload_json(in.payload);
  } else {
    out->set_payload_encoding(v1::PAYLOAD_ENCODING_PROTOBUF);
    out->set_payload_json(payload_json(in.payload));
  }
  out->set_actor(in.actor);
  *out->mutable_at() = to_proto(in.at);
  out->set_request_id(in.request_id);
  out->set_prev_hash(in.prev_hash);
  out->set_hash(in.hash);
}

}  // namespace zbb::api
