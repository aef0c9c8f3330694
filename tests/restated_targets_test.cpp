// Targets follow the money: a line the last approval level grants less than it requested
// restates its indicator targets for the money approved, a reviewer accepts them, and the Q2
// checkpoint and the year-end evaluation measure against the targets issued.

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "tests/county_fixture.h"
#include "workflows/restated_targets.h"
#include "workflows/state_ids.h"

namespace zbb::testing {
namespace {

namespace s = review::state;

constexpr Fen kRequest = 1'250'000'00;  // the road request's

// The road request funded at `funded` and approved at that through every level.
void approved_at(County& county, const std::string& id, Fen funded) {
  county.create(id, road_maintenance_request());
  county.score_for_ranking(id, 80);
  REQUIRE(county.act(actor::kRankingOffice, id, fund_line(funded, "控制数以内")).ok());
  county.drive_to(id, s::kRestatingTargets);
}

// The line's final actuals: every quantitative indicator at `actuals` of the road request's.
SubmitSelfEvaluation finals(const BudgetLine& line, double share) {
  SubmitSelfEvaluation evaluation = submit_self_evaluation({}, 90, "按计划完成");
  for (const auto& indicator : line.restated_targets().requested().empty()
                                   ? line.content().indicators()
                                   : line.restated_targets().requested())
    if (!indicator.qualitative())
      *evaluation.add_final_actuals() =
          indicator_value(indicator.name(), indicator.target() * share);
  return evaluation;
}

}  // namespace

TEST_CASE("a line approved in full executes on the targets it requested", "[restated]") {
  County county;
  county.create("A", road_maintenance_request());
  county.drive_to("A", s::kExecuting);
  CHECK_FALSE(county.line("A").has_restated_targets());
}

TEST_CASE("approved below its request, the unit restates its targets and a reviewer accepts them",
          "[restated]") {
  County county;
  approved_at(county, "A", kRequest * 60 / 100);
  BudgetLine line = county.line("A");
  CHECK(line.state() == s::kRestatingTargets);
  CHECK(line.waiting_on() == "unit:" + kTransport);
  CHECK(line.has_due_at());
  const auto& due = line.restated_targets();
  CHECK(due.status() == zbb::v1::RESTATEMENT_STATUS_DUE);
  CHECK(due.approved_amount() == kRequest * 60 / 100);
  CHECK(due.requested_amount() == kRequest);
  REQUIRE(due.requested_size() == road_maintenance_request().indicators_size());

  // Nothing executes meanwhile.
  CHECK(county.act(actor::kTreasury, "A", record_spending(100'00, "GK-1")).status().code() ==
        Code::kFailedPrecondition);

  SECTION("the same indicators, targets only") {
    RestateTargets renamed = restated_in_proportion(line);
    renamed.mutable_indicators(0)->set_name("别的指标");
    CHECK(county.act(actor::kTransportUnit, "A", renamed).status().field() == "indicators[0].name");
    RestateTargets other_unit = restated_in_proportion(line);
    other_unit.mutable_indicators(0)->set_unit("米");
    CHECK(county.act(actor::kTransportUnit, "A", other_unit).status().field() ==
          "indicators[0].unit");
    RestateTargets fewer = restated_in_proportion(line);
    fewer.mutable_indicators()->RemoveLast();
    CHECK(county.act(actor::kTransportUnit, "A", fewer).status().field() == "indicators");
    CHECK(county.act(actor::kReviewer, "A", restated_in_proportion(line)).status().code() ==
          Code::kPermissionDenied);
  }
  SECTION("returned with a reason, restated again, accepted: the targets are issued") {
    REQUIRE(
        county.act(actor::kTransportUnit, "A", restated_in_proportion(line, "按资金压减")).ok());
    line = county.line("A");
    CHECK(line.state() == s::kReviewingRestatedTargets);
    CHECK(line.waiting_on() == "reviewer");
    CHECK(line.restated_targets().status() == zbb::v1::RESTATEMENT_STATUS_SUBMITTED);
    CHECK(county.act(actor::kReviewer, "A", review_restated_targets(false, "")).status().field() ==
          "comment");
    REQUIRE(
        county.act(actor::kReviewer, "A", review_restated_targets(false, "养护里程压减过多")).ok());
    CHECK(county.state("A") == s::kRestatingTargets);
    CHECK(county.line("A").restated_targets().status() == zbb::v1::RESTATEMENT_STATUS_RETURNED);

    RestateTargets again = restated_in_proportion(county.line("A"));
    again.mutable_indicators(0)->set_target(70);
    REQUIRE(county.act(actor::kTransportUnit, "A", again).ok());
    // The new restatement awaits a new review: the return's answer is in the history only.
    CHECK(county.line("A").restated_targets().reviewed_by().empty());
    CHECK(county.line("A").restated_targets().comment().empty());
    REQUIRE(county.act(actor::kReviewer, "A", review_restated_targets(true, "同意")).ok());
    line = county.line("A");
    CHECK(line.state() == s::kExecuting);
    CHECK(line.content().indicators(0).target() == 70);
    CHECK(line.restated_targets().requested(0).target() == 96);
    CHECK(line.restated_targets().status() == zbb::v1::RESTATEMENT_STATUS_ACCEPTED);
    CHECK(line.restated_targets().reviewed_by() == actor::kReviewer);
    // History shows both: the request's targets and each restatement.
    const auto history = county.history("A");
    const auto restated = std::count_if(history.begin(), history.end(),
                                        [](const auto& e) { return e.type == "restate_targets"; });
    CHECK(restated == 2);
    CHECK(payload_of(history.back()).event().review_restated_targets().accept());
  }
  SECTION("who restated them does not accept them") {
    const Principal everyone = with_every_role("someone.with.every.role");
    REQUIRE(county.act_as(everyone, "A", restated_in_proportion(line)).ok());
    CHECK(county.act_as(everyone, "A", review_restated_targets(true, "同意")).status().code() ==
          Code::kPermissionDenied);
  }
  SECTION("approved money is not withdrawn") {
    auto withdrawn = county.act(actor::kTransportUnit, "A", withdraw_line("资金不足以实施"));
    CHECK(withdrawn.status().code() == Code::kFailedPrecondition);
    CHECK_THAT(withdrawn.status().message(), Catch::Contains("accepts restate_targets"));
  }
  SECTION("a qualitative target has no number to follow the money; a number is a target") {
    BudgetLine with_qualitative = line;
    Indicator* quality = with_qualitative.mutable_restated_targets()->add_requested();
    quality->set_name("群众评价");
    quality->set_level1(zbb::v1::INDICATOR_LEVEL1_EFFECT);
    quality->set_level2(zbb::v1::INDICATOR_LEVEL2_SOCIAL);
    quality->set_qualitative(true);
    RestateTargets restated = restated_in_proportion(with_qualitative);
    const int last = restated.indicators_size() - 1;
    CHECK(review::RestatedLikeRequested(with_qualitative, restated).ok());
    restated.mutable_indicators(last)->set_target(5);
    CHECK(review::RestatedLikeRequested(with_qualitative, restated).field() ==
          fmt::format("indicators[{}].target", last));
    RestateTargets negative = restated_in_proportion(line);
    negative.mutable_indicators(0)->set_target(-1);
    CHECK(county.act(actor::kTransportUnit, "A", negative).status().field() ==
          "indicators[0].target");
  }
}

TEST_CASE("the evaluation scores against the targets issued with the budget", "[restated]") {
  County county;
  // A: approved in full, scored against the request's targets. B: approved at 60 %, its targets
  // restated in proportion. Both do 60 % of what was requested.
  county.create("A", road_maintenance_request());
  county.drive_to("A", s::kExecuting);
  approved_at(county, "B", kRequest * 60 / 100);
  county.drive_to("B", s::kExecuting);
  CHECK(county.line("B").content().indicators(0).target() == Approx(96 * 0.6));
  for (const char* id : {"A", "B"}) {
    county.drive_to(id, s::kSelfEvaluation);
    REQUIRE(county.act(actor::kTransportUnit, id, finals(county.line(id), 0.6)).ok());
  }
  const auto a = county.line("A").evaluation();
  const auto b = county.line("B").evaluation();
  CHECK(b.score_tenths() > a.score_tenths());
  CHECK(b.output_tenths() == 500);  // every issued output target reached
  CHECK(a.output_tenths() == 300);  // 60 % of the requested ones
}

}  // namespace zbb::testing
