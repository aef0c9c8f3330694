#pragma once

#include "adapters/grpc/token_authenticator.h"
#include "engine/engine.h"
#include "engine/store.h"
#include "workflows/policy_loader.h"
#include "zbb/v1/workflow.grpc.pb.h"

namespace zbb::api {

// The commands of lines are served through gRPC's callback API: answered when the engine
// answers, no thread parked per call in between.
using WorkflowCallbacks = zbb::v1::Workflow::WithRawCallbackMethod_CreateLine<
    zbb::v1::Workflow::WithRawCallbackMethod_PushEvent<
        zbb::v1::Workflow::WithRawCallbackMethod_PushEvents<zbb::v1::Workflow::Service>>>;

// zbb.v1.Workflow: authenticates the caller, converts the request into an engine command, and
// executes it; whether the caller may send it is the workflow's to judge.
class WorkflowService final : public WorkflowCallbacks {
 public:
  WorkflowService(Engine& engine, Store& store, const TokenAuthenticator& tokens,
                  const review::PolicySet& policies)
      : engine_(engine), store_(store), tokens_(tokens), policies_(policies) {}

  grpc::ServerUnaryReactor* CreateLine(grpc::CallbackServerContext* context,
                                       const grpc::ByteBuffer* request,
                                       grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* PushEvent(grpc::CallbackServerContext* context,
                                      const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* PushEvents(grpc::CallbackServerContext* context,
                                       const grpc::ByteBuffer* request,
                                       grpc::ByteBuffer* response) override;
  grpc::Status RankDepartment(grpc::ServerContext* context, const zbb::v1::RankRequest* request,
                              zbb::v1::RankResponse* response) override;
  grpc::Status RankFiscalYear(grpc::ServerContext* context, const zbb::v1::RankRequest* request,
                              zbb::v1::RankResponse* response) override;
  grpc::Status RunMonitoring(grpc::ServerContext* context,
                             const zbb::v1::RunMonitoringRequest* request,
                             zbb::v1::MonitoringReport* response) override;
  // The project library (programme_calls.cpp).
  grpc::Status ActOnProgramme(grpc::ServerContext* context,
                              const zbb::v1::ProgrammeRequest* request,
                              zbb::v1::ProgrammeResponse* response) override;

 private:
  struct ItemByItem;
  // Sends the next chunk of an item-by-item batch, or answers the call after the last one.
  void push_chunk(const std::shared_ptr<ItemByItem>& batch);

  Engine& engine_;
  Store& store_;
  grpc::Status rank(std::string_view method, grpc::ServerContext* context,
                    const zbb::v1::RankRequest& request, bool whole_year,
                    zbb::v1::RankResponse* response);

  const TokenAuthenticator& tokens_;
  const review::PolicySet& policies_;
};

}  // namespace zbb::api
