#include "adapters/sql/database_copy.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <fmt/format.h>

#include <exception>
#include <filesystem>
#include <memory>

#include "adapters/sql/backend.h"
#include "adapters/sql/postgresql_schema.h"
#include "adapters/sql/sql_store.h"

namespace zbb::sql {
namespace {

enum class Kind { kText, kInteger, kBlob };

struct Column {
  const char* name;
  Kind kind;
};

struct Table {
  const char* name;
  std::vector<Column> columns;
  const char* order_by;
  // The column PostgreSQL numbers itself (GENERATED ALWAYS), copied as it was: "" for none.
  const char* identity = "";
};

// In the order the copy writes them: a line's version before the line (a trigger wants it),
// lines before their events, programmes before theirs.
const std::vector<Table>& tables() {
  using enum Kind;
  static const std::vector<Table> all = {
      {"line_versions",
       {{"line_id", kText}, {"version", kInteger}, {"at_ms", kInteger}, {"document", kBlob}},
       "line_id, version"},
      {"lines",
       {{"id", kText},
        {"fiscal_year", kInteger},
        {"department", kText},
        {"programme_code", kText},
        {"category", kText},
        {"state", kText},
        {"waiting_on", kText},
        {"requested_amount", kInteger},
        {"funded_amount", kInteger},
        {"approved_amount", kInteger},
        {"spent_amount", kInteger},
        {"version", kInteger},
        {"state_entered_ms", kInteger},
        {"updated_ms", kInteger},
        {"last_hash", kText},
        {"document", kBlob},
        {"due_ms", kInteger},
        {"sla_breached", kInteger},
        {"warning", kText}},
       "id"},
      {"events",
       {{"sequence", kInteger},
        {"line_id", kText},
        {"line_sequence", kInteger},
        {"type", kText},
        {"from_state", kText},
        {"to_state", kText},
        {"payload", kBlob},
        {"payload_protobuf", kBlob},
        {"actor", kText},
        {"at_ms", kInteger},
        {"request_id", kText},
        {"prev_hash", kText},
        {"hash", kText}},
       "sequence",
       "sequence"},
      {"requests",
       {{"request_id", kText}, {"fingerprint", kText}, {"outcome", kBlob}, {"at_ms", kInteger}},
       "request_id"},
      {"reports",
       {{"id", kText},
        {"kind", kText},
        {"fiscal_year", kInteger},
        {"department", kText},
        {"at_ms", kInteger},
        {"body", kBlob}},
       "id"},
      {"pools",
       {{"fiscal_year", kInteger}, {"department", kText}, {"balance", kInteger}},
       "fiscal_year, department"},
      {"pool_movements",
       {{"sequence", kInteger},
        {"fiscal_year", kInteger},
        {"department", kText},
        {"delta", kInteger},
        {"balance_after", kInteger},
        {"at_ms", kInteger},
        {"line_id", kText},
        {"reason", kText},
        {"request_id", kText},
        {"report_id", kText}},
       "sequence",
       "sequence"},
      {"programmes",
       {{"code", kText},
        {"department", kText},
        {"status", kText},
        {"title", kText},
        {"version", kInteger},
        {"last_hash", kText},
        {"document", kBlob}},
       "code"},
      {"library_revisions", {{"department", kText}, {"revision", kInteger}}, "department"},
      {"programme_events",
       {{"sequence", kInteger},
        {"code", kText},
        {"programme_sequence", kInteger},
        {"type", kText},
        {"from_status", kText},
        {"to_status", kText},
        {"payload", kBlob},
        {"actor", kText},
        {"at_ms", kInteger},
        {"request_id", kText},
        {"prev_hash", kText},
        {"hash", kText}},
       "sequence",
       "sequence"},
  };
  return all;
}

// SQLite hands every column over as text: integers in decimal, bytes in hex (NULL kept NULL,
// which hex() would make '').
std::string select_sql(const Table& table) {
  std::string sql = "SELECT ";
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    const Column& column = table.columns[i];
    if (i > 0) sql += ", ";
    if (column.kind == Kind::kBlob)
      sql += fmt::format("CASE WHEN {0} IS NULL THEN NULL ELSE hex({0}) END", column.name);
    else
      sql += fmt::format("CAST({} AS TEXT)", column.name);
  }
  return sql + " FROM " + table.name + " ORDER BY " + table.order_by;
}

// PostgreSQL turns the text back: bigint, bytea from hex.
std::string insert_sql(const Table& table) {
  std::string names;
  std::string values;
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    const Column& column = table.columns[i];
    if (i > 0) {
      names += ", ";
      values += ", ";
    }
    names += column.name;
    switch (column.kind) {
      case Kind::kText:
        values += fmt::format(":c{}", i);
        break;
      case Kind::kInteger:
        values += fmt::format("CAST(:c{} AS bigint)", i);
        break;
      case Kind::kBlob:
        values += fmt::format("decode(:c{}, 'hex')", i);
        break;
    }
  }
  return fmt::format("INSERT INTO {} ({}){} VALUES ({})", table.name, names,
                     *table.identity != '\0' ? " OVERRIDING SYSTEM VALUE" : "", values);
}

std::int64_t copy_table(soci::session& from, soci::session& to, const Table& table) {
  const std::size_t width = table.columns.size();
  std::vector<std::string> values(width);
  std::vector<soci::indicator> present(width, soci::i_ok);
  soci::statement read(from);
  for (std::size_t i = 0; i < width; ++i) read.exchange(soci::into(values[i], present[i]));
  read.alloc();
  read.prepare(select_sql(table));
  read.define_and_bind();
  soci::statement write(to);
  for (std::size_t i = 0; i < width; ++i)
    write.exchange(soci::use(values[i], present[i], fmt::format("c{}", i)));
  write.alloc();
  write.prepare(insert_sql(table));
  write.define_and_bind();
  std::int64_t rows = 0;
  if (read.execute(true)) {
    do {
      write.execute(true);
      ++rows;
    } while (read.fetch());
  }
  if (*table.identity != '\0')
    to << fmt::format(
        "SELECT setval(pg_get_serial_sequence('{0}', '{1}'), COALESCE(MAX({1}), 0) + 1, false) "
        "FROM {0}",
        table.name, table.identity);
  return rows;
}

}  // namespace

Result<CopyCount> copy_sqlite_to_postgresql(const std::string& sqlite_path,
                                            const std::string& postgresql,
                                            const ReportBodyUpgrade& upgrade_report) {
  if (SqlStore::names_postgresql(sqlite_path) || !SqlStore::names_postgresql(postgresql))
    return Status::InvalidArgument("copy", "copies a SQLite file into a PostgreSQL database");
  std::error_code missing;
  if (!std::filesystem::exists(sqlite_path, missing))
    return Status::NotFound("database file " + sqlite_path + " not found");
  // Both at the current schema first, as zbbd would leave them on start.
  for (const std::string& database : {sqlite_path, postgresql}) {
    auto store = SqlStore::open(database, upgrade_report);
    if (!store.ok()) return store.status();
  }
  try {
    soci::session from(soci::sqlite3, sqlite_path);
    soci::session to(soci::postgresql, postgresql_connect_string(postgresql));
    soci::transaction transaction(to);
    // Held to the end: a zbbd on the target meanwhile waits for the copy rather than writes
    // (its groups take the commit-order lock; anything else, the tables' locks).
    to << fmt::format("SELECT pg_advisory_xact_lock({}, hashtext(current_schema()))",
                      kCommitOrderLockClass);
    std::string all_tables;
    std::string any_row;
    for (const Table& table : tables()) {
      all_tables += (all_tables.empty() ? "" : ", ") + std::string(table.name);
      any_row +=
          fmt::format("{}EXISTS (SELECT 1 FROM {})", any_row.empty() ? "" : " OR ", table.name);
    }
    to << "LOCK TABLE " + all_tables + " IN EXCLUSIVE MODE";
    int held = 0;
    to << "SELECT CASE WHEN " + any_row + " THEN 1 ELSE 0 END", soci::into(held);
    if (held != 0)
      return Status::FailedPrecondition("database " + SqlStore::printable(postgresql) +
                                        " already holds a county: a copy goes into an empty "
                                        "database only");
    // One read transaction on the source: the file as one commit left it.
    soci::transaction snapshot(from);
    CopyCount count;
    for (const Table& table : tables())
      count.rows.emplace_back(table.name, copy_table(from, to, table));
    transaction.commit();
    return count;
  } catch (const std::exception& error) {
    return Status::Internal("copy " + sqlite_path + " into " + SqlStore::printable(postgresql) +
                            ": " + error.what());
  }
}

}  // namespace zbb::sql
