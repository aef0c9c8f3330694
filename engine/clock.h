#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "engine/status.h"

namespace zbb {

// Wall-clock instants at millisecond precision, stored as milliseconds since the Unix epoch.
using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

inline std::int64_t to_millis(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp from_millis(std::int64_t ms) { return Timestamp(std::chrono::milliseconds(ms)); }

// True for the instants of the calendar years 0001 to 9999 (UTC): every time zbb records lies
// there, and clients' timestamp types hold no other. A stored time outside is a damaged record.
inline bool within_calendar(std::int64_t ms) {
  constexpr std::int64_t kFirstMillis = -62'135'596'800'000;  // 0001-01-01T00:00:00Z
  constexpr std::int64_t kLastMillis = 253'402'300'799'999;   // 9999-12-31T23:59:59.999Z
  return ms >= kFirstMillis && ms <= kLastMillis;
}

// "2026-06-30T08:00:00.000Z"
std::string format_timestamp(Timestamp t);

// "2026-06-30"
std::string format_date(std::chrono::year_month_day date);

// "YYYY-MM-DD", strictly: four, two and two digits that make a date of the calendar.
// INVALID_ARGUMENT with an empty field otherwise; name it with Status::within.
Result<std::chrono::year_month_day> parse_date(std::string_view text);

// The calendar day (UTC) of an instant.
inline std::chrono::year_month_day date_of(Timestamp t) {
  return std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(t));
}

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

// The system clock shifted so that it read `start` when constructed: runs at real speed from
// a chosen instant (a demo of a fiscal year, a rehearsal of year end).
class ShiftedClock final : public Clock {
 public:
  explicit ShiftedClock(Timestamp start);
  Timestamp now() const override;

 private:
  std::chrono::milliseconds shift_;
};

// "2027-12-20" (midnight UTC) or "2027-12-20T09:00:00Z"; nullopt for anything else.
std::optional<Timestamp> parse_timestamp(std::string_view text);

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
