#include "adapters/sql/postgresql_schema.h"

#include <soci/soci.h>

#include <span>
#include <string>

#include "adapters/sql/schema.h"

namespace zbb::sql {
namespace {

// The tables, indexes and triggers of SQLite's schema version 10 (schema.cpp), written for
// PostgreSQL: the same names and columns, so that every query the store runs reads both.
// A PostgreSQL database starts at version 10; a later version appends a migration to both.
//
// `blob` is bytea under the name SQLite gives binary columns, so that `CAST(:x AS BLOB)` means
// the same on both (SOCI passes parameters as text: the store writes bytes as "\x" and hex).
// Money and times are bigint; the event logs' sequences are identities, never reused.
// Text is compared byte by byte (COLLATE "C"), as SQLite does: pages of ids and the merge of
// listings in zbbd agree whatever the database's locale.
constexpr const char* kVersion10[] = {
    "CREATE DOMAIN blob AS bytea",
    "CREATE TABLE lines ("
    " id text COLLATE \"C\" PRIMARY KEY,"
    " fiscal_year integer NOT NULL,"
    " department text COLLATE \"C\" NOT NULL,"
    " programme_code text COLLATE \"C\" NOT NULL,"
    " category text COLLATE \"C\" NOT NULL,"
    " state text COLLATE \"C\" NOT NULL,"
    " waiting_on text COLLATE \"C\" NOT NULL,"
    " requested_amount bigint NOT NULL,"
    " funded_amount bigint NOT NULL,"
    " approved_amount bigint NOT NULL,"
    " spent_amount bigint NOT NULL,"
    " version bigint NOT NULL CHECK (version > 0),"
    " state_entered_ms bigint NOT NULL,"
    " updated_ms bigint NOT NULL,"
    " last_hash text COLLATE \"C\" NOT NULL,"
    " document blob NOT NULL,"
    " due_ms bigint,"
    " sla_breached integer NOT NULL DEFAULT 0,"
    " warning text COLLATE \"C\" NOT NULL DEFAULT '')",
    "CREATE INDEX lines_by_year_department_state ON lines (fiscal_year, department, state)",
    "CREATE INDEX lines_by_state ON lines (state)",
    "CREATE INDEX lines_by_waiting_on ON lines (waiting_on)",
    "CREATE INDEX lines_by_programme ON lines (programme_code, fiscal_year)",
    "CREATE INDEX lines_awaiting_escalation ON lines (due_ms)"
    " WHERE due_ms IS NOT NULL AND sla_breached = 0",
    "CREATE INDEX lines_due ON lines (due_ms, id) WHERE due_ms IS NOT NULL",
    "CREATE INDEX lines_due_by_department ON lines (department, due_ms, id)"
    " WHERE due_ms IS NOT NULL",
    "CREATE INDEX lines_due_by_state ON lines (state, due_ms, id) WHERE due_ms IS NOT NULL",
    "CREATE INDEX lines_due_by_waiting_on ON lines (waiting_on, due_ms, id)"
    " WHERE due_ms IS NOT NULL",
    "CREATE INDEX lines_entered ON lines (state_entered_ms, id) WHERE due_ms IS NOT NULL",
    "CREATE INDEX lines_entered_by_department ON lines (department, state_entered_ms, id)"
    " WHERE due_ms IS NOT NULL",
    "CREATE INDEX lines_entered_by_state ON lines (state, state_entered_ms, id)"
    " WHERE due_ms IS NOT NULL",
    "CREATE INDEX lines_entered_by_waiting_on ON lines (waiting_on, state_entered_ms, id)"
    " WHERE due_ms IS NOT NULL",
    "CREATE INDEX lines_entered_by_warning ON lines (warning, state_entered_ms, id)"
    " WHERE due_ms IS NOT NULL",
    // `payload` holds the JSON of events recorded before SQLite's schema version 8 (kept as
    // they were hashed, as bytes here), empty for newer ones, whose payload is protobuf.
    "CREATE TABLE events ("
    " sequence bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    " line_id text COLLATE \"C\" NOT NULL REFERENCES lines (id),"
    " line_sequence bigint NOT NULL CHECK (line_sequence > 0),"
    " type text COLLATE \"C\" NOT NULL,"
    " from_state text COLLATE \"C\" NOT NULL,"
    " to_state text COLLATE \"C\" NOT NULL,"
    " payload blob NOT NULL,"
    " actor text COLLATE \"C\" NOT NULL,"
    " at_ms bigint NOT NULL,"
    " request_id text COLLATE \"C\" NOT NULL,"
    " prev_hash text COLLATE \"C\" NOT NULL,"
    " hash text COLLATE \"C\" NOT NULL,"
    " payload_protobuf blob,"
    " UNIQUE (line_id, line_sequence))",
    // The logs are evidence: the database refuses to rewrite or drop them, whoever connects.
    "CREATE FUNCTION zbb_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN RAISE EXCEPTION '% are append-only: % refused', TG_ARGV[0], TG_OP; END $$",
    "CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events"
    " FOR EACH ROW EXECUTE FUNCTION zbb_refuse_change('events')",
    "CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events"
    " FOR EACH STATEMENT EXECUTE FUNCTION zbb_refuse_change('events')",
    "CREATE TABLE requests ("
    " request_id text COLLATE \"C\" PRIMARY KEY,"
    " fingerprint text COLLATE \"C\" NOT NULL,"
    " outcome blob NOT NULL,"
    " at_ms bigint NOT NULL)",
    "CREATE TABLE reports ("
    " id text COLLATE \"C\" PRIMARY KEY,"
    " kind text COLLATE \"C\" NOT NULL,"
    " fiscal_year integer NOT NULL,"
    " department text COLLATE \"C\" NOT NULL,"
    " at_ms bigint NOT NULL,"
    " body blob NOT NULL)",
    "CREATE INDEX reports_by_kind_year ON reports (kind, fiscal_year)",
    "CREATE INDEX reports_by_time ON reports (at_ms, id)",
    "CREATE INDEX reports_by_year ON reports (fiscal_year, at_ms, id)",
    "CREATE INDEX reports_by_department ON reports (department, at_ms, id)",
    "CREATE TABLE pools ("
    " fiscal_year integer NOT NULL,"
    " department text COLLATE \"C\" NOT NULL,"
    " balance bigint NOT NULL CHECK (balance >= 0),"
    " PRIMARY KEY (fiscal_year, department))",
    "CREATE TABLE pool_movements ("
    " sequence bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    " fiscal_year integer NOT NULL,"
    " department text COLLATE \"C\" NOT NULL,"
    " delta bigint NOT NULL,"
    " balance_after bigint NOT NULL CHECK (balance_after >= 0),"
    " at_ms bigint NOT NULL,"
    " line_id text COLLATE \"C\" NOT NULL,"
    " reason text COLLATE \"C\" NOT NULL,"
    " request_id text COLLATE \"C\" NOT NULL,"
    " report_id text COLLATE \"C\" NOT NULL)",
    "CREATE INDEX pool_movements_by_pool ON pool_movements (fiscal_year, department, sequence)",
    "CREATE TRIGGER pool_movements_append_only BEFORE UPDATE OR DELETE ON pool_movements"
    " FOR EACH ROW EXECUTE FUNCTION zbb_refuse_change('pool movements')",
    "CREATE TRIGGER pool_movements_no_truncate BEFORE TRUNCATE ON pool_movements"
    " FOR EACH STATEMENT EXECUTE FUNCTION zbb_refuse_change('pool movements')",
    // Per-group totals, kept by a trigger in the transaction of every write of a line, so that
    // a summary never reads every line.
    "CREATE TABLE line_totals ("
    " fiscal_year integer NOT NULL,"
    " department text COLLATE \"C\" NOT NULL,"
    " state text COLLATE \"C\" NOT NULL,"
    " waiting_on text COLLATE \"C\" NOT NULL,"
    " warning text COLLATE \"C\" NOT NULL,"
    " lines bigint NOT NULL,"
    " escalated bigint NOT NULL,"
    " requested bigint NOT NULL,"
    " approved bigint NOT NULL,"
    " spent bigint NOT NULL,"
    " PRIMARY KEY (fiscal_year, department, state, waiting_on, warning))",
    "CREATE FUNCTION zbb_line_totals() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    " IF TG_OP = 'UPDATE' THEN"
    "  IF (OLD.fiscal_year, OLD.department, OLD.state, OLD.waiting_on, OLD.warning,"
    "   OLD.sla_breached, OLD.requested_amount, OLD.approved_amount, OLD.spent_amount)"
    "   IS NOT DISTINCT FROM (NEW.fiscal_year, NEW.department, NEW.state, NEW.waiting_on,"
    "   NEW.warning, NEW.sla_breached, NEW.requested_amount, NEW.approved_amount,"
    "   NEW.spent_amount) THEN RETURN NULL; END IF;"
    "  UPDATE line_totals SET lines = lines - 1, escalated = escalated - OLD.sla_breached,"
    "   requested = requested - OLD.requested_amount, approved = approved - OLD.approved_amount,"
    "   spent = spent - OLD.spent_amount"
    "   WHERE fiscal_year = OLD.fiscal_year AND department = OLD.department"
    "   AND state = OLD.state AND waiting_on = OLD.waiting_on AND warning = OLD.warning;"
    "  DELETE FROM line_totals WHERE fiscal_year = OLD.fiscal_year"
    "   AND department = OLD.department AND state = OLD.state AND waiting_on = OLD.waiting_on"
    "   AND warning = OLD.warning AND lines = 0;"
    " END IF;"
    " INSERT INTO line_totals AS t VALUES (NEW.fiscal_year, NEW.department, NEW.state,"
    "  NEW.waiting_on, NEW.warning, 1, NEW.sla_breached, NEW.requested_amount,"
    "  NEW.approved_amount, NEW.spent_amount)"
    "  ON CONFLICT (fiscal_year, department, state, waiting_on, warning) DO UPDATE SET"
    "  lines = t.lines + 1, escalated = t.escalated + excluded.escalated,"
    "  requested = t.requested + excluded.requested, approved = t.approved + excluded.approved,"
    "  spent = t.spent + excluded.spent;"
    " RETURN NULL; END $$",
    "CREATE TRIGGER line_totals_follow AFTER INSERT OR UPDATE ON lines"
    " FOR EACH ROW EXECUTE FUNCTION zbb_line_totals()",
    "CREATE TABLE programmes ("
    " code text COLLATE \"C\" PRIMARY KEY,"
    " department text COLLATE \"C\" NOT NULL,"
    " status text COLLATE \"C\" NOT NULL,"
    " title text COLLATE \"C\" NOT NULL,"
    " version bigint NOT NULL CHECK (version > 0),"
    " last_hash text COLLATE \"C\" NOT NULL,"
    " document blob NOT NULL)",
    "CREATE INDEX programmes_by_department ON programmes (department, code)",
    "CREATE TABLE library_revisions ("
    " department text COLLATE \"C\" PRIMARY KEY,"
    " revision bigint NOT NULL CHECK (revision > 0))",
    "CREATE TABLE programme_events ("
    " sequence bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    " code text COLLATE \"C\" NOT NULL REFERENCES programmes (code),"
    " programme_sequence bigint NOT NULL CHECK (programme_sequence > 0),"
    " type text COLLATE \"C\" NOT NULL,"
    " from_status text COLLATE \"C\" NOT NULL,"
    " to_status text COLLATE \"C\" NOT NULL,"
    " payload blob NOT NULL,"
    " actor text COLLATE \"C\" NOT NULL,"
    " at_ms bigint NOT NULL,"
    " request_id text COLLATE \"C\" NOT NULL,"
    " prev_hash text COLLATE \"C\" NOT NULL,"
    " hash text COLLATE \"C\" NOT NULL,"
    " UNIQUE (code, programme_sequence))",
    "CREATE TRIGGER programme_events_append_only BEFORE UPDATE OR DELETE ON programme_events"
    " FOR EACH ROW EXECUTE FUNCTION zbb_refuse_change('programme events')",
    "CREATE TRIGGER programme_events_no_truncate BEFORE TRUNCATE ON programme_events"
    " FOR EACH STATEMENT EXECUTE FUNCTION zbb_refuse_change('programme events')",
    "CREATE TABLE line_versions ("
    " line_id text COLLATE \"C\" NOT NULL,"
    " version bigint NOT NULL CHECK (version > 0),"
    " at_ms bigint NOT NULL,"
    " document blob NOT NULL,"
    " PRIMARY KEY (line_id, version))",
    "CREATE INDEX line_versions_by_time ON line_versions (at_ms, line_id, version)",
    "CREATE TRIGGER line_versions_append_only BEFORE UPDATE OR DELETE ON line_versions"
    " FOR EACH ROW EXECUTE FUNCTION zbb_refuse_change('line versions')",
    "CREATE TRIGGER line_versions_no_truncate BEFORE TRUNCATE ON line_versions"
    " FOR EACH STATEMENT EXECUTE FUNCTION zbb_refuse_change('line versions')",
    // Whoever writes a line keeps its version, or the write is refused.
    "CREATE FUNCTION zbb_line_version_kept() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    " IF NOT EXISTS (SELECT 1 FROM line_versions WHERE line_id = NEW.id"
    "  AND version = NEW.version) THEN"
    "  RAISE EXCEPTION 'a line is written with its version in line_versions'; END IF;"
    " RETURN NULL; END $$",
    "CREATE TRIGGER line_versions_kept AFTER INSERT OR UPDATE OF version ON lines"
    " FOR EACH ROW EXECUTE FUNCTION zbb_line_version_kept()",
};

struct Migration {
  int version;
  std::span<const char* const> statements;
};

// Oldest first; a new version appends its migration here (and SQLite's in schema.cpp).
constexpr Migration kMigrations[] = {{10, kVersion10}};

}  // namespace

Status ensure_postgresql_schema(soci::session& session) {
  int has_schema = 0;
  session << "SELECT CASE WHEN current_schema() IS NULL THEN 0 ELSE 1 END", soci::into(has_schema);
  if (has_schema == 0)
    return Status::FailedPrecondition(
        "the connection's search_path names no schema that exists: create it first");
  int current = 0;
  soci::indicator current_indicator = soci::i_null;
  int created = 0;
  session << "SELECT CASE WHEN to_regclass('schema_version') IS NULL THEN 0 ELSE 1 END",
      soci::into(created);
  if (created == 1) {
    // Started before: nothing to create, and a role without CREATE on the schema may serve.
    session << "SELECT MAX(version) FROM schema_version", soci::into(current, current_indicator);
    if (current_indicator == soci::i_ok && current == kSchemaVersion) return Status::Ok();
  }
  soci::transaction transaction(session);
  // Servers starting together on an empty database: one creates, the others then find it.
  session << "SELECT pg_advisory_xact_lock(" << kSchemaLockClass << ", hashtext(current_schema()))";
  session << "CREATE TABLE IF NOT EXISTS schema_version ("
             " version integer PRIMARY KEY,"
             " applied_at timestamptz NOT NULL DEFAULT now())";
  current_indicator = soci::i_ok;
  session << "SELECT MAX(version) FROM schema_version", soci::into(current, current_indicator);
  if (current_indicator == soci::i_null) current = 0;
  if (current > kSchemaVersion)
    return Status::FailedPrecondition("database schema version " + std::to_string(current) +
                                      " is newer than this zbb understands (up to " +
                                      std::to_string(kSchemaVersion) + "); upgrade zbb");
  for (const Migration& migration : kMigrations) {
    if (migration.version <= current) continue;
    for (const char* statement : migration.statements) session << statement;
    int version = migration.version;
    session << "INSERT INTO schema_version (version) VALUES (:version)",
        soci::use(version, "version");
  }
  transaction.commit();
  return Status::Ok();
}

}  // namespace zbb::sql
