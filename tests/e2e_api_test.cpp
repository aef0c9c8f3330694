// zbb.v1 end to end: a real zbbd process on a loopback port, a real SQLite file, real calls.

#include <google/protobuf/descriptor.pb.h>

#include <catch2/catch.hpp>
#include <condition_variable>
#include <fstream>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc_protocols/reflection.grpc.pb.h"
#include "tests/api_client.h"
#include "tests/county_fixture.h"
#include "tests/live_server.h"
#include "tests/server_process.h"

namespace zbb::testing {
namespace {

std::vector<zbb::v1::RecordedEvent> watch(const LiveServer& live, std::int64_t after,
                                          std::int64_t limit) {
  ApiClient client = live.as(kSupervisor);
  zbb::v1::WatchRequest request;
  request.set_after_sequence(after);
  request.set_limit(limit);
  auto context = client.context();
  auto reader = client.query().Watch(context.get(), request);
  std::vector<zbb::v1::RecordedEvent> events;
  zbb::v1::RecordedEvent event;
  while (reader->Read(&event)) events.push_back(event);
  REQUIRE(reader->Finish().ok());
  return events;
}

// The threads of a process, from /proc.
int threads_of(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  FAIL("no thread count for process " << pid);
  return 0;
}

}  // namespace

TEST_CASE("a line goes from creation to closed over gRPC", "[e2e]") {
  LiveServer live;
  create_line(live, "JT-1");
  approve_line(live, "JT-1");
  step(live, actor::kTreasury, "JT-1", event_of([](auto& e) {
         auto* s = e.mutable_record_spending();
         s->set_amount(625'000'00);
         s->set_payment_ref("GK-2027-0001");
       }));
  for (const auto& [indicator, actual] : {std::pair{"养护里程", 48.0}, {"完工及时率", 47.5}})
    step(live, actor::kTreasury, "JT-1", event_of([&](auto& e) {
           auto* p = e.mutable_record_indicator_progress();
           p->set_indicator(indicator);
           p->set_actual(actual);
         }));
  auto checked =
      step(live, actor::kTreasury, "JT-1",
           event_of([](auto& e) { e.mutable_run_checkpoint()->set_as_of("2027-06-30"); }));
  CHECK(checked.line().monitoring().level() == zbb::v1::WARNING_LEVEL_GREEN);
  step(live, actor::kTreasury, "JT-1", event_of([](auto& e) {
         auto* s = e.mutable_record_spending();
         s->set_amount(575'000'00);
         s->set_payment_ref("GK-2027-0002");
       }));
  step(live, actor::kTransportUnit, "JT-1",
       event_of([](auto& e) { e.mutable_begin_evaluation(); }));
  step(live, actor::kTransportUnit, "JT-1", event_of([](auto& e) {
         auto* s = e.mutable_submit_self_evaluation();
         s->set_satisfaction_percent(92);
         s->set_summary("完成全年养护任务");
       }));
  live.restart_at("2028-02-01T09:00:00Z");  // its final accounts closed: it is closed
  auto closed = step(live, actor::kEvaluationOffice, "JT-1",
                     event_of([](auto& e) { e.mutable_close()->set_comment("归档"); }));
  CHECK(closed.state() == "closed");
  CHECK(closed.line().spent_amount() == 1'200'000'00);
  CHECK(closed.line().evaluation().grade() != "");

  zbb::v1::GetHistoryResponse history;
  REQUIRE(live.as(kSupervisor).history("JT-1", &history).status.ok());
  REQUIRE(history.events_size() == 18);
  CHECK(history.events(0).type() == "create");
  CHECK(history.events(17).to_state() == "closed");
  for (int i = 1; i < history.events_size(); ++i)
    CHECK(history.events(i).prev_hash() == history.events(i - 1).hash());
}

TEST_CASE("every error code of the contract comes from a real request", "[e2e][errors]") {
  LiveServer live;
  create_line(live, "JT-1");
  ApiClient unit = live.as(actor::kTransportUnit);

  SECTION("INVALID_ARGUMENT names the field") {
    auto content = road_maintenance_content();
    content.set_requested_amount(content.requested_amount() + 1);
    auto r = unit.create(next_id("c"), "JT-2", content);
    CHECK(r.status.error_code() == grpc::INVALID_ARGUMENT);
    CHECK(r.field == "content.cost_items");
    CHECK_THAT(r.status.error_message(), Catch::StartsWith("content.cost_items: "));

    content = road_maintenance_content();
    content.set_category(zbb::v1::CATEGORY_UNSPECIFIED);
    CHECK(unit.create(next_id("c"), "JT-2", content).field == "content.category");

    approve_line(live, "JT-1");
    auto overspend = live.as(actor::kTreasury).push(next_id("p"), "JT-1", event_of([](auto& e) {
                                                      auto* s = e.mutable_record_spending();
                                                      s->set_amount(0);
                                                      s->set_payment_ref("GK-1");
                                                    }));
    CHECK(overspend.status.error_code() == grpc::INVALID_ARGUMENT);
    CHECK(overspend.field == "event.record_spending.amount");
  }
  SECTION("FAILED_PRECONDITION names the state and the events it accepts") {
    auto r = live.as(actor::kReviewer).push(next_id("p"), "JT-1", event_of([](auto& e) {
                                              e.mutable_start_target_review();
                                            }));
    CHECK(r.status.error_code() == grpc::FAILED_PRECONDITION);
    CHECK_THAT(r.status.error_message(), Catch::Contains("in state draft"));
    CHECK_THAT(r.status.error_message(), Catch::Contains("accepts revise, submit, withdraw"));
  }
  SECTION("NOT_FOUND") {
    auto r = unit.push(next_id("p"), "NO-SUCH", event_of([](auto& e) { e.mutable_submit(); }));
    CHECK(r.status.error_code() == grpc::NOT_FOUND);
    CHECK(live.as(kSupervisor).get("NO-SUCH", nullptr).status.error_code() == grpc::NOT_FOUND);
  }
  SECTION("ABORTED on a stale expected version") {
    auto r =
        unit.push(next_id("p"), "JT-1", event_of([](auto& e) { e.mutable_submit(); }), nullptr, 7);
    CHECK(r.status.error_code() == grpc::ABORTED);
  }
  SECTION("UNAUTHENTICATED without a token or with an unknown one") {
    ApiClient anonymous(live.server->channel(), "");
    CHECK(anonymous.get("JT-1", nullptr).status.error_code() == grpc::UNAUTHENTICATED);
    ApiClient stranger(live.server->channel(), "tok-not-issued-to-anyone");
    auto r = stranger.push(next_id("p"), "JT-1", event_of([](auto& e) { e.mutable_submit(); }));
    CHECK(r.status.error_code() == grpc::UNAUTHENTICATED);
    CHECK_THAT(r.status.error_message(), !Catch::Contains("tok-not-issued"));
  }
  SECTION("PERMISSION_DENIED for a role that may not act, and for segregation of duties") {
    auto reviewer_submits =
        live.as(actor::kReviewer).push(next_id("p"), "JT-1", event_of([](auto& e) {
                                         e.mutable_submit();
                                       }));
    CHECK(reviewer_submits.status.error_code() == grpc::PERMISSION_DENIED);
    auto wrong_level =
        live.as(actor::kDepartmentHead).push(next_id("p"), "JT-1", event_of([](auto& e) {
                                               auto* d = e.mutable_decide();
                                               d->set_level("bureau_head");
                                               d->set_decision(zbb::v1::DECISION_APPROVE);
                                               d->set_amount(1);
                                             }));
    CHECK(wrong_level.status.error_code() == grpc::PERMISSION_DENIED);

    // A unit head who also approves for the department may not approve what he submitted.
    ApiClient head = live.as("unit.transport.head");
    REQUIRE(head.create(next_id("c"), "JT-9", road_maintenance_content()).status.ok());
    REQUIRE(
        head.push(next_id("p"), "JT-9", event_of([](auto& e) { e.mutable_submit(); })).status.ok());
    step(live, actor::kReviewer, "JT-9",
         event_of([](auto& e) { e.mutable_start_target_review(); }));
    step(live, actor::kReviewer, "JT-9", approving_assessment());
    step(live, actor::kReviewer, "JT-9",
         event_of([](auto& e) { e.mutable_review_targets()->set_accept(true); }));
    step(live, actor::kRankingOffice, "JT-9",
         event_of([](auto& e) { e.mutable_fund()->set_amount(1'00); }));
    auto own = head.push(next_id("p"), "JT-9", event_of([](auto& e) {
                           auto* d = e.mutable_decide();
                           d->set_level("department_head");
                           d->set_decision(zbb::v1::DECISION_APPROVE);
                           d->set_amount(1'00);
                         }));
    CHECK(own.status.error_code() == grpc::PERMISSION_DENIED);
    CHECK_THAT(own.status.error_message(), Catch::Contains("segregation of duties"));
  }
  SECTION("a unit hears nothing about another department's lines") {
    ApiClient school = live.as(actor::kEducationUnit);
    auto read = school.get("JT-1", nullptr);
    auto act = school.push(next_id("p"), "JT-1", event_of([](auto& e) { e.mutable_submit(); }));
    auto missing = school.get("NO-SUCH", nullptr);
    CHECK(read.status.error_code() == grpc::NOT_FOUND);
    CHECK(act.status.error_code() == grpc::NOT_FOUND);
    CHECK(read.status.error_message() == "line JT-1 not found");
    CHECK_THAT(act.status.error_message(), !Catch::Contains(kTransport));
    CHECK(missing.status.error_code() == grpc::NOT_FOUND);
  }
  CHECK(live.server->log().find("PushEvent") != std::string::npos);
}

TEST_CASE("a PushEvent retried with the same request id is applied once", "[e2e]") {
  LiveServer live;
  zbb::v1::CommandResponse created;
  REQUIRE(live.as(actor::kTransportUnit)
              .create("create-1", "JT-1", road_maintenance_content(), &created)
              .status.ok());
  zbb::v1::BudgetLine draft;
  REQUIRE(live.as(actor::kTransportUnit).get("JT-1", &draft).status.ok());
  CHECK(same_line(created.line(), draft));
  CHECK(created.version() == 1);
  approve_line(live, "JT-1");
  ApiClient treasury = live.as(actor::kTreasury);
  const auto payment = event_of([](auto& e) {
    auto* s = e.mutable_record_spending();
    s->set_amount(300'000'00);
    s->set_payment_ref("GK-2027-0042");
  });
  zbb::v1::CommandResponse first, second;
  REQUIRE(treasury.push("pay-42", "JT-1", payment, &first).status.ok());
  REQUIRE(treasury.push("pay-42", "JT-1", payment, &second).status.ok());
  CHECK_FALSE(first.replayed());
  CHECK(second.replayed());
  CHECK(second.version() == first.version());
  CHECK(second.sequence() == first.sequence());
  CHECK(second.line().spent_amount() == 300'000'00);
  // The first answer carries the line as its commit stored it, ahead of the answer's other
  // fields: the very line GetLine reads, and the fields after it intact.
  zbb::v1::BudgetLine stored;
  REQUIRE(treasury.get("JT-1", &stored).status.ok());
  CHECK(same_line(first.line(), stored));
  CHECK(first.state() == stored.state());
  CHECK(first.version() == stored.version());
  zbb::v1::GetHistoryResponse history;
  REQUIRE(treasury.history("JT-1", &history).status.ok());
  CHECK(history.events_size() == first.version());
}

TEST_CASE("Watch resumed from a sequence number delivers every later event once, in order",
          "[e2e][watch]") {
  LiveServer live;
  create_line(live, "JT-1");
  approve_line(live, "JT-1");  // 10 events, the assessment among them

  const auto first = watch(live, 0, 4);
  REQUIRE(first.size() == 4);
  const auto rest = watch(live, first.back().sequence(), 5);
  REQUIRE(rest.size() == 5);
  std::vector<std::int64_t> sequences;
  for (const auto& e : first) sequences.push_back(e.sequence());
  for (const auto& e : rest) sequences.push_back(e.sequence());
  CHECK(sequences == std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9});

  // A subscriber that has caught up is woken by each commit: the server polls idle streams
  // only every ten minutes, so events arriving within the call's deadline prove the wake-up.
  std::promise<void> caught_up;
  std::vector<zbb::v1::RecordedEvent> live_events;
  std::thread follower([&] {
    ApiClient client = live.as(kSupervisor);
    zbb::v1::WatchRequest request;
    request.set_after_sequence(9);
    request.set_limit(4);
    auto context = client.context();
    auto reader = client.query().Watch(context.get(), request);
    zbb::v1::RecordedEvent event;
    while (reader->Read(&event)) {
      live_events.push_back(event);
      if (live_events.size() == 1) caught_up.set_value();
    }
    if (live_events.empty()) caught_up.set_value();  // never leave the test waiting
    reader->Finish();
  });
  caught_up.get_future().wait();
  create_line(live, "JT-2");
  create_line(live, "JT-3");
  create_line(live, "JT-4");
  follower.join();
  REQUIRE(live_events.size() == 4);
  CHECK(live_events[1].sequence() == 11);
  CHECK(live_events[3].sequence() == 13);
  CHECK(live_events[3].line_id() == "JT-4");
}

TEST_CASE("open Watch streams that caught up hold no server thread each", "[e2e][watch]") {
  LiveServer live;
  create_line(live, "JT-1");  // event 1
  const int threads_before = threads_of(live.server->pid());

  // Each stream reads the one event there is, then waits for the next commit.
  constexpr int kStreams = 64;
  ApiClient client = live.as(kSupervisor);
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<grpc::ClientReader<zbb::v1::RecordedEvent>>> streams;
  zbb::v1::WatchRequest request;
  request.set_limit(2);
  for (int i = 0; i < kStreams; ++i) {
    contexts.push_back(client.context());
    streams.push_back(client.query().Watch(contexts.back().get(), request));
    zbb::v1::RecordedEvent first;
    REQUIRE(streams.back()->Read(&first));
    CHECK(first.sequence() == 1);
  }
  const int threads_waiting = threads_of(live.server->pid());
  INFO("threads before: " << threads_before << ", with the streams open: " << threads_waiting);
  CHECK(threads_waiting < threads_before + kStreams / 4);

  // One commit wakes them all: each gets its second event and ends.
  create_line(live, "JT-2");
  for (auto& stream : streams) {
    zbb::v1::RecordedEvent second;
    REQUIRE(stream->Read(&second));
    CHECK(second.sequence() == 2);
    CHECK(second.line_id() == "JT-2");
    CHECK_FALSE(stream->Read(&second));
    CHECK(stream->Finish().ok());
  }
}

TEST_CASE("SIGTERM ends Watch streams at once with UNAVAILABLE, without waiting out the grace",
          "[e2e][watch]") {
  TemporaryDirectory directory;
  std::vector<std::string> args = kServerArgs;
  args.insert(args.end(), {"--shutdown-grace-seconds", "3600"});
  ServerProcess server(directory.path(), directory.path() + "/zbb.db", args);
  REQUIRE(ApiClient(server.channel(), token_of(actor::kTransportUnit))
              .create(next_id("create"), "JT-1", road_maintenance_content())
              .status.ok());
  ApiClient client(server.channel(), token_of(kSupervisor));
  auto context = client.context();
  auto stream = client.query().Watch(context.get(), zbb::v1::WatchRequest());
  // The stream is served once its first event came; then it waits for the next commit.
  zbb::v1::RecordedEvent event;
  REQUIRE(stream->Read(&event));
  std::promise<grpc::Status> ended;
  std::thread reader([&] {
    while (stream->Read(&event)) {
    }
    ended.set_value(stream->Finish());
  });
  CHECK(server.terminate() == 0);
  reader.join();
  const grpc::Status status = ended.get_future().get();
  CHECK(status.error_code() == grpc::UNAVAILABLE);
  CHECK(status.error_message() == "the server is shutting down");
}

TEST_CASE("a server killed and restarted keeps every acknowledged event", "[e2e][durability]") {
  LiveServer live;
  std::vector<std::pair<std::string, std::int64_t>> acknowledged;  // line, version
  for (int i = 0; i < 20; ++i) {
    const std::string line = "JT-" + std::to_string(i);
    create_line(live, line);
    auto submitted =
        step(live, actor::kTransportUnit, line, event_of([](auto& e) { e.mutable_submit(); }));
    acknowledged.emplace_back(line, submitted.version());
  }
  live.server->kill();
  live.restart();
  for (const auto& [line, version] : acknowledged) {
    zbb::v1::BudgetLine stored;
    REQUIRE(live.as(kSupervisor).get(line, &stored).status.ok());
    CHECK(stored.version() == version);
    CHECK(stored.state() == "justification.submitted");
  }
  CHECK(watch(live, 0, 40).size() == 40);
}

TEST_CASE("a server killed in the middle of a load keeps every acknowledged event",
          "[e2e][durability]") {
  LiveServer live;
  constexpr int kClients = 8;
  constexpr int kAcknowledgedBeforeKill = 400;
  for (int c = 0; c < kClients; ++c) {
    const std::string line = "LOAD-" + std::to_string(c);
    create_line(live, line);
    approve_line(live, line);
  }

  // Each client pays 1 fen at a time on its own line, as fast as it is answered; what is
  // acknowledged is counted. The server is killed once enough has been acknowledged, while
  // every client still has a call in flight.
  std::mutex mutex;
  std::condition_variable progress;
  int acknowledged_total = 0;
  int clients_done = 0;
  std::vector<std::vector<std::string>> acknowledged(kClients);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      ApiClient treasury = live.as(actor::kTreasury);
      const std::string line = "LOAD-" + std::to_string(c);
      for (int i = 0; i < 100'000; ++i) {
        const std::string request_id = "pay-" + std::to_string(c) + "-" + std::to_string(i);
        auto result = treasury.push(request_id, line, event_of([&](auto& e) {
                                      auto* s = e.mutable_record_spending();
                                      s->set_amount(1);
                                      s->set_payment_ref(request_id);
                                    }));
        if (!result.status.ok()) break;  // the server is gone
        acknowledged[static_cast<std::size_t>(c)].push_back(request_id);
        std::lock_guard lock(mutex);
        ++acknowledged_total;
        progress.notify_all();
      }
      std::lock_guard lock(mutex);
      ++clients_done;
      progress.notify_all();
    });
  }
  {
    std::unique_lock lock(mutex);
    progress.wait(lock, [&] {
      return acknowledged_total >= kAcknowledgedBeforeKill || clients_done == kClients;
    });
  }
  live.server->kill();
  for (auto& client : clients) client.join();
  REQUIRE(acknowledged_total >= kAcknowledgedBeforeKill);

  live.restart();
  ApiClient supervisor = live.as(kSupervisor);
  std::size_t total_events = 0;
  for (int c = 0; c < kClients; ++c) {
    const std::string line = "LOAD-" + std::to_string(c);
    zbb::v1::GetHistoryResponse history;
    REQUIRE(supervisor.history(line, &history).status.ok());
    std::set<std::string> recorded;
    for (const auto& event : history.events())
      if (event.type() == "record_spending") recorded.insert(event.request_id());
    // Every acknowledged payment is there; a payment in flight at the kill may be too.
    for (const auto& request_id : acknowledged[static_cast<std::size_t>(c)]) {
      INFO(line << " lost the acknowledged payment " << request_id);
      CHECK(recorded.contains(request_id));
    }
    CHECK(recorded.size() <= acknowledged[static_cast<std::size_t>(c)].size() + 1);
    zbb::v1::BudgetLine stored;
    REQUIRE(supervisor.get(line, &stored).status.ok());
    CHECK(stored.spent_amount() == static_cast<std::int64_t>(recorded.size()));
    total_events += recorded.size();
  }
  CHECK(total_events >= static_cast<std::size_t>(acknowledged_total));

  zbb::v1::VerifyAuditRequest verify;
  zbb::v1::VerifyAuditResponse verdict;
  auto context = supervisor.context();
  REQUIRE(supervisor.query().VerifyAudit(context.get(), verify, &verdict).ok());
  CHECK(verdict.intact());
}

TEST_CASE("an item-by-item batch keeps each line's items in order and applies every line",
          "[e2e][batch]") {
  LiveServer live;
  constexpr int kLines = 40;
  zbb::v1::PushEventsRequest request;
  request.set_request_id("intake-1");
  request.set_all_or_nothing(false);
  // Line by line: create, then submit; one submit names a line that does not exist.
  for (int i = 0; i < kLines; ++i) {
    auto* create = request.add_items();
    create->set_line_id("JT-B" + std::to_string(i));
    *create->mutable_event()->mutable_create()->mutable_content() = road_maintenance_content();
  }
  for (int i = 0; i < kLines; ++i) {
    auto* submit = request.add_items();
    submit->set_line_id(i == 7 ? "JT-MISSING" : "JT-B" + std::to_string(i));
    submit->mutable_event()->mutable_submit();
  }
  for (int i = 0; i < kLines; ++i) {  // a second submit of a submitted line is refused
    auto* again = request.add_items();
    again->set_line_id("JT-B" + std::to_string(i));
    again->mutable_event()->mutable_submit();
  }
  ApiClient unit = live.as(actor::kTransportUnit);
  zbb::v1::PushEventsResponse response;
  auto context = unit.context();
  REQUIRE(unit.workflow().PushEvents(context.get(), request, &response).ok());

  REQUIRE(response.outcomes_size() == 3 * kLines);
  CHECK(response.succeeded() == 2 * kLines);  // 40 creates, 39 submits, JT-B7's late submit
  CHECK(response.failed() == kLines);
  for (int i = 0; i < 3 * kLines; ++i) CHECK(response.outcomes(i).index() == i);
  CHECK(response.outcomes(kLines + 7).code() == grpc::StatusCode::NOT_FOUND);
  for (int i = 0; i < kLines; ++i) {
    INFO("JT-B" << i);
    zbb::v1::BudgetLine line;
    REQUIRE(live.as(kSupervisor).get("JT-B" + std::to_string(i), &line).status.ok());
    CHECK(line.state() == "justification.submitted");
    CHECK(line.version() == 2);
    const auto& first_submit = response.outcomes(kLines + i);
    const auto& second_submit = response.outcomes(2 * kLines + i);
    if (i == 7) {
      CHECK(second_submit.state() == "justification.submitted");
    } else {
      CHECK(first_submit.version() == 2);
      CHECK(second_submit.code() == grpc::StatusCode::FAILED_PRECONDITION);
    }
  }
}

TEST_CASE("an item-by-item batch longer than a chunk answers every item in its place",
          "[e2e][batch]") {
  LiveServer live;
  constexpr int kLines = 300;  // 600 items: more than two chunks of 256
  zbb::v1::PushEventsRequest request;
  request.set_request_id("intake-long");
  request.set_all_or_nothing(false);
  for (int i = 0; i < kLines; ++i) {
    auto* create = request.add_items();
    create->set_line_id("JT-L" + std::to_string(i));
    *create->mutable_event()->mutable_create()->mutable_content() = road_maintenance_content();
  }
  for (int i = 0; i < kLines; ++i) {
    auto* submit = request.add_items();
    submit->set_line_id("JT-L" + std::to_string(i));
    submit->mutable_event()->mutable_submit();
  }
  ApiClient unit = live.as(actor::kTransportUnit);
  zbb::v1::PushEventsResponse response;
  auto context = unit.context();
  REQUIRE(unit.workflow().PushEvents(context.get(), request, &response).ok());

  REQUIRE(response.outcomes_size() == 2 * kLines);
  CHECK(response.succeeded() == 2 * kLines);
  CHECK(response.failed() == 0);
  for (int i = 0; i < 2 * kLines; ++i) {
    INFO("item " << i);
    const auto& outcome = response.outcomes(i);
    CHECK(outcome.index() == i);
    CHECK(outcome.code() == 0);
    CHECK(outcome.line_id() == "JT-L" + std::to_string(i % kLines));
    CHECK(outcome.version() == (i < kLines ? 1 : 2));
  }
  // Sequences follow the items' order.
  for (int i = 1; i < 2 * kLines; ++i)
    CHECK(response.outcomes(i).sequence() > response.outcomes(i - 1).sequence());
  zbb::v1::BudgetLine line;
  REQUIRE(unit.get("JT-L299", &line).status.ok());
  CHECK(line.state() == "justification.submitted");
}

TEST_CASE("item by item, a creation refused for a taken id lends nothing to the next item",
          "[e2e][batch][auth]") {
  LiveServer live;
  // The education bureau's line; the transport unit may not see it.
  zbb::v1::LineContent education = road_maintenance_content();
  education.set_department(kEducation);
  REQUIRE(live.as(actor::kEducationUnit).create(next_id("create"), "JY-1", education).status.ok());

  zbb::v1::PushEventsRequest request;
  request.set_request_id("takeover-1");
  request.set_all_or_nothing(false);
  auto* create = request.add_items();  // claims the id with the transport bureau's content
  create->set_line_id("JY-1");
  *create->mutable_event()->mutable_create()->mutable_content() = road_maintenance_content();
  auto* submit = request.add_items();  // then acts on it as if it were its own
  submit->set_line_id("JY-1");
  submit->mutable_event()->mutable_submit();
  ApiClient unit = live.as(actor::kTransportUnit);
  zbb::v1::PushEventsResponse response;
  auto context = unit.context();
  REQUIRE(unit.workflow().PushEvents(context.get(), request, &response).ok());

  REQUIRE(response.outcomes_size() == 2);
  CHECK(response.outcomes(0).code() == grpc::StatusCode::ALREADY_EXISTS);
  CHECK(response.outcomes(1).code() == grpc::StatusCode::NOT_FOUND);
  zbb::v1::BudgetLine line;
  REQUIRE(live.as(actor::kEducationUnit).get("JY-1", &line).status.ok());
  CHECK(line.state() == "draft");
  CHECK(line.version() == 1);
}

TEST_CASE("PushEvents applies a batch all-or-nothing or item by item", "[e2e][batch]") {
  LiveServer live;
  create_line(live, "JT-1");
  create_line(live, "JT-2");
  ApiClient unit = live.as(actor::kTransportUnit);
  auto batch = [](bool atomic) {
    zbb::v1::PushEventsRequest request;
    request.set_all_or_nothing(atomic);
    auto* a = request.add_items();
    a->set_line_id("JT-1");
    a->mutable_event()->mutable_submit();
    auto* b = request.add_items();
    b->set_line_id("JT-2");
    b->mutable_event()->mutable_revise()->mutable_content()->set_title("缺少其余内容");
    return request;
  };

  SECTION("all or nothing: the failing second item leaves the first untouched") {
    auto request = batch(true);
    request.set_request_id("batch-1");
    zbb::v1::PushEventsResponse response;
    auto context = unit.context();
    auto status = unit.workflow().PushEvents(context.get(), request, &response);
    CHECK(status.error_code() == grpc::INVALID_ARGUMENT);
    CHECK_THAT(status.error_message(), Catch::StartsWith("items[1].event.revise.content."));
    zbb::v1::BudgetLine line;
    REQUIRE(unit.get("JT-1", &line).status.ok());
    CHECK(line.state() == "draft");
  }
  SECTION("item by item: each its own outcome, and a retry applies nothing twice") {
    auto request = batch(false);
    request.set_request_id("batch-2");
    for (int attempt = 0; attempt < 2; ++attempt) {
      zbb::v1::PushEventsResponse response;
      auto context = unit.context();
      REQUIRE(unit.workflow().PushEvents(context.get(), request, &response).ok());
      REQUIRE(response.outcomes_size() == 2);
      CHECK(response.outcomes(0).code() == 0);
      CHECK(response.outcomes(0).state() == "justification.submitted");
      CHECK(response.outcomes(0).replayed() == (attempt == 1));
      CHECK(response.outcomes(1).code() == grpc::INVALID_ARGUMENT);
      CHECK(response.succeeded() == 1);
      CHECK(response.failed() == 1);
    }
    zbb::v1::BudgetLine line;
    REQUIRE(unit.get("JT-1", &line).status.ok());
    CHECK(line.version() == 2);
  }
}

TEST_CASE("listings page through lines, confine units to their department and form queues",
          "[e2e][query]") {
  LiveServer live;
  for (int i = 0; i < 5; ++i) create_line(live, "JT-" + std::to_string(i));
  auto school = road_maintenance_content();
  school.set_department(kEducation);
  REQUIRE(live.as(actor::kEducationUnit).create("edu-1", "JY-1", school).status.ok());
  step(live, actor::kTransportUnit, "JT-3", event_of([](auto& e) { e.mutable_submit(); }));

  auto list = [&](const std::string& who, zbb::v1::ListLinesRequest request) {
    ApiClient client = live.as(who);
    std::vector<std::string> ids;
    for (;;) {
      zbb::v1::ListLinesResponse response;
      auto context = client.context();
      REQUIRE(client.query().ListLines(context.get(), request, &response).ok());
      for (const auto& l : response.lines()) ids.push_back(l.id());
      if (response.next_page_token().empty()) return ids;
      request.set_page_token(response.next_page_token());
    }
  };
  zbb::v1::ListLinesRequest all;
  all.set_page_size(2);
  CHECK(list(kSupervisor, all) ==
        std::vector<std::string>{"JT-0", "JT-1", "JT-2", "JT-3", "JT-4", "JY-1"});
  CHECK(list(actor::kEducationUnit, all) == std::vector<std::string>{"JY-1"});
  zbb::v1::ListLinesRequest queue;
  queue.set_waiting_on_me(true);
  CHECK(list(actor::kReviewer, queue) == std::vector<std::string>{"JT-3"});
  zbb::v1::ListLinesRequest drafts;
  drafts.set_state("draft");
  drafts.set_department(kTransport);
  CHECK(list(kSupervisor, drafts).size() == 4);
}

TEST_CASE("health and reflection answer", "[e2e]") {
  LiveServer live;
  auto health = grpc::health::v1::Health::NewStub(live.server->channel());
  grpc::ClientContext health_context;
  grpc::health::v1::HealthCheckRequest check;
  grpc::health::v1::HealthCheckResponse answer;
  REQUIRE(health->Check(&health_context, check, &answer).ok());
  CHECK(answer.status() == grpc::health::v1::HealthCheckResponse::SERVING);
  for (const char* service : {"zbb.v1.Workflow", "zbb.v1.Query"}) {
    grpc::ClientContext service_context;
    check.set_service(service);
    INFO(service);
    REQUIRE(health->Check(&service_context, check, &answer).ok());
    CHECK(answer.status() == grpc::health::v1::HealthCheckResponse::SERVING);
  }
  grpc::ClientContext unknown_context;
  check.set_service("zbb.v1.NoSuchService");
  CHECK(health->Check(&unknown_context, check, &answer).error_code() == grpc::NOT_FOUND);

  auto reflection = grpc::reflection::v1alpha::ServerReflection::NewStub(live.server->channel());
  grpc::ClientContext context;
  auto stream = reflection->ServerReflectionInfo(&context);
  grpc::reflection::v1alpha::ServerReflectionRequest list;
  list.set_list_services("");
  REQUIRE(stream->Write(list));
  grpc::reflection::v1alpha::ServerReflectionResponse services;
  REQUIRE(stream->Read(&services));
  std::set<std::string> names;
  for (const auto& s : services.list_services_response().service()) names.insert(s.name());
  CHECK(names.count("zbb.v1.Workflow") == 1);
  CHECK(names.count("zbb.v1.Query") == 1);
  CHECK(names.count("grpc.health.v1.Health") == 1);

  grpc::reflection::v1alpha::ServerReflectionRequest symbol;
  symbol.set_file_containing_symbol("zbb.v1.Workflow");
  REQUIRE(stream->Write(symbol));
  grpc::reflection::v1alpha::ServerReflectionResponse file;
  REQUIRE(stream->Read(&file));
  REQUIRE(file.file_descriptor_response().file_descriptor_proto_size() >= 1);
  google::protobuf::FileDescriptorProto descriptor;
  REQUIRE(descriptor.ParseFromString(file.file_descriptor_response().file_descriptor_proto(0)));
  CHECK(descriptor.package() == "zbb.v1");
  stream->WritesDone();
  CHECK(stream->Finish().ok());
}

TEST_CASE("zbbd stops cleanly on SIGTERM", "[e2e]") {
  LiveServer live;
  create_line(live, "JT-1");
  CHECK(live.server->terminate() == 0);
  CHECK(live.server->log().find("stopped") != std::string::npos);
}

}  // namespace zbb::testing

namespace zbb::testing {

TEST_CASE("a department is ranked over gRPC and its lines funded at once", "[e2e][ranking]") {
  LiveServer live;
  const std::vector<std::pair<std::string, int>> lines = {{"JT-1", 90}, {"JT-2", 70}, {"JT-3", 80}};
  for (const auto& [id, score] : lines) {
    create_line(live, id);
    score_line(live, id, score);
  }
  zbb::v1::RankRequest request;
  request.set_request_id("rank-transport-2027");
  request.set_fiscal_year(2027);
  request.set_department(kTransport);
  request.set_envelope(2'500'000'00);  // two of the three 1,250,000.00 requests

  ApiClient unit = live.as(actor::kTransportUnit);
  zbb::v1::RankResponse refused;
  auto unit_context = unit.context();
  CHECK(unit.workflow().RankDepartment(unit_context.get(), request, &refused).error_code() ==
        grpc::PERMISSION_DENIED);

  ApiClient reviewer = live.as(actor::kRankingOffice);
  zbb::v1::RankResponse response;
  auto context = reviewer.context();
  auto status = reviewer.workflow().RankDepartment(context.get(), request, &response);
  INFO(status.error_message());
  REQUIRE(status.ok());
  CHECK(response.funded_total() == 2'500'000'00);
  REQUIRE(response.lines_size() == 3);
  CHECK(response.lines(0).line_id() == "JT-1");
  CHECK(response.lines(1).line_id() == "JT-3");
  CHECK(response.cut().line_id() == "JT-2");

  zbb::v1::BudgetLine line;
  REQUIRE(reviewer.get("JT-3", &line).status.ok());
  CHECK(line.state() == "approval.awaiting_decision");
  CHECK(line.placement().rank() == 2);
  REQUIRE(reviewer.get("JT-2", &line).status.ok());
  CHECK(line.state() == "unfunded");

  zbb::v1::RankResponse again;
  auto retry_context = reviewer.context();
  REQUIRE(reviewer.workflow().RankDepartment(retry_context.get(), request, &again).ok());
  CHECK(again.replayed());
  CHECK(again.funded_total() == response.funded_total());
}

}  // namespace zbb::testing

namespace zbb::testing {

TEST_CASE("a monitoring round runs over gRPC and by the server's own clock", "[e2e][monitoring]") {
  SECTION("by request") {
    LiveServer live;
    create_line(live, "JT-1");
    approve_line(live, "JT-1");  // nothing spent: red at the checkpoint
    zbb::v1::RunMonitoringRequest request;
    request.set_request_id("q2-2027");
    request.set_fiscal_year(2027);
    request.set_as_of("2027-06-30");
    ApiClient unit = live.as(actor::kTransportUnit);
    zbb::v1::MonitoringReport refused;
    auto unit_context = unit.context();
    CHECK(unit.workflow().RunMonitoring(unit_context.get(), request, &refused).error_code() ==
          grpc::PERMISSION_DENIED);

    ApiClient treasury = live.as(actor::kTreasury);
    zbb::v1::MonitoringReport report;
    auto context = treasury.context();
    auto status = treasury.workflow().RunMonitoring(context.get(), request, &report);
    INFO(status.error_message());
    REQUIRE(status.ok());
    REQUIRE(report.lines_size() == 1);
    CHECK(report.lines(0).result().level() == zbb::v1::WARNING_LEVEL_RED);
    REQUIRE(report.groups_size() == 1);
    CHECK(report.groups(0).department() == kTransport);
    CHECK(report.groups(0).approved() == 1'250'000'00);
    zbb::v1::BudgetLine line;
    REQUIRE(treasury.get("JT-1", &line).status.ok());
    CHECK(line.state() == "execution.red_warning");
  }
  SECTION("by the clock: zbbd runs the round once its clock is past the checkpoint date") {
    TemporaryDirectory directory;
    auto server = std::make_unique<ServerProcess>(
        directory.path(), directory.path() + "/zbb.db",
        std::vector<std::string>{"--clock-start", "2027-12-20T09:00:00Z", "--scheduler-seconds",
                                 "1"});
    ApiClient unit(server->channel(), token_of(actor::kTransportUnit));
    ApiClient supervisor(server->channel(), token_of("audit.supervisor.lin"));
    REQUIRE(unit.create("c-1", "JT-1", road_maintenance_content()).status.ok());
    // Follow the stream until the server's own checkpoint event arrives (within the deadline).
    std::vector<std::string> seen;
    zbb::v1::WatchRequest watch_request;
    auto context = supervisor.context();
    auto reader = supervisor.query().Watch(context.get(), watch_request);
    std::thread driver([&] {
      ApiClient reviewer(server->channel(), token_of(actor::kReviewer));
      ApiClient ranking(server->channel(), token_of(actor::kRankingOffice));
      unit.push("s-1", "JT-1", event_of([](auto& e) { e.mutable_submit(); }));
      reviewer.push("t-1", "JT-1", event_of([](auto& e) { e.mutable_start_target_review(); }));
      reviewer.push("a-1", "JT-1", approving_assessment());
      reviewer.push("r-1", "JT-1",
                    event_of([](auto& e) { e.mutable_review_targets()->set_accept(true); }));
      ranking.push("f-1", "JT-1",
                   event_of([](auto& e) { e.mutable_fund()->set_amount(1'250'000'00); }));
      for (const auto& [approver, level] : approval_chain())
        ApiClient(server->channel(), token_of(approver))
            .push("d-" + level, "JT-1", event_of([&](auto& e) {
                    auto* d = e.mutable_decide();
                    d->set_level(level);
                    d->set_decision(zbb::v1::DECISION_APPROVE);
                    d->set_amount(1'250'000'00);
                  }));
    });
    zbb::v1::RecordedEvent event;
    while (reader->Read(&event)) {
      seen.push_back(event.type() + "/" + event.actor());
      if (event.type() == "run_checkpoint") break;
    }
    context->TryCancel();
    driver.join();
    REQUIRE_FALSE(seen.empty());
    CHECK(seen.back() == "run_checkpoint/zbbd");
    zbb::v1::BudgetLine line;
    REQUIRE(supervisor.get("JT-1", &line).status.ok());
    CHECK(line.state() == "execution.red_warning");
  }
}

}  // namespace zbb::testing
