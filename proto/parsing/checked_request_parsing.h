#pragma once

// Included by every generated *.grpc.pb.h (grpc_cpp_plugin's additional_header_includes), so
// that the handlers gRPC generates parse each request through parse_message(): a request that
// does not parse is refused INVALID_ARGUMENT saying what failed, instead of gRPC's INTERNAL
// with an empty message, and zbbd logs it.

#include <grpcpp/impl/codegen/proto_utils.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/status.h>

#include <string>
#include <string_view>

#include "grpc/health/v1/health.pb.h"
#include "zbb/v1/query.pb.h"

namespace zbb::api {

// Called with the request type and the refusal of every request that does not parse. zbbd sets
// it to write its log line; unset, nothing is logged. Set once, before the server starts.
using ParseFailureLog = void (*)(std::string_view request_type, const grpc::Status& refusal);
void set_parse_failure_log(ParseFailureLog log);

// Parses `buffer` into `message`. The request of a method of zbb.v1.Workflow, zbb.v1.Query or
// grpc.health.v1.Health that does not parse is refused INVALID_ARGUMENT naming what failed:
// malformed or truncated bytes (and in which field, when a field's bytes are), or the string
// field holding invalid UTF-8, as the request spells it (`items[2].event.create.content.title`).
// Any other message (answers a client reads, other services' requests) parses as gRPC parses
// it.
grpc::Status parse_message(grpc::ByteBuffer* buffer, grpc::protobuf::MessageLite* message);

// What parse_message() says of `bytes` that did not parse as `request`'s type.
std::string describe_parse_failure(const std::string& bytes,
                                   const google::protobuf::Message& request);

}  // namespace zbb::api

// gRPC's own protobuf traits, but parsing through zbb::api::parse_message. Serializing is
// gRPC's.
#define ZBB_CHECKED_PARSING(Type)                                                                \
  template <>                                                                                    \
  class grpc::SerializationTraits<Type, void> {                                                  \
   public:                                                                                       \
    static grpc::Status Serialize(const grpc::protobuf::MessageLite& message,                    \
                                  grpc::ByteBuffer* buffer, bool* own_buffer) {                  \
      return grpc::GenericSerialize<grpc::ProtoBufferWriter, Type>(message, buffer, own_buffer); \
    }                                                                                            \
    static grpc::Status Deserialize(grpc::ByteBuffer* buffer, Type* message) {                   \
      return zbb::api::parse_message(buffer, message);                                           \
    }                                                                                            \
  }

// Generated unary handlers (and client stubs) parse every message as a MessageLite; streaming
// handlers parse their request as its own type.
ZBB_CHECKED_PARSING(grpc::protobuf::MessageLite);
ZBB_CHECKED_PARSING(zbb::v1::WatchRequest);
ZBB_CHECKED_PARSING(grpc::health::v1::HealthCheckRequest);

#undef ZBB_CHECKED_PARSING
