// The project library over gRPC and zbbctl, under the shipped policy: a line is created only
// under an admitted programme of its department; a duplicate title is refused, a near one
// flagged; the library's history is hash-chained and read back.

#include <catch2/catch.hpp>

#include "engine/recorded_event.h"
#include "tests/api_client.h"
#include "tests/county_fixture.h"
#include "tests/live_server.h"

namespace zbb::testing {
namespace {

struct ProgrammeCall {
  CallResult result;
  zbb::v1::ProgrammeResponse response;
};

ProgrammeCall act(const LiveServer& live, const std::string& principal, const std::string& code,
                  const zbb::v1::ProgrammeEvent& event, const std::string& request_id = "") {
  ApiClient client = live.as(principal);
  zbb::v1::ProgrammeRequest request;
  request.set_request_id(request_id.empty() ? next_id("programme") : request_id);
  request.set_code(code);
  *request.mutable_event() = event;
  ProgrammeCall call;
  auto context = client.context();
  call.result.status = client.workflow().ActOnProgramme(context.get(), request, &call.response);
  const auto& trailers = context->GetServerTrailingMetadata();
  if (auto field = trailers.find("zbb-field"); field != trailers.end())
    call.result.field = std::string(field->second.data(), field->second.size());
  return call;
}

}  // namespace

TEST_CASE("a unit proposes, a reviewer admits, and only then is the line created over gRPC",
          "[e2e][library]") {
  LiveServer live(args_with_library());
  ApiClient unit = live.as(actor::kTransportUnit);
  const auto road = road_maintenance_content();

  auto outside = unit.create(next_id("c"), "JT-2027", road);
  CHECK(outside.status.error_code() == grpc::INVALID_ARGUMENT);
  CHECK(outside.field == "content.programme_code");

  auto proposed = act(live, actor::kTransportUnit, "JT-ROAD-001",
                      propose_programme(kTransport, "农村公路日常养护", zbb::v1::CATEGORY_PROJECT,
                                        "全县 96 公里农村公路的日常养护"),
                      "propose-road");
  REQUIRE(proposed.result.status.ok());
  CHECK(proposed.response.status() == zbb::v1::PROGRAMME_STATUS_CANDIDATE);
  CHECK(proposed.response.version() == 1);
  // A retry is answered with the first outcome.
  auto retried = act(live, actor::kTransportUnit, "JT-ROAD-001",
                     propose_programme(kTransport, "农村公路日常养护", zbb::v1::CATEGORY_PROJECT,
                                       "全县 96 公里农村公路的日常养护"),
                     "propose-road");
  REQUIRE(retried.result.status.ok());
  CHECK(retried.response.replayed());

  auto by_unit = act(live, actor::kTransportUnit, "JT-ROAD-001", admit_programme());
  CHECK(by_unit.result.status.error_code() == grpc::PERMISSION_DENIED);
  auto bad = act(live, actor::kReviewer, "JT-ROAD-001", retire_programme(""));
  CHECK(bad.result.status.error_code() == grpc::INVALID_ARGUMENT);
  CHECK(bad.result.field == "event.retire.reason");
  REQUIRE(act(live, actor::kReviewer, "JT-ROAD-001", admit_programme("入库")).result.status.ok());
  REQUIRE(unit.create(next_id("c"), "JT-2027", road).status.ok());

  // Duplicates are refused, near titles flagged; other departments are not compared.
  auto duplicate = act(live, actor::kTransportUnit, "JT-ROAD-099",
                       propose_programme(kTransport, "农村公路 日常养护！"));
  CHECK(duplicate.result.status.error_code() == grpc::ALREADY_EXISTS);
  CHECK_THAT(duplicate.result.status.error_message(), Catch::Contains("JT-ROAD-001"));
  auto near = act(live, actor::kTransportUnit, "JT-ROAD-013",
                  propose_programme(kTransport, "农村公路日常养护工程"));
  REQUIRE(near.result.status.ok());
  REQUIRE(near.response.programme().similar_size() == 1);
  CHECK(near.response.programme().similar(0).similarity_per_mille() == 875);
  CHECK(
      act(live, actor::kEducationUnit, "JY-ROAD", propose_programme(kEducation, "农村公路日常养护"))
          .result.status.ok());

  // Read back: the programme and its chained history, and the department's listing.
  ApiClient supervisor = live.as(kSupervisor);
  zbb::v1::GetProgrammeRequest get;
  get.set_code("JT-ROAD-001");
  zbb::v1::GetProgrammeResponse got;
  auto get_context = supervisor.context();
  REQUIRE(supervisor.query().GetProgramme(get_context.get(), get, &got).ok());
  CHECK(got.programme().admitted_by() == actor::kReviewer);
  REQUIRE(got.events_size() == 2);
  CHECK(got.events(0).to_state() == "candidate");
  CHECK(got.events(1).prev_hash() == got.events(0).hash());
  CHECK_THAT(got.events(0).payload_json(), Catch::Contains("全县 96 公里"));

  zbb::v1::ListProgrammesRequest list;
  list.set_department(kTransport);
  list.set_page_size(1);
  zbb::v1::ListProgrammesResponse page;
  auto list_context = supervisor.context();
  REQUIRE(supervisor.query().ListProgrammes(list_context.get(), list, &page).ok());
  REQUIRE(page.programmes_size() == 1);
  CHECK(page.programmes(0).code() == "JT-ROAD-001");
  CHECK(page.next_page_token() == "JT-ROAD-001");

  // zbbctl shows the reviewer the flag, and retires the candidate.
  const Ctl ctl{live.server->address()};
  auto shown = ctl(actor::kReviewer, {"programme", "show", "JT-ROAD-013"});
  REQUIRE(shown.exit_code == 0);
  CHECK_THAT(shown.out, Catch::Contains("titles alike JT-ROAD-001 87.5 %"));
  auto retired = ctl(actor::kReviewer,
                     {"programme", "retire", "JT-ROAD-013", "--reason", "与 JT-ROAD-001 重复"});
  REQUIRE(retired.exit_code == 0);
  CHECK_THAT(retired.out, Catch::Contains("programme JT-ROAD-013: retired, version 2"));
  auto listed = ctl(kSupervisor, {"programme", "list", "--status", "retired"});
  REQUIRE(listed.exit_code == 0);
  CHECK_THAT(listed.out, Catch::Contains("JT-ROAD-013") && !Catch::Contains("admitted"));
}

}  // namespace zbb::testing
