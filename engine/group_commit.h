#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/commit_log.h"
#include "engine/group_observer.h"

namespace zbb {

// Group commit: callers on any thread hand the batches of a call to one writer thread, which
// writes every batch waiting at that moment (up to `max_group`) in one transaction of the
// CommitLog — one fsync for all of them — and has each call answered once its batches are
// durable. No timed wait: while the writer syncs one group the next one gathers, so a lone
// command is never held back and a busy server batches by itself. A store whose groups take
// turns with other servers' may have the writer wait for its turn before it takes the batches
// waiting (CommitLog::before_group): those arriving meanwhile are written in that turn.
//
// The answers are given on a thread of their own, in the order of the commits: what a caller
// does with its answer (a gRPC reply, the copies it frees) would otherwise hold up the writer,
// which every command waits on, and a busy server's writer is its busiest thread.
//
// A call's batches form a chain, planned each on the lines as the ones before it leave them:
// they are written in order, and once one is not written the ones after it are refused
// unwritten (kNotWritten), in the same group or a later one, for the caller to plan again.
class GroupCommit {
 public:
  using Done = std::function<void(std::vector<BatchAnswer>)>;

  GroupCommit(CommitLog& log, std::size_t max_group);
  ~GroupCommit();  // stop()
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Queues the chain; `done` is called once, on the answering thread (or on this one when the
  // group commit is stopping), with one answer per batch, in order. `done` must not wait on
  // this group commit (commit()) nor destroy it: the answering thread would wait on itself.
  void submit(std::vector<std::shared_ptr<const CommitBatch>> chain, Done done);

  // The same, waiting for the answers.
  std::vector<BatchAnswer> commit(std::vector<std::shared_ptr<const CommitBatch>> chain);

  // Answers what is queued, then ends the writer and the answering thread; later calls are
  // answered UNAVAILABLE at once, on the submitting thread. Idempotent.
  void stop();

  // Told of every group written from now on; nullptr for none. The observer must outlive the
  // group commit's writing (stop()).
  void set_observer(GroupObserver* observer) { observer_.store(observer); }

  // Batches queued and not yet taken by the writer: the commands waiting behind the one it
  // writes.
  std::size_t queue_depth();

  static constexpr std::size_t kDefaultMaxGroup = 256;

 private:
  struct Call;
  struct Queued {
    std::shared_ptr<Call> call;
    std::size_t index;  // of the batch in its call
  };

  void run();
  void answer();  // the answering thread
  void answer_calls(std::vector<std::shared_ptr<Call>>& calls);
  // Answers the group's entries, marks the calls whose batch was not written, and hands back
  // the calls now answered in full.
  std::vector<std::shared_ptr<Call>> settle(const std::vector<Queued>& group,
                                            std::vector<BatchAnswer> answers);

  CommitLog& log_;
  const std::size_t max_group_;
  std::mutex mutex_;
  std::condition_variable queued_;
  std::deque<Queued> queue_;
  std::uint64_t next_chain_ = 1;
  bool stopping_ = false;
  std::atomic<GroupObserver*> observer_{nullptr};

  // The calls a group completed, for the answering thread, group by group: no more than the
  // calls in flight, each of whose callers waits for its answer.
  std::mutex answer_mutex_;
  std::condition_variable completed_;
  std::deque<std::vector<std::shared_ptr<Call>>> to_answer_;
  bool writer_ended_ = false;

  std::thread answerer_;
  std::thread writer_;
};

}  // namespace zbb
