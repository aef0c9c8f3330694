#include "adapters/grpc/commit_notifier.h"

#include <utility>
#include <vector>

namespace zbb::api {

CommitNotifier::CommitNotifier(std::chrono::milliseconds tick) {
  ticker_ = std::thread([this, tick] { tick_until_stopped(tick); });
}

CommitNotifier::~CommitNotifier() { stop(); }

std::vector<CommitNotifier::Wake> CommitNotifier::take(
    const std::function<bool(const Subscriber&)>& woken) {
  std::vector<Wake> wakes;
  for (auto it = subscribers_.begin(); it != subscribers_.end();) {
    if (woken(it->second)) {
      wakes.push_back(std::move(it->second.wake));
      it = subscribers_.erase(it);
    } else {
      ++it;
    }
  }
  return wakes;
}

void CommitNotifier::committed(std::int64_t last_sequence) noexcept {
  std::vector<Wake> wakes;
  try {
    std::lock_guard lock(mutex_);
    if (last_sequence > last_sequence_) last_sequence_ = last_sequence;
    wakes = take([&](const Subscriber& s) { return s.sequence < last_sequence_; });
  } catch (...) {
    return;  // out of memory: the next tick wakes them
  }
  for (auto& wake : wakes) {
    try {
      wake();
    } catch (...) {
    }
  }
}

std::uint64_t CommitNotifier::subscribe(std::int64_t sequence, Wake wake) {
  {
    std::lock_guard lock(mutex_);
    if (!stopped_ && last_sequence_ <= sequence) {
      const std::uint64_t id = next_subscription_++;
      subscribers_.emplace(id, Subscriber{sequence, std::move(wake)});
      return id;
    }
  }
  wake();
  return 0;
}

void CommitNotifier::unsubscribe(std::uint64_t subscription) {
  std::lock_guard lock(mutex_);
  subscribers_.erase(subscription);
}

void CommitNotifier::tick_until_stopped(std::chrono::milliseconds tick) {
  std::unique_lock lock(mutex_);
  while (!stopped_) {
    if (stopping_.wait_for(lock, tick, [this] { return stopped_; })) break;
    auto wakes = take([](const Subscriber&) { return true; });
    lock.unlock();
    for (auto& wake : wakes) {
      try {
        wake();
      } catch (...) {
      }
    }
    lock.lock();
  }
}

void CommitNotifier::stop() {
  std::vector<Wake> wakes;
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    stopped_ = true;
    wakes = take([](const Subscriber&) { return true; });
  }
  stopping_.notify_all();
  for (auto& wake : wakes) {
    try {
      wake();
    } catch (...) {
    }
  }
  if (ticker_.joinable()) ticker_.join();
}

bool CommitNotifier::stopped() const {
  std::lock_guard lock(mutex_);
  return stopped_;
}

}  // namespace zbb::api
