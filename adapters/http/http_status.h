#pragma once

#include <grpcpp/support/status.h>

#include <string>
#include <string_view>

namespace zbb::http {

// The HTTP status of a gRPC code, as google.rpc.Code documents the pair (INVALID_ARGUMENT and
// FAILED_PRECONDITION 400, ABORTED and ALREADY_EXISTS 409, …): the body names the code itself.
int http_status_of(grpc::StatusCode code);

// A refusal's body: {"code":"INVALID_ARGUMENT","message":"…","field":"line_id"}, the field only
// when the call named one (its "zbb-field" trailer), the message as the call words it.
std::string error_body(const grpc::Status& status, std::string_view field = {});

}  // namespace zbb::http
