#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/commit_log.h"

typedef struct pg_conn PGconn;

namespace zbb::sql {

// A group commit on PostgreSQL in a few round trips instead of one per statement: libpq's
// pipeline mode sends many statements before reading any result. Statement by statement, a
// command of one line costs six round trips (its request id and line version read, its line
// version, event and request id written, its line updated), and on a network the waiting, not
// the work, bounds a server; here a group costs three (and one more for each 256 statements a
// step sends past the first 256; a command of one line sends two in each step):
//   1. BEGIN, the commit-order lock (answering whether another server's group held it), and
//      the request ids and line versions of every batch;
//   2. (the checks made here, as the statement-by-statement pass makes them) the line versions,
//      new lines and events of every batch that passed, each event's sequence returned;
//   3. the request ids with their outcomes (which name the last sequence), the changed lines
//      at their latest version, COMMIT.
// It writes groups of line commands (lines, their events, the request id) — the work of the
// finance systems and reviewers. A group with a programme, a report or a pool change is not
// for it (handles()), and the store writes it statement by statement.
//
// While other servers' groups hold the commit-order lock, a group would wait for it with its
// batches chosen, and the batches arriving meanwhile would wait for the next turn: then the lock
// is taken first (take_turn(), one more round trip), and the group is chosen once it is held.
class PostgresqlGroupWriter {
 public:
  // `connection` is the SOCI session's, used between its statements; `commit_order_lock` the
  // statement that takes the commit-order lock (postgresql_schema.h), waiting for it when it is
  // held, and answers whether it was free.
  PostgresqlGroupWriter(PGconn* connection, std::string commit_order_lock);

  static bool handles(const std::vector<GroupEntry>& group);

  // One answer per entry once the group committed (or, every batch refused, rolled back).
  // nullopt when the database refused a statement the checks did not foresee, or the
  // connection failed: the transaction is then rolled back and nothing written, and the caller
  // writes the group again, each batch in a savepoint (where a lost connection is reported) —
  // unless spoiled(): nothing more may be sent on this connection.
  // Goes on in the transaction take_turn() began, when it holds one.
  std::optional<std::vector<BatchAnswer>> write(const std::vector<GroupEntry>& group);

  // When the last group found the commit-order lock held by another server's: begins a
  // transaction and waits for the lock in it. True when the turn is held: write() goes on in it,
  // or end_turn() gives it up. False, without a round trip, when the lock was free last time.
  bool take_turn();
  bool has_turn() const { return turn_; }
  // Rolls back the transaction of a turn not written in (no group left, or one not for it), or
  // any other transaction left open.
  void end_turn();

  // The connection is in a state its session cannot use (it could not leave pipeline mode, or
  // a transaction could not be rolled back): the store opens another.
  bool spoiled() const { return spoiled_; }

 private:
  class Pipeline;
  bool prepare();
  // Rolls back a transaction a failure left open; spoiled() when that cannot be done.
  void abandon_transaction();
  // `begun`: in the transaction of a turn, the lock held.
  std::optional<std::vector<BatchAnswer>> write_in_pipeline(const std::vector<GroupEntry>& group,
                                                            bool begun);

  PGconn* connection_;
  const std::string commit_order_lock_;
  enum class Prepared { kNotYet, kYes, kFailed } prepared_ = Prepared::kNotYet;
  bool spoiled_ = false;
  bool contended_ = false;  // another server's group held the lock when this one last took it
  bool turn_ = false;       // take_turn() began a transaction holding the lock
};

}  // namespace zbb::sql
