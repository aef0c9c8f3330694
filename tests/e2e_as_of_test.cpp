// Reads as of a time end to end: a line and the summary as they stood before later commands,
// over gRPC and with zbbctl (show --as-of, summary --as-of), zbbd's clock moved forward by
// starting it again over the same database, never by sleeping.

#include <google/protobuf/util/time_util.h>

#include <catch2/catch.hpp>

#include "tests/live_server.h"

namespace zbb::testing {
namespace {

namespace v1 = zbb::v1;
using google::protobuf::util::TimeUtil;

grpc::Status get_line_as_of(const LiveServer& live, const std::string& principal,
                            const std::string& line, const std::string& as_of,
                            v1::GetLineResponse* response) {
  ApiClient client = live.as(principal);
  auto context = client.context();
  v1::GetLineRequest request;
  request.set_line_id(line);
  if (!as_of.empty()) REQUIRE(TimeUtil::FromString(as_of, request.mutable_as_of()));
  return client.query().GetLine(context.get(), request, response);
}

}  // namespace

TEST_CASE("a line and the summary read as they stood at a time, over gRPC and zbbctl",
          "[e2e][as_of]") {
  LiveServer live;  // its clock from 2028-01-20T09:00:00Z
  create_line(live, "JT-1");
  create_line(live, "JT-2");
  // A day later, JT-1 is submitted.
  live.restart_at("2028-01-21T09:00:00Z");
  v1::LineEvent submit;
  submit.mutable_submit();
  const auto submitted = step(live, actor::kTransportUnit, "JT-1", submit);
  REQUIRE(submitted.version() == 2);

  v1::GetLineResponse then;
  REQUIRE(get_line_as_of(live, kSupervisor, "JT-1", "2028-01-20T12:00:00Z", &then).ok());
  CHECK(then.line().version() == 1);
  CHECK(then.line().state() == "draft");
  v1::GetLineResponse now;
  REQUIRE(get_line_as_of(live, kSupervisor, "JT-1", "", &now).ok());
  CHECK(now.line().version() == 2);

  SECTION(
      "before the line existed: NOT_FOUND; after now: INVALID_ARGUMENT; another "
      "department's line: NOT_FOUND") {
    auto before = get_line_as_of(live, kSupervisor, "JT-1", "2028-01-19T09:00:00Z", &then);
    CHECK(before.error_code() == grpc::StatusCode::NOT_FOUND);
    CHECK_THAT(before.error_message(), Catch::Contains("did not exist yet"));
    auto future = get_line_as_of(live, kSupervisor, "JT-1", "2030-01-01T00:00:00Z", &then);
    CHECK(future.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK_THAT(future.error_message(), Catch::StartsWith("as_of: is after now"));
    auto other = get_line_as_of(live, actor::kEducationUnit, "JT-1", "2028-01-20T12:00:00Z", &then);
    CHECK(other.error_code() == grpc::StatusCode::NOT_FOUND);
  }

  SECTION("zbbctl show --as-of prints the line and its history as they were") {
    const Ctl ctl{live.server->address()};
    auto shown = ctl(kSupervisor, {"show", "JT-1", "--as-of", "2028-01-20T12:00:00Z"});
    INFO(shown.err);
    REQUIRE(shown.exit_code == 0);
    CHECK_THAT(shown.out, Catch::Contains("as it stood at 2028-01-20T12:00:00Z (version 1)"));
    CHECK_THAT(shown.out, !Catch::Contains("→ justification.submitted"));
    auto json = ctl(kSupervisor, {"--json", "show", "JT-1", "--as-of", "2028-01-20"});
    CHECK(json.exit_code == 1);  // midnight: before the line
    CHECK_THAT(json.err, Catch::StartsWith("zbbctl: NOT_FOUND: line JT-1 did not exist yet"));
    auto bad = ctl(kSupervisor, {"show", "JT-1", "--as-of", "yesterday"});
    CHECK(bad.exit_code == 2);
  }

  SECTION("the summary as of a time counts each line at its version then") {
    ApiClient client = live.as(kSupervisor);
    auto context = client.context();
    v1::SummarizeRequest request;
    request.set_group_by(v1::SUMMARY_GROUPING_STATE);
    REQUIRE(TimeUtil::FromString("2028-01-20T12:00:00Z", request.mutable_as_of()));
    v1::SummarizeResponse summary;
    REQUIRE(client.query().Summarize(context.get(), request, &summary).ok());
    REQUIRE(summary.groups_size() == 1);
    CHECK(summary.groups(0).key() == "draft");
    CHECK(summary.groups(0).lines() == 2);
    CHECK(TimeUtil::ToString(summary.as_of()) == "2028-01-20T12:00:00Z");
    // Three hours in draft then, less the moments the requests took: the wait is measured to
    // the time asked about.
    const auto waited = summary.groups(0).oldest().waiting().seconds();
    CHECK(waited > 3 * 3600 - 60);
    CHECK(waited <= 3 * 3600);

    const Ctl ctl{live.server->address()};
    auto now_table = ctl(kSupervisor, {"summary", "--by", "state"});
    CHECK_THAT(now_table.out, Catch::Contains("justification.submitted"));
    auto then_table =
        ctl(kSupervisor, {"summary", "--by", "state", "--as-of", "2028-01-20T12:00:00Z"});
    INFO(then_table.err);
    CHECK(then_table.exit_code == 0);
    CHECK_THAT(then_table.out, !Catch::Contains("justification.submitted"));
    CHECK_THAT(then_table.out, Catch::Contains("as of 2028-01-20"));
  }
}

}  // namespace zbb::testing
