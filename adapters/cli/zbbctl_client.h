#pragma once

// zbbctl's way to zbbd: one channel, the two services' stubs, and per call the bearer token and
// a deadline.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <grpcpp/grpcpp.h>

#include "adapters/cli/zbbctl_failure.h"
#include "zbb/v1/query.grpc.pb.h"
#include "zbb/v1/workflow.grpc.pb.h"

namespace zbb::cli {

struct ConnectionOptions {
  std::string server;                        // HOST:PORT
  std::string token;                         // sent as "authorization: Bearer <token>"
  std::chrono::milliseconds timeout{10000};  // each unary call's deadline
};

class Client {
 public:
  explicit Client(ConnectionOptions options);

  zbb::v1::Workflow::Stub& workflow() { return *workflow_; }
  zbb::v1::Query::Stub& query() { return *query_; }

  // Runs one unary call, `call(grpc::ClientContext*)` → grpc::Status, with the token and the
  // deadline; nullopt when it succeeded, else the failure (with the "zbb-field" trailer).
  template <typename Call>
  std::optional<Failure> unary(Call&& call) {
    auto context = call_context(true);
    const grpc::Status status = std::forward<Call>(call)(context.get());
    if (status.ok()) return std::nullopt;
    return failure_of(status, *context);
  }

  // Reads one line (Query.GetLine) into `read`; nullopt when it succeeded, else the failure.
  std::optional<Failure> get_line(const std::string& line_id, zbb::v1::GetLineResponse* read) {
    zbb::v1::GetLineRequest request;
    request.set_line_id(line_id);
    return unary(
        [&](grpc::ClientContext* context) { return query().GetLine(context, request, read); });
  }

  // Runs a paged call, `call(grpc::ClientContext*, const Request&, Response*)`, from the request's
  // page token on, handing each page to `take(Response&)`; with `all`, follows next_page_token
  // to the last page. nullopt when every call succeeded, else the first failure.
  template <typename Response, typename Request, typename Call, typename Take>
  std::optional<Failure> pages(Request request, bool all, Call&& call, Take&& take) {
    while (true) {
      Response page;
      if (auto failure =
              unary([&](grpc::ClientContext* context) { return call(context, request, &page); }))
        return failure;
      take(page);
      if (!all || page.next_page_token().empty()) return std::nullopt;
      request.set_page_token(page.next_page_token());
    }
  }

  // A context with the token; with the deadline when `deadline` (not for a followed stream).
  std::unique_ptr<grpc::ClientContext> call_context(bool deadline) const;

  // The failure a finished call reports, its "zbb-field" trailer included.
  static Failure failure_of(const grpc::Status& status, const grpc::ClientContext& context);

 private:
  ConnectionOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<zbb::v1::Workflow::Stub> workflow_;
  std::unique_ptr<zbb::v1::Query::Stub> query_;
};

}  // namespace zbb::cli
