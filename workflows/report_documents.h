#pragma once

#include <string>
#include <string_view>

#include "engine/status.h"
#include "workflows/monitoring_run.h"
#include "workflows/ranking.h"
#include "zbb/v1/workflow.pb.h"

namespace zbb::review {

// The kinds of the reports the zero-based review keeps (engine/report.h).
inline constexpr std::string_view kRankingReportKind = "ranking";
inline constexpr std::string_view kMonitoringReportKind = "monitoring";

// A ranking's result and a monitoring round's report as the API shows them and the store keeps
// them: the zbb.v1 messages (a stored ranking leaves ranking_id and replayed unset, a stored
// round report_id and replayed).
void to_proto(const RankingResult& result, zbb::v1::RankResponse* out);
Result<RankingResult> ranking_from_proto(const zbb::v1::RankResponse& response);
void to_proto(const MonitoringReport& report, zbb::v1::MonitoringReport* out);
Result<MonitoringReport> monitoring_from_proto(const zbb::v1::MonitoringReport& report);

// As a report's body: protobuf binary. DATA_LOSS naming the report when the bytes are not one.
std::string ranking_document(const RankingResult& result);
Result<RankingResult> ranking_from_document(std::string_view bytes, std::string_view report_id);
std::string monitoring_document(const MonitoringReport& report);
Result<MonitoringReport> monitoring_from_document(std::string_view bytes,
                                                  std::string_view report_id);

}  // namespace zbb::review
