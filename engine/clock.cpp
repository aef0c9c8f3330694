#include "engine/clock.h"

#include <fmt/format.h>

namespace zbb {
namespace {

bool is_digits(std::string_view text) {
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

unsigned to_number(std::string_view digits) {
  unsigned n = 0;
  for (char c : digits) n = n * 10 + static_cast<unsigned>(c - '0');
  return n;
}

}  // namespace

std::string format_timestamp(Timestamp t) {
  // Composed from the calendar fields: fmt formats system-clock time points in local time.
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day date(day);
  const hh_mm_ss time(t - day);
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}Z",
                     static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                     static_cast<unsigned>(date.day()), time.hours().count(),
                     time.minutes().count(), time.seconds().count(), time.subseconds().count());
}

std::string format_date(std::chrono::year_month_day date) {
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

Timestamp SystemClock::now() const {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

ShiftedClock::ShiftedClock(Timestamp start) : shift_(start - SystemClock().now()) {}

Timestamp ShiftedClock::now() const { return SystemClock().now() + shift_; }

std::optional<Timestamp> parse_timestamp(std::string_view text) {
  const auto number = [&](std::size_t at, std::size_t length) -> std::optional<int> {
    int value = 0;
    for (std::size_t i = at; i < at + length; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  if (text.size() != 10 && !(text.size() == 20 && text[10] == 'T' && text[13] == ':' &&
                             text[16] == ':' && text[19] == 'Z'))
    return std::nullopt;
  if (text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto y = number(0, 4), m = number(5, 2), d = number(8, 2);
  if (!y || !m || !d) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year(*y),
                                         std::chrono::month(static_cast<unsigned>(*m)),
                                         std::chrono::day(static_cast<unsigned>(*d))};
  if (!date.ok()) return std::nullopt;
  Timestamp at =
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::sys_days(date));
  if (text.size() == 20) {
    const auto h = number(11, 2), min = number(14, 2), s = number(17, 2);
    if (!h || !min || !s || *h > 23 || *min > 59 || *s > 59) return std::nullopt;
    at += std::chrono::hours(*h) + std::chrono::minutes(*min) + std::chrono::seconds(*s);
  }
  return at;
}

Timestamp ManualClock::now() const {
  std::lock_guard lock(mutex_);
  return now_;
}

void ManualClock::set(Timestamp t) {
  std::lock_guard lock(mutex_);
  now_ = t;
}

void ManualClock::advance(std::chrono::milliseconds by) {
  std::lock_guard lock(mutex_);
  now_ += by;
}

Result<std::chrono::year_month_day> parse_date(std::string_view text) {
  const bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-' &&
                      is_digits(text.substr(0, 4)) && is_digits(text.substr(5, 2)) &&
                      is_digits(text.substr(8, 2));
  if (!shaped) return Status::InvalidArgument("", "must be a date written YYYY-MM-DD");
  const std::chrono::year_month_day date{
      std::chrono::year(static_cast<int>(to_number(text.substr(0, 4)))),
      std::chrono::month(to_number(text.substr(5, 2))),
      std::chrono::day(to_number(text.substr(8, 2)))};
  if (!date.ok())
    return Status::InvalidArgument("", fmt::format("{} is not a date of the calendar", text));
  return date;
}

}  // namespace zbb
