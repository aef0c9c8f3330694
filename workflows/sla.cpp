#include "workflows/sla.h"

#include <algorithm>
#include <charconv>
#include <set>
#include <string>

namespace zbb::review {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::weekday;

// A policy lists a few dozen days a year; a thousand is years of them, more is a mistake.
constexpr int kMaxCalendarDays = 1000;

bool is_weekend(sys_days day) {
  const weekday wd(day);
  return wd == std::chrono::Saturday || wd == std::chrono::Sunday;
}

std::optional<int> number(std::string_view digits) {
  int value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

std::set<sys_days> days_of(const google::protobuf::RepeatedPtrField<std::string>& dates) {
  std::set<sys_days> out;
  for (const auto& text : dates)
    if (auto date = parse_calendar_date(text)) out.insert(sys_days(*date));
  return out;
}

Status check_dates(const google::protobuf::RepeatedPtrField<std::string>& dates,
                   std::string_view field, std::set<sys_days>& seen) {
  if (dates.size() > kMaxCalendarDays)
    return Status::InvalidArgument(std::string(field), "lists more than 1000 days");
  for (int i = 0; i < dates.size(); ++i) {
    const std::string item = std::string(field) + "[" + std::to_string(i) + "]";
    const auto date = parse_calendar_date(dates[i]);
    if (!date)
      return Status::InvalidArgument(item,
                                     "must be a date \"YYYY-MM-DD\" (got \"" + dates[i] + "\")");
    if (!seen.insert(sys_days(*date)).second)
      return Status::InvalidArgument(item, dates[i] + " is listed twice");
  }
  return Status::Ok();
}

}  // namespace

std::optional<std::chrono::year_month_day> parse_calendar_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto y = number(text.substr(0, 4));
  const auto m = number(text.substr(5, 2));
  const auto d = number(text.substr(8, 2));
  if (!y || !m || !d) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year(*y),
                                         std::chrono::month(static_cast<unsigned>(*m)),
                                         std::chrono::day(static_cast<unsigned>(*d))};
  if (!date.ok()) return std::nullopt;
  return date;
}

Status check_sla_calendar(const zbb::policy::SlaCalendar& calendar) {
  if (!calendar.working_days() &&
      (calendar.holidays_size() > 0 || calendar.working_weekends_size() > 0)) {
    return Status::InvalidArgument("working_days",
                                   "must be true when holidays or working weekends are listed");
  }
  std::set<sys_days> seen;
  ZBB_RETURN_IF_ERROR(check_dates(calendar.holidays(), "holidays", seen));
  ZBB_RETURN_IF_ERROR(check_dates(calendar.working_weekends(), "working_weekends", seen));
  for (int i = 0; i < calendar.working_weekends_size(); ++i) {
    if (!is_weekend(sys_days(*parse_calendar_date(calendar.working_weekends(i))))) {
      return Status::InvalidArgument(
          "working_weekends[" + std::to_string(i) + "]",
          calendar.working_weekends(i) +
              " is not a Saturday or Sunday: weekdays are worked anyway");
    }
  }
  return Status::Ok();
}

std::optional<Timestamp> sla_due(const zbb::policy::WorkflowPolicy& policy, std::string_view state,
                                 Timestamp entered) {
  const auto found = policy.sla_days().find(std::string(state));
  if (found == policy.sla_days().end()) return std::nullopt;
  return due_after_days(policy, found->second, entered);
}

Timestamp due_after_days(const zbb::policy::WorkflowPolicy& policy, std::uint32_t days_given,
                         Timestamp entered) {
  const auto sla = static_cast<int>(days_given);
  const auto& calendar = policy.sla_calendar();
  if (!calendar.working_days()) return entered + days(sla);

  const std::set<sys_days> holidays = days_of(calendar.holidays());
  const std::set<sys_days> worked_weekends = days_of(calendar.working_weekends());
  const auto is_working = [&](sys_days day) {
    if (holidays.contains(day)) return false;
    return !is_weekend(day) || worked_weekends.contains(day);
  };
  // Every week has working days unless holidays fill it, and the holidays are bounded, so
  // this ends within sla + kMaxCalendarDays + a few weekends' steps.
  const sys_days start = std::chrono::floor<days>(entered);
  int counted = 0;
  int step = 0;
  while (counted < sla) {
    ++step;
    if (is_working(start + days(step))) ++counted;
  }
  return entered + days(step);
}

Status sla_breach_allowed(const BudgetLine& line, std::string_view state, Timestamp now) {
  if (line.state() != state) {
    return Status::FailedPrecondition("line " + line.id() + " is in state " + line.state() +
                                      ", not " + std::string(state) + ": that visit is over");
  }
  if (!line.has_due_at()) {
    return Status::FailedPrecondition("line " + line.id() + " has no SLA in state " + line.state());
  }
  if (*due_at(line) > now) {
    return Status::FailedPrecondition("line " + line.id() + " is not due until " +
                                      format_timestamp(*due_at(line)));
  }
  if (line.sla_breached()) {
    return Status::FailedPrecondition("line " + line.id() + " was already escalated in state " +
                                      line.state() + " (entered " +
                                      format_timestamp(from_proto(line.state_entered_at())) + ")");
  }
  return Status::Ok();
}

}  // namespace zbb::review
