#include "adapters/sql/line_versions.h"

#include <soci/soci.h>

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
  auto line = line_from_document(document, line_id);
  if (!line.ok()) return line.status();
  return std::optional<BudgetLine>(std::move(line).value());
}

Result<std::vector<BudgetLine>> lines_as_of(soci::session& session, Timestamp at,
                                            const LineFilter& filter) {
  long long at_ms = to_millis(at);
  std::string sql =
      "SELECT v.line_id, v.document FROM line_versions v"
      " JOIN (SELECT line_id, MAX(version) AS version FROM line_versions WHERE at_ms <= :at_ms"
      " GROUP BY line_id) latest ON v.line_id = latest.line_id AND v.version = latest.version"
      " JOIN lines l ON l.id = v.line_id WHERE 1 = 1";
  // A line's fiscal year and department never change: its current row filters its past too.
  int fiscal_year = filter.fiscal_year.value_or(0);
  if (filter.fiscal_year) sql += " AND l.fiscal_year = :fiscal_year";
  if (!filter.department.empty()) sql += " AND l.department = :department";
  sql += " ORDER BY v.line_id";

  std::string line_id;
  std::string document;
  soci::details::prepare_temp_type prepared = (session.prepare << sql);
  prepared, soci::into(line_id), soci::into(document), soci::use(at_ms, "at_ms");
  if (filter.fiscal_year) prepared, soci::use(fiscal_year, "fiscal_year");
  if (!filter.department.empty()) prepared, soci::use(filter.department, "department");
  soci::statement statement(prepared);
  statement.execute();
  std::vector<BudgetLine> lines;
  while (statement.fetch()) {
    auto line = line_from_document(document, line_id);
    if (!line.ok()) return line.status();
    lines.push_back(std::move(line).value());
  }
  return lines;
}

}  // namespace zbb::sql
