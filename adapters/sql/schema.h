#pragma once

#include <functional>
#include <string>

#include "engine/status.h"

namespace soci {
class session;
}

namespace zbb::sql {

// The newest schema version this code creates and understands.
inline constexpr int kSchemaVersion = 10;

// A report's body as schema version 7 kept it (JSON) → as the report's kind keeps it now
// (protobuf). The kinds are the workflow's: the store cannot read their bodies itself.
using ReportBodyUpgrade =
    std::function<Result<std::string>(const std::string& kind, const std::string& json_text)>;

// Brings the database to kSchemaVersion in one transaction: creates the schema on an empty
// database, applies the missing migrations to an older one, leaves a current one alone.
// FAILED_PRECONDITION, with nothing changed, when the database was written by a newer zbb.
// Version 8 rewrites the line documents, request outcomes and, with `upgrade_report`, report
// bodies of an older database as protobuf (events are never rewritten); DATA_LOSS naming the
// record, with nothing changed, when one does not convert, FAILED_PRECONDITION when reports
// need converting and no `upgrade_report` is given.
// Database failures escape as soci::soci_error; the caller turns them into a Status.
Status ensure_schema(soci::session& session, const ReportBodyUpgrade& upgrade_report = {});

}  // namespace zbb::sql
