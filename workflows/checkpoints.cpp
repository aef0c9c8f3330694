#include "workflows/checkpoints.h"

#include <algorithm>

#include "engine/money.h"
#include "workflows/performance.h"

namespace zbb::review {
namespace {

using std::chrono::sys_days;
using std::chrono::year_month_day;

// Days from 1 January of `date`'s year to `date`, both counted.
std::int64_t day_of_year(year_month_day date) {
  return (sys_days(date) - sys_days(date.year() / std::chrono::January / 1)).count() + 1;
}

// The spending plan's share planned by the end of `as_of`, in basis points.
std::int64_t planned_bp(const LineContent& content, year_month_day as_of) {
  WideFen total = 0;
  for (Fen month : content.monthly_plan()) total += month;
  if (total == 0) return 0;  // the line's rules refuse a plan of nothing
  const unsigned month = static_cast<unsigned>(as_of.month());
  WideFen planned = 0;
  for (unsigned m = 1; m < month; ++m) planned += content.monthly_plan(static_cast<int>(m - 1));
  // Of the month of `as_of`, the days gone by its end.
  const auto last = year_month_day(as_of.year() / as_of.month() / std::chrono::last);
  const WideFen this_month = content.monthly_plan(static_cast<int>(month - 1));
  planned += this_month * static_cast<unsigned>(as_of.day()) / static_cast<unsigned>(last.day());
  return static_cast<std::int64_t>(planned * 10000 / total);
}

}  // namespace

const zbb::policy::Checkpoint* checkpoint_of(const zbb::policy::Monitoring& monitoring,
                                             year_month_day as_of) {
  const zbb::policy::Checkpoint* found = nullptr;
  // The policy loader keeps the checkpoints in date order.
  for (const auto& checkpoint : monitoring.checkpoints())
    if (checkpoint_day(checkpoint, static_cast<int>(as_of.year())) <= as_of) found = &checkpoint;
  return found;
}

year_month_day first_checkpoint_date(const zbb::policy::Monitoring& monitoring, int fiscal_year) {
  // The policy loader guarantees at least one checkpoint.
  return checkpoint_day(monitoring.checkpoints(0), fiscal_year);
}

year_month_day checkpoint_day(const zbb::policy::Checkpoint& checkpoint, int fiscal_year) {
  return month_day_of(fiscal_year, checkpoint.date());
}

bool judges_completion(const zbb::policy::Monitoring& monitoring,
                       const zbb::policy::Checkpoint& checkpoint) {
  for (const auto& c : monitoring.checkpoints()) {
    if (c.dual()) return true;
    if (&c == &checkpoint) return false;
  }
  return false;
}

std::int64_t time_progress_bp(const LineContent& content, const zbb::policy::Monitoring& monitoring,
                              year_month_day as_of) {
  // A date of another year (the report of a month after the fiscal year, say): all or nothing.
  const int year = static_cast<int>(as_of.year());
  if (year < content.fiscal_year()) return 0;
  if (year > content.fiscal_year()) return 10000;
  if (content.monthly_plan_size() == 12) return planned_bp(content, as_of);
  // From the latest checkpoint reached towards the next (after the last: 100 % on 12-31;
  // before the first, from nothing on 1 January).
  const auto& checkpoints = monitoring.checkpoints();
  if (const auto first = checkpoint_day(checkpoints[0], year); as_of < first)
    return std::int64_t{checkpoints[0].time_progress_percent()} * 100 * day_of_year(as_of) /
           day_of_year(first);
  int i = 0;
  while (i + 1 < checkpoints.size() && checkpoint_day(checkpoints[i + 1], year) <= as_of) ++i;
  const auto from = checkpoint_day(checkpoints[i], year);
  const std::int64_t start = std::int64_t{checkpoints[i].time_progress_percent()} * 100;
  if (as_of <= from) return start;
  const bool last = i + 1 == checkpoints.size();
  const auto to = last ? year_month_day(std::chrono::year(year) / std::chrono::December / 31)
                       : checkpoint_day(checkpoints[i + 1], year);
  const std::int64_t end =
      last ? 10000 : std::int64_t{checkpoints[i + 1].time_progress_percent()} * 100;
  const std::int64_t span = day_of_year(to) - day_of_year(from);
  if (span <= 0) return start;  // a last checkpoint on 12-31
  return start + (end - start) * (day_of_year(as_of) - day_of_year(from)) / span;
}

}  // namespace zbb::review
