// Targets follow the money over gRPC and zbbctl: a line approved below its request restates its
// targets for the money, a reviewer accepts them, and the line executes on the targets issued.

#include <catch2/catch.hpp>

#include "tests/api_client.h"
#include "tests/county_fixture.h"
#include "tests/live_server.h"

namespace zbb::testing {

TEST_CASE("a line approved below its request restates its targets over gRPC and zbbctl",
          "[e2e][restated]") {
  LiveServer live;
  constexpr std::int64_t kApproved = 750'000'00;  // 60 % of the road request
  create_line(live, "JT-1");
  step(live, actor::kTransportUnit, "JT-1", event_of([](auto& e) { e.mutable_submit(); }));
  step(live, actor::kReviewer, "JT-1", event_of([](auto& e) { e.mutable_start_target_review(); }));
  assess_if_due(live, "JT-1");
  step(live, actor::kReviewer, "JT-1",
       event_of([](auto& e) { e.mutable_review_targets()->set_accept(true); }));
  step(live, actor::kRankingOffice, "JT-1",
       event_of([&](auto& e) { e.mutable_fund()->set_amount(kApproved); }));
  zbb::v1::CommandResponse last;
  for (const auto& [approver, level] : approval_chain())
    last = step(live, approver, "JT-1", event_of([&](auto& e) {
                  auto* d = e.mutable_decide();
                  d->set_level(level);
                  d->set_decision(zbb::v1::DECISION_APPROVE);
                  d->set_amount(kApproved);
                }));
  CHECK(last.state() == "approval.restating_targets");
  CHECK(last.line().waiting_on() == "unit:" + kTransport);
  CHECK(last.line().restated_targets().approved_amount() == kApproved);

  // Only targets change: another name is refused naming the indicator as the request spells it.
  ApiClient unit = live.as(actor::kTransportUnit);
  auto renamed = unit.push(next_id("r"), "JT-1", event_of([&](auto& e) {
                             auto* restate = e.mutable_restate_targets();
                             *restate->mutable_indicators() = last.line().content().indicators();
                             restate->mutable_indicators(0)->set_name("别的指标");
                           }));
  CHECK(renamed.status.error_code() == grpc::INVALID_ARGUMENT);
  CHECK(renamed.field == "event.restate_targets.indicators[0].name");

  const Ctl ctl{live.server->address()};
  auto unknown = ctl(actor::kTransportUnit, {"restate", "JT-1", "--target", "不存在=1"});
  CHECK(unknown.exit_code == 2);
  auto restated = ctl(actor::kTransportUnit, {"restate", "JT-1", "--target", "养护里程=57.6",
                                              "--comment", "按批复资金压减养护里程"});
  REQUIRE(restated.exit_code == 0);
  CHECK_THAT(restated.out, Catch::Contains("approval.reviewing_restated_targets"));
  auto accepted =
      ctl(actor::kReviewer, {"review", "JT-1", "--restated", "--accept", "--comment", "同意"});
  REQUIRE(accepted.exit_code == 0);
  CHECK_THAT(accepted.out, Catch::Contains("execution.executing"));

  zbb::v1::BudgetLine line;
  REQUIRE(unit.get("JT-1", &line).status.ok());
  CHECK(line.content().indicators(0).name() == "养护里程");
  CHECK(line.content().indicators(0).target() == 57.6);
  CHECK(line.content().indicators(1).target() ==
        line.restated_targets().requested(1).target());  // not named: as requested
  CHECK(line.restated_targets().requested(0).target() == 96);
  auto shown = ctl(actor::kReviewer, {"show", "JT-1"});
  REQUIRE(shown.exit_code == 0);
  CHECK_THAT(shown.out, Catch::Contains("accepted for 750,000.00 of 1,250,000.00 yuan") &&
                            Catch::Contains("养护里程 96 → 57.6 公里") &&
                            Catch::Contains("targets restated: 养护里程 57.6 公里"));
}

}  // namespace zbb::testing
