#include "bench/load/call_tally.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace zbb::bench {

std::string code_name(int code) {
  static const char* const kNames[] = {"OK",
                                       "CANCELLED",
                                       "UNKNOWN",
                                       "INVALID_ARGUMENT",
                                       "DEADLINE_EXCEEDED",
                                       "NOT_FOUND",
                                       "ALREADY_EXISTS",
                                       "PERMISSION_DENIED",
                                       "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION",
                                       "ABORTED",
                                       "OUT_OF_RANGE",
                                       "UNIMPLEMENTED",
                                       "INTERNAL",
                                       "UNAVAILABLE",
                                       "DATA_LOSS",
                                       "UNAUTHENTICATED"};
  if (code >= 0 && code < static_cast<int>(std::size(kNames))) return kNames[code];
  return fmt::format("CODE_{}", code);
}

void Failures::add(int code, std::string_view message, std::string_view what) {
  if (by_code.empty()) first = fmt::format("{}: {}: {}", what, code_name(code), message);
  ++by_code[code];
}

std::int64_t Failures::total() const {
  std::int64_t n = 0;
  for (const auto& [code, count] : by_code) n += count;
  return n;
}

void Failures::merge(const Failures& other) {
  if (by_code.empty()) first = other.first;
  for (const auto& [code, count] : other.by_code) by_code[code] += count;
}

std::string Failures::summary() const {
  if (by_code.empty()) return "none";
  std::string text;
  for (const auto& [code, count] : by_code) {
    if (!text.empty()) text += ", ";
    text += fmt::format("{} {}", count, code_name(code));
  }
  return text;
}

Percentiles percentiles_of(Latencies& samples) {
  if (samples.empty()) return {};
  std::sort(samples.begin(), samples.end());
  // Nearest rank: the smallest sample at or above which a fraction q of all samples lie.
  auto at = [&](double q) {
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(samples.size())));
    const std::size_t index = rank == 0 ? 0 : std::min(rank, samples.size()) - 1;
    return static_cast<double>(samples[index]) / 1e6;
  };
  return {at(0.50), at(0.99), at(0.999), static_cast<double>(samples.back()) / 1e6};
}

}  // namespace zbb::bench
