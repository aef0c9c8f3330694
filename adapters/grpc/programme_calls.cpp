// The project library's calls: ActOnProgramme of zbb.v1.Workflow, GetProgramme and
// ListProgrammes of zbb.v1.Query.

#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include "adapters/grpc/caller.h"
#include "adapters/grpc/grpc_status.h"
#include "adapters/grpc/proto_convert.h"
#include "adapters/grpc/query_service.h"
#include "adapters/grpc/request_log.h"
#include "adapters/grpc/request_text.h"
#include "adapters/grpc/workflow_service.h"
#include "engine/programme.h"

namespace zbb::api {
namespace {

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 500;

// A programme's event as Query answers it: a line's event form, its payload a
// ProgrammeEventPayload (and its JSON).
void programme_event_to_proto(const RecordedEvent& event, zbb::v1::RecordedEvent* out) {
  to_proto(event, out);
  zbb::v1::ProgrammeEventPayload payload;
  std::string json = "{}";
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  if (payload.ParseFromString(event.payload))
    (void)google::protobuf::util::MessageToJsonString(payload, &json, options);
  out->set_payload_json(json);
}

}  // namespace

grpc::Status WorkflowService::ActOnProgramme(grpc::ServerContext* context,
                                             const zbb::v1::ProgrammeRequest* request,
                                             zbb::v1::ProgrammeResponse* response) {
  RequestLog log("ActOnProgramme");
  log.set_request(request->request_id(), request->code());
  auto caller = authenticate_caller(*context, tokens_);
  if (!caller.ok()) return log.finish(to_grpc(caller.status(), context));
  log.set_principal(caller->name);
  if (Status text = check_request_text(*request); !text.ok())
    return log.finish(to_grpc(text, context));
  ProgrammeCommand command{.request_id = request->request_id(),
                           .principal = *caller,
                           .code = request->code(),
                           .expected_version = std::nullopt,
                           .event = request->event()};
  if (request->has_expected_version()) command.expected_version = request->expected_version();
  command.event.DiscardUnknownFields();
  auto done = engine_.execute_programme(command);
  if (!done.ok()) return log.finish(to_grpc(done.status(), context));
  const CommandOutcome& outcome = done->outcome;
  if (!outcome.items.empty()) response->set_version(outcome.items.front().version);
  // The status the command left it in, as its version; the programme as it is now on a replay.
  for (auto status : {zbb::v1::PROGRAMME_STATUS_CANDIDATE, zbb::v1::PROGRAMME_STATUS_ADMITTED,
                      zbb::v1::PROGRAMME_STATUS_RETIRED})
    if (!outcome.items.empty() && status_name(status) == outcome.items.front().state)
      response->set_status(status);
  *response->mutable_programme() = std::move(done->programme);
  response->set_sequence(outcome.last_sequence);
  response->set_replayed(outcome.replayed);
  return log.finish(grpc::Status::OK);
}

grpc::Status QueryService::GetProgramme(grpc::ServerContext* context,
                                        const zbb::v1::GetProgrammeRequest* request,
                                        zbb::v1::GetProgrammeResponse* response) {
  RequestLog log("GetProgramme");
  log.set_request("", request->code());
  auto caller = authenticate_caller(*context, tokens_);
  if (!caller.ok()) return log.finish(to_grpc(caller.status(), context));
  log.set_principal(caller->name);
  if (Status text = check_request_text(*request); !text.ok())
    return log.finish(to_grpc(text, context));
  auto stored = store_.load_programme(request->code());
  if (!stored.ok()) return log.finish(to_grpc(stored.status(), context));
  auto events = store_.programme_history(request->code());
  if (!events.ok()) return log.finish(to_grpc(events.status(), context));
  *response->mutable_programme() = *stored->programme;
  for (const RecordedEvent& event : *events)
    programme_event_to_proto(event, response->add_events());
  return log.finish(grpc::Status::OK);
}

grpc::Status QueryService::ListProgrammes(grpc::ServerContext* context,
                                          const zbb::v1::ListProgrammesRequest* request,
                                          zbb::v1::ListProgrammesResponse* response) {
  RequestLog log("ListProgrammes");
  auto caller = authenticate_caller(*context, tokens_);
  if (!caller.ok()) return log.finish(to_grpc(caller.status(), context));
  log.set_principal(caller->name);
  if (Status text = check_request_text(*request); !text.ok())
    return log.finish(to_grpc(text, context));
  const int page_size = request->page_size() == 0 ? kDefaultPageSize : request->page_size();
  if (page_size < 1 || page_size > kMaxPageSize)
    return log.finish(
        to_grpc(Status::InvalidArgument("page_size", fmt::format("must be 1 to {}", kMaxPageSize)),
                context));
  if (!zbb::v1::ProgrammeStatus_IsValid(request->status()))
    return log.finish(
        to_grpc(Status::InvalidArgument("status", "is not a ProgrammeStatus"), context));
  // One more than a page tells whether another page follows.
  auto programmes =
      store_.list_programmes({.department = request->department(), .status = request->status()},
                             request->page_token(), static_cast<std::size_t>(page_size) + 1);
  if (!programmes.ok()) return log.finish(to_grpc(programmes.status(), context));
  const bool more = programmes->size() > static_cast<std::size_t>(page_size);
  if (more) programmes->resize(static_cast<std::size_t>(page_size));
  for (Programme& programme : *programmes) *response->add_programmes() = std::move(programme);
  if (more) response->set_next_page_token(response->programmes().rbegin()->code());
  return log.finish(grpc::Status::OK);
}

}  // namespace zbb::api
