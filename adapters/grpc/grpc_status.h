#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/status.h>

#include <string_view>

#include "wire/status_code_name.h"

#include "engine/status.h"

namespace zbb::api {

// The trailing-metadata key that names the offending field of an INVALID_ARGUMENT.
inline constexpr char kFieldTrailer[] = "zbb-field";

// One-to-one: each engine error kind has exactly one gRPC code (kOk → OK).
grpc::StatusCode to_grpc_code(Code code);

// The gRPC status for an engine status. Its message is "field: reason" when a field is named,
// else the reason alone (Status::to_string without the code name). With a field and a
// context, the field is also sent as the "zbb-field" trailer. OK → grpc::Status::OK.
grpc::Status to_grpc(const Status& status, grpc::ServerContextBase* context);

}  // namespace zbb::api
