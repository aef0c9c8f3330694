// The contract at the edge, as clients written from the .proto files and the README meet it:
// each case drives a real zbbd the way an outside client did when it found the defect.

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/api_client.h"
#include "tests/county_fixture.h"
#include "tests/live_server.h"
#include "tests/server_process.h"

namespace zbb::testing {
namespace {

constexpr std::size_t kMaxStatusMessage = 1024;

// Takes a created line to the first approval level.
void fund_line(const LiveServer& live, const std::string& line) {
  step(live, actor::kTransportUnit, line, event_of([](auto& e) { e.mutable_submit(); }));
  step(live, actor::kReviewer, line, event_of([](auto& e) { e.mutable_start_target_review(); }));
  step(live, actor::kReviewer, line, approving_assessment());
  step(live, actor::kReviewer, line,
       event_of([](auto& e) { e.mutable_review_targets()->set_accept(true); }));
  step(live, actor::kRankingOffice, line,
       event_of([](auto& e) { e.mutable_fund()->set_amount(1'250'000'00); }));
}

zbb::v1::LineEvent payment(Fen amount, const std::string& reference) {
  return event_of([&](auto& e) {
    auto* s = e.mutable_record_spending();
    s->set_amount(amount);
    s->set_payment_ref(reference);
  });
}

zbb::v1::BudgetLine line_of(const LiveServer& live, const std::string& id) {
  zbb::v1::BudgetLine line;
  auto got = live.as(kSupervisor).get(id, &line);
  INFO(got.status.error_message());
  REQUIRE(got.status.ok());
  return line;
}

// `count` payments of `amount` on one line at once, each its own call with no expected
// version, spread over the servers' channels; the calls that did not succeed.
std::vector<std::string> pay_at_once(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                                     const std::string& line, int count, Fen amount) {
  std::vector<std::string> failures(static_cast<std::size_t>(count));
  std::vector<std::thread> payers;
  for (int i = 0; i < count; ++i) {
    payers.emplace_back([&, i] {
      ApiClient treasury(channels[static_cast<std::size_t>(i) % channels.size()],
                         token_of(actor::kTreasury));
      auto paid = treasury.push(fmt::format("pay-at-once-{}", i), line,
                                payment(amount, fmt::format("GK-2027-{:04}", i)));
      if (!paid.status.ok())
        failures[static_cast<std::size_t>(i)] = fmt::format(
            "{}: {}", static_cast<int>(paid.status.error_code()), paid.status.error_message());
    });
  }
  for (auto& payer : payers) payer.join();
  std::erase(failures, "");
  return failures;
}

}  // namespace

TEST_CASE("a second zbbd on a port a running zbbd holds exits 2 naming it — the first serves on",
          "[e2e][contract]") {
  LiveServer live;
  create_line(live, "JT-1");
  TemporaryDirectory other;
  const auto second =
      run_program(zbbd_path(), {"--listen", live.server->address(), "--database",
                                other.path() + "/other.db", "--policy", default_policy_path(),
                                "--tokens", live.directory.path() + "/tokens.json"});
  CHECK(second.exit_code == 2);
  CHECK_THAT(second.err, Catch::Contains(live.server->address()));
  CHECK_THAT(second.err, Catch::Contains("in use"));
  // Every new connection still reaches the first server and its ledger.
  for (int i = 0; i < 5; ++i) {
    ApiClient fresh(grpc::CreateChannel(live.server->address(), grpc::InsecureChannelCredentials()),
                    token_of(kSupervisor));
    zbb::v1::BudgetLine line;
    REQUIRE(fresh.get("JT-1", &line).status.ok());
  }
}

TEST_CASE("50 payments at once without an expected version are all applied", "[e2e][contract]") {
  constexpr int kPayments = 50;
  constexpr Fen kAmount = 1'000'00;
  LiveServer live;
  create_line(live, "JT-1");
  approve_line(live, "JT-1");

  SECTION("through one server") {
    const auto failures = pay_at_once({live.server->channel()}, "JT-1", kPayments, kAmount);
    INFO(fmt::format("{}", fmt::join(failures, "\n")));
    CHECK(failures.empty());
  }
  SECTION("through two servers on one database file") {
    TemporaryDirectory second_directory;
    ServerProcess second(second_directory.path(), live.database, kServerArgs);
    const auto failures =
        pay_at_once({live.server->channel(), second.channel()}, "JT-1", kPayments, kAmount);
    INFO(fmt::format("{}", fmt::join(failures, "\n")));
    CHECK(failures.empty());
  }
  const auto line = line_of(live, "JT-1");
  CHECK(line.spent_amount() == kPayments * kAmount);
  zbb::v1::GetHistoryResponse history;
  REQUIRE(live.as(kSupervisor).history("JT-1", &history).status.ok());
  int payments = 0;
  for (const auto& event : history.events())
    if (event.type() == "record_spending") ++payments;
  CHECK(payments == kPayments);
}

TEST_CASE("items of an item-by-item batch on one line at once are all applied", "[e2e][contract]") {
  LiveServer live;
  create_line(live, "JT-1");
  approve_line(live, "JT-1");
  constexpr int kBatches = 8;
  constexpr int kItems = 5;
  std::vector<std::string> failures;
  std::mutex failures_mutex;
  std::vector<std::thread> feeds;
  for (int b = 0; b < kBatches; ++b) {
    feeds.emplace_back([&, b] {
      ApiClient treasury = live.as(actor::kTreasury);
      zbb::v1::PushEventsRequest request;
      request.set_request_id(fmt::format("feed-{}", b));
      for (int i = 0; i < kItems; ++i) {
        auto* item = request.add_items();
        item->set_line_id("JT-1");
        *item->mutable_event() = payment(100'00, fmt::format("GK-{}-{}", b, i));
      }
      zbb::v1::PushEventsResponse response;
      auto context = treasury.context();
      const auto status = treasury.workflow().PushEvents(context.get(), request, &response);
      std::lock_guard lock(failures_mutex);
      if (!status.ok()) failures.push_back(status.error_message());
      for (const auto& outcome : response.outcomes())
        if (outcome.code() != 0) failures.push_back(outcome.message());
    });
  }
  for (auto& feed : feeds) feed.join();
  INFO(fmt::format("{}", fmt::join(failures, "\n")));
  CHECK(failures.empty());
  CHECK(line_of(live, "JT-1").spent_amount() == kBatches * kItems * 100'00);
}

TEST_CASE("oversized fields are refused by name and no status message reaches 1 KB",
          "[e2e][contract]") {
  LiveServer live;
  create_line(live, "JT-1");
  fund_line(live, "JT-1");
  const std::string huge(100'000, 'x');

  SECTION("RankDepartment's department") {
    ApiClient office = live.as(actor::kRankingOffice);
    zbb::v1::RankRequest request;
    request.set_request_id(next_id("rank"));
    request.set_fiscal_year(2027);
    request.set_department(huge);
    request.set_envelope(1'000'00);
    zbb::v1::RankResponse response;
    auto context = office.context();
    const auto status = office.workflow().RankDepartment(context.get(), request, &response);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK_THAT(status.error_message(), Catch::StartsWith("department: "));
    CHECK(status.error_message().size() < kMaxStatusMessage);
  }
  SECTION("RunMonitoring's department") {
    ApiClient treasury = live.as(actor::kTreasury);
    zbb::v1::RunMonitoringRequest request;
    request.set_request_id(next_id("monitor"));
    request.set_fiscal_year(2027);
    request.set_as_of("2027-06-30");
    request.set_department(huge);
    zbb::v1::MonitoringReport response;
    auto context = treasury.context();
    const auto status = treasury.workflow().RunMonitoring(context.get(), request, &response);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK_THAT(status.error_message(), Catch::StartsWith("department: "));
    CHECK(status.error_message().size() < kMaxStatusMessage);
  }
  SECTION("decide.level") {
    auto decided =
        live.as(actor::kDepartmentHead).push(next_id("decide"), "JT-1", event_of([&](auto& e) {
                                               e.mutable_decide()->set_level(huge);
                                               e.mutable_decide()->set_decision(
                                                   zbb::v1::DECISION_APPROVE);
                                             }));
    CHECK(decided.status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(decided.field == "event.decide.level");
    CHECK(decided.status.error_message().size() < kMaxStatusMessage);
  }
  SECTION("a level just within the limit is quoted cut, not whole") {
    const std::string long_level(150, 'y');
    auto decided =
        live.as(actor::kDepartmentHead).push(next_id("decide"), "JT-1", event_of([&](auto& e) {
                                               e.mutable_decide()->set_level(long_level);
                                               e.mutable_decide()->set_decision(
                                                   zbb::v1::DECISION_APPROVE);
                                             }));
    CHECK(decided.status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK_THAT(decided.status.error_message(), !Catch::Contains(long_level));
    CHECK_THAT(decided.status.error_message(), Catch::Contains("…"));
  }
  SECTION("a comment, every text field of an item-by-item batch") {
    zbb::v1::PushEventsRequest request;
    request.set_request_id(next_id("batch"));
    auto* item = request.add_items();
    item->set_line_id("JT-1");
    *item->mutable_event() = payment(1'00, "GK-1");
    item->mutable_event()->mutable_record_spending()->set_comment(huge);
    ApiClient treasury = live.as(actor::kTreasury);
    zbb::v1::PushEventsResponse response;
    auto context = treasury.context();
    const auto status = treasury.workflow().PushEvents(context.get(), request, &response);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK_THAT(status.error_message(),
               Catch::StartsWith("items[0].event.record_spending.comment: "));
    CHECK(status.error_message().size() < kMaxStatusMessage);
  }
}

TEST_CASE("control characters are refused with the field — tabs and line breaks pass in free text",
          "[e2e][contract]") {
  LiveServer live;
  ApiClient unit = live.as(actor::kTransportUnit);
  auto content = road_maintenance_content();
  content.set_title("道路\x01养护");
  auto created = unit.create(next_id("create"), "JT-1", content);
  CHECK(created.status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(created.field == "content.title");

  content = road_maintenance_content();
  auto bad_id = unit.create(next_id("create"), "JT-\x7f", content);
  CHECK(bad_id.status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(bad_id.field == "line_id");

  content.set_necessity_statement(content.necessity_statement() + "\n\t第二段\r\n");
  REQUIRE(unit.create(next_id("create"), "JT-1", content).status.ok());
  auto comment =
      live.as(actor::kTransportUnit).push(next_id("submit"), "JT-1", event_of([](auto& e) {
                                            e.mutable_withdraw()->set_reason("撤回\x1b[31m");
                                          }));
  CHECK(comment.status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(comment.field == "event.withdraw.reason");
}

TEST_CASE("an internal failure tells the client a reference, the log the detail",
          "[e2e][contract]") {
  LiveServer live;
  create_line(live, "JT-1");
  {
    // What a broken disk or a bad repair script can do to any statement.
    soci::session raw(soci::sqlite3, live.database);
    raw << "CREATE TRIGGER refuse_events BEFORE INSERT ON events"
           " BEGIN SELECT RAISE(ABORT, 'storage refused the write'); END";
  }
  auto submitted =
      live.as(actor::kTransportUnit).push("submit-broken", "JT-1", event_of([](auto& e) {
                                            e.mutable_submit();
                                          }));
  REQUIRE(submitted.status.error_code() == grpc::StatusCode::INTERNAL);
  const std::string& message = submitted.status.error_message();
  CHECK(message.size() < 200);
  CHECK_THAT(message, !Catch::Contains("INSERT"));
  CHECK_THAT(message, !Catch::Contains("storage refused"));
  std::smatch reference;
  REQUIRE(std::regex_search(message, reference, std::regex("reference (E[0-9a-f]{8})")));
  const std::string log = live.server->log();
  CHECK_THAT(log, Catch::Contains(reference[1].str()));
  CHECK_THAT(log, Catch::Contains("submit-broken"));
  CHECK_THAT(log, Catch::Contains("storage refused the write"));
}

TEST_CASE("a negative expected version is refused — unset and set differ for one request id",
          "[e2e][contract]") {
  LiveServer live;
  create_line(live, "JT-1");
  ApiClient unit = live.as(actor::kTransportUnit);
  const auto submit = event_of([](auto& e) { e.mutable_submit(); });
  auto negative = unit.push("submit-1", "JT-1", submit, nullptr, -1);
  CHECK(negative.status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(negative.field == "expected_version");
  REQUIRE(unit.push("submit-2", "JT-1", submit).status.ok());
  // The same request id with a version it did not carry is another request.
  auto other = unit.push("submit-2", "JT-1", submit, nullptr, 1);
  CHECK(other.status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(other.field == "request_id");
}

TEST_CASE("a decision may leave out its level and amount, or copy waiting_on as its level",
          "[e2e][contract]") {
  LiveServer live;
  create_line(live, "JT-1");
  fund_line(live, "JT-1");
  const auto approve = [](const std::string& level) {
    return event_of([&](auto& e) {
      e.mutable_decide()->set_level(level);
      e.mutable_decide()->set_decision(zbb::v1::DECISION_APPROVE);
    });
  };
  const auto& chain = approval_chain();
  REQUIRE(chain.size() >= 3);

  auto wrong = live.as(chain[0].approver).push(next_id("decide"), "JT-1", approve(chain[1].level));
  CHECK(wrong.status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(wrong.field == "event.decide.level");
  CHECK_THAT(wrong.status.error_message(), Catch::Contains(chain[0].level));

  // No level, no amount: the level awaited passes on what was funded.
  auto first = step(live, chain[0].approver, "JT-1", approve(""));
  CHECK(first.line().waiting_on() == "approver:" + chain[1].level);
  // waiting_on as it reads.
  step(live, chain[1].approver, "JT-1", approve(first.line().waiting_on()));
  for (std::size_t i = 2; i < chain.size(); ++i) step(live, chain[i].approver, "JT-1", approve(""));
  const auto line = line_of(live, "JT-1");
  CHECK(line.state() == "execution.executing");
  CHECK(line.approved_amount() == 1'250'000'00);
}

TEST_CASE("ListLines refuses a page token it did not issue and pages with the ones it did",
          "[e2e][contract]") {
  LiveServer live;
  for (const char* id : {"JT-1", "JT-2", "JT-3"}) create_line(live, id);
  ApiClient supervisor = live.as(kSupervisor);
  const auto list = [&](const std::string& token, zbb::v1::ListLinesResponse* response) {
    zbb::v1::ListLinesRequest request;
    request.set_page_size(2);
    request.set_page_token(token);
    auto context = supervisor.context();
    return supervisor.query().ListLines(context.get(), request, response);
  };
  zbb::v1::ListLinesResponse first;
  REQUIRE(list("", &first).ok());
  REQUIRE(first.lines_size() == 2);
  REQUIRE_FALSE(first.next_page_token().empty());
  zbb::v1::ListLinesResponse second;
  REQUIRE(list(first.next_page_token(), &second).ok());
  REQUIRE(second.lines_size() == 1);
  CHECK(second.lines(0).id() == "JT-3");

  for (const std::string& made_up :
       {std::string("JT-1"), std::string("JT-1~0000000000000000"), first.next_page_token() + "x"}) {
    zbb::v1::ListLinesResponse response;
    const auto status = list(made_up, &response);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK_THAT(status.error_message(), Catch::StartsWith("page_token: "));
  }
}

TEST_CASE("an item-by-item outcome names its field from the request, as an atomic refusal does",
          "[e2e][contract]") {
  LiveServer live;
  create_line(live, "JT-1");
  approve_line(live, "JT-1");
  zbb::v1::PushEventsRequest request;
  request.set_request_id(next_id("batch"));
  for (Fen amount : {1'00, 0}) {
    auto* item = request.add_items();
    item->set_line_id("JT-1");
    *item->mutable_event() = payment(amount, "GK-1");
  }
  ApiClient treasury = live.as(actor::kTreasury);
  zbb::v1::PushEventsResponse response;
  auto context = treasury.context();
  REQUIRE(treasury.workflow().PushEvents(context.get(), request, &response).ok());
  REQUIRE(response.outcomes_size() == 2);
  CHECK(response.outcomes(0).code() == 0);
  CHECK(response.outcomes(1).code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(response.outcomes(1).field() == "items[1].event.record_spending.amount");
}

TEST_CASE("zbbd refuses to start on a database file it cannot write, naming the file",
          "[e2e][contract]") {
  LiveServer live;
  create_line(live, "JT-1");
  live.server.reset();
  namespace fs = std::filesystem;
  // The directory stays writable (SQLite may make its -shm there): only the file is read-only.
  fs::permissions(live.directory.path(), fs::perms::all);
  fs::permissions(live.directory.path() + "/tokens.json",
                  fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  fs::permissions(live.database,
                  fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  std::vector<std::string> zbbd = {
      "--listen", "127.0.0.1:0",         "--database", live.database,
      "--policy", default_policy_path(), "--tokens",   live.directory.path() + "/tokens.json"};
  std::string program = zbbd_path();
  if (::geteuid() == 0) {
    // root writes any file; run as nobody, for whom the file is read-only.
    zbbd.insert(zbbd.begin(), {"--reuid=65534", "--regid=65534", "--clear-groups", program});
    program = "/usr/bin/setpriv";
  }
  const auto run = run_program(program, zbbd);
  CHECK(run.exit_code == 2);
  CHECK_THAT(run.err, Catch::Contains(live.database));
  CHECK_THAT(run.err, Catch::Contains("cannot be written"));
}

TEST_CASE(
    "a stored record that does not decode answers DATA_LOSS naming the line, and zbbd serves on",
    "[e2e][contract]") {
  LiveServer live;
  create_line(live, "JT-1");
  create_line(live, "JT-2");
  live.server.reset();
  {
    // What a bad repair script can do: a document that is no line, a time no calendar holds.
    soci::session raw(soci::sqlite3, live.database);
    raw << "UPDATE lines SET document = x'0a0b' WHERE id = 'JT-1'";
    raw << "DROP TRIGGER events_append_only_update";
    raw << "UPDATE events SET at_ms = 999999999999999999 WHERE line_id = 'JT-2'";
  }
  live.restart();
  zbb::v1::BudgetLine line;
  const auto got = live.as(kSupervisor).get("JT-1", &line);
  CHECK(got.status.error_code() == grpc::StatusCode::DATA_LOSS);
  CHECK_THAT(got.status.error_message(), Catch::Contains("line JT-1"));
  CHECK_THAT(got.status.error_message(), Catch::Contains("stored document does not parse"));

  const auto submitted =
      live.as(actor::kTransportUnit).push(next_id("submit"), "JT-1", event_of([](auto& e) {
                                            e.mutable_submit();
                                          }));
  CHECK(submitted.status.error_code() == grpc::StatusCode::DATA_LOSS);
  CHECK_THAT(submitted.status.error_message(), Catch::Contains("line JT-1"));

  zbb::v1::GetHistoryResponse history;
  const auto read = live.as(kSupervisor).history("JT-2", &history);
  CHECK(read.status.error_code() == grpc::StatusCode::DATA_LOSS);
  CHECK_THAT(read.status.error_message(), Catch::Contains("line JT-2"));

  // The process is still up and serves what is intact.
  REQUIRE(live.as(kSupervisor).get("JT-2", &line).status.ok());
  CHECK(line.id() == "JT-2");
  const std::string log = live.server->log();
  CHECK_THAT(log, Catch::Contains("DATA_LOSS"));
  CHECK_THAT(log, Catch::Contains("line JT-1"));
}

TEST_CASE("SIGTERM ends Health/Watch streams at once, without waiting out the grace",
          "[e2e][contract]") {
  TemporaryDirectory directory;
  // A grace no test outlives: zbbd stops only if nothing waits for it.
  std::vector<std::string> args = kServerArgs;
  args.insert(args.end(), {"--shutdown-grace-seconds", "3600"});
  ServerProcess server(directory.path(), directory.path() + "/zbb.db", args);
  auto health = grpc::health::v1::Health::NewStub(server.channel());
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckRequest request;
  request.set_service("zbb.v1.Workflow");
  auto watch = health->Watch(&context, request);
  grpc::health::v1::HealthCheckResponse answer;
  REQUIRE(watch->Read(&answer));
  CHECK(answer.status() == grpc::health::v1::HealthCheckResponse::SERVING);

  std::vector<grpc::health::v1::HealthCheckResponse::ServingStatus> after;
  std::thread reader([&] {
    grpc::health::v1::HealthCheckResponse next;
    while (watch->Read(&next)) after.push_back(next.status());
  });
  CHECK(server.terminate() == 0);
  reader.join();
  CHECK(std::find(after.begin(), after.end(), grpc::health::v1::HealthCheckResponse::NOT_SERVING) !=
        after.end());
  watch->Finish();
}

}  // namespace zbb::testing
