#pragma once

#include <string>
#include <string_view>

#include <grpcpp/grpcpp.h>

#include "wire/status_code_name.h"

namespace zbb::cli {

// Why a zbbctl command failed. Reported as one line, "zbbctl: <code>: <message>", and the exit
// status: 1 when the server (or the way to it) refused, 2 when the command line or its files did.
struct Failure {
  static constexpr int kServerExit = 1;
  static constexpr int kUsageExit = 2;

  std::string code;  // "UNAVAILABLE", "FAILED_PRECONDITION", … or "USAGE"
  std::string message;
  int exit_code = kServerExit;

  static Failure usage(std::string message) { return {"USAGE", std::move(message), kUsageExit}; }
};

using wire::status_code_name;

// A server error; `field`, the "zbb-field" trailer (empty when absent), is appended to the
// message as "(field <path>)" unless the message names it already.
Failure server_failure(const grpc::Status& status, std::string_view field);

// "zbbctl: <code>: <message>" on one line: line breaks in the message become spaces.
std::string failure_line(const Failure& failure);

// A failed change whose outcome is unknown (it may have been applied): the caller should say
// how to retry it safely.
bool outcome_unknown(const Failure& failure);

}  // namespace zbb::cli
