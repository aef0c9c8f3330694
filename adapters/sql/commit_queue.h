#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "adapters/sql/prepared_commit.h"
#include "engine/status.h"

namespace zbb::sql {

// Group commit: callers on any thread hand their batch to one writer thread, which commits
// every batch waiting at that moment (up to `max_group`) in one transaction — one fsync for
// all of them — and answers each caller once that transaction is durable. There is no timed
// wait: while the writer syncs one group, the next one gathers, so a lone command is never
// held back and a busy server batches by itself.
class CommitQueue {
 public:
  // Commits a group: one result per batch, in order. A batch that fails fails alone — but for
  // the later batches of the same commit_all() call, refused (PreparedCommit::call_failed); the
  // others are committed. Called on the writer thread only.
  using CommitGroup =
      std::function<std::vector<Result<std::int64_t>>(const std::vector<const PreparedCommit*>&)>;

  CommitQueue(CommitGroup commit_group, std::size_t max_group);
  ~CommitQueue();  // answers what is queued, then stops the writer
  CommitQueue(const CommitQueue&) = delete;
  CommitQueue& operator=(const CommitQueue&) = delete;

  // Blocks until each batch is durable (the global sequence of its last event) or refused;
  // the batches are queued together, in order, and share group commits (as many as max_group
  // allows each) instead of each waiting for its own turn.
  std::vector<Result<std::int64_t>> commit_all(const std::vector<const PreparedCommit*>& batches);

 private:
  struct Pending {
    const PreparedCommit* batch = nullptr;
    std::promise<Result<std::int64_t>> result;
  };

  void run();

  CommitGroup commit_group_;
  const std::size_t max_group_;
  std::mutex mutex_;
  std::condition_variable queued_;
  std::deque<Pending*> queue_;
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace zbb::sql
