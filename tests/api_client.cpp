#include "tests/api_client.h"

#include "tests/message_builders.h"

#include "tests/county_fixture.h"

namespace zbb::testing {
namespace {

CallResult result_of(const grpc::Status& status, const grpc::ClientContext& context) {
  CallResult result{status, ""};
  const auto& trailers = context.GetServerTrailingMetadata();
  if (auto it = trailers.find("zbb-field"); it != trailers.end())
    result.field = std::string(it->second.data(), it->second.size());
  return result;
}

}  // namespace

ApiClient::ApiClient(std::shared_ptr<grpc::Channel> channel, std::string token)
    : token_(std::move(token)),
      workflow_(zbb::v1::Workflow::NewStub(channel)),
      query_(zbb::v1::Query::NewStub(channel)) {}

std::unique_ptr<grpc::ClientContext> ApiClient::context() const {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!token_.empty()) context->AddMetadata("authorization", "Bearer " + token_);
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return context;
}

CallResult ApiClient::create(const std::string& request_id, const std::string& line_id,
                             const zbb::v1::LineContent& content,
                             zbb::v1::CommandResponse* response) {
  zbb::v1::CreateLineRequest request;
  request.set_request_id(request_id);
  request.set_line_id(line_id);
  *request.mutable_content() = content;
  zbb::v1::CommandResponse ignored;
  auto ctx = context();
  return result_of(workflow_->CreateLine(ctx.get(), request, response ? response : &ignored), *ctx);
}

CallResult ApiClient::push(const std::string& request_id, const std::string& line_id,
                           const zbb::v1::LineEvent& event, zbb::v1::CommandResponse* response,
                           std::optional<std::int64_t> expected_version) {
  zbb::v1::PushEventRequest request;
  request.set_request_id(request_id);
  request.set_line_id(line_id);
  if (expected_version) request.set_expected_version(*expected_version);
  *request.mutable_event() = event;
  zbb::v1::CommandResponse ignored;
  auto ctx = context();
  return result_of(workflow_->PushEvent(ctx.get(), request, response ? response : &ignored), *ctx);
}

CallResult ApiClient::get(const std::string& line_id, zbb::v1::BudgetLine* line) {
  zbb::v1::GetLineRequest request;
  request.set_line_id(line_id);
  zbb::v1::GetLineResponse response;
  auto ctx = context();
  auto result = result_of(query_->GetLine(ctx.get(), request, &response), *ctx);
  if (line) *line = response.line();
  return result;
}

CallResult ApiClient::history(const std::string& line_id, zbb::v1::GetHistoryResponse* response) {
  zbb::v1::GetHistoryRequest request;
  request.set_line_id(line_id);
  auto ctx = context();
  return result_of(query_->GetHistory(ctx.get(), request, response), *ctx);
}

zbb::v1::LineContent road_maintenance_content() { return road_maintenance_request(); }

zbb::v1::LineEvent approving_assessment() {
  zbb::v1::LineEvent event;
  *event.mutable_record_assessment() = record_assessment(true, "同意立项");
  return event;
}

}  // namespace zbb::testing
