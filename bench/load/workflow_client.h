#pragma once

// One client of the load: its own channel (so its own connection, as a separate integrator or
// desk would have) and the calls the scenarios make, each with the caller's bearer token and a
// deadline. The same code drives zbbd and the echo floor.

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>

#include "zbb/v1/query.grpc.pb.h"
#include "zbb/v1/workflow.grpc.pb.h"

namespace zbb::bench {

// A channel of its own to `address` (no subchannel shared with other clients), connected
// before it is returned; throws BenchError when it cannot connect within `connect_timeout`.
std::shared_ptr<grpc::Channel> open_channel(const std::string& address,
                                            std::chrono::milliseconds connect_timeout);

class WorkflowClient {
 public:
  WorkflowClient(std::shared_ptr<grpc::Channel> channel, std::chrono::milliseconds deadline);

  grpc::Status create(const std::string& token, const zbb::v1::CreateLineRequest& request,
                      zbb::v1::CommandResponse* response);
  grpc::Status push(const std::string& token, const zbb::v1::PushEventRequest& request,
                    zbb::v1::CommandResponse* response);
  grpc::Status push_batch(const std::string& token, const zbb::v1::PushEventsRequest& request,
                          zbb::v1::PushEventsResponse* response);
  grpc::Status act_on_programme(const std::string& token, const zbb::v1::ProgrammeRequest& request,
                                zbb::v1::ProgrammeResponse* response);
  grpc::Status get_line(const std::string& token, const std::string& line_id,
                        zbb::v1::BudgetLine* line);

  zbb::v1::Query::Stub& query() { return *query_; }
  // A context with the token and this client's deadline, for calls made directly on a stub.
  std::unique_ptr<grpc::ClientContext> context(const std::string& token) const;

 private:
  std::chrono::milliseconds deadline_;
  std::unique_ptr<zbb::v1::Workflow::Stub> workflow_;
  std::unique_ptr<zbb::v1::Query::Stub> query_;
};

}  // namespace zbb::bench
