#pragma once

#include <string>

#include "engine/status.h"
#include "engine/supervision.h"
#include "zbb/v1/query.pb.h"

namespace zbb::api {

// FindStuck and Summarize on the wire.

// The query a FindStuck request asks for at `now`, without the department narrowing a unit
// caller gets (see restrict_listing). INVALID_ARGUMENT names the field.
// A request's as_of: a valid time (from the year 2000), not after `now`; INVALID_ARGUMENT on
// `field` otherwise.
Result<Timestamp> as_of_from_proto(const google::protobuf::Timestamp& at, Timestamp now,
                                   const std::string& field);

Result<StuckQuery> stuck_query_from_proto(const zbb::v1::FindStuckRequest& request, Timestamp now);
Result<SummaryQuery> summary_query_from_proto(const zbb::v1::SummarizeRequest& request);

// "<key ms>/<line id>": where the next page starts.
std::string stuck_page_token(const StuckLine& last, const StuckQuery& query);

void to_proto(const StuckLine& line, Timestamp as_of, zbb::v1::StuckLine* out);
void to_proto(const SummaryGroup& group, Timestamp as_of, zbb::v1::SummaryGroup* out);
zbb::v1::SummaryGrouping to_proto(SummaryGrouping grouping);

}  // namespace zbb::api
