#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "engine/group_observer.h"

namespace zbb::metrics {

// What zbbd counts as it runs, in Prometheus's data model (prometheus-cpp's core):
//   zbb_requests_total{method,code}          requests answered, by RPC and gRPC code
//   zbb_request_duration_seconds{method}     how long each took (a Watch: how long it was open)
//   zbb_commit_group_batches                 commands written per group commit transaction
//   zbb_commit_seconds                       each group's write, commit and sync (fsync)
// Safe to call from any thread.
class ServerMetrics final : public GroupObserver {
 public:
  ServerMetrics();

  void request_finished(std::string_view method, std::string_view code,
                        std::chrono::nanoseconds took);
  void group_written(std::size_t batches, std::chrono::nanoseconds took) noexcept override;

  // The metrics above and `read_now` (the families read at the scrape) in Prometheus's text
  // format, version 0.0.4.
  std::string text(std::vector<prometheus::MetricFamily> read_now) const;

 private:
  prometheus::Registry registry_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& request_seconds_;
  prometheus::Histogram& group_batches_;
  prometheus::Histogram& commit_seconds_;
};

}  // namespace zbb::metrics
