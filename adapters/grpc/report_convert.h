#pragma once

#include "workflows/ranking_run.h"
#include "workflows/report_documents.h"
#include "zbb/v1/workflow.pb.h"

namespace zbb::api {

// A ranking run as the API answers it: its result with the request's ranking id, and whether it
// was replayed. (A monitoring round's report is the zbb.v1 message already.)
void to_proto(const review::RankingRun& run, zbb::v1::RankResponse* out);

}  // namespace zbb::api
