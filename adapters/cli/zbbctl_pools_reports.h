#pragma once

// zbbctl pool / reports / report: a department's pool and its movements, and the reports of
// rankings and monitoring rounds read back.

#include <string>

#include "adapters/cli/zbbctl_client.h"
#include "adapters/cli/zbbctl_commands.h"
#include "zbb/v1/query.pb.h"

namespace zbb::cli {

struct PoolOptions {
  int fiscal_year = 0;
  std::string department;  // required, but for a unit of one department (empty: its own)
  int movements = 0;       // the newest movements shown; 0: the server's default
  bool county = false;     // the county's general pool instead of a department's
};
Outcome run_pool(Client& client, const PoolOptions& options, const Output& output);

struct ReportsOptions {
  int fiscal_year = 0;
  std::string department;
  std::string kind;  // ranking, monitoring; empty: both
  int page_size = 0;
  std::string page_token;
  bool all = false;  // follow next_page_token to the end
};
Outcome run_reports(Client& client, const ReportsOptions& options, const Output& output);

Outcome run_report(Client& client, const std::string& report_id, const Output& output);

// The balance, then each movement: when, change, balance after, line, reason, who, report.
std::string pool_text(const zbb::v1::GetPoolResponse& pool);
// id, kind, fiscal year, department ("(county)" when empty), when, who — in the server's order.
std::string reports_table(const zbb::v1::ListReportsResponse& reports);

}  // namespace zbb::cli
