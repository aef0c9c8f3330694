#pragma once

#include "workflows/ranking_run.h"
#include "zbb/v1/workflow.pb.h"

namespace zbb::api {

// A ranking run as the API answers it.
void to_proto(const review::RankingRun& run, zbb::v1::RankResponse* out);

}  // namespace zbb::api
