#pragma once

// The monthly execution report (Query.GetExecutionReport): from a request of a caller already
// authenticated to its answer. Units see their own department only.

#include "adapters/grpc/principal.h"
#include "engine/clock.h"
#include "engine/status.h"
#include "engine/store.h"
#include "workflows/policy_loader.h"
#include "zbb/v1/query.pb.h"

namespace zbb::api {

// Reads every line of the fiscal year (and department) once: a county's few thousand lines, a
// page at a time. FAILED_PRECONDITION for a month that has not begun by `now`.
Status get_execution_report(Store& store, const review::PolicySet& policies, Timestamp now,
                            const Principal& caller,
                            const zbb::v1::GetExecutionReportRequest& request,
                            zbb::v1::GetExecutionReportResponse* response);

}  // namespace zbb::api
