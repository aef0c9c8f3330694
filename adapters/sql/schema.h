#pragma once

#include "engine/status.h"

namespace soci {
class session;
}

namespace zbb::sql {

// The newest schema version this code creates and understands.
inline constexpr int kSchemaVersion = 7;

// Brings the database to kSchemaVersion in one transaction: creates the schema on an empty
// database, applies the missing migrations to an older one, leaves a current one alone.
// FAILED_PRECONDITION, with nothing changed, when the database was written by a newer zbb.
// Database failures escape as soci::soci_error; the caller turns them into a Status.
Status ensure_schema(soci::session& session);

}  // namespace zbb::sql
