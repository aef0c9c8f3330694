// Monitoring rounds of a whole fiscal year, at each checkpoint: by request and by the clock, with
// their reports.

#include <catch2/catch.hpp>

#include <algorithm>

#include "tests/changed_before_commit.h"
#include "tests/county_fixture.h"
#include "workflows/monitoring_run.h"
#include "workflows/performance.h"
#include "workflows/state_ids.h"

namespace zbb::testing {
namespace {

namespace s = review::state;
using std::chrono::June;
using std::chrono::year;

// Approved 1,000,000.00 yuan each; output indicators judged against a target of 100.
// Thresholds of the default policy: time progress 50 %, lag yellow 10 / red 20 points, ahead
// yellow 20 / red 35 points.
struct Case {
  std::string line_id;
  std::string department;
  Fen spent;
  double output_done;
  WarningLevel expected;
};

const std::vector<Case>& threshold_cases() {
  static const std::vector<Case> cases = {
      {"M01", kTransport, 50'000'000, 50, zbb::v1::WARNING_LEVEL_GREEN},     // on time
      {"M02", kTransport, 40'000'001, 40, zbb::v1::WARNING_LEVEL_GREEN},     // lag just under 10
      {"M03", kTransport, 40'000'000, 40, zbb::v1::WARNING_LEVEL_YELLOW},    // lag exactly 10
      {"M04", kEducation, 30'000'001, 30, zbb::v1::WARNING_LEVEL_YELLOW},    // lag just under 20
      {"M05", kEducation, 30'000'000, 30, zbb::v1::WARNING_LEVEL_RED},       // lag exactly 20
      {"M06", kEducation, 50'000'000, 30.01, zbb::v1::WARNING_LEVEL_GREEN},  // ahead 19.99
      {"M07", kHealth, 50'000'000, 30, zbb::v1::WARNING_LEVEL_YELLOW},       // ahead exactly 20
      {"M08", kHealth, 50'000'000, 15.01, zbb::v1::WARNING_LEVEL_YELLOW},    // ahead 34.99
      {"M09", kHealth, 50'000'000, 15, zbb::v1::WARNING_LEVEL_RED},          // ahead exactly 35
  };
  return cases;
}

// A county whose nine lines are executing with the spending and progress of each case.
std::unique_ptr<County> county_at_checkpoint() {
  auto county = std::make_unique<County>();
  for (const auto& c : threshold_cases()) {
    LineContent content = packaged_request(c.department, "PM-" + c.line_id, 100'000'000, 0, 0);
    content.clear_increments();
    content.mutable_indicators(0)->set_target(100);
    content.mutable_indicators(1)->set_target(100);
    county->create(c.line_id, content, unit_of(c.department));
    county->drive_to(c.line_id, s::kExecuting);
    REQUIRE(county->act(actor::kTreasury, c.line_id, record_spending(c.spent, "GK", "")).ok());
    for (int i : {0, 1})
      REQUIRE(county
                  ->act(actor::kTreasury, c.line_id,
                        record_indicator_progress(content.indicators(i).name(), c.output_done))
                  .ok());
  }
  return county;
}

// Whether two lists of groups hold the same groups in the same order.
bool same_groups(const google::protobuf::RepeatedPtrField<review::MonitoringGroup>& a,
                 const google::protobuf::RepeatedPtrField<review::MonitoringGroup>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const review::MonitoringGroup& x, const review::MonitoringGroup& y) {
                      return same_message(x, y);
                    });
}

void check_verdicts(County& county, const review::MonitoringReport& report) {
  REQUIRE(static_cast<std::size_t>(report.lines_size()) == threshold_cases().size());
  for (std::size_t i = 0; i < threshold_cases().size(); ++i) {
    const Case& c = threshold_cases()[i];
    INFO(c.line_id);
    CHECK(report.lines(static_cast<int>(i)).line_id() == c.line_id);
    CHECK(report.lines(static_cast<int>(i)).result().level() == c.expected);
    CHECK(county.line(c.line_id).monitoring().level() == c.expected);
    CHECK(county.state(c.line_id) ==
          (c.expected == zbb::v1::WARNING_LEVEL_RED ? s::kRedWarning : s::kExecuting));
  }
  // By department and level: the transport bureau has two green lines and one yellow.
  const review::MonitoringGroup transport_green =
      monitoring_group(kTransport, zbb::v1::WARNING_LEVEL_GREEN, 2, 200'000'000, 90'000'001);
  CHECK(std::any_of(
      report.groups().begin(), report.groups().end(),
      [&](const review::MonitoringGroup& g) { return same_message(g, transport_green); }));
  std::int64_t red = 0;
  for (const auto& g : report.groups())
    if (g.level() == zbb::v1::WARNING_LEVEL_RED) red += g.lines();
  CHECK(red == 2);
}

}  // namespace

TEST_CASE("a monitoring round by request judges every executing line at its thresholds",
          "[monitoring]") {
  auto county = county_at_checkpoint();
  county->clock.set(at(2027, 7, 2));
  review::MonitoringRequest request{"q2-2027", principal_of(actor::kReviewer), 2027,
                                    year(2027) / June / 30, ""};
  auto report = review::run_monitoring(county->engine, county->workflow.policies(), request);
  INFO(report.status().to_string());
  REQUIRE(report.ok());
  CHECK(report->as_of() == "2027-06-30");
  check_verdicts(*county, *report);

  SECTION("a retry returns the kept report and judges nothing again") {
    const auto events = county->store->events_after(0, 100'000)->size();
    auto again = review::run_monitoring(county->engine, county->workflow.policies(), request);
    REQUIRE(again.ok());
    CHECK(again->replayed());
    CHECK(same_groups(again->groups(), report->groups()));
    CHECK(county->store->events_after(0, 100'000)->size() == events);
  }
  SECTION("a round as of a day that has not come is refused, and writes nothing") {
    request.request_id = "q2-2027-early";
    request.as_of = year(2027) / std::chrono::July / 3;
    auto refused = review::run_monitoring(county->engine, county->workflow.policies(), request);
    CHECK(refused.status().code() == Code::kFailedPrecondition);
    CHECK(refused.status().message() ==
          "as_of 2027-07-03 has not come yet: today is 2027-07-02; it must be 2027-07-02 or "
          "earlier");
  }
}

TEST_CASE("a round whose line changed before its commit is judged again on the line as it stands",
          "[monitoring][engine]") {
  auto county = county_at_checkpoint();
  county->clock.set(at(2027, 7, 2));
  // A payment lands on M03 (yellow as it stood: 40 % spent) between the round's reading and its
  // commit: the round read M03 at a version that is gone.
  bool paid = false;
  ChangedBeforeCommit store(*county->store, [&] {
    REQUIRE(county->act(actor::kTreasury, "M03", record_spending(10'000'000, "GK-LATE", "")).ok());
    paid = true;
  });
  Engine engine(store, county->workflow, county->clock);
  review::MonitoringRequest request{"q2-2027", principal_of(actor::kReviewer), 2027,
                                    year(2027) / June / 30, ""};
  request.still_wanted = [] { return true; };
  auto report = review::run_monitoring(engine, county->workflow.policies(), request);
  INFO(report.status().to_string());
  REQUIRE(report.ok());
  CHECK(paid);
  const auto m03 = std::find_if(report->lines().begin(), report->lines().end(),
                                [](const auto& line) { return line.line_id() == "M03"; });
  REQUIRE(m03 != report->lines().end());
  CHECK(m03->spent() == 50'000'000);
  CHECK(m03->result().level() == zbb::v1::WARNING_LEVEL_GREEN);
  const BudgetLine m03_line = county->line("M03");
  REQUIRE(m03_line.has_monitoring());
  CHECK(m03_line.monitoring().level() == zbb::v1::WARNING_LEVEL_GREEN);

  SECTION("tried once when its caller does not wait: ABORTED, nothing written") {
    auto again = county_at_checkpoint();
    again->clock.set(at(2027, 7, 2));
    ChangedBeforeCommit changing(*again->store, [&] {
      REQUIRE(again->act(actor::kTreasury, "M03", record_spending(10'000'000, "GK-LATE", "")).ok());
    });
    Engine once(changing, again->workflow, again->clock);
    review::MonitoringRequest untried{"q2-2027", principal_of(actor::kReviewer), 2027,
                                      year(2027) / June / 30, ""};
    auto aborted = review::run_monitoring(once, again->workflow.policies(), untried);
    CHECK(aborted.status().code() == Code::kAborted);
    CHECK_FALSE(again->line("M03").has_monitoring());
  }
}

TEST_CASE("a monitoring round's date errors name as_of and the date it must reach",
          "[monitoring]") {
  auto county = county_at_checkpoint();
  county->clock.set(at(2027, 7, 2));
  review::MonitoringRequest request{"q2-2027-dates", principal_of(actor::kReviewer), 2027,
                                    year(2027) / std::chrono::March / 30, ""};
  const auto events = county->store->events_after(0, 100'000)->size();

  SECTION("before the first checkpoint date") {
    auto refused = review::run_monitoring(county->engine, county->workflow.policies(), request);
    CHECK(refused.status().code() == Code::kFailedPrecondition);
    CHECK(refused.status().message() ==
          "as_of 2027-03-30 is before the first checkpoint date 2027-03-31: the round may be run "
          "as of 2027-03-31 or later");
  }
  SECTION("outside the fiscal year") {
    request.as_of = year(2026) / June / 30;
    auto refused = review::run_monitoring(county->engine, county->workflow.policies(), request);
    CHECK(refused.status().code() == Code::kInvalidArgument);
    CHECK(refused.status().field() == "as_of");
    CHECK(refused.status().message() ==
          "2026-06-30 is outside fiscal year 2027: it must be a day of 2027");
  }
  CHECK(county->store->events_after(0, 100'000)->size() == events);
}

TEST_CASE("the server's clock passing each checkpoint date runs its round once", "[monitoring]") {
  auto county = county_at_checkpoint();
  review::MonitoringScheduler scheduler(county->engine, county->workflow.policies(), county->clock);
  const auto tick_runs = [&](Timestamp when) -> std::optional<review::MonitoringReport> {
    county->clock.set(when);
    auto ran = scheduler.tick();
    INFO(ran.status().to_string());
    REQUIRE(ran.ok());
    return *ran;
  };
  CHECK_FALSE(tick_runs(at(2027, 3, 30, 23)));
  CHECK(county->state("M05") == s::kExecuting);

  // 03-31: execution against time progress (25 %) only; every line has spent 30 % or more.
  const auto first = tick_runs(at(2027, 3, 31, 0));
  REQUIRE(first);
  CHECK(first->report_id() == "checkpoint-2027-03-31");
  CHECK(first->lines_size() == static_cast<int>(threshold_cases().size()));
  for (const auto& line : first->lines()) {
    CHECK(line.result().checkpoint() == "03-31");
    CHECK(line.result().level() == zbb::v1::WARNING_LEVEL_GREEN);
  }
  CHECK_FALSE(tick_runs(at(2027, 4, 1)));
  CHECK_FALSE(tick_runs(at(2027, 6, 29, 23)));

  // 06-30: the dual-monitoring checkpoint, with its verdicts at every threshold.
  const auto due = tick_runs(at(2027, 6, 30, 0));
  REQUIRE(due);
  CHECK(due->report_id() == "checkpoint-2027-06-30");
  check_verdicts(*county, *due);
  CHECK_FALSE(tick_runs(at(2027, 7, 1)));
}

TEST_CASE("after a stop across checkpoints only the latest is run, and a Q2 round kept counts",
          "[monitoring]") {
  auto county = county_at_checkpoint();
  review::MonitoringScheduler scheduler(county->engine, county->workflow.policies(), county->clock);
  SECTION("the server comes back on 07-02: the 06-30 round, as of that day") {
    county->clock.set(at(2027, 7, 2));
    auto ran = scheduler.tick();
    REQUIRE(ran.ok());
    REQUIRE(ran->has_value());
    CHECK((*ran)->report_id() == "checkpoint-2027-06-30");
    CHECK((*ran)->as_of() == "2027-07-02");
  }
  SECTION("a 06-30 round run under the id of one checkpoint a year is not run again") {
    county->clock.set(at(2027, 7, 2));
    review::MonitoringRequest earlier{"q2-checkpoint-2027", Principal::zbb(), 2027,
                                      year(2027) / June / 30, ""};
    REQUIRE(review::run_monitoring(county->engine, county->workflow.policies(), earlier).ok());
    auto ran = scheduler.tick();
    REQUIRE(ran.ok());
    CHECK_FALSE(ran->has_value());
  }
}

TEST_CASE("the scheduler waits while nothing is executing", "[monitoring]") {
  County county;
  review::MonitoringScheduler scheduler(county.engine, county.workflow.policies(), county.clock);
  county.clock.set(at(2027, 7, 1));
  auto nothing = scheduler.tick();
  REQUIRE(nothing.ok());
  CHECK_FALSE(nothing->has_value());
}

}  // namespace zbb::testing

namespace zbb::testing {

TEST_CASE("time progress runs on after the checkpoint date", "[monitoring]") {
  const auto policy = default_policies().current();
  BudgetLine line;
  *line.mutable_content() = road_maintenance_request();
  line.set_approved_amount(1'000'000'00);
  line.set_spent_amount(500'000'00);
  const auto at_checkpoint =
      review::assess_checkpoint(line, policy.monitoring(), year(2027) / June / 30);
  CHECK(at_checkpoint.time_progress_bp() == 5000);
  const auto later =
      review::assess_checkpoint(line, policy.monitoring(), year(2027) / std::chrono::November / 30);
  CHECK(later.time_progress_bp() > 8000);
  CHECK(later.level() == zbb::v1::WARNING_LEVEL_RED);  // half spent with eleven months gone
  line.set_approved_amount(0);
  line.set_spent_amount(0);
  CHECK(review::assess_checkpoint(line, policy.monitoring(), year(2027) / June / 30).level() ==
        zbb::v1::WARNING_LEVEL_GREEN);
}

}  // namespace zbb::testing
