#include "adapters/grpc/disclosure_query.h"

#include <fmt/format.h>

#include <map>
#include <optional>

#include "adapters/export/table_files.h"
#include "adapters/grpc/authorization.h"
#include "workflows/disclosure.h"
#include "workflows/report_documents.h"

namespace zbb::api {
namespace {

using zbb::v1::DisclosureTable;

constexpr std::size_t kReportPage = 500;

std::string_view table_name(DisclosureTable table) {
  switch (table) {
    case zbb::v1::DISCLOSURE_TABLE_LINES:
      return "lines";
    case zbb::v1::DISCLOSURE_TABLE_RANKING:
      return "ranking";
    case zbb::v1::DISCLOSURE_TABLE_MONITORING:
      return "monitoring";
    case zbb::v1::DISCLOSURE_TABLE_EVALUATION:
      return "evaluation";
    default:
      return "table";
  }
}

// The latest report of `kind` of the year for `department`: its own, or one over the whole year
// or county (department "") when that is newer; with `department` empty, the latter only.
// nullopt when there is none.
Result<std::optional<Report>> latest_report(Store& store, int fiscal_year,
                                            const std::string& department, std::string_view kind) {
  ReportFilter filter;
  filter.fiscal_year = fiscal_year;
  filter.kind = std::string(kind);  // every department's: the county's are read too
  std::optional<ReportCursor> after;
  std::optional<ReportSummary> latest;
  for (;;) {
    auto page = store.list_reports(filter, after, kReportPage);
    if (!page.ok()) return page.status();
    for (const ReportSummary& report : *page)
      if (report.department == department || report.department.empty())
        latest = report;  // oldest first
    if (page->size() < kReportPage) break;
    after = ReportCursor{page->back().at, page->back().id};
  }
  if (!latest) return std::optional<Report>();
  auto report = store.find_report(latest->id);
  if (!report.ok()) return report.status();
  return std::optional<Report>(std::move(report).value());
}

// The rows of a report over the whole county that are `department`'s.
template <typename Lines>
void keep_department(Lines* lines, const std::string& department) {
  Lines kept;
  for (auto& line : *lines)
    if (line.department() == department) *kept.Add() = std::move(line);
  lines->Swap(&kept);
}

std::map<std::string, BudgetLine> by_id(std::vector<BudgetLine> lines) {
  std::map<std::string, BudgetLine> found;
  for (BudgetLine& line : lines) found.emplace(line.id(), std::move(line));
  return found;
}

Status no_report(std::string_view what, int fiscal_year, const std::string& department) {
  return Status::NotFound(
      fmt::format("no {} of fiscal year {} {}", what, fiscal_year,
                  department.empty() ? "over the whole county" : "in " + department));
}

}  // namespace

Status export_disclosure(Store& store, const review::PolicySet& policies, const Principal& caller,
                         const zbb::v1::ExportDisclosureRequest& request,
                         zbb::v1::ExportDisclosureResponse* response) {
  if (request.table() == zbb::v1::DISCLOSURE_TABLE_UNSPECIFIED ||
      !zbb::v1::DisclosureTable_IsValid(request.table()))
    return Status::InvalidArgument(
        "table",
        "must be one of DISCLOSURE_TABLE_LINES, DISCLOSURE_TABLE_RANKING, "
        "DISCLOSURE_TABLE_MONITORING, DISCLOSURE_TABLE_EVALUATION");
  if (request.format() == zbb::v1::EXPORT_FORMAT_UNSPECIFIED ||
      !zbb::v1::ExportFormat_IsValid(request.format()))
    return Status::InvalidArgument("format", "must be EXPORT_FORMAT_CSV or EXPORT_FORMAT_XLSX");
  const int fiscal_year = request.fiscal_year();
  if (fiscal_year < 2000 || fiscal_year > 2100)
    return Status::InvalidArgument("fiscal_year", "must be between 2000 and 2100");
  auto department = readable_department(caller, request.department());
  if (!department.ok()) return department.status();

  const std::vector<std::string> columns = review::public_columns(policies.current());
  LineFilter filter;
  filter.fiscal_year = fiscal_year;
  filter.department = *department;
  auto lines = list_all_lines(store, filter);
  if (!lines.ok()) return lines.status();

  review::DisclosureTable table;
  switch (request.table()) {
    case zbb::v1::DISCLOSURE_TABLE_LINES:
      table = review::lines_table(*lines, columns);
      break;
    case zbb::v1::DISCLOSURE_TABLE_EVALUATION:
      table = review::evaluation_table(*lines, columns);
      break;
    case zbb::v1::DISCLOSURE_TABLE_RANKING: {
      auto report = latest_report(store, fiscal_year, *department, review::kRankingReportKind);
      if (!report.ok()) return report.status();
      if (!*report) return no_report("ranking", fiscal_year, *department);
      auto ranking = review::ranking_from_document((*report)->body, (*report)->id);
      if (!ranking.ok()) return ranking.status();
      // A ranking of the whole year, for one department: its lines only.
      if (!department->empty()) keep_department(ranking->mutable_lines(), *department);
      table = review::ranking_table(*ranking, by_id(std::move(lines).value()), columns);
      break;
    }
    case zbb::v1::DISCLOSURE_TABLE_MONITORING: {
      auto report = latest_report(store, fiscal_year, *department, review::kMonitoringReportKind);
      if (!report.ok()) return report.status();
      if (!*report) return no_report("monitoring round", fiscal_year, *department);
      auto round = review::monitoring_from_document((*report)->body, (*report)->id);
      if (!round.ok()) return round.status();
      // A round over the whole county, for one department: its lines only.
      if (!department->empty()) keep_department(round->mutable_lines(), *department);
      table = review::monitoring_table(*round, by_id(std::move(lines).value()), columns);
      break;
    }
    default:
      return Status::InvalidArgument("table", "is not a disclosure table");
  }

  const std::string stem =
      fmt::format("{}-{}-{}", fiscal_year, department->empty() ? "全县" : *department,
                  table_name(request.table()));
  if (request.format() == zbb::v1::EXPORT_FORMAT_XLSX) {
    auto workbook = exporting::table_xlsx(table, std::string(table_name(request.table())));
    if (!workbook.ok()) return workbook.status();
    response->set_file_name(stem + ".xlsx");
    response->set_content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    response->set_content(std::move(workbook).value());
  } else {
    response->set_file_name(stem + ".csv");
    response->set_content_type("text/csv; charset=utf-8");
    response->set_content(exporting::table_csv(table));
  }
  for (const auto& column : table.columns) response->add_columns(column.key);
  response->set_rows(static_cast<std::int64_t>(table.rows.size()));
  return Status::Ok();
}

}  // namespace zbb::api
