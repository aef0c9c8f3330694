// The correction loop (整改): a yellow or red verdict opens a correction the unit answers and a
// reviewer accepts or returns; a red line leaves its warning by an approved adjustment, or by an
// accepted correction and a re-check that is not red, in either order; overdue answers escalate.

#include <catch2/catch.hpp>

#include "tests/county_fixture.h"
#include "workflows/correction.h"
#include "workflows/monitoring_run.h"
#include "workflows/state_ids.h"

namespace zbb::testing {
namespace {

namespace s = review::state;
using std::chrono::year;

const std::string kLine = "JT-2027-001";

// An executing road line: approved 1,250,000.00 yuan.
std::unique_ptr<County> executing_line() {
  auto county = std::make_unique<County>();
  county->create(kLine, road_maintenance_request());
  county->drive_to(kLine, s::kExecuting);
  return county;
}

void spend(County& county, Fen amount) {
  REQUIRE(county.act(actor::kTreasury, kLine, record_spending(amount, "GK-1", "")).ok());
}

void deliver(County& county, double share) {
  REQUIRE(
      county.act(actor::kTreasury, kLine, record_indicator_progress("养护里程", 96 * share)).ok());
  REQUIRE(county.act(actor::kTreasury, kLine, record_indicator_progress("完工及时率", 95 * share))
              .ok());
}

Result<CommandOutcome> check(County& county, unsigned month, unsigned day) {
  return county.act(actor::kReviewer, kLine, run_checkpoint(year(2027) / month / day));
}

zbb::v1::CorrectionStatus correction_of(County& county) {
  return county.line(kLine).correction().status();
}

// Half the money paid by 06-30 and nothing delivered: red for spending ahead of completion, a
// warning a re-check can lift once the outputs catch up (a line red for lagging cannot spend its
// way out while payments are stopped: an adjustment is its way).
std::unique_ptr<County> red_line() {
  auto county = executing_line();
  county->clock.set(at(2027, 7, 1));
  spend(*county, 625'000'00);
  REQUIRE(check(*county, 6, 30).ok());
  REQUIRE(county->state(kLine) == s::kRedWarning);
  return county;
}

void answer(County& county, const std::string& deadline = "2027-07-31") {
  REQUIRE(
      county.act(actor::kTransportUnit, kLine, answer_correction("加快产出进度", deadline)).ok());
}

void accept(County& county) {
  REQUIRE(county.act(actor::kReviewer, kLine, review_correction(true, "措施可行")).ok());
}

}  // namespace

TEST_CASE("a yellow verdict opens a correction the unit answers and a reviewer reviews",
          "[correction]") {
  auto county = executing_line();
  county->clock.set(at(2027, 4, 1));
  spend(*county, 125'000'00);  // 10 % against 25 % due: yellow
  REQUIRE(check(*county, 3, 31).ok());

  BudgetLine line = county->line(kLine);
  CHECK(line.state() == s::kExecuting);  // yellow takes nothing away
  REQUIRE(line.has_correction());
  CHECK(line.correction().status() == zbb::v1::CORRECTION_STATUS_AWAITING_ANSWER);
  CHECK(line.correction().level() == zbb::v1::WARNING_LEVEL_YELLOW);
  CHECK(line.correction().as_of() == "2027-03-31");
  CHECK(line.correction().reasons_size() == 1);
  CHECK(line.waiting_on() == "unit:" + kTransport);
  // The answer is due within the policy's 10 days (calendar days, as its sla_days are counted).
  CHECK(from_proto(line.due_at()) == at(2027, 4, 11));
  CHECK(county->history(kLine).back().type == "run_checkpoint");
  CHECK(payload_of(county->history(kLine).back()).decided().correction() ==
        zbb::v1::CORRECTION_STATUS_AWAITING_ANSWER);
  spend(*county, 1'00);  // payments go on

  // Nothing to review before the answer; no deadline in the past; measures required.
  CHECK(county->act(actor::kReviewer, kLine, review_correction(true, "")).status().code() ==
        Code::kFailedPrecondition);
  const auto past =
      county->act(actor::kTransportUnit, kLine, answer_correction("加快支付", "2027-03-31"));
  CHECK(past.status().code() == Code::kInvalidArgument);
  CHECK(past.status().field() == "deadline");
  CHECK(county->act(actor::kTransportUnit, kLine, answer_correction("", "2027-04-30"))
            .status()
            .field() == "measures");
  CHECK(county->act(actor::kReviewer, kLine, answer_correction("加快支付", "2027-04-30"))
            .status()
            .code() == Code::kPermissionDenied);

  county->clock.set(at(2027, 4, 3));
  answer(*county, "2027-04-30");
  line = county->line(kLine);
  CHECK(line.correction().status() == zbb::v1::CORRECTION_STATUS_AWAITING_REVIEW);
  CHECK(line.correction().answered_by() == actor::kTransportUnit);
  CHECK(line.correction().deadline() == "2027-04-30");
  CHECK(line.waiting_on() == "reviewer");
  CHECK(from_proto(line.due_at()) == at(2027, 4, 8));  // a review within 5 days

  // Returned with a reason, answered again, accepted.
  CHECK(county->act(actor::kReviewer, kLine, review_correction(false, "")).status().field() ==
        "comment");
  REQUIRE(county->act(actor::kReviewer, kLine, review_correction(false, "措施不具体")).ok());
  CHECK(correction_of(*county) == zbb::v1::CORRECTION_STATUS_AWAITING_ANSWER);
  CHECK(county->line(kLine).correction().returns() == 1);
  CHECK(county->line(kLine).waiting_on() == "unit:" + kTransport);
  answer(*county, "2027-05-15");
  accept(*county);
  line = county->line(kLine);
  CHECK(line.correction().status() == zbb::v1::CORRECTION_STATUS_ACCEPTED);
  CHECK(line.correction().reviewed_by() == actor::kReviewer);
  CHECK(line.waiting_on() == "unit:" + kTransport);
  CHECK(line.state() == s::kExecuting);

  // The next yellow verdict opens a new correction.
  county->clock.set(at(2027, 7, 1));
  REQUIRE(check(*county, 6, 30).ok());
  CHECK(county->line(kLine).monitoring().level() != zbb::v1::WARNING_LEVEL_GREEN);
  CHECK(correction_of(*county) == zbb::v1::CORRECTION_STATUS_AWAITING_ANSWER);
  CHECK(county->line(kLine).correction().as_of() == "2027-06-30");
}

TEST_CASE("whoever answered a correction may not review it", "[correction]") {
  auto county = executing_line();
  county->clock.set(at(2027, 4, 1));
  REQUIRE(check(*county, 3, 31).ok());  // nothing spent: red
  const Principal everyone = with_every_role("acting.head.wu");
  REQUIRE(county->act_as(everyone, kLine, answer_correction("整改", "2027-04-30")).ok());
  CHECK(county->act_as(everyone, kLine, review_correction(true, "")).status().code() ==
        Code::kPermissionDenied);
}

TEST_CASE("an overdue answer escalates like any SLA", "[correction]") {
  auto county = executing_line();
  county->clock.set(at(2027, 4, 1));
  spend(*county, 125'000'00);
  REQUIRE(check(*county, 3, 31).ok());
  county->clock.set(at(2027, 4, 11) - std::chrono::milliseconds(1));
  CHECK(county->record(kLine, sla_breach(std::string(s::kExecuting))).status().code() ==
        Code::kFailedPrecondition);
  county->clock.set(at(2027, 4, 11));
  REQUIRE(county->record(kLine, sla_breach(std::string(s::kExecuting))).ok());
  CHECK(county->line(kLine).sla_breached());
}

TEST_CASE("an accepted correction, then a re-check not red, lifts a red warning", "[correction]") {
  auto county = red_line();
  CHECK(correction_of(*county) == zbb::v1::CORRECTION_STATUS_AWAITING_ANSWER);
  CHECK(county->line(kLine).correction().level() == zbb::v1::WARNING_LEVEL_RED);
  answer(*county);
  accept(*county);
  CHECK(county->state(kLine) == s::kRedWarning);  // accepted, not yet re-checked

  deliver(*county, 0.5);
  county->clock.set(at(2027, 7, 6));
  REQUIRE(check(*county, 7, 5).ok());  // on request
  const BudgetLine line = county->line(kLine);
  CHECK(line.state() == s::kExecuting);
  CHECK(line.monitoring().level() == zbb::v1::WARNING_LEVEL_GREEN);
  CHECK(line.correction().status() == zbb::v1::CORRECTION_STATUS_ACCEPTED);
  spend(*county, 1'00);
}

TEST_CASE("a re-check not red, then the correction accepted, lifts a red warning", "[correction]") {
  auto county = red_line();
  deliver(*county, 0.5);
  county->clock.set(at(2027, 7, 6));
  REQUIRE(check(*county, 7, 5).ok());
  BudgetLine line = county->line(kLine);
  CHECK(line.state() == s::kRedWarning);  // passed, but nothing accepted yet
  CHECK(line.monitoring().level() == zbb::v1::WARNING_LEVEL_RED);
  CHECK(line.correction().recheck().level() == zbb::v1::WARNING_LEVEL_GREEN);
  CHECK(county->act(actor::kTreasury, kLine, record_spending(1'00, "GK", "")).status().code() ==
        Code::kFailedPrecondition);

  answer(*county);
  accept(*county);
  line = county->line(kLine);
  CHECK(line.state() == s::kExecuting);
  CHECK(line.monitoring().level() == zbb::v1::WARNING_LEVEL_GREEN);
  CHECK(line.monitoring().as_of() == "2027-07-05");
  CHECK_FALSE(line.correction().has_recheck());
}

TEST_CASE(
    "a re-check still red keeps the warning, and opens a new correction after an accepted "
    "one",
    "[correction]") {
  auto county = red_line();
  answer(*county);
  accept(*county);
  county->clock.set(at(2027, 7, 6));
  REQUIRE(check(*county, 7, 5).ok());  // nothing delivered: still red
  const BudgetLine line = county->line(kLine);
  CHECK(line.state() == s::kRedWarning);
  CHECK(line.correction().status() == zbb::v1::CORRECTION_STATUS_AWAITING_ANSWER);
  CHECK(line.correction().as_of() == "2027-07-05");
  CHECK(line.correction().answered_by().empty());
}

TEST_CASE("a red verdict forgets a re-check that passed before it", "[correction]") {
  auto county = red_line();
  deliver(*county, 0.5);
  county->clock.set(at(2027, 7, 6));
  REQUIRE(check(*county, 7, 5).ok());
  REQUIRE(county->line(kLine).correction().has_recheck());
  deliver(*county, 0);  // the outputs reported fell back
  REQUIRE(check(*county, 7, 6).ok());
  CHECK_FALSE(county->line(kLine).correction().has_recheck());
  answer(*county);
  accept(*county);
  CHECK(county->state(kLine) == s::kRedWarning);
}

TEST_CASE(
    "an adjustment proposed before zbb recorded whether the line was red is judged by its "
    "verdict",
    "[correction]") {
  BudgetLine line;
  line.mutable_pending_adjustment()->set_kind(zbb::v1::ADJUSTMENT_KIND_REDUCE);
  line.mutable_monitoring()->set_level(zbb::v1::WARNING_LEVEL_RED);
  CHECK(review::proposed_under_red(line));
  line.mutable_monitoring()->set_level(zbb::v1::WARNING_LEVEL_YELLOW);
  CHECK_FALSE(review::proposed_under_red(line));
  line.mutable_pending_adjustment()->set_under_red_warning(true);
  CHECK(review::proposed_under_red(line));
}

TEST_CASE("a monitoring round re-checks the lines under a red warning", "[correction]") {
  auto county = red_line();
  answer(*county);
  accept(*county);
  deliver(*county, 0.5);
  county->clock.set(at(2027, 7, 6));
  review::MonitoringRequest request{"round-07-05", principal_of(actor::kReviewer), 2027,
                                    year(2027) / 7 / 5, ""};
  auto report = review::run_monitoring(county->engine, county->workflow.policies(), request);
  INFO(report.status().to_string());
  REQUIRE(report.ok());
  REQUIRE(report->lines_size() == 1);
  CHECK(report->lines(0).line_id() == kLine);
  CHECK(report->lines(0).result().level() == zbb::v1::WARNING_LEVEL_GREEN);
  CHECK(county->state(kLine) == s::kExecuting);
}

}  // namespace zbb::testing
