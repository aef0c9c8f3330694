#pragma once

#include "adapters/grpc/commit_notifier.h"
#include "adapters/grpc/token_authenticator.h"
#include "engine/clock.h"
#include "engine/store.h"
#include "engine/worker_pool.h"
#include "workflows/policy_loader.h"
#include "zbb/v1/query.grpc.pb.h"

namespace zbb::api {

// zbb.v1.Query: lines, listings, histories and the live event stream, each limited to what
// the caller may read. Watch streams go through gRPC's callback API (watch_stream.h): an open
// stream holds no thread. The other calls read and answer at once, on gRPC's threads.
class QueryService final
    : public zbb::v1::Query::WithRawCallbackMethod_Watch<zbb::v1::Query::Service> {
 public:
  // `clock` says what "now" is for stuck lines: the same clock the engine stamps events with.
  // `policies`: each line's, for the time progress the execution report compares spending with.
  QueryService(Store& store, const TokenAuthenticator& tokens, CommitNotifier& commits,
               const Clock& clock, const review::PolicySet& policies)
      : store_(store), tokens_(tokens), commits_(commits), clock_(clock), policies_(policies) {}

  grpc::Status GetLine(grpc::ServerContext* context, const zbb::v1::GetLineRequest* request,
                       zbb::v1::GetLineResponse* response) override;
  grpc::Status ListLines(grpc::ServerContext* context, const zbb::v1::ListLinesRequest* request,
                         zbb::v1::ListLinesResponse* response) override;
  grpc::Status GetHistory(grpc::ServerContext* context, const zbb::v1::GetHistoryRequest* request,
                          zbb::v1::GetHistoryResponse* response) override;
  grpc::ServerWriteReactor<grpc::ByteBuffer>* Watch(grpc::CallbackServerContext* context,
                                                    const grpc::ByteBuffer* request) override;
  grpc::Status VerifyAudit(grpc::ServerContext* context, const zbb::v1::VerifyAuditRequest* request,
                           zbb::v1::VerifyAuditResponse* response) override;
  grpc::Status FindStuck(grpc::ServerContext* context, const zbb::v1::FindStuckRequest* request,
                         zbb::v1::FindStuckResponse* response) override;
  grpc::Status Summarize(grpc::ServerContext* context, const zbb::v1::SummarizeRequest* request,
                         zbb::v1::SummarizeResponse* response) override;
  grpc::Status GetPool(grpc::ServerContext* context, const zbb::v1::GetPoolRequest* request,
                       zbb::v1::GetPoolResponse* response) override;
  grpc::Status ListReports(grpc::ServerContext* context, const zbb::v1::ListReportsRequest* request,
                           zbb::v1::ListReportsResponse* response) override;
  grpc::Status GetReport(grpc::ServerContext* context, const zbb::v1::GetReportRequest* request,
                         zbb::v1::GetReportResponse* response) override;
  // The project library (programme_calls.cpp): every caller may read it.
  grpc::Status GetProgramme(grpc::ServerContext* context,
                            const zbb::v1::GetProgrammeRequest* request,
                            zbb::v1::GetProgrammeResponse* response) override;
  grpc::Status ListProgrammes(grpc::ServerContext* context,
                              const zbb::v1::ListProgrammesRequest* request,
                              zbb::v1::ListProgrammesResponse* response) override;
  grpc::Status GetExecutionReport(grpc::ServerContext* context,
                                  const zbb::v1::GetExecutionReportRequest* request,
                                  zbb::v1::GetExecutionReportResponse* response) override;
  grpc::Status GetDepartmentReport(grpc::ServerContext* context,
                                   const zbb::v1::GetDepartmentReportRequest* request,
                                   zbb::v1::DepartmentReport* response) override;
  grpc::Status ExportDisclosure(grpc::ServerContext* context,
                                const zbb::v1::ExportDisclosureRequest* request,
                                zbb::v1::ExportDisclosureResponse* response) override;

 private:
  Store& store_;
  const TokenAuthenticator& tokens_;
  CommitNotifier& commits_;
  const Clock& clock_;
  const review::PolicySet& policies_;
  // Where Watch streams read the event log: never on the thread that woke them (a commit's).
  WorkerPool watch_readers_{kWatchReaders};

  static constexpr std::size_t kWatchReaders = 2;
};

}  // namespace zbb::api
