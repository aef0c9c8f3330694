#include "adapters/grpc/grpc_status.h"

#include <string>

namespace zbb::api {

grpc::StatusCode to_grpc_code(Code code) {
  switch (code) {
    case Code::kOk:
      return grpc::StatusCode::OK;
    case Code::kInvalidArgument:
      return grpc::StatusCode::INVALID_ARGUMENT;
    case Code::kFailedPrecondition:
      return grpc::StatusCode::FAILED_PRECONDITION;
    case Code::kNotFound:
      return grpc::StatusCode::NOT_FOUND;
    case Code::kAlreadyExists:
      return grpc::StatusCode::ALREADY_EXISTS;
    case Code::kAborted:
      return grpc::StatusCode::ABORTED;
    case Code::kUnauthenticated:
      return grpc::StatusCode::UNAUTHENTICATED;
    case Code::kPermissionDenied:
      return grpc::StatusCode::PERMISSION_DENIED;
    case Code::kUnavailable:
      return grpc::StatusCode::UNAVAILABLE;
    case Code::kInternal:
      return grpc::StatusCode::INTERNAL;
    case Code::kDataLoss:
      return grpc::StatusCode::DATA_LOSS;
  }
  return grpc::StatusCode::UNKNOWN;  // not reached: every Code is listed above
}

grpc::Status to_grpc(const Status& status, grpc::ServerContextBase* context) {
  if (status.ok()) return grpc::Status::OK;
  std::string message;
  if (status.field().empty()) {
    message = status.message();
  } else {
    message = status.field();
    if (!status.message().empty()) message += ": " + status.message();
    if (context != nullptr) context->AddTrailingMetadata(kFieldTrailer, status.field());
  }
  return grpc::Status(to_grpc_code(status.code()), message);
}

}  // namespace zbb::api
