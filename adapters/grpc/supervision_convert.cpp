#include "adapters/grpc/supervision_convert.h"

#include "engine/budget_line.h"

#include <google/protobuf/util/time_util.h>

#include <charconv>

#include "adapters/grpc/proto_convert.h"
#include "engine/engine.h"

namespace zbb::api {
namespace {

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 500;

google::protobuf::Duration duration(std::chrono::milliseconds span) {
  return google::protobuf::util::TimeUtil::MillisecondsToDuration(span.count());
}

Result<StuckCursor> parse_page_token(const std::string& token) {
  const auto invalid = Status::InvalidArgument(
      "page_token", "is not a token this server gave; start again without it");
  const auto slash = token.find('/');
  if (slash == std::string::npos || slash == 0) return invalid;
  StuckCursor cursor;
  const char* end = token.data() + slash;
  const auto [parsed_end, error] = std::from_chars(token.data(), end, cursor.key_ms);
  if (error != std::errc() || parsed_end != end || cursor.key_ms < 0) return invalid;
  cursor.line_id = token.substr(slash + 1);
  if (!validate_id("page_token", cursor.line_id).ok()) return invalid;
  return cursor;
}

}  // namespace

Result<Timestamp> as_of_from_proto(const google::protobuf::Timestamp& at, Timestamp now,
                                   const std::string& field) {
  // 2000-01-01T00:00:00Z: before any fiscal year zbb keeps.
  constexpr std::int64_t kEarliestSeconds = 946684800;
  if (at.nanos() < 0 || at.nanos() > 999'999'999 || at.seconds() < kEarliestSeconds)
    return Status::InvalidArgument(field, "is not a time of the year 2000 or later");
  const Timestamp instant = from_proto(at);
  if (instant > now)
    return Status::InvalidArgument(field, "is after now (" + format_timestamp(now) + ")");
  return instant;
}

Result<StuckQuery> stuck_query_from_proto(const zbb::v1::FindStuckRequest& request, Timestamp now) {
  StuckQuery query;
  query.now = now;
  if (request.fiscal_year() != 0) query.fiscal_year = request.fiscal_year();
  query.department = request.department();
  query.state = request.state();
  query.waiting_on = request.waiting_on();
  if (request.has_min_age()) {
    const auto& age = request.min_age();
    if (age.seconds() < 0 || age.nanos() < 0)
      return Status::InvalidArgument("min_age", "must not be negative");
    // Ten years in milliseconds fits easily; anything longer matches nothing anyway.
    const std::int64_t max_seconds = std::int64_t{10} * 366 * 86400;
    if (age.seconds() > max_seconds)
      return Status::InvalidArgument("min_age", "must be at most ten years");
    query.min_age =
        std::chrono::milliseconds(google::protobuf::util::TimeUtil::DurationToMilliseconds(age));
  }
  const int page_size = request.page_size() == 0 ? kDefaultPageSize : request.page_size();
  if (page_size < 1 || page_size > kMaxPageSize)
    return Status::InvalidArgument("page_size", "must be 1 to " + std::to_string(kMaxPageSize));
  query.limit = static_cast<std::size_t>(page_size);
  if (!request.page_token().empty()) {
    auto cursor = parse_page_token(request.page_token());
    if (!cursor.ok()) return cursor.status();
    query.after = *cursor;
  }
  return query;
}

Result<SummaryQuery> summary_query_from_proto(const zbb::v1::SummarizeRequest& request) {
  SummaryQuery query;
  switch (request.group_by()) {
    case zbb::v1::SUMMARY_GROUPING_UNSPECIFIED:
    case zbb::v1::SUMMARY_GROUPING_STATE:
      query.group_by = SummaryGrouping::kState;
      break;
    case zbb::v1::SUMMARY_GROUPING_DEPARTMENT:
      query.group_by = SummaryGrouping::kDepartment;
      break;
    case zbb::v1::SUMMARY_GROUPING_WAITING_ON:
      query.group_by = SummaryGrouping::kWaitingOn;
      break;
    case zbb::v1::SUMMARY_GROUPING_WARNING_LEVEL:
      query.group_by = SummaryGrouping::kWarningLevel;
      break;
    default:
      return Status::InvalidArgument("group_by",
                                     "unknown grouping " + std::to_string(request.group_by()));
  }
  if (request.fiscal_year() != 0) query.fiscal_year = request.fiscal_year();
  query.department = request.department();
  return query;
}

std::string stuck_page_token(const StuckLine& last, const StuckQuery& query) {
  const Timestamp key = query.min_age ? last.state_entered_at : last.due_at;
  return std::to_string(to_millis(key)) + "/" + last.line_id;
}

void to_proto(const StuckLine& line, Timestamp as_of, zbb::v1::StuckLine* out) {
  out->set_line_id(line.line_id);
  out->set_fiscal_year(line.fiscal_year);
  out->set_department(line.department);
  out->set_state(line.state);
  out->set_waiting_on(line.waiting_on);
  *out->mutable_state_entered_at() = to_proto(line.state_entered_at);
  *out->mutable_due_at() = to_proto(line.due_at);
  *out->mutable_overdue() = duration(as_of - line.due_at);
  *out->mutable_waiting() = duration(as_of - line.state_entered_at);
  out->set_requested_amount(line.requested_amount);
  out->set_approved_amount(line.approved_amount);
  out->set_escalated(line.escalated);
}

void to_proto(const SummaryGroup& group, Timestamp as_of, zbb::v1::SummaryGroup* out) {
  out->set_key(group.key);
  out->set_lines(group.lines);
  out->set_escalated(group.escalated);
  out->set_requested_amount(group.requested);
  out->set_approved_amount(group.approved);
  out->set_spent_amount(group.spent);
  if (group.oldest) {
    auto* oldest = out->mutable_oldest();
    oldest->set_line_id(group.oldest->line_id);
    oldest->set_state(group.oldest->state);
    *oldest->mutable_state_entered_at() = to_proto(group.oldest->state_entered_at);
    *oldest->mutable_due_at() = to_proto(group.oldest->due_at);
    *oldest->mutable_waiting() = duration(as_of - group.oldest->state_entered_at);
  }
}

zbb::v1::SummaryGrouping to_proto(SummaryGrouping grouping) {
  switch (grouping) {
    case SummaryGrouping::kState:
      return zbb::v1::SUMMARY_GROUPING_STATE;
    case SummaryGrouping::kDepartment:
      return zbb::v1::SUMMARY_GROUPING_DEPARTMENT;
    case SummaryGrouping::kWaitingOn:
      return zbb::v1::SUMMARY_GROUPING_WAITING_ON;
    case SummaryGrouping::kWarningLevel:
      return zbb::v1::SUMMARY_GROUPING_WARNING_LEVEL;
  }
  return zbb::v1::SUMMARY_GROUPING_STATE;
}

}  // namespace zbb::api
