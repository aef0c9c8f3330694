#include "engine/status.h"

namespace zbb {

std::string_view code_name(Code code) {
  switch (code) {
    case Code::kOk:
      return "OK";
    case Code::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case Code::kFailedPrecondition:
      return "FAILED_PRECONDITION";
    case Code::kNotFound:
      return "NOT_FOUND";
    case Code::kAlreadyExists:
      return "ALREADY_EXISTS";
    case Code::kAborted:
      return "ABORTED";
    case Code::kUnauthenticated:
      return "UNAUTHENTICATED";
    case Code::kPermissionDenied:
      return "PERMISSION_DENIED";
    case Code::kUnavailable:
      return "UNAVAILABLE";
    case Code::kInternal:
      return "INTERNAL";
    case Code::kDataLoss:
      return "DATA_LOSS";
  }
  return "UNKNOWN";
}

std::string quote_cut(std::string_view value) {
  constexpr std::size_t kMaxCharacters = 64;
  std::size_t characters = 0;
  for (std::size_t at = 0; at < value.size(); ++at) {
    // A character starts at every byte that is not a UTF-8 continuation byte.
    if ((static_cast<unsigned char>(value[at]) & 0xC0) == 0x80) continue;
    if (++characters > kMaxCharacters) return "\"" + std::string(value.substr(0, at)) + "…\"";
  }
  return "\"" + std::string(value) + "\"";
}

Status Status::InvalidArgument(std::string field, std::string reason) {
  Status status(Code::kInvalidArgument, std::move(reason));
  status.field_ = std::move(field);
  return status;
}

Status Status::within(const std::string& prefix) const {
  if (code_ != Code::kInvalidArgument) return *this;
  Status nested = *this;
  nested.field_ = field_.empty() ? prefix : prefix + "." + field_;
  return nested;
}

std::string Status::to_string() const {
  std::string text(code_name(code_));
  if (!field_.empty()) text += ": " + field_;
  if (!message_.empty()) text += ": " + message_;
  return text;
}

}  // namespace zbb
