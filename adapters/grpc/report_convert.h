#pragma once

#include "workflows/ranking_run.h"
#include "workflows/report_documents.h"
#include "zbb/v1/workflow.pb.h"

namespace zbb::api {

// The results of multi-line commands as the API answers them: a ranking run, a monitoring
// round.

// A ranking run as the API answers it.
void to_proto(const review::RankingRun& run, zbb::v1::RankResponse* out);

// A monitoring round's report as the API answers it: review::to_proto (report_documents.h).

}  // namespace zbb::api
