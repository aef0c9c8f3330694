#include "bench/load/load_loop.h"

#include <algorithm>
#include <chrono>
#include <latch>
#include <thread>

namespace zbb::bench {
namespace {

using Clock = std::chrono::steady_clock;

Clock::duration seconds_of(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

// What one client thread saw.
struct ClientTally {
  std::int64_t calls = 0;
  std::int64_t units = 0;
  std::int64_t acknowledged = 0;
  std::int64_t late = 0;
  Latencies latencies;
  Failures failures;
  Failures warmup_failures;
  bool measuring = false;
  Clock::time_point first_sent{};
  Clock::time_point last_answered{};
};

std::int64_t share_of(std::int64_t total, int clients, int index) {
  return total / clients + (index < total % clients ? 1 : 0);
}

void tally_call(ClientTally& t, const CallDone& done, Failures& failures, bool measured,
                Clock::time_point sent, Clock::time_point answered, std::int64_t latency_ns) {
  if (done.ok) t.acknowledged += done.units;
  if (!measured) {
    t.warmup_failures.merge(failures);
    return;
  }
  if (!t.measuring) {
    t.measuring = true;
    t.first_sent = sent;
  }
  t.last_answered = answered;
  t.failures.merge(failures);
  if (!done.ok) return;
  ++t.calls;
  t.units += done.units;
  t.latencies.push_back(latency_ns);
}

// Starts one thread per client once all are ready, and merges their tallies.
template <typename Body>
std::vector<ClientTally> run_clients(const std::vector<ClientCall>& calls, Body body) {
  const int n = static_cast<int>(calls.size());
  std::vector<ClientTally> tallies(calls.size());
  std::latch ready(n + 1);
  Clock::time_point start;
  {
    std::vector<std::jthread> threads;
    for (int i = 0; i < n; ++i) {
      threads.emplace_back([&, i] {
        ready.arrive_and_wait();
        body(i, start, tallies[static_cast<std::size_t>(i)]);
      });
    }
    start = Clock::now() + std::chrono::milliseconds(5);
    ready.arrive_and_wait();
  }
  return tallies;
}

LoopOutcome merged(std::vector<ClientTally>& tallies) {
  LoopOutcome outcome;
  for (auto& t : tallies) {
    outcome.calls += t.calls;
    outcome.units += t.units;
    outcome.acknowledged_units += t.acknowledged;
    outcome.late_sends += t.late;
    outcome.failures.merge(t.failures);
    outcome.warmup_failures.merge(t.warmup_failures);
    outcome.latencies.insert(outcome.latencies.end(), t.latencies.begin(), t.latencies.end());
  }
  return outcome;
}

}  // namespace

LoopOutcome run_closed_loop(const LoopSettings& settings, const std::vector<ClientCall>& calls) {
  const int n = static_cast<int>(calls.size());
  auto tallies = run_clients(calls, [&](int i, Clock::time_point start, ClientTally& t) {
    const Clock::time_point measured_from = start + seconds_of(settings.warmup_seconds);
    const Clock::time_point end = measured_from + seconds_of(settings.seconds);
    const std::int64_t share = share_of(settings.requests, n, i);
    std::int64_t measured_calls = 0;
    std::this_thread::sleep_until(start);
    for (;;) {
      const Clock::time_point sent = Clock::now();
      // Every client sends at least one measured call, even when its warm-up call ran past
      // the end (a batch committed item by item on a busy machine).
      if (settings.requests > 0 ? measured_calls >= share : sent >= end && measured_calls > 0)
        break;
      const bool measured = sent >= measured_from;
      if (measured) ++measured_calls;
      Failures failures;
      const CallDone done = calls[static_cast<std::size_t>(i)](failures);
      const Clock::time_point answered = Clock::now();
      tally_call(t, done, failures, measured, sent, answered, nanoseconds_between(sent, answered));
    }
  });
  LoopOutcome outcome = merged(tallies);
  double busy = 0;
  int measuring = 0;
  for (const auto& t : tallies) {
    if (!t.measuring) {
      ++outcome.idle_clients;
      continue;
    }
    const double s = std::chrono::duration<double>(t.last_answered - t.first_sent).count();
    if (s <= 0) continue;
    ++measuring;
    busy += s;
    outcome.calls_per_second += static_cast<double>(t.calls) / s;
    outcome.units_per_second += static_cast<double>(t.units) / s;
  }
  outcome.seconds = measuring > 0 ? busy / measuring : 0;
  return outcome;
}

LoopOutcome run_paced(const LoopSettings& settings, double rate,
                      const std::vector<ClientCall>& calls) {
  const int n = static_cast<int>(calls.size());
  const auto warmup_slots = static_cast<std::int64_t>(settings.warmup_seconds * rate);
  const std::int64_t measured_slots = settings.requests > 0
                                          ? settings.requests
                                          : static_cast<std::int64_t>(settings.seconds * rate);
  auto tallies = run_clients(calls, [&](int i, Clock::time_point start, ClientTally& t) {
    for (std::int64_t slot = i; slot < warmup_slots + measured_slots; slot += n) {
      const Clock::time_point scheduled = start + seconds_of(static_cast<double>(slot) / rate);
      std::this_thread::sleep_until(scheduled);
      const Clock::time_point sent = Clock::now();
      const bool measured = slot >= warmup_slots;
      if (measured && sent - scheduled > std::chrono::milliseconds(1)) ++t.late;
      Failures failures;
      const CallDone done = calls[static_cast<std::size_t>(i)](failures);
      const Clock::time_point answered = Clock::now();
      tally_call(t, done, failures, measured, sent, answered,
                 nanoseconds_between(scheduled, answered));
    }
  });
  LoopOutcome outcome = merged(tallies);
  outcome.seconds = static_cast<double>(measured_slots) / rate;
  outcome.calls_per_second = static_cast<double>(outcome.calls) / outcome.seconds;
  outcome.units_per_second = static_cast<double>(outcome.units) / outcome.seconds;
  return outcome;
}

}  // namespace zbb::bench
