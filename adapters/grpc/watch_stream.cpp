#include "adapters/grpc/watch_stream.h"

#include <grpcpp/impl/codegen/proto_utils.h>
#include <grpcpp/support/proto_buffer_writer.h>

#include <utility>

#include "adapters/grpc/grpc_status.h"
#include "adapters/grpc/proto_convert.h"

namespace zbb::api {
namespace {

// Events read from the store at a time.
constexpr std::size_t kWatchBatch = 256;

}  // namespace

WatchStream::WatchStream(Store& store, CommitNotifier& commits, WorkerPool& readers, RequestLog log,
                         std::int64_t after_sequence, std::int64_t limit)
    : store_(store),
      commits_(commits),
      readers_(readers),
      limit_(limit),
      log_(std::move(log)),
      cursor_(after_sequence) {
  ++open_;
}

WatchStream::~WatchStream() { --open_; }

grpc::ServerWriteReactor<grpc::ByteBuffer>* WatchStream::start(Store& store,
                                                               CommitNotifier& commits,
                                                               WorkerPool& readers, RequestLog log,
                                                               std::int64_t after_sequence,
                                                               std::int64_t limit) {
  auto stream =
      std::make_shared<WatchStream>(store, commits, readers, std::move(log), after_sequence, limit);
  stream->self_ = stream;
  stream->post_read();
  return stream.get();
}

void WatchStream::post_read() {
  readers_.post([stream = shared_from_this()] { stream->read(); });
}

void WatchStream::read() {
  std::int64_t cursor = 0;
  {
    std::lock_guard lock(mutex_);
    if (finished_) return;
    cursor = cursor_;
  }
  auto events = store_.events_after(cursor, kWatchBatch);
  bool caught_up = false;
  {
    std::lock_guard lock(mutex_);
    if (finished_) return;
    if (!events.ok()) return finish(to_grpc(events.status(), nullptr));
    zbb::v1::RecordedEvent message;
    for (const auto& event : *events) {
      if (limit_ > 0 && queued_ == limit_) break;
      to_proto(event, &message);
      grpc::ByteBuffer bytes;
      bool own_buffer = false;
      grpc::Status serialized =
          grpc::GenericSerialize<grpc::ProtoBufferWriter, zbb::v1::RecordedEvent>(message, &bytes,
                                                                                  &own_buffer);
      if (!serialized.ok()) return finish(serialized);
      queue_.push_back(std::move(bytes));
      cursor_ = event.sequence;
      ++queued_;
    }
    if (!queue_.empty()) {
      if (!write_outstanding_) write_next();
      return;
    }
    if (limit_ > 0 && queued_ == limit_) return finish(grpc::Status::OK);
    if (commits_.stopped())
      return finish(grpc::Status(grpc::UNAVAILABLE, "the server is shutting down"));
    caught_up = true;
    cursor = cursor_;
  }
  if (!caught_up) return;
  // Outside the lock: the notifier may wake the stream at once, on this thread.
  const std::uint64_t subscription =
      commits_.subscribe(cursor, [stream = shared_from_this()] { stream->post_read(); });
  std::lock_guard lock(mutex_);
  if (finished_)
    commits_.unsubscribe(subscription);
  else
    subscription_ = subscription;
}

void WatchStream::write_next() {
  writing_ = std::move(queue_.front());
  queue_.pop_front();
  write_outstanding_ = true;
  StartWrite(&writing_);
}

void WatchStream::OnWriteDone(bool ok) {
  bool read_more = false;
  {
    std::lock_guard lock(mutex_);
    write_outstanding_ = false;
    if (finished_) {
      // finish() waited for this write to end.
      Finish(std::move(final_status_));
      return;
    }
    if (!ok) return finish(grpc::Status::CANCELLED);  // the client is gone
    if (!queue_.empty()) return write_next();
    if (limit_ > 0 && queued_ == limit_) return finish(grpc::Status::OK);
    read_more = true;
  }
  if (read_more) post_read();
}

void WatchStream::OnCancel() {
  std::lock_guard lock(mutex_);
  finish(grpc::Status::CANCELLED);
}

void WatchStream::OnDone() {
  std::shared_ptr<WatchStream> keep;
  {
    std::lock_guard lock(mutex_);
    keep = std::move(self_);
  }
  // `keep` may be the last reference: the stream ends here, outside its lock.
}

void WatchStream::finish(grpc::Status status) {
  if (finished_) return;
  finished_ = true;
  if (subscription_ != 0) commits_.unsubscribe(subscription_);
  final_status_ = log_.finish(std::move(status));
  // A write under way ends first (OnWriteDone finishes then): one operation at a time.
  if (!write_outstanding_) Finish(std::move(final_status_));
}

}  // namespace zbb::api
