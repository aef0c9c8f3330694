#pragma once

#include "adapters/grpc/token_authenticator.h"
#include "engine/engine.h"
#include "engine/store.h"
#include "workflows/policy_loader.h"
#include "zbb/v1/workflow.grpc.pb.h"

namespace zbb::api {

// zbb.v1.Workflow: authenticates the caller, converts the request into an engine command,
// checks the caller's role for each event, and executes it.
class WorkflowService final : public zbb::v1::Workflow::Service {
 public:
  WorkflowService(Engine& engine, Store& store, const TokenAuthenticator& tokens,
                  const review::PolicySet& policies)
      : engine_(engine), store_(store), tokens_(tokens), policies_(policies) {}

  grpc::Status CreateLine(grpc::ServerContext* context, const zbb::v1::CreateLineRequest* request,
                          zbb::v1::CommandResponse* response) override;
  grpc::Status PushEvent(grpc::ServerContext* context, const zbb::v1::PushEventRequest* request,
                         zbb::v1::CommandResponse* response) override;
  grpc::Status PushEvents(grpc::ServerContext* context, const zbb::v1::PushEventsRequest* request,
                          zbb::v1::PushEventsResponse* response) override;
  grpc::Status RankDepartment(grpc::ServerContext* context, const zbb::v1::RankRequest* request,
                              zbb::v1::RankResponse* response) override;
  grpc::Status RankFiscalYear(grpc::ServerContext* context, const zbb::v1::RankRequest* request,
                              zbb::v1::RankResponse* response) override;
  grpc::Status RunMonitoring(grpc::ServerContext* context,
                             const zbb::v1::RunMonitoringRequest* request,
                             zbb::v1::MonitoringReport* response) override;

 private:
  Engine& engine_;
  Store& store_;
  grpc::Status rank(std::string_view method, grpc::ServerContext* context,
                    const zbb::v1::RankRequest& request, bool whole_year,
                    zbb::v1::RankResponse* response);

  const TokenAuthenticator& tokens_;
  const review::PolicySet& policies_;
};

}  // namespace zbb::api
