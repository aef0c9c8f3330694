#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <grpcpp/support/status.h>

namespace zbb::api {

// One log line per request with its outcome:
//   PushEvent principal=wang.reviewer request=r-17 line=JT-1 → OK 3.2 ms
// Built at the start of a handler; finish() writes the line and hands the status back.
class RequestLog {
 public:
  explicit RequestLog(std::string_view method);

  void set_principal(std::string name) { principal_ = std::move(name); }
  void set_request(std::string request_id, std::string line_id = "") {
    request_id_ = std::move(request_id);
    line_id_ = std::move(line_id);
  }

  grpc::Status finish(grpc::Status status);

 private:
  std::string method_;
  std::string principal_;
  std::string request_id_;
  std::string line_id_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace zbb::api
