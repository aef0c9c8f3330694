#pragma once

// What the calls of a scenario came to: latencies of the successful ones and the failures by
// gRPC code, with the first failure's message to show what went wrong.

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace zbb::bench {

struct Failures {
  std::map<int, std::int64_t> by_code;  // grpc::StatusCode → count
  std::string first;                    // "<what>: CODE: message" of the first one

  void add(int code, std::string_view message, std::string_view what);
  void add(const grpc::Status& status, std::string_view what) {
    add(status.error_code(), status.error_message(), what);
  }
  std::int64_t total() const;
  void merge(const Failures& other);
  // "3 DEADLINE_EXCEEDED, 1 ABORTED", or "none".
  std::string summary() const;
};

std::string code_name(int code);

// Nanoseconds per call, in the order they completed.
using Latencies = std::vector<std::int64_t>;

inline std::int64_t nanoseconds_between(std::chrono::steady_clock::time_point from,
                                        std::chrono::steady_clock::time_point to) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(to - from).count();
}

struct Percentiles {
  double p50_ms = 0;
  double p99_ms = 0;
  double p999_ms = 0;
  double max_ms = 0;
};

// Nearest-rank percentiles of `samples` (sorted in place); all zero when empty.
Percentiles percentiles_of(Latencies& samples);

}  // namespace zbb::bench
