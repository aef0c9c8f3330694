#include "engine/group_commit.h"

#include "engine/store.h"

#include <chrono>
#include <exception>
#include <future>
#include <string>
#include <utility>

namespace zbb {

BatchAnswer not_written_after_failure(const CommitBatch& batch) {
  return {BatchVerdict::kNotWritten, 0,
          Status::Aborted("request " + batch.request_id +
                          " not written: a command before it in the same call was not "
                          "committed")};
}

namespace {

BatchAnswer failed(Status status) { return {BatchVerdict::kFailed, 0, std::move(status)}; }

}  // namespace

struct GroupCommit::Call {
  std::vector<std::shared_ptr<const CommitBatch>> batches;
  std::vector<BatchAnswer> answers;
  std::size_t answered = 0;
  std::uint64_t chain = 0;
  bool broken = false;  // a batch of it was not written: the later ones are not either
  Done done;
};

GroupCommit::GroupCommit(CommitLog& log, std::size_t max_group)
    : log_(log), max_group_(max_group == 0 ? 1 : max_group) {
  answerer_ = std::thread([this] { answer(); });
  try {
    writer_ = std::thread([this] { run(); });
  } catch (...) {
    stop();  // ends the answering thread, which has nothing to answer
    throw;
  }
}

GroupCommit::~GroupCommit() { stop(); }

void GroupCommit::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_all();
  if (writer_.joinable()) writer_.join();
  // The writer answered everything queued: the answering thread hands it out, then ends.
  {
    std::lock_guard lock(answer_mutex_);
    writer_ended_ = true;
  }
  completed_.notify_all();
  if (answerer_.joinable()) answerer_.join();
}

void GroupCommit::submit(std::vector<std::shared_ptr<const CommitBatch>> chain, Done done) {
  auto call = std::make_shared<Call>();
  call->batches = std::move(chain);
  call->answers.resize(call->batches.size());
  call->done = std::move(done);
  if (call->batches.empty()) {
    call->done({});
    return;
  }
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      call->chain = next_chain_++;
      for (std::size_t i = 0; i < call->batches.size(); ++i) queue_.push_back({call, i});
      call.reset();
    }
  }
  if (call) {  // stopping: nothing is queued any more
    call->done(std::vector<BatchAnswer>(call->batches.size(),
                                        failed(Status::Unavailable("the store is closing"))));
    return;
  }
  queued_.notify_one();
}

std::vector<BatchAnswer> GroupCommit::commit(
    std::vector<std::shared_ptr<const CommitBatch>> chain) {
  std::promise<std::vector<BatchAnswer>> answers;
  auto future = answers.get_future();
  submit(std::move(chain),
         [&answers](std::vector<BatchAnswer> all) { answers.set_value(std::move(all)); });
  return future.get();
}

std::vector<std::shared_ptr<GroupCommit::Call>> GroupCommit::settle(
    const std::vector<Queued>& group, std::vector<BatchAnswer> answers) {
  std::vector<std::shared_ptr<Call>> complete;
  for (std::size_t i = 0; i < group.size(); ++i) {
    Call& call = *group[i].call;
    BatchAnswer& answer = answers[i];
    if (answer.verdict != BatchVerdict::kWritten) call.broken = true;
    call.answers[group[i].index] = std::move(answer);
    if (++call.answered == call.batches.size()) complete.push_back(group[i].call);
  }
  return complete;
}

std::size_t GroupCommit::queue_depth() {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void GroupCommit::run() {
  for (;;) {
    std::vector<Queued> group;
    bool turn_held = false;
    {
      std::unique_lock lock(mutex_);
      queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      // Whatever is queued is answered before the writer stops: no caller waits forever.
      if (queue_.empty()) return;
      if (!stopping_) {
        lock.unlock();
        try {
          turn_held = log_.before_group();
        } catch (...) {
          turn_held = true;  // whatever it began, the group's write_group() ends
        }
        lock.lock();
      }
      while (!queue_.empty() && group.size() < max_group_) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    // The batches of calls already broken are answered without the store; the rest are
    // written together.
    std::vector<Queued> refused;
    std::vector<Queued> written;
    std::vector<GroupEntry> entries;
    for (Queued& queued : group) {
      if (queued.call->broken) {
        refused.push_back(std::move(queued));
      } else {
        entries.push_back({queued.call->batches[queued.index], queued.call->chain});
        written.push_back(std::move(queued));
      }
    }
    std::vector<BatchAnswer> answers;
    if (!entries.empty() || turn_held) {
      try {
        const auto started = std::chrono::steady_clock::now();
        answers = log_.write_group(entries);
        if (GroupObserver* observer = observer_.load(); observer != nullptr && !entries.empty())
          observer->group_written(entries.size(), std::chrono::steady_clock::now() - started);
      } catch (const std::exception& error) {
        answers.clear();
        answers.resize(entries.size(),
                       failed(Status::Internal(std::string("commit: ") + error.what())));
      } catch (...) {
        answers.clear();
        answers.resize(entries.size(), failed(Status::Internal("commit: an unknown failure")));
      }
      if (answers.size() != entries.size())
        answers.assign(entries.size(), failed(Status::Internal("commit: an answer is missing")));
    }
    auto complete = settle(written, std::move(answers));
    std::vector<BatchAnswer> not_written;
    for (const Queued& queued : refused)
      not_written.push_back(not_written_after_failure(*queued.call->batches[queued.index]));
    for (auto& call : settle(refused, std::move(not_written))) complete.push_back(std::move(call));
    if (complete.empty()) continue;
    try {
      std::lock_guard lock(answer_mutex_);
      to_answer_.push_back(std::move(complete));  // untouched if it throws
    } catch (...) {
      answer_calls(complete);  // out of memory: answered here rather than never
      continue;
    }
    completed_.notify_one();
  }
}

void GroupCommit::answer_calls(std::vector<std::shared_ptr<Call>>& calls) {
  for (auto& call : calls) {
    // A callback that throws must not take this thread, and every other caller, with it.
    try {
      call->done(std::move(call->answers));
    } catch (...) {
    }
  }
}

void GroupCommit::answer() {
  for (;;) {
    std::deque<std::vector<std::shared_ptr<Call>>> groups;
    {
      std::unique_lock lock(answer_mutex_);
      completed_.wait(lock, [this] { return writer_ended_ || !to_answer_.empty(); });
      if (to_answer_.empty()) return;  // the writer ended and everything is answered
      groups.swap(to_answer_);
    }
    for (auto& group : groups) answer_calls(group);
  }
}

}  // namespace zbb
