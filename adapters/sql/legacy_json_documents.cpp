#include "adapters/sql/legacy_json_documents.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>

#include <fmt/format.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/generated_enum_reflection.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include "adapters/sql/legacy_v7.pb.h"
#include "engine/clock.h"
#include "engine/model.pb.h"
#include "zbb/v1/budget_line.pb.h"

namespace zbb::sql {
namespace {

namespace legacy = zbb::legacy::v7;
namespace v1 = zbb::v1;
namespace pb = google::protobuf;

// Errors are INVALID_ARGUMENT naming the member's path ("content.indicators[1].level1") while
// a document is read, and become DATA_LOSS naming the document at the end.

// Parses `text` into the legacy message: not JSON, a member of the wrong type or one the
// message does not have is an error.
Status parse(std::string_view text, pb::Message* out) {
  pb::util::JsonParseOptions options;
  // As the v7 reader did: a member it did not know was passed over, so a database v7 served
  // opens after the upgrade too.
  options.ignore_unknown_fields = true;
  options.case_insensitive_enum_parsing = false;
  const auto status =
      pb::util::JsonStringToMessage(pb::StringPiece(text.data(), text.size()), out, options);
  if (status.ok()) return Status::Ok();
  // The parser's message names the member ("(content.fiscal_year): invalid value …"); the lines
  // after its first show where in the text, which a stored document's message does without.
  std::string message(status.message());
  message.resize(std::min(message.size(), message.find('\n')));
  if (message.starts_with(": ")) message.erase(0, 2);
  return Status::InvalidArgument("", std::move(message));
}

// Every member marked `(required)` in legacy_v7.proto present, in the message and in the
// messages it holds.
Status check_required(const pb::Message& message) {
  const pb::Descriptor* type = message.GetDescriptor();
  const pb::Reflection* reflection = message.GetReflection();
  for (int i = 0; i < type->field_count(); ++i) {
    const pb::FieldDescriptor* field = type->field(i);
    const bool is_message = field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE;
    if (field->is_repeated()) {
      if (!is_message) continue;
      for (int j = 0; j < reflection->FieldSize(message, field); ++j) {
        const Status status = check_required(reflection->GetRepeatedMessage(message, field, j));
        if (!status.ok()) return status.within(fmt::format("{}[{}]", field->name(), j));
      }
    } else if (!reflection->HasField(message, field)) {
      if (field->options().GetExtension(legacy::required))
        return Status::InvalidArgument(field->name(), "is required");
    } else if (is_message) {
      ZBB_RETURN_IF_ERROR(
          check_required(reflection->GetMessage(message, field)).within(field->name()));
    }
  }
  return Status::Ok();
}

// An enum written by its lowercase name: "at_least" is DIRECTION_AT_LEAST, the value named by
// the enum's prefix (its UNSPECIFIED value's name without "UNSPECIFIED") and the name in
// capitals. `none_is_unspecified`: "none" is the UNSPECIFIED value (a direction, a warning
// level); no other name is.
template <typename Enum>
Status read_enum(const std::string& name, const char* field, Enum* out,
                 bool none_is_unspecified = false) {
  if (none_is_unspecified && name == "none") {
    *out = static_cast<Enum>(0);
    return Status::Ok();
  }
  const pb::EnumDescriptor* type = pb::GetEnumDescriptor<Enum>();
  std::string value_name = type->FindValueByNumber(0)->name();
  value_name.resize(value_name.size() - std::strlen("UNSPECIFIED"));
  bool lowercase = !name.empty();
  for (char c : name) {
    lowercase = lowercase && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
    value_name += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  }
  const pb::EnumValueDescriptor* value = lowercase ? type->FindValueByName(value_name) : nullptr;
  if (value == nullptr || value->number() == 0)
    return Status::InvalidArgument(field, "has an unknown value " + quote_cut(name));
  *out = static_cast<Enum>(value->number());
  return Status::Ok();
}

// A time written as milliseconds since the epoch; refused outside the calendar.
Status read_time(std::int64_t ms, const char* field, pb::Timestamp* out) {
  if (!within_calendar(ms)) return Status::InvalidArgument(field, "is out of range");
  *out = pb::util::TimeUtil::MillisecondsToTimestamp(ms);
  return Status::Ok();
}

// A number the wire holds in 32 bits.
template <typename Number>
Status read_int32(Number value, const char* field, std::int32_t* out) {
  if (!std::in_range<std::int32_t>(value)) return Status::InvalidArgument(field, "is out of range");
  *out = static_cast<std::int32_t>(value);
  return Status::Ok();
}

// Maps each element of `in` to a new element of `out`; errors are named "field[i]. …".
template <typename In, typename Out>
Status convert_each(const pb::RepeatedPtrField<In>& in, const char* field,
                    pb::RepeatedPtrField<Out>* out);

// One per message: the legacy message → its zbb.v1 (or zbb.model) counterpart.

Status convert(const legacy::CostItem& in, v1::CostItem* out) {
  out->set_name(in.name());
  out->set_quantity(in.quantity());
  out->set_unit_price(in.unit_price());
  out->set_amount(in.amount());
  return Status::Ok();
}

Status convert(const legacy::Indicator& in, v1::Indicator* out) {
  out->set_name(in.name());
  v1::IndicatorLevel1 level1{};
  ZBB_RETURN_IF_ERROR(read_enum(in.level1(), "level1", &level1));
  out->set_level1(level1);
  v1::IndicatorLevel2 level2{};
  ZBB_RETURN_IF_ERROR(read_enum(in.level2(), "level2", &level2));
  out->set_level2(level2);
  out->set_qualitative(in.has_quantitative() && !in.quantitative());
  out->set_unit(in.unit());
  out->set_target(in.target());
  v1::Direction direction{};
  ZBB_RETURN_IF_ERROR(read_enum(in.direction(), "direction", &direction,
                                /*none_is_unspecified=*/true));
  out->set_direction(direction);
  if (in.has_actual()) out->set_actual(in.actual());
  return Status::Ok();
}

Status convert(const legacy::Increment& in, v1::Increment* out) {
  v1::IncrementLevel level{};
  ZBB_RETURN_IF_ERROR(read_enum(in.level(), "level", &level));
  out->set_level(level);
  out->set_amount(in.amount());
  out->set_justification(in.justification());
  return Status::Ok();
}

Status convert(const legacy::LineContent& in, v1::LineContent* out) {
  out->set_fiscal_year(in.fiscal_year());
  out->set_department(in.department());
  out->set_programme_code(in.programme_code());
  out->set_title(in.title());
  v1::Category category{};
  ZBB_RETURN_IF_ERROR(read_enum(in.category(), "category", &category));
  out->set_category(category);
  out->set_requested_amount(in.requested_amount());
  ZBB_RETURN_IF_ERROR(convert_each(in.cost_items(), "cost_items", out->mutable_cost_items()));
  out->set_necessity_statement(in.necessity_statement());
  ZBB_RETURN_IF_ERROR(convert_each(in.indicators(), "indicators", out->mutable_indicators()));
  return convert_each(in.increments(), "increments", out->mutable_increments());
}

Status convert(const legacy::ApprovalRecord& in, v1::ApprovalRecord* out) {
  out->set_level(in.level());
  out->set_actor(in.actor());
  v1::Decision decision{};
  ZBB_RETURN_IF_ERROR(read_enum(in.decision(), "decision", &decision));
  out->set_decision(decision);
  out->set_amount(in.amount());
  out->set_comment(in.comment());
  return read_time(in.at_ms(), "at_ms", out->mutable_at());
}

Status convert(const legacy::CriterionScore& in, v1::CriterionScore* out) {
  out->set_criterion(in.criterion());
  std::int32_t score = 0;
  ZBB_RETURN_IF_ERROR(read_int32(in.score(), "score", &score));
  out->set_score(score);
  return Status::Ok();
}

Status convert(const legacy::PriorityScore& in, v1::PriorityScore* out) {
  ZBB_RETURN_IF_ERROR(convert_each(in.scores(), "scores", out->mutable_scores()));
  out->set_score_hundredths(in.score_hundredths());
  out->set_scored_by(in.scored_by());
  return read_time(in.scored_at_ms(), "scored_at_ms", out->mutable_scored_at());
}

Status convert(const legacy::PriorResult& in, v1::PriorResult* out) {
  out->set_line_id(in.line_id());
  out->set_fiscal_year(in.fiscal_year());
  out->set_grade(in.grade());
  out->set_score_tenths(in.score_tenths());
  out->set_approved_amount(in.approved_amount());
  out->set_flagged(in.flagged());
  if (in.has_ceiling()) out->set_ceiling(in.ceiling());
  return Status::Ok();
}

Status convert(const legacy::RankingPlacement& in, v1::RankingPlacement* out) {
  out->set_ranking_id(in.ranking_id());
  out->set_rank(in.rank());
  for (int i = 0; i < in.funded_levels_size(); ++i) {
    v1::IncrementLevel level{};
    ZBB_RETURN_IF_ERROR(
        read_enum(in.funded_levels(i), "", &level).within(fmt::format("funded_levels[{}]", i)));
    out->add_funded_levels(level);
  }
  return Status::Ok();
}

Status convert(const legacy::MonitoringResult& in, v1::MonitoringResult* out) {
  v1::WarningLevel level{};
  ZBB_RETURN_IF_ERROR(read_enum(in.level(), "level", &level, /*none_is_unspecified=*/true));
  out->set_level(level);
  out->set_as_of(in.as_of());
  out->set_execution_rate_bp(in.execution_rate_bp());
  out->set_time_progress_bp(in.time_progress_bp());
  out->set_indicator_completion_bp(in.indicator_completion_bp());
  *out->mutable_reasons() = in.reasons();
  return Status::Ok();
}

Status convert(const legacy::Adjustment& in, v1::Adjustment* out) {
  v1::AdjustmentKind kind{};
  ZBB_RETURN_IF_ERROR(read_enum(in.kind(), "kind", &kind));
  out->set_kind(kind);
  out->set_amount(in.amount());
  out->set_indicator(in.indicator());
  out->set_new_target(in.new_target());
  out->set_reason(in.reason());
  out->set_target_line(in.target_line());
  out->set_proposed_by(in.proposed_by());
  ZBB_RETURN_IF_ERROR(read_time(in.proposed_at_ms(), "proposed_at_ms", out->mutable_proposed_at()));
  ZBB_RETURN_IF_ERROR(convert_each(in.decisions(), "decisions", out->mutable_decisions()));
  v1::AdjustmentOutcome outcome{};
  ZBB_RETURN_IF_ERROR(read_enum(in.outcome(), "outcome", &outcome));
  out->set_outcome(outcome);
  return Status::Ok();
}

Status convert(const legacy::IncomingReallocation& in, v1::IncomingReallocation* out) {
  out->set_from_line(in.from_line());
  out->set_amount(in.amount());
  return Status::Ok();
}

Status convert(const legacy::Evaluation& in, v1::Evaluation* out) {
  out->set_satisfaction_percent(in.satisfaction_percent());
  out->set_summary(in.summary());
  out->set_submitted_by(in.submitted_by());
  out->set_execution_tenths(in.execution_tenths());
  out->set_output_tenths(in.output_tenths());
  out->set_effect_tenths(in.effect_tenths());
  out->set_satisfaction_tenths(in.satisfaction_tenths());
  out->set_score_tenths(in.score_tenths());
  out->set_grade(in.grade());
  return Status::Ok();
}

// Sub-objects the document may lack are set only when it has them; the times it always has
// (submitted_at_ms absent: the epoch) are always set.
Status convert(const legacy::BudgetLine& in, v1::BudgetLine* out) {
  out->set_id(in.id());
  ZBB_RETURN_IF_ERROR(convert(in.content(), out->mutable_content()).within("content"));
  out->set_state(in.state());
  out->set_version(in.version());
  out->set_policy_version(in.policy_version());
  out->set_waiting_on(in.waiting_on());
  out->set_created_by(in.created_by());
  out->set_submitted_by(in.submitted_by());
  *out->mutable_preparers() = in.preparers();
  ZBB_RETURN_IF_ERROR(read_time(in.created_at_ms(), "created_at_ms", out->mutable_created_at()));
  ZBB_RETURN_IF_ERROR(
      read_time(in.submitted_at_ms(), "submitted_at_ms", out->mutable_submitted_at()));
  ZBB_RETURN_IF_ERROR(read_time(in.updated_at_ms(), "updated_at_ms", out->mutable_updated_at()));
  ZBB_RETURN_IF_ERROR(
      read_time(in.state_entered_at_ms(), "state_entered_at_ms", out->mutable_state_entered_at()));
  if (in.has_due_at_ms())
    ZBB_RETURN_IF_ERROR(read_time(in.due_at_ms(), "due_at_ms", out->mutable_due_at()));
  out->set_sla_breached(in.sla_breached());
  out->set_review_claimed_by(in.review_claimed_by());
  if (in.has_prior())
    ZBB_RETURN_IF_ERROR(convert(in.prior(), out->mutable_prior()).within("prior"));
  if (in.has_priority())
    ZBB_RETURN_IF_ERROR(convert(in.priority(), out->mutable_priority()).within("priority"));
  if (in.has_placement())
    ZBB_RETURN_IF_ERROR(convert(in.placement(), out->mutable_placement()).within("placement"));
  out->set_funded_amount(in.funded_amount());
  std::int32_t approval_step = 0;
  ZBB_RETURN_IF_ERROR(read_int32(in.approval_step(), "approval_step", &approval_step));
  out->set_approval_step(approval_step);
  out->set_granted_amount(in.granted_amount());
  out->set_approved_amount(in.approved_amount());
  ZBB_RETURN_IF_ERROR(convert_each(in.approvals(), "approvals", out->mutable_approvals()));
  out->set_spent_amount(in.spent_amount());
  if (in.has_monitoring())
    ZBB_RETURN_IF_ERROR(convert(in.monitoring(), out->mutable_monitoring()).within("monitoring"));
  if (in.has_pending_adjustment())
    ZBB_RETURN_IF_ERROR(convert(in.pending_adjustment(), out->mutable_pending_adjustment())
                            .within("pending_adjustment"));
  ZBB_RETURN_IF_ERROR(convert_each(in.adjustments(), "adjustments", out->mutable_adjustments()));
  ZBB_RETURN_IF_ERROR(convert_each(in.incoming(), "incoming", out->mutable_incoming()));
  if (in.has_evaluation())
    ZBB_RETURN_IF_ERROR(convert(in.evaluation(), out->mutable_evaluation()).within("evaluation"));
  return Status::Ok();
}

Status convert(const legacy::CommandOutcome::Item& in, zbb::model::CommandOutcome::Item* out) {
  out->set_line_id(in.line_id());
  out->set_version(in.version());
  out->set_state(in.state());
  return Status::Ok();
}

Status convert(const legacy::CommandOutcome& in, zbb::model::CommandOutcome* out) {
  ZBB_RETURN_IF_ERROR(convert_each(in.items(), "items", out->mutable_items()));
  out->set_last_sequence(in.last_sequence());
  return Status::Ok();
}

template <typename In, typename Out>
Status convert_each(const pb::RepeatedPtrField<In>& in, const char* field,
                    pb::RepeatedPtrField<Out>* out) {
  for (int i = 0; i < in.size(); ++i)
    ZBB_RETURN_IF_ERROR(convert(in.Get(i), out->Add()).within(fmt::format("{}[{}]", field, i)));
  return Status::Ok();
}

// The document `text`, parsed as a Legacy message and converted to a New one, in binary.
template <typename Legacy, typename New>
Result<std::string> upgrade(std::string_view text, std::string_view what) {
  Legacy legacy;
  New converted;
  Status status = parse(text, &legacy);
  if (status.ok()) status = check_required(legacy);
  if (status.ok()) status = convert(legacy, &converted);
  if (!status.ok()) {
    return Status::DataLoss(
        status.field().empty()
            ? fmt::format("{} of schema v7: {}", what, status.message())
            : fmt::format("{} of schema v7: {} {}", what, status.field(), status.message()));
  }
  std::string binary;
  if (!converted.SerializeToString(&binary))
    return Status::Internal(fmt::format("{}: cannot serialize the upgraded message", what));
  return binary;
}

}  // namespace

Result<std::string> line_document_from_v7_json(std::string_view json_text) {
  return upgrade<legacy::BudgetLine, v1::BudgetLine>(json_text, "line document");
}

Result<std::string> command_outcome_from_v7_json(std::string_view json_text) {
  return upgrade<legacy::CommandOutcome, zbb::model::CommandOutcome>(json_text, "request outcome");
}

}  // namespace zbb::sql
