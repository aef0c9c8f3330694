#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/proto_buffer_writer.h>
#include <grpcpp/support/server_callback.h>

#include <google/protobuf/io/coded_stream.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/grpc/caller.h"
#include "adapters/grpc/grpc_status.h"
#include "adapters/grpc/request_log.h"
#include "adapters/grpc/request_text.h"
#include "parsing/checked_request_parsing.h"

namespace zbb::api {

// One unary call of the callback API, from its request's bytes to its answer, which may be
// given on any thread once the command behind it is answered: nothing waits for it meanwhile.
// The call parses its request itself, so that a request that does not parse is refused as
// parse_message() words it (gRPC's own parsing would answer UNIMPLEMENTED with no message).
template <class Request, class Response>
class UnaryCall {
 public:
  UnaryCall(grpc::CallbackServerContext* context, grpc::ByteBuffer* response_bytes,
            std::string_view method)
      : context_(context),
        reactor_(context->DefaultReactor()),
        response_bytes_(response_bytes),
        log_(method) {}

  // Parses the request's bytes; false when they do not parse, the call then answered.
  bool parse(const grpc::ByteBuffer& request_bytes) {
    grpc::ByteBuffer bytes(request_bytes);  // shares the slices, which parsing consumes
    grpc::Status parsed = parse_message(&bytes, &request_);
    if (parsed.ok()) return true;
    // Logged by parse_message's log, as the synchronous handlers' refusals are.
    reactor_->Finish(parsed);
    return false;
  }

  // Who sends the call, once its text is checked; nullopt when refused (the call is then
  // answered). The log names the principal from here on.
  std::optional<Principal> caller(const TokenAuthenticator& tokens) {
    auto principal = authenticate_caller(*context_, tokens);
    if (!principal.ok()) {
      refuse(principal.status());
      return std::nullopt;
    }
    log_.set_principal(principal->name);
    if (Status text = check_request_text(request_); !text.ok()) {
      refuse(text);
      return std::nullopt;
    }
    return std::move(principal).value();
  }

  // Answers the call with `status`; returns the reactor, for the handler to return.
  grpc::ServerUnaryReactor* refuse(const Status& status) {
    finish(to_grpc(status, context_));
    return reactor_;
  }

  const Request& request() const { return request_; }
  Response* response() { return &response_; }
  RequestLog& log() { return log_; }
  grpc::CallbackServerContext* context() { return context_; }
  grpc::ServerUnaryReactor* reactor() { return reactor_; }

  // Puts `message_bytes`, a message already serialized elsewhere (a line's stored document),
  // into the answer as the response's field `field_number`, ahead of the response's own
  // fields: a message's bytes are the concatenation of its fields', so the line is neither
  // copied into the response nor serialized again (its bytes are copied once, into the
  // answer's buffer). The response must leave that field unset.
  void set_serialized_field(int field_number, std::shared_ptr<const std::string> message_bytes) {
    serialized_field_number_ = field_number;
    serialized_field_ = std::move(message_bytes);
  }

  // Answers the call: the response when `status` is OK, else the status; logged either way.
  // Nothing of the call may be touched afterwards.
  void finish(grpc::Status status) {
    if (status.ok() && serialized_field_ != nullptr) {
      serialize_with_field();
    } else if (status.ok()) {
      bool own_buffer = false;
      status = grpc::GenericSerialize<grpc::ProtoBufferWriter, Response>(response_, response_bytes_,
                                                                         &own_buffer);
    }
    reactor_->Finish(log_.finish(std::move(status)));
  }

 private:
  void serialize_with_field() {
    using google::protobuf::io::CodedOutputStream;
    const std::string& field = *serialized_field_;
    // The key of a length-delimited field (wire type 2), then its length, then its bytes.
    const auto key = static_cast<std::uint32_t>(serialized_field_number_) << 3 | 2;
    const auto length = static_cast<std::uint32_t>(field.size());
    const std::size_t own = response_.ByteSizeLong();
    grpc::Slice slice(CodedOutputStream::VarintSize32(key) +
                      CodedOutputStream::VarintSize32(length) + field.size() + own);
    // A slice of that size, just allocated for this answer alone.
    auto* out = const_cast<std::uint8_t*>(slice.begin());
    out = CodedOutputStream::WriteVarint32ToArray(key, out);
    out = CodedOutputStream::WriteVarint32ToArray(length, out);
    out = std::copy(field.begin(), field.end(), out);
    response_.SerializeWithCachedSizesToArray(out);
    *response_bytes_ = grpc::ByteBuffer(&slice, 1);
  }

  grpc::CallbackServerContext* const context_;
  grpc::ServerUnaryReactor* const reactor_;
  grpc::ByteBuffer* const response_bytes_;
  RequestLog log_;
  Request request_;
  Response response_;
  int serialized_field_number_ = 0;
  std::shared_ptr<const std::string> serialized_field_ = nullptr;
};

}  // namespace zbb::api
