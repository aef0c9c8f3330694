#include "adapters/cli/zbbctl_failure.h"

#include <fmt/format.h>

namespace zbb::cli {

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
