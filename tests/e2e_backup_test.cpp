// zbbctl backup: a consistent copy of the SQLite database a running zbbd keeps writing.

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "adapters/sql/sql_store.h"
#include "tests/api_client.h"
#include "tests/county_fixture.h"
#include "tests/live_server.h"
#include "tests/server_process.h"

namespace zbb::testing {
namespace {

zbb::v1::VerifyAuditResponse verify_audit(const std::string& address) {
  ApiClient supervisor(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()),
                       token_of(kSupervisor));
  zbb::v1::VerifyAuditResponse response;
  auto context = supervisor.context();
  const grpc::Status verified =
      supervisor.query().VerifyAudit(context.get(), zbb::v1::VerifyAuditRequest(), &response);
  INFO(verified.error_message());
  REQUIRE(verified.ok());
  return response;
}

}  // namespace

TEST_CASE("zbbctl backup copies a database zbbd keeps writing, consistent and verifiable",
          "[e2e][backup]") {
  LiveServer live;
  create_line(live, "JT-1");
  approve_line(live, "JT-1");

  // A treasury paying all along, through the server, while three backups are taken.
  std::atomic<bool> paying{true};
  std::atomic<int> paid{0};
  std::thread treasury([&] {
    ApiClient client = live.as(actor::kTreasury);
    while (paying) {
      if (client.push(next_id("pay"), "JT-1", spending(1'00)).status.ok()) ++paid;
    }
  });
  std::vector<std::string> copies;
  std::vector<ProgramRun> runs;
  for (int i = 0; i < 3; ++i) {
    // Each backup starts once more payments have landed than before it.
    const int before = paid.load();
    while (paid.load() < before + 5) std::this_thread::yield();
    copies.push_back(live.directory.path() + fmt::format("/backup-{}.db", i));
    runs.push_back(
        run_program(zbbctl_path(), {"backup", "--database", live.database, copies.back()}));
  }
  paying = false;
  treasury.join();
  for (const ProgramRun& run : runs) {
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    CHECK_THAT(run.out, Catch::StartsWith("backed up "));
  }

  // Each copy is the log as one commit left it: a prefix of the live log, with the lines as
  // those events left them; a zbbd on it finds every chain intact.
  auto live_store = sql::SqlStore::open(live.database);
  REQUIRE(live_store.ok());
  const auto log = (*live_store)->events_after(0, 1'000'000);
  REQUIRE(log.ok());
  std::size_t previous = 0;
  for (const std::string& copy : copies) {
    INFO(copy);
    std::size_t events = 0;
    {
      auto store = sql::SqlStore::open(copy);
      REQUIRE(store.ok());
      const auto copied = (*store)->events_after(0, 1'000'000);
      REQUIRE(copied.ok());
      events = copied->size();
      REQUIRE(events <= log->size());
      CHECK(std::equal(copied->begin(), copied->end(), log->begin()));
      const auto line = (*store)->load_line("JT-1");
      REQUIRE(line.ok());
      CHECK(line->last_hash == copied->back().hash);
    }
    CHECK(events > previous);  // taken later, under more payments
    previous = events;
    TemporaryDirectory directory;
    ServerProcess server(directory.path(), copy, kServerArgs);
    const auto audit = verify_audit(server.address());
    CHECK(audit.intact());
    CHECK(audit.events_checked() == static_cast<std::int64_t>(events));
  }

  // A backup never overwrites a file, and says so.
  const auto again = run_program(zbbctl_path(), {"backup", "--database", live.database, copies[0]});
  CHECK(again.exit_code == 1);
  CHECK_THAT(again.err, Catch::Contains("ALREADY_EXISTS"));
}

}  // namespace zbb::testing
