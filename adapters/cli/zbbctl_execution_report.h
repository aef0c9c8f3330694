#pragma once

// zbbctl report monthly: the monthly execution report (预算执行月报) by department.

#include <string>

#include "adapters/cli/zbbctl_client.h"
#include "adapters/cli/zbbctl_commands.h"
#include "zbb/v1/query.pb.h"

namespace zbb::cli {

struct MonthlyReportOptions {
  int fiscal_year = 0;
  std::string month;       // "YYYY-MM"
  std::string department;  // empty: every department (a unit: its own)
};
Outcome run_monthly_report(Client& client, const MonthlyReportOptions& options,
                           const Output& output);

// A heading naming the month and when it was read, then one row per department and the county's
// total: lines, approved, spent in the month, spent to date, execution, time progress, lines
// lagging; a note on spending recorded before months were kept, when there is any.
std::string execution_report_text(const zbb::v1::GetExecutionReportResponse& report);

}  // namespace zbb::cli
