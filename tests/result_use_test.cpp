// Result use: last year's grade of a programme follows it into this year's request.

#include <catch2/catch.hpp>

#include "tests/county_fixture.h"
#include "workflows/ranking_run.h"
#include "workflows/state_ids.h"

namespace zbb::testing {
namespace {

namespace s = review::state;

// Year one of the road programme: approved in full, then a poor year (a quarter spent, outputs
// far behind), self-evaluated, scored and closed.
void poor_year_one(County& county) {
  county.create("JT-2027", road_maintenance_request(2027));
  county.drive_to("JT-2027", s::kExecuting);
  county.hold_green_checkpoint("JT-2027");
  county.drive_to("JT-2027", s::kSelfEvaluation);
  REQUIRE(
      county
          .act(actor::kTransportUnit, "JT-2027",
               submit_self_evaluation({{"养护里程", 20}, {"完工及时率", 30}, {"路况优良率", 30}},
                                      40, "资金到位晚，任务大部分未完成"))
          .ok());
  county.drive_to("JT-2027", s::kClosed);
  REQUIRE(county.line("JT-2027").evaluation().grade() == "poor");
}

}  // namespace

TEST_CASE("a programme graded poor is flagged next year and funded at most to its ceiling",
          "[result_use]") {
  County county;
  poor_year_one(county);
  const BudgetLine last_year = county.line("JT-2027");

  county.clock.set(at(2028, 1, 5));
  county.create("JT-2028", road_maintenance_request(2028));
  const BudgetLine request = county.line("JT-2028");
  REQUIRE(request.has_prior());
  CHECK(request.prior().line_id() == "JT-2027");
  CHECK(request.prior().fiscal_year() == 2027);
  CHECK(request.prior().grade() == "poor");
  CHECK(request.prior().score_tenths() == last_year.evaluation().score_tenths());
  CHECK(request.prior().flagged());
  // The default policy caps a poor programme at 80 % of last year's approved amount.
  REQUIRE(request.prior().has_ceiling());
  CHECK(request.prior().ceiling() == last_year.approved_amount() * 80 / 100);
  // Reviewers see it in the line's history too.
  CHECK(payload_of(county.history("JT-2028").front()).decided().prior().grade() == "poor");

  county.drive_to("JT-2028", s::kAwaitingRanking);
  auto over =
      county.act(actor::kRankingOffice, "JT-2028", fund_line(request.prior().ceiling() + 1, ""));
  CHECK(over.status().code() == Code::kInvalidArgument);
  CHECK(over.status().field() == "amount");
  CHECK_THAT(over.status().message(), Catch::Contains("poor"));
  CHECK(
      county.act(actor::kRankingOffice, "JT-2028", fund_line(request.prior().ceiling(), "")).ok());
  CHECK(county.line("JT-2028").funded_amount() == request.prior().ceiling());
}

TEST_CASE("a ranking leaves out the packages of a flagged request above its ceiling",
          "[result_use][ranking]") {
  County county;
  poor_year_one(county);  // approved 1,250,000.00: next year's ceiling is 1,000,000.00
  county.clock.set(at(2028, 1, 5));
  county.create("JT-2028", packaged_request(kTransport, "JT-ROAD-001", 600'000'00, 300'000'00,
                                            200'000'00, 2028));
  county.score_for_ranking("JT-2028", 90);
  auto run = review::run_ranking(
      county.engine, county.workflow.policies(),
      {"rank-2028", principal_of(actor::kRankingOffice), 2028, kTransport, 5'000'000'00});
  INFO(run.status().to_string());
  REQUIRE(run.ok());
  CHECK(run->result.funded_total() == 900'000'00);  // minimum + current; the enhancement is capped
  CHECK(run->result.capped_total() == 200'000'00);
  CHECK_FALSE(run->result.has_cut());
  CHECK(county.line("JT-2028").funded_amount() == 900'000'00);
}

TEST_CASE("a good grade travels with the programme but flags nothing", "[result_use]") {
  County county;
  county.create("JT-2027", road_maintenance_request(2027));
  county.drive_to("JT-2027", s::kClosed);
  REQUIRE(county.line("JT-2027").evaluation().grade() != "poor");
  county.create("JT-2028", road_maintenance_request(2028));
  const BudgetLine request = county.line("JT-2028");
  REQUIRE(request.has_prior());
  CHECK_FALSE(request.prior().flagged());
  CHECK_FALSE(request.prior().has_ceiling());
}

TEST_CASE("a new programme, or a past said to be the line's by whoever sends it, carries nothing",
          "[result_use]") {
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

namespace zbb::testing {

TEST_CASE("result use stays within the department, and a revision keeps the programme",
          "[result_use]") {
  County county;
  poor_year_one(county);
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

}  // namespace zbb::testing
