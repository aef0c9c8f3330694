#include "workflows/report_documents.h"

#include <fmt/format.h>

namespace zbb::review {
namespace {

// The stored report's message, or DATA_LOSS naming the report when the bytes are not one.
template <typename Message>
Result<Message> parsed(std::string_view what, std::string_view bytes, std::string_view id) {
  Message document;
  if (!document.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return Status::DataLoss(fmt::format(
        "{} report {}: stored record does not decode: INVALID_ARGUMENT: it does not parse", what,
        id));
  return document;
}

}  // namespace

std::string ranking_document(const RankingResult& result) {
  RankingResult document = result;
  document.clear_ranking_id();
  document.clear_replayed();
  return document.SerializeAsString();
}

Result<RankingResult> ranking_from_document(std::string_view bytes, std::string_view report_id) {
  return parsed<RankingResult>("ranking", bytes, report_id);
}

std::string monitoring_document(const MonitoringReport& report) {
  MonitoringReport document = report;
  document.clear_report_id();
  document.clear_replayed();
  return document.SerializeAsString();
}

Result<MonitoringReport> monitoring_from_document(std::string_view bytes,
                                                  std::string_view report_id) {
  return parsed<MonitoringReport>("monitoring", bytes, report_id);
}

}  // namespace zbb::review
