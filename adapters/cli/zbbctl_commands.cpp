#include "adapters/cli/zbbctl_commands.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include "adapters/cli/yuan_amount.h"
#include "adapters/cli/zbbctl_format.h"
#include "adapters/cli/zbbctl_json.h"
#include "engine/budget_line.h"
#include "engine/clock.h"
#include "zbb/v1/query.pb.h"
#include "zbb/v1/workflow.pb.h"

namespace zbb::cli {
namespace {

namespace v1 = zbb::v1;

constexpr std::string_view kApproverPrefix = "approver:";
constexpr int kQueuePageSize = 500;

Timestamp now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

std::string or_fresh(const std::string& request_id) {
  return request_id.empty() ? fresh_request_id() : request_id;
}

// A mutating call whose outcome is unknown (it may or may not have been applied) tells how to
// retry it at most once.
Failure with_retry_hint(Failure failure, const std::string& request_id) {
  if (outcome_unknown(failure))
    failure.message += fmt::format(" (request id {}: to retry safely, add --request-id {})",
                                   request_id, request_id);
  return failure;
}

Outcome list_pages(Client& client, v1::ListLinesRequest request, bool all,
                   v1::ListLinesResponse* result) {
  while (true) {
    v1::ListLinesResponse page;
    if (auto failure = client.unary([&](grpc::ClientContext* context) {
          return client.query().ListLines(context, request, &page);
        }))
      return failure;
    for (auto& line : *page.mutable_lines()) *result->add_lines() = std::move(line);
    if (!all || page.next_page_token().empty()) {
      result->set_next_page_token(page.next_page_token());
      return std::nullopt;
    }
    request.set_page_token(page.next_page_token());
  }
}

std::string count_of(int lines) { return fmt::format("{} line{}", lines, lines == 1 ? "" : "s"); }

Outcome push(Client& client, const v1::PushEventRequest& request, const Output& output) {
  v1::CommandResponse response;
  if (auto failure = client.unary([&](grpc::ClientContext* context) {
        return client.workflow().PushEvent(context, request, &response);
      }))
    return with_retry_hint(std::move(*failure), request.request_id());
  output.out << (output.json ? to_json(response) : command_result_line(response)) << '\n';
  return std::nullopt;
}

Outcome read_file(const std::string& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Failure::usage(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *text = buffer.str();
  return std::nullopt;
}

// The event of `line` that request `request_id` left, if that request was already applied.
const v1::RecordedEvent* applied_by(const v1::GetHistoryResponse& history,
                                    const std::string& request_id) {
  const v1::RecordedEvent* last = nullptr;
  for (const auto& event : history.events())
    if (event.request_id() == request_id) last = &event;
  return last;
}

}  // namespace

std::string fresh_request_id() {
  std::random_device random;
  std::uniform_int_distribution<unsigned> nibble(0, 15);
  std::string id = "zbbctl-";
  for (int i = 0; i < 16; ++i) id += "0123456789abcdef"[nibble(random)];
  return id;
}

Outcome run_queue(Client& client, const Output& output) {
  v1::ListLinesRequest request;
  request.set_waiting_on_me(true);
  request.set_page_size(kQueuePageSize);
  v1::ListLinesResponse result;
  if (auto failure = list_pages(client, request, true, &result)) return failure;
  if (output.json) {
    output.out << to_json(result) << '\n';
  } else if (result.lines().empty()) {
    output.out << "nothing waits on you\n";
  } else {
    output.out << lines_table(result.lines(), now()) << count_of(result.lines_size())
               << " waiting on you\n";
  }
  return std::nullopt;
}

Outcome run_list(Client& client, const ListOptions& options, const Output& output) {
  v1::ListLinesRequest request;
  request.set_fiscal_year(options.fiscal_year);
  request.set_department(options.department);
  request.set_state(options.state);
  if (!options.category.empty()) {
    const auto category = category_from_name(options.category);
    if (!category)
      return Failure::usage(fmt::format(
          "--category {}: must be basic, project or department_overall", options.category));
    request.set_category(*category);
  }
  request.set_waiting_on(options.waiting_on);
  request.set_page_size(options.page_size);
  request.set_page_token(options.page_token);
  v1::ListLinesResponse result;
  if (auto failure = list_pages(client, request, options.all, &result)) return failure;
  if (output.json) {
    output.out << to_json(result) << '\n';
    return std::nullopt;
  }
  if (!result.lines().empty()) output.out << lines_table(result.lines(), now());
  output.out << count_of(result.lines_size()) << '\n';
  if (!result.next_page_token().empty())
    output.out << "more: --page-token " << result.next_page_token() << " (or --all)\n";
  return std::nullopt;
}

std::optional<Failure> as_of_time(const std::string& text, google::protobuf::Timestamp* out) {
  const auto at = parse_timestamp(text);
  if (!at) return Failure::usage("--as-of " + text + ": not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
  *out = to_proto(*at);
  return std::nullopt;
}

Outcome run_show(Client& client, const std::string& line_id, const std::string& as_of,
                 const Output& output) {
  v1::GetLineResponse line;
  if (as_of.empty()) {
    if (auto failure = client.get_line(line_id, &line)) return failure;
  } else {
    v1::GetLineRequest request;
    request.set_line_id(line_id);
    if (auto failure = as_of_time(as_of, request.mutable_as_of())) return failure;
    if (auto failure = client.unary([&](grpc::ClientContext* context) {
          return client.query().GetLine(context, request, &line);
        }))
      return failure;
  }
  v1::GetHistoryRequest history_request;
  history_request.set_line_id(line_id);
  v1::GetHistoryResponse history;
  if (auto failure = client.unary([&](grpc::ClientContext* context) {
        return client.query().GetHistory(context, history_request, &history);
      }))
    return failure;
  // As of a time: the events up to the version the line then had.
  if (!as_of.empty()) {
    auto* events = history.mutable_events();
    events->erase(std::remove_if(events->begin(), events->end(),
                                 [&](const v1::RecordedEvent& event) {
                                   return event.line_sequence() > line.line().version();
                                 }),
                  events->end());
  }

  if (output.json) {
    // One document: {"line": BudgetLine, "events": [RecordedEvent, …]}.
    std::string events;
    for (const auto& event : history.events())
      events += (events.empty() ? "" : ",") + to_json(event);
    output.out << fmt::format("{{\"line\":{},\"events\":[{}]}}\n", to_json(line.line()), events);
  } else {
    if (!as_of.empty())
      output.out << fmt::format("as it stood at {} (version {})\n", as_of, line.line().version());
    output.out << line_details(line.line()) << '\n' << history_table(history.events());
  }
  return std::nullopt;
}

Outcome run_create(Client& client, const CreateOptions& options, const Output& output) {
  std::string json;
  if (auto failure = read_file(options.file, &json)) return failure;
  v1::CreateLineRequest request;
  if (const Status parsed = from_json(json, request.mutable_content()); !parsed.ok())
    return Failure::usage(options.file + ": " + parsed.message());
  request.set_request_id(or_fresh(options.request_id));
  request.set_line_id(options.line_id);

  v1::CommandResponse response;
  if (auto failure = client.unary([&](grpc::ClientContext* context) {
        return client.workflow().CreateLine(context, request, &response);
      }))
    return with_retry_hint(std::move(*failure), request.request_id());
  output.out << (output.json ? to_json(response) : command_result_line(response)) << '\n';
  return std::nullopt;
}

Outcome run_push(Client& client, const PushOptions& options, const Output& output) {
  v1::PushEventRequest request;
  if (const Status parsed = from_json(options.event_json, request.mutable_event()); !parsed.ok())
    return Failure::usage("--event: " + parsed.message());
  if (request.event().event_case() == v1::LineEvent::EVENT_NOT_SET)
    return Failure::usage("--event: names no event; e.g. '{\"submit\":{}}'");
  request.set_request_id(or_fresh(options.request_id));
  request.set_line_id(options.line_id);
  if (options.expected_version) request.set_expected_version(*options.expected_version);
  return push(client, request, output);
}

Outcome run_decision(Client& client, const DecisionOptions& options, const Output& output) {
  std::optional<Fen> amount;
  if (options.amount) {
    auto parsed = parse_yuan(*options.amount);
    if (!parsed.ok()) return Failure::usage("--amount: " + parsed.status().message());
    amount = *parsed;
  }

  v1::GetLineResponse read;
  if (auto failure = client.get_line(options.line_id, &read)) return failure;
  const v1::BudgetLine& line = read.line();

  // A retry (the person gave the request id) may find its decision already taken: the line
  // then waits on the next level or none, so answer from the history as the server would.
  if (!options.request_id.empty()) {
    v1::GetHistoryRequest history_request;
    history_request.set_line_id(options.line_id);
    v1::GetHistoryResponse history;
    if (auto failure = client.unary([&](grpc::ClientContext* context) {
          return client.query().GetHistory(context, history_request, &history);
        }))
      return failure;
    if (const auto* event = applied_by(history, options.request_id)) {
      v1::CommandResponse response;
      *response.mutable_line() = line;
      response.set_version(event->line_sequence());
      response.set_state(event->to_state());
      response.set_sequence(event->sequence());
      response.set_replayed(true);
      output.out << (output.json ? to_json(response) : command_result_line(response)) << '\n';
      return std::nullopt;
    }
  }

  if (!line.waiting_on().starts_with(kApproverPrefix))
    return Failure{
        "FAILED_PRECONDITION",
        fmt::format("line {} is not waiting on an approver (state {}{})", line.id(), line.state(),
                    line.waiting_on().empty() ? "" : ", waiting on " + line.waiting_on())};
  const std::string level = line.waiting_on().substr(kApproverPrefix.size());

  v1::PushEventRequest request;
  request.set_request_id(or_fresh(options.request_id));
  request.set_line_id(line.id());
  request.set_expected_version(line.version());  // a concurrent change is refused, not overwritten
  if (line.state() == "adjustment.proposed") {
    if (options.decision == v1::DECISION_RETURN)
      return Failure{"FAILED_PRECONDITION",
                     fmt::format("line {} waits on a decision about an adjustment: approve or "
                                 "reject it, it cannot be returned",
                                 line.id())};
    if (amount)
      return Failure::usage(fmt::format(
          "--amount: line {} waits on a decision about an adjustment, which carries no amount",
          line.id()));
    auto* decide = request.mutable_event()->mutable_decide_adjustment();
    decide->set_level(level);
    decide->set_decision(options.decision);
    decide->set_comment(options.comment);
  } else {
    if (options.decision == v1::DECISION_APPROVE && !amount)
      return Failure::usage(
          fmt::format("--amount is required to approve line {} (granted so far {} yuan)", line.id(),
                      format_yuan(line.granted_amount())));
    auto* decide = request.mutable_event()->mutable_decide();
    decide->set_level(level);
    decide->set_decision(options.decision);
    decide->set_amount(amount.value_or(0));
    decide->set_comment(options.comment);
  }
  return push(client, request, output);
}

Outcome run_review(Client& client, const ReviewOptions& options, const Output& output) {
  v1::PushEventRequest request;
  request.set_request_id(or_fresh(options.request_id));
  request.set_line_id(options.line_id);
  if (options.restated) {
    auto* review = request.mutable_event()->mutable_review_restated_targets();
    review->set_accept(options.accept);
    review->set_comment(options.comment);
  } else if (options.correction) {
    auto* review = request.mutable_event()->mutable_review_correction();
    review->set_accept(options.accept);
    review->set_comment(options.comment);
  } else {
    auto* review = request.mutable_event()->mutable_review_targets();
    review->set_accept(options.accept);
    review->set_comment(options.comment);
  }
  return push(client, request, output);
}

Outcome run_correct(Client& client, const CorrectOptions& options, const Output& output) {
  v1::PushEventRequest request;
  request.set_request_id(or_fresh(options.request_id));
  request.set_line_id(options.line_id);
  auto* answer = request.mutable_event()->mutable_answer_correction();
  answer->set_measures(options.measures);
  answer->set_deadline(options.deadline);
  return push(client, request, output);
}

Outcome run_take(Client& client, const std::string& line_id, const std::string& request_id,
                 const Output& output) {
  v1::PushEventRequest request;
  request.set_request_id(or_fresh(request_id));
  request.set_line_id(line_id);
  request.mutable_event()->mutable_start_target_review();
  return push(client, request, output);
}

Outcome run_watch(Client& client, const WatchOptions& options, const Output& output) {
  v1::WatchRequest request;
  request.set_after_sequence(options.after);
  // The server's limit counts every event; with --stuck the count is of escalations shown.
  request.set_limit(options.stuck ? 0 : options.count);
  auto context = client.call_context(false);  // followed for as long as it runs
  auto reader = client.query().Watch(context.get(), request);
  v1::RecordedEvent event;
  std::int64_t shown = 0;
  while ((options.count == 0 || shown < options.count) && reader->Read(&event)) {
    if (options.stuck && event.type() != kSlaBreached) continue;
    output.out << (output.json     ? to_json(event)
                   : options.stuck ? escalation_line(event)
                                   : watch_line(event))
               << std::endl;
    ++shown;
  }
  if (options.count != 0 && shown >= options.count) {
    context->TryCancel();  // enough: do not wait for the server to end the stream
    (void)reader->Finish();
    return std::nullopt;
  }
  const grpc::Status status = reader->Finish();
  if (!status.ok()) return Client::failure_of(status, *context);
  return std::nullopt;
}

}  // namespace zbb::cli
