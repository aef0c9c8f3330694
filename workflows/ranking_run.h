#pragma once

#include <string>

#include "engine/engine.h"
#include "engine/store.h"
#include "workflows/policy_loader.h"
#include "workflows/ranking.h"

namespace zbb::review {

struct RankRequest {
  std::string request_id;
  std::string actor;
  int fiscal_year = 0;
  std::string department;  // empty: every department of the fiscal year
  Fen envelope = 0;        // the control figure
};

struct RankingRun {
  std::string ranking_id;  // the request id
  RankingResult result;
  std::int64_t last_sequence = 0;
  bool replayed = false;  // the stored result of an earlier try of the same request
};

// Ranks every line of the fiscal year (and department) awaiting ranking and funds each as
// ranked — lines above the cut go to approval with their funded packages, lines with nothing
// funded become unfunded — in one all-or-nothing command that keeps the result as a report.
// Each line is funded at the version the ranking read: a line that changes meanwhile makes the
// whole ranking ABORTED, never half-applied. A retried request id returns the stored result.
Result<RankingRun> run_ranking(Engine& engine, const PolicySet& policies,
                               const RankRequest& request);

}  // namespace zbb::review
