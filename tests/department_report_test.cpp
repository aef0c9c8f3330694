// A department's year in one report (部门整体支出绩效评价): lines, money, execution, grades,
// warnings, corrections, unspent money, and the overall score under the policy's weights.

#include <catch2/catch.hpp>

#include "tests/county_fixture.h"
#include "workflows/department_report.h"
#include "workflows/state_ids.h"

namespace zbb::testing {
namespace {

namespace s = review::state;

BudgetLine line_in(std::string_view state, Fen requested, Fen approved, Fen spent) {
  BudgetLine line;
  line.set_id("L-" + std::to_string(requested));
  line.set_state(std::string(state));
  line.mutable_content()->set_requested_amount(requested);
  line.set_approved_amount(approved);
  line.set_spent_amount(spent);
  return line;
}

BudgetLine evaluated(BudgetLine line, std::int64_t score_tenths, const std::string& grade) {
  line.mutable_evaluation()->set_score_tenths(score_tenths);
  line.mutable_evaluation()->set_grade(grade);
  return line;
}

}  // namespace

TEST_CASE("the department report adds up the year and scores it on the policy's weights",
          "[department_report]") {
  const auto policies = default_policies();
  const auto& policy = policies.current();
  REQUIRE(policy.department_evaluation().execution_points() == 20);

  // Closed, excellent, 900,000 of 1,000,000 spent, 100,000 recovered.
  BudgetLine a =
      evaluated(line_in(s::kClosed, 1'000'000'00, 1'000'000'00, 900'000'00), 950, "excellent");
  a.mutable_unspent()->set_amount(100'000'00);
  a.mutable_unspent()->set_disposal(zbb::v1::UNSPENT_DISPOSAL_RECOVERED);
  // Scored fair after a red verdict during the year, its correction accepted; 3,000,000 approved.
  BudgetLine b =
      evaluated(line_in(s::kScored, 3'000'000'00, 3'000'000'00, 2'400'000'00), 700, "fair");
  b.set_red_verdicts(1);
  b.mutable_correction()->set_level(zbb::v1::WARNING_LEVEL_RED);
  b.mutable_correction()->set_status(zbb::v1::CORRECTION_STATUS_ACCEPTED);
  b.mutable_focused()->add_reasons("a red warning during the year");
  // Executing, yellow, its correction awaiting an answer: not evaluated yet.
  BudgetLine c = line_in(s::kExecuting, 1'000'000'00, 1'000'000'00, 500'000'00);
  c.mutable_monitoring()->set_level(zbb::v1::WARNING_LEVEL_YELLOW);
  c.mutable_correction()->set_level(zbb::v1::WARNING_LEVEL_YELLOW);
  c.mutable_correction()->set_status(zbb::v1::CORRECTION_STATUS_AWAITING_ANSWER);
  // Unfunded: requested, never a budget.
  const BudgetLine d = line_in(s::kUnfunded, 500'000'00, 0, 0);

  const auto report = review::department_report({a, b, c, d}, policy, 2027, kTransport);
  CHECK(report.lines() == 4);
  CHECK(report.lines_with_budget() == 3);
  CHECK(report.requested_amount() == 5'500'000'00);
  CHECK(report.approved_amount() == 5'000'000'00);
  CHECK(report.spent_amount() == 3'800'000'00);
  CHECK(report.execution_bp() == 7600);
  CHECK(report.lines_evaluated() == 2);
  REQUIRE(report.grades_size() == 2);  // in the order of the bands
  CHECK(report.grades(0).grade() == "excellent");
  CHECK(report.grades(1).grade() == "fair");
  CHECK(report.grades(1).lines() == 1);
  CHECK(report.lines_focused() == 1);
  CHECK(report.lines_warned() == 2);
  CHECK(report.lines_red() == 1);
  CHECK(report.lines_red_now() == 0);
  CHECK(report.corrections_open() == 1);
  CHECK(report.corrections_accepted() == 1);
  CHECK(report.unspent_recovered() == 100'000'00);
  CHECK(report.unspent_carried_over() == 0);

  REQUIRE(report.has_overall());
  const auto& overall = report.overall();
  // Execution 76 % of 20 points: 15.2.
  CHECK(overall.execution_tenths() == 152);
  // (95.0 × 1,000,000 + 70.0 × 3,000,000) / 4,000,000 = 76.25 of 60 points: 45.75 → 45.8.
  CHECK(overall.performance_tenths() == 458);
  // One line of three never red and with no correction open (b was red, c's is open): 6.7.
  CHECK(overall.monitoring_tenths() == 67);
  CHECK(overall.score_tenths() == 677);
  CHECK(overall.grade() == "fair");
  CHECK(overall.policy_version() == policy.version());

  SECTION("no weights in the policy, or no line with a budget: no overall score") {
    auto without = policy;
    without.clear_department_evaluation();
    CHECK_FALSE(review::department_report({a, b}, without, 2027, kTransport).has_overall());
    CHECK_FALSE(review::department_report({d}, policy, 2027, kTransport).has_overall());
  }
  SECTION("no line evaluated yet: no performance points") {
    const auto early = review::department_report({c}, policy, 2027, kTransport);
    CHECK(early.overall().performance_tenths() == 0);
    CHECK(early.overall().execution_tenths() == 100);
  }
}

}  // namespace zbb::testing
