#include "adapters/cli/zbbctl_failure.h"

#include <fmt/format.h>

namespace zbb::cli {

std::string_view status_code_name(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    case grpc::StatusCode::DO_NOT_USE:
      break;
  }
  return "UNKNOWN";
}

Failure server_failure(const grpc::Status& status, std::string_view field) {
  std::string message = status.error_message();
  if (message.empty()) message = "(no message)";
  // zbbd starts the message with the field already; name it only when the message does not.
  if (!field.empty() && message.find(field) == std::string::npos)
    message = fmt::format("{} (field {})", message, field);
  return {std::string(status_code_name(status.error_code())), std::move(message),
          Failure::kServerExit};
}

std::string failure_line(const Failure& failure) {
  std::string line = fmt::format("zbbctl: {}: {}", failure.code, failure.message);
  for (char& c : line)
    if (c == '\n' || c == '\r') c = ' ';
  return line;
}

bool outcome_unknown(const Failure& failure) {
  static constexpr std::string_view kUnknownOutcome[] = {"UNAVAILABLE", "DEADLINE_EXCEEDED",
                                                         "CANCELLED", "UNKNOWN", "INTERNAL"};
  for (auto code : kUnknownOutcome)
    if (failure.code == code) return true;
  return false;
}

}  // namespace zbb::cli
