#include "adapters/cli/zbbctl_department_report.h"

#include <fmt/format.h>

#include "adapters/cli/text_table.h"
#include "adapters/cli/zbbctl_format.h"
#include "adapters/cli/zbbctl_json.h"
#include "engine/money.h"

namespace zbb::cli {
namespace {

namespace v1 = zbb::v1;

std::string points_text(std::int64_t tenths) {
  return fmt::format("{}.{}", tenths / 10, tenths % 10);
}

}  // namespace

std::string department_report_text(const v1::DepartmentReport& report) {
  std::string out = fmt::format("{}, fiscal year {}, as of {}\n", report.department(),
                                report.fiscal_year(), format_time(report.as_of()));
  std::string grades;
  for (const auto& count : report.grades())
    grades += fmt::format("{}{} {}", grades.empty() ? "" : ", ", count.grade(), count.lines());
  std::vector<std::pair<std::string, std::string>> fields = {
      {"lines", fmt::format("{} ({} with a budget)", report.lines(), report.lines_with_budget())},
      {"requested", format_yuan(report.requested_amount()) + " yuan"},
      {"approved", format_yuan(report.approved_amount()) + " yuan"},
      {"spent", fmt::format("{} yuan (execution {})", format_yuan(report.spent_amount()),
                            percent_text(report.execution_bp()))},
      {"evaluated",
       fmt::format(
           "{} line(s){}{}", report.lines_evaluated(), grades.empty() ? "" : ": " + grades,
           report.lines_focused() > 0 ? fmt::format("; {} focused", report.lines_focused()) : "")},
      {"warnings", fmt::format("{} warned, {} red during the year, {} red now",
                               report.lines_warned(), report.lines_red(), report.lines_red_now())},
      {"corrections", fmt::format("{} open, {} accepted", report.corrections_open(),
                                  report.corrections_accepted())},
      {"unspent", fmt::format("{} yuan recovered, {} yuan carried over",
                              format_yuan(report.unspent_recovered()),
                              format_yuan(report.unspent_carried_over()))},
  };
  if (report.has_overall()) {
    const auto& o = report.overall();
    fields.emplace_back(
        "overall",
        fmt::format("{} (score {}: execution {}, performance {}, monitoring {}; "
                    "policy {})",
                    o.grade(), points_text(o.score_tenths()), points_text(o.execution_tenths()),
                    points_text(o.performance_tenths()), points_text(o.monitoring_tenths()),
                    o.policy_version()));
  } else {
    fields.emplace_back("overall", "-");
  }
  std::size_t width = 0;
  for (const auto& [name, value] : fields) width = std::max(width, name.size());
  for (const auto& [name, value] : fields) out += fmt::format("{:<{}}  {}\n", name, width, value);
  return out;
}

Outcome run_department_report(Client& client, const DepartmentReportOptions& options,
                              const Output& output) {
  v1::GetDepartmentReportRequest request;
  request.set_fiscal_year(options.fiscal_year);
  request.set_department(options.department);
  v1::DepartmentReport response;
  if (auto failure = client.unary([&](grpc::ClientContext* context) {
        return client.query().GetDepartmentReport(context, request, &response);
      }))
    return failure;
  output.out << (output.json ? to_json(response) + "\n" : department_report_text(response));
  return std::nullopt;
}

}  // namespace zbb::cli
