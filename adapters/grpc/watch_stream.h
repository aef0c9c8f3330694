#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/server_callback.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>

#include "adapters/grpc/commit_notifier.h"
#include "adapters/grpc/request_log.h"
#include "engine/store.h"
#include "engine/worker_pool.h"

namespace zbb::api {

// One Query.Watch call through gRPC's callback API: reads the event log after a cursor on
// `readers`, writes the events one at a time, and when it has caught up waits on the commit
// notifier — with no thread of its own, however long the stream stays open.
class WatchStream final : public grpc::ServerWriteReactor<grpc::ByteBuffer>,
                          public std::enable_shared_from_this<WatchStream> {
 public:
  // Streams the events after `after_sequence`; `limit` of them, then OK (0: until the client
  // leaves or the server stops, then UNAVAILABLE). The stream keeps itself until gRPC is done
  // with it.
  static grpc::ServerWriteReactor<grpc::ByteBuffer>* start(Store& store, CommitNotifier& commits,
                                                           WorkerPool& readers, RequestLog log,
                                                           std::int64_t after_sequence,
                                                           std::int64_t limit);

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

  // Use start().
  WatchStream(Store& store, CommitNotifier& commits, WorkerPool& readers, RequestLog log,
              std::int64_t after_sequence, std::int64_t limit);
  ~WatchStream();

  // Streams open in this process now.
  static std::int64_t open_streams() { return open_.load(); }

 private:
  // On a reader: the events after the cursor, queued for writing; or a wait for the next commit.
  void read();
  void post_read();
  // REQUIRES: mutex_ held, no write outstanding, the queue not empty.
  void write_next();
  // REQUIRES: mutex_ held. Answers the call once; nothing is written after.
  void finish(grpc::Status status);

  Store& store_;
  CommitNotifier& commits_;
  WorkerPool& readers_;
  const std::int64_t limit_;

  std::mutex mutex_;
  RequestLog log_;
  std::int64_t cursor_;      // the last event read
  std::int64_t queued_ = 0;  // events read so far (at most limit_)
  std::deque<grpc::ByteBuffer> queue_;
  grpc::ByteBuffer writing_;  // the event being written
  bool write_outstanding_ = false;
  std::uint64_t subscription_ = 0;
  bool finished_ = false;              // finish() was called: nothing more is written
  grpc::Status final_status_;          // what finish() answers, once no write is under way
  std::shared_ptr<WatchStream> self_;  // held from start() until OnDone()

  static inline std::atomic<std::int64_t> open_{0};
};

}  // namespace zbb::api
