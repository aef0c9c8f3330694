// Several zbbd on one PostgreSQL database (run only against the throw-away server CTest starts):
// any server takes any command, a request id is applied once whichever servers receive it, and
// Watch, resumed on any server at any point, delivers every event once, in order.

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "adapters/sql/sql_store.h"
#include "tests/api_client.h"
#include "tests/county_fixture.h"
#include "tests/live_server.h"
#include "tests/server_process.h"
#include "tests/test_database.h"

namespace zbb::testing {
namespace {

// Idle Watch streams look at the event log every 20 ms: commits of the other servers reach a
// stream that way (a server is woken at once only by its own commits).
std::vector<std::string> shared_args() {
  std::vector<std::string> args = kServerArgs;
  for (std::size_t i = 0; i + 1 < args.size(); ++i)
    if (args[i] == "--watch-idle-ms") args[i + 1] = "20";
  return args;
}

// Three servers on one new PostgreSQL schema.
struct ThreeServers {
  ThreeServers() {
    REQUIRE(testing_postgresql());
    const std::string database = fresh_database();
    for (int i = 0; i < 3; ++i)
      servers.push_back(std::make_unique<LiveServer>(database, shared_args()));
  }
  LiveServer& operator[](std::size_t i) { return *servers[i]; }
  std::vector<std::unique_ptr<LiveServer>> servers;
};

// Up to `limit` events after `after` (waiting for them), and how the stream ended. Safe off the
// test's thread: it asserts nothing.
std::pair<std::vector<zbb::v1::RecordedEvent>, grpc::Status> watch_events(const LiveServer& live,
                                                                          std::int64_t after,
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
  return {std::move(events), reader->Finish()};
}

std::vector<zbb::v1::RecordedEvent> watch(const LiveServer& live, std::int64_t after,
                                          std::int64_t limit) {
  auto [events, finished] = watch_events(live, after, limit);
  INFO(finished.error_message());
  REQUIRE(finished.ok());
  return events;
}

zbb::v1::BudgetLine line_of(const LiveServer& live, const std::string& id) {
  zbb::v1::BudgetLine line;
  auto got = live.as(kSupervisor).get(id, &line);
  INFO(got.status.error_message());
  REQUIRE(got.status.ok());
  return line;
}

// After load on lines PREFIX-0 … PREFIX-(lines-1): `payments` payments of `amount`, each request
// id applied exactly once (one spending event), the money to match, the audit trail intact.
void require_each_payment_once(const LiveServer& live, const std::string& prefix, int lines,
                               int payments, std::int64_t amount) {
  std::map<std::string, int> events_of_request;
  std::int64_t spent = 0;
  for (int l = 0; l < lines; ++l) {
    const std::string line = fmt::format("{}-{}", prefix, l);
    zbb::v1::GetHistoryResponse history;
    REQUIRE(live.as(kSupervisor).history(line, &history).status.ok());
    for (const auto& event : history.events())
      if (event.type() == "record_spending") ++events_of_request[event.request_id()];
    spent += line_of(live, line).spent_amount();
  }
  CHECK(events_of_request.size() == static_cast<std::size_t>(payments));
  for (const auto& [request, events] : events_of_request) {
    INFO(request);
    CHECK(events == 1);
  }
  CHECK(spent == payments * amount);
  zbb::v1::VerifyAuditResponse audit;
  ApiClient supervisor = live.as(kSupervisor);
  auto context = supervisor.context();
  REQUIRE(
      supervisor.query().VerifyAudit(context.get(), zbb::v1::VerifyAuditRequest(), &audit).ok());
  CHECK(audit.intact());
}

}  // namespace

TEST_CASE("three zbbd on one PostgreSQL database each take any command on any line",
          "[postgresql][e2e]") {
  ThreeServers servers;
  create_line(servers[0], "JT-1");
  approve_line(servers[1], "JT-1");
  for (std::size_t i = 0; i < 3; ++i) step(servers[i], actor::kTreasury, "JT-1", spending(100'00));

  // Each server reads the line as the others left it: no copy held in memory is stale.
  for (std::size_t i = 0; i < 3; ++i) {
    const auto line = line_of(servers[i], "JT-1");
    CHECK(line.spent_amount() == 300'00);
    CHECK(line.state() == line_of(servers[0], "JT-1").state());
  }
  // A stale expected version is refused by whichever server gets it.
  const auto now = line_of(servers[2], "JT-1");
  zbb::v1::CommandResponse response;
  auto stale = servers[0]
                   .as(actor::kTreasury)
                   .push(next_id("stale"), "JT-1", spending(1'00), &response, now.version() - 1);
  CHECK(stale.status.error_code() == grpc::StatusCode::ABORTED);
}

TEST_CASE("one request id sent to two zbbd at once is applied once", "[postgresql][e2e]") {
  ThreeServers servers;
  create_line(servers[0], "JT-1");
  approve_line(servers[0], "JT-1");
  constexpr int kRequests = 20;
  constexpr std::int64_t kAmount = 10'00;
  std::vector<std::string> failures(2 * kRequests);
  std::vector<zbb::v1::CommandResponse> responses(2 * kRequests);
  std::vector<std::thread> senders;
  for (int i = 0; i < kRequests; ++i) {
    // The same payment, under one request id, to two different servers at the same moment.
    const auto event = spending(kAmount);
    for (int copy = 0; copy < 2; ++copy) {
      senders.emplace_back([&, i, copy, event] {
        const std::size_t slot = static_cast<std::size_t>(2 * i + copy);
        LiveServer& server = servers[static_cast<std::size_t>((i + copy) % 3)];
        auto sent = server.as(actor::kTreasury)
                        .push(fmt::format("pay-twice-{}", i), "JT-1", event, &responses[slot]);
        if (!sent.status.ok()) failures[slot] = sent.status.error_message();
      });
    }
  }
  for (auto& sender : senders) sender.join();
  std::erase(failures, "");
  INFO(fmt::format("{}", fmt::join(failures, "\n")));
  CHECK(failures.empty());
  // Both copies of a request got the one outcome it had: one applied it, the other was
  // answered as a replay of it.
  for (int i = 0; i < kRequests; ++i) {
    const auto& first = responses[static_cast<std::size_t>(2 * i)];
    const auto& second = responses[static_cast<std::size_t>(2 * i + 1)];
    CHECK(first.version() == second.version());
    CHECK(first.sequence() == second.sequence());
    CHECK(first.replayed() != second.replayed());
  }
  CHECK(line_of(servers[2], "JT-1").spent_amount() == kRequests * kAmount);
  zbb::v1::GetHistoryResponse history;
  REQUIRE(servers[1].as(kSupervisor).history("JT-1", &history).status.ok());
  CHECK(std::count_if(history.events().begin(), history.events().end(),
                      [](const auto& e) { return e.type() == "record_spending"; }) == kRequests);
}

TEST_CASE("Watch resumed on any of three writing zbbd at random points misses and repeats nothing",
          "[postgresql][e2e][watch]") {
  ThreeServers servers;
  constexpr int kLinesPerWriter = 8;
  constexpr int kPaymentsPerLine = 3;
  std::int64_t start = 0;  // the last sequence before the writers start
  for (std::size_t w = 0; w < 3; ++w)
    for (int l = 0; l < kLinesPerWriter; ++l) {
      const std::string id = fmt::format("W{}-{}", w, l);
      create_line(servers[w], id);
      start = approve_line(servers[w], id).sequence();
    }
  constexpr int kNewEvents = 3 * kLinesPerWriter * kPaymentsPerLine;

  // Three writers, one per server, pay at once; three watchers follow from `start`, each
  // taking a random number of events from a random server, then resuming elsewhere.
  std::vector<std::thread> threads;
  std::vector<std::vector<zbb::v1::RecordedEvent>> seen(3);
  std::vector<std::string> ended(3);  // how a watcher's stream failed, if one did
  for (std::size_t w = 0; w < 3; ++w)
    threads.emplace_back([&, w] {
      for (int p = 0; p < kPaymentsPerLine; ++p)
        for (int l = 0; l < kLinesPerWriter; ++l)
          servers[w]
              .as(actor::kTreasury)
              .push(next_id("pay"), fmt::format("W{}-{}", w, l), spending(1'00));
    });
  for (std::size_t v = 0; v < 3; ++v)
    threads.emplace_back([&, v] {
      std::mt19937 random(static_cast<unsigned>(v) * 7919u + 17u);
      std::int64_t after = start;
      while (seen[v].size() < static_cast<std::size_t>(kNewEvents)) {
        const std::int64_t left = kNewEvents - static_cast<std::int64_t>(seen[v].size());
        const std::int64_t take = std::min<std::int64_t>(left, 1 + random() % 9);
        auto [events, finished] = watch_events(servers[random() % 3], after, take);
        if (!finished.ok()) {
          // A watcher that skipped an event waits for one that never comes: the deadline.
          ended[v] = finished.error_message();
          break;
        }
        if (events.empty()) {
          ended[v] = "a stream ended with none of its events";
          break;
        }
        seen[v].insert(seen[v].end(), events.begin(), events.end());
        after = events.back().sequence();
      }
    });
  for (auto& thread : threads) thread.join();

  // What every watcher saw is exactly the log as it stands now after `start`, in its order.
  const auto log = watch(servers[1], start, kNewEvents);
  REQUIRE(log.size() == static_cast<std::size_t>(kNewEvents));
  for (std::size_t v = 0; v < 3; ++v) {
    INFO("watcher " << v << " " << ended[v]);
    CHECK(ended[v].empty());
    REQUIRE(seen[v].size() == log.size());
    for (std::size_t i = 0; i < log.size(); ++i) {
      CHECK(seen[v][i].sequence() == log[i].sequence());
      CHECK(seen[v][i].hash() == log[i].hash());
    }
  }
}

namespace {

// The servers' clock for the timer test: lines created 40 days before it are 10 days past their
// 30-day draft SLA; lines created 30 days less kLateBy before it fall due kLateBy after it.
const std::string kThreeStart = "2027-03-01T09:00:00Z";
const std::string kFortyDaysBefore = "2027-01-20T09:00:00Z";
const std::string kDueSoonAfter = "2027-01-30T09:00:08Z";  // 30 days before, and 8 seconds
constexpr std::size_t kOverdue = 4;
constexpr std::size_t kDueSoon = 3;

// Drafts created by a server alone on `database` at clock `start`, which then stops.
void create_drafts(const std::string& database, const std::string& start, const std::string& prefix,
                   std::size_t count) {
  LiveServer creator(
      database, {"--clock-start", start, "--escalation-seconds", "0", "--scheduler-seconds", "0"});
  for (std::size_t i = 0; i < count; ++i) create_line(creator, fmt::format("{}-{}", prefix, i));
  REQUIRE(creator.server->terminate() == 0);
}

std::size_t escalations_of(const LiveServer& live, const std::string& line) {
  zbb::v1::GetHistoryResponse history;
  REQUIRE(live.as(kSupervisor).history(line, &history).status.ok());
  return static_cast<std::size_t>(
      std::count_if(history.events().begin(), history.events().end(),
                    [](const auto& e) { return e.type() == "sla_breached"; }));
}

}  // namespace

TEST_CASE("one of three zbbd runs the SLA timer — killed, another takes over and escalates once",
          "[postgresql][e2e][escalation]") {
  REQUIRE(testing_postgresql());
  const std::string database = fresh_database();
  create_drafts(database, kFortyDaysBefore, "LATE", kOverdue);
  create_drafts(database, kDueSoonAfter, "SOON", kDueSoon);

  std::vector<std::unique_ptr<LiveServer>> servers;
  for (int i = 0; i < 3; ++i)
    servers.push_back(std::make_unique<LiveServer>(
        database, std::vector<std::string>{"--clock-start", kThreeStart, "--escalation-seconds",
                                           "1", "--watch-idle-ms", "20"}));
  zbb::v1::GetHistoryResponse last_created;
  REQUIRE(servers[0]
              ->as(kSupervisor)
              .history(fmt::format("SOON-{}", kDueSoon - 1), &last_created)
              .status.ok());
  const std::int64_t created = last_created.events().rbegin()->sequence();
  // The overdue drafts are escalated at once, by whichever server leads.
  const auto overdue = watch(*servers[1], created, static_cast<std::int64_t>(kOverdue));
  REQUIRE(overdue.size() == kOverdue);

  // The leader is the one server that says so; the others never ran a round.
  std::size_t leader = servers.size();
  for (std::size_t i = 0; i < servers.size(); ++i)
    if (servers[i]->server->log().find("now runs the timers") != std::string::npos) {
      CHECK(leader == servers.size());
      leader = i;
    }
  REQUIRE(leader < servers.size());
  servers[leader]->server->kill();
  const std::size_t survivor = (leader + 1) % servers.size();

  // The drafts falling due after the kill are escalated by a server that took over.
  const auto soon =
      watch(*servers[survivor], overdue.back().sequence(), static_cast<std::int64_t>(kDueSoon));
  REQUIRE(soon.size() == kDueSoon);
  std::size_t leaders_after = 0;
  for (std::size_t i = 0; i < servers.size(); ++i)
    if (i != leader && servers[i]->server->log().find("now runs the timers") != std::string::npos)
      ++leaders_after;
  CHECK(leaders_after == 1);

  // Each line escalated exactly once, whoever did it.
  for (std::size_t i = 0; i < kOverdue; ++i)
    CHECK(escalations_of(*servers[survivor], fmt::format("LATE-{}", i)) == 1);
  for (std::size_t i = 0; i < kDueSoon; ++i)
    CHECK(escalations_of(*servers[survivor], fmt::format("SOON-{}", i)) == 1);
}

TEST_CASE(
    "SIGKILL of one of three zbbd under load loses nothing acknowledged, applies nothing twice",
    "[postgresql][e2e][kill]") {
  ThreeServers servers;
  constexpr int kLines = 6;
  constexpr int kClients = 3;
  constexpr int kBefore = 40;  // payments acknowledged before the kill
  constexpr int kAfter = 12;   // payments each client makes after it
  constexpr std::int64_t kAmount = 1'00;
  for (int l = 0; l < kLines; ++l) {
    create_line(servers[static_cast<std::size_t>(l % 3)], fmt::format("K-{}", l));
    approve_line(servers[static_cast<std::size_t>(l % 3)], fmt::format("K-{}", l));
  }

  // Each client pays on its lines through the servers in turn; a call that fails (the server
  // killed under it: its outcome unknown) is sent again, under its request id, to the next one.
  std::atomic<int> acknowledged{0};
  std::atomic<int> sent_again{0};  // calls that failed and went to the next server
  std::atomic<bool> killed{false};
  std::vector<std::string> lost(kClients);
  std::vector<int> made(kClients, 0);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c)
    clients.emplace_back([&, c] {
      std::size_t server = static_cast<std::size_t>(c);
      int after_kill = 0;
      for (int p = 0; after_kill < kAfter; ++p) {
        if (killed) ++after_kill;
        ++made[static_cast<std::size_t>(c)];
        const std::string request = fmt::format("kill-{}-{}", c, p);
        const std::string line = fmt::format("K-{}", (c + p * kClients) % kLines);
        const auto payment = spending(kAmount);
        bool done = false;
        for (int attempt = 0; attempt < 6 && !done; ++attempt) {
          const auto paid = servers[server % 3].as(actor::kTreasury).push(request, line, payment);
          done = paid.status.ok();
          if (!done) {
            ++sent_again;
            server = (server + 1) % 3;
          }
        }
        if (!done) {
          lost[static_cast<std::size_t>(c)] += request + " ";
          continue;
        }
        ++acknowledged;
        server = (server + 1) % 3;
      }
    });
  // Killed with calls in flight; the clients go on after it.
  while (acknowledged < kBefore) std::this_thread::yield();
  servers[0].server->kill();
  killed = true;
  for (auto& client : clients) client.join();
  const int payments = made[0] + made[1] + made[2];

  // The clients kept calling the dead server in their turn, and went on to the next.
  CHECK(sent_again > 0);
  for (const std::string& requests : lost) CHECK(requests.empty());
  CHECK(acknowledged == payments);
  // Every request applied exactly once: one payment event per request id, the money to match.
  require_each_payment_once(servers[1], "K", kLines, payments, kAmount);
}

namespace {

// A PostgreSQL server of a test's own, under the temp directory (as root, the server runs as
// `postgres`, which must reach it), stopped and removed at the end.
struct OwnServer {
  explicit OwnServer(const std::string& name)
      : dir((std::filesystem::temp_directory_path() /
             fmt::format("zbb-test-{}-{}", name, ::getpid()))
                .string()) {}
  ~OwnServer() {
    run_program("/bin/bash",
                {std::string(ZBB_SOURCE_DIR) + "/scripts/postgres-server.sh", "stop", dir});
  }
  OwnServer(const OwnServer&) = delete;
  OwnServer& operator=(const OwnServer&) = delete;

  // postgres-server.sh COMMAND DIR …: its first line of output; REQUIREs success.
  std::string run(std::vector<std::string> args) const {
    args.insert(args.begin(), std::string(ZBB_SOURCE_DIR) + "/scripts/postgres-server.sh");
    const auto ran = run_program("/bin/bash", args);
    INFO(ran.err);
    REQUIRE(ran.exit_code == 0);
    return ran.out.substr(0, ran.out.find('\n'));
  }

  std::string dir;
};

}  // namespace

TEST_CASE(
    "the primary dies under load and its synchronous standby is promoted — zbbd goes on, "
    "nothing acknowledged lost, nothing applied twice",
    "[postgresql][e2e][failover]") {
  OwnServer primary("primary");
  OwnServer standby("standby");
  primary.run({"start", primary.dir});
  // Both hosts, the one taking writes chosen at each connection.
  const std::string database = standby.run({"standby", standby.dir, primary.dir});
  LiveServer live(database, kServerArgs);
  constexpr int kLines = 3;
  constexpr int kClients = 2;
  constexpr int kBefore = 10;  // payments acknowledged before the primary is killed
  constexpr int kAfter = 10;   // payments each client makes once the standby is promoted
  constexpr std::int64_t kAmount = 1'00;
  for (int l = 0; l < kLines; ++l) {
    create_line(live, fmt::format("F-{}", l));
    approve_line(live, fmt::format("F-{}", l));
  }

  // The clients pay all along, from before the primary dies until after the standby took over;
  // each payment is sent until it is acknowledged, always under its request id: while the
  // primary is gone and the standby not yet promoted, zbbd answers UNAVAILABLE.
  std::atomic<int> acknowledged{0};
  std::atomic<int> unavailable{0};  // calls answered UNAVAILABLE while no server took writes
  std::atomic<bool> promoted{false};
  std::vector<std::string> unacknowledged(kClients);
  std::vector<int> made(kClients, 0);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c)
    clients.emplace_back([&, c] {
      ApiClient treasury = live.as(actor::kTreasury);
      int after_promotion = 0;
      for (int p = 0; after_promotion < kAfter; ++p) {
        if (promoted) ++after_promotion;
        ++made[static_cast<std::size_t>(c)];
        const std::string request = fmt::format("failover-{}-{}", c, p);
        const auto payment = spending(kAmount);
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        bool done = false;
        while (!done && std::chrono::steady_clock::now() < give_up) {
          const auto paid = treasury.push(request, fmt::format("F-{}", (c + p) % kLines), payment);
          done = paid.status.ok();
          if (paid.status.error_code() == grpc::StatusCode::UNAVAILABLE) ++unavailable;
          if (!done) std::this_thread::yield();
        }
        if (done)
          ++acknowledged;
        else
          unacknowledged[static_cast<std::size_t>(c)] += request + " ";
      }
    });
  while (acknowledged < kBefore) std::this_thread::yield();
  primary.run({"crash", primary.dir});
  standby.run({"promote", standby.dir});
  promoted = true;
  for (auto& client : clients) client.join();
  const int payments = made[0] + made[1];

  for (const std::string& requests : unacknowledged) CHECK(requests.empty());
  CHECK(unavailable > 0);  // the load did meet the failover
  // Everything acknowledged is on the promoted server, once.
  require_each_payment_once(live, "F", kLines, payments, kAmount);
}

TEST_CASE("zbbctl copy-database moves a county from SQLite to PostgreSQL, its audit trail intact",
          "[postgresql][e2e][copy]") {
  LiveServer on_sqlite;
  create_line(on_sqlite, "JT-1");
  approve_line(on_sqlite, "JT-1");
  step(on_sqlite, actor::kTreasury, "JT-1", spending(500'00));
  create_line(on_sqlite, "JT-2");
  zbb::v1::GetHistoryResponse before;
  REQUIRE(on_sqlite.as(kSupervisor).history("JT-1", &before).status.ok());
  const auto line_before = line_of(on_sqlite, "JT-1");
  REQUIRE(on_sqlite.server->terminate() == 0);

  const std::string database = fresh_database();
  const auto copied = run_program(
      zbbctl_path(), {"copy-database", "--from", on_sqlite.database, "--to", database, "--json"});
  INFO(copied.err);
  REQUIRE(copied.exit_code == 0);
  CHECK_THAT(copied.out, Catch::Contains("\"lines\":2"));

  LiveServer on_postgresql(database, kServerArgs);
  // Every chain recomputes; the line and its history are as they were, sequences and hashes too.
  zbb::v1::VerifyAuditResponse audit;
  {
    ApiClient supervisor = on_postgresql.as(kSupervisor);
    auto context = supervisor.context();
    REQUIRE(
        supervisor.query().VerifyAudit(context.get(), zbb::v1::VerifyAuditRequest(), &audit).ok());
  }
  CHECK(audit.intact());
  CHECK(audit.lines_checked() == 2);
  zbb::v1::GetHistoryResponse after;
  REQUIRE(on_postgresql.as(kSupervisor).history("JT-1", &after).status.ok());
  REQUIRE(after.events_size() == before.events_size());
  for (int i = 0; i < before.events_size(); ++i) {
    CHECK(after.events(i).sequence() == before.events(i).sequence());
    CHECK(after.events(i).hash() == before.events(i).hash());
  }
  const auto line_after = line_of(on_postgresql, "JT-1");
  CHECK(line_after.version() == line_before.version());
  CHECK(line_after.spent_amount() == 500'00);
  // The county goes on there: the next event numbers after the last one copied.
  const auto paid = step(on_postgresql, actor::kTreasury, "JT-1", spending(1'00));
  CHECK(paid.sequence() > before.events(before.events_size() - 1).sequence());

  // A database that holds a county already is never copied into.
  const auto again =
      run_program(zbbctl_path(), {"copy-database", "--from", on_sqlite.database, "--to", database});
  CHECK(again.exit_code == 1);
  CHECK_THAT(again.err, Catch::Contains("FAILED_PRECONDITION"));
}

TEST_CASE("zbbd rides out a restart of its PostgreSQL server — a retry under the request id lands",
          "[postgresql][e2e][reconnect]") {
  // A server of its own, restarted by the test (the shared one serves the other tests).
  OwnServer own("reconnect");
  const std::string database = own.run({"start", own.dir});

  LiveServer live(database, kServerArgs);
  create_line(live, "JT-1");
  approve_line(live, "JT-1");
  own.run({"restart", own.dir});

  // A call after the restart may find a connection gone (UNAVAILABLE) — zbbd has two, its reads'
  // and its writes, each opened again once found cut; sent again under its request id the
  // payment is applied, once.
  ApiClient treasury = live.as(actor::kTreasury);
  const auto payment = spending(100'00);
  CallResult paid;
  for (int attempt = 0; attempt < 3; ++attempt) {
    paid = treasury.push("pay-after-restart", "JT-1", payment);
    if (paid.status.error_code() != grpc::StatusCode::UNAVAILABLE) break;
  }
  INFO(paid.status.error_message());
  REQUIRE(paid.status.ok());
  CHECK(line_of(live, "JT-1").spent_amount() == 100'00);
  zbb::v1::BudgetLine line;
  REQUIRE(live.as(kSupervisor).get("JT-1", &line).status.ok());
}

TEST_CASE("a password in zbbd's database setting never reaches its log", "[postgresql][e2e]") {
  const std::string secret = "s3cret-never-logged";
  CHECK(sql::SqlStore::printable("host=db1 dbname=zbb password=" + secret + " user=zbb") ==
        "host=db1 dbname=zbb password=… user=zbb");
  CHECK(sql::SqlStore::printable("host=db1 password='" + secret + " x' user=zbb") ==
        "host=db1 password=… user=zbb");
  // The test server trusts its loopback clients: the password is sent and not needed.
  std::string database = fresh_database();
  const auto at = database.find('@');
  REQUIRE(at != std::string::npos);
  database.insert(at, ":" + secret);
  LiveServer live(database, kServerArgs);
  create_line(live, "JT-1");
  CHECK(live.server->terminate() == 0);
  const std::string log = live.server->log();
  CHECK_THAT(log, Catch::Contains("database postgresql://zbb:…@"));
  CHECK_THAT(log, !Catch::Contains(secret));
}

}  // namespace zbb::testing
