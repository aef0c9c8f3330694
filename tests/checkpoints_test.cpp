// Monitoring through the year: the policy's checkpoints (03-31, 06-30 dual, 09-30), the time
// progress each expects — from a line's spending plan when it has one — and what each judges.

#include <catch2/catch.hpp>

#include "tests/county_fixture.h"
#include "workflows/checkpoints.h"
#include "workflows/line_rules.h"
#include "workflows/performance.h"

namespace zbb::testing {
namespace {

using std::chrono::year;
using std::chrono::year_month_day;

const zbb::policy::Monitoring& shipped() {
  static const auto policy = default_policies().current();
  return policy.monitoring();
}

std::string checkpoint_on(std::chrono::year_month_day day) {
  const auto* found = review::checkpoint_of(shipped(), day);
  return found == nullptr ? "none" : found->date();
}

// An executing line approved 1,000,000.00 yuan with `spent` spent and its output indicators at
// `done` of their targets (targets of 100).
BudgetLine executing(Fen spent, double done) {
  BudgetLine line;
  *line.mutable_content() = road_maintenance_request();
  line.set_approved_amount(100'000'000);
  line.set_spent_amount(spent);
  for (auto& indicator : *line.mutable_content()->mutable_indicators()) {
    indicator.set_target(100);
    indicator.set_actual(done);
  }
  return line;
}

// Twelve months: January to March nothing, then the rest evenly over nine months.
LineContent with_plan_from_april(LineContent content) {
  content.clear_monthly_plan();
  const Fen month = content.requested_amount() / 9;
  for (int m = 0; m < 12; ++m) content.add_monthly_plan(m < 3 ? 0 : month);
  content.set_monthly_plan(11, content.requested_amount() - month * 8);
  return content;
}

}  // namespace

TEST_CASE("a date belongs to the latest checkpoint on or before it", "[checkpoints]") {
  CHECK(checkpoint_on(year(2027) / 3 / 30) == "none");
  CHECK(checkpoint_on(year(2027) / 3 / 31) == "03-31");
  CHECK(checkpoint_on(year(2027) / 6 / 29) == "03-31");
  CHECK(checkpoint_on(year(2027) / 6 / 30) == "06-30");
  CHECK(checkpoint_on(year(2027) / 9 / 29) == "06-30");
  CHECK(checkpoint_on(year(2027) / 9 / 30) == "09-30");
  CHECK(checkpoint_on(year(2027) / 12 / 31) == "09-30");
  CHECK(review::first_checkpoint_date(shipped(), 2028) == year(2028) / 3 / 31);
}

TEST_CASE("a quarterly checkpoint judges execution against time progress only", "[checkpoints]") {
  const auto march = year(2027) / 3 / 31;
  const auto june = year(2027) / 6 / 30;
  // Half the money spent, nothing delivered: only the dual checkpoint sees spending run ahead.
  const BudgetLine ahead = executing(50'000'000, 0);
  const auto at_march = review::assess_checkpoint(ahead, shipped(), march);
  CHECK(at_march.checkpoint() == "03-31");
  CHECK_FALSE(at_march.dual());
  CHECK(at_march.time_progress_bp() == 2500);
  CHECK(at_march.level() == zbb::v1::WARNING_LEVEL_GREEN);
  const auto at_june = review::assess_checkpoint(ahead, shipped(), june);
  CHECK(at_june.dual());
  CHECK(at_june.level() == zbb::v1::WARNING_LEVEL_RED);

  // Lag at 03-31 against 25 %: red from 20 points (5 % spent), yellow from 10 (15 %).
  CHECK(review::assess_checkpoint(executing(5'000'000, 100), shipped(), march).level() ==
        zbb::v1::WARNING_LEVEL_RED);
  CHECK(review::assess_checkpoint(executing(5'000'001, 100), shipped(), march).level() ==
        zbb::v1::WARNING_LEVEL_YELLOW);
  CHECK(review::assess_checkpoint(executing(15'000'000, 100), shipped(), march).level() ==
        zbb::v1::WARNING_LEVEL_YELLOW);
  CHECK(review::assess_checkpoint(executing(15'000'001, 100), shipped(), march).level() ==
        zbb::v1::WARNING_LEVEL_GREEN);
  // 09-30 expects 75 %, and still asks whether spending runs ahead of completion.
  const auto september =
      review::assess_checkpoint(executing(55'000'000, 100), shipped(), year(2027) / 9 / 30);
  CHECK(september.time_progress_bp() == 7500);
  CHECK(september.level() == zbb::v1::WARNING_LEVEL_RED);
  const auto late =
      review::assess_checkpoint(executing(80'000'000, 40), shipped(), year(2027) / 10 / 15);
  CHECK(late.checkpoint() == "09-30");
  CHECK(late.dual());
  CHECK(late.level() == zbb::v1::WARNING_LEVEL_RED);  // 80 % spent, 40 % delivered
}

TEST_CASE("time progress runs from one checkpoint's figure to the next", "[checkpoints]") {
  const LineContent content = road_maintenance_request();
  const auto progress = [&](unsigned month, unsigned day) {
    return review::time_progress_bp(content, shipped(), year(2027) / month / day);
  };
  CHECK(progress(3, 31) == 2500);
  // 03-31 to 06-30: 91 days for 25 points.
  CHECK(progress(4, 1) == 2500 + 2500 * 1 / 91);
  CHECK(progress(5, 15) == 2500 + 2500 * 45 / 91);
  CHECK(progress(6, 29) == 2500 + 2500 * 90 / 91);
  CHECK(progress(6, 30) == 5000);
  CHECK(progress(9, 29) == 5000 + 2500 * 91 / 92);
  CHECK(progress(9, 30) == 7500);
  // After the last checkpoint, to the whole year on 12-31 (92 days).
  CHECK(progress(11, 30) == 7500 + 2500 * 61 / 92);
  CHECK(progress(12, 31) == 10000);
  // Before the first checkpoint (no round runs then; the monthly report reads it): from nothing
  // on 1 January, 90 days to 03-31.
  CHECK(progress(1, 1) == 2500 * 1 / 90);
  CHECK(progress(1, 31) == 2500 * 31 / 90);
  CHECK(progress(3, 30) == 2500 * 89 / 90);
  // Another year than the line's: nothing due before it, all of it after.
  CHECK(review::time_progress_bp(content, shipped(), year(2026) / 12 / 31) == 0);
  CHECK(review::time_progress_bp(content, shipped(), year(2028) / 1 / 1) == 10000);
  // Never falling back from one day to the next.
  std::int64_t before = 0;
  bool rising = true;
  for (auto day = std::chrono::sys_days(year(2027) / 1 / 1);
       day <= std::chrono::sys_days(year(2027) / 12 / 31); day += std::chrono::days(1)) {
    const auto now = review::time_progress_bp(content, shipped(), year_month_day(day));
    rising = rising && now >= before;
    before = now;
  }
  CHECK(rising);
}

TEST_CASE("a line with a spending plan is monitored on the share of its plan due",
          "[checkpoints]") {
  BudgetLine line = executing(0, 0);
  *line.mutable_content() = with_plan_from_april(line.content());
  REQUIRE(review::validate_content(with_plan_from_april(road_maintenance_request())).ok());

  // Nothing planned before April: nothing is late at 03-31.
  const auto march = review::assess_checkpoint(line, shipped(), year(2027) / 3 / 31);
  CHECK(march.time_progress_bp() == 0);
  CHECK(march.level() == zbb::v1::WARNING_LEVEL_GREEN);
  // By 06-30: April, May and June, three of nine months' money.
  const Fen month = line.content().monthly_plan(3);
  const Fen total = line.content().requested_amount();
  const auto june = review::assess_checkpoint(line, shipped(), year(2027) / 6 / 30);
  CHECK(june.time_progress_bp() == 3 * month * 10000 / total);
  // Mid-month: of June, 15 of 30 days.
  const auto mid_june = review::assess_checkpoint(line, shipped(), year(2027) / 6 / 15);
  CHECK(mid_june.time_progress_bp() == (2 * month + month * 15 / 30) * 10000 / total);
  // All planned by the end of the year, and after it.
  CHECK(review::time_progress_bp(line.content(), shipped(), year(2027) / 12 / 31) == 10000);
  CHECK(review::time_progress_bp(line.content(), shipped(), year(2028) / 1 / 20) == 10000);
  // In a 31-day month: of August, 16 of 31 days, after April to July.
  CHECK(review::time_progress_bp(line.content(), shipped(), year(2027) / 8 / 16) ==
        (4 * month + month * 16 / 31) * 10000 / total);
}

TEST_CASE("a spending plan is twelve months adding up to the request", "[checkpoints]") {
  const LineContent planned = with_plan_from_april(road_maintenance_request());
  REQUIRE(review::validate_content(planned).ok());

  LineContent eleven = planned;
  eleven.mutable_monthly_plan()->RemoveLast();
  CHECK(review::validate_content(eleven).field() == "monthly_plan");

  LineContent off_by_one = planned;
  off_by_one.set_monthly_plan(0, 1);
  CHECK(review::validate_content(off_by_one).field() == "monthly_plan");
  CHECK_THAT(review::validate_content(off_by_one).message(), Catch::Contains("adds up to"));

  LineContent negative = planned;
  negative.set_monthly_plan(0, -1);
  negative.set_monthly_plan(3, negative.monthly_plan(3) + 1);
  CHECK(review::validate_content(negative).field() == "monthly_plan[0]");
}

}  // namespace zbb::testing
