#include "adapters/cli/zbbctl_supervision.h"

#include <fmt/format.h>
#include <google/protobuf/util/time_util.h>

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include "adapters/cli/duration_text.h"
#include "adapters/cli/text_table.h"
#include "adapters/cli/zbbctl_format.h"
#include "adapters/cli/zbbctl_json.h"
#include "engine/money.h"

namespace zbb::cli {
namespace {

namespace v1 = zbb::v1;
using Align = TextTable::Align;
using google::protobuf::util::TimeUtil;

std::chrono::milliseconds millis(const google::protobuf::Duration& span) {
  return std::chrono::milliseconds(TimeUtil::DurationToMilliseconds(span));
}

std::string count_of(int lines, std::string_view what) {
  return fmt::format("{} {}line{}", lines, what, lines == 1 ? "" : "s");
}

std::string overdue_text(const google::protobuf::Duration& overdue) {
  const auto span = millis(overdue);
  if (span < std::chrono::milliseconds::zero()) return "due in " + format_span(-span);
  return format_span(span);
}

std::optional<v1::SummaryGrouping> grouping_of(const std::string& name) {
  if (name == "state") return v1::SUMMARY_GROUPING_STATE;
  if (name == "department") return v1::SUMMARY_GROUPING_DEPARTMENT;
  if (name == "waiting-on") return v1::SUMMARY_GROUPING_WAITING_ON;
  if (name == "warning") return v1::SUMMARY_GROUPING_WARNING_LEVEL;
  return std::nullopt;
}

std::string key_title(v1::SummaryGrouping grouping) {
  switch (grouping) {
    case v1::SUMMARY_GROUPING_DEPARTMENT:
      return "department";
    case v1::SUMMARY_GROUPING_WAITING_ON:
      return "waiting on";
    case v1::SUMMARY_GROUPING_WARNING_LEVEL:
      return "warning";
    default:
      return "state";
  }
}

}  // namespace

std::string stuck_table(const v1::FindStuckResponse& response) {
  TextTable table({{"line"},
                   {"department"},
                   {"state"},
                   {"waiting on"},
                   {"entered"},
                   {"due"},
                   {"overdue", Align::kRight},
                   {"amount (yuan)", Align::kRight},
                   {"escalated"}});
  for (const auto& line : response.lines()) {
    const Fen amount =
        line.approved_amount() != 0 ? line.approved_amount() : line.requested_amount();
    table.add_row({line.line_id(), line.department(), line.state(),
                   line.waiting_on().empty() ? "-" : line.waiting_on(),
                   format_time(line.state_entered_at()), format_time(line.due_at()),
                   overdue_text(line.overdue()), format_yuan(amount),
                   line.escalated() ? "yes" : "no"});
  }
  return table.render();
}

std::string summary_table(const v1::SummarizeResponse& response) {
  const bool by_state = response.group_by() == v1::SUMMARY_GROUPING_STATE ||
                        response.group_by() == v1::SUMMARY_GROUPING_UNSPECIFIED;
  std::vector<TextTable::Column> columns = {{key_title(response.group_by())},
                                            {"lines", Align::kRight},
                                            {"escalated", Align::kRight},
                                            {"requested", Align::kRight},
                                            {"approved", Align::kRight},
                                            {"spent", Align::kRight},
                                            {"oldest"}};
  if (!by_state) columns.push_back({"in state"});
  columns.push_back({"waiting", Align::kRight});
  TextTable table(std::move(columns));

  auto add = [&](const std::string& key, std::int64_t lines, std::int64_t escalated, Fen requested,
                 Fen approved, Fen spent, const v1::OldestItem* oldest) {
    std::vector<std::string> cells = {key,
                                      std::to_string(lines),
                                      std::to_string(escalated),
                                      format_yuan(requested),
                                      format_yuan(approved),
                                      format_yuan(spent),
                                      oldest ? oldest->line_id() : "-"};
    if (!by_state) cells.push_back(oldest ? oldest->state() : "");
    cells.push_back(oldest ? format_span(millis(oldest->waiting())) : "");
    table.add_row(std::move(cells));
  };

  std::int64_t lines = 0;
  std::int64_t escalated = 0;
  Fen requested = 0;
  Fen approved = 0;
  Fen spent = 0;
  const v1::OldestItem* oldest = nullptr;  // of every group: the one that waited longest
  for (const auto& group : response.groups()) {
    const v1::OldestItem* group_oldest = group.has_oldest() ? &group.oldest() : nullptr;
    add(group.key().empty() ? "(none)" : group.key(), group.lines(), group.escalated(),
        group.requested_amount(), group.approved_amount(), group.spent_amount(), group_oldest);
    lines += group.lines();
    escalated += group.escalated();
    requested += group.requested_amount();
    approved += group.approved_amount();
    spent += group.spent_amount();
    if (group_oldest && (!oldest || millis(group_oldest->waiting()) > millis(oldest->waiting())))
      oldest = group_oldest;
  }
  add("total", lines, escalated, requested, approved, spent, oldest);
  return table.render();
}

Outcome run_stuck(Client& client, const StuckOptions& options, const Output& output) {
  v1::FindStuckRequest request;
  request.set_fiscal_year(options.fiscal_year);
  request.set_department(options.department);
  request.set_state(options.state);
  request.set_waiting_on(options.waiting_on);
  if (options.older_than) {
    const auto age = parse_span(*options.older_than);
    if (!age.ok()) return Failure::usage("--older-than " + age.status().message());
    request.mutable_min_age()->set_seconds(age->count());
  }
  request.set_page_size(options.page_size);
  request.set_page_token(options.page_token);

  v1::FindStuckResponse result;
  if (auto failure = client.pages<v1::FindStuckResponse>(
          request, options.all,
          [&](grpc::ClientContext* context, const v1::FindStuckRequest& next,
              v1::FindStuckResponse* page) {
            return client.query().FindStuck(context, next, page);
          },
          [&](v1::FindStuckResponse& page) {
            if (!result.has_as_of()) *result.mutable_as_of() = page.as_of();
            for (auto& line : *page.mutable_lines()) *result.add_lines() = std::move(line);
            result.set_next_page_token(page.next_page_token());
          }))
    return failure;

  if (output.json) {
    output.out << to_json(result) << '\n';
    return std::nullopt;
  }
  const std::string criterion =
      options.older_than ? fmt::format(" in their state for {} or more", *options.older_than) : "";
  if (result.lines().empty()) {
    output.out << "no stuck lines" << criterion << '\n';
    return std::nullopt;
  }
  output.out << stuck_table(result)
             << fmt::format("{}{} as of {}\n", count_of(result.lines_size(), "stuck "), criterion,
                            format_time(result.as_of()));
  if (!result.next_page_token().empty())
    output.out << "more: --page-token " << result.next_page_token() << " (or --all)\n";
  return std::nullopt;
}

Outcome run_summary(Client& client, const SummaryOptions& options, const Output& output) {
  const auto grouping = grouping_of(options.by);
  if (!grouping)
    return Failure::usage(
        fmt::format("--by {}: must be state, department, waiting-on or warning", options.by));
  v1::SummarizeRequest request;
  request.set_group_by(*grouping);
  request.set_fiscal_year(options.fiscal_year);
  request.set_department(options.department);
  if (!options.as_of.empty())
    if (auto failure = as_of_time(options.as_of, request.mutable_as_of())) return failure;
  v1::SummarizeResponse response;
  if (auto failure = client.unary([&](grpc::ClientContext* context) {
        return client.query().Summarize(context, request, &response);
      }))
    return failure;
  if (output.json) {
    output.out << to_json(response) << '\n';
  } else if (response.groups().empty()) {
    output.out << "no lines\n";
  } else {
    output.out << summary_table(response) << "as of " << format_time(response.as_of()) << '\n';
  }
  return std::nullopt;
}

}  // namespace zbb::cli
