#include "adapters/sql/line_versions.h"

#include <soci/soci.h>

#include "adapters/sql/backend.h"
#include "engine/proto_codec.h"

namespace zbb::sql {

Result<std::optional<BudgetLine>> line_as_of(soci::session& session, const std::string& line_id,
                                             Timestamp at) {
  long long at_ms = to_millis(at);
  std::string document;
  soci::indicator found = soci::i_null;
  session << "SELECT document FROM line_versions WHERE line_id = :line_id AND at_ms <= :at_ms"
             " ORDER BY version DESC LIMIT 1",
      soci::use(line_id, "line_id"), soci::use(at_ms, "at_ms"), soci::into(document, found);
  if (!session.got_data() || found == soci::i_null) return std::optional<BudgetLine>();
  auto line = line_from_document(blob_column(backend_of(session), std::move(document)), line_id);
  if (!line.ok()) return line.status();
  return std::optional<BudgetLine>(std::move(line).value());
}

Result<std::vector<LineAsOf>> lines_as_of(soci::session& session, Timestamp at,
                                          const LineFilter& filter, const std::string& after_id,
                                          std::size_t limit) {
  long long at_ms = to_millis(at);
  long long page = static_cast<long long>(limit);
  // A line's fiscal year and department never change: its current row filters its past too.
  std::string sql =
      "SELECT l.id,"
      " (SELECT v.document FROM line_versions v WHERE v.line_id = l.id AND v.at_ms <= :at_ms"
      " ORDER BY v.version DESC LIMIT 1),"
      " (SELECT MIN(v.version) FROM line_versions v WHERE v.line_id = l.id)"
      " FROM lines l WHERE l.id > :after_id";
  int fiscal_year = filter.fiscal_year.value_or(0);
  if (filter.fiscal_year) sql += " AND l.fiscal_year = :fiscal_year";
  if (!filter.department.empty()) sql += " AND l.department = :department";
  sql += " ORDER BY l.id LIMIT :page";

  std::string line_id;
  std::string document;
  soci::indicator document_found = soci::i_null;
  long long oldest_kept = 0;
  soci::indicator oldest_found = soci::i_null;
  soci::details::prepare_temp_type prepared = (session.prepare << sql);
  prepared, soci::into(line_id), soci::into(document, document_found),
      soci::into(oldest_kept, oldest_found), soci::use(at_ms, "at_ms"),
      soci::use(after_id, "after_id");
  if (filter.fiscal_year) prepared, soci::use(fiscal_year, "fiscal_year");
  if (!filter.department.empty()) prepared, soci::use(filter.department, "department");
  prepared, soci::use(page, "page");
  soci::statement statement(prepared);
  statement.execute();
  const Backend backend = backend_of(session);
  std::vector<LineAsOf> lines;
  while (statement.fetch()) {
    LineAsOf then{line_id, std::nullopt, false};
    if (document_found == soci::i_ok) {
      auto line = line_from_document(blob_column(backend, document), line_id);
      if (!line.ok()) return line.status();
      then.line = std::move(line).value();
    } else {
      then.unknown_then = oldest_found != soci::i_ok || oldest_kept > 1;
    }
    lines.push_back(std::move(then));
  }
  return lines;
}

}  // namespace zbb::sql
