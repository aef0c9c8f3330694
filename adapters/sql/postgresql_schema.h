#pragma once

#include "engine/status.h"

namespace soci {
class session;
}

namespace zbb::sql {

// PostgreSQL advisory locks zbb takes, each keyed (class, hashtext(current_schema())): a
// database holding zbb in several schemas keeps their locks apart.
// Creating or migrating the schema, in the migration's transaction.
inline constexpr int kSchemaLockClass = 1937007201;
// Every group commit, in its transaction: sequences become visible in the order they are taken.
inline constexpr int kCommitOrderLockClass = 1937007202;
// Held by the session of the one server running the timers.
inline constexpr int kTimerLeaderLockClass = 1937007203;

// Brings a PostgreSQL database (its current schema) to kSchemaVersion in one transaction,
// under an advisory lock so that servers starting together create it once. The tables are
// those of SQLite's schema (schema.cpp) in PostgreSQL's types. FAILED_PRECONDITION, with
// nothing changed, for a database written by a newer zbb. Database failures escape as
// soci::soci_error.
Status ensure_postgresql_schema(soci::session& session);

}  // namespace zbb::sql
