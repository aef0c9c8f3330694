#include "adapters/grpc/department_report_query.h"

#include "adapters/grpc/authorization.h"
#include "adapters/grpc/proto_convert.h"
#include "workflows/department_report.h"

namespace zbb::api {

Status get_department_report(Store& store, const review::PolicySet& policies, Timestamp now,
                             const Principal& caller,
                             const zbb::v1::GetDepartmentReportRequest& request,
                             zbb::v1::DepartmentReport* response) {
  const int fiscal_year = request.fiscal_year();
  if (fiscal_year < 2000 || fiscal_year > 2100)
    return Status::InvalidArgument("fiscal_year", "must be between 2000 and 2100");
  auto department = readable_department(caller, request.department());
  if (!department.ok()) return department.status();
  if (department->empty())
    return Status::InvalidArgument("department", "must name the department whose year to report");
  LineFilter filter;
  filter.fiscal_year = fiscal_year;
  filter.department = *department;
  auto lines = list_all_lines(store, filter);
  if (!lines.ok()) return lines.status();
  *response = review::department_report(*lines, policies.current(), fiscal_year, *department);
  *response->mutable_as_of() = to_proto(now);
  return Status::Ok();
}

}  // namespace zbb::api
