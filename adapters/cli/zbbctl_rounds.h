#pragma once

// zbbctl rank / zbbctl monitor: the commands that act on a whole department or fiscal year at
// once — a priority ranking cut at the envelope, a Q2 monitoring round.

#include <string>

#include "adapters/cli/zbbctl_client.h"
#include "adapters/cli/zbbctl_commands.h"

namespace zbb::cli {

struct RankOptions {
  int fiscal_year = 0;
  std::string department;  // empty: every department of the year
  std::string envelope;    // yuan
  std::string request_id;
};

struct MonitorOptions {
  int fiscal_year = 0;
  std::string as_of;  // YYYY-MM-DD
  std::string department;
  std::string request_id;
};

Outcome run_rank(Client& client, const RankOptions& options, const Output& output);
Outcome run_monitor(Client& client, const MonitorOptions& options, const Output& output);

}  // namespace zbb::cli
