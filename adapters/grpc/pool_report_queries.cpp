#include "adapters/grpc/pool_report_queries.h"

#include <fmt/format.h>

#include <charconv>
#include <string>
#include <utility>

#include "adapters/grpc/authorization.h"
#include "adapters/grpc/proto_convert.h"
#include "adapters/grpc/report_convert.h"
#include "engine/audit.h"
#include "workflows/monitoring_run.h"
#include "workflows/report_documents.h"

namespace zbb::api {
namespace {

constexpr int kDefaultMovements = 100;
constexpr int kMaxMovements = 1000;
constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 500;

Status check_fiscal_year(int year) {
  if (year < 2000 || year > 2100)
    return Status::InvalidArgument("fiscal_year", "must be between 2000 and 2100");
  return Status::Ok();
}

// A request key ("<actor>|<request id>", as reports and pool movements keep it) split in two;
// '|' never appears in a request id, so the last one divides them.
std::pair<std::string, std::string> actor_and_request(const std::string& key) {
  const auto bar = key.rfind('|');
  if (bar == std::string::npos) return {"", key};
  return {key.substr(0, bar), key.substr(bar + 1)};
}

void fill(const PoolMovement& in, zbb::v1::PoolMovement* out) {
  out->set_sequence(in.sequence);
  out->set_delta(in.delta);
  out->set_balance_after(in.balance_after);
  *out->mutable_at() = to_proto(in.at);
  out->set_line_id(in.line_id);
  out->set_reason(in.reason);
  auto [actor, request_id] = actor_and_request(in.request_id);
  out->set_actor(std::move(actor));
  out->set_request_id(std::move(request_id));
  out->set_report_id(in.report_id);
}

void fill(const ReportSummary& in, zbb::v1::ReportSummary* out) {
  out->set_id(in.id);
  out->set_kind(in.kind);
  out->set_fiscal_year(in.fiscal_year);
  out->set_department(in.department);
  *out->mutable_at() = to_proto(in.at);
  auto [actor, request_id] = actor_and_request(in.id);
  out->set_actor(std::move(actor));
  out->set_request_id(std::move(request_id));
}

// A listing's page token: "<at ms>~<report id>~<check>", the check covering the cursor and the
// criteria.
std::string listing_check(const zbb::v1::ListReportsRequest& request, long long at_ms,
                          std::string_view id) {
  return sha256_hex(fmt::format("reports|{}|{}|{}|{}|{}", request.fiscal_year(),
                                request.department(), request.kind(), at_ms, id))
      .substr(0, 16);
}

std::string page_token(const zbb::v1::ListReportsRequest& request, const ReportSummary& last) {
  const long long at_ms = to_millis(last.at);
  return fmt::format("{}~{}~{}", at_ms, last.id, listing_check(request, at_ms, last.id));
}

Result<std::optional<ReportCursor>> cursor_of(const zbb::v1::ListReportsRequest& request) {
  const std::string& token = request.page_token();
  if (token.empty()) return std::optional<ReportCursor>();
  const Status refused = Status::InvalidArgument(
      "page_token",
      "is not a token of this listing: pass next_page_token as it came, with the same criteria");
  const auto first = token.find('~');
  const auto last = token.rfind('~');
  if (first == std::string::npos || first == last) return refused;
  long long at_ms = 0;
  const char* begin = token.data();
  if (std::from_chars(begin, begin + first, at_ms).ptr != begin + first || !within_calendar(at_ms))
    return refused;
  std::string id = token.substr(first + 1, last - first - 1);
  if (token.substr(last + 1) != listing_check(request, at_ms, id)) return refused;
  return std::optional<ReportCursor>(ReportCursor{from_millis(at_ms), std::move(id)});
}

Status check_kind(const std::string& kind) {
  if (kind.empty() || kind == review::kRankingReportKind || kind == review::kMonitoringReportKind)
    return Status::Ok();
  return Status::InvalidArgument("kind", "must be \"ranking\", \"monitoring\" or empty");
}

// The body of a stored report as the run that made it answered, replayed.
Status fill_body(const Report& report, zbb::v1::GetReportResponse* response) {
  const std::string request_id = actor_and_request(report.id).second;
  auto undecodable = [&](const Status& why) {
    return Status::DataLoss(fmt::format("report {}: stored record does not decode: {}", report.id,
                                        quote_cut(why.message())));
  };
  if (report.kind == review::kRankingReportKind) {
    auto result = review::ranking_from_document(report.body, report.id);
    if (!result.ok()) return result.status();
    to_proto(review::RankingRun{request_id, std::move(result).value(), 0, true},
             response->mutable_ranking());
    return Status::Ok();
  }
  if (report.kind == review::kMonitoringReportKind) {
    auto round = review::monitoring_from_document(report.body, report.id);
    if (!round.ok()) return round.status();
    round->set_report_id(request_id);
    round->set_replayed(true);
    *response->mutable_monitoring() = std::move(round).value();
    return Status::Ok();
  }
  return undecodable(Status::Internal("kind " + report.kind + " is not a report kind"));
}

}  // namespace

Status get_pool(Store& store, const Principal& caller, const zbb::v1::GetPoolRequest& request,
                zbb::v1::GetPoolResponse* response) {
  ZBB_RETURN_IF_ERROR(check_fiscal_year(request.fiscal_year()));
  const int limit = request.movement_limit() == 0 ? kDefaultMovements : request.movement_limit();
  if (limit < 1 || limit > kMaxMovements)
    return Status::InvalidArgument("movement_limit", fmt::format("must be 1 to {}", kMaxMovements));
  Result<std::string> department = std::string();
  if (request.county()) {
    // The county's general pool is the pool of no department.
    if (!request.department().empty())
      return Status::InvalidArgument("department",
                                     "must be empty with county: the county's pool is no "
                                     "department's");
    if (!reads_every_department(caller))
      return Status::PermissionDenied(caller.name +
                                      " may not read the county's pool: needs a role other than "
                                      "unit:<department>");
  } else {
    department = readable_department(caller, request.department());
    if (!department.ok()) return department.status();
    // Pools are kept per department (a ranking of the whole county keeps its rest in its report).
    if (department->empty())
      return Status::InvalidArgument("department",
                                     "must name the department whose pool to read (or set county)");
  }
  auto pool = store.pool(request.fiscal_year(), *department, static_cast<std::size_t>(limit));
  if (!pool.ok()) return pool.status();
  response->set_fiscal_year(request.fiscal_year());
  response->set_department(*department);
  response->set_balance(pool->balance);
  for (const PoolMovement& movement : pool->movements) fill(movement, response->add_movements());
  response->set_movements_cut(pool->movements_cut);
  return Status::Ok();
}

Status list_reports(Store& store, const Principal& caller,
                    const zbb::v1::ListReportsRequest& request,
                    zbb::v1::ListReportsResponse* response) {
  if (request.fiscal_year() != 0) ZBB_RETURN_IF_ERROR(check_fiscal_year(request.fiscal_year()));
  ZBB_RETURN_IF_ERROR(check_kind(request.kind()));
  const int page_size = request.page_size() == 0 ? kDefaultPageSize : request.page_size();
  if (page_size < 1 || page_size > kMaxPageSize)
    return Status::InvalidArgument("page_size", fmt::format("must be 1 to {}", kMaxPageSize));
  auto after = cursor_of(request);
  if (!after.ok()) return after.status();
  auto department = readable_department(caller, request.department());
  if (!department.ok()) return department.status();
  ReportFilter filter;
  if (request.fiscal_year() != 0) filter.fiscal_year = request.fiscal_year();
  filter.department = *department;
  filter.kind = request.kind();
  // One report more than the page tells whether another page follows.
  auto reports = store.list_reports(filter, *after, static_cast<std::size_t>(page_size) + 1);
  if (!reports.ok()) return reports.status();
  const bool more = reports->size() > static_cast<std::size_t>(page_size);
  if (more) reports->pop_back();
  for (const ReportSummary& report : *reports) fill(report, response->add_reports());
  if (more) response->set_next_page_token(page_token(request, reports->back()));
  return Status::Ok();
}

Status get_report(Store& store, const Principal& caller, const zbb::v1::GetReportRequest& request,
                  zbb::v1::GetReportResponse* response) {
  if (request.report_id().empty()) return Status::InvalidArgument("report_id", "must not be empty");
  const Status not_found =
      Status::NotFound("report " + quote_cut(request.report_id()) + " not found");
  auto report = store.find_report(request.report_id());
  // A unit hears of another department's report what it would of no report at all, whatever
  // state the record is in: reports are read by everyone but units, so a unit learns nothing.
  if (!report.ok())
    return report.status().code() == Code::kNotFound || !reads_every_department(caller)
               ? not_found
               : report.status();
  auto department = readable_department(caller, report->department);
  if (!department.ok() || *department != report->department) return not_found;
  ZBB_RETURN_IF_ERROR(fill_body(*report, response));
  fill(ReportSummary{report->id, report->kind, report->fiscal_year, report->department, report->at},
       response->mutable_report());
  return Status::Ok();
}

}  // namespace zbb::api
