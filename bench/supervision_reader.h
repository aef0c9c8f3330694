#pragma once

// The benchmark's own read-only look into a zbb SQLite file: the plans SQLite chooses for the
// supervision queries (the very SQL text the store runs, from adapters/sql/supervision_queries.h)
// and the same queries run in-process, to tell the store's time from gRPC's.

#include <memory>
#include <string>
#include <vector>

#include "engine/supervision.h"

namespace soci {
class session;
}

namespace zbb::bench {

// One row of EXPLAIN QUERY PLAN: its detail ("SEARCH lines USING INDEX …") and its depth in
// the plan tree.
struct PlanStep {
  int depth = 0;
  std::string detail;
};

// A read-only connection of its own (never zbbd's). Database failures escape as
// soci::soci_error.
class SupervisionReader {
 public:
  explicit SupervisionReader(const std::string& path);
  ~SupervisionReader();
  SupervisionReader(const SupervisionReader&) = delete;
  SupervisionReader& operator=(const SupervisionReader&) = delete;

  // The plans of the statements the store runs for these criteria, with the same parameters
  // bound (the limit as the server sets it: a page and one more line).
  std::vector<PlanStep> plan_find_stuck(const StuckQuery& query);
  std::vector<PlanStep> plan_summary_totals(const SummaryQuery& query);
  std::vector<PlanStep> plan_summary_oldest(const SummaryQuery& query,
                                            const std::string& group_key);
  std::vector<PlanStep> plan_lines_due(Timestamp now, std::size_t limit);
  std::vector<PlanStep> plan_next_due();

  // The store's own queries, run on this connection.
  std::vector<StuckLine> find_stuck(const StuckQuery& query);
  std::vector<SummaryGroup> summarize(const SummaryQuery& query);

  // The department with the most lines past due at `now` ("" when none), and how many.
  std::pair<std::string, long long> department_with_most_stuck(Timestamp now);
  long long count_lines();
  long long count_line_totals();
  // Lines due at or before `now` and not escalated: what zbbd's timer would escalate.
  long long count_due_unescalated(Timestamp now);

 private:
  std::unique_ptr<soci::session> session_;
};

}  // namespace zbb::bench
