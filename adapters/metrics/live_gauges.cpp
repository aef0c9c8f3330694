#include "adapters/metrics/live_gauges.h"

#include <spdlog/spdlog.h>

#include <string>

namespace zbb::metrics {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

MetricFamily family(std::string name, std::string help, MetricType type) {
  return MetricFamily{std::move(name), std::move(help), type, {}};
}

ClientMetric gauge(double value, std::vector<ClientMetric::Label> labels = {}) {
  ClientMetric metric;
  metric.label = std::move(labels);
  metric.gauge.value = value;
  return metric;
}

ClientMetric counter(double value) {
  ClientMetric metric;
  metric.counter.value = value;
  return metric;
}

}  // namespace

std::vector<MetricFamily> read_live_gauges(const LiveSources& sources) {
  std::vector<MetricFamily> families;
  bool readable = true;

  auto by_state = sources.store.summarize(SummaryQuery{SummaryGrouping::kState});
  if (by_state.ok()) {
    auto lines = family("zbb_lines", "Lines in each state", MetricType::Gauge);
    auto escalated =
        family("zbb_lines_escalated", "Lines escalated (SLA breached) in their current state visit",
               MetricType::Gauge);
    double escalated_lines = 0;
    for (const SummaryGroup& group : *by_state) {
      lines.metric.push_back(gauge(static_cast<double>(group.lines), {{"state", group.key}}));
      escalated_lines += static_cast<double>(group.escalated);
    }
    escalated.metric.push_back(gauge(escalated_lines));
    families.push_back(std::move(lines));
    families.push_back(std::move(escalated));
  } else {
    readable = false;
    spdlog::error("metrics: lines by state: {}", by_state.status().to_string());
  }

  auto stuck = sources.store.count_stuck(sources.clock.now());
  if (stuck.ok()) {
    auto lines =
        family("zbb_stuck_lines", "Lines past their state's due time, by state", MetricType::Gauge);
    for (const auto& [state, count] : *stuck)
      lines.metric.push_back(gauge(static_cast<double>(count), {{"state", state}}));
    families.push_back(std::move(lines));
  } else {
    readable = false;
    spdlog::error("metrics: stuck lines: {}", stuck.status().to_string());
  }

  auto queue = family("zbb_commit_queue_depth", "Commands waiting for the group commit's writer",
                      MetricType::Gauge);
  queue.metric.push_back(gauge(static_cast<double>(sources.commit_queue_depth())));
  families.push_back(std::move(queue));

  auto escalations =
      family("zbb_escalations_total", "Lines escalated by this zbbd's SLA timer since it started",
             MetricType::Counter);
  escalations.metric.push_back(counter(static_cast<double>(sources.escalations())));
  families.push_back(std::move(escalations));

  auto streams = family("zbb_watch_streams", "Watch streams open", MetricType::Gauge);
  streams.metric.push_back(gauge(static_cast<double>(sources.watch_streams())));
  families.push_back(std::move(streams));

  auto store =
      family("zbb_store_readable",
             "1 when the store answered this scrape's reads, 0 when one failed", MetricType::Gauge);
  store.metric.push_back(gauge(readable ? 1 : 0));
  families.push_back(std::move(store));
  return families;
}

}  // namespace zbb::metrics
