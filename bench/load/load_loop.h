#pragma once

// The two ways the scenarios put load on a server, one thread per client:
//   closed loop — each client sends its next call as soon as the previous one is answered;
//   paced (open loop) — calls go out on a fixed schedule, and a call's latency is measured
//   from the time it was scheduled, so a stall that holds back later sends shows in their
//   latencies instead of being hidden.

#include <cstdint>
#include <functional>
#include <vector>

#include "bench/load/call_tally.h"

namespace zbb::bench {

struct LoopSettings {
  int clients = 16;
  double warmup_seconds = 1;  // calls sent before this are not measured
  // Calls sent within this time after the warm-up are measured (and at least one per client)…
  double seconds = 10;
  std::int64_t requests = 0;  // …or this many calls across all clients, when > 0
};

// What one call did: whether it succeeded and how many units (events, lines) it carried.
struct CallDone {
  bool ok = false;
  std::int64_t units = 0;
};

// One call of one client; records its failures (items of a batch included) into the argument.
using ClientCall = std::function<CallDone(Failures&)>;

struct LoopOutcome {
  double seconds = 0;      // the clients' measured time, on average
  std::int64_t calls = 0;  // successful measured calls
  std::int64_t units = 0;
  double calls_per_second = 0;
  double units_per_second = 0;
  Latencies latencies;                  // of the successful measured calls
  Failures failures;                    // of the measured calls
  Failures warmup_failures;             // before them
  std::int64_t acknowledged_units = 0;  // every unit acknowledged, warm-up included
  std::int64_t late_sends = 0;          // paced: calls sent more than 1 ms after their time
  int idle_clients = 0;  // closed loop: clients that sent no call in the measured time
};

// `calls[i]` is client i's call; each runs on its own thread. A client's measured time runs
// from the first call it sends after the warm-up to the answer of the last call it sends
// before the end, and the throughput is the sum of the clients' own rates: right even when a
// call (a batch of 1,000 items committed one by one) takes seconds, where a count of the calls
// answered inside a fixed window would depend on where their ends happen to fall.
LoopOutcome run_closed_loop(const LoopSettings& settings, const std::vector<ClientCall>& calls);
// `rate` calls per second across all clients; client i sends calls i, i + N, i + 2N, … of the
// schedule. The throughput is the calls answered over the scheduled time.
LoopOutcome run_paced(const LoopSettings& settings, double rate,
                      const std::vector<ClientCall>& calls);

}  // namespace zbb::bench
