// The correction loop over gRPC and zbbctl: a red verdict opens a correction, the unit answers
// it, a reviewer returns and then accepts it, and a re-check on request lifts the warning; an
// adjustment proposed on the green line leaves its payments going.

#include <catch2/catch.hpp>

#include "tests/api_client.h"
#include "tests/county_fixture.h"
#include "tests/live_server.h"

namespace zbb::testing {
namespace {

zbb::v1::LineEvent checkpoint_as_of(const std::string& day) {
  return event_of([&](auto& e) { e.mutable_run_checkpoint()->set_as_of(day); });
}

zbb::v1::BudgetLine line_of(const LiveServer& live, const std::string& id) {
  zbb::v1::BudgetLine line;
  REQUIRE(live.as(kSupervisor).get(id, &line).status.ok());
  return line;
}

}  // namespace

TEST_CASE(
    "a red line's correction is answered, returned, accepted and re-checked over gRPC and "
    "zbbctl",
    "[e2e][correction]") {
  LiveServer live;  // its clock in January 2028
  create_line(live, "JT-1");
  approve_line(live, "JT-1");
  // Half the money paid, nothing delivered: red at the dual checkpoint for running ahead.
  step(live, actor::kTreasury, "JT-1", spending(625'000'00));
  const auto red = step(live, actor::kReviewer, "JT-1", checkpoint_as_of("2027-06-30"));
  CHECK(red.state() == "execution.red_warning");
  CHECK(red.line().correction().status() == zbb::v1::CORRECTION_STATUS_AWAITING_ANSWER);
  CHECK(red.line().waiting_on() == "unit:" + kTransport);

  const Ctl ctl{live.server->address()};
  auto answered = ctl(actor::kTransportUnit, {"correct", "JT-1", "--measures", "补报养护进度",
                                              "--deadline", "2028-02-28"});
  INFO(answered.err);
  REQUIRE(answered.exit_code == 0);
  CHECK(line_of(live, "JT-1").waiting_on() == "reviewer");
  auto returned = ctl(actor::kReviewer, {"review", "JT-1", "--correction", "--return", "--comment",
                                         "请列明各路段完工时间"});
  REQUIRE(returned.exit_code == 0);
  CHECK(line_of(live, "JT-1").correction().returns() == 1);
  auto again = ctl(actor::kTransportUnit, {"correct", "JT-1", "--measures", "各路段 12 月底前完工",
                                           "--deadline", "2028-02-28"});
  REQUIRE(again.exit_code == 0);
  auto accepted = ctl(actor::kReviewer, {"review", "JT-1", "--correction", "--accept"});
  REQUIRE(accepted.exit_code == 0);
  auto shown = ctl(kSupervisor, {"show", "JT-1"});
  CHECK_THAT(shown.out, Catch::Contains("accepted (red as of 2027-06-30)") &&
                            Catch::Contains("各路段 12 月底前完工"));
  CHECK(line_of(live, "JT-1").state() == "execution.red_warning");  // not yet re-checked

  // Still red: payments refused. Outputs catch up, and a re-check on request lifts the warning.
  ApiClient treasury = live.as(actor::kTreasury);
  CHECK(treasury.push(next_id("pay"), "JT-1", spending(1'00)).status.error_code() ==
        grpc::StatusCode::FAILED_PRECONDITION);
  step(live, actor::kTransportUnit, "JT-1", progress("养护里程", 48));
  step(live, actor::kTransportUnit, "JT-1", progress("完工及时率", 47.5));
  const auto lifted = step(live, actor::kReviewer, "JT-1", checkpoint_as_of("2027-07-05"));
  CHECK(lifted.state() == "execution.executing");
  CHECK(lifted.line().monitoring().level() == zbb::v1::WARNING_LEVEL_GREEN);

  // An adjustment proposed on the green line: payments go on while it is decided.
  step(live, actor::kTransportUnit, "JT-1", event_of([](auto& e) {
         auto* p = e.mutable_propose_adjustment();
         p->set_kind(zbb::v1::ADJUSTMENT_KIND_REDUCE);
         p->set_amount(100'000'00);
         p->set_reason("部分路段由省级资金覆盖");
       }));
  const auto paid = step(live, actor::kTreasury, "JT-1", spending(10'000'00));
  CHECK(paid.state() == "adjustment.proposed");
  CHECK(paid.line().spent_amount() == 635'000'00);

  // The history names each step.
  auto history = ctl(kSupervisor, {"show", "JT-1"});
  CHECK_THAT(history.out, Catch::Contains("correction awaiting_answer") &&
                              Catch::Contains("correction returned") &&
                              Catch::Contains("correction accepted"));
}

}  // namespace zbb::testing
