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

std::vector<Result<std::int64_t>> CommitQueue::commit_all(
    const std::vector<const PreparedCommit*>& batches) {
  std::vector<Pending> pending(batches.size());
  std::vector<std::future<Result<std::int64_t>>> answers;
  answers.reserve(batches.size());
  for (std::size_t i = 0; i < batches.size(); ++i) {
    pending[i].batch = batches[i];
    answers.push_back(pending[i].result.get_future());
  }
  // Reserved before anything is queued: once queued, the writer answers into `pending`, which
  // must outlive every answer.
  std::vector<Result<std::int64_t>> results;
  results.reserve(batches.size());
  {
    std::lock_guard lock(mutex_);
    if (stopping_)
      return std::vector<Result<std::int64_t>>(batches.size(),
                                               Status::Unavailable("the store is closing"));
    // All or none: a batch left queued would be answered into `pending` after it is gone.
    std::size_t queued = 0;
    try {
      for (Pending& p : pending) {
        queue_.push_back(&p);
        ++queued;
      }
    } catch (...) {
      for (; queued > 0; --queued) queue_.pop_back();
      throw;
    }
  }
  queued_.notify_one();
  for (auto& answer : answers) results.push_back(answer.get());
  return results;
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
      // Nothing of the group is known to be written: the later batches of its calls must not
      // commit on top of it.
      for (const PreparedCommit* batch : batches)
        if (batch->call_failed) *batch->call_failed = true;
    }
    if (results.size() != group.size())
      results.assign(group.size(), Status::Internal("commit: a result is missing"));
    for (std::size_t i = 0; i < group.size(); ++i)
      group[i]->result.set_value(std::move(results[i]));
    group.clear();
  }
}

}  // namespace zbb::sql
