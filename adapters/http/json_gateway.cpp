#include "adapters/http/json_gateway.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/client_context.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <vector>

#include "adapters/grpc/grpc_status.h"
#include "adapters/grpc/request_log.h"
#include "adapters/http/http_status.h"
#include "wire/json_mapping.h"
#include "wire/status_code_name.h"

namespace zbb::http {
namespace {

using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

// The longest a call waits for its answer: a command is durable well within it (the group
// commit's fsync takes milliseconds); past it the client hears DEADLINE_EXCEEDED, and the
// command, if it still commits, is found again by its request id.
constexpr std::chrono::seconds kCallDeadline{60};

// A request refused before it reaches the services, which would have logged it: logged here.
HttpAnswer refused(grpc::StatusCode code, const std::string& message) {
  // The message may quote the request: one line, and short.
  std::string logged = api::cut_message(message, 300);
  for (char& c : logged)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  spdlog::warn("HTTP call refused before the services → {} {}", wire::status_code_name(code),
               logged);
  return {http_status_of(code), error_body(grpc::Status(code, message))};
}

// The services served in JSON: zbb's own, not Health or reflection.
bool served(std::string_view service) {
  return service == "zbb.v1.Query" || service == "zbb.v1.Workflow";
}

std::string bytes_of(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (!buffer.Dump(&slices).ok()) return bytes;
  for (const auto& slice : slices)
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  return bytes;
}

std::string method_name(std::string_view service, std::string_view method) {
  return std::string(service) + "/" + std::string(method);
}

}  // namespace

JsonGateway::JsonGateway(std::shared_ptr<grpc::Channel> channel)
    : channel_(std::move(channel)), stub_(channel_) {}

HttpAnswer JsonGateway::call(std::string_view service, std::string_view method,
                             std::string_view json, std::string_view authorization) const {
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  const auto* found_service =
      served(service) ? pool->FindServiceByName(std::string(service)) : nullptr;
  const MethodDescriptor* found =
      found_service != nullptr ? found_service->FindMethodByName(std::string(method)) : nullptr;
  if (found == nullptr)
    return refused(grpc::StatusCode::NOT_FOUND, method_name(service, method) +
                                                    " is not a method of zbb.v1.Query or "
                                                    "zbb.v1.Workflow");
  if (found->client_streaming() || found->server_streaming())
    return refused(grpc::StatusCode::NOT_FOUND,
                   method_name(service, method) + " is a stream: it is served over gRPC only");

  auto* factory = google::protobuf::MessageFactory::generated_factory();
  std::unique_ptr<Message> request(factory->GetPrototype(found->input_type())->New());
  if (!json.empty()) {
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    const auto parsed = google::protobuf::util::JsonStringToMessage(
        google::protobuf::StringPiece(json.data(), json.size()), request.get(), options);
    if (!parsed.ok())
      return refused(grpc::StatusCode::INVALID_ARGUMENT,
                     "the body is not a " + found->input_type()->full_name() +
                         " in JSON: " + std::string(parsed.message()));
  }
  std::string request_bytes;
  request->SerializeToString(&request_bytes);
  grpc::Slice slice(request_bytes);
  grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::ByteBuffer response_buffer;

  // gRPC takes printable ASCII only in a metadata value (anything else aborts the process): a
  // header with other bytes holds no token zbbd issued.
  if (std::any_of(authorization.begin(), authorization.end(),
                  [](char c) { return c < 0x20 || c > 0x7e; }))
    return refused(grpc::StatusCode::UNAUTHENTICATED,
                   "the Authorization header holds characters no token has: send \"Bearer "
                   "<token>\" with the token as zbbd's token file has it");
  grpc::ClientContext context;
  if (!authorization.empty()) context.AddMetadata("authorization", std::string(authorization));
  context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
  std::promise<grpc::Status> answered;
  auto status = answered.get_future();
  stub_.UnaryCall(&context, "/" + std::string(service) + "/" + std::string(method),
                  grpc::StubOptions(), &request_buffer, &response_buffer,
                  [&answered](grpc::Status done) { answered.set_value(std::move(done)); });
  const grpc::Status outcome = status.get();
  if (!outcome.ok()) {
    std::string field;
    const auto& trailers = context.GetServerTrailingMetadata();
    if (auto named = trailers.find(api::kFieldTrailer); named != trailers.end())
      field.assign(named->second.data(), named->second.size());
    return {http_status_of(outcome.error_code()), error_body(outcome, field)};
  }
  std::unique_ptr<Message> response(factory->GetPrototype(found->output_type())->New());
  if (!response->ParseFromString(bytes_of(response_buffer)))
    return refused(grpc::StatusCode::INTERNAL, "the answer did not parse");
  return {200, wire::to_json(*response)};
}

}  // namespace zbb::http
