// The evaluation after the year over gRPC and zbbctl: a reviewer picks a self-evaluated line for
// focused evaluation, the third party's evaluation replaces the unit's, finance re-reviews a part
// with its reason, and the line closes; its unspent money goes to the county's pool, and the
// department's year is reported with its overall score.

#include <catch2/catch.hpp>

#include "tests/api_client.h"
#include "tests/county_fixture.h"
#include "tests/live_server.h"

namespace zbb::testing {
namespace {

// An approved road line, 90 % spent, its outputs delivered, judged at 09-30, self-evaluated with
// every target met.
zbb::v1::CommandResponse scored_line(const LiveServer& live, const std::string& id) {
  create_line(live, id);
  approve_line(live, id);
  step(live, actor::kTreasury, id, spending(1'125'000'00));
  step(live, actor::kTransportUnit, id, progress("养护里程", 96));
  step(live, actor::kTransportUnit, id, progress("完工及时率", 95));
  step(live, actor::kReviewer, id,
       event_of([](auto& e) { e.mutable_run_checkpoint()->set_as_of("2027-09-30"); }));
  step(live, actor::kTransportUnit, id, event_of([](auto& e) { e.mutable_begin_evaluation(); }));
  return step(live, actor::kTransportUnit, id, event_of([](auto& e) {
                auto* s = e.mutable_submit_self_evaluation();
                auto* a = s->add_final_actuals();
                a->set_indicator("路况优良率");
                a->set_actual(85);
                auto* b = s->add_final_actuals();
                b->set_indicator("沿线群众满意度");
                b->set_actual(90);
                s->set_satisfaction_percent(90);
                s->set_summary("完成全年养护任务");
              }));
}

grpc::Status get_pool(const LiveServer& live, const std::string& principal,
                      const zbb::v1::GetPoolRequest& request, zbb::v1::GetPoolResponse* pool) {
  ApiClient client = live.as(principal);
  auto context = client.context();
  return client.query().GetPool(context.get(), request, pool);
}

}  // namespace

TEST_CASE(
    "a line is self-evaluated, evaluated again by a third party and re-reviewed by finance "
    "over gRPC and zbbctl",
    "[e2e][evaluation]") {
  LiveServer live;  // its clock in January 2028, after the self-evaluation opened
  const auto scored = scored_line(live, "JT-1");
  CHECK(scored.state() == "evaluation.scored");
  const std::int64_t self_score = scored.line().evaluation().score_tenths();

  const Ctl ctl{live.server->address()};
  auto picked = ctl(actor::kReviewer, {"push", "JT-1", "--event",
                                       R"({"select_focused_evaluation": {"reason": "抽查"}})"});
  INFO(picked.err);
  REQUIRE(picked.exit_code == 0);
  zbb::v1::BudgetLine line;
  REQUIRE(live.as(kSupervisor).get("JT-1", &line).status.ok());
  CHECK(line.state() == "evaluation.focused_evaluation");
  CHECK(line.waiting_on() == "evaluator");

  // Only the evaluator submits it; its finding of half the length replaces the unit's.
  zbb::v1::LineEvent focused = event_of([](auto& e) {
    auto* f = e.mutable_submit_focused_evaluation();
    auto* a = f->add_final_actuals();
    a->set_indicator("养护里程");
    a->set_actual(48);
    f->set_satisfaction_percent(90);
    f->set_summary("第三方核查");
  });
  CHECK(live.as(actor::kReviewer).push(next_id("focus"), "JT-1", focused).status.error_code() ==
        grpc::StatusCode::PERMISSION_DENIED);
  const auto evaluated = step(live, actor::kThirdParty, "JT-1", focused);
  CHECK(evaluated.state() == "evaluation.scored");
  CHECK(evaluated.line().evaluation().focused());
  CHECK(evaluated.line().self_evaluation().score_tenths() == self_score);
  CHECK(evaluated.line().evaluation().score_tenths() == self_score - 125);

  // Finance sets one part, with its reason; a part above its points is refused naming it.
  zbb::v1::CommandResponse refused;
  auto too_much = live.as(actor::kReviewer)
                      .push(next_id("review"), "JT-1", event_of([](auto& e) {
                              auto* p = e.mutable_review_evaluation()->add_parts();
                              p->set_part("effect");
                              p->set_tenths(301);
                              p->set_reason("x");
                            }),
                            &refused);
  CHECK(too_much.status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK_THAT(too_much.status.error_message(), Catch::Contains("parts[0].tenths"));
  const auto reviewed = step(live, actor::kReviewer, "JT-1", event_of([](auto& e) {
                               auto* p = e.mutable_review_evaluation()->add_parts();
                               p->set_part("effect");
                               p->set_tenths(240);
                               p->set_reason("路况优良率抽检低于自报");
                             }));
  REQUIRE(reviewed.line().evaluation().reviews_size() == 1);
  CHECK(reviewed.line().evaluation().reviews(0).parts_before(0) == 300);
  CHECK(reviewed.line().evaluation().score_tenths() == self_score - 125 - 60);

  // Closed once the final accounts have closed (its unspent money settled then).
  live.restart_at("2028-02-01T09:00:00Z");
  step(live, actor::kEvaluationOffice, "JT-1",
       event_of([](auto& e) { e.mutable_close()->set_comment("归档"); }));
  const Ctl after{live.server->address()};
  auto shown = after(kSupervisor, {"show", "JT-1"});
  CHECK_THAT(shown.out, Catch::Contains("focused evaluation, selected by " + actor::kReviewer) &&
                            Catch::Contains("evaluated by " + actor::kThirdParty) &&
                            Catch::Contains("reviewed by " + actor::kReviewer) &&
                            Catch::Contains("selected for focused evaluation: 抽查") &&
                            Catch::Contains("effect set to 24.0: 路况优良率抽检低于自报"));
}

TEST_CASE(
    "a closed line's unspent money is recovered to the county's pool, and the department's "
    "year is reported, over gRPC and zbbctl",
    "[e2e][unspent][department_report]") {
  LiveServer live;
  scored_line(live, "JT-1");
  // Before the final accounts close, payments may still come: the line is not closed yet.
  ApiClient office = live.as(actor::kEvaluationOffice);
  CHECK(office
            .push(next_id("close"), "JT-1",
                  event_of([](auto& e) { e.mutable_close()->set_comment("归档"); }))
            .status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  live.restart_at("2028-02-01T09:00:00Z");
  const Ctl ctl{live.server->address()};
  auto closed = ctl(actor::kEvaluationOffice,
                    {"push", "JT-1", "--event", R"({"close": {"comment": "归档"}})"});
  INFO(closed.err);
  REQUIRE(closed.exit_code == 0);

  zbb::v1::GetPoolRequest asked;
  asked.set_fiscal_year(2027);
  asked.set_county(true);
  zbb::v1::GetPoolResponse pool;
  REQUIRE(get_pool(live, kSupervisor, asked, &pool).ok());
  CHECK(pool.balance() == 125'000'00);
  REQUIRE(pool.movements_size() == 1);
  CHECK(pool.movements(0).reason() == "recovered at closing");
  CHECK(pool.movements(0).line_id() == "JT-1");
  CHECK(pool.movements(0).actor() == actor::kEvaluationOffice);
  CHECK(get_pool(live, actor::kTransportUnit, asked, &pool).error_code() ==
        grpc::StatusCode::PERMISSION_DENIED);
  asked.set_department(kTransport);
  CHECK(get_pool(live, kSupervisor, asked, &pool).error_code() ==
        grpc::StatusCode::INVALID_ARGUMENT);
  auto shown = ctl(kSupervisor, {"pool", "--year", "2027", "--county"});
  REQUIRE(shown.exit_code == 0);
  CHECK_THAT(shown.out, Catch::Contains("pool of (county) for 2027: 125,000.00 yuan") &&
                            Catch::Contains("recovered at closing"));

  auto report = ctl(actor::kTransportUnit, {"report", "department", "--year", "2027"});
  INFO(report.err);
  REQUIRE(report.exit_code == 0);
  // Execution 90 % of 20 points, the one line's 99.0 of 60, never warned: 18.0 + 59.4 + 20.0.
  CHECK_THAT(report.out, Catch::Contains("execution 90.00%") && Catch::Contains("excellent 1") &&
                             Catch::Contains("125,000.00 yuan recovered") &&
                             Catch::Contains("excellent (score 97.4: execution 18.0, "
                                             "performance 59.4, monitoring 20.0"));
  auto other = ctl(actor::kTransportUnit,
                   {"report", "department", "--year", "2027", "--department", kEducation});
  CHECK(other.exit_code != 0);
}

}  // namespace zbb::testing
