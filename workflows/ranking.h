#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/budget_line.h"
#include "engine/status.h"
#include "workflows/policy.pb.h"

// Priority ranking with decision packages: every package of every line gets a score (the line's
// priority score times its level's factor), packages are ordered by score with the policy's
// tie rule, and funded one by one down to the envelope. The first package that does not fit is
// the cut: it and every package after it go unfunded. A pure function of its inputs.
namespace zbb::review {

struct RankedPackage {
  std::string line_id;
  IncrementLevel level = zbb::v1::INCREMENT_LEVEL_MINIMUM;
  Fen amount = 0;
  std::int64_t score_hundredths = 0;  // the line's score × the level's factor
  std::int64_t rank = 0;              // 1 = first
  bool funded = false;

  bool operator==(const RankedPackage&) const = default;
};

struct LineRanking {
  std::string line_id;
  std::string department;
  std::int64_t rank = 0;  // by the line's priority score, 1 = first
  std::int64_t score_hundredths = 0;
  Fen requested = 0;
  Fen funded = 0;
  std::vector<IncrementLevel> funded_levels;

  bool operator==(const LineRanking&) const = default;
};

struct RankingResult {
  Fen envelope = 0;
  Fen funded_total = 0;
  Fen unfunded_total = 0;               // requested by the packages below the cut
  Fen unallocated = 0;                  // envelope − funded_total
  Fen capped_total = 0;                 // packages above flagged lines\' ceilings, never ranked
  std::vector<RankedPackage> packages;  // in rank order
  std::vector<LineRanking> lines;       // in rank order
  std::optional<RankedPackage> cut;     // the first package not funded; none if all fit

  bool operator==(const RankingResult&) const = default;
};

// The packages of a line, lowest level first; a line without packages is one minimum package.
std::vector<Increment> packages_of(const LineContent& content);

// INVALID_ARGUMENT for a negative envelope; FAILED_PRECONDITION naming lines nobody has scored.
Result<RankingResult> rank_lines(const std::vector<BudgetLine>& lines, Fen envelope,
                                 const zbb::policy::WorkflowPolicy& policy);

}  // namespace zbb::review
