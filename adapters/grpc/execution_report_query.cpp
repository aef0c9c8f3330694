#include "adapters/grpc/execution_report_query.h"

#include <fmt/format.h>

#include "adapters/grpc/authorization.h"
#include "adapters/grpc/proto_convert.h"
#include "workflows/monthly_execution.h"

namespace zbb::api {

Status get_execution_report(Store& store, const review::PolicySet& policies, Timestamp now,
                            const Principal& caller,
                            const zbb::v1::GetExecutionReportRequest& request,
                            zbb::v1::GetExecutionReportResponse* response) {
  const int fiscal_year = request.fiscal_year();
  if (fiscal_year < 2000 || fiscal_year > 2100)
    return Status::InvalidArgument("fiscal_year", "must be between 2000 and 2100");
  auto month = review::parse_month(request.month());
  if (!month.ok()) return month.status().within("month");
  // The year's months, and those of the year after: its final accounts book spending then.
  const int year = static_cast<int>(month->year());
  if (year != fiscal_year && year != fiscal_year + 1)
    return Status::InvalidArgument(
        "month",
        fmt::format("{} is neither a month of fiscal year {} nor of the year after it (the "
                    "final accounts)",
                    request.month(), fiscal_year));
  const auto today = date_of(now);
  if (*month > today.year() / today.month())
    return Status::FailedPrecondition(
        fmt::format("month {} has not begun (today is {})", request.month(), format_date(today)));
  auto department = readable_department(caller, request.department());
  if (!department.ok()) return department.status();

  LineFilter filter;
  filter.fiscal_year = fiscal_year;
  filter.department = *department;
  auto lines = list_all_lines(store, filter);
  if (!lines.ok()) return lines.status();
  auto report = review::execution_report(*lines, policies, fiscal_year, *month, now);
  if (!report.ok()) return report.status();
  *response = std::move(report).value();
  *response->mutable_as_of() = to_proto(now);
  return Status::Ok();
}

}  // namespace zbb::api
