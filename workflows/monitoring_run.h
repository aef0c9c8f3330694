#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/clock.h"
#include "engine/engine.h"
#include "workflows/policy_loader.h"
#include "zbb/v1/workflow.pb.h"

namespace zbb::review {

// A round's report as the API shows it and the store keeps it (without report_id and
// replayed): the zbb.v1 messages. Each executing line's verdict at the checkpoint with the
// numbers behind it (lines, by line id), and lines, approved and spent money by department and
// warning level (groups, by department, then level: green, yellow, red).
using MonitoredLine = zbb::v1::MonitoredLine;
using MonitoringGroup = zbb::v1::MonitoringGroup;
using MonitoringReport = zbb::v1::MonitoringReport;

struct MonitoringRequest {
  std::string request_id;
  Principal principal;  // runs each line's checkpoint: a reviewer, an integrator or zbb itself
  int fiscal_year = 0;
  std::chrono::year_month_day as_of;
  std::string department;  // empty: every department
  // Whether the caller still waits: a round that a line changing meanwhile aborted is run again
  // on the lines as they now stand while this says yes (unset: tried once).
  std::function<bool()> still_wanted = nullptr;
};

// A checkpoint of every executing line of the fiscal year (and department) — and the re-check of
// every line under a red warning — as of a date on or
// after the policy's first checkpoint date (the round belongs to the latest checkpoint then), as
// one all-or-nothing command that keeps its report. Red lines move to execution.red_warning.
// FAILED_PRECONDITION when no line is executing or red. A retried request id returns the stored
// report.
Result<MonitoringReport> run_monitoring(Engine& engine, const PolicySet& policies,
                                        const MonitoringRequest& request);

// Runs each checkpoint of the policy by itself once its date has come on the clock: one round per
// checkpoint and fiscal year, as of the day it runs, under the request id
// "checkpoint-<year>-<MM-DD>" of zbb itself (Principal::zbb(), "zbbd"). After a stop across
// several checkpoints only the latest is run; the dual-monitoring checkpoint's round a year ran
// under the id of one checkpoint a year, "q2-checkpoint-<year>", counts as run.
class MonitoringScheduler {
 public:
  MonitoringScheduler(Engine& engine, const PolicySet& policies, const Clock& clock)
      : engine_(engine), policies_(policies), clock_(clock) {}

  // Runs the round of the latest checkpoint reached if it is not yet done; the report of the round
  // it ran, nullopt when nothing was due (or nothing is executing yet). A round the engine
  // refuses as invalid (more than 10,000 executing lines: run it by department on request) is
  // reported once and not tried again; other failures are tried again at the next look.
  Result<std::optional<MonitoringReport>> tick();

 private:
  Engine& engine_;
  const PolicySet& policies_;
  const Clock& clock_;
  std::string refused_round_;  // a round refused as such (its request id) is not tried again
};

}  // namespace zbb::review
