#pragma once

// The figures one scenario produced: a readable block for people and one JSON line for
// scripts (run.sh collects the lines of every run and `zbb-bench report` takes their medians).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bench/load/call_tally.h"

namespace zbb::bench {

struct ScenarioResult {
  std::string scenario;  // "unary", "paced", "batch", "lifecycle", "echo-unary", "echo-batch",
                         // "sqlite"
  std::string target;    // what was measured: "zbbd at 127.0.0.1:5001", "echo server", a file
  int clients = 0;
  double seconds = 0;      // measured time (of each client, on average)
  std::int64_t calls = 0;  // successful calls in the measured time
  // What `units` counts: "calls", "events", "lines", "rows"; empty when the scenario measures
  // no throughput (the start-up probe).
  std::string unit;
  std::int64_t units = 0;  // successful units in the measured time
  double calls_per_second = 0;
  double units_per_second = 0;
  Percentiles latency;  // per call (per batch, per transaction for sqlite)
  Failures failures;
  // Further numbers, by name, in the JSON line as well ("target_rate", "late_sends", …).
  std::map<std::string, double> figures;
  // Lines of explanation printed under the block ("durability: …").
  std::vector<std::string> notes;
};

// The readable block.
std::string describe(const ScenarioResult& result);
// One line of JSON, no newline.
std::string json_line(const ScenarioResult& result);

}  // namespace zbb::bench
