#include "adapters/grpc/query_service.h"

#include <fmt/format.h>

#include "adapters/grpc/authorization.h"
#include "adapters/grpc/caller.h"
#include "adapters/grpc/department_report_query.h"
#include "adapters/grpc/disclosure_query.h"
#include "adapters/grpc/execution_report_query.h"
#include "adapters/grpc/grpc_status.h"
#include "adapters/grpc/pool_report_queries.h"
#include "adapters/grpc/proto_convert.h"
#include "adapters/grpc/request_log.h"
#include "adapters/grpc/request_text.h"
#include "adapters/grpc/supervision_convert.h"
#include "adapters/grpc/watch_stream.h"
#include "engine/audit.h"
#include "engine/engine.h"
#include "engine/recorded_event.h"
#include "engine/summary_of_lines.h"

namespace zbb::api {
namespace {

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 500;

// The line, if the caller may read it. A unit asking about another department's line hears
// exactly what it would hear about a line that does not exist.
Result<BudgetLine> readable_line(Store& store, const Principal& caller, const std::string& id) {
  ZBB_RETURN_IF_ERROR(validate_id("line_id", id));
  auto stored = store.load_line(id);
  if (!stored.ok()) return stored.status();
  if (!authorize_read(caller, *stored->line).ok())
    return Status::NotFound("line " + id + " not found");
  return *stored->line;
}

// The filter a listing request asks for, narrowed to what the caller may see; nullopt when
// nothing can match (a queue asked for by a caller with no queue roles).
Result<std::optional<LineFilter>> listing_filter(const zbb::v1::ListLinesRequest& request,
                                                 const Principal& caller) {
  LineFilter filter;
  if (request.fiscal_year() != 0) filter.fiscal_year = request.fiscal_year();
  filter.department = request.department();
  filter.state = request.state();
  auto category = category_filter_from_proto(request.category());
  if (!category.ok()) return category.status();
  filter.category = *category;
  if (request.waiting_on_me()) {
    for (auto& role : queue_roles(caller))
      if (request.waiting_on().empty() || role == request.waiting_on())
        filter.waiting_on.push_back(role);
    if (filter.waiting_on.empty()) return std::optional<LineFilter>();
  } else if (!request.waiting_on().empty()) {
    filter.waiting_on.push_back(request.waiting_on());
  }
  // A queue holds only lines waiting on the caller's own roles: nothing to restrict.
  if (!request.waiting_on_me()) ZBB_RETURN_IF_ERROR(restrict_listing(caller, filter));
  return std::optional<LineFilter>(std::move(filter));
}

// A listing's page token: the last line id of the page and a check of it and of the criteria,
// so that a token made up, cut, or taken from a listing with other criteria is refused instead
// of answering a wrong page.
std::string listing_check(const zbb::v1::ListLinesRequest& request, std::string_view after_id) {
  const std::string criteria =
      fmt::format("{}|{}|{}|{}|{}|{}|{}", request.fiscal_year(), request.department(),
                  request.state(), static_cast<int>(request.category()), request.waiting_on(),
                  request.waiting_on_me(), after_id);
  return sha256_hex(criteria).substr(0, 16);
}

std::string listing_page_token(const zbb::v1::ListLinesRequest& request,
                               const std::string& last_id) {
  return last_id + "~" + listing_check(request, last_id);
}

// The line id a page token continues after ("" for the first page).
Result<std::string> listing_after_id(const zbb::v1::ListLinesRequest& request) {
  const std::string& token = request.page_token();
  if (token.empty()) return std::string();
  const auto tilde = token.rfind('~');
  const Status refused = Status::InvalidArgument(
      "page_token",
      "is not a token of this listing: pass next_page_token as it came, with the "
      "same criteria");
  if (tilde == std::string::npos) return refused;
  std::string after_id = token.substr(0, tilde);
  if (token.substr(tilde + 1) != listing_check(request, after_id)) return refused;
  return after_id;
}

// A read answered by a function of the caller and the request alone: authenticated, its text
// checked, answered, logged; a refused read answers nothing but its status.
// `answer(store, caller, request, response)`.
template <typename Request, typename Response, typename Answer>
grpc::Status answer_read(std::string_view method, grpc::ServerContext& context,
                         const TokenAuthenticator& tokens, Store& store, const Request& request,
                         Response* response, Answer&& answer) {
  RequestLog log(method);
  auto caller = authenticate_caller(context, tokens);
  if (!caller.ok()) return log.finish(to_grpc(caller.status(), &context));
  log.set_principal(caller->name);
  if (Status text = check_request_text(request); !text.ok())
    return log.finish(to_grpc(text, &context));
  if (Status answered = answer(store, *caller, request, response); !answered.ok()) {
    response->Clear();
    return log.finish(to_grpc(answered, &context));
  }
  return log.finish(grpc::Status::OK);
}

// The line as it stood at the request's as_of (`current`: as it is now, which the caller may
// read).
Result<BudgetLine> line_as_of(Store& store, const BudgetLine& current,
                              const google::protobuf::Timestamp& as_of, Timestamp now) {
  auto at = as_of_from_proto(as_of, now, "as_of");
  if (!at.ok()) return at.status();
  auto then = store.line_as_of(current.id(), *at);
  if (!then.ok()) return then.status();
  if (then->has_value()) return std::move(**then);
  if (*at < from_proto(current.created_at()))
    return Status::NotFound(fmt::format("line {} did not exist yet at {}: it was created at {}",
                                        current.id(), format_timestamp(*at),
                                        format_timestamp(from_proto(current.created_at()))));
  return Status::FailedPrecondition(fmt::format(
      "line {} as it stood at {} is not known: its versions that old were written before zbb "
      "kept every version of a line (schema version 10)",
      current.id(), format_timestamp(*at)));
}

// Summarize's groups as the lines stood at `at`, from each line's version then, a page of lines
// at a time: what it holds is the groups and one page, whatever the number of lines.
Result<std::vector<SummaryGroup>> summary_as_of(Store& store, const SummaryQuery& query,
                                                Timestamp at) {
  constexpr std::size_t kPage = 500;
  LineFilter filter;
  filter.fiscal_year = query.fiscal_year;
  filter.department = query.department;
  SummaryOfLines summary(query.group_by);
  std::string after;
  std::size_t unknown = 0;
  std::string first_unknown;
  for (;;) {
    auto page = store.lines_as_of(at, filter, after, kPage);
    if (!page.ok()) return page.status();
    for (const LineAsOf& then : *page) {
      if (then.line) {
        ZBB_RETURN_IF_ERROR(summary.add(*then.line));
      } else if (then.unknown_then && unknown++ == 0) {
        first_unknown = then.line_id;
      }
    }
    if (page->size() < kPage) break;
    after = page->back().line_id;
  }
  if (unknown > 0)
    return Status::FailedPrecondition(fmt::format(
        "{} line(s) as they stood at {} are not known, {} the first: their versions that old "
        "were written before zbb kept every version of a line (schema version 10)",
        unknown, format_timestamp(at), first_unknown));
  return summary.groups();
}

}  // namespace

grpc::Status QueryService::GetLine(grpc::ServerContext* context,
                                   const zbb::v1::GetLineRequest* request,
                                   zbb::v1::GetLineResponse* response) {
  RequestLog log("GetLine");
  log.set_request("", request->line_id());
  auto caller = authenticate_caller(*context, tokens_);
  if (!caller.ok()) return log.finish(to_grpc(caller.status(), context));
  log.set_principal(caller->name);
  if (Status text = check_request_text(*request); !text.ok())
    return log.finish(to_grpc(text, context));
  auto line = readable_line(store_, *caller, request->line_id());
  if (!line.ok()) return log.finish(to_grpc(line.status(), context));
  if (!request->has_as_of()) {
    *response->mutable_line() = *line;
    return log.finish(grpc::Status::OK);
  }
  // Who may read the line now may read its past: its department never changes.
  auto then = line_as_of(store_, *line, request->as_of(), clock_.now());
  if (!then.ok()) return log.finish(to_grpc(then.status(), context));
  *response->mutable_line() = *then;
  return log.finish(grpc::Status::OK);
}

grpc::Status QueryService::ListLines(grpc::ServerContext* context,
                                     const zbb::v1::ListLinesRequest* request,
                                     zbb::v1::ListLinesResponse* response) {
  RequestLog log("ListLines");
  auto caller = authenticate_caller(*context, tokens_);
  if (!caller.ok()) return log.finish(to_grpc(caller.status(), context));
  log.set_principal(caller->name);
  if (Status text = check_request_text(*request); !text.ok())
    return log.finish(to_grpc(text, context));
  const int page_size = request->page_size() == 0 ? kDefaultPageSize : request->page_size();
  if (page_size < 1 || page_size > kMaxPageSize)
    return log.finish(
        to_grpc(Status::InvalidArgument("page_size", fmt::format("must be 1 to {}", kMaxPageSize)),
                context));
  auto after_id = listing_after_id(*request);
  if (!after_id.ok()) return log.finish(to_grpc(after_id.status(), context));
  auto filter = listing_filter(*request, *caller);
  if (!filter.ok()) return log.finish(to_grpc(filter.status(), context));
  if (!filter->has_value()) return log.finish(grpc::Status::OK);

  // One line more than the page tells whether another page follows.
  auto lines = store_.list_lines(**filter, *after_id, static_cast<std::size_t>(page_size) + 1);
  if (!lines.ok()) return log.finish(to_grpc(lines.status(), context));
  const bool more = lines->size() > static_cast<std::size_t>(page_size);
  if (more) lines->pop_back();
  for (const auto& line : *lines) *response->add_lines() = line;
  if (more) response->set_next_page_token(listing_page_token(*request, lines->back().id()));
  return log.finish(grpc::Status::OK);
}

grpc::Status QueryService::GetHistory(grpc::ServerContext* context,
                                      const zbb::v1::GetHistoryRequest* request,
                                      zbb::v1::GetHistoryResponse* response) {
  RequestLog log("GetHistory");
  log.set_request("", request->line_id());
  auto caller = authenticate_caller(*context, tokens_);
  if (!caller.ok()) return log.finish(to_grpc(caller.status(), context));
  log.set_principal(caller->name);
  if (Status text = check_request_text(*request); !text.ok())
    return log.finish(to_grpc(text, context));
  auto line = readable_line(store_, *caller, request->line_id());
  if (!line.ok()) return log.finish(to_grpc(line.status(), context));
  auto events = store_.line_history(request->line_id());
  if (!events.ok()) return log.finish(to_grpc(events.status(), context));
  for (const auto& event : *events) to_proto(event, response->add_events());
  return log.finish(grpc::Status::OK);
}

namespace {

// A stream refused before its first event: finished at once.
class RefusedStream final : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  explicit RefusedStream(const grpc::Status& status) { Finish(status); }
  void OnDone() override { delete this; }
};

}  // namespace

grpc::ServerWriteReactor<grpc::ByteBuffer>* QueryService::Watch(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request_bytes) {
  zbb::v1::WatchRequest request;
  grpc::ByteBuffer bytes(*request_bytes);  // shares the slices, which parsing consumes
  // Logged by parse_message's log, as any request that does not parse.
  if (grpc::Status parsed = parse_message(&bytes, &request); !parsed.ok())
    return new RefusedStream(parsed);
  RequestLog log("Watch");
  auto refuse = [&](const Status& status) {
    return new RefusedStream(log.finish(to_grpc(status, context)));
  };
  auto caller = authenticate_caller(*context, tokens_);
  if (!caller.ok()) return refuse(caller.status());
  log.set_principal(caller->name);
  if (Status text = check_request_text(request); !text.ok()) return refuse(text);
  if (Status allowed = authorize_watch(*caller); !allowed.ok()) return refuse(allowed);
  if (request.after_sequence() < 0 || request.limit() < 0)
    return refuse(Status::InvalidArgument(request.limit() < 0 ? "limit" : "after_sequence",
                                          "must not be negative"));
  return WatchStream::start(store_, commits_, watch_readers_, std::move(log),
                            request.after_sequence(), request.limit());
}

grpc::Status QueryService::VerifyAudit(grpc::ServerContext* context,
                                       const zbb::v1::VerifyAuditRequest* request,
                                       zbb::v1::VerifyAuditResponse* response) {
  RequestLog log("VerifyAudit");
  log.set_request("", request->line_id());
  auto caller = authenticate_caller(*context, tokens_);
  if (!caller.ok()) return log.finish(to_grpc(caller.status(), context));
  log.set_principal(caller->name);
  if (Status text = check_request_text(*request); !text.ok())
    return log.finish(to_grpc(text, context));
  if (Status allowed = authorize_audit(*caller); !allowed.ok())
    return log.finish(to_grpc(allowed, context));
  if (!request->line_id().empty())
    if (Status id = validate_id("line_id", request->line_id()); !id.ok())
      return log.finish(to_grpc(id, context));
  auto result = verify_audit(store_, request->line_id());
  if (!result.ok()) return log.finish(to_grpc(result.status(), context));
  response->set_intact(!result->first_broken);
  response->set_events_checked(result->events_checked);
  response->set_lines_checked(result->lines_checked);
  response->set_programme_events_checked(result->programme_events_checked);
  response->set_programmes_checked(result->programmes_checked);
  if (result->first_broken) {
    response->set_broken_in_programme(result->first_broken->programme);
    response->set_broken_sequence(result->first_broken->sequence);
    response->set_broken_line_id(result->first_broken->line_id);
    response->set_broken_line_sequence(result->first_broken->line_sequence);
    response->set_reason(result->first_broken->reason);
  }
  return log.finish(grpc::Status::OK);
}

grpc::Status QueryService::FindStuck(grpc::ServerContext* context,
                                     const zbb::v1::FindStuckRequest* request,
                                     zbb::v1::FindStuckResponse* response) {
  RequestLog log("FindStuck");
  auto caller = authenticate_caller(*context, tokens_);
  if (!caller.ok()) return log.finish(to_grpc(caller.status(), context));
  log.set_principal(caller->name);
  if (Status text = check_request_text(*request); !text.ok())
    return log.finish(to_grpc(text, context));
  const Timestamp now = clock_.now();
  auto query = stuck_query_from_proto(*request, now);
  if (!query.ok()) return log.finish(to_grpc(query.status(), context));
  auto department = readable_department(*caller, query->department);
  if (!department.ok()) return log.finish(to_grpc(department.status(), context));
  query->department = *department;

  // One line more than the page tells whether another page follows.
  const std::size_t page_size = query->limit;
  query->limit = page_size + 1;
  auto lines = store_.find_stuck(*query);
  if (!lines.ok()) return log.finish(to_grpc(lines.status(), context));
  const bool more = lines->size() > page_size;
  if (more) lines->pop_back();
  for (const auto& line : *lines) to_proto(line, now, response->add_lines());
  if (more) response->set_next_page_token(stuck_page_token(lines->back(), *query));
  *response->mutable_as_of() = to_proto(now);
  return log.finish(grpc::Status::OK);
}

grpc::Status QueryService::Summarize(grpc::ServerContext* context,
                                     const zbb::v1::SummarizeRequest* request,
                                     zbb::v1::SummarizeResponse* response) {
  RequestLog log("Summarize");
  auto caller = authenticate_caller(*context, tokens_);
  if (!caller.ok()) return log.finish(to_grpc(caller.status(), context));
  log.set_principal(caller->name);
  if (Status text = check_request_text(*request); !text.ok())
    return log.finish(to_grpc(text, context));
  auto query = summary_query_from_proto(*request);
  if (!query.ok()) return log.finish(to_grpc(query.status(), context));
  auto department = readable_department(*caller, query->department);
  if (!department.ok()) return log.finish(to_grpc(department.status(), context));
  query->department = *department;

  Timestamp now = clock_.now();
  Result<std::vector<SummaryGroup>> groups = Status::Internal("not summarized");
  if (request->has_as_of()) {
    auto at = as_of_from_proto(request->as_of(), now, "as_of");
    if (!at.ok()) return log.finish(to_grpc(at.status(), context));
    now = *at;  // waits are measured to the time asked about
    groups = summary_as_of(store_, *query, now);
  } else {
    groups = store_.summarize(*query);
  }
  if (!groups.ok()) return log.finish(to_grpc(groups.status(), context));
  response->set_group_by(to_proto(query->group_by));
  for (const auto& group : *groups) to_proto(group, now, response->add_groups());
  *response->mutable_as_of() = to_proto(now);
  return log.finish(grpc::Status::OK);
}

grpc::Status QueryService::GetPool(grpc::ServerContext* context,
                                   const zbb::v1::GetPoolRequest* request,
                                   zbb::v1::GetPoolResponse* response) {
  return answer_read("GetPool", *context, tokens_, store_, *request, response, get_pool);
}

grpc::Status QueryService::ListReports(grpc::ServerContext* context,
                                       const zbb::v1::ListReportsRequest* request,
                                       zbb::v1::ListReportsResponse* response) {
  return answer_read("ListReports", *context, tokens_, store_, *request, response, list_reports);
}

grpc::Status QueryService::GetReport(grpc::ServerContext* context,
                                     const zbb::v1::GetReportRequest* request,
                                     zbb::v1::GetReportResponse* response) {
  return answer_read("GetReport", *context, tokens_, store_, *request, response, get_report);
}

grpc::Status QueryService::GetExecutionReport(grpc::ServerContext* context,
                                              const zbb::v1::GetExecutionReportRequest* request,
                                              zbb::v1::GetExecutionReportResponse* response) {
  return answer_read(
      "GetExecutionReport", *context, tokens_, store_, *request, response,
      [this](Store& store, const Principal& caller, const zbb::v1::GetExecutionReportRequest& asked,
             zbb::v1::GetExecutionReportResponse* answer) {
        return get_execution_report(store, policies_, clock_.now(), caller, asked, answer);
      });
}

grpc::Status QueryService::GetDepartmentReport(grpc::ServerContext* context,
                                               const zbb::v1::GetDepartmentReportRequest* request,
                                               zbb::v1::DepartmentReport* response) {
  return answer_read(
      "GetDepartmentReport", *context, tokens_, store_, *request, response,
      [this](Store& store, const Principal& caller,
             const zbb::v1::GetDepartmentReportRequest& asked, zbb::v1::DepartmentReport* answer) {
        return get_department_report(store, policies_, clock_.now(), caller, asked, answer);
      });
}

grpc::Status QueryService::ExportDisclosure(grpc::ServerContext* context,
                                            const zbb::v1::ExportDisclosureRequest* request,
                                            zbb::v1::ExportDisclosureResponse* response) {
  return answer_read(
      "ExportDisclosure", *context, tokens_, store_, *request, response,
      [this](Store& store, const Principal& caller, const zbb::v1::ExportDisclosureRequest& asked,
             zbb::v1::ExportDisclosureResponse* answer) {
        return export_disclosure(store, policies_, caller, asked, answer);
      });
}

}  // namespace zbb::api
