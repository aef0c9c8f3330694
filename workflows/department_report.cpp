#include "workflows/department_report.h"

#include <algorithm>
#include <map>

#include "engine/money.h"
#include "workflows/correction.h"
#include "workflows/evaluation_rules.h"
#include "workflows/monthly_execution.h"
#include "workflows/performance.h"
#include "workflows/state_ids.h"

namespace zbb::review {
namespace {

bool warned(const BudgetLine& line) {
  const auto level = line.monitoring().level();
  return had_red_verdict(line) || line.has_correction() || level == zbb::v1::WARNING_LEVEL_YELLOW ||
         level == zbb::v1::WARNING_LEVEL_RED;
}

bool correction_open(const BudgetLine& line) {
  return correction_awaits_answer(line) || correction_awaits_review(line);
}

// numerator / denominator, rounded half up; both ≥ 0, denominator > 0.
std::int64_t rounded(WideFen numerator, WideFen denominator) {
  return static_cast<std::int64_t>((numerator * 2 + denominator) / (denominator * 2));
}

}  // namespace

zbb::v1::DepartmentReport department_report(const std::vector<BudgetLine>& lines,
                                            const zbb::policy::WorkflowPolicy& policy,
                                            int fiscal_year, const std::string& department) {
  zbb::v1::DepartmentReport report;
  report.set_fiscal_year(fiscal_year);
  report.set_department(department);
  std::map<std::string, std::int64_t> grades;
  WideFen weighted_score = 0;  // Σ score_tenths × approved
  WideFen weights = 0;         // Σ approved of the evaluated lines
  std::int64_t plain_score = 0;
  std::int64_t kept_clean = 0;  // lines with a budget never red and with no correction open
  for (const BudgetLine& line : lines) {
    report.set_lines(report.lines() + 1);
    report.set_requested_amount(report.requested_amount() + line.content().requested_amount());
    if (line.has_focused()) report.set_lines_focused(report.lines_focused() + 1);
    if (warned(line)) report.set_lines_warned(report.lines_warned() + 1);
    if (had_red_verdict(line)) report.set_lines_red(report.lines_red() + 1);
    // Under a red warning now: in the state, or with an adjustment proposed under it.
    if (line.state() == state::kRedWarning ||
        (line.state() == state::kAdjustmentProposed && proposed_under_red(line)))
      report.set_lines_red_now(report.lines_red_now() + 1);
    if (correction_open(line)) report.set_corrections_open(report.corrections_open() + 1);
    if (correction_accepted(line))
      report.set_corrections_accepted(report.corrections_accepted() + 1);
    if (line.unspent().disposal() == zbb::v1::UNSPENT_DISPOSAL_RECOVERED)
      report.set_unspent_recovered(report.unspent_recovered() + line.unspent().amount());
    if (line.unspent().disposal() == zbb::v1::UNSPENT_DISPOSAL_CARRIED_OVER)
      report.set_unspent_carried_over(report.unspent_carried_over() + line.unspent().amount());
    if (!has_budget(line.state())) continue;
    report.set_lines_with_budget(report.lines_with_budget() + 1);
    report.set_approved_amount(report.approved_amount() + line.approved_amount());
    report.set_spent_amount(report.spent_amount() + line.spent_amount());
    if (!had_red_verdict(line) && !correction_open(line)) ++kept_clean;
    if (!evaluation_in_force(line)) continue;
    report.set_lines_evaluated(report.lines_evaluated() + 1);
    ++grades[line.evaluation().grade()];
    weighted_score += static_cast<WideFen>(line.evaluation().score_tenths()) *
                      std::max<Fen>(0, line.approved_amount());
    weights += std::max<Fen>(0, line.approved_amount());
    plain_score += line.evaluation().score_tenths();
  }
  report.set_execution_bp(
      static_cast<std::int32_t>(basis_points(report.spent_amount(), report.approved_amount())));
  // The current policy's grades in its order; grades of older policy versions it does not name
  // after them, by name.
  for (const auto& band : policy.grade_bands()) {
    const auto found = grades.find(band.grade());
    if (found == grades.end()) continue;
    auto& count = *report.add_grades();
    count.set_grade(band.grade());
    count.set_lines(found->second);
    grades.erase(found);
  }
  for (const auto& [grade, lines_graded] : grades) {
    auto& count = *report.add_grades();
    count.set_grade(grade);
    count.set_lines(lines_graded);
  }

  const auto& weights_of = policy.department_evaluation();
  const std::uint32_t points = weights_of.execution_points() + weights_of.performance_points() +
                               weights_of.monitoring_points();
  if (points == 0 || report.lines_with_budget() == 0) return report;
  zbb::v1::DepartmentScore& overall = *report.mutable_overall();
  overall.set_policy_version(policy.version());
  const std::int64_t execution_bp = std::min<std::int64_t>(report.execution_bp(), 10000);
  overall.set_execution_tenths(
      rounded(WideFen{execution_bp} * weights_of.execution_points(), 1000));
  if (report.lines_evaluated() > 0) {
    // The mean score (tenths) weighted by money, of the performance points: a line approved
    // nothing counts as much as any other only when every evaluated line was.
    const WideFen mean_numerator = weights > 0 ? weighted_score : WideFen{plain_score};
    const WideFen mean_denominator = weights > 0 ? weights : WideFen{report.lines_evaluated()};
    overall.set_performance_tenths(
        rounded(mean_numerator * weights_of.performance_points(), mean_denominator * 100));
  }
  overall.set_monitoring_tenths(rounded(WideFen{kept_clean} * weights_of.monitoring_points() * 10,
                                        report.lines_with_budget()));
  overall.set_score_tenths(overall.execution_tenths() + overall.performance_tenths() +
                           overall.monitoring_tenths());
  overall.set_grade(grade_of(policy, overall.score_tenths()));
  return report;
}

}  // namespace zbb::review
