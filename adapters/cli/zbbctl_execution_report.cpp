#include "adapters/cli/zbbctl_execution_report.h"

#include <fmt/format.h>

#include "adapters/cli/text_table.h"
#include "adapters/cli/zbbctl_format.h"
#include "adapters/cli/zbbctl_json.h"
#include "engine/money.h"

namespace zbb::cli {
namespace {

namespace v1 = zbb::v1;
using Align = TextTable::Align;

std::vector<std::string> row_cells(const std::string& name, const v1::ExecutionRow& row) {
  return {name,
          std::to_string(row.lines()),
          format_yuan(row.approved_amount()),
          format_yuan(row.spent_in_month()),
          format_yuan(row.spent_to_date()),
          percent_text(row.execution_bp()),
          percent_text(row.time_progress_bp()),
          std::to_string(row.lines_lagging())};
}

}  // namespace

std::string execution_report_text(const v1::GetExecutionReportResponse& report) {
  std::string out = fmt::format("execution report {} (fiscal year {}), as of {}\n", report.month(),
                                report.fiscal_year(), format_time(report.as_of()));
  if (report.departments().empty()) return out + "no line of the year has a budget yet\n";
  TextTable table({{"department"},
                   {"lines", Align::kRight},
                   {"approved", Align::kRight},
                   {"spent in month", Align::kRight},
                   {"spent to date", Align::kRight},
                   {"execution", Align::kRight},
                   {"time progress", Align::kRight},
                   {"lagging", Align::kRight}});
  for (const auto& row : report.departments()) table.add_row(row_cells(row.department(), row));
  table.add_row(row_cells("(county)", report.total()));
  out += table.render();
  if (report.total().spent_undated() != 0)
    out += fmt::format(
        "{} yuan was recorded before spending was kept by month: counted to date, in no month\n",
        format_yuan(report.total().spent_undated()));
  return out;
}

Outcome run_monthly_report(Client& client, const MonthlyReportOptions& options,
                           const Output& output) {
  v1::GetExecutionReportRequest request;
  request.set_fiscal_year(options.fiscal_year);
  request.set_month(options.month);
  request.set_department(options.department);
  v1::GetExecutionReportResponse response;
  if (auto failure = client.unary([&](grpc::ClientContext* context) {
        return client.query().GetExecutionReport(context, request, &response);
      }))
    return failure;
  output.out << (output.json ? to_json(response) + "\n" : execution_report_text(response));
  return std::nullopt;
}

}  // namespace zbb::cli
