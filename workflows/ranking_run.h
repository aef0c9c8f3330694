#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "engine/engine.h"
#include "engine/store.h"
#include "workflows/policy_loader.h"
#include "workflows/ranking.h"

namespace zbb::review {

struct RankRequest {
  std::string request_id;
  Principal principal;  // funds each line: the role rules hold it to a reviewer
  int fiscal_year = 0;
  std::string department;  // empty: every department of the fiscal year
  Fen envelope = 0;        // the control figure
  // Whether the caller still waits: a ranking that a line changing meanwhile aborted is run
  // again on the lines as they now stand while this says yes (unset: tried once).
  std::function<bool()> still_wanted = nullptr;
  // Ranks and judges every fund as the command would, through the same engine, and writes
  // nothing (Engine::preview).
  bool dry_run = false;
  // Line id → version: the lines awaiting ranking must be exactly these at these versions (a
  // preview's), else ABORTED; the ranking is then tried once.
  std::map<std::string, std::int64_t> expected_versions = {};
};

struct RankingRun {
  std::string ranking_id;  // the request id
  RankingResult result;
  std::int64_t last_sequence = 0;
  bool replayed = false;  // the stored result of an earlier try of the same request
  bool dry_run = false;   // previewed: nothing was written
};

// Ranks every line of the fiscal year (and department) awaiting ranking and funds each as
// ranked — lines above the cut go to approval with their funded packages, lines with nothing
// funded become unfunded — in one all-or-nothing command that keeps the result as a report.
// Each line is funded at the version the ranking read: a line that changes meanwhile aborts the
// whole ranking, never half-applied, and it is ranked again while the caller still waits
// (ABORTED once it no longer does). A retried request id returns the stored result. A dry run
// goes the same way up to the commit, which it leaves out.
Result<RankingRun> run_ranking(Engine& engine, const PolicySet& policies,
                               const RankRequest& request);

}  // namespace zbb::review
