#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/clock.h"
#include "engine/engine.h"
#include "workflows/policy_loader.h"

namespace zbb::review {

// One executing line's verdict at the checkpoint, with the numbers behind it.
struct MonitoredLine {
  std::string line_id;
  std::string department;
  MonitoringResult result;
  Fen approved = 0;
  Fen spent = 0;

  bool operator==(const MonitoredLine&) const = default;
};

// Lines, approved and spent money of one department at one warning level.
struct MonitoringGroup {
  std::string department;
  WarningLevel level = WarningLevel::kGreen;
  std::int64_t lines = 0;
  Fen approved = 0;
  Fen spent = 0;

  bool operator==(const MonitoringGroup&) const = default;
};

struct MonitoringReport {
  std::string report_id;  // the request id
  int fiscal_year = 0;
  std::string as_of;                    // YYYY-MM-DD
  std::string department;               // empty: every department
  std::vector<MonitoringGroup> groups;  // by department, then level (green, yellow, red)
  std::vector<MonitoredLine> lines;     // by line id
  bool replayed = false;

  bool operator==(const MonitoringReport&) const = default;
};

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

// The Q2 checkpoint of every executing line of the fiscal year (and department), as one
// all-or-nothing command that keeps its report. Red lines move to execution.red_warning.
// FAILED_PRECONDITION when no line is executing. A retried request id returns the stored report.
Result<MonitoringReport> run_monitoring(Engine& engine, const PolicySet& policies,
                                        const MonitoringRequest& request);

// Runs the checkpoint by itself once the policy's checkpoint date has come on the clock: one
// round per fiscal year, under the request id "q2-checkpoint-<year>" of zbb itself
// (Principal::zbb(), "zbbd").
class MonitoringScheduler {
 public:
  MonitoringScheduler(Engine& engine, const PolicySet& policies, const Clock& clock)
      : engine_(engine), policies_(policies), clock_(clock) {}

  // Runs the round of the clock's year if it is due and not yet done; the report of the round
  // it ran, nullopt when nothing was due (or nothing is executing yet). A round the engine
  // refuses as invalid (more than 10,000 executing lines: run it by department on request) is
  // reported once and not tried again; other failures are tried again at the next look.
  Result<std::optional<MonitoringReport>> tick();

 private:
  Engine& engine_;
  const PolicySet& policies_;
  const Clock& clock_;
  std::optional<int> refused_year_;  // a round refused as such is not tried again
};

}  // namespace zbb::review
