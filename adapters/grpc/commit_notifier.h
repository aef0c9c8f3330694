#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "engine/commit_listener.h"

namespace zbb::api {

// Wakes Watch streams when the event log grows, so they follow it without polling the store.
class CommitNotifier final : public CommitListener {
 public:
  void committed(std::int64_t last_sequence) noexcept override;

  // Waits until an event after `sequence` is committed, `timeout` passes or stop() is called.
  // Returns false once stopped.
  bool wait_beyond(std::int64_t sequence, std::chrono::milliseconds timeout);

  // Releases every waiter for good: the server is shutting down.
  void stop();

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::int64_t last_sequence_ = 0;
  bool stopped_ = false;
};

}  // namespace zbb::api
