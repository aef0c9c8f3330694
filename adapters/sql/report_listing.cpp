#include "adapters/sql/report_listing.h"

#include <array>
#include <utility>

namespace zbb::sql {

std::string list_reports_sql(unsigned criteria) {
  const std::array<std::pair<ReportCriterion, const char*>, 3> conditions = {{
      {kReportsByFiscalYear, " AND fiscal_year = :fiscal_year"},
      {kReportsByDepartment, " AND department = :department"},
      {kReportsByKind, " AND kind = :kind"},
  }};
  std::string sql =
      "SELECT id, kind, fiscal_year, department, at_ms FROM reports"
      " WHERE (at_ms, id) > (:after_ms, :after_id)";
  for (const auto& [criterion, condition] : conditions)
    if ((criteria & criterion) != 0) sql += condition;
  return sql + " ORDER BY at_ms, id LIMIT :limit";
}

}  // namespace zbb::sql
