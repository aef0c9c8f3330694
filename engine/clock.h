#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace zbb {

// Wall-clock instants at millisecond precision, stored as milliseconds since the Unix epoch.
using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

inline std::int64_t to_millis(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp from_millis(std::int64_t ms) { return Timestamp(std::chrono::milliseconds(ms)); }

// "2026-06-30T08:00:00.000Z"
std::string format_timestamp(Timestamp t);

// The one source of time for the engine; tests inject a ManualClock and never sleep.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp now() const override;
};

// A clock that moves only when told to. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start) : now_(start) {}
  Timestamp now() const override;
  void set(Timestamp t);
  void advance(std::chrono::milliseconds by);

 private:
  mutable std::mutex mutex_;
  Timestamp now_;
};

}  // namespace zbb
