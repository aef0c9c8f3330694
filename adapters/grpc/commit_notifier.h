#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "engine/commit_listener.h"

namespace zbb::api {

// Wakes Watch streams when the event log grows, so they follow it without polling the store on
// every commit — and, every `tick`, wakes them all anyway: another server sharing the database
// commits without telling this one.
class CommitNotifier final : public CommitListener {
 public:
  using Wake = std::function<void()>;

  explicit CommitNotifier(std::chrono::milliseconds tick);
  ~CommitNotifier() override;  // stop()
  CommitNotifier(const CommitNotifier&) = delete;
  CommitNotifier& operator=(const CommitNotifier&) = delete;

  void committed(std::int64_t last_sequence) noexcept override;

  // Calls `wake` once: when an event after `sequence` is committed, at the next tick, or when
  // stopped — at once (on this thread) when one of those happened already. `wake` runs on the
  // thread told of the commit (or that ticks, or stops): it must only hand the work on. Returns the
  // subscription, for unsubscribe(); 0 when `wake` was called already.
  std::uint64_t subscribe(std::int64_t sequence, Wake wake);
  // Forgets a subscription not yet woken; its `wake` may still be running or about to.
  void unsubscribe(std::uint64_t subscription);

  // Wakes every subscriber for good: the server is shutting down.
  void stop();
  bool stopped() const;

 private:
  struct Subscriber {
    std::int64_t sequence;
    Wake wake;
  };
  void tick_until_stopped(std::chrono::milliseconds tick);
  // Takes the subscribers `woken` says to wake, out of the list; the caller wakes them.
  std::vector<Wake> take(const std::function<bool(const Subscriber&)>& woken);

  mutable std::mutex mutex_;
  std::condition_variable stopping_;
  std::map<std::uint64_t, Subscriber> subscribers_;
  std::uint64_t next_subscription_ = 1;
  std::int64_t last_sequence_ = 0;
  bool stopped_ = false;
  std::thread ticker_;
};

}  // namespace zbb::api
