#include "workflows/monthly_execution.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>

#include "workflows/checkpoints.h"
#include "workflows/performance.h"
#include "workflows/state_ids.h"

namespace zbb::review {
namespace {

using std::chrono::year_month;
using std::chrono::year_month_day;

std::string month_text(year_month month) {
  return fmt::format("{:04}-{:02}", static_cast<int>(month.year()),
                     static_cast<unsigned>(month.month()));
}

// One department's sums, or the county's.
struct Sums {
  std::int64_t lines = 0;
  WideFen approved = 0;
  WideFen spent_in_month = 0;
  WideFen spent_to_date = 0;
  WideFen planned_to_date = 0;
  std::int64_t lagging = 0;
  WideFen undated = 0;

  void add(const Sums& other) {
    lines += other.lines;
    approved += other.approved;
    spent_in_month += other.spent_in_month;
    spent_to_date += other.spent_to_date;
    planned_to_date += other.planned_to_date;
    lagging += other.lagging;
    undated += other.undated;
  }
};

std::int32_t rate_bp(WideFen part, WideFen whole) {
  if (whole <= 0) return 0;
  return static_cast<std::int32_t>(part * 10000 / whole);
}

// Sums of fen fit an int64 as every line's amounts do: a county's budget is far below 9·10¹⁶
// yuan; a sum that does not is a damaged line, reported rather than wrapped.
Result<Fen> narrow(WideFen sum, std::string_view what) {
  if (sum > std::numeric_limits<Fen>::max() || sum < std::numeric_limits<Fen>::min())
    return Status::Internal(fmt::format("the {} of the report overflows", what));
  return static_cast<Fen>(sum);
}

Status fill(const Sums& sums, zbb::v1::ExecutionRow* row) {
  row->set_lines(sums.lines);
  const std::pair<WideFen, void (zbb::v1::ExecutionRow::*)(std::int64_t)> amounts[] = {
      {sums.approved, &zbb::v1::ExecutionRow::set_approved_amount},
      {sums.spent_in_month, &zbb::v1::ExecutionRow::set_spent_in_month},
      {sums.spent_to_date, &zbb::v1::ExecutionRow::set_spent_to_date},
      {sums.planned_to_date, &zbb::v1::ExecutionRow::set_planned_to_date},
      {sums.undated, &zbb::v1::ExecutionRow::set_spent_undated}};
  for (const auto& [sum, set] : amounts) {
    auto fen = narrow(sum, "money");
    if (!fen.ok()) return fen.status();
    (row->*set)(*fen);
  }
  row->set_execution_bp(rate_bp(sums.spent_to_date, sums.approved));
  row->set_time_progress_bp(rate_bp(sums.planned_to_date, sums.approved));
  row->set_lines_lagging(sums.lagging);
  return Status::Ok();
}

}  // namespace

std::string month_of(Timestamp at) {
  const year_month_day day = date_of(at);
  return month_text(day.year() / day.month());
}

Result<year_month> parse_month(std::string_view text) {
  const auto digits = [&](std::size_t from, std::size_t count) {
    return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(from),
                       text.begin() + static_cast<std::ptrdiff_t>(from + count),
                       [](char c) { return c >= '0' && c <= '9'; });
  };
  if (text.size() != 7 || text[4] != '-' || !digits(0, 4) || !digits(5, 2))
    return Status::InvalidArgument("", "must be a month written YYYY-MM");
  const int year = std::stoi(std::string(text.substr(0, 4)));
  const unsigned month = static_cast<unsigned>(std::stoi(std::string(text.substr(5, 2))));
  if (month < 1 || month > 12)
    return Status::InvalidArgument("", fmt::format("{} is not a month: 01 to 12", text));
  return std::chrono::year(year) / std::chrono::month(month);
}

void record_spent_in_month(BudgetLine& line, Timestamp at, Fen amount) {
  const std::string month = month_of(at);
  auto& months = *line.mutable_spent_by_month();
  // Spending is recorded as time goes on: its month is almost always the last one, or after it.
  auto it = std::find_if(months.begin(), months.end(),
                         [&](const zbb::v1::MonthSpent& m) { return m.month() >= month; });
  if (it != months.end() && it->month() == month) {
    it->set_amount(it->amount() + amount);
    return;
  }
  zbb::v1::MonthSpent added;
  added.set_month(month);
  added.set_amount(amount);
  const auto index = it - months.begin();
  *months.Add() = std::move(added);
  // Moved from the end to its place in month order (a clock set back, a restored database).
  for (auto i = months.size() - 1; i > index; --i) months.SwapElements(i, i - 1);
}

bool has_budget(std::string_view state) {
  return state == state::kExecuting || state == state::kRedWarning ||
         state == state::kAdjustmentProposed || state == state::kSelfEvaluation ||
         state == state::kFocusedEvaluation || state == state::kScored || state == state::kClosed;
}

Result<zbb::v1::GetExecutionReportResponse> execution_report(const std::vector<BudgetLine>& lines,
                                                             const PolicySet& policies,
                                                             int fiscal_year, year_month month,
                                                             Timestamp as_of) {
  const std::string month_key = month_text(month);
  // Time progress at the month's end, or today for the month in progress.
  const year_month_day month_end{month / std::chrono::last};
  const year_month_day judged_on = std::min(month_end, date_of(as_of));

  std::map<std::string, Sums> departments;
  for (const BudgetLine& line : lines) {
    if (line.content().fiscal_year() != fiscal_year || !has_budget(line.state())) continue;
    const auto* policy = policies.find(line.policy_version());
    if (policy == nullptr)
      return Status::Internal(fmt::format("line {} is under policy {}, which is not loaded",
                                          line.id(), line.policy_version()));
    Sums sums;
    sums.lines = 1;
    sums.approved = line.approved_amount();
    WideFen dated = 0;
    for (const auto& spent : line.spent_by_month()) {
      dated += spent.amount();
      if (spent.month() == month_key) sums.spent_in_month += spent.amount();
      if (spent.month() <= month_key) sums.spent_to_date += spent.amount();
    }
    sums.undated = line.spent_amount() - dated;
    sums.spent_to_date += sums.undated;
    const std::int64_t progress = time_progress_bp(line.content(), policy->monitoring(), judged_on);
    sums.planned_to_date = static_cast<WideFen>(line.approved_amount()) * progress / 10000;
    // As a monitoring round judges lag; nothing approved (cut to zero) has nothing to lag.
    sums.lagging =
        line.approved_amount() > 0 && lags_by(sums.spent_to_date, line.approved_amount(), progress,
                                              policy->monitoring().yellow_lag_points())
            ? 1
            : 0;
    departments[line.content().department()].add(sums);
  }

  zbb::v1::GetExecutionReportResponse report;
  report.set_fiscal_year(fiscal_year);
  report.set_month(month_key);
  Sums total;
  for (const auto& [department, sums] : departments) {
    auto* row = report.add_departments();
    row->set_department(department);
    ZBB_RETURN_IF_ERROR(fill(sums, row));
    total.add(sums);
  }
  ZBB_RETURN_IF_ERROR(fill(total, report.mutable_total()));
  return report;
}

}  // namespace zbb::review
