// Result use: the programme's latest evaluation available (N−1 once closed, else N−2) and last
// year's monitoring verdict follow it into this year's request, read again at each step.

#include <catch2/catch.hpp>

#include <map>

#include "tests/county_fixture.h"
#include "workflows/ranking_run.h"
#include "workflows/state_ids.h"

namespace zbb::testing {
namespace {

namespace s = review::state;

constexpr Fen kRoadRequest = 1'250'000'00;  // road_maintenance_request's

// How far a year of the road programme got — outputs and effects as a share of their targets,
// and the survey — for each grade of the default bands.
struct YearDone {
  int percent_of_targets;
  int satisfaction_percent;
};
const std::map<std::string, YearDone> kYearFor = {
    {"excellent", {100, 95}}, {"good", {85, 85}}, {"fair", {65, 65}}, {"poor", {25, 40}}};

// A year of the road programme, executed, self-evaluated to `grade`, left in `until` (scored or
// closed).
void graded_year(County& county, const std::string& id, int year, const std::string& grade,
                 std::string_view until = s::kClosed) {
  county.create(id, road_maintenance_request(year));
  county.drive_to(id, s::kExecuting);
  county.hold_green_checkpoint(id);
  county.drive_to(id, s::kSelfEvaluation);
  const YearDone done = kYearFor.at(grade);
  SubmitSelfEvaluation evaluation;
  const BudgetLine executed = county.line(id);
  for (const auto& indicator : executed.content().indicators())
    if (!indicator.qualitative())
      *evaluation.add_final_actuals() =
          indicator_value(indicator.name(), indicator.target() * done.percent_of_targets / 100);
  evaluation.set_satisfaction_percent(done.satisfaction_percent);
  evaluation.set_summary("年度自评");
  REQUIRE(county.act(actor::kTransportUnit, id, evaluation).ok());
  REQUIRE(county.line(id).evaluation().grade() == grade);
  county.drive_to(id, until);
}

std::string events_of(County& county, const std::string& id) {
  std::string types;
  for (const auto& event : county.history(id)) types += event.type + " ";
  return types;
}

}  // namespace

TEST_CASE("each grade's rule: history points, a cut of this year's request, a rectification",
          "[result_use]") {
  struct Expected {
    std::string grade;
    std::uint32_t history_points;
    std::uint32_t cut_percent;
    bool rectification;
  };
  const Expected expected =
      GENERATE(Expected{"excellent", 100, 0, false}, Expected{"good", 80, 0, false},
               Expected{"fair", 60, 10, false}, Expected{"poor", 60, 30, true});
  INFO(expected.grade);
  County county;
  graded_year(county, "JT-2027", 2027, expected.grade);
  county.clock.set(at(2028, 1, 5));
  LineContent request = road_maintenance_request(2028);
  request.set_requested_amount(1'025'000'00);  // less than last year: the cut follows this year's
  request.mutable_cost_items(0)->set_quantity(3500);
  request.mutable_cost_items(0)->set_amount(3500 * 150'00);
  county.create("JT-2028", request);

  const PriorResult prior = county.line("JT-2028").prior();
  CHECK(prior.line_id() == "JT-2027");
  CHECK(prior.fiscal_year() == 2027);
  CHECK(prior.grade() == expected.grade);
  CHECK(prior.history_points() == expected.history_points);
  CHECK(prior.cut_percent() == expected.cut_percent);
  CHECK(prior.rectification_required() == expected.rectification);
  CHECK(prior.flagged() == (expected.cut_percent > 0 || expected.rectification));
  CHECK(prior.has_ceiling() == (expected.cut_percent > 0));
  if (prior.has_ceiling())
    CHECK(prior.ceiling() == Fen{1'025'000'00} * (100 - expected.cut_percent) / 100);
  // Last year's checkpoint is the latest monitoring verdict of the programme.
  CHECK(prior.monitoring().line_id() == "JT-2027");
  CHECK(prior.monitoring().level() == zbb::v1::WARNING_LEVEL_GREEN);

  // Scoring fills the history criterion from the record: 90 on the others, the grade's points.
  county.drive_to("JT-2028", s::kAwaitingRanking);
  REQUIRE(county.act(actor::kReviewer, "JT-2028", county.typed_scores(90)).ok());
  const PriorityScore score = county.line("JT-2028").priority();
  const auto history =
      std::find_if(score.scores().begin(), score.scores().end(),
                   [](const auto& s) { return s.criterion() == "performance_history"; });
  REQUIRE(history != score.scores().end());
  CHECK(history->score() == static_cast<std::int32_t>(expected.history_points));
  CHECK(score.score_hundredths() == 90 * 90 + expected.history_points * 10);
}

TEST_CASE("the reviewer does not type the history criterion", "[result_use]") {
  County county;
  county.create("JT-2028", road_maintenance_request(2028));
  county.drive_to("JT-2028", s::kAwaitingRanking);
  ScorePriority typed = county.typed_scores(80);
  *typed.add_scores() = criterion_score("performance_history", 100);
  auto refused = county.act(actor::kReviewer, "JT-2028", typed);
  CHECK(refused.status().code() == Code::kInvalidArgument);
  CHECK(refused.status().field() == "scores[4].criterion");
  CHECK_THAT(refused.status().message(), Catch::Contains("programme's record"));
  // A new programme: no record, the policy's base points.
  REQUIRE(county.act(actor::kReviewer, "JT-2028", county.typed_scores(80)).ok());
  CHECK_FALSE(county.line("JT-2028").has_prior());
  CHECK(county.line("JT-2028").priority().score_hundredths() == 80 * 90 + 60 * 10);
}

TEST_CASE("the evaluation used is last year's once closed, else the year before's",
          "[result_use]") {
  County county;
  graded_year(county, "JT-2026", 2026, "poor");
  // 2027 is still being evaluated (scored, not closed) when 2028 is drafted.
  graded_year(county, "JT-2027", 2027, "excellent", s::kScored);
  county.clock.set(at(2028, 1, 5));
  county.create("JT-2028", road_maintenance_request(2028));
  CHECK(county.line("JT-2028").prior().line_id() == "JT-2026");
  CHECK(county.line("JT-2028").prior().grade() == "poor");
  CHECK(county.line("JT-2028").prior().monitoring().line_id() == "JT-2027");

  // 2027 closes: the submission reads the record again, and last year's grade replaces it.
  county.drive_to("JT-2027", s::kClosed);
  REQUIRE(county.act(actor::kTransportUnit, "JT-2028", submit_line()).ok());
  const BudgetLine submitted = county.line("JT-2028");
  CHECK(submitted.prior().line_id() == "JT-2027");
  CHECK(submitted.prior().grade() == "excellent");
  CHECK_FALSE(submitted.prior().flagged());
  CHECK_FALSE(submitted.prior().has_ceiling());
  // The submission's event keeps what zbb read.
  CHECK(payload_of(county.history("JT-2028").back()).decided().prior().line_id() == "JT-2027");
}

TEST_CASE("three years back is not read — a monitoring verdict alone is kept without a grade",
          "[result_use]") {
  County county;
  // Fiscal year 2025 is lived in 2025: its spending stops when its final accounts close.
  county.clock.set(at(2025, 1, 4));
  graded_year(county, "JT-2025", 2025, "poor");
  county.create("JT-2027", road_maintenance_request(2027));
  county.drive_to("JT-2027", s::kExecuting);
  county.hold_green_checkpoint("JT-2027");
  county.create("JT-2028", road_maintenance_request(2028));
  const BudgetLine line = county.line("JT-2028");
  REQUIRE(line.has_prior());
  CHECK(line.prior().line_id().empty());
  CHECK(line.prior().grade().empty());
  CHECK_FALSE(line.prior().flagged());
  CHECK(line.prior().history_points() == 60);
  CHECK(line.prior().monitoring().line_id() == "JT-2027");
  CHECK(line.prior().monitoring().as_of() == "2027-06-30");
}

TEST_CASE(
    "a line drafted before last year's evaluation closed learns the grade when scored, and "
    "a ranking refuses a score the record has overtaken",
    "[result_use][ranking]") {
  County county;
  graded_year(county, "JT-2027", 2027, "poor", s::kScored);
  county.create("JT-2028", road_maintenance_request(2028));
  county.drive_to("JT-2028", s::kAwaitingRanking);
  CHECK(county.line("JT-2028").prior().line_id().empty());  // only the checkpoint so far

  county.drive_to("JT-2027", s::kClosed);
  REQUIRE(county.act(actor::kReviewer, "JT-2028", county.typed_scores(90)).ok());
  CHECK(county.line("JT-2028").prior().grade() == "poor");
  CHECK(county.line("JT-2028").prior().ceiling() == kRoadRequest * 70 / 100);
  CHECK(payload_of(county.history("JT-2028").back()).decided().prior().grade() == "poor");

  // Another line, scored before its programme's evaluation closed, holds the ranking back.
  LineContent meals = school_meals_request(2028);
  meals.set_department(kTransport);
  meals.set_programme_code("JT-BUS-002");
  county.create("JT-BUS-2027", [&] {
    LineContent c = meals;
    c.set_fiscal_year(2027);
    return c;
  }());
  county.drive_to("JT-BUS-2027", s::kScored);
  county.create("JT-BUS-2028", meals);
  county.score_for_ranking("JT-BUS-2028", 80);
  county.drive_to("JT-BUS-2027", s::kClosed);

  const std::int64_t log_before = county.history("JT-2028").size();
  auto refused = review::run_ranking(
      county.engine, county.workflow.policies(),
      {"rank-2028", principal_of(actor::kRankingOffice), 2028, kTransport, 5'000'000'00});
  CHECK(refused.status().code() == Code::kFailedPrecondition);
  CHECK_THAT(refused.status().message(),
             Catch::Contains("line JT-BUS-2028 was scored with no evaluation of its programme") &&
                 Catch::Contains("score it again"));
  CHECK(static_cast<std::int64_t>(county.history("JT-2028").size()) == log_before);
}

TEST_CASE("a poor grade is funded only after its rectification report is accepted",
          "[result_use][rectification]") {
  County county;
  graded_year(county, "JT-2027", 2027, "poor");
  county.clock.set(at(2028, 1, 5));
  county.create("JT-2028", road_maintenance_request(2028));
  const Fen ceiling = kRoadRequest * 70 / 100;
  REQUIRE(county.line("JT-2028").prior().ceiling() == ceiling);

  // Nothing to review yet; a report may be written from the draft on.
  auto early = county.act(actor::kReviewer, "JT-2028", review_rectification(true));
  CHECK(early.status().code() == Code::kFailedPrecondition);
  CHECK(county.act(actor::kTransportUnit, "JT-2028", submit_rectification("")).status().field() ==
        "report");
  REQUIRE(county
              .act(actor::kTransportUnit, "JT-2028",
                   submit_rectification("整改措施：资金提前拨付，按月督办进度"))
              .ok());
  county.score_for_ranking("JT-2028", 90);

  // Within the ceiling, still refused before a reviewer accepts the report; above it, refused.
  auto unrectified = county.act(actor::kRankingOffice, "JT-2028", fund_line(ceiling, ""));
  CHECK(unrectified.status().code() == Code::kFailedPrecondition);
  CHECK_THAT(unrectified.status().message(), Catch::Contains("rectification report"));
  auto ranking = review::run_ranking(
      county.engine, county.workflow.policies(),
      {"rank-2028", principal_of(actor::kRankingOffice), 2028, kTransport, 5'000'000'00});
  CHECK(ranking.status().code() == Code::kFailedPrecondition);
  CHECK_THAT(ranking.status().message(), Catch::Contains("yet to accept: JT-2028"));

  // A return needs a reason; the unit writes again; the reviewer accepts.
  CHECK(county.act(actor::kReviewer, "JT-2028", review_rectification(false)).status().field() ==
        "comment");
  REQUIRE(county.act(actor::kReviewer, "JT-2028", review_rectification(false, "缺少时间表")).ok());
  CHECK(county.line("JT-2028").rectification().status() == zbb::v1::RECTIFICATION_STATUS_RETURNED);
  CHECK(county.act(actor::kReviewer, "JT-2028", review_rectification(true)).status().code() ==
        Code::kFailedPrecondition);  // nothing awaits review now
  REQUIRE(county
              .act(actor::kTransportUnit, "JT-2028",
                   submit_rectification("整改措施：3 月底前完成招标，按月督办"))
              .ok());
  REQUIRE(county.act(actor::kReviewer, "JT-2028", review_rectification(true, "同意")).ok());
  const zbb::v1::Rectification report = county.line("JT-2028").rectification();
  CHECK(report.evaluated_line() == "JT-2027");
  CHECK(report.status() == zbb::v1::RECTIFICATION_STATUS_ACCEPTED);
  CHECK(report.submitted_by() == actor::kTransportUnit);
  CHECK(report.reviewed_by() == actor::kReviewer);
  CHECK(
      county.act(actor::kTransportUnit, "JT-2028", submit_rectification("再报")).status().code() ==
      Code::kFailedPrecondition);  // accepted: nothing more to write

  auto over = county.act(actor::kRankingOffice, "JT-2028", fund_line(ceiling + 1, ""));
  CHECK(over.status().code() == Code::kInvalidArgument);
  CHECK(over.status().field() == "amount");
  CHECK_THAT(over.status().message(), Catch::Contains("cuts 30 % of the request"));
  REQUIRE(county.act(actor::kRankingOffice, "JT-2028", fund_line(ceiling, "")).ok());
  CHECK(county.line("JT-2028").funded_amount() == ceiling);
  CHECK_THAT(events_of(county, "JT-2028"),
             Catch::Contains("review_rectification submit_rectification review_rectification "
                             "fund"));
}

TEST_CASE(
    "a line whose record asks no rectification takes no report — its author never reviews "
    "it",
    "[result_use][rectification]") {
  County county;
  county.create("JT-2028", road_maintenance_request(2028));
  auto none = county.act(actor::kTransportUnit, "JT-2028", submit_rectification("整改"));
  CHECK(none.status().code() == Code::kFailedPrecondition);
  CHECK_THAT(none.status().message(), Catch::Contains("needs no rectification report"));

  graded_year(county, "JT-2027", 2027, "poor");
  // The revision reads the record again: now the report is asked for.
  REQUIRE(county.act(actor::kTransportUnit, "JT-2028", revise_line(road_maintenance_request(2028)))
              .ok());
  CHECK(county.line("JT-2028").prior().rectification_required());
  // A colleague of the unit who also reviews writes the report: he may not review it.
  const Principal colleague{"zhou.transport", {"unit:" + std::string(kTransport), "reviewer"}};
  REQUIRE(county.act_as(colleague, "JT-2028", submit_rectification("整改")).ok());
  county.drive_to("JT-2028", s::kSubmitted);
  auto own = county.act_as(colleague, "JT-2028", review_rectification(true));
  CHECK(own.status().code() == Code::kPermissionDenied);
  CHECK_THAT(own.status().message(), Catch::Contains("zhou.transport prepared line JT-2028"));
}

TEST_CASE("awaiting ranking, a line waits on the unit while its rectification report is due",
          "[result_use][rectification]") {
  County county;
  graded_year(county, "JT-2027", 2027, "poor");
  county.create("JT-2028", road_maintenance_request(2028));
  county.score_for_ranking("JT-2028", 80);
  const std::string unit = "unit:" + std::string(kTransport);
  CHECK(county.line("JT-2028").waiting_on() == unit);
  // Each change of whom it waits on starts the SLA clock again.
  county.clock.advance(std::chrono::hours(24));
  REQUIRE(county.act(actor::kTransportUnit, "JT-2028", submit_rectification("整改")).ok());
  CHECK(county.line("JT-2028").waiting_on() == "reviewer");
  CHECK(from_proto(county.line("JT-2028").state_entered_at()) == county.clock.now());
  REQUIRE(county.act(actor::kReviewer, "JT-2028", review_rectification(false, "不具体")).ok());
  CHECK(county.line("JT-2028").waiting_on() == unit);
  REQUIRE(
      county.act(actor::kTransportUnit, "JT-2028", submit_rectification("整改，附时间表")).ok());
  REQUIRE(county.act(actor::kReviewer, "JT-2028", review_rectification(true, "")).ok());
  CHECK(county.line("JT-2028").waiting_on() == "reviewer");
}

TEST_CASE("a report accepted on an older evaluation does not answer a newer one",
          "[result_use][rectification]") {
  County county;
  graded_year(county, "JT-2026", 2026, "poor");
  graded_year(county, "JT-2027", 2027, "poor", s::kScored);  // itself rectified by the fixture
  county.create("JT-2028", road_maintenance_request(2028));
  REQUIRE(county.line("JT-2028").prior().line_id() == "JT-2026");
  REQUIRE(county.act(actor::kTransportUnit, "JT-2028", submit_rectification("整改 2026")).ok());
  county.drive_to("JT-2028", s::kSubmitted);
  REQUIRE(county.act(actor::kReviewer, "JT-2028", review_rectification(true, "")).ok());

  // 2027 closes, poor again: the line is scored on it, and the report on 2026 answers nothing.
  county.drive_to("JT-2027", s::kClosed);
  county.drive_to("JT-2028", s::kAwaitingRanking);
  REQUIRE(county.act(actor::kReviewer, "JT-2028", county.typed_scores(80)).ok());
  const BudgetLine line = county.line("JT-2028");
  CHECK(line.prior().line_id() == "JT-2027");
  CHECK(line.rectification().evaluated_line() == "JT-2026");
  CHECK(line.waiting_on() == "unit:" + std::string(kTransport));
  auto fund = county.act(actor::kRankingOffice, "JT-2028", fund_line(kRoadRequest * 70 / 100, ""));
  CHECK(fund.status().code() == Code::kFailedPrecondition);
  CHECK_THAT(fund.status().message(), Catch::Contains("line JT-2027 in 2027 asks for one"));
}

TEST_CASE("a fund by hand reads the record again — a new submission is scored again",
          "[result_use]") {
  County county;
  graded_year(county, "JT-2027", 2027, "good", s::kScored);
  county.create("JT-2028", road_maintenance_request(2028));
  county.score_for_ranking("JT-2028", 80);
  county.create("JT-2028-B", road_maintenance_request(2028));
  county.score_for_ranking("JT-2028-B", 50);
  REQUIRE(county.line("JT-2028").prior().line_id().empty());
  county.drive_to("JT-2027", s::kClosed);
  // Funding nothing needs no current record.
  REQUIRE(county.act(actor::kRankingOffice, "JT-2028-B", fund_line(0, "排序在控制数以外")).ok());
  CHECK(county.state("JT-2028-B") == s::kUnfunded);
  auto fund = county.act(actor::kRankingOffice, "JT-2028", fund_line(kRoadRequest, ""));
  CHECK(fund.status().code() == Code::kFailedPrecondition);
  CHECK_THAT(fund.status().message(),
             Catch::Contains("line JT-2028 was scored with no evaluation of its programme; the "
                             "record now holds the good grade of line JT-2027 (2027): score it "
                             "again"));
  REQUIRE(county.act(actor::kReviewer, "JT-2028", county.typed_scores(80)).ok());
  CHECK(county.line("JT-2028").priority().score_hundredths() == 80 * 90 + 80 * 10);
  REQUIRE(county.act(actor::kRankingOffice, "JT-2028", fund_line(kRoadRequest, "")).ok());

  // Returned by an approver, revised and submitted again: its score is gone until it is scored
  // again.
  REQUIRE(county
              .act(actor::kDepartmentHead, "JT-2028",
                   decide_approval("department_head", zbb::v1::DECISION_RETURN, 0, "补充材料"))
              .ok());
  REQUIRE(county.act(actor::kTransportUnit, "JT-2028", submit_line()).ok());
  CHECK_FALSE(county.line("JT-2028").has_priority());
}

TEST_CASE("a revision cuts from the new amount — the cap is of this year's request",
          "[result_use]") {
  County county;
  graded_year(county, "JT-2027", 2027, "fair");
  county.create("JT-2028", road_maintenance_request(2028));
  CHECK(county.line("JT-2028").prior().ceiling() == kRoadRequest * 90 / 100);
  LineContent smaller = road_maintenance_request(2028);
  smaller.set_requested_amount(1'050'000'00);
  smaller.mutable_cost_items()->RemoveLast();
  REQUIRE(county.act(actor::kTransportUnit, "JT-2028", revise_line(smaller)).ok());
  CHECK(county.line("JT-2028").prior().ceiling() == Fen{1'050'000'00} * 90 / 100);
}

TEST_CASE("result use stays within the department, and a revision keeps the programme",
          "[result_use]") {
  County county;
  graded_year(county, "JT-2027", 2027, "poor");
  LineContent other = school_meals_request(2028);
  other.set_programme_code("JT-ROAD-001");  // the same code, in another department
  county.create("JY-2028", other, actor::kEducationUnit);
  CHECK_FALSE(county.line("JY-2028").has_prior());

  county.create("JT-2028", road_maintenance_request(2028));
  LineContent renamed = road_maintenance_request(2028);
  renamed.set_programme_code("JT-ROAD-NEW");
  auto revised = county.act(actor::kTransportUnit, "JT-2028", revise_line(renamed));
  CHECK(revised.status().field() == "content.programme_code");
  CHECK(county.line("JT-2028").prior().flagged());
}

TEST_CASE("a ranking leaves out the packages of a cut request above its ceiling",
          "[result_use][ranking]") {
  County county;
  graded_year(county, "JT-2027", 2027, "fair");
  county.clock.set(at(2028, 1, 5));
  county.create("JT-2028", packaged_request(kTransport, "JT-ROAD-001", 600'000'00, 300'000'00,
                                            200'000'00, 2028));
  // Fair cuts 10 % of 1,100,000.00: the ceiling is 990,000.00, above minimum + current.
  CHECK(county.line("JT-2028").prior().ceiling() == 990'000'00);
  county.score_for_ranking("JT-2028", 90);
  auto run = review::run_ranking(
      county.engine, county.workflow.policies(),
      {"rank-2028", principal_of(actor::kRankingOffice), 2028, kTransport, 5'000'000'00});
  INFO(run.status().to_string());
  REQUIRE(run.ok());
  CHECK(run->result.funded_total() == 900'000'00);  // minimum + current; the enhancement is capped
  CHECK(run->result.capped_total() == 200'000'00);
  CHECK(county.line("JT-2028").funded_amount() == 900'000'00);
}

TEST_CASE("a record said to be the line's by whoever sends it is not believed", "[result_use]") {
  County county;
  // A client's CreateLine has no room for a past; a caller of the engine that hands one in
  // with the item is not believed either: the workflow looks it up itself.
  Command command;
  command.request_id = "fake-past";
  command.principal = principal_of(actor::kTransportUnit);
  command.items.push_back({"JT-2028", std::nullopt, create_line(road_maintenance_request(2028)),
                           AddedByZbb{.prior = prior_result("FAKE", 2027, "excellent", 1000,
                                                            9'999'999'00, false, std::nullopt)}});
  REQUIRE(county.engine.execute(command).ok());
  CHECK_FALSE(county.line("JT-2028").has_prior());
}

}  // namespace zbb::testing
