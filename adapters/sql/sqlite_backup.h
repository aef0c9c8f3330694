#pragma once

#include <string>

#include "engine/status.h"

namespace zbb::sql {

// Copies the SQLite database `source` into a new file `target` through SQLite's online backup
// API while servers go on writing it: every page is copied in one step under one read
// transaction, so the copy is the database as one commit left it (WAL lets writers go on
// meanwhile). The copy is written beside `target`, synced, then linked to its name (never
// replacing a file) and its directory synced. ALREADY_EXISTS when `target` exists; NOT_FOUND
// when `source` does not; UNAVAILABLE when the source stays locked; INTERNAL for any other
// failure. Nothing is left behind on failure.
Status backup_sqlite(const std::string& source, const std::string& target);

}  // namespace zbb::sql
