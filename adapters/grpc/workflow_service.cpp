#include "adapters/grpc/workflow_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <string_view>
#include <vector>

#include "adapters/grpc/authorization.h"
#include "adapters/grpc/caller.h"
#include "adapters/grpc/grpc_status.h"
#include "adapters/grpc/proto_convert.h"
#include "adapters/grpc/report_convert.h"
#include "adapters/grpc/request_log.h"
#include "adapters/grpc/request_text.h"
#include "adapters/grpc/unary_call.h"
#include "workflows/monitoring_run.h"
#include "workflows/ranking_run.h"
#include "workflows/waiting_on.h"

namespace zbb::api {
namespace {

constexpr std::size_t kMaxBatchItems = 10000;
// Items of an item-by-item batch committed together: as many as one group commit takes.
constexpr std::size_t kItemsPerChunk = 256;
// Room for "/9999", the suffix of an item's own request id in a batch that is not atomic.
constexpr std::size_t kItemSuffixBytes = 5;

// Fields of the command itself, named the same in the request; the rest belong to the event.
bool is_envelope_field(std::string_view field) {
  constexpr std::array<std::string_view, 4> kEnvelope = {"request_id", "actor", "line_id", "items"};
  for (auto name : kEnvelope)
    if (field == name) return true;
  return false;
}

// The engine names fields relative to the event ("amount"); the request nests them under the
// event's oneof field ("event.decide.amount").
Status in_request_terms(const Status& status, std::string_view event_path) {
  if (status.code() != Code::kInvalidArgument || is_envelope_field(status.field())) return status;
  return status.within(std::string(event_path));
}

// While the caller still waits for the answer: not cancelled, its deadline not passed.
std::function<bool()> while_caller_waits(const grpc::ServerContextBase& context) {
  return [&context] {
    return !context.IsCancelled() && std::chrono::system_clock::now() < context.deadline();
  };
}

// Negative versions are refused: no line has one, and none may stand for "unset".
Status check_expected_version(std::optional<std::int64_t> expected) {
  if (expected && *expected < 0)
    return Status::InvalidArgument("expected_version", "must not be negative");
  return Status::Ok();
}

std::string event_path(const zbb::v1::LineEvent& event) {
  return fmt::format("event.{}", event_field_name(event));
}

// Converts one event. Whether the caller may send it to the line is the workflow's to judge
// (role_rules.h), in the engine, on the line as the command finds it.
Result<CommandItem> prepare_item(const std::string& line_id,
                                 std::optional<std::int64_t> expected_version,
                                 const zbb::v1::LineEvent& event) {
  ZBB_RETURN_IF_ERROR(check_expected_version(expected_version));
  auto action = action_from_proto(event);
  if (!action.ok()) return action.status().within("event");
  return CommandItem{line_id, expected_version, std::move(action).value()};
}

template <class Call>
Status fill_response(Engine& engine, const CommandOutcome& outcome, Call& call) {
  zbb::v1::CommandResponse* response = call.response();
  const LineOutcome& item = outcome.items.back();
  if (outcome.last_line_document != nullptr) {
    // The line as this command's commit stored it.
    call.set_serialized_field(zbb::v1::CommandResponse::kLineFieldNumber,
                              outcome.last_line_document);
  } else {
    // A replay: the line as the first try left it.
    auto line = engine.line_at(item.line_id, item.version);
    if (!line.ok()) return line.status();
    *response->mutable_line() = *line;
  }
  response->set_version(item.version);
  response->set_state(item.state);
  response->set_sequence(outcome.last_sequence);
  response->set_replayed(outcome.replayed);
  return Status::Ok();
}

std::optional<std::int64_t> expected_version_of(const auto& message) {
  if (!message.has_expected_version()) return std::nullopt;
  return message.expected_version();
}

// For a batch that is one command: the engine says "items[3].amount" (or just "amount" for a
// single item); the request says "items[3].event.decide.amount".
Status batch_in_request_terms(
    const Status& status,
    const google::protobuf::RepeatedPtrField<zbb::v1::PushEventsItem>& items) {
  if (status.code() != Code::kInvalidArgument) return status;
  std::string field = status.field();
  std::size_t index = 0;
  if (field.rfind("items[", 0) == 0) {
    const auto close = field.find("].");
    if (close == std::string::npos) return status;
    index = std::stoul(field.substr(6, close - 6));
    field = field.substr(close + 2);
  } else if (items.size() != 1 || is_envelope_field(field)) {
    return status;
  }
  if (index >= static_cast<std::size_t>(items.size())) return status;
  const std::string item_path = fmt::format("items[{}]", index);
  const std::string path =
      field == "line_id" ? item_path
                         : item_path + "." + event_path(items[static_cast<int>(index)].event());
  return Status::InvalidArgument(field == "line_id" ? path + ".line_id" : path + "." + field,
                                 status.message());
}

// What an item that succeeded hears: its line as the command left it.
void record_success(zbb::v1::ItemOutcome* outcome, const LineOutcome& line,
                    const CommandOutcome& command) {
  outcome->set_line_id(line.line_id);
  outcome->set_version(line.version);
  outcome->set_state(line.state);
  outcome->set_sequence(command.last_sequence);
  outcome->set_replayed(command.replayed);
}

// An item's field is named from the request, as in an all-or-nothing batch's refusal:
// "items[3].event.decide.amount".
void record_failure(zbb::v1::ItemOutcome* outcome, const Status& status, RequestLog& log) {
  const auto code = to_grpc_code(status.code());
  outcome->set_code(static_cast<int>(code));
  outcome->set_message(log.item_message(outcome->index(), code, status.message()));
  if (!status.field().empty())
    outcome->set_field(fmt::format("items[{}].{}", outcome->index(), status.field()));
}

}  // namespace

namespace {

using CommandCall = UnaryCall<zbb::v1::CreateLineRequest, zbb::v1::CommandResponse>;
using EventCall = UnaryCall<zbb::v1::PushEventRequest, zbb::v1::CommandResponse>;

}  // namespace

grpc::ServerUnaryReactor* WorkflowService::CreateLine(grpc::CallbackServerContext* context,
                                                      const grpc::ByteBuffer* request_bytes,
                                                      grpc::ByteBuffer* response_bytes) {
  auto call = std::make_shared<CommandCall>(context, response_bytes, "CreateLine");
  if (!call->parse(*request_bytes)) return call->reactor();
  const zbb::v1::CreateLineRequest& request = call->request();
  call->log().set_request(request.request_id(), request.line_id());
  auto caller = call->caller(tokens_);
  if (!caller) return call->reactor();
  auto content = content_from_wire(request.content());
  if (!content.ok()) return call->refuse(content.status().within("content"));
  zbb::CreateLine create;
  *create.mutable_content() = std::move(content).value();
  const Action action = std::move(create);
  grpc::ServerUnaryReactor* reactor = call->reactor();
  engine_.execute_async(
      Command{request.request_id(),
              *caller,
              {{request.line_id(), std::nullopt, action}},
              {},
              {},
              while_caller_waits(*context)},
      [this, call](Result<CommandOutcome> outcome) {
        if (!outcome.ok()) return call->finish(to_grpc(outcome.status(), call->context()));
        call->log().set_request(call->request().request_id(), outcome->items.back().line_id);
        call->finish(to_grpc(fill_response(engine_, *outcome, *call), call->context()));
      });
  return reactor;
}

grpc::ServerUnaryReactor* WorkflowService::PushEvent(grpc::CallbackServerContext* context,
                                                     const grpc::ByteBuffer* request_bytes,
                                                     grpc::ByteBuffer* response_bytes) {
  auto call = std::make_shared<EventCall>(context, response_bytes, "PushEvent");
  if (!call->parse(*request_bytes)) return call->reactor();
  const zbb::v1::PushEventRequest& request = call->request();
  call->log().set_request(request.request_id(), request.line_id());
  auto caller = call->caller(tokens_);
  if (!caller) return call->reactor();
  auto item = prepare_item(request.line_id(), expected_version_of(request), request.event());
  if (!item.ok()) return call->refuse(item.status());
  grpc::ServerUnaryReactor* reactor = call->reactor();
  engine_.execute_async(
      Command{request.request_id(),
              *caller,
              {std::move(item).value()},
              {},
              {},
              while_caller_waits(*context)},
      [this, call](Result<CommandOutcome> outcome) {
        if (!outcome.ok())
          return call->finish(
              to_grpc(in_request_terms(outcome.status(), event_path(call->request().event())),
                      call->context()));
        call->finish(to_grpc(fill_response(engine_, *outcome, *call), call->context()));
      });
  return reactor;
}

namespace {

using BatchCall = UnaryCall<zbb::v1::PushEventsRequest, zbb::v1::PushEventsResponse>;

}  // namespace

// A batch that is not atomic, on its way: each item a command of its own.
struct WorkflowService::ItemByItem {
  std::shared_ptr<BatchCall> call;
  Principal caller;
  int next = 0;  // the first item not yet sent to the engine
  int succeeded = 0;
};

grpc::ServerUnaryReactor* WorkflowService::PushEvents(grpc::CallbackServerContext* context,
                                                      const grpc::ByteBuffer* request_bytes,
                                                      grpc::ByteBuffer* response_bytes) {
  auto call = std::make_shared<BatchCall>(context, response_bytes, "PushEvents");
  grpc::ServerUnaryReactor* reactor = call->reactor();
  if (!call->parse(*request_bytes)) return reactor;
  const zbb::v1::PushEventsRequest& request = call->request();
  call->log().set_request(request.request_id());
  auto caller = call->caller(tokens_);
  if (!caller) return reactor;

  const auto& items = request.items();
  if (items.empty() || static_cast<std::size_t>(items.size()) > kMaxBatchItems)
    return call->refuse(
        Status::InvalidArgument("items", fmt::format("must hold 1 to {} items", kMaxBatchItems)));

  if (request.all_or_nothing()) {
    Command command{request.request_id(), *caller, {}};
    command.still_wanted = while_caller_waits(*context);
    for (int i = 0; i < items.size(); ++i) {
      auto item = prepare_item(items[i].line_id(), expected_version_of(items[i]), items[i].event());
      if (!item.ok()) {
        const Status& s = item.status();
        const Status named = s.code() == Code::kInvalidArgument
                                 ? s.within(fmt::format("items[{}]", i))
                                 : Status(s.code(), fmt::format("item {} (line {}): {}", i,
                                                                items[i].line_id(), s.message()));
        return call->refuse(named);
      }
      command.items.push_back(std::move(item).value());
    }
    engine_.execute_async(std::move(command), [call](Result<CommandOutcome> outcome) {
      const auto& items = call->request().items();
      if (!outcome.ok())
        return call->finish(
            to_grpc(batch_in_request_terms(outcome.status(), items), call->context()));
      zbb::v1::PushEventsResponse* response = call->response();
      for (int i = 0; i < items.size(); ++i) {
        auto* o = response->add_outcomes();
        o->set_index(i);
        record_success(o, outcome->items[static_cast<std::size_t>(i)], *outcome);
      }
      response->set_succeeded(items.size());
      call->finish(grpc::Status::OK);
    });
    return reactor;
  }

  // Each item is a command of its own, idempotent under "<request_id>/<index>".
  if (Status id = validate_id("request_id", request.request_id(), kItemSuffixBytes); !id.ok())
    return call->refuse(id);
  push_chunk(std::make_shared<ItemByItem>(ItemByItem{call, *caller}));
  return reactor;
}

// Items are taken in chunks, each planned item by item and committed together: a chunk's
// commands share group commits, and a chunk bounds what is held in memory at once. An item on
// (or reallocating to) a line its chunk creates starts the next chunk, so that it is checked
// against the line as committed. The next chunk is sent once the engine answered this one.
void WorkflowService::push_chunk(const std::shared_ptr<ItemByItem>& batch) {
  BatchCall& call = *batch->call;
  const zbb::v1::PushEventsRequest& request = call.request();
  const auto& items = request.items();
  zbb::v1::PushEventsResponse* response = call.response();
  if (batch->next == items.size()) {
    response->set_succeeded(batch->succeeded);
    response->set_failed(items.size() - batch->succeeded);
    return call.finish(grpc::Status::OK);
  }
  std::vector<Command> commands;
  std::vector<int> item_of;  // commands[k] is items[item_of[k]]
  std::set<std::string> created;
  for (int& i = batch->next; i < items.size() && commands.size() < kItemsPerChunk; ++i) {
    const auto& event = items[i].event();
    if (created.contains(items[i].line_id()) ||
        (event.has_propose_adjustment() &&
         created.contains(event.propose_adjustment().target_line())))
      break;
    auto* o = response->add_outcomes();
    o->set_index(i);
    o->set_line_id(items[i].line_id());
    auto item = prepare_item(items[i].line_id(), expected_version_of(items[i]), items[i].event());
    if (!item.ok()) {
      record_failure(o, item.status(), call.log());
      continue;
    }
    if (items[i].event().has_create() && !items[i].line_id().empty())
      created.insert(items[i].line_id());
    commands.push_back(Command{fmt::format("{}/{}", request.request_id(), i),
                               batch->caller,
                               {std::move(item).value()},
                               {},
                               {},
                               while_caller_waits(*call.context())});
    item_of.push_back(i);
  }
  engine_.execute_each_async(
      std::move(commands),
      [this, batch, item_of = std::move(item_of)](std::vector<Result<CommandOutcome>> outcomes) {
        BatchCall& call = *batch->call;
        const auto& items = call.request().items();
        for (std::size_t k = 0; k < outcomes.size(); ++k) {
          const int index = item_of[k];
          auto* o = call.response()->mutable_outcomes(index);
          if (!outcomes[k].ok()) {
            record_failure(o,
                           in_request_terms(outcomes[k].status(), event_path(items[index].event())),
                           call.log());
            continue;
          }
          record_success(o, outcomes[k]->items.back(), *outcomes[k]);
          ++batch->succeeded;
        }
        push_chunk(batch);
      });
}

grpc::Status WorkflowService::RankDepartment(grpc::ServerContext* context,
                                             const zbb::v1::RankRequest* request,
                                             zbb::v1::RankResponse* response) {
  return rank("RankDepartment", context, *request, false, response);
}

grpc::Status WorkflowService::RankFiscalYear(grpc::ServerContext* context,
                                             const zbb::v1::RankRequest* request,
                                             zbb::v1::RankResponse* response) {
  return rank("RankFiscalYear", context, *request, true, response);
}

grpc::Status WorkflowService::rank(std::string_view method, grpc::ServerContext* context,
                                   const zbb::v1::RankRequest& request, bool whole_year,
                                   zbb::v1::RankResponse* response) {
  RequestLog log(method);
  log.set_request(request.request_id());
  auto caller = authenticate_caller(*context, tokens_);
  if (!caller.ok()) return log.finish(to_grpc(caller.status(), context));
  log.set_principal(caller->name);
  if (Status allowed = authorize_ranking(*caller); !allowed.ok())
    return log.finish(to_grpc(allowed, context));
  if (Status text = check_request_text(request); !text.ok())
    return log.finish(to_grpc(text, context));
  if (whole_year != request.department().empty())
    return log.finish(to_grpc(
        Status::InvalidArgument("department", whole_year ? "must be empty: the whole year is ranked"
                                                         : "names the department to rank"),
        context));

  review::RankRequest ranking{request.request_id(),  *caller,
                              request.fiscal_year(), request.department(),
                              request.envelope(),    while_caller_waits(*context)};
  ranking.dry_run = request.dry_run();
  ranking.expected_versions.insert(request.expected_versions().begin(),
                                   request.expected_versions().end());
  auto run = review::run_ranking(engine_, policies_, ranking);
  if (!run.ok()) return log.finish(to_grpc(run.status(), context));
  to_proto(*run, response);
  return log.finish(grpc::Status::OK);
}

grpc::Status WorkflowService::RunMonitoring(grpc::ServerContext* context,
                                            const zbb::v1::RunMonitoringRequest* request,
                                            zbb::v1::MonitoringReport* response) {
  RequestLog log("RunMonitoring");
  log.set_request(request->request_id());
  auto caller = authenticate_caller(*context, tokens_);
  if (!caller.ok()) return log.finish(to_grpc(caller.status(), context));
  log.set_principal(caller->name);
  if (Status allowed = authorize_monitoring(*caller); !allowed.ok())
    return log.finish(to_grpc(allowed, context));
  if (Status text = check_request_text(*request); !text.ok())
    return log.finish(to_grpc(text, context));
  auto as_of = parse_date(request->as_of());
  if (!as_of.ok()) return log.finish(to_grpc(as_of.status().within("as_of"), context));
  auto report =
      review::run_monitoring(engine_, policies_,
                             {request->request_id(), *caller, request->fiscal_year(), *as_of,
                              request->department(), while_caller_waits(*context)});
  if (!report.ok()) return log.finish(to_grpc(report.status(), context));
  *response = std::move(report).value();
  return log.finish(grpc::Status::OK);
}

}  // namespace zbb::api
