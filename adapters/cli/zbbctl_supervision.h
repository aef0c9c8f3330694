#pragma once

// zbbctl stuck / zbbctl summary: what supervisors watch over — the lines past the SLA of their
// state, and the counts and money of the lines by state, department, waited-on role or warning.

#include <optional>
#include <string>

#include "adapters/cli/zbbctl_client.h"
#include "adapters/cli/zbbctl_commands.h"
#include "zbb/v1/query.pb.h"

namespace zbb::cli {

struct StuckOptions {
  int fiscal_year = 0;
  std::string department;
  std::string state;
  std::string waiting_on;
  std::optional<std::string> older_than;  // a span, "20d", "36h", "90m"; unset: past due
  int page_size = 0;
  std::string page_token;
  bool all = false;  // follow next_page_token to the end
};
Outcome run_stuck(Client& client, const StuckOptions& options, const Output& output);

struct SummaryOptions {
  std::string by = "state";  // state, department, waiting-on or warning
  int fiscal_year = 0;
  std::string department;
  std::string as_of;  // empty: now
};
Outcome run_summary(Client& client, const SummaryOptions& options, const Output& output);

// line, department, state, waiting on, entered, due, overdue ("3d 4h"; "due in 2d" when not
// yet due), amount in yuan (approved, else requested), escalated — in the server's order.
std::string stuck_table(const zbb::v1::FindStuckResponse& response);

// key ("(none)" when empty), lines, escalated, requested, approved, spent, the oldest line and
// how long it has waited (its state too unless grouped by state), then a total row.
std::string summary_table(const zbb::v1::SummarizeResponse& response);

}  // namespace zbb::cli
