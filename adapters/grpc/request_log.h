#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include <grpcpp/support/status.h>

namespace zbb::api {

// Status messages are cut to this many bytes: clients' metadata limits are a few KB, and a
// message beyond them hangs or fails the call instead of reporting the refusal.
inline constexpr std::size_t kMaxStatusMessageBytes = 1000;

// `message` cut at a character boundary to at most `max_bytes`, ending with "…" when cut.
std::string cut_message(std::string message, std::size_t max_bytes = kMaxStatusMessageBytes);

// Told of every request's outcome as its log line is written: the method, its code, how long it
// took (for a Watch stream, how long it was open). Set once, before zbbd serves (its metrics);
// none by default. Called on the thread that answers: quick, and never throws.
using RequestObserver = std::function<void(std::string_view method, grpc::StatusCode code,
                                           std::chrono::nanoseconds took)>;
void set_request_observer(RequestObserver observer);

// One log line per request with its outcome:
//   PushEvent principal=wang.reviewer request=r-17 line=JT-1 → OK 3.2 ms
// Built at the start of a handler; finish() writes the line and hands the status back, as the
// client is to hear it: an INTERNAL error's detail (SQL, stored values) stays in the log under
// the request id and a reference, the client gets a short reason and the reference; every
// message at most kMaxStatusMessageBytes.
class RequestLog {
 public:
  explicit RequestLog(std::string_view method);

  void set_principal(std::string name) { principal_ = std::move(name); }
  void set_request(std::string request_id, std::string line_id = "") {
    request_id_ = std::move(request_id);
    line_id_ = std::move(line_id);
  }

  grpc::Status finish(grpc::Status status);
  // The message a client hears for one failed item of a batch, as finish() would word it.
  std::string item_message(int index, grpc::StatusCode code, const std::string& message);

 private:
  std::string method_;
  std::string principal_;
  std::string request_id_;
  std::string line_id_;
  std::chrono::steady_clock::time_point started_;

  // Logs an INTERNAL error's detail; returns what the client hears instead.
  std::string hide_internal(std::string_view what, const std::string& detail);
};

}  // namespace zbb::api
