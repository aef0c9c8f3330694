#pragma once

// zbbctl report department: a department's year in one report (部门整体支出绩效评价).

#include <string>

#include "adapters/cli/zbbctl_client.h"
#include "adapters/cli/zbbctl_commands.h"
#include "zbb/v1/query.pb.h"

namespace zbb::cli {

struct DepartmentReportOptions {
  int fiscal_year = 0;
  std::string department;  // required, but for a unit of one department (empty: its own)
};
Outcome run_department_report(Client& client, const DepartmentReportOptions& options,
                              const Output& output);

// A heading naming the department, the year and when it was read, then one field per line:
// lines, money, execution, grades, warnings, corrections, unspent money and the overall score.
std::string department_report_text(const zbb::v1::DepartmentReport& report);

}  // namespace zbb::cli
