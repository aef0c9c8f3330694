#include "adapters/sql/schema.h"

#include <fmt/format.h>
#include <soci/soci.h>

#include <span>
#include <string>
#include <utility>
#include <vector>

#include "adapters/sql/legacy_json_documents.h"
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

// Adds the NEW row of `lines` to its group of line_totals (a trigger statement of version 6).
#define ZBB_ADD_NEW_LINE_TO_TOTALS                                                        \
  " INSERT INTO line_totals VALUES (NEW.fiscal_year, NEW.department, NEW.state,"          \
  " NEW.waiting_on, NEW.warning, 1, NEW.sla_breached, NEW.requested_amount,"              \
  " NEW.approved_amount, NEW.spent_amount)"                                               \
  " ON CONFLICT (fiscal_year, department, state, waiting_on, warning) DO UPDATE SET"      \
  " lines = lines + 1, escalated = escalated + excluded.escalated,"                       \
  " requested = requested + excluded.requested, approved = approved + excluded.approved," \
  " spent = spent + excluded.spent;"

// Version 6: supervision. Each line's SLA due time (NULL when terminal), whether it was
// escalated in its state visit, and its warning level; per-group totals kept by triggers so a
// summary never reads every line; partial indexes over active lines only, which are what
// supervisors ask about (closed years pile up and would only weigh on the indexes).
constexpr const char* kSchemaV6[] = {
    "ALTER TABLE lines ADD COLUMN due_ms INTEGER",
    "ALTER TABLE lines ADD COLUMN sla_breached INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE lines ADD COLUMN warning TEXT NOT NULL DEFAULT ''",
    // Lines written before: the warning is in the document; the due time needs the policy and
    // is set at the line's next state change.
    "UPDATE lines SET warning = coalesce(json_extract(document, '$.monitoring.level'), '')",

    // The escalation timer: the earliest due line not yet escalated.
    "CREATE INDEX lines_awaiting_escalation ON lines (due_ms)"
    " WHERE due_ms IS NOT NULL AND sla_breached = 0",
    // FindStuck: past due, most overdue first, by each filter.
    "CREATE INDEX lines_due ON lines (due_ms, id) WHERE due_ms IS NOT NULL",
    "CREATE INDEX lines_due_by_department ON lines (department, due_ms, id)"
    " WHERE due_ms IS NOT NULL",
    "CREATE INDEX lines_due_by_state ON lines (state, due_ms, id) WHERE due_ms IS NOT NULL",
    "CREATE INDEX lines_due_by_waiting_on ON lines (waiting_on, due_ms, id)"
    " WHERE due_ms IS NOT NULL",
    // FindStuck by age and the oldest item of each summary group.
    "CREATE INDEX lines_entered ON lines (state_entered_ms, id) WHERE due_ms IS NOT NULL",
    "CREATE INDEX lines_entered_by_department ON lines (department, state_entered_ms, id)"
    " WHERE due_ms IS NOT NULL",
    "CREATE INDEX lines_entered_by_state ON lines (state, state_entered_ms, id)"
    " WHERE due_ms IS NOT NULL",
    "CREATE INDEX lines_entered_by_waiting_on ON lines (waiting_on, state_entered_ms, id)"
    " WHERE due_ms IS NOT NULL",
    "CREATE INDEX lines_entered_by_warning ON lines (warning, state_entered_ms, id)"
    " WHERE due_ms IS NOT NULL",

    "CREATE TABLE line_totals ("
    " fiscal_year INTEGER NOT NULL,"
    " department TEXT NOT NULL,"
    " state TEXT NOT NULL,"
    " waiting_on TEXT NOT NULL,"
    " warning TEXT NOT NULL,"
    " lines INTEGER NOT NULL,"
    " escalated INTEGER NOT NULL,"
    " requested INTEGER NOT NULL,"
    " approved INTEGER NOT NULL,"
    " spent INTEGER NOT NULL,"
    " PRIMARY KEY (fiscal_year, department, state, waiting_on, warning)"
    ") STRICT, WITHOUT ROWID",
    "INSERT INTO line_totals SELECT fiscal_year, department, state, waiting_on, warning,"
    " COUNT(*), SUM(sla_breached), SUM(requested_amount), SUM(approved_amount),"
    " SUM(spent_amount) FROM lines GROUP BY 1, 2, 3, 4, 5",
    // Whoever writes a line (zbbd, a second server, a repair script), the totals follow in the
    // same transaction. An update that changes no grouped column or amount leaves them alone.
    "CREATE TRIGGER line_totals_add AFTER INSERT ON lines BEGIN" ZBB_ADD_NEW_LINE_TO_TOTALS " END",
    "CREATE TRIGGER line_totals_move AFTER UPDATE ON lines"
    " WHEN OLD.fiscal_year IS NOT NEW.fiscal_year OR OLD.department IS NOT NEW.department"
    " OR OLD.state IS NOT NEW.state OR OLD.waiting_on IS NOT NEW.waiting_on"
    " OR OLD.warning IS NOT NEW.warning OR OLD.sla_breached IS NOT NEW.sla_breached"
    " OR OLD.requested_amount IS NOT NEW.requested_amount"
    " OR OLD.approved_amount IS NOT NEW.approved_amount"
    " OR OLD.spent_amount IS NOT NEW.spent_amount BEGIN"
    " UPDATE line_totals SET lines = lines - 1, escalated = escalated - OLD.sla_breached,"
    " requested = requested - OLD.requested_amount, approved = approved - OLD.approved_amount,"
    " spent = spent - OLD.spent_amount"
    " WHERE fiscal_year = OLD.fiscal_year AND department = OLD.department"
    " AND state = OLD.state AND waiting_on = OLD.waiting_on AND warning = OLD.warning;"
    " DELETE FROM line_totals WHERE fiscal_year = OLD.fiscal_year"
    " AND department = OLD.department AND state = OLD.state AND waiting_on = OLD.waiting_on"
    " AND warning = OLD.warning AND lines = 0;" ZBB_ADD_NEW_LINE_TO_TOTALS " END",
};

#undef ZBB_ADD_NEW_LINE_TO_TOTALS

// Version 7: pools and reports read back. Every change of a pool's balance is kept as a movement
// (written in the transaction of the change), so the movements of a pool always sum to its
// balance: a balance stored before gets one opening movement. Reports are listed by time, within
// a fiscal year or a department.
constexpr const char* kSchemaV7[] = {
    "CREATE TABLE pool_movements ("
    " sequence INTEGER PRIMARY KEY AUTOINCREMENT,"
    " fiscal_year INTEGER NOT NULL,"
    " department TEXT NOT NULL,"
    " delta INTEGER NOT NULL,"
    " balance_after INTEGER NOT NULL CHECK (balance_after >= 0),"
    " at_ms INTEGER NOT NULL,"
    " line_id TEXT NOT NULL,"
    " reason TEXT NOT NULL,"
    " request_id TEXT NOT NULL,"
    " report_id TEXT NOT NULL"
    ") STRICT",
    "CREATE INDEX pool_movements_by_pool ON pool_movements (fiscal_year, department, sequence)",
    // Like the event log, the movements are evidence of where money went.
    "CREATE TRIGGER pool_movements_append_only_update BEFORE UPDATE ON pool_movements"
    " BEGIN SELECT RAISE(ABORT, 'pool movements are append-only: UPDATE refused'); END",
    "CREATE TRIGGER pool_movements_append_only_delete BEFORE DELETE ON pool_movements"
    " BEGIN SELECT RAISE(ABORT, 'pool movements are append-only: DELETE refused'); END",
    "INSERT INTO pool_movements (fiscal_year, department, delta, balance_after, at_ms, line_id,"
    " reason, request_id, report_id)"
    " SELECT fiscal_year, department, balance, balance,"
    " CAST(strftime('%s', 'now') AS INTEGER) * 1000, '', 'opening balance', '', ''"
    " FROM pools WHERE balance != 0 ORDER BY fiscal_year, department",
    "CREATE INDEX reports_by_time ON reports (at_ms, id)",
    "CREATE INDEX reports_by_year ON reports (fiscal_year, at_ms, id)",
    "CREATE INDEX reports_by_department ON reports (department, at_ms, id)",
};

// Version 8: line documents, request outcomes, reports and new event payloads as protobuf.
// STRICT tables keep a column's type, so each document moves to a new BLOB column, filled by
// rewrite_v8, which then takes the old one's name. Events are evidence and never rewritten:
// older ones keep their JSON payload (and hash), newer ones have theirs in payload_protobuf.
constexpr const char* kSchemaV8[] = {
    "ALTER TABLE lines ADD COLUMN document_protobuf BLOB NOT NULL DEFAULT x''",
    "ALTER TABLE requests ADD COLUMN outcome_protobuf BLOB NOT NULL DEFAULT x''",
    "ALTER TABLE reports ADD COLUMN body_protobuf BLOB NOT NULL DEFAULT x''",
    "ALTER TABLE events ADD COLUMN payload_protobuf BLOB",
};
constexpr const char* kSchemaV8Rename[] = {
    "ALTER TABLE lines DROP COLUMN document",
    "ALTER TABLE lines RENAME COLUMN document_protobuf TO document",
    "ALTER TABLE requests DROP COLUMN outcome",
    "ALTER TABLE requests RENAME COLUMN outcome_protobuf TO outcome",
    "ALTER TABLE reports DROP COLUMN body",
    "ALTER TABLE reports RENAME COLUMN body_protobuf TO body",
};

// Version 9: the project library. A programme's current document, and its events in an
// append-only log of their own, hash-chained per programme as a line's are.
constexpr const char* kSchemaV9[] = {
    "CREATE TABLE programmes ("
    " code TEXT PRIMARY KEY NOT NULL,"
    " department TEXT NOT NULL,"
    " status TEXT NOT NULL,"
    " title TEXT NOT NULL,"
    " version INTEGER NOT NULL CHECK (version > 0),"
    " last_hash TEXT NOT NULL,"
    " document BLOB NOT NULL"
    ") STRICT",
    "CREATE INDEX programmes_by_department ON programmes (department, code)",
    // Each write of a department's programme moves its revision on, in the same transaction: a
    // proposal compared with the department's titles is refused at commit if it moved since.
    "CREATE TABLE library_revisions ("
    " department TEXT PRIMARY KEY NOT NULL,"
    " revision INTEGER NOT NULL CHECK (revision > 0)"
    ") STRICT",
    "CREATE TABLE programme_events ("
    " sequence INTEGER PRIMARY KEY AUTOINCREMENT,"
    " code TEXT NOT NULL REFERENCES programmes (code),"
    " programme_sequence INTEGER NOT NULL CHECK (programme_sequence > 0),"
    " type TEXT NOT NULL,"
    " from_status TEXT NOT NULL,"
    " to_status TEXT NOT NULL,"
    " payload BLOB NOT NULL,"
    " actor TEXT NOT NULL,"
    " at_ms INTEGER NOT NULL,"
    " request_id TEXT NOT NULL,"
    " prev_hash TEXT NOT NULL,"
    " hash TEXT NOT NULL,"
    " UNIQUE (code, programme_sequence)"
    ") STRICT",
    "CREATE TRIGGER programme_events_append_only_update BEFORE UPDATE ON programme_events"
    " BEGIN SELECT RAISE(ABORT, 'programme events are append-only: UPDATE refused'); END",
    "CREATE TRIGGER programme_events_append_only_delete BEFORE DELETE ON programme_events"
    " BEGIN SELECT RAISE(ABORT, 'programme events are append-only: DELETE refused'); END",
};

// Version 10: every version of every line, as the command that made it left it, for reads as of
// a time (GetLine, Summarize). Written in the transaction of the command; a line's versions
// before this version are not known, but its current one, taken here.
constexpr const char* kSchemaV10[] = {
    "CREATE TABLE line_versions ("
    " line_id TEXT NOT NULL,"
    " version INTEGER NOT NULL CHECK (version > 0),"
    " at_ms INTEGER NOT NULL,"
    " document BLOB NOT NULL,"
    " PRIMARY KEY (line_id, version)"
    ") STRICT",
    // Which version of each line stood at a time, without reading a document.
    "CREATE INDEX line_versions_by_time ON line_versions (at_ms, line_id, version)",
    "CREATE TRIGGER line_versions_append_only_update BEFORE UPDATE ON line_versions"
    " BEGIN SELECT RAISE(ABORT, 'line versions are append-only: UPDATE refused'); END",
    "CREATE TRIGGER line_versions_append_only_delete BEFORE DELETE ON line_versions"
    " BEGIN SELECT RAISE(ABORT, 'line versions are append-only: DELETE refused'); END",
    "INSERT INTO line_versions (line_id, version, at_ms, document)"
    " SELECT id, version, updated_ms, document FROM lines",
    // Whoever writes a line (zbbd, a second server, a repair script) keeps its version, or the
    // write is refused: a version missing would be a time read wrongly ever after.
    "CREATE TRIGGER line_versions_kept_on_insert AFTER INSERT ON lines"
    " WHEN NOT EXISTS (SELECT 1 FROM line_versions WHERE line_id = NEW.id"
    " AND version = NEW.version)"
    " BEGIN SELECT RAISE(ABORT, 'a line is written with its version in line_versions'); END",
    "CREATE TRIGGER line_versions_kept_on_update AFTER UPDATE OF version ON lines"
    " WHEN NOT EXISTS (SELECT 1 FROM line_versions WHERE line_id = NEW.id"
    " AND version = NEW.version)"
    " BEGIN SELECT RAISE(ABORT, 'a line is written with its version in line_versions'); END",
};

// Every row of `table` converted (`convert` gets its key, JSON text and, when `kind_column` is
// given, its kind) and written back with `update` (:converted, :key). A page of rows at a time,
// by key, so that a large database is upgraded in bounded memory. DATA_LOSS naming the row
// when one does not convert.
template <typename Convert>
Status rewrite_rows(soci::session& session, const char* what, const std::string& table,
                    const std::string& key_column, const std::string& text_column,
                    const std::string& kind_column, const std::string& update, Convert&& convert) {
  constexpr int kPage = 1000;
  const std::string select = "SELECT " + key_column + ", " + text_column + ", " +
                             (kind_column.empty() ? std::string("''") : kind_column) + " FROM " +
                             table + " WHERE " + key_column + " > :after ORDER BY " + key_column +
                             " LIMIT " + std::to_string(kPage);
  std::string after;
  std::string key;
  std::string value;
  soci::statement write =
      (session.prepare << update, soci::use(value, "converted"), soci::use(key, "key"));
  for (;;) {
    std::vector<std::string> keys(kPage), texts(kPage), kinds(kPage);
    session << select, soci::use(after, "after"), soci::into(keys), soci::into(texts),
        soci::into(kinds);
    for (std::size_t i = 0; i < keys.size(); ++i) {
      Result<std::string> bytes = convert(texts[i], kinds[i]);
      if (!bytes.ok())
        return Status::DataLoss(fmt::format("{} {}: does not convert to schema version 8: {}", what,
                                            keys[i], bytes.status().to_string()));
      key = keys[i];
      value = std::move(bytes).value();
      write.execute(true);
    }
    if (keys.size() < static_cast<std::size_t>(kPage)) return Status::Ok();
    after = keys.back();
  }
}

Status rewrite_v8(soci::session& session, const ReportBodyUpgrade& upgrade_report) {
  ZBB_RETURN_IF_ERROR(
      rewrite_rows(session, "line", "lines", "id", "document", "",
                   "UPDATE lines SET document_protobuf = CAST(:converted AS BLOB) WHERE id = :key",
                   [](const std::string& text, const std::string&) {
                     return line_document_from_v7_json(text);
                   }));
  // The fingerprint of an older request was taken from its JSON: left empty, any retry under
  // the request id gets the outcome back (engine/store.h, StoredRequest).
  ZBB_RETURN_IF_ERROR(rewrite_rows(
      session, "request", "requests", "request_id", "outcome", "",
      "UPDATE requests SET outcome_protobuf = CAST(:converted AS BLOB), fingerprint = '' "
      "WHERE request_id = :key",
      [](const std::string& text, const std::string&) {
        return command_outcome_from_v7_json(text);
      }));
  ZBB_RETURN_IF_ERROR(rewrite_rows(
      session, "report", "reports", "id", "body", "kind",
      "UPDATE reports SET body_protobuf = CAST(:converted AS BLOB) WHERE id = :key",
      [&](const std::string& text, const std::string& kind) -> Result<std::string> {
        if (!upgrade_report)
          return Status::FailedPrecondition("reports need the workflow to convert them");
        return upgrade_report(kind, text);
      }));
  for (const char* statement : kSchemaV8Rename) session << statement;
  return Status::Ok();
}

struct Migration {
  int version;
  std::span<const char* const> statements;
  // Run after the statements, in the same transaction: what SQL alone cannot do.
  Status (*rewrite)(soci::session&, const ReportBodyUpgrade&) = nullptr;
};

// Oldest first; a new version appends its migration here and raises kSchemaVersion.
constexpr Migration kMigrations[] = {
    {1, kSchemaV1}, {2, kSchemaV2},   {3, kSchemaV3}, {4, kSchemaV4},
    {5, kSchemaV5}, {6, kSchemaV6},   {7, kSchemaV7}, {8, kSchemaV8, rewrite_v8},
    {9, kSchemaV9}, {10, kSchemaV10},
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

Status ensure_schema(soci::session& session, const ReportBodyUpgrade& upgrade_report) {
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
      if (migration.rewrite != nullptr) {
        if (Status rewritten = migration.rewrite(session, upgrade_report); !rewritten.ok()) {
          rollback_quietly(session);
          return rewritten;
        }
      }
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
