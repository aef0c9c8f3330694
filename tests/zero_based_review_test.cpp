// The zero-based review machine: every transition, every refusal, every guard.

#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "tests/county_fixture.h"
#include "workflows/state_ids.h"

namespace zbb::testing {
namespace {

namespace s = review::state;
using std::chrono::June;
using std::chrono::March;
using std::chrono::year;

const std::string kLine = "JT-2027-001";

// One well-formed action of each type, so that only the state can refuse it.
std::vector<Action> one_of_each_action() {
  return {create_line(road_maintenance_request()),
          revise_line(road_maintenance_request()),
          submit_line(),
          start_target_review(),
          review_targets(true, "ok"),
          score_priority({criterion_score("necessity", 80)}, ""),
          fund_line(1'000'00, ""),
          decide_approval("department_head", zbb::v1::DECISION_APPROVE, 1'00, ""),
          record_spending(1'00, "PAY-1", ""),
          record_indicator_progress("养护里程", 10),
          run_checkpoint(year(2027) / June / 30),
          propose_adjustment(zbb::v1::ADJUSTMENT_KIND_INCREASE, 1'00, "", 0, "reason"),
          decide_adjustment("budget_section", zbb::v1::DECISION_APPROVE, ""),
          begin_evaluation(),
          submit_self_evaluation({}, 90, "summary"),
          close_line(""),
          withdraw_line(""),
          submit_rectification("整改"),
          review_rectification(true, ""),
          record_assessment(true, ""),
          RestateTargets(),
          review_restated_targets(true, ""),
          answer_correction("加快支付进度", "2027-12-31"),
          review_correction(true, ""),
          select_focused_evaluation("抽查"),
          submit_focused_evaluation({}, {}, 90, "核查"),
          review_evaluation({{"output", 400, "抽检"}})};
}

// What each state accepts, written out from the process description.
const std::map<std::string_view, std::set<std::string_view>> kAccepted = {
    {s::kDraft, {"revise", "submit", "withdraw", "submit_rectification"}},
    {s::kSubmitted,
     {"start_target_review", "withdraw", "submit_rectification", "review_rectification",
      "record_assessment"}},
    {s::kUnderTargetReview,
     {"review_targets", "withdraw", "submit_rectification", "review_rectification",
      "record_assessment"}},
    {s::kReturnedForRevision,
     {"revise", "submit", "withdraw", "submit_rectification", "review_rectification"}},
    {s::kAwaitingRanking,
     {"score_priority", "fund", "withdraw", "submit_rectification", "review_rectification"}},
    {s::kAwaitingDecision, {"decide", "withdraw"}},
    {s::kRestatingTargets, {"restate_targets"}},
    {s::kReviewingRestatedTargets, {"review_restated_targets"}},
    {s::kExecuting,
     {"record_spending", "run_checkpoint", "begin_evaluation", "record_indicator_progress",
      "propose_adjustment", "answer_correction", "review_correction"}},
    {s::kRedWarning,
     {"record_indicator_progress", "propose_adjustment", "run_checkpoint", "answer_correction",
      "review_correction"}},
    {s::kAdjustmentProposed,
     {"decide_adjustment", "record_spending", "answer_correction", "review_correction"}},
    {s::kSelfEvaluation, {"submit_self_evaluation", "record_spending"}},
    {s::kFocusedEvaluation, {"submit_focused_evaluation", "record_spending"}},
    {s::kScored, {"close", "record_spending", "select_focused_evaluation", "review_evaluation"}},
    {s::kClosed, {}},
    {s::kWithdrawn, {}},
    {s::kRejected, {}},
    {s::kUnfunded, {}},
};

// A county with the road maintenance line created and driven to `state`.
std::unique_ptr<County> county_with_line_in(std::string_view state) {
  auto county = std::make_unique<County>();
  county->create(kLine, road_maintenance_request());
  county->drive_to(kLine, state);
  return county;
}

std::size_t event_count(County& county) { return county.history(kLine).size(); }

}  // namespace

TEST_CASE("every state refuses the events it does not accept, naming the state and what it accepts",
          "[machine]") {
  REQUIRE(one_of_each_action().size() == std::variant_size_v<Action>);
  for (const auto& [state, accepted] : kAccepted) {
    auto county = county_with_line_in(state);
    for (const Action& action : one_of_each_action()) {
      const std::string type(action_type(action));
      if (accepted.count(type) || type == "create") continue;
      const std::size_t events_before = event_count(*county);
      // A decision names no level, so it is taken as one for the level the line waits on (a
      // named level the line does not wait on is refused as an invalid argument first).
      Action sent = action;
      if (auto* decide = std::get_if<DecideApproval>(&sent)) decide->clear_level();
      if (auto* decide = std::get_if<DecideAdjustment>(&sent)) decide->clear_level();
      // Every role but, for an assessment or a focused evaluation, the line's unit: a role rule
      // keeps a department's own staff from judging its lines, whatever the state.
      Principal sender = with_every_role(actor::kSecondReviewer);
      if (std::holds_alternative<RecordAssessment>(sent) ||
          std::holds_alternative<SubmitFocusedEvaluation>(sent))
        std::erase(sender.roles, "unit:" + std::string(kTransport));
      auto outcome = county->act_as(sender, kLine, sent);
      INFO("state " << state << ", event " << type << ": " << outcome.status().to_string());
      REQUIRE(outcome.status().code() == Code::kFailedPrecondition);
      CHECK_THAT(outcome.status().message(), Catch::Contains("in state " + std::string(state)));
      CHECK_THAT(outcome.status().message(), Catch::Contains("does not accept " + type));
      for (const auto& allowed : accepted)
        CHECK_THAT(outcome.status().message(), Catch::Contains(std::string(allowed)));
      if (accepted.empty()) CHECK_THAT(outcome.status().message(), Catch::Contains("terminal"));
      // Only what a client may send: never the follow-ups zbb records itself.
      const std::string& message = outcome.status().message();
      const std::string listed = message.substr(message.find("; it accepts "));
      for (const char* internal : {"sla_breached", "expect_reallocation", "receive_reallocation",
                                   "cancel_reallocation", "receive_carry_over"})
        CHECK_THAT(listed, !Catch::Contains(internal));
      CHECK(county->state(kLine) == state);
      CHECK(event_count(*county) == events_before);
    }
  }
}

TEST_CASE("creating a line that exists is refused — events on an unknown line are NOT_FOUND",
          "[machine]") {
  County county;
  county.create(kLine, road_maintenance_request());
  CHECK(county.act(actor::kTransportUnit, kLine, create_line(road_maintenance_request()))
            .status()
            .code() == Code::kAlreadyExists);
  CHECK(county.act(actor::kTransportUnit, "NO-SUCH-LINE", submit_line()).status().code() ==
        Code::kNotFound);
}

TEST_CASE("a new line shows its times, and the epoch as the submission it has not had",
          "[machine]") {
  County county;
  county.clock.set(at(2027, 1, 5));
  county.create(kLine, road_maintenance_request());
  const BudgetLine draft = county.line(kLine);
  CHECK(from_proto(draft.created_at()) == at(2027, 1, 5));
  CHECK(from_proto(draft.state_entered_at()) == at(2027, 1, 5));
  CHECK(from_proto(draft.updated_at()) == at(2027, 1, 5));
  REQUIRE(draft.has_submitted_at());
  CHECK(to_millis(from_proto(draft.submitted_at())) == 0);
}

TEST_CASE("the happy path runs from draft to closed through every level of approval", "[machine]") {
  County county;
  county.create(kLine, road_maintenance_request());
  CHECK(county.state(kLine) == s::kDraft);
  CHECK(county.line(kLine).policy_version() == "2027.1");
  county.drive_to(kLine, s::kClosed);

  std::vector<std::string> path;
  for (const auto& e : county.history(kLine)) path.push_back(e.type + "→" + e.to_state);
  CHECK(path == std::vector<std::string>{
                    "create→draft",
                    "submit→justification.submitted",
                    "start_target_review→justification.under_target_review",
                    // a line of a new programme above 1,000,000 yuan is assessed
                    "record_assessment→justification.under_target_review",
                    "review_targets→ranking.awaiting_ranking",
                    "fund→approval.awaiting_decision",
                    "decide→approval.awaiting_decision",
                    "decide→approval.awaiting_decision",
                    "decide→approval.awaiting_decision",
                    "decide→execution.executing",
                    "record_spending→execution.executing",
                    "record_indicator_progress→execution.executing",
                    "record_indicator_progress→execution.executing",
                    "run_checkpoint→execution.executing",
                    "begin_evaluation→evaluation.self_evaluation",
                    "submit_self_evaluation→evaluation.scored",
                    "close→closed",
                });
  const BudgetLine line = county.line(kLine);
  CHECK(line.approvals_size() == 4);
  CHECK(line.approved_amount() == 1'250'000'00);
  CHECK(line.version() == 17);
}

TEST_CASE("a draft and a returned line can be revised in place but not moved to another unit",
          "[machine]") {
  for (auto state : {s::kDraft, s::kReturnedForRevision}) {
    auto county = county_with_line_in(state);
    LineContent revised = road_maintenance_request();
    revised.set_title("农村公路日常养护（修订）");
    REQUIRE(county->act(actor::kTransportUnit, kLine, revise_line(revised)).ok());
    CHECK(county->state(kLine) == state);
    CHECK(county->line(kLine).content().title() == revised.title());

    revised.set_department(kHealth);
    auto moved = county->act(actor::kTransportUnit, kLine, revise_line(revised));
    CHECK(moved.status().code() == Code::kInvalidArgument);
    CHECK(moved.status().field() == "content.department");
  }
}

TEST_CASE("target review accepts to ranking or returns for revision with a reason", "[machine]") {
  auto county = county_with_line_in(s::kUnderTargetReview);
  auto no_reason = county->act(actor::kReviewer, kLine, review_targets(false, "  "));
  CHECK(no_reason.status().field() == "comment");
  REQUIRE(county->act(actor::kReviewer, kLine, review_targets(false, "满意度目标值偏低")).ok());
  CHECK(county->state(kLine) == s::kReturnedForRevision);
  county->drive_to(kLine, s::kSubmitted);  // resubmitted after revision
  county->drive_to(kLine, s::kAwaitingRanking);
  CHECK(county->line(kLine).review_claimed_by() == actor::kReviewer);
}

TEST_CASE("a line can be withdrawn until its approval is complete", "[machine]") {
  for (auto state : {s::kDraft, s::kSubmitted, s::kUnderTargetReview, s::kReturnedForRevision,
                     s::kAwaitingRanking, s::kAwaitingDecision}) {
    auto county = county_with_line_in(state);
    REQUIRE(county->act(actor::kTransportUnit, kLine, withdraw_line("项目取消")).ok());
    CHECK(county->state(kLine) == s::kWithdrawn);
  }
}

TEST_CASE("ranking funds a line up to its request, or leaves it unfunded with zero", "[machine]") {
  auto county = county_with_line_in(s::kAwaitingRanking);
  auto too_much = county->act(actor::kRankingOffice, kLine, fund_line(1'250'000'01, ""));
  CHECK(too_much.status().code() == Code::kInvalidArgument);
  CHECK(too_much.status().field() == "amount");

  SECTION("a partial amount") {
    REQUIRE(county->act(actor::kRankingOffice, kLine, fund_line(1'000'000'00, "")).ok());
    CHECK(county->state(kLine) == s::kAwaitingDecision);
    CHECK(county->line(kLine).funded_amount() == 1'000'000'00);
  }
  SECTION("nothing") {
    REQUIRE(county->act(actor::kRankingOffice, kLine, fund_line(0, "排序在控制数以外")).ok());
    CHECK(county->state(kLine) == s::kUnfunded);
  }
}

TEST_CASE("each approval level grants at most what was funded or granted before it",
          "[machine][guard]") {
  auto county = county_with_line_in(s::kAwaitingRanking);
  REQUIRE(county->act(actor::kRankingOffice, kLine, fund_line(1'000'000'00, "")).ok());

  auto above_funded =
      county->act(actor::kDepartmentHead, kLine,
                  decide_approval("department_head", zbb::v1::DECISION_APPROVE, 1'000'000'01, ""));
  CHECK(above_funded.status().code() == Code::kInvalidArgument);
  CHECK(above_funded.status().field() == "amount");

  REQUIRE(county
              ->act(actor::kDepartmentHead, kLine,
                    decide_approval("department_head", zbb::v1::DECISION_APPROVE, 1'000'000'00, ""))
              .ok());
  REQUIRE(
      county
          ->act(actor::kBudgetSection, kLine,
                decide_approval("budget_section", zbb::v1::DECISION_APPROVE, 900'000'00, "压减10%"))
          .ok());
  auto above_previous = county->act(
      actor::kPerformanceSection, kLine,
      decide_approval("performance_section", zbb::v1::DECISION_APPROVE, 900'000'01, ""));
  CHECK(above_previous.status().field() == "amount");
  REQUIRE(
      county
          ->act(actor::kPerformanceSection, kLine,
                decide_approval("performance_section", zbb::v1::DECISION_APPROVE, 900'000'00, ""))
          .ok());
  REQUIRE(county
              ->act(actor::kBureauHead, kLine,
                    decide_approval("bureau_head", zbb::v1::DECISION_APPROVE, 880'000'00, ""))
              .ok());
  // Below the request: the unit restates its targets for the money before the line executes.
  CHECK(county->state(kLine) == s::kRestatingTargets);
  CHECK(county->line(kLine).approved_amount() == 880'000'00);
}

TEST_CASE("a decision must be for the level the line waits on", "[machine][guard]") {
  auto county = county_with_line_in(s::kAwaitingDecision);
  auto wrong_level =
      county->act(actor::kBureauHead, kLine,
                  decide_approval("bureau_head", zbb::v1::DECISION_APPROVE, 1'00, ""));
  CHECK(wrong_level.status().code() == Code::kInvalidArgument);
  CHECK(wrong_level.status().field() == "level");
  CHECK_THAT(wrong_level.status().message(), Catch::Contains("department_head"));
}

TEST_CASE("a decision without a level or amount decides the awaited level at the granted amount",
          "[machine]") {
  auto county = county_with_line_in(s::kAwaitingDecision);
  const Fen granted = county->line(kLine).granted_amount();
  REQUIRE(granted > 0);
  REQUIRE(county
              ->act(actor::kDepartmentHead, kLine,
                    decide_approval("", zbb::v1::DECISION_APPROVE, std::nullopt, ""))
              .ok());
  CHECK(county->line(kLine).granted_amount() == granted);
  CHECK(county->line(kLine).waiting_on() != "approver:department_head");
  const auto history = county->history(kLine);
  REQUIRE_FALSE(history.empty());
  CHECK_THAT(history.back().payload, Catch::Contains("department_head"));
}

TEST_CASE("the submitter never decides on his own line", "[machine][guard]") {
  const std::string& unit = actor::kTransportUnit;
  struct Case {
    std::string_view state;
    Action action;
  };
  const std::vector<Case> cases = {
      {s::kSubmitted, start_target_review()},
      {s::kUnderTargetReview, review_targets(true, "")},
      {s::kAwaitingRanking, fund_line(1'00, "")},
      {s::kAwaitingDecision,
       decide_approval("department_head", zbb::v1::DECISION_APPROVE, 1'00, "")},
      {s::kAdjustmentProposed, decide_adjustment("budget_section", zbb::v1::DECISION_APPROVE, "")},
      {s::kScored, close_line("")},
  };
  for (const auto& c : cases) {
    auto county = county_with_line_in(c.state);
    auto outcome = county->act_as(with_every_role(unit), kLine, c.action);
    INFO(c.state);
    CHECK(outcome.status().code() == Code::kPermissionDenied);
    CHECK_THAT(outcome.status().message(), Catch::Contains("segregation of duties"));
    CHECK(county->state(kLine) == c.state);
  }
}

TEST_CASE("one actor decides at one level of a line only", "[machine][guard]") {
  auto county = county_with_line_in(s::kAwaitingDecision);
  REQUIRE(county
              ->act(actor::kDepartmentHead, kLine,
                    decide_approval("department_head", zbb::v1::DECISION_APPROVE, 1'250'000'00, ""))
              .ok());
  auto second_level =
      county->act(actor::kDepartmentHead, kLine,
                  decide_approval("budget_section", zbb::v1::DECISION_APPROVE, 1'00, ""));
  CHECK(second_level.status().code() == Code::kPermissionDenied);
  CHECK(county->line(kLine).approval_step() == 1);
}

TEST_CASE("approval can reject or return the line, with a reason", "[machine][guard]") {
  auto county = county_with_line_in(s::kAwaitingDecision);
  auto silent = county->act(actor::kDepartmentHead, kLine,
                            decide_approval("department_head", zbb::v1::DECISION_REJECT, 0, ""));
  CHECK(silent.status().field() == "comment");

  SECTION("reject") {
    REQUIRE(
        county
            ->act(actor::kDepartmentHead, kLine,
                  decide_approval("department_head", zbb::v1::DECISION_REJECT, 0, "与上级资金重复"))
            .ok());
    CHECK(county->state(kLine) == s::kRejected);
    CHECK(county->line(kLine).approved_amount() == 0);
  }
  SECTION("return, then the whole review again") {
    REQUIRE(
        county
            ->act(actor::kDepartmentHead, kLine,
                  decide_approval("department_head", zbb::v1::DECISION_RETURN, 0, "补充测算依据"))
            .ok());
    CHECK(county->state(kLine) == s::kReturnedForRevision);
    county->drive_to(kLine, s::kExecuting);
  }
}

TEST_CASE("spending stays between zero and the approved amount", "[machine][guard]") {
  auto county = county_with_line_in(s::kExecuting);
  REQUIRE(county->act(actor::kTreasury, kLine, record_spending(1'250'000'00, "PAY-001", "")).ok());
  auto over = county->act(actor::kTreasury, kLine, record_spending(1, "PAY-002", ""));
  CHECK(over.status().code() == Code::kFailedPrecondition);
  REQUIRE(county->act(actor::kTreasury, kLine, record_spending(-50'00, "REFUND-001", "")).ok());
  CHECK(county->line(kLine).spent_amount() == 1'249'950'00);
  auto below_zero = county->act(actor::kTreasury, kLine, record_spending(-1'250'000'00, "R2", ""));
  CHECK(below_zero.status().code() == Code::kFailedPrecondition);
}

TEST_CASE("indicator progress is recorded on quantitative indicators the line has",
          "[machine][guard]") {
  auto county = county_with_line_in(s::kExecuting);
  REQUIRE(county->act(actor::kTreasury, kLine, record_indicator_progress("养护里程", 40)).ok());
  const Indicator recorded = county->line(kLine).content().indicators(0);
  REQUIRE(recorded.has_actual());
  CHECK(recorded.actual() == 40);
  auto unknown = county->act(actor::kTreasury, kLine, record_indicator_progress("桥梁数", 1));
  CHECK(unknown.status().field() == "indicator");
}

TEST_CASE("a checkpoint runs on or after the first checkpoint date within the fiscal year",
          "[machine][guard]") {
  auto county = county_with_line_in(s::kExecuting);
  county->clock.set(at(2027, 6, 29, 23));
  auto not_yet = county->act(actor::kTreasury, kLine, run_checkpoint(year(2027) / June / 30));
  CHECK(not_yet.status().code() == Code::kFailedPrecondition);
  CHECK_THAT(not_yet.status().message(), Catch::Contains("cannot be run on 2027-06-29"));
  county->clock.set(at(2027, 6, 30, 0));
  auto early = county->act(actor::kTreasury, kLine, run_checkpoint(year(2027) / March / 30));
  CHECK(early.status().code() == Code::kFailedPrecondition);
  CHECK(early.status().message() ==
        "the first checkpoint is due on 2027-03-31; 2027-03-30 is before it");
  auto next_year = county->act(actor::kTreasury, kLine, run_checkpoint(year(2028) / June / 30));
  CHECK(next_year.status().field() == "as_of");
  // 06-29 belongs to the 03-31 checkpoint, 06-30 to the dual one. Half spent, on time for both.
  const Fen half = county->line(kLine).approved_amount() / 2;
  REQUIRE(county->act(actor::kTreasury, kLine, record_spending(half, "PAY", "")).ok());
  REQUIRE(county->act(actor::kTreasury, kLine, run_checkpoint(year(2027) / June / 29)).ok());
  CHECK(county->line(kLine).monitoring().checkpoint() == "03-31");
  CHECK_FALSE(county->line(kLine).monitoring().dual());
  REQUIRE(county->act(actor::kTreasury, kLine, run_checkpoint(year(2027) / June / 30)).ok());
  CHECK(county->line(kLine).monitoring().checkpoint() == "06-30");
  CHECK(county->line(kLine).monitoring().dual());
}

// Approved 1,000,000.00 yuan; output indicator target 100. Thresholds from the default policy:
// time progress 50 % at the dual checkpoint 06-30, lag yellow 10 / red 20 points, ahead yellow
// 20 / red 35 points.
TEST_CASE("the dual checkpoint warns green, yellow or red at and around each threshold",
          "[machine][guard][monitoring]") {
  struct Case {
    Fen spent;
    double output_done;  // of a target of 100
    WarningLevel expected;
  };
  const std::vector<Case> cases = {
      {50'000'000, 50, zbb::v1::WARNING_LEVEL_GREEN},      // on time, on target
      {40'000'001, 40, zbb::v1::WARNING_LEVEL_GREEN},      // lag 9.999999 points: judged exactly
      {40'000'000, 40, zbb::v1::WARNING_LEVEL_YELLOW},     // lag exactly 10
      {30'000'001, 30, zbb::v1::WARNING_LEVEL_YELLOW},     // lag 19.999999
      {30'000'000, 30, zbb::v1::WARNING_LEVEL_RED},        // lag exactly 20
      {50'000'000, 30.01, zbb::v1::WARNING_LEVEL_GREEN},   // ahead 19.99
      {50'000'000, 30, zbb::v1::WARNING_LEVEL_YELLOW},     // ahead exactly 20
      {50'000'000, 15.01, zbb::v1::WARNING_LEVEL_YELLOW},  // ahead 34.99
      {50'000'000, 15, zbb::v1::WARNING_LEVEL_RED},        // ahead exactly 35
  };
  for (const auto& c : cases) {
    County county;
    LineContent content;
    content.set_fiscal_year(2027);
    content.set_department(kHealth);
    content.set_programme_code("WJ-VACC-002");
    content.set_title("适龄儿童免疫规划");
    content.set_category(zbb::v1::CATEGORY_PROJECT);
    content.set_requested_amount(100'000'000);
    assign(content.mutable_cost_items(),
           {cost_item("疫苗及接种服务（剂）", 100, 1'000'000, 100'000'000)});
    content.set_necessity_statement("保障适龄儿童按时接种。");
    *content.mutable_indicators() = road_maintenance_request().indicators();
    content.mutable_indicators(0)->set_target(100);
    county.create(kLine, content, unit_of(kHealth));
    county.drive_to(kLine, s::kExecuting);
    REQUIRE(county.act(actor::kTreasury, kLine, record_spending(c.spent, "PAY", "")).ok());
    // The checkpoint judges output indicators; both count toward completion.
    REQUIRE(county
                .act(actor::kTreasury, kLine,
                     record_indicator_progress(content.indicators(0).name(), c.output_done))
                .ok());
    REQUIRE(
        county
            .act(actor::kTreasury, kLine,
                 record_indicator_progress(content.indicators(1).name(), c.output_done / 100 * 95))
            .ok());
    county.clock.set(at(2027, 7, 1));
    REQUIRE(county.act(actor::kTreasury, kLine, run_checkpoint(year(2027) / June / 30)).ok());
    const BudgetLine line = county.line(kLine);
    REQUIRE(line.has_monitoring());
    const MonitoringResult& monitoring = line.monitoring();
    INFO("spent " << c.spent << " output " << c.output_done << ": "
                  << (monitoring.reasons().empty() ? "" : monitoring.reasons(0)));
    CHECK(monitoring.level() == c.expected);
    CHECK(county.state(kLine) ==
          (c.expected == zbb::v1::WARNING_LEVEL_RED ? s::kRedWarning : s::kExecuting));
  }
}

TEST_CASE(
    "a red line accepts no spending until an adjustment is approved — a rejection leaves it "
    "red",
    "[machine][guard]") {
  auto county = county_with_line_in(s::kRedWarning);
  CHECK(county->line(kLine).monitoring().level() == zbb::v1::WARNING_LEVEL_RED);
  CHECK(county->act(actor::kTreasury, kLine, record_spending(1'00, "PAY", "")).status().code() ==
        Code::kFailedPrecondition);
  const auto propose = [&] {
    REQUIRE(county
                ->act(actor::kTransportUnit, kLine,
                      propose_adjustment(zbb::v1::ADJUSTMENT_KIND_REDUCE, 500'000'00, "", 0,
                                         "进度滞后"))
                .ok());
    CHECK(county->line(kLine).pending_adjustment().under_red_warning());
    // Proposed under red: payments stay stopped while it is decided.
    const auto paid = county->act(actor::kTreasury, kLine, record_spending(1'00, "PAY", ""));
    CHECK(paid.status().code() == Code::kFailedPrecondition);
    CHECK_THAT(paid.status().message(), Catch::Contains("red warning"));
  };
  propose();
  REQUIRE(county
              ->act(actor::kBudgetSection, kLine,
                    decide_adjustment("budget_section", zbb::v1::DECISION_REJECT, "先加快进度"))
              .ok());
  CHECK(county->state(kLine) == s::kRedWarning);
  CHECK(county->act(actor::kTreasury, kLine, record_spending(1'00, "PAY", "")).status().code() ==
        Code::kFailedPrecondition);

  propose();
  const std::vector<std::pair<std::string, std::string>> chain = {
      {actor::kBudgetSection, "budget_section"}, {actor::kBureauHead, "bureau_head"}};
  for (const auto& [approver, level] : chain)
    REQUIRE(
        county->act(approver, kLine, decide_adjustment(level, zbb::v1::DECISION_APPROVE, "")).ok());
  CHECK(county->state(kLine) == s::kExecuting);
  CHECK(county->act(actor::kTreasury, kLine, record_spending(1'00, "PAY", "")).ok());
}

TEST_CASE("an adjustment proposed on a green or yellow line leaves payments going",
          "[machine][guard]") {
  auto county = county_with_line_in(s::kExecuting);
  REQUIRE(county
              ->act(actor::kTransportUnit, kLine,
                    propose_adjustment(zbb::v1::ADJUSTMENT_KIND_REDUCE, 100'000'00, "", 0, "结余"))
              .ok());
  CHECK(county->state(kLine) == s::kAdjustmentProposed);
  CHECK_FALSE(county->line(kLine).pending_adjustment().under_red_warning());
  REQUIRE(county->act(actor::kTreasury, kLine, record_spending(300'000'00, "PAY", "")).ok());
  // Still within what is approved, as everywhere.
  CHECK(county->act(actor::kTreasury, kLine, record_spending(1'000'000'00, "PAY", ""))
            .status()
            .code() == Code::kFailedPrecondition);
  REQUIRE(county
              ->act(actor::kBudgetSection, kLine,
                    decide_adjustment("budget_section", zbb::v1::DECISION_REJECT, "不同意"))
              .ok());
  CHECK(county->state(kLine) == s::kExecuting);
  CHECK(county->line(kLine).spent_amount() == 300'000'00);
}

TEST_CASE("an adjustment passes its chain level by level and then applies", "[machine][guard]") {
  auto county = county_with_line_in(s::kExecuting);
  REQUIRE(county->act(actor::kTreasury, kLine, record_spending(1'000'000'00, "PAY", "")).ok());

  SECTION("a reduction never goes below what is spent") {
    auto too_deep =
        county->act(actor::kTransportUnit, kLine,
                    propose_adjustment(zbb::v1::ADJUSTMENT_KIND_REDUCE, 250'000'01, "", 0, "r"));
    CHECK(too_deep.status().code() == Code::kFailedPrecondition);
    REQUIRE(
        county
            ->act(actor::kTransportUnit, kLine,
                  propose_adjustment(zbb::v1::ADJUSTMENT_KIND_REDUCE, 250'000'00, "", 0, "结余"))
            .ok());
    {
      const BudgetLine proposed = county->line(kLine);
      REQUIRE(proposed.has_pending_adjustment());
      CHECK(proposed.pending_adjustment().outcome() == zbb::v1::ADJUSTMENT_OUTCOME_PENDING);
      CHECK(proposed.pending_adjustment().proposed_by() == actor::kTransportUnit);
    }
    auto proposer = county->act(actor::kTransportUnit, kLine,
                                decide_adjustment("budget_section", zbb::v1::DECISION_APPROVE, ""));
    CHECK(proposer.status().code() == Code::kPermissionDenied);
    auto wrong_level = county->act(actor::kBureauHead, kLine,
                                   decide_adjustment("bureau_head", zbb::v1::DECISION_APPROVE, ""));
    CHECK(wrong_level.status().code() == Code::kInvalidArgument);
    REQUIRE(county
                ->act(actor::kBudgetSection, kLine,
                      decide_adjustment("budget_section", zbb::v1::DECISION_APPROVE, ""))
                .ok());
    CHECK(county->state(kLine) == s::kAdjustmentProposed);
    auto same_actor = county->act(actor::kBudgetSection, kLine,
                                  decide_adjustment("bureau_head", zbb::v1::DECISION_APPROVE, ""));
    CHECK(same_actor.status().code() == Code::kPermissionDenied);
    REQUIRE(county
                ->act(actor::kBureauHead, kLine,
                      decide_adjustment("bureau_head", zbb::v1::DECISION_APPROVE, ""))
                .ok());
    CHECK(county->state(kLine) == s::kExecuting);
    const BudgetLine line = county->line(kLine);
    CHECK(line.approved_amount() == 1'000'000'00);
    REQUIRE(line.adjustments_size() == 1);
    CHECK(line.adjustments(0).outcome() == zbb::v1::ADJUSTMENT_OUTCOME_APPROVED);
    CHECK_FALSE(line.has_pending_adjustment());
  }
  SECTION("an increase draws from the department's pool, never below zero") {
    // Proposed against an empty pool: refused at once, before any approver works on it.
    auto empty_pool = county->act(
        actor::kTransportUnit, kLine,
        propose_adjustment(zbb::v1::ADJUSTMENT_KIND_INCREASE, 50'000'00, "", 0, "增补"));
    CHECK(empty_pool.status().code() == Code::kFailedPrecondition);
    CHECK_THAT(empty_pool.status().message(), Catch::Contains("holds 0 fen"));
    CHECK_FALSE(county->line(kLine).has_pending_adjustment());

    // A cut on another line of the department returns money to the pool.
    auto cut = [&](const std::string& line, Fen amount) {
      REQUIRE(county
                  ->act(actor::kTransportUnit, line,
                        propose_adjustment(zbb::v1::ADJUSTMENT_KIND_REDUCE, amount, "", 0, "结余"))
                  .ok());
      REQUIRE(county
                  ->act(actor::kBudgetSection, line,
                        decide_adjustment("budget_section", zbb::v1::DECISION_APPROVE, ""))
                  .ok());
      REQUIRE(county
                  ->act(actor::kBureauHead, line,
                        decide_adjustment("bureau_head", zbb::v1::DECISION_APPROVE, ""))
                  .ok());
    };
    county->create("JT-OTHER", road_maintenance_request());
    county->drive_to("JT-OTHER", s::kExecuting);
    cut("JT-OTHER", 80'000'00);
    CHECK(county->store->pool_balance(2027, kTransport).value() == 80'000'00);

    REQUIRE(
        county
            ->act(actor::kTransportUnit, kLine,
                  propose_adjustment(zbb::v1::ADJUSTMENT_KIND_INCREASE, 50'000'00, "", 0, "增补"))
            .ok());
    REQUIRE(county
                ->act(actor::kBudgetSection, kLine,
                      decide_adjustment("budget_section", zbb::v1::DECISION_APPROVE, ""))
                .ok());
    // Meanwhile another increase drains the pool: the last level is refused, as the pool now
    // holds less than the increase.
    county->create("JT-THIRD", road_maintenance_request());
    county->drive_to("JT-THIRD", s::kExecuting);
    REQUIRE(
        county
            ->act(actor::kTransportUnit, "JT-THIRD",
                  propose_adjustment(zbb::v1::ADJUSTMENT_KIND_INCREASE, 60'000'00, "", 0, "增补"))
            .ok());
    REQUIRE(county
                ->act(actor::kBudgetSection, "JT-THIRD",
                      decide_adjustment("budget_section", zbb::v1::DECISION_APPROVE, ""))
                .ok());
    REQUIRE(county
                ->act(actor::kBureauHead, "JT-THIRD",
                      decide_adjustment("bureau_head", zbb::v1::DECISION_APPROVE, ""))
                .ok());
    CHECK(county->store->pool_balance(2027, kTransport).value() == 20'000'00);
    auto drained = county->act(actor::kBureauHead, kLine,
                               decide_adjustment("bureau_head", zbb::v1::DECISION_APPROVE, ""));
    CHECK(drained.status().code() == Code::kFailedPrecondition);
    CHECK_THAT(drained.status().message(), Catch::Contains("holds 2000000 fen"));
    CHECK(county->line(kLine).approved_amount() == 1'250'000'00);

    cut("JT-OTHER", 30'000'00);
    REQUIRE(county
                ->act(actor::kBureauHead, kLine,
                      decide_adjustment("bureau_head", zbb::v1::DECISION_APPROVE, ""))
                .ok());
    CHECK(county->line(kLine).approved_amount() == 1'300'000'00);
    CHECK(county->store->pool_balance(2027, kTransport).value() == 0);

    // Every change is a movement of the pool, with the line and what moved it.
    auto pool = county->store->pool(2027, kTransport, 10);
    REQUIRE(pool.ok());
    CHECK(pool->balance == 0);
    std::vector<std::pair<std::string, Fen>> movements;
    for (const PoolMovement& movement : pool->movements) {
      movements.emplace_back(movement.line_id + " " + movement.reason, movement.delta);
    }
    CHECK(movements == std::vector<std::pair<std::string, Fen>>{
                           {"JT-OTHER adjustment cut", 80'000'00},
                           {"JT-THIRD adjustment increase", -60'000'00},
                           {"JT-OTHER adjustment cut", 30'000'00},
                           {kLine + std::string(" adjustment increase"), -50'000'00}});
  }
  SECTION("a revised target") {
    auto qualitative = county->act(
        actor::kTransportUnit, kLine,
        propose_adjustment(zbb::v1::ADJUSTMENT_KIND_REVISE_TARGET, 0, "不存在", 80, "r"));
    CHECK(qualitative.status().field() == "indicator");
    REQUIRE(county
                ->act(actor::kTransportUnit, kLine,
                      propose_adjustment(zbb::v1::ADJUSTMENT_KIND_REVISE_TARGET, 0, "养护里程", 80,
                                         "部分路段划转"))
                .ok());
    REQUIRE(county
                ->act(actor::kBudgetSection, kLine,
                      decide_adjustment("budget_section", zbb::v1::DECISION_APPROVE, ""))
                .ok());
    REQUIRE(county
                ->act(actor::kBureauHead, kLine,
                      decide_adjustment("bureau_head", zbb::v1::DECISION_APPROVE, ""))
                .ok());
    CHECK(county->line(kLine).content().indicators(0).target() == 80);
  }
}

TEST_CASE("the self-evaluation is scored on the policy's weights and graded by its bands",
          "[machine][evaluation]") {
  auto county = county_with_line_in(s::kExecuting);
  REQUIRE(county->act(actor::kTreasury, kLine, record_spending(1'125'000'00, "PAY", "")).ok());
  county->drive_to(kLine, s::kSelfEvaluation);

  auto unknown =
      county->act(actor::kTransportUnit, kLine, submit_self_evaluation({{"不存在", 1}}, 90, "s"));
  CHECK(unknown.status().field() == "final_actuals[0].indicator");

  // Execution 90 % → 9.0; outputs: 96/96 and 95/95 → 50.0; effect 68/85 → 24.0;
  // satisfaction 63/90 → 7.0 (the survey does not count: the line has a satisfaction
  // indicator). Total 90.0: excellent, exactly at the band.
  REQUIRE(county
              ->act(actor::kTransportUnit, kLine,
                    submit_self_evaluation({{"养护里程", 96},
                                            {"完工及时率", 95},
                                            {"路况优良率", 68},
                                            {"沿线群众满意度", 63}},
                                           100, "完成全年养护任务"))
              .ok());
  const BudgetLine line = county->line(kLine);
  REQUIRE(line.has_evaluation());
  const Evaluation& evaluation = line.evaluation();
  CHECK(evaluation.execution_tenths() == 90);
  CHECK(evaluation.output_tenths() == 500);
  CHECK(evaluation.effect_tenths() == 240);
  CHECK(evaluation.satisfaction_tenths() == 70);
  CHECK(evaluation.score_tenths() == 900);
  CHECK(evaluation.grade() == "excellent");

  auto evaluator_closes = county->act(actor::kTransportUnit, kLine, close_line(""));
  CHECK(evaluator_closes.status().code() == Code::kPermissionDenied);
  county->clock.set(at(2028, 2, 1));  // the final accounts closed: its unspent money is settled
  REQUIRE(county->act(actor::kEvaluationOffice, kLine, close_line("归档")).ok());
  CHECK(county->state(kLine) == s::kClosed);
}

TEST_CASE("a poor year scores below 60 and is graded poor", "[machine][evaluation]") {
  auto county = county_with_line_in(s::kExecuting);
  REQUIRE(county->act(actor::kTreasury, kLine, record_spending(250'000'00, "PAY", "")).ok());
  county->drive_to(kLine, s::kSelfEvaluation);
  REQUIRE(
      county
          ->act(actor::kTransportUnit, kLine,
                submit_self_evaluation({{"养护里程", 30}, {"完工及时率", 50}, {"路况优良率", 40}},
                                       55, "雨季影响进度"))
          .ok());
  const BudgetLine line = county->line(kLine);
  REQUIRE(line.has_evaluation());
  const Evaluation& evaluation = line.evaluation();
  CHECK(evaluation.score_tenths() < 600);
  CHECK(evaluation.grade() == "poor");
}

}  // namespace zbb::testing

namespace zbb::testing {

// Lines stored under older rules (or written by hand) meet the same rules at the gates of
// justification: submit and the acceptance of targets.
TEST_CASE("submit and target acceptance refuse a request that breaks the content rules",
          "[machine][guard]") {
  County county;
  struct Case {
    std::string name;
    std::function<void(LineContent&)> spoil;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"cost items that do not sum",
       [](LineContent& c) { c.set_requested_amount(c.requested_amount() + 1); }, "cost_items"},
      {"no outcome indicator",
       [](LineContent& c) { c.mutable_indicators()->DeleteSubrange(2, c.indicators_size() - 2); },
       "indicators"},
      {"no quantitative output",
       [](LineContent& c) {
         c.mutable_indicators(0)->set_qualitative(true);
         c.mutable_indicators(1)->set_qualitative(true);
       },
       "indicators"},
      {"no necessity statement", [](LineContent& c) { c.clear_necessity_statement(); },
       "necessity_statement"},
  };
  for (const auto& c : cases) {
    for (auto [state, action] : {std::pair<std::string_view, Action>{s::kDraft, submit_line()},
                                 {s::kUnderTargetReview, review_targets(true, "")}}) {
      BudgetLine line;
      line.set_id(kLine);
      line.set_state(std::string(state));
      line.set_policy_version("2027.1");
      line.set_created_by(actor::kTransportUnit);
      *line.mutable_content() = road_maintenance_request();
      c.spoil(*line.mutable_content());
      auto refused = county.workflow.apply(line, action, {}, principal_of(actor::kReviewer),
                                           county.clock.now());
      INFO(c.name << " at " << state << ": " << refused.status().to_string());
      CHECK(refused.status().code() == Code::kInvalidArgument);
      CHECK(refused.status().field() == c.field);

      *line.mutable_content() = road_maintenance_request();
      auto allowed = county.workflow.apply(line, action, {}, principal_of(actor::kReviewer),
                                           county.clock.now());
      CHECK(allowed.ok());
    }
  }
}

TEST_CASE("a line under a policy version that is not loaded is refused, not guessed", "[machine]") {
  County county;
  BudgetLine line;
  line.set_id(kLine);
  line.set_state(std::string(s::kDraft));
  line.set_policy_version("2019.1");
  *line.mutable_content() = road_maintenance_request();
  auto refused = county.workflow.apply(line, submit_line(), {}, principal_of(actor::kTransportUnit),
                                       county.clock.now());
  CHECK(refused.status().code() == Code::kFailedPrecondition);
  CHECK_THAT(refused.status().message(), Catch::Contains("2019.1"));
}

TEST_CASE("an unknown stored state is reported, never restored into a guess", "[machine]") {
  County county;
  BudgetLine line;
  line.set_id(kLine);
  line.set_state("justification.lost");
  line.set_policy_version("2027.1");
  auto refused = county.workflow.apply(line, submit_line(), {}, principal_of(actor::kTransportUnit),
                                       county.clock.now());
  CHECK(refused.status().code() == Code::kInternal);
  CHECK_THAT(refused.status().message(), Catch::Contains("justification.lost"));
}

}  // namespace zbb::testing

namespace zbb::testing {

TEST_CASE("each state says whom the line waits on", "[machine][waiting]") {
  const std::string unit = "unit:" + kTransport;
  const std::vector<std::pair<std::string_view, std::string>> expected = {
      {s::kDraft, unit},
      {s::kSubmitted, "reviewer"},
      {s::kUnderTargetReview, "reviewer"},
      {s::kReturnedForRevision, unit},
      {s::kAwaitingRanking, "reviewer"},
      {s::kAwaitingDecision, "approver:department_head"},
      {s::kExecuting, unit},
      {s::kRedWarning, unit},
      {s::kAdjustmentProposed, "approver:budget_section"},
      {s::kSelfEvaluation, unit},
      {s::kFocusedEvaluation, "evaluator"},
      {s::kScored, "reviewer"},
      {s::kClosed, ""},
      {s::kWithdrawn, ""},
      {s::kRejected, ""},
      {s::kUnfunded, ""},
  };
  for (const auto& [state, role] : expected) {
    auto county = county_with_line_in(state);
    INFO(state);
    CHECK(county->line(kLine).waiting_on() == role);
  }

  SECTION("the next level of a chain once the level before it has decided") {
    auto county = county_with_line_in(s::kAwaitingDecision);
    REQUIRE(county
                ->act(actor::kDepartmentHead, kLine,
                      decide_approval("department_head", zbb::v1::DECISION_APPROVE, 1'00, ""))
                .ok());
    CHECK(county->line(kLine).waiting_on() == "approver:budget_section");
    county = county_with_line_in(s::kAdjustmentProposed);
    REQUIRE(county
                ->act(actor::kBudgetSection, kLine,
                      decide_adjustment("budget_section", zbb::v1::DECISION_APPROVE, ""))
                .ok());
    CHECK(county->line(kLine).waiting_on() == "approver:bureau_head");
  }
}

}  // namespace zbb::testing

namespace zbb::testing {

TEST_CASE(
    "the self-evaluation opens on the policy's day after the year, once a checkpoint "
    "judged the line",
    "[machine][guard][evaluation]") {
  auto county = county_with_line_in(s::kExecuting);
  county->clock.set(at(2028, 1, 20));
  auto unchecked = county->act(actor::kTransportUnit, kLine, begin_evaluation());
  CHECK(unchecked.status().code() == Code::kFailedPrecondition);
  CHECK_THAT(unchecked.status().message(),
             Catch::Contains("not been through a monitoring checkpoint"));

  county->clock.set(at(2027, 1, 4));
  county->hold_green_checkpoint(kLine);
  // Not in December any more, nor on the last day before the opening.
  for (const Timestamp early_day : {at(2027, 12, 20), at(2028, 1, 14, 23)}) {
    county->clock.set(early_day);
    auto early = county->act(actor::kTransportUnit, kLine, begin_evaluation());
    CHECK(early.status().code() == Code::kFailedPrecondition);
    CHECK_THAT(early.status().message(), Catch::Contains("opens on 2028-01-15"));
  }
  county->clock.set(at(2028, 1, 15, 0));
  CHECK(county->act(actor::kTransportUnit, kLine, begin_evaluation()).ok());
}

TEST_CASE("spending is recorded until the final accounts close, in self-evaluation too",
          "[machine][guard][evaluation]") {
  auto county = county_with_line_in(s::kExecuting);
  county->hold_green_checkpoint(kLine);
  // December's payment booked in January, on a line still executing after the year.
  county->clock.set(at(2028, 1, 10));
  REQUIRE(county->act(actor::kTreasury, kLine, record_spending(10'000'00, "GK-2027-12", "")).ok());
  CHECK(county->line(kLine).spent_by_month().rbegin()->month() == "2028-01");
  county->clock.set(at(2028, 1, 16));
  REQUIRE(county->act(actor::kTransportUnit, kLine, begin_evaluation()).ok());
  // In self-evaluation, up to the last millisecond of the final-accounts day.
  county->clock.set(at(2028, 2, 1, 0) - std::chrono::milliseconds(1));
  REQUIRE(county->act(actor::kTreasury, kLine, record_spending(1'00, "GK-2027-12b", "")).ok());
  county->clock.set(at(2028, 2, 1, 0));
  const auto late = county->act(actor::kTreasury, kLine, record_spending(1'00, "GK-late", ""));
  CHECK(late.status().code() == Code::kFailedPrecondition);
  CHECK_THAT(late.status().message(), Catch::Contains("closed on 2028-01-31"));
}

TEST_CASE(
    "a payment booked after the self-evaluation rescores the line, until the final accounts "
    "close",
    "[machine][guard][evaluation]") {
  auto county = county_with_line_in(s::kScored);
  const BudgetLine scored = county->line(kLine);
  REQUIRE(scored.spent_amount() < scored.approved_amount());
  const Fen rest = scored.approved_amount() - scored.spent_amount();
  REQUIRE(county->act(actor::kTreasury, kLine, record_spending(rest, "GK-2027-12-last", "")).ok());
  const BudgetLine rescored = county->line(kLine);
  CHECK(rescored.state() == s::kScored);
  CHECK(rescored.evaluation().execution_tenths() > scored.evaluation().execution_tenths());
  CHECK(rescored.evaluation().summary() == scored.evaluation().summary());
  CHECK(rescored.evaluation().submitted_by() == scored.evaluation().submitted_by());
  CHECK(payload_of(county->history(kLine).back()).decided().score_tenths() ==
        rescored.evaluation().score_tenths());
  county->clock.set(at(2028, 2, 1));
  CHECK(county->act(actor::kTreasury, kLine, record_spending(-1'00, "GK-R", "")).status().code() ==
        Code::kFailedPrecondition);
}

TEST_CASE("a line still executing after the final accounts takes no more spending",
          "[machine][guard][evaluation]") {
  auto county = county_with_line_in(s::kExecuting);
  county->clock.set(at(2028, 2, 1, 0));
  const auto late = county->act(actor::kTreasury, kLine, record_spending(1'00, "GK-late", ""));
  CHECK(late.status().code() == Code::kFailedPrecondition);
  CHECK_THAT(late.status().message(),
             Catch::Contains("final accounts of fiscal year 2027 closed on 2028-01-31"));
  CHECK(county->state(kLine) == s::kExecuting);
}

TEST_CASE("whoever revised or submitted a line never decides on it, nor does its creator",
          "[machine][guard]") {
  County county;
  // The integrator creates; the unit submits; a colleague revises after a return.
  county.create(kLine, road_maintenance_request(), actor::kTreasury);
  REQUIRE(county.act(actor::kTransportUnit, kLine, submit_line()).ok());
  REQUIRE(county.act(actor::kReviewer, kLine, start_target_review()).ok());
  REQUIRE(county.act(actor::kReviewer, kLine, review_targets(false, "补充")).ok());
  const std::string colleague = "unit.transport.zhou";
  REQUIRE(county.act(colleague, kLine, revise_line(road_maintenance_request())).ok());
  REQUIRE(county.act(actor::kTransportUnit, kLine, submit_line()).ok());
  for (const std::string& preparer : {actor::kTreasury, actor::kTransportUnit, colleague}) {
    auto decided = county.act(preparer, kLine, start_target_review());
    INFO(preparer);
    CHECK(decided.status().code() == Code::kPermissionDenied);
  }
  CHECK(county.act(actor::kSecondReviewer, kLine, start_target_review()).ok());
}

}  // namespace zbb::testing
