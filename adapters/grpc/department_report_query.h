#pragma once

// A department's year in one report (Query.GetDepartmentReport): from a request of a caller
// already authenticated to its answer. Units see their own department only.

#include "adapters/grpc/principal.h"
#include "engine/clock.h"
#include "engine/status.h"
#include "engine/store.h"
#include "workflows/policy_loader.h"
#include "zbb/v1/query.pb.h"

namespace zbb::api {

// Reads the department's lines of the fiscal year once, a page at a time, and scores the year
// under the current policy.
Status get_department_report(Store& store, const review::PolicySet& policies, Timestamp now,
                             const Principal& caller,
                             const zbb::v1::GetDepartmentReportRequest& request,
                             zbb::v1::DepartmentReport* response);

}  // namespace zbb::api
