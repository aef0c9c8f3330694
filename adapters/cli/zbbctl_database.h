#pragma once

#include <string>

#include "adapters/cli/zbbctl_commands.h"

namespace zbb::cli {

// zbbctl's commands on a database itself, run on the machine that holds it, not through zbbd.

// `zbbctl backup --database FILE COPY`: a consistent copy of a SQLite database while zbbd goes
// on serving it (sql/sqlite_backup.h).
Outcome run_backup(const std::string& database, const std::string& copy, const Output& output);

// `zbbctl copy-database --from FILE --to URL`: a bureau's SQLite database into an empty
// PostgreSQL database (sql/database_copy.h).
Outcome run_copy_database(const std::string& from, const std::string& to, const Output& output);

}  // namespace zbb::cli
