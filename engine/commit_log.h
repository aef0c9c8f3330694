#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "engine/status.h"

namespace zbb {

struct CommitBatch;

// What became of one batch of a group commit. The engine acts on the verdict, never on the
// words of the status.
enum class BatchVerdict {
  kWritten,          // durable once the group's transaction commits
  kRequestRecorded,  // its request id is recorded already: another try of the request won
  kLineTaken,        // a line it creates exists already
  kLineMoved,        // a line it changes is no longer at the version it was planned from
  kLineMissing,      // a line it changes does not exist
  kPoolShort,        // a pool it draws on would go below zero
  kNotWritten,       // refused unwritten: a batch before it in its chain was not written
  kFailed,           // anything else: the database failed (the status says how)
};

struct BatchAnswer {
  BatchVerdict verdict = BatchVerdict::kFailed;
  std::int64_t last_sequence = 0;  // kWritten: the global sequence of its last event
  Status status;                   // what the caller hears: OK for kWritten
};

// The answer for a batch refused because one before it in its chain was not written.
BatchAnswer not_written_after_failure(const CommitBatch& batch);

// One batch of a group and the chain it belongs to: the batches of one chain were planned one
// after the other, each on the lines as the ones before it leave them. 0: a chain of its own.
struct GroupEntry {
  std::shared_ptr<const CommitBatch> batch;
  std::uint64_t chain = 0;
};

// The seam the group commit (group_commit.h) writes through, which a store implements with its
// own transactions: "open a transaction, write these batches each all-or-nothing, commit".
class CommitLog {
 public:
  virtual ~CommitLog() = default;

  // Writes the group in one transaction, each batch all-or-nothing and in order: a batch that
  // is refused leaves nothing of itself and the others are written. A batch after one of its
  // chain (non-zero) that was not written is not written either (kNotWritten). When the
  // transaction itself fails, nothing is written and every answer says so. One answer per
  // entry, in order. Implementations serialize their callers: several engines (servers) may
  // write through one store.
  virtual std::vector<BatchAnswer> write_group(const std::vector<GroupEntry>& group) = 0;

  // Called by the group commit when batches wait, before it takes them for write_group(): a
  // store whose groups take turns with other servers' may wait for its turn here, so that the
  // batches arriving meanwhile are written in that turn instead of waiting for another. True
  // when it holds a turn: the next write_group() then comes, with no entry when none was left
  // to write, and ends it.
  virtual bool before_group() { return false; }
};

}  // namespace zbb
