#include "workflows/evaluation_rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>

#include "engine/money.h"
#include "workflows/issued_indicators.h"
#include "workflows/performance.h"
#include "workflows/state_ids.h"

namespace zbb::review {
namespace {

// The parts of the evaluation, as the policy's weights and a review name them.
constexpr std::array<std::string_view, 4> kParts = {"budget_execution", "output", "effect",
                                                    "satisfaction"};

std::int64_t part_points(const zbb::policy::EvaluationWeights& weights, std::string_view part) {
  if (part == "budget_execution") return weights.budget_execution_points();
  if (part == "output") return weights.output_points();
  if (part == "effect") return weights.effect_points();
  return weights.satisfaction_points();
}

std::int64_t part_tenths(const Evaluation& e, std::string_view part) {
  if (part == "budget_execution") return e.execution_tenths();
  if (part == "output") return e.output_tenths();
  if (part == "effect") return e.effect_tenths();
  return e.satisfaction_tenths();
}

void set_part_tenths(Evaluation& e, std::string_view part, std::int64_t tenths) {
  if (part == "budget_execution") e.set_execution_tenths(tenths);
  if (part == "output") e.set_output_tenths(tenths);
  if (part == "effect") e.set_effect_tenths(tenths);
  if (part == "satisfaction") e.set_satisfaction_tenths(tenths);
}

void add_up(Evaluation& e, const zbb::policy::WorkflowPolicy& policy) {
  e.set_score_tenths(e.execution_tenths() + e.output_tenths() + e.effect_tenths() +
                     e.satisfaction_tenths());
  e.set_grade(grade_of(policy, e.score_tenths()));
}

const zbb::policy::QualitativeBand* band_named(const zbb::policy::WorkflowPolicy& policy,
                                               const std::string& name) {
  for (const auto& band : policy.evaluation().qualitative_bands())
    if (band.band() == name) return &band;
  return nullptr;
}

std::string band_names(const zbb::policy::WorkflowPolicy& policy) {
  std::string names;
  for (const auto& band : policy.evaluation().qualitative_bands())
    names += fmt::format("{}{} ({}..{} %)", names.empty() ? "" : ", ", band.band(),
                         band.min_percent(), band.max_percent());
  return names.empty() ? "none: the policy names no qualitative bands" : names;
}

// One grade judged on its own: an issued qualitative indicator, a band of the policy, a percent
// within it. Fields relative to the grade.
Status check_grade(const BudgetLine& line, const zbb::policy::WorkflowPolicy& policy,
                   const QualitativeGrade& grade) {
  const std::vector<const Indicator*> issued = issued_indicators(line);
  const auto found = std::find_if(issued.begin(), issued.end(), [&](const Indicator* i) {
    return i->name() == grade.indicator();
  });
  if (found == issued.end())
    return Status::InvalidArgument(
        "indicator", fmt::format("line {} has no indicator {} issued with its budget", line.id(),
                                 grade.indicator()));
  if (!(*found)->qualitative())
    return Status::InvalidArgument(
        "indicator", fmt::format("{} is quantitative: its actual against its target scores it",
                                 grade.indicator()));
  const auto* band = band_named(policy, grade.band());
  if (band == nullptr)
    return Status::InvalidArgument(
        "band", fmt::format("{} is not a band of policy {}; expected one of: {}", grade.band(),
                            policy.version(), band_names(policy)));
  if (grade.percent() < static_cast<int>(band->min_percent()) ||
      grade.percent() > static_cast<int>(band->max_percent()))
    return Status::InvalidArgument(
        "percent", fmt::format("{} is outside band {} ({}..{} %)", grade.percent(), band->band(),
                               band->min_percent(), band->max_percent()));
  return Status::Ok();
}

bool set_by_review(const Evaluation& e, std::string_view part) {
  for (const auto& review : e.reviews())
    for (const auto& set : review.parts())
      if (set.part() == part) return true;
  return false;
}

// `in_force` with `parts` scored again on the line as it stands and the grades it holds, but for
// those a review set; the others keep their points. Added up and graded.
Evaluation rescore_parts(const BudgetLine& line, const zbb::policy::WorkflowPolicy& policy,
                         const Evaluation& in_force, const std::set<std::string_view>& parts) {
  const Evaluation fresh =
      score_evaluation(line, policy, in_force.satisfaction_percent(), in_force.qualitative());
  Evaluation e = in_force;
  for (std::string_view part : parts)
    if (!set_by_review(in_force, part)) set_part_tenths(e, part, part_tenths(fresh, part));
  add_up(e, policy);
  return e;
}

// The parts an issued indicator's score counts in: output and cost indicators the output part,
// effect indicators the effect part, satisfaction indicators the satisfaction part — and the
// effect part too of a line with no effect indicator (score_evaluation).
std::vector<std::string_view> parts_counting(const BudgetLine& line, const std::string& name) {
  const std::vector<const Indicator*> issued = issued_indicators(line);
  const auto found = std::find_if(issued.begin(), issued.end(),
                                  [&](const Indicator* i) { return i->name() == name; });
  if (found == issued.end()) return {};
  switch ((*found)->level1()) {
    case zbb::v1::INDICATOR_LEVEL1_OUTPUT:
    case zbb::v1::INDICATOR_LEVEL1_COST:
      return {"output"};
    case zbb::v1::INDICATOR_LEVEL1_EFFECT:
      return {"effect"};
    case zbb::v1::INDICATOR_LEVEL1_SATISFACTION: {
      const bool any_effect = std::any_of(issued.begin(), issued.end(), [](const Indicator* i) {
        return i->level1() == zbb::v1::INDICATOR_LEVEL1_EFFECT;
      });
      if (any_effect) return {"satisfaction"};
      return {"satisfaction", "effect"};
    }
    default:
      return {};
  }
}

}  // namespace

Status check_qualitative_grades(const BudgetLine& line, const zbb::policy::WorkflowPolicy& policy,
                                const QualitativeGrades& grades, const std::string& field) {
  std::set<std::string> graded;
  for (int i = 0; i < grades.size(); ++i) {
    const std::string at = fmt::format("{}[{}]", field, i);
    ZBB_RETURN_IF_ERROR(check_grade(line, policy, grades[i]).within(at));
    if (!graded.insert(grades[i].indicator()).second)
      return Status::InvalidArgument(at + ".indicator",
                                     fmt::format("{} is graded twice", grades[i].indicator()));
  }
  for (const Indicator* indicator : issued_indicators(line))
    if (indicator->qualitative() && !graded.contains(indicator->name()))
      return Status::InvalidArgument(
          field, fmt::format("qualitative indicator {} is not graded; bands: {}", indicator->name(),
                             band_names(policy)));
  return Status::Ok();
}

Evaluation rescored_execution(const BudgetLine& line, const zbb::policy::WorkflowPolicy& policy,
                              const Evaluation& in_force) {
  return rescore_parts(line, policy, in_force, {"budget_execution"});
}

bool evaluation_in_force(const BudgetLine& line) {
  const std::string_view s = line.state();
  return line.has_evaluation() && !line.evaluation().grade().empty() &&
         (s == state::kScored || s == state::kFocusedEvaluation || s == state::kClosed);
}

bool had_red_verdict(const BudgetLine& line) {
  if (line.red_verdicts() > 0) return true;
  if (line.monitoring().level() == zbb::v1::WARNING_LEVEL_RED) return true;
  if (line.correction().level() == zbb::v1::WARNING_LEVEL_RED) return true;
  return std::any_of(line.adjustments().begin(), line.adjustments().end(),
                     [](const auto& a) { return a.under_red_warning(); });
}

std::vector<std::string> focused_selection(const BudgetLine& line,
                                           const zbb::policy::FocusedSelection& rule) {
  std::vector<std::string> reasons;
  if (rule.approved_above() > 0 && line.approved_amount() > rule.approved_above())
    reasons.push_back(fmt::format("approved {} yuan, above the policy's {}",
                                  format_yuan(line.approved_amount()),
                                  format_yuan(rule.approved_above())));
  if (rule.red_during_year() && had_red_verdict(line))
    reasons.push_back("a red warning during the year");
  return reasons;
}

Status apply_review(BudgetLine& line, const zbb::policy::WorkflowPolicy& policy,
                    const ReviewEvaluation& review, const std::string& actor, Timestamp now) {
  const Evaluation& evaluation = line.evaluation();
  zbb::v1::EvaluationReview record;
  record.set_score_tenths_before(evaluation.score_tenths());
  record.set_grade_before(evaluation.grade());
  std::set<std::string> named;
  for (int i = 0; i < review.parts_size(); ++i) {
    const auto& part = review.parts(i);
    const std::string at = fmt::format("parts[{}]", i);
    if (std::find(kParts.begin(), kParts.end(), part.part()) == kParts.end())
      return Status::InvalidArgument(
          at + ".part", fmt::format("{} is not a part of the evaluation; expected one of: "
                                    "budget_execution, output, effect, satisfaction",
                                    part.part()));
    if (!named.insert(part.part()).second)
      return Status::InvalidArgument(at + ".part", fmt::format("{} is set twice", part.part()));
    const std::int64_t most = part_points(policy.evaluation(), part.part()) * 10;
    if (part.tenths() > most)
      return Status::InvalidArgument(
          at + ".tenths", fmt::format("{} is worth at most {} tenths under policy {} (got {})",
                                      part.part(), most, policy.version(), part.tenths()));
    const std::int64_t before = part_tenths(evaluation, part.part());
    if (part.tenths() == before)
      return Status::InvalidArgument(
          at + ".tenths",
          fmt::format("{} has {} tenths already: nothing to change", part.part(), before));
    *record.add_parts() = part;
    record.add_parts_before(before);
  }
  // The new grades, checked as a whole against the issued indicators: each regraded once, to
  // another grade, and none counting in a part a review sets (its points would hide the grade).
  QualitativeGrades grades = evaluation.qualitative();
  std::set<std::string> regraded;
  std::set<std::string_view> rescore;
  for (int i = 0; i < review.regrades_size(); ++i) {
    const QualitativeGrade& grade = review.regrades(i).grade();
    const std::string at = fmt::format("regrades[{}].grade", i);
    ZBB_RETURN_IF_ERROR(check_grade(line, policy, grade).within(at));
    if (!regraded.insert(grade.indicator()).second)
      return Status::InvalidArgument(at + ".indicator",
                                     fmt::format("{} is graded twice", grade.indicator()));
    auto old = std::find_if(grades.begin(), grades.end(),
                            [&](const auto& g) { return g.indicator() == grade.indicator(); });
    QualitativeGrade before;
    before.set_indicator(grade.indicator());  // not graded before (an older evaluation): no band
    if (old != grades.end()) before = *old;
    if (before.band() == grade.band() && before.percent() == grade.percent())
      return Status::InvalidArgument(
          at, fmt::format("{} is graded {} {} % already: nothing to change", grade.indicator(),
                          grade.band(), grade.percent()));
    for (std::string_view part : parts_counting(line, grade.indicator())) {
      if (named.contains(std::string(part)) || set_by_review(evaluation, part))
        return Status::InvalidArgument(
            at + ".indicator",
            fmt::format("{} counts in the {} part, whose points a review sets: set its points "
                        "instead",
                        grade.indicator(), part));
      rescore.insert(part);
    }
    if (old != grades.end())
      *old = grade;
    else
      *grades.Add() = grade;
    *record.add_regrades() = review.regrades(i);
    *record.add_grades_before() = std::move(before);
  }
  Evaluation next = evaluation;
  *next.mutable_qualitative() = std::move(grades);
  next = rescore_parts(line, policy, next, rescore);
  for (const auto& part : review.parts()) set_part_tenths(next, part.part(), part.tenths());
  add_up(next, policy);
  record.set_comment(review.comment());
  record.set_reviewed_by(actor);
  *record.mutable_reviewed_at() = to_proto(now);
  record.set_score_tenths_after(next.score_tenths());
  record.set_grade_after(next.grade());
  *next.add_reviews() = std::move(record);
  *line.mutable_evaluation() = std::move(next);
  return Status::Ok();
}

}  // namespace zbb::review
