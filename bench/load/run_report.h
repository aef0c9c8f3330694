#pragma once

// Across runs: the median of every figure of every scenario, the ratios of zbbd's figures to
// the floors measured in the same run, and where they stand against the targets.
// Input: one file per run, each holding the JSON lines zbb-bench (and run.sh) wrote for it.

#include <map>
#include <string>
#include <vector>

#include "bench/load/scenario_result.h"

namespace zbb::bench {

// Ratios between scenarios of one run, by name ("unary / echo-unary"), from units per second.
std::map<std::string, double> ratios_of(const std::map<std::string, double>& units_per_second);

// The ratios among the results of one invocation, as printable lines (none when no pair).
std::vector<std::string> ratio_lines(const std::vector<ScenarioResult>& results);

// Prints the report of `run_files` on stdout; returns 0, or 2 when a file cannot be read.
int print_report(const std::vector<std::string>& run_files);

}  // namespace zbb::bench
