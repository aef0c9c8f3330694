#include "adapters/sql/schema.h"

#include <soci/soci.h>

#include <span>
#include <string>

#include "adapters/sql/statements.h"

namespace zbb::sql {
namespace {

// Outlives every migration: it is how a database tells which migrations it already has.
constexpr char kCreateSchemaVersion[] =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version INTEGER PRIMARY KEY NOT NULL,"
    " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))";
constexpr char kCurrentVersion[] = "SELECT MAX(version) FROM schema_version";
constexpr char kRecordVersion[] = "INSERT INTO schema_version (version) VALUES (:version)";

// STRICT tables refuse a value of the wrong type instead of silently storing it, so money and
// timestamps can only ever be integers.
constexpr const char* kSchemaV1[] = {
    // The projection of each line's current state, for queries; `document` is the whole
    // BudgetLine and the source of truth on load, the other columns are for filtering.
    "CREATE TABLE lines ("
    " id TEXT PRIMARY KEY NOT NULL,"
    " fiscal_year INTEGER NOT NULL,"
    " department TEXT NOT NULL,"
    " programme_code TEXT NOT NULL,"
    " category TEXT NOT NULL,"
    " state TEXT NOT NULL,"
    " waiting_on TEXT NOT NULL,"
    " requested_amount INTEGER NOT NULL,"
    " funded_amount INTEGER NOT NULL,"
    " approved_amount INTEGER NOT NULL,"
    " spent_amount INTEGER NOT NULL,"
    " version INTEGER NOT NULL CHECK (version > 0),"
    " state_entered_ms INTEGER NOT NULL,"
    " updated_ms INTEGER NOT NULL,"
    " last_hash TEXT NOT NULL,"
    " document TEXT NOT NULL"
    ") STRICT",
    "CREATE INDEX lines_by_year_department_state ON lines (fiscal_year, department, state)",
    "CREATE INDEX lines_by_state ON lines (state)",
    "CREATE INDEX lines_by_waiting_on ON lines (waiting_on)",

    // AUTOINCREMENT so a global sequence is never reused, even after the highest row is gone:
    // subscribers resume from the last sequence they saw.
    "CREATE TABLE events ("
    " sequence INTEGER PRIMARY KEY AUTOINCREMENT,"
    " line_id TEXT NOT NULL REFERENCES lines (id),"
    " line_sequence INTEGER NOT NULL CHECK (line_sequence > 0),"
    " type TEXT NOT NULL,"
    " from_state TEXT NOT NULL,"
    " to_state TEXT NOT NULL,"
    " payload TEXT NOT NULL,"
    " actor TEXT NOT NULL,"
    " at_ms INTEGER NOT NULL,"
    " request_id TEXT NOT NULL,"
    " prev_hash TEXT NOT NULL,"
    " hash TEXT NOT NULL,"
    " UNIQUE (line_id, line_sequence)"
    ") STRICT",
    // The log is evidence: the database itself refuses to rewrite or drop history, whoever
    // connects to it.
    "CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events"
    " BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END",
    "CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events"
    " BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END",

    // The first outcome of each client request id, so a retry gets it back unchanged.
    "CREATE TABLE requests ("
    " request_id TEXT PRIMARY KEY NOT NULL,"
    " fingerprint TEXT NOT NULL,"
    " outcome TEXT NOT NULL,"
    " at_ms INTEGER NOT NULL"
    ") STRICT",
};

// Version 2: documents multi-line commands keep beside their events (rankings, monitoring).
constexpr const char* kSchemaV2[] = {
    "CREATE TABLE reports ("
    " id TEXT PRIMARY KEY NOT NULL,"
    " kind TEXT NOT NULL,"
    " fiscal_year INTEGER NOT NULL,"
    " department TEXT NOT NULL,"
    " at_ms INTEGER NOT NULL,"
    " body TEXT NOT NULL"
    ") STRICT",
    "CREATE INDEX reports_by_kind_year ON reports (kind, fiscal_year)",
};

// Version 3: result use finds last year's line of a programme.
constexpr const char* kSchemaV3[] = {
    "CREATE INDEX lines_by_programme ON lines (programme_code, fiscal_year)",
};

// Version 4: each department's unallocated money per fiscal year.
constexpr const char* kSchemaV4[] = {
    "CREATE TABLE pools ("
    " fiscal_year INTEGER NOT NULL,"
    " department TEXT NOT NULL,"
    " balance INTEGER NOT NULL CHECK (balance >= 0),"
    " PRIMARY KEY (fiscal_year, department)"
    ") STRICT",
};

// Version 5: request ids are kept per actor ("actor|request_id"); the actor of an older row is
// the one its events name.
constexpr const char* kSchemaV5[] = {
    "UPDATE requests SET request_id = "
    "(SELECT actor FROM events WHERE events.request_id = requests.request_id LIMIT 1) "
    "|| '|' || request_id "
    "WHERE instr(request_id, '|') = 0 "
    "AND EXISTS (SELECT 1 FROM events WHERE events.request_id = requests.request_id)",
};

struct Migration {
  int version;
  std::span<const char* const> statements;
};

// Oldest first; a new version appends its migration here and raises kSchemaVersion.
constexpr Migration kMigrations[] = {
    {1, kSchemaV1},
    {2, kSchemaV2},
    {3, kSchemaV3},
    {4, kSchemaV4},
    {5, kSchemaV5},
};
static_assert(std::size(kMigrations) == kSchemaVersion);

void rollback_quietly(soci::session& session) {
  try {
    session.rollback();
  } catch (...) {
    // The original failure is what the caller needs to see.
  }
}

}  // namespace

Status ensure_schema(soci::session& session) {
  // One write transaction around the check and the migrations, so two processes opening a
  // new file at once cannot both create the schema.
  session << statements::kBeginImmediate;
  try {
    session << kCreateSchemaVersion;
    int current = 0;
    soci::indicator current_indicator = soci::i_ok;
    session << kCurrentVersion, soci::into(current, current_indicator);
    if (current_indicator == soci::i_null) current = 0;

    if (current > kSchemaVersion) {
      rollback_quietly(session);
      return Status::FailedPrecondition("database schema version " + std::to_string(current) +
                                        " is newer than this zbb understands (up to " +
                                        std::to_string(kSchemaVersion) + "); upgrade zbb");
    }
    for (const Migration& migration : kMigrations) {
      if (migration.version <= current) continue;
      for (const char* statement : migration.statements) session << statement;
      int version = migration.version;
      session << kRecordVersion, soci::use(version, "version");
    }
    session.commit();
  } catch (...) {
    rollback_quietly(session);
    throw;
  }
  return Status::Ok();
}

}  // namespace zbb::sql
