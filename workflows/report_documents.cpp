#include "workflows/report_documents.h"

#include <fmt/format.h>

#include <utility>

#include "engine/proto_codec.h"

namespace zbb::review {
namespace {

namespace v1 = zbb::v1;

void fill(const RankedPackage& in, v1::RankedPackage* out) {
  out->set_line_id(in.line_id);
  out->set_level(in.level);
  out->set_amount(in.amount);
  out->set_score_hundredths(in.score_hundredths);
  out->set_rank(in.rank);
  out->set_funded(in.funded);
}

RankedPackage package_from_proto(const v1::RankedPackage& in) {
  return RankedPackage{in.line_id(),          in.level(), in.amount(),
                       in.score_hundredths(), in.rank(),  in.funded()};
}

Status undecodable(std::string_view what, std::string_view id, const Status& why) {
  return Status::DataLoss(
      fmt::format("{} report {}: stored record does not decode: {}", what, id, why.to_string()));
}

}  // namespace

void to_proto(const RankingResult& result, v1::RankResponse* out) {
  out->Clear();
  out->set_envelope(result.envelope);
  out->set_funded_total(result.funded_total);
  out->set_unfunded_total(result.unfunded_total);
  out->set_unallocated(result.unallocated);
  out->set_capped_total(result.capped_total);
  for (const auto& package : result.packages) fill(package, out->add_packages());
  for (const auto& line : result.lines) {
    auto* wire = out->add_lines();
    wire->set_line_id(line.line_id);
    wire->set_department(line.department);
    wire->set_rank(line.rank);
    wire->set_score_hundredths(line.score_hundredths);
    wire->set_requested(line.requested);
    wire->set_funded(line.funded);
    for (auto level : line.funded_levels) wire->add_funded_levels(level);
  }
  if (result.cut) fill(*result.cut, out->mutable_cut());
}

Result<RankingResult> ranking_from_proto(const v1::RankResponse& in) {
  RankingResult out;
  out.envelope = in.envelope();
  out.funded_total = in.funded_total();
  out.unfunded_total = in.unfunded_total();
  out.unallocated = in.unallocated();
  out.capped_total = in.capped_total();
  for (const auto& package : in.packages()) out.packages.push_back(package_from_proto(package));
  for (int i = 0; i < in.lines_size(); ++i) {
    const auto& line = in.lines(i);
    LineRanking ranking{line.line_id(),   line.department(), line.rank(), line.score_hundredths(),
                        line.requested(), line.funded(),     {}};
    for (int level : line.funded_levels())
      ranking.funded_levels.push_back(static_cast<IncrementLevel>(level));
    out.lines.push_back(std::move(ranking));
  }
  if (in.has_cut()) out.cut = package_from_proto(in.cut());
  return out;
}

void to_proto(const MonitoringReport& report, v1::MonitoringReport* out) {
  out->Clear();
  out->set_report_id(report.report_id);
  out->set_fiscal_year(report.fiscal_year);
  out->set_as_of(report.as_of);
  out->set_department(report.department);
  for (const auto& g : report.groups) {
    auto* wire = out->add_groups();
    wire->set_department(g.department);
    wire->set_level(to_proto(g.level));
    wire->set_lines(g.lines);
    wire->set_approved(g.approved);
    wire->set_spent(g.spent);
  }
  for (const auto& l : report.lines) {
    auto* wire = out->add_lines();
    wire->set_line_id(l.line_id);
    wire->set_department(l.department);
    to_proto(l.result, wire->mutable_result());
    wire->set_approved(l.approved);
    wire->set_spent(l.spent);
  }
  out->set_replayed(report.replayed);
}

Result<MonitoringReport> monitoring_from_proto(const v1::MonitoringReport& in) {
  MonitoringReport out;
  out.report_id = in.report_id();
  out.fiscal_year = in.fiscal_year();
  out.as_of = in.as_of();
  out.department = in.department();
  for (int i = 0; i < in.groups_size(); ++i) {
    const auto& g = in.groups(i);
    auto level = from_proto(g.level(), fmt::format("groups[{}].level", i));
    if (!level.ok()) return level.status();
    out.groups.push_back({g.department(), *level, g.lines(), g.approved(), g.spent()});
  }
  for (int i = 0; i < in.lines_size(); ++i) {
    const auto& l = in.lines(i);
    auto result = zbb::monitoring_from_proto(l.result());
    if (!result.ok()) return result.status().within(fmt::format("lines[{}].result", i));
    out.lines.push_back(
        {l.line_id(), l.department(), std::move(result).value(), l.approved(), l.spent()});
  }
  out.replayed = in.replayed();
  return out;
}

std::string ranking_document(const RankingResult& result) {
  v1::RankResponse document;
  to_proto(result, &document);
  return document.SerializeAsString();
}

Result<RankingResult> ranking_from_document(std::string_view bytes, std::string_view report_id) {
  v1::RankResponse document;
  if (!document.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return undecodable("ranking", report_id, Status::InvalidArgument("", "it does not parse"));
  auto result = ranking_from_proto(document);
  if (!result.ok()) return undecodable("ranking", report_id, result.status());
  return result;
}

std::string monitoring_document(const MonitoringReport& report) {
  v1::MonitoringReport document;
  to_proto(report, &document);
  document.clear_report_id();
  document.clear_replayed();
  return document.SerializeAsString();
}

Result<MonitoringReport> monitoring_from_document(std::string_view bytes,
                                                  std::string_view report_id) {
  v1::MonitoringReport document;
  if (!document.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return undecodable("monitoring", report_id, Status::InvalidArgument("", "it does not parse"));
  auto report = monitoring_from_proto(document);
  if (!report.ok()) return undecodable("monitoring", report_id, report.status());
  return report;
}

}  // namespace zbb::review
