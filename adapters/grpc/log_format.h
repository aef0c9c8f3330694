#pragma once

#include <spdlog/logger.h>

#include <string>

namespace zbb::api {

enum class LogFormat { kText, kJson };

// Sets up zbbd's logs on stderr before it serves. Text: one line per entry,
//   2027-06-30T09:00:00.123+0000 info GetLine principal=lin.audit … → OK 0.3 ms
// JSON: one object per line, {"time":…,"level":…,"message":…}, and for each request the
// fields of its outcome instead of a message (RequestLog): what a log collector indexes.
void configure_logs(LogFormat format);
LogFormat log_format();

// Where RequestLog writes its lines: the default logger until configure_logs() runs.
spdlog::logger& request_logger();

// "2027-06-30T09:00:00.123Z": a log entry's time, in UTC.
std::string log_time(std::chrono::system_clock::time_point at);

}  // namespace zbb::api
