#pragma once

// Pools and reports read back (Query.GetPool, ListReports, GetReport): from a request of a caller
// already authenticated to its answer. Units see their own department's pool and reports only.

#include "adapters/grpc/principal.h"
#include "engine/status.h"
#include "engine/store.h"
#include "zbb/v1/query.pb.h"

namespace zbb::api {

Status get_pool(Store& store, const Principal& caller, const zbb::v1::GetPoolRequest& request,
                zbb::v1::GetPoolResponse* response);

// Pages carry a token checked against the criteria: one made up, cut or taken from a listing
// with other criteria is INVALID_ARGUMENT `page_token`, never a wrong page.
Status list_reports(Store& store, const Principal& caller,
                    const zbb::v1::ListReportsRequest& request,
                    zbb::v1::ListReportsResponse* response);

// NOT_FOUND for an unknown id and for another department's report asked by a unit; DATA_LOSS
// naming the report when its stored body does not decode.
Status get_report(Store& store, const Principal& caller, const zbb::v1::GetReportRequest& request,
                  zbb::v1::GetReportResponse* response);

}  // namespace zbb::api
