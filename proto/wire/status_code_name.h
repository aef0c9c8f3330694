#pragma once

#include <grpcpp/support/status_code_enum.h>

#include <string_view>

namespace zbb::wire {

// "INVALID_ARGUMENT": a gRPC status code as the gRPC specification names it ("UNKNOWN" for a
// number no code has). zbbd's log lines, metrics and JSON errors and zbbctl's failures say it so.
std::string_view status_code_name(grpc::StatusCode code);

}  // namespace zbb::wire
