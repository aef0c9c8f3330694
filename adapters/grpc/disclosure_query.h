#pragma once

#include "adapters/grpc/principal.h"
#include "engine/status.h"
#include "engine/store.h"
#include "workflows/policy_loader.h"
#include "zbb/v1/query.pb.h"

namespace zbb::api {

// Query.ExportDisclosure for `caller`: the table read from `store`, with the current policy's
// public columns, written as the file asked for.
Status export_disclosure(Store& store, const review::PolicySet& policies, const Principal& caller,
                         const zbb::v1::ExportDisclosureRequest& request,
                         zbb::v1::ExportDisclosureResponse* response);

}  // namespace zbb::api
