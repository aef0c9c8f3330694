#pragma once

// How soon a zbbd just started on a large database answers: polls ListLines from the moment
// zbbd was started until one succeeds, then times a GetLine and the supervisors' queries
// (FindStuck, Summarize). Reads only: nothing is written to the database.

#include <cstdint>
#include <string>

#include "bench/load/scenario_result.h"

namespace zbb::bench {

struct ProbeSettings {
  std::string address;
  std::string tokens_path;
  std::int64_t started_unix_ns = 0;  // when zbbd was started (date +%s%N just before exec)
  double timeout_seconds = 120;
  int queries = 20;  // GetLine calls timed after the first answer
};

// Figures (milliseconds): first_answer_ms (since started_unix_ns), first_getline_ms,
// getline_p50_ms, findstuck_ms, summarize_state_ms, summarize_department_ms, list_page_ms.
// Throws BenchError when zbbd never answers within the timeout.
ScenarioResult probe_startup(const ProbeSettings& settings);

}  // namespace zbb::bench
