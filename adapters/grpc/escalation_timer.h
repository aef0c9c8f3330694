#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "engine/clock.h"
#include "engine/escalation.h"
#include "engine/timer_leadership.h"

namespace zbb::api {

// zbbd's SLA timer: runs an escalation round, then sleeps until the earliest due time the
// store's index names (at most `max_wait`, so lines entering a state meanwhile — due a day
// or more later — are never missed), on a thread of its own until stopped. Of several servers
// sharing a database, only the one `leadership` names runs rounds; the others ask again every
// `max_wait`.
class EscalationTimer {
 public:
  // `max_wait` of zero: no timer (escalation off).
  EscalationTimer(Engine& engine, const Clock& clock, std::chrono::seconds max_wait,
                  TimerLeadership& leadership);
  ~EscalationTimer() { stop(); }
  EscalationTimer(const EscalationTimer&) = delete;
  EscalationTimer& operator=(const EscalationTimer&) = delete;

  void stop();

  // Lines this timer has escalated since it started.
  std::uint64_t escalated() const { return escalated_.load(); }

 private:
  void run();
  std::chrono::milliseconds wait_after(const EscalationRound& round) const;

  Escalator escalator_;
  const Clock& clock_;
  TimerLeadership& leadership_;
  const std::chrono::milliseconds max_wait_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::atomic<bool> stop_round_{false};  // ends a long round at once on shutdown
  std::atomic<std::uint64_t> escalated_{0};
  std::thread thread_;
};

}  // namespace zbb::api
