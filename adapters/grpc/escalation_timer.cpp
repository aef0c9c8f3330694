#include "adapters/grpc/escalation_timer.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace zbb::api {
namespace {

// A line that moved on while it was escalated, or a store that failed, is looked at again
// after this, not in a tight loop.
constexpr std::chrono::milliseconds kRetryDelay{5000};

}  // namespace

EscalationTimer::EscalationTimer(Engine& engine, const Clock& clock, std::chrono::seconds max_wait,
                                 TimerLeadership& leadership)
    : escalator_(engine, clock), clock_(clock), leadership_(leadership), max_wait_(max_wait) {
  if (max_wait.count() > 0) thread_ = std::thread([this] { run(); });
}

void EscalationTimer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_round_ = true;
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::chrono::milliseconds EscalationTimer::wait_after(const EscalationRound& round) const {
  // A line that failed for a reason other than a concurrent change (a policy not loaded, the
  // store) would fail again at once: it is tried again at the next regular look.
  if (!round.failures.empty()) return max_wait_;
  if (!round.next_due) return max_wait_;
  const auto until_due =
      std::chrono::duration_cast<std::chrono::milliseconds>(*round.next_due - clock_.now());
  // Due already (a line aborted by a concurrent change, or the clock moved on): look again
  // soon, but never spin.
  if (until_due <= std::chrono::milliseconds::zero()) return std::min(kRetryDelay, max_wait_);
  return std::min(until_due, max_wait_);
}

void EscalationTimer::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    std::chrono::milliseconds wait = max_wait_;
    if (!leadership_.leads()) {
      // Another server runs the rounds; ask again after the longest wait.
      lock.lock();
      wake_.wait_for(lock, wait, [this] { return stopping_; });
      continue;
    }
    auto round = escalator_.run(&stop_round_);
    if (!round.ok()) {
      spdlog::error("SLA escalation: {}", round.status().to_string());
      wait = std::min(kRetryDelay, max_wait_);
    } else {
      escalated_ += static_cast<std::uint64_t>(round->escalated);
      if (round->escalated > 0)
        spdlog::info("SLA escalation: {} lines escalated", round->escalated);
      for (const Status& failure : round->failures)
        spdlog::error("SLA escalation: {}", failure.to_string());
      wait = wait_after(*round);
    }
    lock.lock();
    wake_.wait_for(lock, wait, [this] { return stopping_; });
  }
}

}  // namespace zbb::api
