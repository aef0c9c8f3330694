#pragma once

// A test's view of the zbb.v1 API: stubs plus the bearer token of the principal calling.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <grpcpp/grpcpp.h>

#include "zbb/v1/query.grpc.pb.h"
#include "zbb/v1/workflow.grpc.pb.h"

namespace zbb::testing {

struct CallResult {
  grpc::Status status;
  std::string field;  // the "zbb-field" trailer
};

class ApiClient {
 public:
  ApiClient(std::shared_ptr<grpc::Channel> channel, std::string token);

  // A context carrying the token and a deadline.
  std::unique_ptr<grpc::ClientContext> context() const;

  CallResult create(const std::string& request_id, const std::string& line_id,
                    const zbb::v1::LineContent& content,
                    zbb::v1::CommandResponse* response = nullptr);
  CallResult push(const std::string& request_id, const std::string& line_id,
                  const zbb::v1::LineEvent& event, zbb::v1::CommandResponse* response = nullptr,
                  std::optional<std::int64_t> expected_version = std::nullopt);
  CallResult get(const std::string& line_id, zbb::v1::BudgetLine* line);
  CallResult history(const std::string& line_id, zbb::v1::GetHistoryResponse* response);

  zbb::v1::Workflow::Stub& workflow() { return *workflow_; }
  zbb::v1::Query::Stub& query() { return *query_; }

 private:
  std::string token_;
  std::unique_ptr<zbb::v1::Workflow::Stub> workflow_;
  std::unique_ptr<zbb::v1::Query::Stub> query_;
};

// The zbb.v1 form of tests' road maintenance request (county_fixture.h).
zbb::v1::LineContent road_maintenance_content();

// A prior assessment approving a line on every part: the road request, a line of a new
// programme above 1,000,000 yuan, needs one before its targets are accepted.
zbb::v1::LineEvent approving_assessment();

// Builders for events: event_of([](auto& e) { e.mutable_submit(); }).
template <typename Fill>
zbb::v1::LineEvent event_of(Fill fill) {
  zbb::v1::LineEvent event;
  fill(event);
  return event;
}

}  // namespace zbb::testing
