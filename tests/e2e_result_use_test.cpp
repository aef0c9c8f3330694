// Result use over gRPC: a programme graded poor two years back is cut this year, its history
// criterion filled by zbb, and its request funded only once its rectification report is accepted.

#include <catch2/catch.hpp>

#include "tests/api_client.h"
#include "tests/county_fixture.h"
#include "tests/live_server.h"

namespace zbb::testing {
namespace {

constexpr std::int64_t kRequest = 1'250'000'00;  // road_maintenance_content's

zbb::v1::LineEvent spending(std::int64_t amount, const std::string& reference) {
  return event_of([&](auto& e) {
    e.mutable_record_spending()->set_amount(amount);
    e.mutable_record_spending()->set_payment_ref(reference);
  });
}

// The road programme in 2025: approved in full, on time at the checkpoint, then a fifth of its
// work done by year end: graded poor and closed.
void poor_year(LiveServer& live, const std::string& line) {
  auto content = road_maintenance_content();
  content.set_fiscal_year(2025);
  REQUIRE(live.as(actor::kTransportUnit).create(next_id("c"), line, content).status.ok());
  approve_line(live, line);
  step(live, actor::kTreasury, line, spending(kRequest / 2, "GK-2025-1"));
  for (const auto& [indicator, actual] : {std::pair{"养护里程", 48.0}, {"完工及时率", 47.5}})
    step(live, actor::kTreasury, line, event_of([&](auto& e) {
           e.mutable_record_indicator_progress()->set_indicator(indicator);
           e.mutable_record_indicator_progress()->set_actual(actual);
         }));
  step(live, actor::kTreasury, line,
       event_of([](auto& e) { e.mutable_run_checkpoint()->set_as_of("2025-06-30"); }));
  step(live, actor::kTransportUnit, line, event_of([](auto& e) { e.mutable_begin_evaluation(); }));
  auto scored =
      step(live, actor::kTransportUnit, line, event_of([](auto& e) {
             auto* s = e.mutable_submit_self_evaluation();
             for (const auto& [indicator, actual] :
                  {std::pair{"养护里程", 20.0}, {"完工及时率", 20.0}, {"路况优良率", 20.0}}) {
               auto* value = s->add_final_actuals();
               value->set_indicator(indicator);
               value->set_actual(actual);
             }
             s->set_satisfaction_percent(40);
             s->set_summary("资金到位晚，任务大部分未完成");
           }));
  REQUIRE(scored.line().evaluation().grade() == "poor");
  live.restart_at("2026-02-01T09:00:00Z");  // its final accounts closed: it is closed
  step(live, actor::kEvaluationOffice, line,
       event_of([](auto& e) { e.mutable_close()->set_comment("归档"); }));
}

zbb::v1::LineEvent typed_scores(bool with_history) {
  return event_of([&](auto& e) {
    for (const char* criterion : {"necessity", "urgency", "expected_effect", "public_attention"}) {
      auto* score = e.mutable_score_priority()->add_scores();
      score->set_criterion(criterion);
      score->set_score(90);
    }
    if (!with_history) return;
    auto* score = e.mutable_score_priority()->add_scores();
    score->set_criterion("performance_history");
    score->set_score(100);
  });
}

}  // namespace

TEST_CASE("a programme graded poor two years back is cut, scored and rectified over gRPC",
          "[e2e][result_use]") {
  // The clock in 2025's final-accounts period: that year's spending and self-evaluation are
  // open, and 2027 is prepared ahead.
  std::vector<std::string> args = args_with_library();
  REQUIRE(args.at(0) == "--clock-start");
  args.at(1) = "2026-01-20T09:00:00Z";
  LiveServer live(args);
  admit_programme_of(live, road_maintenance_content(), "农村公路日常养护");
  poor_year(live, "JT-2025");
  create_line(live, "JT-2027");  // 2026 has no line of the programme: 2025's grade is the latest
  ApiClient unit = live.as(actor::kTransportUnit);
  ApiClient reviewer = live.as(actor::kReviewer);

  zbb::v1::BudgetLine line;
  REQUIRE(unit.get("JT-2027", &line).status.ok());
  CHECK(line.prior().line_id() == "JT-2025");
  CHECK(line.prior().grade() == "poor");
  CHECK(line.prior().cut_percent() == 30);
  CHECK(line.prior().ceiling() == kRequest * 70 / 100);
  CHECK(line.prior().rectification_required());
  CHECK(line.prior().history_points() == 60);

  step(live, actor::kTransportUnit, "JT-2027", event_of([](auto& e) { e.mutable_submit(); }));
  step(live, actor::kReviewer, "JT-2027",
       event_of([](auto& e) { e.mutable_start_target_review(); }));
  step(live, actor::kReviewer, "JT-2027",
       event_of([](auto& e) { e.mutable_review_targets()->set_accept(true); }));

  auto typed = reviewer.push(next_id("p"), "JT-2027", typed_scores(true));
  CHECK(typed.status.error_code() == grpc::INVALID_ARGUMENT);
  CHECK(typed.field == "event.score_priority.scores[4].criterion");
  auto scored = step(live, actor::kReviewer, "JT-2027", typed_scores(false));
  CHECK(scored.line().priority().score_hundredths() == 90 * 90 + 60 * 10);

  // Not funded before the report is accepted; the ranking writes nothing.
  zbb::v1::RankRequest rank;
  rank.set_request_id("rank-2027");
  rank.set_fiscal_year(2027);
  rank.set_department(kTransport);
  rank.set_envelope(5'000'000'00);
  ApiClient ranking = live.as(actor::kRankingOffice);
  zbb::v1::RankResponse refused;
  auto rank_context = ranking.context();
  const auto ranked = ranking.workflow().RankDepartment(rank_context.get(), rank, &refused);
  CHECK(ranked.error_code() == grpc::FAILED_PRECONDITION);
  CHECK_THAT(ranked.error_message(), Catch::Contains("JT-2027"));

  // A report is free text of up to 4,000 bytes, as a comment is.
  std::string report;
  for (int i = 0; i < 1000; ++i) report += "改";  // 3,000 bytes
  auto oversized = unit.push(next_id("r"), "JT-2027", event_of([&](auto& e) {
                               e.mutable_submit_rectification()->set_report(report + report);
                             }));
  CHECK(oversized.status.error_code() == grpc::INVALID_ARGUMENT);
  CHECK(oversized.field == "event.submit_rectification.report");
  step(live, actor::kTransportUnit, "JT-2027",
       event_of([&](auto& e) { e.mutable_submit_rectification()->set_report(report); }));
  auto accepted = step(live, actor::kReviewer, "JT-2027", event_of([](auto& e) {
                         e.mutable_review_rectification()->set_accept(true);
                         e.mutable_review_rectification()->set_comment("同意");
                       }));
  CHECK(accepted.line().rectification().status() == zbb::v1::RECTIFICATION_STATUS_ACCEPTED);
  CHECK(accepted.line().rectification().evaluated_line() == "JT-2025");

  auto over = ranking.push(next_id("f"), "JT-2027", event_of([](auto& e) {
                             e.mutable_fund()->set_amount(kRequest * 70 / 100 + 1);
                           }));
  CHECK(over.status.error_code() == grpc::INVALID_ARGUMENT);
  CHECK(over.field == "event.fund.amount");
  auto funded = step(live, actor::kRankingOffice, "JT-2027",
                     event_of([](auto& e) { e.mutable_fund()->set_amount(kRequest * 70 / 100); }));
  CHECK(funded.state() == "approval.awaiting_decision");

  // The history keeps what each step read, and the rectification.
  zbb::v1::GetHistoryResponse history;
  REQUIRE(reviewer.history("JT-2027", &history).status.ok());
  std::string types;
  for (const auto& event : history.events()) types += event.type() + " ";
  CHECK(types ==
        "create submit start_target_review review_targets score_priority submit_rectification "
        "review_rectification fund ");
}

}  // namespace zbb::testing
