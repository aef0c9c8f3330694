#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "adapters/sql/schema.h"
#include "engine/status.h"

namespace zbb::sql {

// What a copy wrote: rows per table, in the order copied.
struct CopyCount {
  std::vector<std::pair<std::string, std::int64_t>> rows;
};

// Copies a bureau's SQLite database into an empty PostgreSQL one: lines and every kept version,
// the event logs with their sequences and hashes, request ids with their outcomes, reports,
// pools and their movements, the project library. The SQLite file is first brought to the
// current schema (as zbbd would on start, its reports converted with `upgrade_report`); the
// PostgreSQL schema is created if need be. One transaction: the copy is whole or absent.
// Per-group totals are rebuilt by PostgreSQL's triggers as the lines arrive; each log's next
// sequence follows its last copied one. A zbbd on the target waits for the copy. NOT_FOUND
// when the SQLite file does not exist; FAILED_PRECONDITION when the PostgreSQL database
// already holds any row of a county. What a zbbd still serving the SQLite file commits after the
// copy began is not copied: stop it first.
Result<CopyCount> copy_sqlite_to_postgresql(const std::string& sqlite_path,
                                            const std::string& postgresql,
                                            const ReportBodyUpgrade& upgrade_report = {});

}  // namespace zbb::sql
