#pragma once

#include <string>
#include <vector>

#include "engine/budget_line.h"
#include "engine/status.h"
#include "workflows/policy.pb.h"
#include "zbb/v1/workflow.pb.h"

// Priority ranking with decision packages: every package of every line gets a score (the line's
// priority score times its level's factor), packages are ordered by score with the policy's
// tie rule, and funded one by one down to the envelope. The first package that does not fit is
// the cut: it and every package after it go unfunded. A pure function of its inputs.
namespace zbb::review {

// A ranking's result as the API shows it and the store keeps it (without ranking_id and
// replayed): the zbb.v1 messages. Packages and lines in rank order; the cut is the first package
// not funded (unset if all fit); capped_total the packages above flagged lines' ceilings, never
// ranked.
using RankedPackage = zbb::v1::RankedPackage;
using LineRanking = zbb::v1::LineRanking;
using RankingResult = zbb::v1::RankResponse;

// The packages of a line, lowest level first; a line without packages is one minimum package.
std::vector<Increment> packages_of(const LineContent& content);

// INVALID_ARGUMENT for a negative envelope; FAILED_PRECONDITION naming lines nobody has scored.
Result<RankingResult> rank_lines(const std::vector<BudgetLine>& lines, Fen envelope,
                                 const zbb::policy::WorkflowPolicy& policy);

}  // namespace zbb::review
