#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace soci {
class session;
}

namespace zbb::sql {

// The database a SOCI session reaches. The store's SQL is one text for both wherever the two
// agree; where they differ, the store asks which one it runs on.
enum class Backend { kSqlite, kPostgresql };

Backend backend_of(soci::session& session);

// What SOCI's PostgreSQL backend is given for `database`, a URL or a libpq connection string:
// the same settings, parsed by libpq itself, as key='value' pairs (SOCI does not pass a URL on
// as it is), with keepalives and timeouts added where `database` sets none.
std::string postgresql_connect_string(const std::string& database);

// The setting of `database` whose value SOCI 4.0.3 (Debian 12's) would alter on its way to
// libpq, if any: it splits the connection string at blanks and joins it again, so a run of
// blanks in a value becomes one and a quote escaped in it ends the value. nullopt when none.
std::optional<std::string> setting_soci_would_alter(const std::string& database);

// Binary columns (documents, payloads, outcomes): SQLite binds and returns the bytes as they
// are. SOCI's PostgreSQL backend passes parameters and results as text, so a bytea goes in as
// "\x" and hex (the text `CAST(:x AS BLOB)` reads) and comes back the same way.
std::string blob_parameter(Backend backend, std::string_view bytes);
// The bytes of a binary column as read; a PostgreSQL value not in hex is returned as read.
std::string blob_column(Backend backend, std::string text);

}  // namespace zbb::sql
