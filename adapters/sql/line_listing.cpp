#include "adapters/sql/line_listing.h"

#include <array>
#include <utility>

namespace zbb::sql {

std::string list_lines_sql(unsigned criteria) {
  // A programme has few lines in a year: its index (programme, year) finds them, and sorting
  // them by id costs nothing. A state, a role, a year or a department may hold hundreds of
  // thousands: walking the lines in id order and stopping at a page beats sorting every match
  // for each page, so a unary + keeps SQLite off their indexes.
  const bool by_programme = (criteria & kListByProgramme) != 0;
  const std::array<std::pair<ListingCriterion, const char*>, 6> conditions = {{
      {kListByFiscalYear,
       by_programme ? " AND fiscal_year = :fiscal_year" : " AND +fiscal_year = :fiscal_year"},
      {kListByDepartment, " AND +department = :department"},
      {kListByProgramme, " AND programme_code = :programme_code"},
      {kListByState, " AND +state = :state"},
      {kListByCategory, " AND +category = :category"},
      {kListByWaitingOn, " AND +waiting_on = :waiting_on"},
  }};
  std::string sql = "SELECT document, id FROM lines WHERE id > :after";
  for (const auto& [criterion, condition] : conditions)
    if ((criteria & criterion) != 0) sql += condition;
  return sql + " ORDER BY id LIMIT :limit";
}

}  // namespace zbb::sql
