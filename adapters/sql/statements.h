#pragma once

// Every fixed SQL text the store runs, named for what it does. The store
// prepares each once and rebinds its parameters; the schema itself lives in schema.cpp.

namespace zbb::sql::statements {

// Connection set-up, run once per session before anything else. busy_timeout comes first so
// that switching to WAL waits for another process's lock instead of failing at once.
inline constexpr char kBusyTimeout[] = "PRAGMA busy_timeout = 5000";
inline constexpr char kJournalModeWal[] = "PRAGMA journal_mode = WAL";  // yields the mode now set
inline constexpr char kSynchronousFull[] = "PRAGMA synchronous = FULL";
inline constexpr char kForeignKeysOn[] = "PRAGMA foreign_keys = ON";
// 32 MiB of page cache per connection instead of SQLite's 2 MB, so the indexes and totals that
// supervision reads stay in memory on a large database (zbbd has two connections).
inline constexpr char kCacheSize[] = "PRAGMA cache_size = -32768";
// Savepoint (statement) journals in memory: a batch of a group commit that changes a pool, or
// any batch in the careful second pass, runs in a savepoint, and SQLite would otherwise spill
// the original of each page it changes to a temporary file once a savepoint's journal passes
// 64 KiB — a write per page on every large batch. Nothing durable lives there: the WAL holds
// the transaction.
inline constexpr char kTempStoreMemory[] = "PRAGMA temp_store = MEMORY";
// The read connection never writes; SQLite holds it to that.
inline constexpr char kQueryOnly[] = "PRAGMA query_only = 1";

// IMMEDIATE takes the write lock at the start, so concurrent writers queue on busy_timeout
// instead of failing half-way when a read lock cannot be upgraded.
inline constexpr char kBeginImmediate[] = "BEGIN IMMEDIATE";
// PostgreSQL: a group's transaction, which then takes the commit-order lock
// (postgresql_schema.h) so that its sequences become visible in the order they were taken.
inline constexpr char kBegin[] = "BEGIN";
inline constexpr char kCommit[] = "COMMIT";
inline constexpr char kRollback[] = "ROLLBACK";
// Changes nothing, but only a database that can be written runs it: SQLite opens a file it may
// not write read-only without a word, and every command would then fail.
inline constexpr char kProbeWrite[] =
    "UPDATE schema_version SET version = version "
    "WHERE version = (SELECT MAX(version) FROM schema_version)";
// A command of a group commit that changes a pool (whose UPDATE may refuse it), and every
// command of the second pass after one failed while writing, runs inside its own savepoint,
// so that it is undone alone and the others of the group still commit.
inline constexpr char kSavepoint[] = "SAVEPOINT command";
inline constexpr char kReleaseSavepoint[] = "RELEASE command";
inline constexpr char kRollbackToSavepoint[] = "ROLLBACK TO command";

inline constexpr char kFindRequest[] =
    "SELECT fingerprint, outcome FROM requests WHERE request_id = :request_id";

inline constexpr char kInsertRequest[] =
    "INSERT INTO requests (request_id, fingerprint, outcome, at_ms) "
    "VALUES (:request_id, :fingerprint, CAST(:outcome AS BLOB), :at_ms)";

// DO NOTHING turns a taken id into "no row changed", which commit() reports as ALREADY_EXISTS
// without relying on the text of a constraint error.
inline constexpr char kInsertLine[] =
    "INSERT INTO lines (id, fiscal_year, department, programme_code, category, state, "
    "waiting_on, requested_amount, funded_amount, approved_amount, spent_amount, version, "
    "state_entered_ms, updated_ms, last_hash, document, due_ms, sla_breached, warning) "
    "VALUES (:id, :fiscal_year, :department, :programme_code, :category, :state, "
    ":waiting_on, :requested_amount, :funded_amount, :approved_amount, :spent_amount, :version, "
    ":state_entered_ms, :updated_ms, :last_hash, CAST(:document AS BLOB), :due_ms, :sla_breached, "
    ":warning) ON CONFLICT (id) DO NOTHING";

// The version in the WHERE clause is the optimistic lock: no row changed means someone else
// moved the line on since the command read it.
inline constexpr char kUpdateLine[] =
    "UPDATE lines SET fiscal_year = :fiscal_year, department = :department, "
    "programme_code = :programme_code, category = :category, state = :state, "
    "waiting_on = :waiting_on, "
    "requested_amount = :requested_amount, funded_amount = :funded_amount, "
    "approved_amount = :approved_amount, spent_amount = :spent_amount, version = :version, "
    "state_entered_ms = :state_entered_ms, updated_ms = :updated_ms, last_hash = :last_hash, "
    "document = CAST(:document AS BLOB), due_ms = :due_ms, sla_breached = :sla_breached, "
    "warning = :warning "
    "WHERE id = :id AND version = :previous_version";

// The same for a change that leaves every indexed column as it was (a payment, a revised
// request in the same state): SQLite then touches no index of `lines`.
inline constexpr char kUpdateLineUnindexed[] =
    "UPDATE lines SET category = :category, requested_amount = :requested_amount, "
    "funded_amount = :funded_amount, approved_amount = :approved_amount, "
    "spent_amount = :spent_amount, version = :version, updated_ms = :updated_ms, "
    "last_hash = :last_hash, document = CAST(:document AS BLOB) "
    "WHERE id = :id AND version = :previous_version";

inline constexpr char kInsertReport[] =
    "INSERT INTO reports (id, kind, fiscal_year, department, at_ms, body) "
    "VALUES (:id, :kind, :fiscal_year, :department, :at_ms, CAST(:body AS BLOB))";

inline constexpr char kFindReport[] =
    "SELECT kind, fiscal_year, department, at_ms, body FROM reports WHERE id = :id";

inline constexpr char kEnsurePool[] =
    "INSERT INTO pools (fiscal_year, department, balance) VALUES (:fiscal_year, :department, 0) "
    "ON CONFLICT (fiscal_year, department) DO NOTHING";

// No row changed: the pool would go below zero.
inline constexpr char kChangePool[] =
    "UPDATE pools SET balance = balance + :delta "
    "WHERE fiscal_year = :fiscal_year AND department = :department AND balance + :delta_check >= 0";

// The movement of a pool change just made, with the balance it left (read in the same statement,
// so the two cannot disagree).
inline constexpr char kInsertPoolMovement[] =
    "INSERT INTO pool_movements (fiscal_year, department, delta, balance_after, at_ms, line_id, "
    "reason, request_id, report_id) "
    "SELECT fiscal_year, department, :delta, balance, :at_ms, :line_id, :reason, :request_id, "
    ":report_id FROM pools WHERE fiscal_year = :fiscal_year AND department = :department";

// A pool's newest movements first, one more than asked for to tell whether older ones exist.
inline constexpr char kPoolMovements[] =
    "SELECT sequence, delta, balance_after, at_ms, line_id, reason, request_id, report_id "
    "FROM pool_movements WHERE fiscal_year = :fiscal_year AND department = :department "
    "ORDER BY sequence DESC LIMIT :limit";

inline constexpr char kPoolBalance[] =
    "SELECT balance FROM pools WHERE fiscal_year = :fiscal_year AND department = :department";

inline constexpr char kLineVersion[] = "SELECT version FROM lines WHERE id = :id";

// One statement for every filter: an empty (or zero) parameter matches all. Each parameter
// appears under two names because SOCI binds a name once per occurrence.
inline constexpr char kLoadLine[] = "SELECT document, last_hash FROM lines WHERE id = :id";

// Events since schema version 8 keep their payload as protobuf in payload_protobuf; `payload`
// holds the JSON of older events, kept as they were hashed, and is empty for the newer.
// Each version a command leaves a line at, in the command's transaction (schema version 10).
// Before the line's row, which the store's triggers refuse without it. A row already there means
// the line moved on meanwhile (the write then refuses the batch, and its savepoint drops this).
inline constexpr char kInsertLineVersion[] =
    "INSERT INTO line_versions (line_id, version, at_ms, document)"
    " VALUES (:line_id, :version, :at_ms, CAST(:document AS BLOB))"
    " ON CONFLICT (line_id, version) DO NOTHING";

inline constexpr char kInsertEvent[] =
    "INSERT INTO events (line_id, line_sequence, type, from_state, to_state, payload, "
    "payload_protobuf, actor, at_ms, request_id, prev_hash, hash) "
    "VALUES (:line_id, :line_sequence, :type, :from_state, :to_state, '', CAST(:payload AS BLOB), "
    ":actor, :at_ms, :request_id, :prev_hash, :hash)";

inline constexpr char kInsertEventReturning[] =
    "INSERT INTO events (line_id, line_sequence, type, from_state, to_state, payload, "
    "payload_protobuf, actor, at_ms, request_id, prev_hash, hash) "
    "VALUES (:line_id, :line_sequence, :type, :from_state, :to_state, '', CAST(:payload AS BLOB), "
    ":actor, :at_ms, :request_id, :prev_hash, :hash) RETURNING sequence";

inline constexpr char kLineHistory[] =
    "SELECT sequence, line_id, line_sequence, type, from_state, to_state, "
    "coalesce(payload_protobuf, payload), payload_protobuf IS NULL, actor, at_ms, request_id, "
    "prev_hash, hash "
    "FROM events WHERE line_id = :line_id ORDER BY line_sequence";

inline constexpr char kEventsAfter[] =
    "SELECT sequence, line_id, line_sequence, type, from_state, to_state, "
    "coalesce(payload_protobuf, payload), payload_protobuf IS NULL, actor, at_ms, request_id, "
    "prev_hash, hash "
    "FROM events WHERE sequence > :after ORDER BY sequence LIMIT :limit";

}  // namespace zbb::sql::statements
