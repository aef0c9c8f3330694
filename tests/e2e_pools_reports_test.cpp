// Pools and reports read back over gRPC and through zbbctl, and an increase its pool cannot
// cover refused when it is proposed.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/api_client.h"
#include "tests/county_fixture.h"
#include "tests/live_server.h"

namespace zbb::testing {
namespace {

const std::string kRankingRequest = "rank-transport-2027";

// Three transport lines ranked under an envelope that funds two and leaves 100,000.00 yuan to
// the department's pool; the first then passes every approval level and executes.
void rank_and_execute(const LiveServer& live) {
  for (const auto& [id, score] :
       std::vector<std::pair<std::string, int>>{{"JT-1", 90}, {"JT-2", 70}, {"JT-3", 80}}) {
    create_line(live, id);
    score_line(live, id, score);
  }
  zbb::v1::RankRequest rank;
  rank.set_request_id(kRankingRequest);
  rank.set_fiscal_year(2027);
  rank.set_department(kTransport);
  rank.set_envelope(2'600'000'00);
  ApiClient office = live.as(actor::kRankingOffice);
  zbb::v1::RankResponse ranked;
  auto context = office.context();
  REQUIRE(office.workflow().RankDepartment(context.get(), rank, &ranked).ok());
  REQUIRE(ranked.unallocated() == 100'000'00);
  for (const auto& level : approval_chain())
    step(live, level.approver, "JT-1",
         event_of([](auto& e) { e.mutable_decide()->set_decision(zbb::v1::DECISION_APPROVE); }));
}

zbb::v1::LineEvent increase(Fen amount) {
  return event_of([&](auto& e) {
    auto* p = e.mutable_propose_adjustment();
    p->set_kind(zbb::v1::ADJUSTMENT_KIND_INCREASE);
    p->set_amount(amount);
    p->set_reason("增补养护里程");
  });
}

grpc::Status get_pool(const LiveServer& live, const std::string& principal,
                      const std::string& department, zbb::v1::GetPoolResponse* pool) {
  ApiClient client = live.as(principal);
  zbb::v1::GetPoolRequest request;
  request.set_fiscal_year(2027);
  request.set_department(department);
  auto context = client.context();
  return client.query().GetPool(context.get(), request, pool);
}

grpc::Status list_reports(const LiveServer& live, const zbb::v1::ListReportsRequest& request,
                          zbb::v1::ListReportsResponse* reports,
                          const std::string& principal = kSupervisor) {
  ApiClient client = live.as(principal);
  auto context = client.context();
  return client.query().ListReports(context.get(), request, reports);
}

grpc::Status get_report(const LiveServer& live, const std::string& id,
                        zbb::v1::GetReportResponse* report,
                        const std::string& principal = kSupervisor) {
  ApiClient client = live.as(principal);
  zbb::v1::GetReportRequest request;
  request.set_report_id(id);
  auto context = client.context();
  return client.query().GetReport(context.get(), request, report);
}

grpc::Status execution_report(const LiveServer& live, const std::string& principal, int year,
                              const std::string& month, const std::string& department,
                              zbb::v1::GetExecutionReportResponse* report) {
  ApiClient client = live.as(principal);
  zbb::v1::GetExecutionReportRequest request;
  request.set_fiscal_year(year);
  request.set_month(month);
  request.set_department(department);
  auto context = client.context();
  return client.query().GetExecutionReport(context.get(), request, report);
}

}  // namespace

TEST_CASE("an increase larger than the pool is refused when proposed, before any approver",
          "[e2e][pools]") {
  LiveServer live;
  rank_and_execute(live);
  auto too_much = live.as(actor::kTransportUnit).push(next_id("p"), "JT-1", increase(200'000'00));
  CHECK(too_much.status.error_code() == grpc::FAILED_PRECONDITION);
  CHECK_THAT(too_much.status.error_message(), Catch::Contains("holds 10000000 fen"));
  zbb::v1::BudgetLine line;
  REQUIRE(live.as(kSupervisor).get("JT-1", &line).status.ok());
  CHECK_FALSE(line.has_pending_adjustment());

  auto fits = live.as(actor::kTransportUnit).push(next_id("p"), "JT-1", increase(60'000'00));
  INFO(fits.status.error_message());
  CHECK(fits.status.ok());
}

TEST_CASE("GetPool answers a department's balance and the movements that made it", "[e2e][pools]") {
  LiveServer live;
  rank_and_execute(live);
  zbb::v1::GetPoolResponse pool;
  auto read = get_pool(live, actor::kReviewer, kTransport, &pool);
  INFO(read.error_message());
  REQUIRE(read.ok());
  CHECK(pool.balance() == 100'000'00);
  REQUIRE(pool.movements_size() == 1);
  const auto& movement = pool.movements(0);
  CHECK(movement.delta() == 100'000'00);
  CHECK(movement.balance_after() == 100'000'00);
  CHECK(movement.reason() == "ranking unallocated");
  CHECK(movement.actor() == actor::kRankingOffice);
  CHECK(movement.request_id() == kRankingRequest);
  CHECK(movement.line_id().empty());
  CHECK_FALSE(pool.movements_cut());

  // The report the movement names is the ranking, read back as it was answered.
  zbb::v1::GetReportResponse report;
  REQUIRE(get_report(live, movement.report_id(), &report).ok());
  REQUIRE(report.has_ranking());
  CHECK(report.ranking().ranking_id() == kRankingRequest);
  CHECK(report.ranking().unallocated() == 100'000'00);
  CHECK(report.report().kind() == "ranking");
  CHECK(report.report().department() == kTransport);

  // A unit reads its own pool (named or not), never another department's.
  zbb::v1::GetPoolResponse own;
  REQUIRE(get_pool(live, actor::kTransportUnit, "", &own).ok());
  CHECK(own.department() == kTransport);
  CHECK(own.balance() == 100'000'00);
  zbb::v1::GetPoolResponse other;
  CHECK(get_pool(live, actor::kEducationUnit, kTransport, &other).error_code() ==
        grpc::PERMISSION_DENIED);

  // Pools are kept per department: everyone but a unit of one department names it.
  zbb::v1::GetPoolResponse unnamed;
  CHECK(get_pool(live, actor::kReviewer, "", &unnamed).error_code() == grpc::INVALID_ARGUMENT);

  // A pool never used is empty; a year out of range is refused by name.
  zbb::v1::GetPoolResponse unused;
  REQUIRE(get_pool(live, actor::kReviewer, kEducation, &unused).ok());
  CHECK(unused.balance() == 0);
  CHECK(unused.movements().empty());
  ApiClient reviewer = live.as(actor::kReviewer);
  zbb::v1::GetPoolRequest bad_year;
  bad_year.set_fiscal_year(1999);
  auto context = reviewer.context();
  CHECK(reviewer.query().GetPool(context.get(), bad_year, &unused).error_code() ==
        grpc::INVALID_ARGUMENT);
}

TEST_CASE("ListReports pages rankings and monitoring rounds — GetReport reads each back",
          "[e2e][reports]") {
  LiveServer live;
  rank_and_execute(live);
  zbb::v1::RunMonitoringRequest round;
  round.set_request_id("q2-2027");
  round.set_fiscal_year(2027);
  round.set_as_of("2027-06-30");
  ApiClient treasury = live.as(actor::kTreasury);
  zbb::v1::MonitoringReport monitored;
  auto context = treasury.context();
  REQUIRE(treasury.workflow().RunMonitoring(context.get(), round, &monitored).ok());

  zbb::v1::ListReportsRequest request;
  request.set_fiscal_year(2027);
  zbb::v1::ListReportsResponse all;
  REQUIRE(list_reports(live, request, &all).ok());
  REQUIRE(all.reports_size() == 2);
  CHECK(all.reports(0).kind() == "ranking");
  CHECK(all.reports(1).kind() == "monitoring");
  CHECK(all.reports(1).request_id() == "q2-2027");
  CHECK(all.reports(1).actor() == actor::kTreasury);
  CHECK(all.next_page_token().empty());

  request.set_page_size(1);
  zbb::v1::ListReportsResponse first;
  REQUIRE(list_reports(live, request, &first).ok());
  REQUIRE(first.reports_size() == 1);
  REQUIRE_FALSE(first.next_page_token().empty());
  request.set_page_token(first.next_page_token());
  zbb::v1::ListReportsResponse second;
  REQUIRE(list_reports(live, request, &second).ok());
  REQUIRE(second.reports_size() == 1);
  CHECK(second.reports(0).id() == all.reports(1).id());
  CHECK(second.next_page_token().empty());

  // A token made up, or carried to other criteria, is refused instead of answering a page.
  zbb::v1::ListReportsResponse refused;
  request.set_kind("monitoring");
  auto moved = list_reports(live, request, &refused);
  CHECK(moved.error_code() == grpc::INVALID_ARGUMENT);
  CHECK_THAT(moved.error_message(), Catch::Contains("page_token"));
  request.set_page_token("0~made-up~0123456789abcdef");
  CHECK(list_reports(live, request, &refused).error_code() == grpc::INVALID_ARGUMENT);
  request.clear_page_token();
  request.set_kind("forecast");
  CHECK(list_reports(live, request, &refused).error_code() == grpc::INVALID_ARGUMENT);

  zbb::v1::ListReportsRequest by_kind;
  by_kind.set_kind("monitoring");
  zbb::v1::ListReportsResponse rounds;
  REQUIRE(list_reports(live, by_kind, &rounds).ok());
  REQUIRE(rounds.reports_size() == 1);
  zbb::v1::GetReportResponse report;
  REQUIRE(get_report(live, rounds.reports(0).id(), &report).ok());
  REQUIRE(report.has_monitoring());
  CHECK(report.monitoring().report_id() == "q2-2027");
  CHECK(report.monitoring().lines_size() == monitored.lines_size());

  // A unit sees its own department's reports only: the ranking, not the county's round.
  zbb::v1::ListReportsResponse own;
  REQUIRE(list_reports(live, zbb::v1::ListReportsRequest(), &own, actor::kTransportUnit).ok());
  REQUIRE(own.reports_size() == 1);
  CHECK(own.reports(0).kind() == "ranking");
  zbb::v1::GetReportResponse hidden;
  CHECK(get_report(live, all.reports(0).id(), &hidden, actor::kEducationUnit).error_code() ==
        grpc::NOT_FOUND);
  CHECK(get_report(live, all.reports(1).id(), &hidden, actor::kTransportUnit).error_code() ==
        grpc::NOT_FOUND);
  CHECK(get_report(live, "nobody|nothing", &hidden).error_code() == grpc::NOT_FOUND);
}

TEST_CASE("zbbctl pool, reports and report show pools and reports", "[e2e][zbbctl][reports]") {
  LiveServer live;
  rank_and_execute(live);
  const Ctl ctl{live.server->address()};
  auto pool = ctl(actor::kReviewer, {"pool", "--year", "2027", "--department", kTransport});
  INFO(pool.err);
  REQUIRE(pool.exit_code == 0);
  CHECK_THAT(pool.out, Catch::Contains("100,000.00 yuan") && Catch::Contains("+100,000.00") &&
                           Catch::Contains("ranking unallocated"));

  auto reports = ctl(actor::kReviewer, {"reports", "--year", "2027"});
  INFO(reports.err);
  REQUIRE(reports.exit_code == 0);
  const std::string id = actor::kRankingOffice + "|" + kRankingRequest;
  CHECK_THAT(reports.out, Catch::Contains(id) && Catch::Contains("ranking"));

  auto report = ctl(actor::kReviewer, {"report", id});
  INFO(report.err);
  REQUIRE(report.exit_code == 0);
  CHECK_THAT(report.out, Catch::Contains("ranking report") && Catch::Contains("JT-1"));
  CHECK_THAT(report.out, !Catch::Contains("already done"));

  auto missing = ctl(actor::kReviewer, {"report", "nobody|nothing"});
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.err, Catch::Contains("NOT_FOUND"));
}

TEST_CASE("the monthly execution report adds spending by month, department by department",
          "[e2e][reports][monthly]") {
  LiveServer live;  // its clock on 20 January 2028: fiscal year 2027's final-accounts period
  create_line(live, "JT-1");
  approve_line(live, "JT-1");
  step(live, actor::kTreasury, "JT-1", event_of([](auto& e) {
         e.mutable_record_spending()->set_amount(300'000'00);
         e.mutable_record_spending()->set_payment_ref("GK-2027-12-01");
       }));

  // Booked in January of the year after: a month of the final accounts.
  zbb::v1::GetExecutionReportResponse january;
  REQUIRE(execution_report(live, kSupervisor, 2027, "2028-01", "", &january).ok());
  CHECK(january.month() == "2028-01");
  REQUIRE(january.departments_size() == 1);
  const auto& transport = january.departments(0);
  CHECK(transport.department() == kTransport);
  CHECK(transport.lines() == 1);
  CHECK(transport.approved_amount() == 1'250'000'00);
  CHECK(transport.spent_in_month() == 300'000'00);
  CHECK(transport.spent_to_date() == 300'000'00);
  CHECK(transport.execution_bp() == 2400);
  CHECK(transport.time_progress_bp() == 10000);  // the whole year is due after it
  CHECK(january.total().spent_to_date() == 300'000'00);
  CHECK(january.has_as_of());

  // November, before the payment: nothing spent, 91.57 % of the year due (09-30 75 %, then 61
  // of the 92 days to 12-31).
  zbb::v1::GetExecutionReportResponse november;
  REQUIRE(execution_report(live, kSupervisor, 2027, "2027-11", "", &november).ok());
  CHECK(november.total().spent_in_month() == 0);
  CHECK(november.total().spent_to_date() == 0);
  CHECK(november.total().time_progress_bp() == 7500 + 2500 * 61 / 92);
  CHECK(november.total().lines_lagging() == 1);

  // A unit reads its own department; another department's is refused; one without lines is
  // empty.
  zbb::v1::GetExecutionReportResponse own;
  REQUIRE(execution_report(live, actor::kTransportUnit, 2027, "2028-01", "", &own).ok());
  CHECK(own.departments_size() == 1);
  zbb::v1::GetExecutionReportResponse other;
  CHECK(execution_report(live, actor::kTransportUnit, 2027, "2028-01", kEducation, &other)
            .error_code() == grpc::StatusCode::PERMISSION_DENIED);
  zbb::v1::GetExecutionReportResponse education;
  REQUIRE(execution_report(live, actor::kEducationUnit, 2027, "2028-01", "", &education).ok());
  CHECK(education.departments().empty());
  CHECK(education.total().lines() == 0);

  // A month of neither the year nor the one after, one not written YYYY-MM, one not begun.
  zbb::v1::GetExecutionReportResponse refused;
  const grpc::Status other_year =
      execution_report(live, kSupervisor, 2027, "2026-12", "", &refused);
  CHECK(other_year.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK_THAT(other_year.error_message(), Catch::Contains("month"));
  CHECK(execution_report(live, kSupervisor, 2027, "2029-01", "", &refused).error_code() ==
        grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(execution_report(live, kSupervisor, 2027, "2027-1", "", &refused).error_code() ==
        grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(execution_report(live, kSupervisor, 2027, "2028-02", "", &refused).error_code() ==
        grpc::StatusCode::FAILED_PRECONDITION);

  const Ctl ctl{live.server->address()};
  auto text = ctl(actor::kReviewer, {"report", "monthly", "--year", "2027", "--month", "2028-01"});
  INFO(text.err);
  REQUIRE(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("execution report 2028-01") && Catch::Contains(kTransport) &&
                           Catch::Contains("(county)") && Catch::Contains("300,000.00") &&
                           Catch::Contains("24.00%"));
  auto json = ctl(actor::kReviewer,
                  {"--json", "report", "monthly", "--year", "2027", "--month", "2028-01"});
  REQUIRE(json.exit_code == 0);
  CHECK_THAT(json.out, Catch::Contains("\"spent_in_month\":\"30000000\""));
  auto neither = ctl(actor::kReviewer, {"report"});
  CHECK(neither.exit_code == 2);
}

}  // namespace zbb::testing
