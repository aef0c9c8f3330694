#include "adapters/cli/zbbctl_client.h"

namespace zbb::cli {

namespace {

// One server (HOST:PORT), or several sharing one database (HOST:PORT,HOST:PORT,… with IP
// addresses): gRPC's round_robin then sends each call to the next server that is up.
std::shared_ptr<grpc::Channel> channel_to(const std::string& server) {
  if (server.find(',') == std::string::npos)
    return grpc::CreateChannel(server, grpc::InsecureChannelCredentials());
  grpc::ChannelArguments arguments;
  arguments.SetLoadBalancingPolicyName("round_robin");
  const std::string scheme = server.starts_with("[") ? "ipv6:" : "ipv4:";
  return grpc::CreateCustomChannel(scheme + server, grpc::InsecureChannelCredentials(), arguments);
}

}  // namespace

Client::Client(ConnectionOptions options)
    : options_(std::move(options)),
      channel_(channel_to(options_.server)),
      workflow_(zbb::v1::Workflow::NewStub(channel_)),
      query_(zbb::v1::Query::NewStub(channel_)) {}

std::unique_ptr<grpc::ClientContext> Client::call_context(bool deadline) const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", "Bearer " + options_.token);
  if (deadline) context->set_deadline(std::chrono::system_clock::now() + options_.timeout);
  return context;
}

Failure Client::failure_of(const grpc::Status& status, const grpc::ClientContext& context) {
  std::string field;
  const auto& trailers = context.GetServerTrailingMetadata();
  if (const auto it = trailers.find("zbb-field"); it != trailers.end())
    field.assign(it->second.data(), it->second.size());
  return server_failure(status, field);
}

}  // namespace zbb::cli
