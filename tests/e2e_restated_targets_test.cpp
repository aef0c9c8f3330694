// Targets follow the money over gRPC and zbbctl: a line approved below its request restates its
// targets for the money, a reviewer accepts them, and the line executes on the targets issued.

#include <catch2/catch.hpp>

#include "tests/api_client.h"
#include "tests/county_fixture.h"
#include "tests/live_server.h"

namespace zbb::testing {
namespace {

// Creates `line` with `content`, takes it through review, funds it at `approved` (by hand, no
// ranking) and approves that at every level: the answer of the last approval.
zbb::v1::CommandResponse approved_at(const LiveServer& live, const std::string& line,
                                     const LineContent& content, std::int64_t approved) {
  auto created = live.as(actor::kTransportUnit).create(next_id("create"), line, content);
  INFO(created.status.error_message());
  REQUIRE(created.status.ok());
  return approve_line(live, line, approved);
}

}  // namespace

TEST_CASE("a line approved below its request restates its targets over gRPC and zbbctl",
          "[e2e][restated]") {
  LiveServer live;
  constexpr std::int64_t kApproved = 750'000'00;  // 60 % of the road request
  const zbb::v1::CommandResponse last =
      approved_at(live, "JT-1", road_maintenance_request(), kApproved);
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

TEST_CASE("a line funded its minimum package restates that package's targets over zbbctl",
          "[e2e][restated][packages]") {
  LiveServer live;
  LineContent content = packaged_request(kTransport, "JT-ROAD-001", 875'000'00, 375'000'00, 0);
  *content.mutable_increments(0)->add_indicators() =
      quantitative("应急抢修处置", zbb::v1::INDICATOR_LEVEL1_OUTPUT,
                   zbb::v1::INDICATOR_LEVEL2_QUANTITY, "处", 20, zbb::v1::DIRECTION_AT_LEAST);
  *content.mutable_increments(1)->add_indicators() =
      quantitative("边沟清理里程", zbb::v1::INDICATOR_LEVEL1_OUTPUT,
                   zbb::v1::INDICATOR_LEVEL2_QUANTITY, "公里", 200, zbb::v1::DIRECTION_AT_LEAST);
  const auto last = approved_at(live, "JT-P", content, 875'000'00);
  REQUIRE(last.state() == "approval.restating_targets");
  REQUIRE(last.line().restated_targets().requested_packages_size() == 1);

  const Ctl ctl{live.server->address()};
  // The current package was not funded: its indicator is not one to restate.
  auto not_issued = ctl(actor::kTransportUnit, {"restate", "JT-P", "--target", "边沟清理里程=1"});
  CHECK(not_issued.exit_code == 2);
  CHECK_THAT(not_issued.err, Catch::Contains("restates no such indicator"));
  auto restated = ctl(actor::kTransportUnit, {"restate", "JT-P", "--target", "养护里程=67.2",
                                              "--target", "应急抢修处置=18"});
  REQUIRE(restated.exit_code == 0);
  REQUIRE(ctl(actor::kReviewer, {"review", "JT-P", "--restated", "--accept"}).exit_code == 0);

  ApiClient unit = live.as(actor::kTransportUnit);
  zbb::v1::BudgetLine line;
  REQUIRE(unit.get("JT-P", &line).status.ok());
  CHECK(line.state() == "execution.executing");
  CHECK(line.content().increments(0).indicators(0).target() == 18);
  CHECK(line.content().increments(1).indicators(0).target() == 200);
  auto shown = ctl(actor::kReviewer, {"show", "JT-P"});
  CHECK_THAT(shown.out, Catch::Contains("应急抢修处置 (minimum package) 20 → 18 处"));

  auto unfunded = live.as(actor::kTreasury).push(next_id("p"), "JT-P", event_of([](auto& e) {
                                                   auto* progress =
                                                       e.mutable_record_indicator_progress();
                                                   progress->set_indicator("边沟清理里程");
                                                   progress->set_actual(50);
                                                 }));
  CHECK(unfunded.status.error_code() == grpc::INVALID_ARGUMENT);
  CHECK(unfunded.field == "event.record_indicator_progress.indicator");
  CHECK_THAT(unfunded.status.error_message(), Catch::Contains("not funded"));
}

}  // namespace zbb::testing
