#pragma once

#include <prometheus/metric_family.h>

#include <cstdint>
#include <functional>
#include <vector>

#include "engine/clock.h"
#include "engine/store.h"

namespace zbb::metrics {

// Where the values read at a scrape come from.
struct LiveSources {
  Store& store;
  const Clock& clock;  // the engine's: what "past due" is judged against
  std::function<std::size_t()> commit_queue_depth;
  std::function<std::uint64_t()> escalations;  // lines the SLA timer escalated since zbbd started
  std::function<std::int64_t()> watch_streams;
};

// The families read afresh at each scrape of /metrics:
//   zbb_lines{state}               lines in each state (the store's per-group totals)
//   zbb_lines_escalated            lines escalated in their current state visit
//   zbb_stuck_lines{state}         lines past their state's due time (as FindStuck finds them)
//   zbb_commit_queue_depth         commands waiting for the group commit's writer
//   zbb_escalations_total          lines escalated by this zbbd's SLA timer since it started
//   zbb_watch_streams              Watch streams open
//   zbb_store_readable             1 when the store answered the reads above, 0 when it failed
// Each store read is an indexed query over per-state totals or due times, never a scan of
// every line's document.
std::vector<prometheus::MetricFamily> read_live_gauges(const LiveSources& sources);

}  // namespace zbb::metrics
