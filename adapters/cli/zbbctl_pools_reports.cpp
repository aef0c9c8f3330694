#include "adapters/cli/zbbctl_pools_reports.h"

#include <fmt/format.h>

#include "adapters/cli/text_table.h"
#include "adapters/cli/zbbctl_format.h"
#include "adapters/cli/zbbctl_json.h"
#include "adapters/cli/zbbctl_rounds.h"
#include "engine/money.h"

namespace zbb::cli {
namespace {

namespace v1 = zbb::v1;
using Align = TextTable::Align;

std::string department_name(const std::string& department) {
  return department.empty() ? "(county)" : department;
}

std::string signed_yuan(Fen amount) {
  return amount > 0 ? "+" + format_yuan(amount) : format_yuan(amount);
}

}  // namespace

std::string pool_text(const v1::GetPoolResponse& pool) {
  std::string out = fmt::format("pool of {} for {}: {} yuan\n", department_name(pool.department()),
                                pool.fiscal_year(), format_yuan(pool.balance()));
  if (pool.movements().empty()) return out + "no movements\n";
  TextTable table({{"at"},
                   {"change", Align::kRight},
                   {"balance", Align::kRight},
                   {"line"},
                   {"reason"},
                   {"by"},
                   {"report"}});
  for (const auto& movement : pool.movements())
    table.add_row({format_time(movement.at()), signed_yuan(movement.delta()),
                   format_yuan(movement.balance_after()),
                   movement.line_id().empty() ? "-" : movement.line_id(), movement.reason(),
                   movement.actor().empty() ? "-" : movement.actor(),
                   movement.report_id().empty() ? "-" : movement.report_id()});
  out += table.render();
  if (pool.movements_cut()) out += "older movements not shown (--movements N for more)\n";
  return out;
}

std::string reports_table(const v1::ListReportsResponse& reports) {
  TextTable table({{"report"}, {"kind"}, {"year", Align::kRight}, {"department"}, {"at"}, {"by"}});
  for (const auto& report : reports.reports())
    table.add_row({report.id(), report.kind(), std::to_string(report.fiscal_year()),
                   department_name(report.department()), format_time(report.at()), report.actor()});
  return table.render();
}

Outcome run_pool(Client& client, const PoolOptions& options, const Output& output) {
  v1::GetPoolRequest request;
  request.set_fiscal_year(options.fiscal_year);
  request.set_department(options.department);
  request.set_movement_limit(options.movements);
  request.set_county(options.county);
  v1::GetPoolResponse response;
  if (auto failure = client.unary([&](grpc::ClientContext* context) {
        return client.query().GetPool(context, request, &response);
      }))
    return failure;
  output.out << (output.json ? to_json(response) + "\n" : pool_text(response));
  return std::nullopt;
}

Outcome run_reports(Client& client, const ReportsOptions& options, const Output& output) {
  v1::ListReportsRequest request;
  request.set_fiscal_year(options.fiscal_year);
  request.set_department(options.department);
  request.set_kind(options.kind);
  request.set_page_size(options.page_size);
  request.set_page_token(options.page_token);
  v1::ListReportsResponse result;
  if (auto failure = client.pages<v1::ListReportsResponse>(
          request, options.all,
          [&](grpc::ClientContext* context, const v1::ListReportsRequest& next,
              v1::ListReportsResponse* page) {
            return client.query().ListReports(context, next, page);
          },
          [&](v1::ListReportsResponse& page) {
            for (auto& report : *page.mutable_reports()) *result.add_reports() = std::move(report);
            result.set_next_page_token(page.next_page_token());
          }))
    return failure;
  if (output.json) {
    output.out << to_json(result) << '\n';
    return std::nullopt;
  }
  if (result.reports().empty()) {
    output.out << "no reports\n";
    return std::nullopt;
  }
  output.out << reports_table(result);
  if (!result.next_page_token().empty())
    output.out << "more: --page-token " << result.next_page_token() << " (or --all)\n";
  return std::nullopt;
}

Outcome run_report(Client& client, const std::string& report_id, const Output& output) {
  v1::GetReportRequest request;
  request.set_report_id(report_id);
  v1::GetReportResponse response;
  if (auto failure = client.unary([&](grpc::ClientContext* context) {
        return client.query().GetReport(context, request, &response);
      }))
    return failure;
  if (output.json) {
    output.out << to_json(response) << '\n';
    return std::nullopt;
  }
  const auto& report = response.report();
  output.out << fmt::format("{} report {} of {} for {}, {} by {}\n\n", report.kind(), report.id(),
                            department_name(report.department()), report.fiscal_year(),
                            format_time(report.at()), report.actor());
  // Read back, not run again: the "already done" note of a replayed run does not apply.
  if (response.has_ranking()) {
    v1::RankResponse ranking = response.ranking();
    ranking.set_replayed(false);
    output.out << rank_text(ranking) << '\n';
  } else if (response.has_monitoring()) {
    v1::MonitoringReport round = response.monitoring();
    round.set_replayed(false);
    output.out << monitor_text(round) << '\n';
  }
  return std::nullopt;
}

}  // namespace zbb::cli
