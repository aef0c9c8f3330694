#pragma once

// A synthetic population of budget lines for benchmarks: what a large bureau's database holds
// on a day between the Q2 checkpoint and the year-end evaluation. Nothing here is a bureau's
// record: every event names the actor kActor, so the data set cannot pass for real history.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/budget_line.h"
#include "engine/recorded_event.h"
#include "engine/status.h"
#include "workflows/policy.pb.h"

namespace zbb::bench {

// The actor of every generated event.
inline constexpr std::string_view kActor = "zbb-bench";
// The event that puts a generated line straight into its state, in place of the workflow
// events a real line would have there.
inline constexpr std::string_view kPlacedEventType = "bench_placed";

// One generated line as the store keeps it, with the hash-chained events that lead to it:
// "create", then "bench_placed" (unless the line is still a draft), then "sla_breached" when
// its due time had passed at the as-of instant, as zbbd's escalation timer would have left it.
struct SyntheticLine {
  BudgetLine line;                    // line.version is the number of events
  std::vector<RecordedEvent> events;  // line_sequence 1…n; the last hash is the line's
};

struct PopulationOptions {
  Timestamp as_of;  // between 1 July and 30 November of its year
  int departments = 200;
  std::uint64_t seed = 1;
};

// Three fiscal years around the as-of instant: last year's lines mostly closed (a few still
// being evaluated or never wound up), this year's mostly executing (with warnings from the Q2
// checkpoint, adjustments, mid-year requests in ranking and approval), next year's being
// prepared; departments of very different sizes; due times from the policy's SLAs, so that a
// few percent of the active lines are past due.
class LinePopulation {
 public:
  // INVALID_ARGUMENT for an as-of instant outside 1 July – 30 November, or no departments.
  static Result<LinePopulation> create(const zbb::policy::WorkflowPolicy& policy,
                                       const PopulationOptions& options);

  // Line number `index` (from 0), written under the command `request_id`. The same index and
  // seed give the same line, whatever else is generated.
  SyntheticLine line(std::int64_t index, const std::string& request_id) const;

  const std::vector<std::string>& departments() const { return departments_; }

 private:
  LinePopulation(const zbb::policy::WorkflowPolicy& policy, const PopulationOptions& options);

  const zbb::policy::WorkflowPolicy* policy_;
  PopulationOptions options_;
  std::vector<std::string> departments_;
  std::vector<double> department_cumulative_;  // Zipf-like sizes, cumulative, ending at 1
};

}  // namespace zbb::bench
