#include "adapters/grpc/report_convert.h"

#include "adapters/grpc/proto_convert.h"

namespace zbb::api {
namespace {

void fill(const review::RankedPackage& in, zbb::v1::RankedPackage* out) {
  out->set_line_id(in.line_id);
  out->set_level(to_proto(in.level));
  out->set_amount(in.amount);
  out->set_score_hundredths(in.score_hundredths);
  out->set_rank(in.rank);
  out->set_funded(in.funded);
}

}  // namespace

void to_proto(const review::RankingRun& run, zbb::v1::RankResponse* out) {
  const review::RankingResult& result = run.result;
  out->Clear();
  out->set_ranking_id(run.ranking_id);
  out->set_envelope(result.envelope);
  out->set_funded_total(result.funded_total);
  out->set_unfunded_total(result.unfunded_total);
  out->set_unallocated(result.unallocated);
  for (const auto& package : result.packages) fill(package, out->add_packages());
  for (const auto& line : result.lines) {
    auto* wire = out->add_lines();
    wire->set_line_id(line.line_id);
    wire->set_department(line.department);
    wire->set_rank(line.rank);
    wire->set_score_hundredths(line.score_hundredths);
    wire->set_requested(line.requested);
    wire->set_funded(line.funded);
    for (auto level : line.funded_levels) wire->add_funded_levels(to_proto(level));
  }
  if (result.cut) fill(*result.cut, out->mutable_cut());
  out->set_replayed(run.replayed);
}

void to_proto(const review::MonitoringReport& report, zbb::v1::MonitoringReport* out) {
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

}  // namespace zbb::api
