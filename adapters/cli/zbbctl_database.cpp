#include "adapters/cli/zbbctl_database.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "adapters/sql/database_copy.h"
#include "adapters/sql/sql_store.h"
#include "adapters/sql/sqlite_backup.h"
#include "workflows/legacy_reports.h"

namespace zbb::cli {
namespace {

Failure failure_of(const Status& status) {
  return Failure{std::string(code_name(status.code())), status.message(), Failure::kServerExit};
}

}  // namespace

Outcome run_backup(const std::string& database, const std::string& copy, const Output& output) {
  if (sql::SqlStore::names_postgresql(database))
    return Failure::usage(
        "backup copies a SQLite file; back up PostgreSQL with its own tools (pg_basebackup, "
        "pg_dump)");
  if (Status backed_up = sql::backup_sqlite(database, copy); !backed_up.ok())
    return failure_of(backed_up);
  if (output.json)
    output.out << nlohmann::json{{"database", database}, {"backup", copy}}.dump() << "\n";
  else
    output.out << fmt::format("backed up {} to {}\n", database, copy);
  return std::nullopt;
}

Outcome run_copy_database(const std::string& from, const std::string& to, const Output& output) {
  auto copied = sql::copy_sqlite_to_postgresql(from, to, review::report_body_from_v7_json);
  if (!copied.ok()) return failure_of(copied.status());
  if (output.json) {
    nlohmann::json rows = nlohmann::json::object();
    for (const auto& [table, count] : copied->rows) rows[table] = count;
    output.out << nlohmann::json{{"rows", rows}}.dump() << "\n";
    return std::nullopt;
  }
  output.out << fmt::format("copied {} into {}\n", from, sql::SqlStore::printable(to));
  for (const auto& [table, rows] : copied->rows)
    output.out << fmt::format("  {:<18} {:>10} rows\n", table, rows);
  return std::nullopt;
}

}  // namespace zbb::cli
