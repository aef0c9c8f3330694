#pragma once

#include <string>
#include <string_view>

#include "engine/status.h"
#include "workflows/monitoring_run.h"
#include "workflows/ranking.h"

namespace zbb::review {

// The kinds of the reports the zero-based review keeps (engine/report.h).
inline constexpr std::string_view kRankingReportKind = "ranking";
inline constexpr std::string_view kMonitoringReportKind = "monitoring";

// A ranking's result and a monitoring round's report as a report's body: the zbb.v1 message in
// protobuf binary, without the request's ranking_id / report_id and replayed. DATA_LOSS naming
// the report when the bytes are not one.
std::string ranking_document(const RankingResult& result);
Result<RankingResult> ranking_from_document(std::string_view bytes, std::string_view report_id);
std::string monitoring_document(const MonitoringReport& report);
Result<MonitoringReport> monitoring_from_document(std::string_view bytes,
                                                  std::string_view report_id);

}  // namespace zbb::review
