#include "adapters/sql/line_listing.h"

#include <array>
#include <utility>

namespace zbb::sql {

std::string list_lines_sql(unsigned criteria, Backend backend) {
  // A programme has few lines in a year: its index (programme, year) finds them, and sorting
  // them by id costs nothing. A state, a role, a year or a department may hold hundreds of
  // thousands: walking the lines in id order and stopping at a page beats sorting every match
  // for each page, so a unary + keeps SQLite off their indexes. PostgreSQL has no unary + for
  // text, and its planner weighs the two plans itself.
  const bool by_programme = (criteria & kListByProgramme) != 0;
  const bool sqlite = backend == Backend::kSqlite;
  const std::array<std::pair<ListingCriterion, const char*>, 6> conditions = {{
      {kListByFiscalYear, by_programme || !sqlite ? " AND fiscal_year = :fiscal_year"
                                                  : " AND +fiscal_year = :fiscal_year"},
      {kListByDepartment,
       sqlite ? " AND +department = :department" : " AND department = :department"},
      {kListByProgramme, " AND programme_code = :programme_code"},
      {kListByState, sqlite ? " AND +state = :state" : " AND state = :state"},
      {kListByCategory, sqlite ? " AND +category = :category" : " AND category = :category"},
      {kListByWaitingOn,
       sqlite ? " AND +waiting_on = :waiting_on" : " AND waiting_on = :waiting_on"},
  }};
  std::string sql = "SELECT document, id FROM lines WHERE id > :after";
  for (const auto& [criterion, condition] : conditions)
    if ((criteria & criterion) != 0) sql += condition;
  return sql + " ORDER BY id LIMIT :limit";
}

}  // namespace zbb::sql
