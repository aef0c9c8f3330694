#include "adapters/metrics/server_metrics.h"

#include <prometheus/text_serializer.h>

namespace zbb::metrics {
namespace {

using prometheus::Histogram;

// From a cached read (tenths of a millisecond) to a ranking of a county (seconds).
const Histogram::BucketBoundaries& request_buckets() {
  static const Histogram::BucketBoundaries buckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
  return buckets;
}

// A group holds one command on a quiet server and up to GroupCommit::kDefaultMaxGroup (256).
const Histogram::BucketBoundaries& group_buckets() {
  static const Histogram::BucketBoundaries buckets = {1, 2, 4, 8, 16, 32, 64, 128, 256};
  return buckets;
}

// An fsync takes from tens of microseconds (a disk cache) to tens of milliseconds.
const Histogram::BucketBoundaries& commit_buckets() {
  static const Histogram::BucketBoundaries buckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                      0.01,   0.025,   0.05,   0.1,   0.25,   1};
  return buckets;
}

double seconds(std::chrono::nanoseconds took) {
  return std::chrono::duration<double>(took).count();
}

}  // namespace

ServerMetrics::ServerMetrics()
    : requests_(prometheus::BuildCounter()
                    .Name("zbb_requests_total")
                    .Help("Requests answered, by RPC method and gRPC status code")
                    .Register(registry_)),
      request_seconds_(prometheus::BuildHistogram()
                           .Name("zbb_request_duration_seconds")
                           .Help("Time from a request's arrival to its answer, by RPC method "
                                 "(a Watch stream: how long it was open)")
                           .Register(registry_)),
      group_batches_(prometheus::BuildHistogram()
                         .Name("zbb_commit_group_batches")
                         .Help("Commands written together in one group commit transaction")
                         .Register(registry_)
                         .Add({}, group_buckets())),
      commit_seconds_(prometheus::BuildHistogram()
                          .Name("zbb_commit_seconds")
                          .Help("Time to write one group commit transaction and make it durable "
                                "(commit and fsync)")
                          .Register(registry_)
                          .Add({}, commit_buckets())) {}

void ServerMetrics::request_finished(std::string_view method, std::string_view code,
                                     std::chrono::nanoseconds took) {
  const std::string name(method);
  requests_.Add({{"method", name}, {"code", std::string(code)}}).Increment();
  request_seconds_.Add({{"method", name}}, request_buckets()).Observe(seconds(took));
}

void ServerMetrics::group_written(std::size_t batches, std::chrono::nanoseconds took) noexcept {
  try {
    group_batches_.Observe(static_cast<double>(batches));
    commit_seconds_.Observe(seconds(took));
  } catch (...) {
    // A metric not kept is no reason to fail a commit.
  }
}

std::string ServerMetrics::text(std::vector<prometheus::MetricFamily> read_now) const {
  std::vector<prometheus::MetricFamily> families = registry_.Collect();
  families.insert(families.end(), std::make_move_iterator(read_now.begin()),
                  std::make_move_iterator(read_now.end()));
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace zbb::metrics
