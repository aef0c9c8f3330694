#pragma once

#include <string>

#include "adapters/sql/backend.h"

namespace zbb::sql {

// The criteria a listing of lines sets, as bits: its SQL names only those, so SQLite sees the
// programme as a plain equality it can answer from its index. (A fixed statement with "(:x =
// '' OR column = :x)" hides it from the planner: finding the lines of one programme — asked
// at every creation, for last year's result — walked every line.)
enum ListingCriterion : unsigned {
  kListByFiscalYear = 1u << 0,
  kListByDepartment = 1u << 1,
  kListByProgramme = 1u << 2,
  kListByState = 1u << 3,
  kListByCategory = 1u << 4,
  kListByWaitingOn = 1u << 5,
};

// Lines after :after in id order, at most :limit, matching each criterion set in `criteria`
// (parameters :fiscal_year, :department, :programme_code, :state, :category, :waiting_on).
std::string list_lines_sql(unsigned criteria, Backend backend);

}  // namespace zbb::sql
