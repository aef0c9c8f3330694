#include "adapters/grpc/request_log.h"

#include <spdlog/spdlog.h>

namespace zbb::api {
namespace {

std::string_view code_name(grpc::StatusCode code) {
  switch (code) {
    case grpc::OK:
      return "OK";
    case grpc::CANCELLED:
      return "CANCELLED";
    case grpc::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::ABORTED:
      return "ABORTED";
    case grpc::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    case grpc::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::INTERNAL:
      return "INTERNAL";
    default:
      return "ERROR";
  }
}

// Client-supplied ids are logged before they are validated: keep each log entry on one line.
std::string printable(std::string_view text) {
  std::string out;
  for (unsigned char c : text.substr(0, 200)) {
    if (c < 0x20 || c == 0x7f)
      out += fmt::format("\\x{:02x}", c);
    else
      out += static_cast<char>(c);
  }
  return out.empty() ? "-" : out;
}

}  // namespace

RequestLog::RequestLog(std::string_view method)
    : method_(method), started_(std::chrono::steady_clock::now()) {}

grpc::Status RequestLog::finish(grpc::Status status) {
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_)
          .count();
  const auto level = status.ok()                             ? spdlog::level::info
                     : status.error_code() == grpc::INTERNAL ? spdlog::level::err
                                                             : spdlog::level::warn;
  spdlog::log(level, "{} principal={} request={} line={} → {} {:.1f} ms{}{}", method_,
              printable(principal_), printable(request_id_), printable(line_id_),
              code_name(status.error_code()), ms, status.ok() ? "" : ": ",
              printable(status.error_message()));
  return status;
}

}  // namespace zbb::api
