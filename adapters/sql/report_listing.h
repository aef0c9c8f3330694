#pragma once

#include <string>

namespace zbb::sql {

// The criteria a listing of reports sets, as bits: its SQL names only those, so that SQLite can
// walk the index of the one it narrows by (schema v7) in (at, id) order.
enum ReportCriterion : unsigned {
  kReportsByFiscalYear = 1u << 0,
  kReportsByDepartment = 1u << 1,
  kReportsByKind = 1u << 2,
};

// Reports after (:after_ms, :after_id) in (at_ms, id) order, at most :limit, matching each
// criterion set in `criteria` (parameters :fiscal_year, :department, :kind).
std::string list_reports_sql(unsigned criteria);

}  // namespace zbb::sql
