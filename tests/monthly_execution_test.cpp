// Spending month by month: each payment kept under the month it was recorded in, and the
// monthly execution report (预算执行月报) by department against time progress.

#include <catch2/catch.hpp>

#include "tests/county_fixture.h"
#include "workflows/checkpoints.h"
#include "workflows/monthly_execution.h"

namespace zbb::testing {
namespace {

using std::chrono::year;

const review::PolicySet& policies() {
  static const review::PolicySet set = default_policies();
  return set;
}

// A line of `department` with a budget: approved 1,000,000.00 yuan, `spent` of it recorded in
// `months` (the rest before months were kept).
BudgetLine budgeted(const std::string& id, const std::string& department, Fen spent,
                    std::vector<std::pair<std::string, Fen>> months = {},
                    std::string_view state = "execution.executing") {
  BudgetLine line;
  line.set_id(id);
  *line.mutable_content() = road_maintenance_request();
  line.mutable_content()->set_department(department);
  line.set_state(std::string(state));
  line.set_policy_version(policies().current_version());
  line.set_approved_amount(100'000'000);
  line.set_spent_amount(spent);
  for (const auto& [month, amount] : months) {
    auto* m = line.add_spent_by_month();
    m->set_month(month);
    m->set_amount(amount);
  }
  return line;
}

zbb::v1::GetExecutionReportResponse report_of(const std::vector<BudgetLine>& lines,
                                              std::chrono::year_month month,
                                              Timestamp as_of = at(2028, 1, 10)) {
  auto report = review::execution_report(lines, policies(), 2027, month, as_of);
  REQUIRE(report.ok());
  return *report;
}

}  // namespace

TEST_CASE("spending is kept under the month (UTC) it is recorded in", "[monthly]") {
  County county;
  county.create("L-1", road_maintenance_request());
  county.drive_to("L-1", "execution.executing");
  const auto spend = [&](Timestamp when, Fen amount) {
    county.clock.set(when);
    REQUIRE(county.act(actor::kTreasury, "L-1", record_spending(amount, "GK-1")).ok());
  };
  // The last millisecond of March, then the first of April; a refund in April.
  spend(at(2027, 3, 31, 23) + std::chrono::minutes(59) + std::chrono::milliseconds(59'999),
        10'000'00);
  spend(at(2027, 4, 1, 0), 20'000'00);
  spend(at(2027, 4, 30, 12), -5'000'00);
  spend(at(2027, 6, 2), 1'00);

  const BudgetLine line = county.line("L-1");
  REQUIRE(line.spent_by_month_size() == 3);
  CHECK(line.spent_by_month(0).month() == "2027-03");
  CHECK(line.spent_by_month(0).amount() == 10'000'00);
  CHECK(line.spent_by_month(1).month() == "2027-04");
  CHECK(line.spent_by_month(1).amount() == 15'000'00);
  CHECK(line.spent_by_month(2).month() == "2027-06");
  CHECK(line.spent_amount() == 25'001'00);
}

TEST_CASE("a payment of an earlier month than the last kept goes to its place", "[monthly]") {
  BudgetLine line;
  review::record_spent_in_month(line, at(2027, 5, 3), 7);
  review::record_spent_in_month(line, at(2027, 2, 3), 3);
  review::record_spent_in_month(line, at(2027, 4, 3), 4);
  review::record_spent_in_month(line, at(2027, 2, 28), 1);
  REQUIRE(line.spent_by_month_size() == 3);
  CHECK(line.spent_by_month(0).month() == "2027-02");
  CHECK(line.spent_by_month(0).amount() == 4);
  CHECK(line.spent_by_month(1).month() == "2027-04");
  CHECK(line.spent_by_month(2).month() == "2027-05");
}

TEST_CASE("the monthly report adds each department's spending of the month and to its end",
          "[monthly]") {
  const std::vector<BudgetLine> lines = {
      budgeted("T-1", kTransport, 30'000'000, {{"2027-02", 10'000'000}, {"2027-03", 20'000'000}}),
      budgeted("T-2", kTransport, 5'000'000, {{"2027-03", 6'000'000}, {"2027-04", -1'000'000}}),
      budgeted("E-1", kEducation, 1'00, {{"2027-01", 1'00}}, "closed"),
      // No budget to execute: left out, whatever they hold.
      budgeted("T-3", kTransport, 0, {}, "approval.awaiting_decision"),
      budgeted("T-4", kTransport, 0, {}, "rejected"),
  };
  const auto march = report_of(lines, year(2027) / 3);
  CHECK(march.month() == "2027-03");
  REQUIRE(march.departments_size() == 2);
  // By department, as their names sort (UTF-8 bytes).
  const auto& transport = march.departments(0);
  const auto& education = march.departments(1);
  CHECK(education.department() == kEducation);
  CHECK(education.lines() == 1);
  CHECK(education.spent_in_month() == 0);
  CHECK(education.spent_to_date() == 1'00);
  CHECK(transport.department() == kTransport);
  CHECK(transport.lines() == 2);
  CHECK(transport.approved_amount() == 200'000'000);
  CHECK(transport.spent_in_month() == 26'000'000);
  CHECK(transport.spent_to_date() == 36'000'000);
  CHECK(transport.execution_bp() == 1800);
  // No spending plan: the policy's 25 % at 03-31, on each line's approved amount.
  CHECK(transport.time_progress_bp() == 2500);
  CHECK(transport.planned_to_date() == 50'000'000);
  CHECK(march.total().lines() == 3);
  CHECK(march.total().approved_amount() == 300'000'000);
  CHECK(march.total().spent_in_month() == 26'000'000);
  CHECK(march.total().spent_to_date() == 36'000'100);
  CHECK(march.total().department().empty());

  // A refund counts in its month; January holds only the education line's payment.
  const auto april = report_of(lines, year(2027) / 4);
  CHECK(april.departments(0).spent_in_month() == -1'000'000);
  CHECK(april.departments(0).spent_to_date() == 35'000'000);
  const auto january = report_of(lines, year(2027) / 1);
  CHECK(january.total().spent_to_date() == 1'00);
  // Before the first checkpoint, time progress runs from nothing on 1 January: 31 of 90 days.
  CHECK(january.departments(1).time_progress_bp() == 2500 * 31 / 90);
}

TEST_CASE("a line lags from the policy's yellow gap, exactly on the money", "[monthly]") {
  // At 06-30, 50 % is due; yellow from 10 points: 40 % spent lags, one fen more does not.
  const auto lagging = [](Fen spent) {
    const auto report =
        report_of({budgeted("T-1", kTransport, spent, {{"2027-05", spent}})}, year(2027) / 6);
    return report.total().lines_lagging();
  };
  CHECK(lagging(40'000'000) == 1);
  CHECK(lagging(40'000'001) == 0);
  CHECK(lagging(0) == 1);
  // Nothing approved (cut to zero): nothing to lag.
  BudgetLine cut = budgeted("T-2", kTransport, 0);
  cut.set_approved_amount(0);
  CHECK(report_of({cut}, year(2027) / 6).total().lines_lagging() == 0);
}

TEST_CASE("a line with a spending plan is measured against the plan's share due", "[monthly]") {
  BudgetLine planned = budgeted("T-1", kTransport, 0);
  // Nothing planned before April, then evenly.
  const Fen requested = planned.content().requested_amount();
  const Fen month = requested / 9;
  for (int m = 0; m < 12; ++m) planned.mutable_content()->add_monthly_plan(m < 3 ? 0 : month);
  planned.mutable_content()->set_monthly_plan(11, requested - month * 8);
  const auto march = report_of({planned}, year(2027) / 3);
  CHECK(march.total().time_progress_bp() == 0);
  CHECK(march.total().planned_to_date() == 0);
  CHECK(march.total().lines_lagging() == 0);
  const auto may = report_of({planned}, year(2027) / 5);
  const std::int64_t due_bp = 2 * month * 10000 / requested;
  CHECK(may.total().planned_to_date() == 100'000'000 * due_bp / 10000);
  CHECK(may.total().lines_lagging() == 1);
}

TEST_CASE("the month in progress is measured against time progress as of today", "[monthly]") {
  const std::vector<BudgetLine> lines = {budgeted("T-1", kTransport, 0)};
  // 03-31 25 % to 06-30 50 %: 91 days; 05-15 is 45 of them, 05-31 61.
  const auto in_progress = report_of(lines, year(2027) / 5, at(2027, 5, 15));
  CHECK(in_progress.total().time_progress_bp() == 2500 + 2500 * 45 / 91);
  const auto ended = report_of(lines, year(2027) / 5, at(2027, 6, 1));
  CHECK(ended.total().time_progress_bp() == 2500 + 2500 * 61 / 91);
}

TEST_CASE("spending recorded before months were kept counts to date, in no month", "[monthly]") {
  const auto report =
      report_of({budgeted("T-1", kTransport, 9'000, {{"2027-04", 1'000}})}, year(2027) / 3);
  CHECK(report.total().spent_undated() == 8'000);
  CHECK(report.total().spent_to_date() == 8'000);
  CHECK(report.total().spent_in_month() == 0);
}

TEST_CASE("a line under a policy version not loaded is reported, not skipped", "[monthly]") {
  BudgetLine line = budgeted("T-1", kTransport, 0);
  line.set_policy_version("1999.1");
  auto report = review::execution_report({line}, policies(), 2027, year(2027) / 3, at(2027, 4, 1));
  REQUIRE_FALSE(report.ok());
  CHECK(report.status().code() == Code::kInternal);
  CHECK_THAT(report.status().message(), Catch::Contains("T-1"));
}

TEST_CASE("a report month is written YYYY-MM", "[monthly]") {
  CHECK(*review::parse_month("2027-03") == year(2027) / 3);
  CHECK(*review::parse_month("2027-12") == year(2027) / 12);
  for (const char* bad : {"2027-13", "2027-00", "2027-3", "2027/03", "27-03", "2027-03-01", ""})
    CHECK_FALSE(review::parse_month(bad).ok());
}

}  // namespace zbb::testing
