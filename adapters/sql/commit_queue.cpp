#include "adapters/sql/commit_queue.h"

#include <exception>

namespace zbb::sql {

CommitQueue::CommitQueue(CommitGroup commit_group, std::size_t max_group)
    : commit_group_(std::move(commit_group)), max_group_(max_group) {
  writer_ = std::thread([this] { run(); });
}

CommitQueue::~CommitQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_all();
  writer_.join();
}

Result<std::int64_t> CommitQueue::commit(const PreparedCommit& batch) {
  Pending pending{&batch, {}};
  auto result = pending.result.get_future();
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return Status::Unavailable("the store is closing");
    queue_.push_back(&pending);
  }
  queued_.notify_one();
  return result.get();
}

void CommitQueue::run() {
  std::vector<Pending*> group;
  std::vector<const PreparedCommit*> batches;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      // Whatever is queued is answered before the writer stops: no caller waits forever.
      if (queue_.empty()) return;
      while (!queue_.empty() && group.size() < max_group_) {
        group.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    batches.clear();
    for (Pending* pending : group) batches.push_back(pending->batch);
    std::vector<Result<std::int64_t>> results;
    try {
      results = commit_group_(batches);
    } catch (const std::exception& error) {
      results.assign(group.size(), Status::Internal(std::string("commit: ") + error.what()));
    }
    if (results.size() != group.size())
      results.assign(group.size(), Status::Internal("commit: a result is missing"));
    for (std::size_t i = 0; i < group.size(); ++i)
      group[i]->result.set_value(std::move(results[i]));
    group.clear();
  }
}

}  // namespace zbb::sql
