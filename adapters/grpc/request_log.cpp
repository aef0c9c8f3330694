#include "adapters/grpc/request_log.h"

#include "adapters/grpc/grpc_status.h"
#include "adapters/grpc/log_format.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <random>

namespace zbb::api {
namespace {

constexpr std::size_t kMaxLoggedIdBytes = 200;

// Client-supplied ids are logged before they are validated: keep each log entry on one line.
std::string printable(std::string_view text, std::size_t max_bytes = kMaxLoggedIdBytes) {
  std::string out;
  for (unsigned char c : text.substr(0, max_bytes)) {
    if (c < 0x20 || c == 0x7f)
      out += fmt::format("\\x{:02x}", c);
    else
      out += static_cast<char>(c);
  }
  return out.empty() ? "-" : out;
}

// A reference an operator can find in the log: unique enough among one server's errors.
std::string new_reference() {
  static std::atomic<std::uint32_t> counter{0};
  static const std::uint32_t start = std::random_device{}();
  return fmt::format("E{:08x}", start + counter.fetch_add(1) * 2654435761U);
}

RequestObserver& request_observer() {
  static RequestObserver observer;
  return observer;
}

}  // namespace

void set_request_observer(RequestObserver observer) { request_observer() = std::move(observer); }

std::string cut_message(std::string message, std::size_t max_bytes) {
  constexpr std::string_view kEllipsis = "…";
  if (message.size() <= max_bytes) return message;
  std::size_t end = max_bytes - kEllipsis.size();
  // Never cut inside a UTF-8 sequence: step back over continuation bytes.
  while (end > 0 && (static_cast<unsigned char>(message[end]) & 0xC0) == 0x80) --end;
  message.resize(end);
  return message + std::string(kEllipsis);
}

RequestLog::RequestLog(std::string_view method)
    : method_(method), started_(std::chrono::steady_clock::now()) {}

std::string RequestLog::hide_internal(std::string_view what, const std::string& detail) {
  const std::string reference = new_reference();
  spdlog::error("{} principal={} request={} line={}{}: internal error {}: {}", method_,
                printable(principal_), printable(request_id_), printable(line_id_), what, reference,
                printable(detail, 4000));
  return fmt::format(
      "internal error (reference {} in zbbd's log); a retry with the same "
      "request id is safe",
      reference);
}

std::string RequestLog::item_message(int index, grpc::StatusCode code, const std::string& message) {
  if (code == grpc::INTERNAL) return hide_internal(fmt::format(" item {}", index), message);
  return cut_message(message);
}

grpc::Status RequestLog::finish(grpc::Status status) {
  if (status.error_code() == grpc::INTERNAL)
    status = grpc::Status(grpc::INTERNAL, hide_internal("", status.error_message()));
  else if (status.error_message().size() > kMaxStatusMessageBytes)
    status = grpc::Status(status.error_code(), cut_message(status.error_message()),
                          status.error_details());
  const auto took = std::chrono::steady_clock::now() - started_;
  const double ms = std::chrono::duration<double, std::milli>(took).count();
  if (const RequestObserver& observer = request_observer(); observer)
    observer(method_, status.error_code(), took);
  // A stored record that does not decode is the operator's to repair, as an internal error is.
  const bool operator_error =
      status.error_code() == grpc::INTERNAL || status.error_code() == grpc::DATA_LOSS;
  const auto level = status.ok()      ? spdlog::level::info
                     : operator_error ? spdlog::level::err
                                      : spdlog::level::warn;
  if (log_format() == LogFormat::kJson) {
    nlohmann::json line = {{"time", log_time(std::chrono::system_clock::now())},
                           {"level", std::string(spdlog::level::to_string_view(level).data(),
                                                 spdlog::level::to_string_view(level).size())},
                           {"method", method_},
                           // Client-supplied, logged before they are validated: cut as in text.
                           {"principal", cut_message(principal_, kMaxLoggedIdBytes)},
                           {"request_id", cut_message(request_id_, kMaxLoggedIdBytes)},
                           {"line_id", cut_message(line_id_, kMaxLoggedIdBytes)},
                           {"code", wire::status_code_name(status.error_code())},
                           {"ms", std::round(ms * 10) / 10}};
    if (!status.ok()) line["message"] = status.error_message();
    request_logger().log(level, "{}",
                         line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    return status;
  }
  request_logger().log(level, "{} principal={} request={} line={} → {} {:.1f} ms{}{}", method_,
                       printable(principal_), printable(request_id_), printable(line_id_),
                       wire::status_code_name(status.error_code()), ms, status.ok() ? "" : ": ",
                       printable(status.error_message()));
  return status;
}

}  // namespace zbb::api
