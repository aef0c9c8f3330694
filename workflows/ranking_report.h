#pragma once

#include <string>

#include "engine/status.h"
#include "workflows/ranking.h"

namespace zbb::review {

// A ranking's result as kept in its report, and read back for a retried request.
std::string ranking_to_json(const RankingResult& result);
Result<RankingResult> ranking_from_json(const std::string& text);

}  // namespace zbb::review
