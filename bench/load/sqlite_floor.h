#pragma once

// The storage floor: the event rows PushEvents writes — same table, columns and sizes as the
// `events` table of adapters/sql/schema.cpp — inserted into a fresh SQLite file through the C
// API, 1,000 rows per transaction, with the durability and settings zbbd uses (WAL,
// synchronous=FULL, foreign keys on, a 32 MiB page cache). One writer, as zbbd has one. Kept apart
// from SOCI: soci-sqlite3.h includes <sqlite3.h> inside a namespace (DESIGN), so this file includes
// neither SOCI nor anything that does.

#include <cstdint>
#include <string>

#include "bench/load/call_tally.h"

namespace zbb::bench {

struct SqliteFloorSettings {
  std::string path;       // a fresh file is made here (any old one is removed)
  double seconds = 10;    // insert for this long (wall time)…
  std::int64_t rows = 0;  // …or this many rows, when > 0
  int rows_per_transaction = 1000;
  int lines = 1600;  // line ids the rows spread over
  std::string id_prefix = "floor";
};

struct SqliteFloorOutcome {
  std::int64_t rows = 0;
  double seconds = 0;              // spent in transactions (BEGIN to COMMIT), row making left out
  Latencies commits;               // per transaction, BEGIN to durable COMMIT
  std::int64_t payload_bytes = 0;  // of one row's payload, for the report
};

// Throws BenchError when SQLite refuses anything.
SqliteFloorOutcome run_sqlite_floor(const SqliteFloorSettings& settings);

}  // namespace zbb::bench
