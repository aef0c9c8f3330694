#pragma once

// zbbctl rank / zbbctl monitor: the commands that act on a whole department or fiscal year at
// once — a priority ranking cut at the envelope, a monitoring round at a checkpoint.

#include <string>

#include "adapters/cli/zbbctl_client.h"
#include "adapters/cli/zbbctl_commands.h"
#include "zbb/v1/workflow.pb.h"

namespace zbb::cli {

struct RankOptions {
  int fiscal_year = 0;
  std::string department;  // empty: every department of the year
  std::string envelope;    // yuan
  std::string request_id;
  bool dry_run = false;  // preview the ranking, write nothing
};

struct MonitorOptions {
  int fiscal_year = 0;
  std::string as_of;  // YYYY-MM-DD
  std::string department;
  std::string request_id;
};

Outcome run_rank(Client& client, const RankOptions& options, const Output& output);
// A ranking as tables: lines in rank order, then the packages and the cut; totals in yuan.
std::string rank_text(const zbb::v1::RankResponse& ranking);
// A monitoring round as tables: groups by department and warning, then every line's verdict.
std::string monitor_text(const zbb::v1::MonitoringReport& round);
Outcome run_monitor(Client& client, const MonitorOptions& options, const Output& output);

}  // namespace zbb::cli
