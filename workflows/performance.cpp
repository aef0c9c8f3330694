#include "workflows/performance.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "workflows/checkpoints.h"
#include "workflows/issued_indicators.h"

namespace zbb::review {
namespace {

// Mean completion of the quantitative indicators issued with the line's budget (its own and its
// issued packages') that `wanted` selects; nullopt when none.
template <typename Predicate>
std::optional<double> mean_completion(const BudgetLine& line, Predicate wanted) {
  double sum = 0;
  int count = 0;
  for (const Indicator* indicator : issued_indicators(line)) {
    if (indicator->qualitative() || !wanted(*indicator)) continue;
    sum += completion(*indicator);
    ++count;
  }
  if (count == 0) return std::nullopt;
  return sum / count;
}

using Grades = google::protobuf::RepeatedPtrField<QualitativeGrade>;

// The national method's mean over the issued indicators `wanted` selects: a quantitative one its
// completion (full once its target is met, in proportion below), a qualitative one its grade's
// percent; one not graded is left out. nullopt when none counts.
template <typename Predicate>
std::optional<double> mean_score(const BudgetLine& line, const Grades& grades, Predicate wanted) {
  double sum = 0;
  int count = 0;
  for (const Indicator* indicator : issued_indicators(line)) {
    if (!wanted(*indicator)) continue;
    if (!indicator->qualitative()) {
      sum += completion(*indicator);
      ++count;
      continue;
    }
    const auto graded = std::find_if(grades.begin(), grades.end(), [&](const auto& g) {
      return g.indicator() == indicator->name();
    });
    if (graded == grades.end()) continue;
    sum += static_cast<double>(graded->percent()) / 100;
    ++count;
  }
  if (count == 0) return std::nullopt;
  return sum / count;
}

bool is_output(const Indicator& i) {
  return i.level1() == zbb::v1::INDICATOR_LEVEL1_OUTPUT ||
         i.level1() == zbb::v1::INDICATOR_LEVEL1_COST;
}
bool is_effect(const Indicator& i) { return i.level1() == zbb::v1::INDICATOR_LEVEL1_EFFECT; }
bool is_satisfaction(const Indicator& i) {
  return i.level1() == zbb::v1::INDICATOR_LEVEL1_SATISFACTION;
}

std::int64_t tenths(double fraction, std::uint32_t points) {
  return std::llround(std::clamp(fraction, 0.0, 1.0) * points * 10);
}

std::string points_text(std::int64_t bp) {
  return fmt::format("{}{}.{:02d}", bp < 0 ? "-" : "", std::abs(bp) / 100, std::abs(bp) % 100);
}
std::string percent(std::int64_t bp) { return points_text(bp) + "%"; }

}  // namespace

double completion(const Indicator& indicator) {
  if (!indicator.has_actual()) return 0;
  const double actual = indicator.actual();
  const double target = indicator.target();
  switch (indicator.direction()) {
    case zbb::v1::DIRECTION_AT_LEAST:
      return target <= 0 ? 1.0 : std::clamp(actual / target, 0.0, 1.0);
    case zbb::v1::DIRECTION_AT_MOST:
      if (actual <= target) return 1.0;
      return actual <= 0 ? 0.0 : std::clamp(target / actual, 0.0, 1.0);
    case zbb::v1::DIRECTION_EQUAL:
      if (actual == target) return 1.0;
      if (target == 0) return 0.0;
      return std::clamp(1.0 - std::abs(actual - target) / std::abs(target), 0.0, 1.0);
    default:  // qualitative: no numeric target to complete
      return 0;
  }
}

std::chrono::year_month_day month_day_of(int fiscal_year, const std::string& month_day) {
  // The policy loader guarantees "MM-DD" naming a day of every year.
  const auto digits = [&](std::size_t at) {
    return static_cast<unsigned>((month_day[at] - '0') * 10 + (month_day[at + 1] - '0'));
  };
  return std::chrono::year(fiscal_year) / std::chrono::month(digits(0)) /
         std::chrono::day(digits(3));
}

bool lags_by(WideFen spent, Fen approved, std::int64_t time_progress_bp, std::uint32_t points) {
  return spent * 10000 <=
         static_cast<WideFen>(approved) * (time_progress_bp - std::int64_t{points} * 100);
}

MonitoringResult assess_checkpoint(const BudgetLine& line,
                                   const zbb::policy::Monitoring& monitoring,
                                   std::chrono::year_month_day as_of) {
  MonitoringResult result;
  result.set_as_of(format_date(as_of));
  result.set_execution_rate_bp(basis_points(line.spent_amount(), line.approved_amount()));
  // Callers judge only dates on or after the first checkpoint; before it, the first stands in.
  const zbb::policy::Checkpoint* found = checkpoint_of(monitoring, as_of);
  const zbb::policy::Checkpoint& checkpoint = found ? *found : monitoring.checkpoints(0);
  result.set_checkpoint(checkpoint.date());
  result.set_dual(judges_completion(monitoring, checkpoint));
  result.set_time_progress_bp(time_progress_bp(line.content(), monitoring, as_of));
  result.set_indicator_completion_bp(
      std::llround(mean_completion(line, is_output).value_or(0.0) * 10000));

  // Judged exactly on the money: lag ≥ X points ⇔ spent·10000 ≤ approved·(time − X·100), and
  // ahead ≥ X points ⇔ spent·10000 ≥ approved·(completion + X·100). No rounding at a threshold.
  const WideFen spent = static_cast<WideFen>(line.spent_amount()) * 10000;
  const WideFen approved = line.approved_amount();
  auto lag_reaches = [&](std::uint32_t points) {
    return lags_by(line.spent_amount(), line.approved_amount(), result.time_progress_bp(), points);
  };
  auto ahead_reaches = [&](std::uint32_t points) {
    return spent >= approved * (result.indicator_completion_bp() + std::int64_t{points} * 100);
  };
  WarningLevel level = zbb::v1::WARNING_LEVEL_GREEN;
  if (line.approved_amount() == 0) {
    // Nothing approved (cut to zero): there is no execution to judge.
    result.add_reasons("nothing approved: no execution to judge");
    result.set_level(level);
    return result;
  }
  auto judge = [&](bool yellow, bool red, std::uint32_t yellow_points, std::uint32_t red_points,
                   std::int64_t gap_bp, const std::string& what) {
    if (!yellow && !red) return;
    const WarningLevel found = red ? zbb::v1::WARNING_LEVEL_RED : zbb::v1::WARNING_LEVEL_YELLOW;
    result.add_reasons(fmt::format("{} by {} points: {} (yellow from {}, red from {})", what,
                                   points_text(gap_bp), to_string(found), yellow_points,
                                   red_points));
    level = std::max(level, found);
  };
  judge(lag_reaches(monitoring.yellow_lag_points()), lag_reaches(monitoring.red_lag_points()),
        monitoring.yellow_lag_points(), monitoring.red_lag_points(),
        result.time_progress_bp() - result.execution_rate_bp(),
        fmt::format("execution rate {} lags time progress {}", percent(result.execution_rate_bp()),
                    percent(result.time_progress_bp())));
  // Spending against indicator completion: from the dual-monitoring checkpoint on.
  if (result.dual())
    judge(ahead_reaches(monitoring.yellow_ahead_points()),
          ahead_reaches(monitoring.red_ahead_points()), monitoring.yellow_ahead_points(),
          monitoring.red_ahead_points(),
          result.execution_rate_bp() - result.indicator_completion_bp(),
          fmt::format("execution rate {} runs ahead of indicator completion {}",
                      percent(result.execution_rate_bp()),
                      percent(result.indicator_completion_bp())));
  result.set_level(level);
  return result;
}

Evaluation score_evaluation(const BudgetLine& line, const zbb::policy::WorkflowPolicy& policy,
                            std::int64_t satisfaction_percent, const Grades& qualitative) {
  const auto& weights = policy.evaluation();
  Evaluation e;
  e.set_satisfaction_percent(satisfaction_percent);
  *e.mutable_qualitative() = qualitative;
  const double execution =
      line.approved_amount() == 0
          ? 0.0
          : static_cast<double>(basis_points(line.spent_amount(), line.approved_amount())) / 10000;
  e.set_execution_tenths(tenths(execution, weights.budget_execution_points()));
  e.set_output_tenths(
      tenths(mean_score(line, qualitative, is_output).value_or(0.0), weights.output_points()));
  // The survey against its target: full points once it is reached, in proportion below. Unset,
  // the target is 100 %: points in proportion to the survey.
  const std::uint32_t target =
      weights.satisfaction_target_percent() == 0 ? 100 : weights.satisfaction_target_percent();
  const double survey = static_cast<double>(satisfaction_percent) / target;
  const std::optional<double> satisfaction = mean_score(line, qualitative, is_satisfaction);
  // Effects are judged on effect indicators; a line whose outcome is measured only by
  // satisfaction indicators is judged on those, and failing both on the survey.
  const double effect =
      mean_score(line, qualitative, is_effect).value_or(satisfaction.value_or(survey));
  e.set_effect_tenths(tenths(effect, weights.effect_points()));
  e.set_satisfaction_tenths(tenths(satisfaction.value_or(survey), weights.satisfaction_points()));
  e.set_score_tenths(e.execution_tenths() + e.output_tenths() + e.effect_tenths() +
                     e.satisfaction_tenths());
  e.set_grade(grade_of(policy, e.score_tenths()));
  return e;
}

std::string grade_of(const zbb::policy::WorkflowPolicy& policy, std::int64_t score_tenths) {
  for (const auto& band : policy.grade_bands())
    if (score_tenths >= std::int64_t{band.min_score()} * 10) return band.grade();
  return "";  // the loader makes the last band start at 0
}

}  // namespace zbb::review
