#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <google/protobuf/util/message_differencer.h>

#include "engine/budget_line.h"
#include "engine/commands.h"
#include "engine/proto_codec.h"
#include "zbb/v1/workflow.pb.h"

// Short builders of the zbb.v1 messages the engine holds (a request's parts, what the workflow
// records on a line), so that a test reads as the data.
namespace zbb::testing {

inline CostItem cost_item(std::string name, std::int64_t quantity, Fen unit_price, Fen amount) {
  CostItem item;
  item.set_name(std::move(name));
  item.set_quantity(quantity);
  item.set_unit_price(unit_price);
  item.set_amount(amount);
  return item;
}

inline Indicator quantitative(std::string name, IndicatorLevel1 level1, IndicatorLevel2 level2,
                              std::string unit, double target, Direction direction) {
  Indicator indicator;
  indicator.set_name(std::move(name));
  indicator.set_level1(level1);
  indicator.set_level2(level2);
  indicator.set_unit(std::move(unit));
  indicator.set_target(target);
  indicator.set_direction(direction);
  return indicator;
}

inline Increment increment(IncrementLevel level, Fen amount, std::string justification) {
  Increment out;
  out.set_level(level);
  out.set_amount(amount);
  out.set_justification(std::move(justification));
  return out;
}

inline CriterionScore criterion_score(std::string criterion, std::int64_t score) {
  CriterionScore out;
  out.set_criterion(std::move(criterion));
  out.set_score(static_cast<std::int32_t>(score));
  return out;
}

inline PriorityScore priority_score(std::initializer_list<CriterionScore> scores,
                                    std::int64_t score_hundredths, std::string scored_by,
                                    Timestamp scored_at) {
  PriorityScore out;
  for (const CriterionScore& score : scores) *out.add_scores() = score;
  out.set_score_hundredths(score_hundredths);
  out.set_scored_by(std::move(scored_by));
  *out.mutable_scored_at() = to_proto(scored_at);
  return out;
}

inline Evaluation evaluation(std::int64_t satisfaction_percent, std::string summary,
                             std::string submitted_by, std::int64_t execution_tenths,
                             std::int64_t output_tenths, std::int64_t effect_tenths,
                             std::int64_t satisfaction_tenths, std::int64_t score_tenths,
                             std::string grade) {
  Evaluation out;
  out.set_satisfaction_percent(satisfaction_percent);
  out.set_summary(std::move(summary));
  out.set_submitted_by(std::move(submitted_by));
  out.set_execution_tenths(execution_tenths);
  out.set_output_tenths(output_tenths);
  out.set_effect_tenths(effect_tenths);
  out.set_satisfaction_tenths(satisfaction_tenths);
  out.set_score_tenths(score_tenths);
  out.set_grade(std::move(grade));
  return out;
}

inline PriorResult prior_result(std::string line_id, int fiscal_year, std::string grade,
                                std::int64_t score_tenths, Fen approved_amount, bool flagged,
                                std::optional<Fen> ceiling) {
  PriorResult out;
  out.set_line_id(std::move(line_id));
  out.set_fiscal_year(fiscal_year);
  out.set_grade(std::move(grade));
  out.set_score_tenths(score_tenths);
  out.set_approved_amount(approved_amount);
  out.set_flagged(flagged);
  if (ceiling) out.set_ceiling(*ceiling);
  return out;
}

inline RankingPlacement ranking_placement(std::string ranking_id, std::int64_t rank,
                                          std::initializer_list<IncrementLevel> funded_levels) {
  RankingPlacement out;
  out.set_ranking_id(std::move(ranking_id));
  out.set_rank(rank);
  for (IncrementLevel level : funded_levels) out.add_funded_levels(level);
  return out;
}

inline IncomingReallocation incoming_reallocation(std::string from_line, Fen amount) {
  IncomingReallocation out;
  out.set_from_line(std::move(from_line));
  out.set_amount(amount);
  return out;
}

inline MonitoringResult monitoring_result(WarningLevel level, std::string as_of,
                                          std::int64_t execution_rate_bp,
                                          std::int64_t time_progress_bp,
                                          std::int64_t indicator_completion_bp,
                                          std::initializer_list<std::string> reasons) {
  MonitoringResult out;
  out.set_level(level);
  out.set_as_of(std::move(as_of));
  out.set_execution_rate_bp(execution_rate_bp);
  out.set_time_progress_bp(time_progress_bp);
  out.set_indicator_completion_bp(indicator_completion_bp);
  for (const std::string& reason : reasons) out.add_reasons(reason);
  return out;
}

inline zbb::v1::MonitoringGroup monitoring_group(std::string department, WarningLevel level,
                                                 std::int64_t lines, Fen approved, Fen spent) {
  zbb::v1::MonitoringGroup out;
  out.set_department(std::move(department));
  out.set_level(level);
  out.set_lines(lines);
  out.set_approved(approved);
  out.set_spent(spent);
  return out;
}

// The actions a client sends (engine/commands.h: Action), their arguments in the order of the
// message's fields, each defaulted as the message's field is.
inline CreateLine create_line(LineContent content = {}) {
  CreateLine out;
  *out.mutable_content() = std::move(content);
  return out;
}

inline ReviseLine revise_line(LineContent content = {}) {
  ReviseLine out;
  *out.mutable_content() = std::move(content);
  return out;
}

inline SubmitLine submit_line() { return {}; }
inline StartTargetReview start_target_review() { return {}; }
inline BeginEvaluation begin_evaluation() { return {}; }

inline ReviewTargets review_targets(bool accept = false, std::string comment = "") {
  ReviewTargets out;
  out.set_accept(accept);
  out.set_comment(std::move(comment));
  return out;
}

inline ScorePriority score_priority(std::vector<CriterionScore> scores = {},
                                    std::string comment = "") {
  ScorePriority out;
  for (CriterionScore& score : scores) *out.add_scores() = std::move(score);
  out.set_comment(std::move(comment));
  return out;
}

inline FundLine fund_line(Fen amount = 0, std::string comment = "") {
  FundLine out;
  out.set_amount(amount);
  out.set_comment(std::move(comment));
  return out;
}

// `amount` unset: none given (an approval then grants what was funded or granted before).
inline DecideApproval decide_approval(std::string level = "",
                                      Decision decision = zbb::v1::DECISION_APPROVE,
                                      std::optional<Fen> amount = std::nullopt,
                                      std::string comment = "") {
  DecideApproval out;
  out.set_level(std::move(level));
  out.set_decision(decision);
  if (amount) out.set_amount(*amount);
  out.set_comment(std::move(comment));
  return out;
}

inline RecordSpending record_spending(Fen amount = 0, std::string payment_ref = "",
                                      std::string comment = "") {
  RecordSpending out;
  out.set_amount(amount);
  out.set_payment_ref(std::move(payment_ref));
  out.set_comment(std::move(comment));
  return out;
}

inline RecordIndicatorProgress record_indicator_progress(std::string indicator = "",
                                                         double actual = 0) {
  RecordIndicatorProgress out;
  out.set_indicator(std::move(indicator));
  out.set_actual(actual);
  return out;
}

// No date: as_of left empty.
inline RunCheckpoint run_checkpoint(std::optional<std::chrono::year_month_day> as_of = {}) {
  RunCheckpoint out;
  if (as_of) out.set_as_of(format_date(*as_of));
  return out;
}

inline ProposeAdjustment propose_adjustment(AdjustmentKind kind = zbb::v1::ADJUSTMENT_KIND_REDUCE,
                                            Fen amount = 0, std::string indicator = "",
                                            double new_target = 0, std::string reason = "",
                                            std::string target_line = "") {
  ProposeAdjustment out;
  out.set_kind(kind);
  out.set_amount(amount);
  out.set_indicator(std::move(indicator));
  out.set_new_target(new_target);
  out.set_reason(std::move(reason));
  out.set_target_line(std::move(target_line));
  return out;
}

inline DecideAdjustment decide_adjustment(std::string level = "",
                                          Decision decision = zbb::v1::DECISION_APPROVE,
                                          std::string comment = "") {
  DecideAdjustment out;
  out.set_level(std::move(level));
  out.set_decision(decision);
  out.set_comment(std::move(comment));
  return out;
}

inline IndicatorValue indicator_value(std::string indicator, double actual) {
  IndicatorValue out;
  out.set_indicator(std::move(indicator));
  out.set_actual(actual);
  return out;
}

// Final actuals as (indicator, actual) pairs.
inline SubmitSelfEvaluation submit_self_evaluation(
    std::vector<std::pair<std::string, double>> final_actuals = {},
    std::int64_t satisfaction_percent = 0, std::string summary = "") {
  SubmitSelfEvaluation out;
  for (auto& [indicator, actual] : final_actuals)
    *out.add_final_actuals() = indicator_value(std::move(indicator), actual);
  out.set_satisfaction_percent(static_cast<std::int32_t>(satisfaction_percent));
  out.set_summary(std::move(summary));
  return out;
}

inline QualitativeGrade qualitative_grade(std::string indicator, std::string band, int percent) {
  QualitativeGrade out;
  out.set_indicator(std::move(indicator));
  out.set_band(std::move(band));
  out.set_percent(percent);
  return out;
}

inline SelectFocusedEvaluation select_focused_evaluation(std::string reason) {
  SelectFocusedEvaluation out;
  out.set_reason(std::move(reason));
  return out;
}

inline SubmitFocusedEvaluation submit_focused_evaluation(
    std::vector<std::pair<std::string, double>> final_actuals,
    std::vector<QualitativeGrade> qualitative, int satisfaction_percent, std::string summary) {
  SubmitFocusedEvaluation out;
  for (auto& [indicator, actual] : final_actuals)
    *out.add_final_actuals() = indicator_value(indicator, actual);
  for (auto& grade : qualitative) *out.add_qualitative() = std::move(grade);
  out.set_satisfaction_percent(satisfaction_percent);
  out.set_summary(std::move(summary));
  return out;
}

// A finance review setting parts ({part, tenths, reason}) and regrading qualitative indicators.
inline ReviewEvaluation review_evaluation(
    std::vector<std::tuple<std::string, std::int64_t, std::string>> parts,
    std::vector<std::pair<QualitativeGrade, std::string>> regrades = {}, std::string comment = "") {
  ReviewEvaluation out;
  for (auto& [part, tenths, reason] : parts) {
    auto& p = *out.add_parts();
    p.set_part(part);
    p.set_tenths(tenths);
    p.set_reason(reason);
  }
  for (auto& [grade, reason] : regrades) {
    auto& r = *out.add_regrades();
    *r.mutable_grade() = grade;
    r.set_reason(reason);
  }
  out.set_comment(std::move(comment));
  return out;
}

inline CloseLine close_line(std::string comment = "") {
  CloseLine out;
  out.set_comment(std::move(comment));
  return out;
}

inline SubmitRectification submit_rectification(std::string report = "") {
  SubmitRectification out;
  out.set_report(std::move(report));
  return out;
}

inline ReviewRectification review_rectification(bool accept = false, std::string comment = "") {
  ReviewRectification out;
  out.set_accept(accept);
  out.set_comment(std::move(comment));
  return out;
}

// An assessment concluding `passed` on every part, with the verdict `approve`.
inline RecordAssessment record_assessment(bool approve = true, std::string comment = "",
                                          bool passed = true) {
  RecordAssessment out;
  for (const char* part :
       {"necessity", "feasibility", "cost_reasonableness", "funding_compliance"}) {
    auto* conclusion = out.add_parts();
    conclusion->set_part(part);
    conclusion->set_conclusion(passed ? "论证充分" : "论证不足");
    conclusion->set_passed(passed);
  }
  out.set_approve(approve);
  out.set_comment(std::move(comment));
  return out;
}

inline ProgrammeEvent propose_programme(std::string department, std::string title,
                                        Category category = zbb::v1::CATEGORY_PROJECT,
                                        std::string description = "") {
  ProgrammeEvent out;
  auto* propose = out.mutable_propose();
  propose->set_department(std::move(department));
  propose->set_title(std::move(title));
  propose->set_category(category);
  propose->set_description(std::move(description));
  return out;
}

inline ProgrammeEvent admit_programme(std::string comment = "") {
  ProgrammeEvent out;
  out.mutable_admit()->set_comment(std::move(comment));
  return out;
}

inline ProgrammeEvent retire_programme(std::string reason = "") {
  ProgrammeEvent out;
  out.mutable_retire()->set_reason(std::move(reason));
  return out;
}

inline ReviewRestatedTargets review_restated_targets(bool accept = true, std::string comment = "") {
  ReviewRestatedTargets out;
  out.set_accept(accept);
  out.set_comment(std::move(comment));
  return out;
}

// The line's requested targets restated in proportion to the money approved: each quantitative
// target × approved / requested (restated_targets on the line says both).
inline RestateTargets restated_in_proportion(const BudgetLine& line, std::string comment = "") {
  RestateTargets out;
  const auto& r = line.restated_targets();
  const double share = r.requested_amount() == 0 ? 1.0
                                                 : static_cast<double>(r.approved_amount()) /
                                                       static_cast<double>(r.requested_amount());
  const auto in_proportion = [share](Indicator indicator) {
    if (!indicator.qualitative()) indicator.set_target(indicator.target() * share);
    return indicator;
  };
  for (const Indicator& indicator : r.requested()) *out.add_indicators() = in_proportion(indicator);
  for (const PackageTargets& requested : r.requested_packages()) {
    PackageTargets& package = *out.add_packages();
    package.set_level(requested.level());
    for (const Indicator& indicator : requested.indicators())
      *package.add_indicators() = in_proportion(indicator);
  }
  out.set_comment(std::move(comment));
  return out;
}

inline AnswerCorrection answer_correction(std::string measures = "", std::string deadline = "") {
  AnswerCorrection out;
  out.set_measures(std::move(measures));
  out.set_deadline(std::move(deadline));
  return out;
}

inline ReviewCorrection review_correction(bool accept = false, std::string comment = "") {
  ReviewCorrection out;
  out.set_accept(accept);
  out.set_comment(std::move(comment));
  return out;
}

inline WithdrawLine withdraw_line(std::string reason = "") {
  WithdrawLine out;
  out.set_reason(std::move(reason));
  return out;
}

// What zbb records on a line itself (engine/commands.h: FollowUp).
inline ExpectReallocation expect_reallocation(std::string from_line, int fiscal_year, Fen amount,
                                              std::string department) {
  ExpectReallocation out;
  out.set_from_line(std::move(from_line));
  out.set_fiscal_year(fiscal_year);
  out.set_amount(amount);
  out.set_department(std::move(department));
  return out;
}

inline ReceiveReallocation receive_reallocation(std::string from_line, Fen amount) {
  ReceiveReallocation out;
  out.set_from_line(std::move(from_line));
  out.set_amount(amount);
  return out;
}

inline CancelReallocation cancel_reallocation(std::string from_line) {
  CancelReallocation out;
  out.set_from_line(std::move(from_line));
  return out;
}

inline RecordSlaBreach sla_breach(std::string state) {
  RecordSlaBreach out;
  out.set_state(std::move(state));
  return out;
}

// Replaces a repeated field's items: `assign(c.mutable_cost_items(), {cost_item(…), …})`.
template <typename Message>
void assign(google::protobuf::RepeatedPtrField<Message>* field,
            std::initializer_list<Message> items) {
  field->Clear();
  for (const Message& item : items) *field->Add() = item;
}

// Field-by-field equality of two messages, of two requests, and of two lines (as the store
// keeps them).
inline bool same_message(const google::protobuf::Message& a, const google::protobuf::Message& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}
inline bool same_content(const LineContent& a, const LineContent& b) { return same_message(a, b); }
inline bool same_line(const BudgetLine& a, const BudgetLine& b) { return same_message(a, b); }

}  // namespace zbb::testing
