#include "adapters/grpc/log_format.h"

#include <fmt/chrono.h>
#include <spdlog/formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>

namespace zbb::api {
namespace {

constexpr char kTextPattern[] = "%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v";
constexpr char kRequestLogger[] = "requests";

std::atomic<LogFormat> configured{LogFormat::kText};

// An entry as one JSON object on one line; its message escaped as JSON strings are.
class JsonLineFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& entry, spdlog::memory_buf_t& dest) override {
    const nlohmann::json line = {
        {"time", log_time(entry.time)},
        {"level", std::string(spdlog::level::to_string_view(entry.level).data(),
                              spdlog::level::to_string_view(entry.level).size())},
        {"message", std::string(entry.payload.data(), entry.payload.size())}};
    const std::string text =
        line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    dest.append(text.data(), text.data() + text.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonLineFormatter>();
  }
};

}  // namespace

std::string log_time(std::chrono::system_clock::time_point at) {
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count() % 1000;
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z",
                     fmt::gmtime(std::chrono::system_clock::to_time_t(at)), millis);
}

void configure_logs(LogFormat format) {
  configured = format;
  spdlog::drop_all();
  if (format == LogFormat::kJson) {
    // Every sink on stderr writes a whole line per call: two loggers never cut into each other.
    auto entries = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    entries->set_formatter(std::make_unique<JsonLineFormatter>());
    auto zbbd = std::make_shared<spdlog::logger>("zbbd", entries);
    auto requests_sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    requests_sink->set_pattern("%v");
    spdlog::register_logger(std::make_shared<spdlog::logger>(kRequestLogger, requests_sink));
    spdlog::set_default_logger(zbbd);
    return;
  }
  auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  sink->set_pattern(kTextPattern);
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("zbbd", sink));
  spdlog::register_logger(std::make_shared<spdlog::logger>(kRequestLogger, sink));
}

LogFormat log_format() { return configured; }

spdlog::logger& request_logger() {
  if (auto logger = spdlog::get(kRequestLogger)) return *logger;
  return *spdlog::default_logger_raw();
}

}  // namespace zbb::api
