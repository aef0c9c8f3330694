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
  // Red as of 06-30, then lifted by an adjustment approved on 07-10: no longer a warning.
  line.mutable_pending_adjustment()->clear_under_red_warning();
  line.mutable_monitoring()->set_level(zbb::v1::WARNING_LEVEL_RED);
  line.mutable_monitoring()->set_as_of("2027-06-30");
  auto& decided = *line.add_adjustments();
  decided.set_outcome(zbb::v1::ADJUSTMENT_OUTCOME_APPROVED);
  *decided.add_decisions()->mutable_at() = to_proto(at(2027, 7, 10));
  CHECK_FALSE(review::proposed_under_red(line));
  decided.set_outcome(zbb::v1::ADJUSTMENT_OUTCOME_REJECTED);
  CHECK(review::proposed_under_red(line));
}

TEST_CASE("a re-check as of a day before the latest verdict is refused", "[correction]") {
  auto county = red_line();
  answer(*county);
  accept(*county);
  deliver(*county, 0.5);
  county->clock.set(at(2027, 7, 6));
  // As of 03-31 only 25 % was due: an earlier day would make any red line pass.
  for (const unsigned month_day : {331u, 629u}) {
    const auto backdated = check(*county, month_day / 100, month_day % 100);
    CHECK(backdated.status().code() == Code::kFailedPrecondition);
    CHECK_THAT(backdated.status().message(), Catch::Contains("was judged as of 2027-06-30"));
  }
  CHECK(county->state(kLine) == s::kRedWarning);
  REQUIRE(check(*county, 6, 30).ok());  // the same day, with the outputs delivered since
  CHECK(county->state(kLine) == s::kExecuting);
}

TEST_CASE("once its correction is accepted, a red line waits on a reviewer's re-check",
          "[correction]") {
  auto county = red_line();
  answer(*county);
  CHECK(county->line(kLine).waiting_on() == "reviewer");
  accept(*county);
  CHECK(county->line(kLine).waiting_on() == "reviewer");
}

TEST_CASE("whoever answered a correction before, not only last, may not review it",
          "[correction]") {
  auto county = red_line();
  const Principal everyone = with_every_role("acting.head.wu");
  REQUIRE(county->act_as(everyone, kLine, answer_correction("整改", "2027-08-31")).ok());
  REQUIRE(county->act(actor::kReviewer, kLine, review_correction(false, "不具体")).ok());
  CHECK(county->line(kLine).waiting_on() == "unit:" + kTransport);
  answer(*county);  // the unit answers this time
  CHECK(county->act_as(everyone, kLine, review_correction(true, "")).status().code() ==
        Code::kPermissionDenied);
  accept(*county);
}

TEST_CASE("a red verdict on a yellow correction already answered sends it back to the unit",
          "[correction]") {
  auto county = executing_line();
  county->clock.set(at(2027, 4, 1));
  spend(*county, 125'000'00);  // yellow at 03-31
  REQUIRE(check(*county, 3, 31).ok());
  answer(*county, "2027-06-30");
  REQUIRE(correction_of(*county) == zbb::v1::CORRECTION_STATUS_AWAITING_REVIEW);
  county->clock.set(at(2027, 7, 1));
  REQUIRE(check(*county, 6, 30).ok());  // 10 % against 50 %: red
  const BudgetLine line = county->line(kLine);
  CHECK(line.state() == s::kRedWarning);
  CHECK(line.correction().status() == zbb::v1::CORRECTION_STATUS_AWAITING_ANSWER);
  CHECK(line.correction().level() == zbb::v1::WARNING_LEVEL_RED);
  CHECK(from_proto(line.due_at()) == at(2027, 7, 11));
}

TEST_CASE("a yellow re-check kept before the acceptance opens the next correction when it lifts",
          "[correction]") {
  auto county = red_line();
  deliver(*county, 0.3);  // 30 % delivered against 50 % spent: ahead by 20, yellow
  county->clock.set(at(2027, 7, 6));
  REQUIRE(check(*county, 7, 5).ok());
  REQUIRE(county->line(kLine).correction().recheck().level() == zbb::v1::WARNING_LEVEL_YELLOW);
  answer(*county);
  accept(*county);
  const BudgetLine line = county->line(kLine);
  CHECK(line.state() == s::kExecuting);
  CHECK(line.monitoring().level() == zbb::v1::WARNING_LEVEL_YELLOW);
  CHECK(line.correction().status() == zbb::v1::CORRECTION_STATUS_AWAITING_ANSWER);
  CHECK(line.correction().level() == zbb::v1::WARNING_LEVEL_YELLOW);
}

TEST_CASE(
    "a rejected adjustment leaves a line red unless its correction was accepted and "
    "re-checked",
    "[correction]") {
  const auto propose_cut = [](County& county) {
    REQUIRE(county
                .act(actor::kTransportUnit, kLine,
                     propose_adjustment(zbb::v1::ADJUSTMENT_KIND_REDUCE, 100'000'00, "", 0, "结余"))
                .ok());
  };
  const auto reject_cut = [](County& county) {
    REQUIRE(county
                .act(actor::kBudgetSection, kLine,
                     decide_adjustment("budget_section", zbb::v1::DECISION_REJECT, "不同意"))
                .ok());
  };
  SECTION("accepted while the adjustment was decided, never re-checked: still red") {
    auto county = red_line();
    propose_cut(*county);
    // The correction goes on while the adjustment is decided, without moving its SLA clock.
    const BudgetLine proposed = county->line(kLine);
    county->clock.set(at(2027, 7, 3));
    answer(*county);
    accept(*county);
    CHECK(county->line(kLine).due_at().seconds() == proposed.due_at().seconds());
    CHECK(county->line(kLine).state_entered_at().seconds() ==
          proposed.state_entered_at().seconds());
    reject_cut(*county);
    CHECK(county->state(kLine) == s::kRedWarning);
  }
  SECTION("re-checked before the proposal, accepted while it was decided: lifted") {
    auto county = red_line();
    deliver(*county, 0.5);
    county->clock.set(at(2027, 7, 6));
    REQUIRE(check(*county, 7, 5).ok());  // passed, kept
    propose_cut(*county);
    answer(*county);
    accept(*county);
    CHECK(county->state(kLine) == s::kAdjustmentProposed);  // only the decision moves it
    reject_cut(*county);
    const BudgetLine line = county->line(kLine);
    CHECK(line.state() == s::kExecuting);
    CHECK(line.monitoring().level() == zbb::v1::WARNING_LEVEL_GREEN);
    CHECK_FALSE(line.correction().has_recheck());
  }
}

TEST_CASE("payments during a pending cut stay within what the cut would leave", "[correction]") {
  auto county = executing_line();
  REQUIRE(county
              ->act(actor::kTransportUnit, kLine,
                    propose_adjustment(zbb::v1::ADJUSTMENT_KIND_REDUCE, 100'000'00, "", 0, "结余"))
              .ok());
  REQUIRE(county->act(actor::kTreasury, kLine, record_spending(1'150'000'00, "GK", "")).ok());
  const auto over = county->act(actor::kTreasury, kLine, record_spending(1, "GK", ""));
  CHECK(over.status().code() == Code::kFailedPrecondition);
  CHECK_THAT(over.status().message(), Catch::Contains("1,150,000.00 yuan that would remain"));
  // A refund is always taken.
  REQUIRE(county->act(actor::kTreasury, kLine, record_spending(-1'00, "GK-R", "")).ok());
  for (const auto& [approver, level] : std::vector<std::pair<std::string, std::string>>{
           {actor::kBudgetSection, "budget_section"}, {actor::kBureauHead, "bureau_head"}})
    REQUIRE(
        county->act(approver, kLine, decide_adjustment(level, zbb::v1::DECISION_APPROVE, "")).ok());
  CHECK(county->line(kLine).approved_amount() == 1'150'000'00);
}

TEST_CASE("a red line stored before zbb kept corrections gets one from its red verdict",
          "[correction]") {
  auto county = red_line();
  // As an older zbb stored it: red, with no correction.
  BudgetLine older = county->line(kLine);
  older.clear_correction();
  REQUIRE(review::open_for_red_line(older, at(2027, 7, 2)));
  CHECK(older.correction().status() == zbb::v1::CORRECTION_STATUS_AWAITING_ANSWER);
  CHECK(older.correction().as_of() == "2027-06-30");
  CHECK_FALSE(review::open_for_red_line(older, at(2027, 7, 2)));  // once
}

TEST_CASE("a round as of a day before some lines' latest verdict is refused naming them",
          "[correction]") {
  auto county = executing_line();
  county->clock.set(at(2027, 7, 6));
  spend(*county, 625'000'00);
  deliver(*county, 0.5);
  REQUIRE(check(*county, 7, 5).ok());
  review::MonitoringRequest request{"round-06-30", principal_of(actor::kReviewer), 2027,
                                    year(2027) / 6 / 30, ""};
  auto refused = review::run_monitoring(county->engine, county->workflow.policies(), request);
  CHECK(refused.status().code() == Code::kFailedPrecondition);
  CHECK_THAT(refused.status().message(),
             Catch::Contains("before the latest verdict of line " + kLine));
  request.as_of = year(2027) / 7 / 5;
  request.request_id = "round-07-05";
  CHECK(review::run_monitoring(county->engine, county->workflow.policies(), request).ok());
}

TEST_CASE("a yellow correction not yet answered gets a fresh deadline when the verdict turns red",
          "[correction]") {
  auto county = executing_line();
  county->clock.set(at(2027, 4, 1));
  spend(*county, 125'000'00);  // yellow at 03-31
  REQUIRE(check(*county, 3, 31).ok());
  county->clock.set(at(2027, 7, 1));
  REQUIRE(check(*county, 6, 30).ok());  // red
  const BudgetLine line = county->line(kLine);
  CHECK(line.correction().level() == zbb::v1::WARNING_LEVEL_RED);
  CHECK(from_proto(line.due_at()) == at(2027, 7, 11));
  CHECK_FALSE(line.sla_breached());
}

TEST_CASE("a correction stored before zbb kept when it began to wait is due from its step",
          "[correction]") {
  const review::PolicySet policies = default_policies();
  const auto& policy = policies.current();
  BudgetLine line;
  line.set_state(std::string(s::kRedWarning));
  auto& c = *line.mutable_correction();
  c.set_status(zbb::v1::CORRECTION_STATUS_AWAITING_ANSWER);
  *c.mutable_opened_at() = to_proto(at(2027, 7, 1));
  CHECK(review::correction_due(policy, line, std::nullopt) == at(2027, 7, 11));
  c.set_status(zbb::v1::CORRECTION_STATUS_AWAITING_REVIEW);
  *c.mutable_answered_at() = to_proto(at(2027, 7, 3));
  CHECK(review::correction_due(policy, line, std::nullopt) == at(2027, 7, 8));
  c.set_status(zbb::v1::CORRECTION_STATUS_AWAITING_ANSWER);
  c.set_returns(1);
  *c.mutable_reviewed_at() = to_proto(at(2027, 7, 4));
  CHECK(review::correction_due(policy, line, std::nullopt) == at(2027, 7, 14));
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
