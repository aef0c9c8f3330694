#include "adapters/grpc/proto_convert.h"

#include <array>
#include <cstddef>
#include <utility>

#include <fmt/format.h>
#include <google/protobuf/util/time_util.h>

namespace zbb::api {
namespace {

namespace v1 = zbb::v1;

// One wire value per engine value; the wire's UNSPECIFIED is absent unless it means something.
template <typename Wire, typename Engine, std::size_t N>
using EnumTable = std::array<std::pair<Wire, Engine>, N>;

constexpr EnumTable<v1::Category, Category, 3> kCategories{{
    {v1::CATEGORY_BASIC, Category::kBasic},
    {v1::CATEGORY_PROJECT, Category::kProject},
    {v1::CATEGORY_DEPARTMENT_OVERALL, Category::kDepartmentOverall},
}};
constexpr EnumTable<v1::IndicatorLevel1, IndicatorLevel1, 4> kLevel1s{{
    {v1::INDICATOR_LEVEL1_OUTPUT, IndicatorLevel1::kOutput},
    {v1::INDICATOR_LEVEL1_EFFECT, IndicatorLevel1::kEffect},
    {v1::INDICATOR_LEVEL1_SATISFACTION, IndicatorLevel1::kSatisfaction},
    {v1::INDICATOR_LEVEL1_COST, IndicatorLevel1::kCost},
}};
constexpr EnumTable<v1::IndicatorLevel2, IndicatorLevel2, 9> kLevel2s{{
    {v1::INDICATOR_LEVEL2_QUANTITY, IndicatorLevel2::kQuantity},
    {v1::INDICATOR_LEVEL2_QUALITY, IndicatorLevel2::kQuality},
    {v1::INDICATOR_LEVEL2_TIMELINESS, IndicatorLevel2::kTimeliness},
    {v1::INDICATOR_LEVEL2_COST, IndicatorLevel2::kCost},
    {v1::INDICATOR_LEVEL2_ECONOMIC, IndicatorLevel2::kEconomic},
    {v1::INDICATOR_LEVEL2_SOCIAL, IndicatorLevel2::kSocial},
    {v1::INDICATOR_LEVEL2_ECOLOGICAL, IndicatorLevel2::kEcological},
    {v1::INDICATOR_LEVEL2_SUSTAINABILITY, IndicatorLevel2::kSustainability},
    {v1::INDICATOR_LEVEL2_SERVICE_OBJECT_SATISFACTION, IndicatorLevel2::kServiceObjectSatisfaction},
}};
// Unset is accepted here; the line's rules refuse it for a quantitative indicator.
constexpr EnumTable<v1::Direction, Direction, 4> kDirections{{
    {v1::DIRECTION_UNSPECIFIED, Direction::kNone},
    {v1::DIRECTION_AT_LEAST, Direction::kAtLeast},
    {v1::DIRECTION_AT_MOST, Direction::kAtMost},
    {v1::DIRECTION_EQUAL, Direction::kEqual},
}};
// A line not yet judged by the checkpoint has no warning level: the wire's UNSPECIFIED.
constexpr EnumTable<v1::WarningLevel, WarningLevel, 4> kWarningLevels{{
    {v1::WARNING_LEVEL_UNSPECIFIED, WarningLevel::kNone},
    {v1::WARNING_LEVEL_GREEN, WarningLevel::kGreen},
    {v1::WARNING_LEVEL_YELLOW, WarningLevel::kYellow},
    {v1::WARNING_LEVEL_RED, WarningLevel::kRed},
}};
constexpr EnumTable<v1::Decision, Decision, 3> kDecisions{{
    {v1::DECISION_APPROVE, Decision::kApprove},
    {v1::DECISION_REJECT, Decision::kReject},
    {v1::DECISION_RETURN, Decision::kReturn},
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

constexpr EnumTable<v1::IncrementLevel, IncrementLevel, 3> kIncrementLevels{{
    {v1::INCREMENT_LEVEL_MINIMUM, IncrementLevel::kMinimum},
    {v1::INCREMENT_LEVEL_CURRENT, IncrementLevel::kCurrent},
    {v1::INCREMENT_LEVEL_ENHANCEMENT, IncrementLevel::kEnhancement},
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

Result<Indicator> indicator_from_proto(const v1::Indicator& in) {
  Indicator out;
  out.name = in.name();
  auto level1 = from_proto(in.level1(), "level1");
  if (!level1.ok()) return level1.status();
  out.level1 = *level1;
  auto level2 = from_proto(in.level2(), "level2");
  if (!level2.ok()) return level2.status();
  out.level2 = *level2;
  out.quantitative = !in.qualitative();
  out.unit = in.unit();
  out.target = in.target();
  auto direction = from_proto(in.direction(), "direction");
  if (!direction.ok()) return direction.status();
  out.direction = *direction;
  if (in.has_actual()) out.actual = in.actual();
  return out;
}

void fill(const Indicator& in, v1::Indicator* out) {
  out->set_name(in.name);
  out->set_level1(to_proto(in.level1));
  out->set_level2(to_proto(in.level2));
  out->set_qualitative(!in.quantitative);
  out->set_unit(in.unit);
  out->set_target(in.target);
  out->set_direction(to_proto(in.direction));
  if (in.actual) out->set_actual(*in.actual);
}

void fill(const ApprovalRecord& in, v1::ApprovalRecord* out) {
  out->set_level(in.level);
  out->set_actor(in.actor);
  out->set_decision(to_proto(in.decision));
  out->set_amount(in.amount);
  out->set_comment(in.comment);
  *out->mutable_at() = to_proto(in.at);
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
  for (const auto& decision : in.decisions) fill(decision, out->add_decisions());
  out->set_outcome(to_proto(in.outcome));
  out->set_target_line(in.target_line);
}

void fill(const Evaluation& in, v1::Evaluation* out) {
  out->set_satisfaction_percent(in.satisfaction_percent);
  out->set_summary(in.summary);
  out->set_submitted_by(in.submitted_by);
  out->set_execution_tenths(in.execution_tenths);
  out->set_output_tenths(in.output_tenths);
  out->set_effect_tenths(in.effect_tenths);
  out->set_satisfaction_tenths(in.satisfaction_tenths);
  out->set_score_tenths(in.score_tenths);
  out->set_grade(in.grade);
}

// One converter per oneof case; errors are named relative to the event message.
Result<Action> convert(const v1::CreateLine& in) {
  auto content = content_from_proto(in.content());
  if (!content.ok()) return content.status().within("content");
  return Action(CreateLine{std::move(content).value()});
}

Result<Action> convert(const v1::Revise& in) {
  auto content = content_from_proto(in.content());
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
  for (const auto& score : in.scores())
    out.scores.push_back(CriterionScore{score.criterion(), score.score()});
  out.comment = in.comment();
  return Action(std::move(out));
}

// A fund by hand carries no placement: only a ranking run places lines.
Result<Action> convert(const v1::Fund& in) {
  return Action(FundLine{in.amount(), in.comment(), std::nullopt});
}

Result<Action> convert(const v1::Decide& in) {
  auto decision = from_proto(in.decision(), "decision");
  if (!decision.ok()) return decision.status();
  // An approval without an amount grants what was granted before; a refusal grants nothing.
  std::optional<Fen> amount;
  if (in.has_amount() || *decision != Decision::kApprove) amount = in.amount();
  return Action(DecideApproval{in.level(), *decision, amount, in.comment()});
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
  auto kind = from_proto(in.kind(), "kind");
  if (!kind.ok()) return kind.status();
  return Action(ProposeAdjustment{*kind, in.amount(), in.indicator(), in.new_target(), in.reason(),
                                  in.target_line()});
}

Result<Action> convert(const v1::DecideAdjustment& in) {
  auto decision = from_proto(in.decision(), "decision");
  if (!decision.ok()) return decision.status();
  return Action(DecideAdjustment{in.level(), *decision, in.comment()});
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

}  // namespace

v1::Category to_proto(Category value) { return wire_value(kCategories, value); }
v1::IndicatorLevel1 to_proto(IndicatorLevel1 value) { return wire_value(kLevel1s, value); }
v1::IndicatorLevel2 to_proto(IndicatorLevel2 value) { return wire_value(kLevel2s, value); }
v1::Direction to_proto(Direction value) { return wire_value(kDirections, value); }
v1::WarningLevel to_proto(WarningLevel value) { return wire_value(kWarningLevels, value); }
v1::Decision to_proto(Decision value) { return wire_value(kDecisions, value); }
v1::AdjustmentKind to_proto(AdjustmentKind value) { return wire_value(kAdjustmentKinds, value); }
v1::IncrementLevel to_proto(IncrementLevel value) { return wire_value(kIncrementLevels, value); }
v1::AdjustmentOutcome to_proto(AdjustmentOutcome value) {
  return wire_value(kAdjustmentOutcomes, value);
}

Result<Category> from_proto(v1::Category value, std::string_view field) {
  return engine_value(kCategories, value, field);
}
Result<IndicatorLevel1> from_proto(v1::IndicatorLevel1 value, std::string_view field) {
  return engine_value(kLevel1s, value, field);
}
Result<IndicatorLevel2> from_proto(v1::IndicatorLevel2 value, std::string_view field) {
  return engine_value(kLevel2s, value, field);
}
Result<Direction> from_proto(v1::Direction value, std::string_view field) {
  return engine_value(kDirections, value, field);
}
Result<WarningLevel> from_proto(v1::WarningLevel value, std::string_view field) {
  return engine_value(kWarningLevels, value, field);
}
Result<Decision> from_proto(v1::Decision value, std::string_view field) {
  return engine_value(kDecisions, value, field);
}
Result<AdjustmentKind> from_proto(v1::AdjustmentKind value, std::string_view field) {
  return engine_value(kAdjustmentKinds, value, field);
}
Result<AdjustmentOutcome> from_proto(v1::AdjustmentOutcome value, std::string_view field) {
  return engine_value(kAdjustmentOutcomes, value, field);
}

Result<std::optional<Category>> category_filter_from_proto(v1::Category value) {
  if (value == v1::CATEGORY_UNSPECIFIED) return std::optional<Category>();
  auto category = from_proto(value, "category");
  if (!category.ok()) return category.status();
  return std::optional<Category>(*category);
}

Result<LineContent> content_from_proto(const v1::LineContent& in) {
  LineContent out;
  out.fiscal_year = in.fiscal_year();
  out.department = in.department();
  out.programme_code = in.programme_code();
  out.title = in.title();
  auto category = from_proto(in.category(), "category");
  if (!category.ok()) return category.status();
  out.category = *category;
  out.requested_amount = in.requested_amount();
  out.cost_items.reserve(static_cast<std::size_t>(in.cost_items_size()));
  for (const auto& item : in.cost_items())
    out.cost_items.push_back(
        CostItem{item.name(), item.quantity(), item.unit_price(), item.amount()});
  out.necessity_statement = in.necessity_statement();
  out.indicators.reserve(static_cast<std::size_t>(in.indicators_size()));
  for (int i = 0; i < in.indicators_size(); ++i) {
    auto indicator = indicator_from_proto(in.indicators(i));
    if (!indicator.ok()) return indicator.status().within(fmt::format("indicators[{}]", i));
    out.indicators.push_back(std::move(indicator).value());
  }
  for (int i = 0; i < in.increments_size(); ++i) {
    const auto& increment = in.increments(i);
    auto level =
        engine_value(kIncrementLevels, increment.level(), fmt::format("increments[{}].level", i));
    if (!level.ok()) return level.status();
    out.increments.push_back(Increment{*level, increment.amount(), increment.justification()});
  }
  return out;
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

google::protobuf::Timestamp to_proto(Timestamp at) {
  return google::protobuf::util::TimeUtil::MillisecondsToTimestamp(to_millis(at));
}

Timestamp from_proto(const google::protobuf::Timestamp& at) {
  return from_millis(google::protobuf::util::TimeUtil::TimestampToMilliseconds(at));
}

void to_proto(const LineContent& in, v1::LineContent* out) {
  out->Clear();
  out->set_fiscal_year(in.fiscal_year);
  out->set_department(in.department);
  out->set_programme_code(in.programme_code);
  out->set_title(in.title);
  out->set_category(to_proto(in.category));
  out->set_requested_amount(in.requested_amount);
  for (const auto& item : in.cost_items) {
    auto* cost_item = out->add_cost_items();
    cost_item->set_name(item.name);
    cost_item->set_quantity(item.quantity);
    cost_item->set_unit_price(item.unit_price);
    cost_item->set_amount(item.amount);
  }
  out->set_necessity_statement(in.necessity_statement);
  for (const auto& indicator : in.indicators) fill(indicator, out->add_indicators());
  for (const auto& increment : in.increments) {
    auto* wire = out->add_increments();
    wire->set_level(wire_value(kIncrementLevels, increment.level));
    wire->set_amount(increment.amount);
    wire->set_justification(increment.justification);
  }
}

void to_proto(const BudgetLine& in, v1::BudgetLine* out) {
  out->Clear();
  out->set_id(in.id);
  to_proto(in.content, out->mutable_content());
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
  for (const auto& approval : in.approvals) fill(approval, out->add_approvals());
  out->set_spent_amount(in.spent_amount);
  if (in.monitoring) fill(*in.monitoring, out->mutable_monitoring());
  if (in.pending_adjustment) fill(*in.pending_adjustment, out->mutable_pending_adjustment());
  for (const auto& adjustment : in.adjustments) fill(adjustment, out->add_adjustments());
  if (in.evaluation) fill(*in.evaluation, out->mutable_evaluation());
  *out->mutable_submitted_at() = to_proto(in.submitted_at);
  if (in.priority) {
    auto* priority = out->mutable_priority();
    for (const auto& score : in.priority->scores) {
      auto* wire = priority->add_scores();
      wire->set_criterion(score.criterion);
      wire->set_score(static_cast<std::int32_t>(score.score));
    }
    priority->set_score_hundredths(in.priority->score_hundredths);
    priority->set_scored_by(in.priority->scored_by);
    *priority->mutable_scored_at() = to_proto(in.priority->scored_at);
  }
  for (const auto& incoming : in.incoming) {
    auto* wire = out->add_incoming();
    wire->set_from_line(incoming.from_line);
    wire->set_amount(incoming.amount);
  }
  if (in.prior) {
    auto* prior = out->mutable_prior();
    prior->set_line_id(in.prior->line_id);
    prior->set_fiscal_year(in.prior->fiscal_year);
    prior->set_grade(in.prior->grade);
    prior->set_score_tenths(in.prior->score_tenths);
    prior->set_approved_amount(in.prior->approved_amount);
    prior->set_flagged(in.prior->flagged);
    if (in.prior->ceiling) prior->set_ceiling(*in.prior->ceiling);
  }
  if (in.placement) {
    auto* placement = out->mutable_placement();
    placement->set_ranking_id(in.placement->ranking_id);
    placement->set_rank(in.placement->rank);
    for (auto level : in.placement->funded_levels)
      placement->add_funded_levels(wire_value(kIncrementLevels, level));
  }
}

void to_proto(const RecordedEvent& in, v1::RecordedEvent* out) {
  out->Clear();
  out->set_sequence(in.sequence);
  out->set_line_id(in.line_id);
  out->set_line_sequence(in.line_sequence);
  out->set_type(in.type);
  out->set_from_state(in.from_state);
  out->set_to_state(in.to_state);
  out->set_payload_json(in.payload);
  out->set_actor(in.actor);
  *out->mutable_at() = to_proto(in.at);
  out->set_request_id(in.request_id);
  out->set_prev_hash(in.prev_hash);
  out->set_hash(in.hash);
}

void to_proto(const MonitoringResult& in, v1::MonitoringResult* out) {
  out->Clear();
  fill(in, out);
}

}  // namespace zbb::api
