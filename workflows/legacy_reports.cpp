#include "workflows/legacy_reports.h"

#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include <utility>

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

Result<RankedPackage> package_of(const v7::RankedPackage& in, const std::string& field) {
  auto level = enum_named<IncrementLevel>(in.level(), field + ".level");
  if (!level.ok()) return level.status();
  return RankedPackage{in.line_id(),          *level,    in.amount(),
                       in.score_hundredths(), in.rank(), in.funded()};
}

Result<std::string> ranking_body(const std::string& json_text) {
  v7::Ranking in;
  ZBB_RETURN_IF_ERROR(parse(json_text, &in));
  RankingResult out;
  out.envelope = in.envelope();
  out.funded_total = in.funded_total();
  out.unfunded_total = in.unfunded_total();
  out.unallocated = in.unallocated();
  out.capped_total = in.capped_total();
  for (int i = 0; i < in.packages_size(); ++i) {
    auto package = package_of(in.packages(i), fmt::format("packages[{}]", i));
    if (!package.ok()) return package.status();
    out.packages.push_back(std::move(package).value());
  }
  for (int i = 0; i < in.lines_size(); ++i) {
    const auto& line = in.lines(i);
    LineRanking ranking{line.line_id(),   line.department(), line.rank(), line.score_hundredths(),
                        line.requested(), line.funded(),     {}};
    for (int k = 0; k < line.funded_levels_size(); ++k) {
      auto level = enum_named<IncrementLevel>(line.funded_levels(k),
                                              fmt::format("lines[{}].funded_levels[{}]", i, k));
      if (!level.ok()) return level.status();
      ranking.funded_levels.push_back(*level);
    }
    out.lines.push_back(std::move(ranking));
  }
  if (in.has_cut()) {
    auto cut = package_of(in.cut(), "cut");
    if (!cut.ok()) return cut.status();
    out.cut = std::move(cut).value();
  }
  return ranking_document(out);
}

Result<std::string> monitoring_body(const std::string& json_text) {
  v7::Monitoring in;
  ZBB_RETURN_IF_ERROR(parse(json_text, &in));
  MonitoringReport out;
  out.fiscal_year = in.fiscal_year();
  out.as_of = in.as_of();
  out.department = in.department();
  for (int i = 0; i < in.groups_size(); ++i) {
    const auto& g = in.groups(i);
    auto level = enum_named<WarningLevel>(g.level(), fmt::format("groups[{}].level", i));
    if (!level.ok()) return level.status();
    out.groups.push_back({g.department(), *level, g.lines(), g.approved(), g.spent()});
  }
  for (int i = 0; i < in.lines_size(); ++i) {
    const auto& l = in.lines(i);
    const auto& r = l.result();
    auto level = enum_named<WarningLevel>(r.level(), fmt::format("lines[{}].result.level", i));
    if (!level.ok()) return level.status();
    MonitoringResult result{*level,
                            r.as_of(),
                            r.execution_rate_bp(),
                            r.time_progress_bp(),
                            r.indicator_completion_bp(),
                            {r.reasons().begin(), r.reasons().end()}};
    out.lines.push_back({l.line_id(), l.department(), std::move(result), l.approved(), l.spent()});
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
