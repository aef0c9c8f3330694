#include "adapters/grpc/commit_notifier.h"

namespace zbb::api {

void CommitNotifier::committed(std::int64_t last_sequence) noexcept {
  {
    std::lock_guard lock(mutex_);
    if (last_sequence > last_sequence_) last_sequence_ = last_sequence;
  }
  changed_.notify_all();
}

bool CommitNotifier::wait_beyond(std::int64_t sequence, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [&] { return stopped_ || last_sequence_ > sequence; });
  return !stopped_;
}

void CommitNotifier::stop() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  changed_.notify_all();
}

}  // namespace zbb::api
