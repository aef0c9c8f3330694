#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/supervision.h"

namespace soci {
class session;
}

namespace zbb::sql {

// The supervision queries of the SQLite store. Each builds its SQL from the criteria set, so
// SQLite sees plain equalities and ranges it can answer from one of the partial indexes of
// schema v6 instead of a scan. Database failures escape as soci::soci_error.

// The SQL text each query runs for these criteria (for EXPLAIN QUERY PLAN in benchmarks).
std::string find_stuck_sql(const StuckQuery& query);
std::string summary_totals_sql(const SummaryQuery& query);
std::string summary_oldest_sql(const SummaryQuery& query);
std::string lines_due_sql();
std::string next_due_sql();

std::vector<StuckLine> find_stuck(soci::session& session, const StuckQuery& query);
std::vector<SummaryGroup> summarize(soci::session& session, const SummaryQuery& query);
std::vector<std::pair<std::string, std::int64_t>> count_stuck(soci::session& session,
                                                              Timestamp now);
std::vector<DueLine> lines_due(soci::session& session, Timestamp now, std::size_t limit);
std::optional<Timestamp> next_due(soci::session& session);

}  // namespace zbb::sql
