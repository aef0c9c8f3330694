// The audit trail's hash chains, verified through a real zbbd after a row of its SQLite file
// was edited behind its back.

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <catch2/catch.hpp>

#include "tests/api_client.h"
#include "tests/county_fixture.h"
#include "tests/server_process.h"

namespace zbb::testing {

TEST_CASE("an edited row of the event log is found by VerifyAudit and zbbctl verify",
          "[e2e][audit]") {
  TemporaryDirectory directory;
  const std::string database = directory.path() + "/zbb.db";
  ServerProcess server(directory.path(), database);
  ApiClient unit(server.channel(), token_of(actor::kTransportUnit));
  for (const char* id : {"JT-1", "JT-2"}) {
    REQUIRE(unit.create(std::string("c-") + id, id, road_maintenance_content()).status.ok());
    REQUIRE(unit.push(std::string("s-") + id, id, event_of([](auto& e) { e.mutable_submit(); }))
                .status.ok());
  }
  ApiClient supervisor(server.channel(), token_of("audit.supervisor.lin"));
  auto verify = [&](const std::string& line_id) {
    zbb::v1::VerifyAuditRequest request;
    request.set_line_id(line_id);
    zbb::v1::VerifyAuditResponse response;
    auto context = supervisor.context();
    REQUIRE(supervisor.query().VerifyAudit(context.get(), request, &response).ok());
    return response;
  };
  const std::vector<std::string> ctl = {"--server", server.address(), "--token",
                                        token_of("audit.supervisor.lin"), "verify"};
  auto intact = verify("");
  CHECK(intact.intact());
  CHECK(intact.events_checked() == 4);
  CHECK(intact.lines_checked() == 2);
  CHECK(run_program(zbbctl_path(), ctl).exit_code == 0);

  {
    // A tamperer with the file: the append-only trigger is no obstacle to him.
    soci::session raw(soci::sqlite3, database);
    raw << "DROP TRIGGER events_append_only_update";
    // 1,250,000.00 yuan becomes 1,250,000.01 in the stored protobuf (the varint of 125000000 fen
    // and of one fen more): the payload still reads, only its hash tells.
    raw << "UPDATE events SET payload_protobuf = "
           "CAST(replace(payload_protobuf, x'C0B2CD3B', x'C1B2CD3B') AS BLOB) "
           "WHERE line_id = 'JT-2' AND line_sequence = 1";
  }

  auto tampered = verify("");
  CHECK_FALSE(tampered.intact());
  CHECK(tampered.broken_line_id() == "JT-2");
  CHECK(tampered.broken_line_sequence() == 1);
  CHECK(tampered.broken_sequence() == 3);
  CHECK_THAT(tampered.reason(), Catch::Contains("do not match its hash"));
  CHECK(verify("JT-1").intact());
  CHECK_FALSE(verify("JT-2").intact());

  auto ctl_run = run_program(zbbctl_path(), ctl);
  CHECK(ctl_run.exit_code == 1);
  CHECK_THAT(ctl_run.err, Catch::StartsWith("zbbctl: TAMPERED: event 3 (line JT-2, #1)"));

  ApiClient reviewer(server.channel(), token_of(actor::kReviewer));
  zbb::v1::VerifyAuditResponse refused;
  auto context = reviewer.context();
  CHECK(reviewer.query().VerifyAudit(context.get(), {}, &refused).error_code() ==
        grpc::PERMISSION_DENIED);
}

}  // namespace zbb::testing
