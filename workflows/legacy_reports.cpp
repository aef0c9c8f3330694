#include "workflows/legacy_reports.h"

#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include "workflows/legacy_reports_v7.pb.h"
#include "workflows/report_documents.h"

namespace zbb::review {
namespace {

namespace v7 = legacy_v7;

// A member the message does not know is passed over, as the v7 reader passed it over.
Status parse(const std::string& json_text, google::protobuf::Message* out) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  const auto status = google::protobuf::util::JsonStringToMessage(json_text, out, options);
  if (!status.ok()) return Status::InvalidArgument("", std::string(status.message()));
  return Status::Ok();
}

template <typename Enum>
Result<Enum> enum_named(const std::string& name, const std::string& field) {
  if (auto value = parse_enum<Enum>(name)) return *value;
  return Status::InvalidArgument(field, fmt::format("\"{}\" is not a value", name));
}

Status convert(const v7::RankedPackage& in, const std::string& field, RankedPackage* out) {
  auto level = enum_named<IncrementLevel>(in.level(), field + ".level");
  if (!level.ok()) return level.status();
  out->set_line_id(in.line_id());
  out->set_level(*level);
  out->set_amount(in.amount());
  out->set_score_hundredths(in.score_hundredths());
  out->set_rank(in.rank());
  out->set_funded(in.funded());
  return Status::Ok();
}

Result<std::string> ranking_body(const std::string& json_text) {
  v7::Ranking in;
  ZBB_RETURN_IF_ERROR(parse(json_text, &in));
  RankingResult out;
  out.set_envelope(in.envelope());
  out.set_funded_total(in.funded_total());
  out.set_unfunded_total(in.unfunded_total());
  out.set_unallocated(in.unallocated());
  out.set_capped_total(in.capped_total());
  for (int i = 0; i < in.packages_size(); ++i)
    ZBB_RETURN_IF_ERROR(
        convert(in.packages(i), fmt::format("packages[{}]", i), out.add_packages()));
  for (int i = 0; i < in.lines_size(); ++i) {
    const auto& line = in.lines(i);
    LineRanking& ranking = *out.add_lines();
    ranking.set_line_id(line.line_id());
    ranking.set_department(line.department());
    ranking.set_rank(line.rank());
    ranking.set_score_hundredths(line.score_hundredths());
    ranking.set_requested(line.requested());
    ranking.set_funded(line.funded());
    for (int k = 0; k < line.funded_levels_size(); ++k) {
      auto level = enum_named<IncrementLevel>(line.funded_levels(k),
                                              fmt::format("lines[{}].funded_levels[{}]", i, k));
      if (!level.ok()) return level.status();
      ranking.add_funded_levels(*level);
    }
  }
  if (in.has_cut()) ZBB_RETURN_IF_ERROR(convert(in.cut(), "cut", out.mutable_cut()));
  return ranking_document(out);
}

Result<std::string> monitoring_body(const std::string& json_text) {
  v7::Monitoring in;
  ZBB_RETURN_IF_ERROR(parse(json_text, &in));
  MonitoringReport out;
  out.set_fiscal_year(in.fiscal_year());
  out.set_as_of(in.as_of());
  out.set_department(in.department());
  for (int i = 0; i < in.groups_size(); ++i) {
    const auto& g = in.groups(i);
    auto level = enum_named<WarningLevel>(g.level(), fmt::format("groups[{}].level", i));
    if (!level.ok()) return level.status();
    MonitoringGroup& group = *out.add_groups();
    group.set_department(g.department());
    group.set_level(*level);
    group.set_lines(g.lines());
    group.set_approved(g.approved());
    group.set_spent(g.spent());
  }
  for (int i = 0; i < in.lines_size(); ++i) {
    const auto& l = in.lines(i);
    const auto& r = l.result();
    auto level = enum_named<WarningLevel>(r.level(), fmt::format("lines[{}].result.level", i));
    if (!level.ok()) return level.status();
    MonitoredLine& line = *out.add_lines();
    line.set_line_id(l.line_id());
    line.set_department(l.department());
    MonitoringResult& result = *line.mutable_result();
    result.set_level(*level);
    result.set_as_of(r.as_of());
    result.set_execution_rate_bp(r.execution_rate_bp());
    result.set_time_progress_bp(r.time_progress_bp());
    result.set_indicator_completion_bp(r.indicator_completion_bp());
    result.mutable_reasons()->CopyFrom(r.reasons());
    line.set_approved(l.approved());
    line.set_spent(l.spent());
  }
  return monitoring_document(out);
}

}  // namespace

Result<std::string> report_body_from_v7_json(const std::string& kind,
                                             const std::string& json_text) {
  if (kind == kRankingReportKind) return ranking_body(json_text);
  if (kind == kMonitoringReportKind) return monitoring_body(json_text);
  return Status::InvalidArgument("kind", fmt::format("\"{}\" is not a report kind", kind));
}

}  // namespace zbb::review
