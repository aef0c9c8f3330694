#pragma once

#include <grpcpp/channel.h>
#include <grpcpp/generic/generic_stub.h>

#include <memory>
#include <string>
#include <string_view>

namespace zbb::http {

// What an HTTP request is answered with.
struct HttpAnswer {
  int status = 200;
  std::string body;  // JSON
};

// zbb.v1's unary calls in JSON: the request read by protobuf's JSON mapping and sent over an
// in-process channel to the gRPC services themselves — the same authentication, checks,
// authorization, log line and answer a gRPC client gets, with no second path to keep in step —
// and the answer printed in the same mapping (proto field names, every field present), a
// refusal as error_body() words it under its HTTP status.
class JsonGateway {
 public:
  explicit JsonGateway(std::shared_ptr<grpc::Channel> channel);

  // `service` "zbb.v1.Query" or "zbb.v1.Workflow", `method` one of its unary methods;
  // `authorization` the request's header ("Bearer <token>"), passed on as the call's metadata.
  // `json` empty stands for {}.
  HttpAnswer call(std::string_view service, std::string_view method, std::string_view json,
                  std::string_view authorization) const;

 private:
  std::shared_ptr<grpc::Channel> channel_;
  mutable grpc::GenericStub stub_;
};

}  // namespace zbb::http
