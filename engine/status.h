#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace zbb {

// The error kinds of the contract; they map one-to-one to gRPC status codes at the edge.
enum class Code {
  kOk,
  kInvalidArgument,     // bad input: names the field and the reason
  kFailedPrecondition,  // not allowed now: names the state and what it accepts
  kNotFound,
  kAlreadyExists,
  kAborted,  // version clash: someone else changed the line
  kUnauthenticated,
  kPermissionDenied,
  kUnavailable,
  kInternal,
  kDataLoss,  // a stored record that does not decode: names the record
};

std::string_view code_name(Code code);

// A value a client sent, quoted in a message: in double quotes, cut after 64 characters with
// an ellipsis, so that no message grows with what a client sent.
std::string quote_cut(std::string_view value);

// OK, or an error kind with a message. Cheap when OK. No exceptions cross layers.
class Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  // `field` is the path of the offending input field, e.g. "cost_items[2].amount".
  static Status InvalidArgument(std::string field, std::string reason);
  static Status FailedPrecondition(std::string message) {
    return {Code::kFailedPrecondition, std::move(message)};
  }
  static Status NotFound(std::string message) { return {Code::kNotFound, std::move(message)}; }
  static Status AlreadyExists(std::string message) {
    return {Code::kAlreadyExists, std::move(message)};
  }
  static Status Aborted(std::string message) { return {Code::kAborted, std::move(message)}; }
  static Status PermissionDenied(std::string message) {
    return {Code::kPermissionDenied, std::move(message)};
  }
  static Status Unavailable(std::string message) {
    return {Code::kUnavailable, std::move(message)};
  }
  static Status Internal(std::string message) { return {Code::kInternal, std::move(message)}; }
  static Status DataLoss(std::string message) { return {Code::kDataLoss, std::move(message)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // For INVALID_ARGUMENT: the offending field, empty otherwise.
  const std::string& field() const { return field_; }

  // Prefixes the field path, e.g. "lines[3]." + "amount", so nested validation stays precise.
  Status within(const std::string& prefix) const;

  std::string to_string() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
  std::string field_;
};

// A value or the error that prevented it; never both.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : value_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(value_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(value_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(value_);
  }
  T& value() & { return std::get<T>(value_); }
  const T& value() const& { return std::get<T>(value_); }
  // By value: a reference into a temporary Result would dangle (e.g. in a range-for).
  T value() && { return std::get<T>(std::move(value_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> value_;
};

}  // namespace zbb

// Returns early from the enclosing function when `expr` yields an error Status.
#define ZBB_RETURN_IF_ERROR(expr)                                                  \
  do {                                                                             \
    if (::zbb::Status zbb_status_ = (expr); !zbb_status_.ok()) return zbb_status_; \
  } while (false)
