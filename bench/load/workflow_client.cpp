#include "bench/load/workflow_client.h"

#include <fmt/format.h>

#include "bench/load/bench_error.h"

namespace zbb::bench {

std::shared_ptr<grpc::Channel> open_channel(const std::string& address,
                                            std::chrono::milliseconds connect_timeout) {
  grpc::ChannelArguments args;
  // Without this, channels with equal arguments share one subchannel: one TCP connection for
  // every client, which is not what N separate callers look like.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetMaxReceiveMessageSize(64 << 20);
  // Several zbbd sharing a database (IP:PORT,IP:PORT,…): each call to the next, as zbbctl does.
  std::string target = address;
  if (address.find(',') != std::string::npos) {
    args.SetLoadBalancingPolicyName("round_robin");
    target = "ipv4:" + address;
  }
  auto channel = grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
  if (!channel->WaitForConnected(std::chrono::system_clock::now() + connect_timeout))
    throw BenchError(
        fmt::format("cannot connect to {} within {} ms", address, connect_timeout.count()));
  return channel;
}

WorkflowClient::WorkflowClient(std::shared_ptr<grpc::Channel> channel,
                               std::chrono::milliseconds deadline)
    : deadline_(deadline),
      workflow_(zbb::v1::Workflow::NewStub(channel)),
      query_(zbb::v1::Query::NewStub(channel)) {}

std::unique_ptr<grpc::ClientContext> WorkflowClient::context(const std::string& token) const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", "Bearer " + token);
  context->set_deadline(std::chrono::system_clock::now() + deadline_);
  return context;
}

grpc::Status WorkflowClient::create(const std::string& token,
                                    const zbb::v1::CreateLineRequest& request,
                                    zbb::v1::CommandResponse* response) {
  auto ctx = context(token);
  return workflow_->CreateLine(ctx.get(), request, response);
}

grpc::Status WorkflowClient::push(const std::string& token,
                                  const zbb::v1::PushEventRequest& request,
                                  zbb::v1::CommandResponse* response) {
  auto ctx = context(token);
  return workflow_->PushEvent(ctx.get(), request, response);
}

grpc::Status WorkflowClient::act_on_programme(const std::string& token,
                                              const zbb::v1::ProgrammeRequest& request,
                                              zbb::v1::ProgrammeResponse* response) {
  auto ctx = context(token);
  return workflow_->ActOnProgramme(ctx.get(), request, response);
}

grpc::Status WorkflowClient::push_batch(const std::string& token,
                                        const zbb::v1::PushEventsRequest& request,
                                        zbb::v1::PushEventsResponse* response) {
  auto ctx = context(token);
  return workflow_->PushEvents(ctx.get(), request, response);
}

grpc::Status WorkflowClient::get_line(const std::string& token, const std::string& line_id,
                                      zbb::v1::BudgetLine* line) {
  zbb::v1::GetLineRequest request;
  request.set_line_id(line_id);
  zbb::v1::GetLineResponse response;
  auto ctx = context(token);
  grpc::Status status = query_->GetLine(ctx.get(), request, &response);
  if (status.ok()) *line = std::move(*response.mutable_line());
  return status;
}

}  // namespace zbb::bench
