#pragma once

// Spending month by month: what a line records of each payment's month, and the monthly
// execution report (预算执行月报) read from the lines of a fiscal year.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "engine/budget_line.h"
#include "engine/clock.h"
#include "engine/money.h"
#include "engine/status.h"
#include "workflows/policy_loader.h"
#include "zbb/v1/query.pb.h"

namespace zbb::review {

// "2027-03" for an instant of March 2027 (UTC, as every date of zbb).
std::string month_of(Timestamp at);

// "YYYY-MM", strictly: INVALID_ARGUMENT with an empty field otherwise (name it with within()).
Result<std::chrono::year_month> parse_month(std::string_view text);

// Adds `amount` (a payment, or a refund when negative) to the line's spending of the month of
// `at`, keeping spent_by_month in month order. The caller adds it to spent_amount.
void record_spent_in_month(BudgetLine& line, Timestamp at, Fen amount);

// Whether a line in `state` has a budget to execute: approved, and neither rejected, withdrawn
// nor unfunded (executing, under a warning, adjusting, in evaluation or closed).
bool has_budget(std::string_view state);

// The monthly execution report of `month` (of `fiscal_year` or the year after) from `lines` (the
// fiscal year's, those without a budget are skipped), by department: spending of the month and by
// its end (by `as_of` when earlier), against each line's time progress at the month's end under its
// own policy version. INTERNAL when a line's policy version is not loaded.
Result<zbb::v1::GetExecutionReportResponse> execution_report(const std::vector<BudgetLine>& lines,
                                                             const PolicySet& policies,
                                                             int fiscal_year,
                                                             std::chrono::year_month month,
                                                             Timestamp as_of);

}  // namespace zbb::review
