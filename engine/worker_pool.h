#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace zbb {

// A few threads running tasks in the order they were posted: where work that may wait on the
// store goes when the thread that has it must not wait (the group commit's answering thread).
class WorkerPool {
 public:
  explicit WorkerPool(std::size_t threads);
  ~WorkerPool();  // stop()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs `task` on a worker; once stopping, on the calling thread, so that no task is lost.
  // A task that throws ends silently: tasks answer their own failures.
  void post(std::function<void()> task);

  // Runs what is queued, then ends the workers. Idempotent.
  void stop();

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable posted_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace zbb
