#include "engine/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <future>
#include <map>
#include <set>
#include <type_traits>

#include "engine/proto_codec.h"
#include "engine/store.h"

namespace zbb {
namespace {

constexpr std::size_t kMaxIdBytes = 128;
constexpr std::size_t kMaxItems = 10000;

bool is_id_char(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == ':' || c == '@' || c == '/';
}

}  // namespace

Status validate_id(const std::string& field, std::string_view id, std::size_t reserved) {
  if (id.empty()) return Status::InvalidArgument(field, "must not be empty");
  if (id.size() + reserved > kMaxIdBytes)
    return Status::InvalidArgument(field,
                                   fmt::format("is longer than {} bytes", kMaxIdBytes - reserved));
  if (!std::all_of(id.begin(), id.end(), is_id_char))
    return Status::InvalidArgument(
        field, "may hold only letters, digits and '-', '_', '.', ':', '@', '/'");
  return Status::Ok();
}

namespace {

Status check_id(const std::string& field, const std::string& id) { return validate_id(field, id); }

Status check_envelope(const Command& command) {
  ZBB_RETURN_IF_ERROR(check_id("request_id", command.request_id));
  ZBB_RETURN_IF_ERROR(check_id("actor", command.principal.name));
  const std::size_t count = command.items.size() + command.follow_ups.size();
  if (count == 0) return Status::InvalidArgument("items", "a command needs an event");
  if (count > kMaxItems)
    return Status::InvalidArgument("items", fmt::format("at most {} per command", kMaxItems));
  if (!command.follow_ups.empty() && !command.principal.has_role(Principal::kZbbRole))
    return Status::PermissionDenied(command.principal.name +
                                    " may not record follow-ups: zbb records them itself");
  const auto check_item = [count](std::size_t i, const std::string& line_id,
                                  std::optional<std::int64_t> expected_version, bool derive) {
    Status status = Status::Ok();
    if (expected_version && *expected_version < 0)
      status = Status::InvalidArgument("expected_version", "must not be negative");
    else if (!derive)
      status = check_id("line_id", line_id);
    return count > 1 && !status.ok() ? status.within(fmt::format("items[{}]", i)) : status;
  };
  for (std::size_t i = 0; i < command.items.size(); ++i) {
    const auto& item = command.items[i];
    const bool derive = item.line_id.empty() && std::holds_alternative<CreateLine>(item.action);
    ZBB_RETURN_IF_ERROR(check_item(i, item.line_id, item.expected_version, derive));
  }
  for (std::size_t f = 0; f < command.follow_ups.size(); ++f) {
    const auto& item = command.follow_ups[f];
    ZBB_RETURN_IF_ERROR(
        check_item(command.items.size() + f, item.line_id, item.expected_version, false));
  }
  return Status::Ok();
}

// Identifies what a request asks for, so a reused request id with other content is refused:
// each field length-prefixed, an item's event as its payload's bytes.
std::string fingerprint_of(const Command& command) {
  std::string input;
  const auto append = [&input](std::string_view field) {
    input += std::to_string(field.size());
    input += ':';
    input += field;
  };
  append(command.principal.name);
  zbb::v1::EventPayload payload;
  const auto append_item = [&](const auto& item, std::string_view type) {
    append(item.line_id);
    // An unset expected version is -1 here, which no version set can be (negative versions are
    // refused by check_envelope).
    append(std::to_string(item.expected_version.value_or(-1)));
    append(type);
    append(payload.SerializeAsString());
  };
  for (const auto& item : command.items) {
    to_proto(item.action, item.added, &payload);
    append_item(item, action_type(item.action));
  }
  for (const auto& item : command.follow_ups) {
    to_proto(item.follow_up, &payload);
    append_item(item, follow_up_type(item.follow_up));
  }
  return sha256_hex(input);
}

}  // namespace

bool Engine::reads_planned_lines(const Command& command,
                                 const std::map<std::string, StoredLine>& planned_lines) {
  if (planned_lines.empty()) return false;
  for (const CommandItem& item : command.items) {
    // The line as the workflow's complete() would get it: for a creation, only its id.
    std::shared_ptr<const BudgetLine> line;
    if (std::holds_alternative<CreateLine>(item.action)) {
      auto fresh = std::make_shared<BudgetLine>();
      fresh->set_id(item.line_id);
      line = std::move(fresh);
    } else if (const auto planned = planned_lines.find(item.line_id);
               planned != planned_lines.end()) {
      line = planned->second.line;
    } else if (auto cached = cache_.find(item.line_id)) {
      line = cached->line;
    } else if (auto stored = load(item.line_id); stored.ok()) {
      line = stored->line;
    } else {
      continue;  // no such line: the plan says so
    }
    for (const LineFilter& read : workflow_.reads(*line, item.action))
      for (const auto& [id, planned] : planned_lines)
        if (matches(read, *planned.line)) return true;
  }
  return false;
}

namespace {

// Errors of item i of a multi-item command say which item failed.
Status for_item(const Command& command, std::size_t i, const std::string& line_id, Status status) {
  if (command.items.size() + command.follow_ups.size() == 1) return status;
  if (status.code() == Code::kInvalidArgument) return status.within(fmt::format("items[{}]", i));
  return Status(status.code(), fmt::format("item {} (line {}): {}", i, line_id, status.message()));
}

}  // namespace

std::string request_key(const Command& command) {
  // '|' never appears in an id, so no two (actor, request id) pairs share a key.
  return command.principal.name + "|" + command.request_id;
}

std::string derived_line_id(const std::string& request_id, std::size_t item_index) {
  return "ln-" + sha256_hex(fmt::format("{}/{}", request_id, item_index)).substr(0, 20);
}

Engine::~Engine() {
  // The group commit answers what is queued; the workers then conclude what it did not write
  // (a new plan is answered UNAVAILABLE at once by the stopped group commit).
  commits_.stop();
  workers_.stop();
}

Result<CommandOutcome> Engine::execute(const Command& command) {
  std::promise<Result<CommandOutcome>> answered;
  auto outcome = answered.get_future();
  execute_async(command, [&answered](Result<CommandOutcome> result) {
    answered.set_value(std::move(result));
  });
  return outcome.get();
}

namespace {

// What a command hears when nothing thrown below may cross into the caller's layer.
Status thrown(const Command& command, const char* what) {
  return Status::Internal(fmt::format("request {}: {}", command.request_id, what));
}

}  // namespace

Result<CommandOutcome> Engine::preview(const Command& command) {
  try {
    ZBB_RETURN_IF_ERROR(check_envelope(command));
    auto planned = plan_command(command, fingerprint_of(command),
                                [this](const std::string& line_id) { return load(line_id); });
    if (!planned.ok()) return planned.status();
    return planned->batch->outcome;
  } catch (const std::exception& error) {
    return thrown(command, error.what());
  }
}

void Engine::reply(AsyncCommand& call, Result<CommandOutcome> outcome) {
  // Called once per command, whatever happens: a completion that throws is the caller's
  // failure, and must not have the command answered twice.
  try {
    call.done(std::move(outcome));
  } catch (...) {
  }
}

void Engine::execute_async(Command command, Completion done) {
  auto call = std::make_shared<AsyncCommand>(
      AsyncCommand{std::move(command), std::string(), std::move(done)});
  Status refused;
  try {
    refused = check_envelope(call->command);
    if (refused.ok()) call->fingerprint = fingerprint_of(call->command);
  } catch (const std::exception& error) {
    refused = thrown(call->command, error.what());
  }
  if (!refused.ok()) return reply(*call, std::move(refused));
  start(std::move(call));
}

void Engine::start(std::shared_ptr<AsyncCommand> call) {
  // Most requests are new: the request id is not looked up first. A retry is told apart where
  // it shows — its batch refused as a recorded request (finish), or its plan refused because
  // its lines moved on since it first committed — and then answered with its first outcome.
  std::shared_ptr<const Plan> plan;
  Result<CommandOutcome> refused = Status::Internal("not refused");
  try {
    auto planned = plan_on_cache(call->command, call->fingerprint, nullptr,
                                 !call->check_copies && trust_copies());
    if (planned.ok())
      plan = std::make_shared<const Plan>(std::move(planned).value());
    else
      refused = refused_or_replayed(call->command, call->fingerprint, planned.status());
  } catch (const std::exception& error) {
    refused = thrown(call->command, error.what());
  }
  if (plan == nullptr) return reply(*call, std::move(refused));
  // The group commit answers the call once what submit() took is durable; submit() throws
  // only before it took anything.
  try {
    submit(call, plan);
    return;
  } catch (const std::exception& error) {
    refused = thrown(call->command, error.what());
  }
  reply(*call, std::move(refused));
}

void Engine::submit(const std::shared_ptr<AsyncCommand>& call,
                    const std::shared_ptr<const Plan>& plan) {
  commits_.submit({plan->batch}, [this, call, plan](std::vector<BatchAnswer> answers) {
    BatchAnswer written = std::move(answers.front());
    if (written.verdict != BatchVerdict::kWritten) {
      // Telling a retry apart and planning again read the store: not on the group commit's
      // answering thread, which every other command's answer waits behind.
      auto task = [this, call, plan, written]() { conclude(call, *plan, written); };
      try {
        workers_.post(task);
      } catch (...) {
        task();  // out of memory: concluded here rather than never
      }
      return;
    }
    Result<CommandOutcome> outcome = Status::Internal("not concluded");
    try {
      bool retry_on_conflict = false;
      outcome =
          finish(call->command, call->fingerprint, *plan, std::move(written), retry_on_conflict);
    } catch (const std::exception& error) {
      outcome = thrown(call->command, error.what());
    }
    reply(*call, std::move(outcome));
  });
}

void Engine::conclude(const std::shared_ptr<AsyncCommand>& call, const Plan& plan,
                      BatchAnswer written) {
  Result<CommandOutcome> outcome = Status::Internal("not concluded");
  bool plan_again = false;
  try {
    bool retry_on_conflict = false;
    outcome = finish(call->command, call->fingerprint, plan, std::move(written), retry_on_conflict);
    // A line that changed between planning and commit is no refusal of the command: it is
    // planned again on the line as committed — each conflict means another command committed,
    // so this ends — until it commits, is refused on its merits (ABORTED for a stale expected
    // version the client sent, and only for that), or is no longer wanted.
    if (!outcome.ok() && retry_on_conflict) {
      const Command& command = call->command;
      if (!command.still_wanted || command.still_wanted()) {
        plan_again = true;
      } else {
        outcome = Status::Unavailable(fmt::format(
            "request {}: its lines kept changing under it until its caller stopped waiting; "
            "nothing was written, a retry with the same request id is safe",
            command.request_id));
      }
    }
  } catch (const std::exception& error) {
    outcome = thrown(call->command, error.what());
  } catch (...) {
    outcome = thrown(call->command, "an unknown failure");
  }
  if (!plan_again) return reply(*call, std::move(outcome));
  // The next plan reads the lines as stored: copies in memory may be what misled this one.
  call->check_copies = true;
  start(call);
}

// The outcome recorded for a request id already used: the first outcome when the command is the
// same, INVALID_ARGUMENT when the id was used for another command.
Result<CommandOutcome> Engine::replay(const Command& command, const std::string& fingerprint) {
  auto stored = store_.find_request(request_key(command));
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return Status::Internal("request vanished after a duplicate");
  // An empty fingerprint is a request recorded before commands were fingerprinted as now: its
  // outcome stands for any retry under its id.
  if (!(*stored)->fingerprint.empty() && (*stored)->fingerprint != fingerprint)
    return Status::InvalidArgument(
        "request_id",
        fmt::format("{} was already used for a different command", command.request_id));
  CommandOutcome outcome = (*stored)->outcome;
  outcome.replayed = true;
  return outcome;
}

Result<CommandOutcome> Engine::refused_or_replayed(const Command& command,
                                                   const std::string& fingerprint, Status refusal) {
  auto stored = store_.find_request(request_key(command));
  // Not knowing whether it is a retry, the refusal would be a guess: the caller may try again.
  if (!stored.ok()) return stored.status();
  if (stored->has_value()) return replay(command, fingerprint);
  return refusal;
}

std::vector<Result<CommandOutcome>> Engine::execute_each(const std::vector<Command>& commands) {
  std::promise<std::vector<Result<CommandOutcome>>> answered;
  auto outcomes = answered.get_future();
  execute_each_async(commands, [&answered](std::vector<Result<CommandOutcome>> results) {
    answered.set_value(std::move(results));
  });
  return outcomes.get();
}

void Engine::execute_each_async(std::vector<Command> commands, EachCompletion done) {
  auto run = std::make_shared<EachRun>();
  run->results.assign(commands.size(), Status::Internal("not executed"));
  run->commands = std::move(commands);
  run->done = std::move(done);
  std::vector<std::shared_ptr<const CommitBatch>> chain;
  bool planned = false;
  // Nothing thrown below may cross into the caller's layer: what committed before is answered
  // by a retry of its request id.
  try {
    plan_each(*run);
    for (const PlannedCommand& p : run->planned) chain.push_back(p.plan->batch);
    planned = true;
  } catch (const std::exception& error) {
    run->results.assign(run->commands.size(),
                        Status::Internal(fmt::format("commands: {}", error.what())));
  }
  if (!planned) return reply_each(*run);
  try {
    commits_.submit(std::move(chain), [this, run](std::vector<BatchAnswer> answers) {
      // Concluding reads the store (replays) and may run commands again: on a worker.
      auto task = [this, run, answers]() { settle_each(run, answers); };
      try {
        workers_.post(task);
      } catch (...) {
        task();  // out of memory: settled here rather than never
      }
    });
  } catch (const std::exception& error) {
    // submit() throws only before it took anything: nothing is written.
    run->results.assign(run->commands.size(),
                        Status::Internal(fmt::format("commands: {}", error.what())));
    reply_each(*run);
  }
}

void Engine::reply_each(EachRun& run) {
  // As reply(): once, and a completion that throws is the caller's failure.
  try {
    run.done(std::move(run.results));
  } catch (...) {
  }
}

void Engine::plan_each(EachRun& run) {
  const std::vector<Command>& commands = run.commands;
  // The lines as the commands planned so far leave them, for the commands after them.
  std::map<std::string, StoredLine> chained;
  std::set<std::string> planned_keys;
  run.end = commands.size();
  for (std::size_t i = 0; i < commands.size(); ++i) {
    const Command& command = commands[i];
    // A request id planned already is answered by that command's outcome once committed.
    if (planned_keys.contains(request_key(command))) {
      run.end = i;
      break;
    }
    try {
      if (Status envelope = check_envelope(command); !envelope.ok()) {
        run.results[i] = envelope;
        continue;
      }
      std::string fingerprint = fingerprint_of(command);
      auto stored = store_.find_request(request_key(command));
      if (!stored.ok() || stored->has_value()) {
        run.results[i] = stored.ok() ? replay(command, fingerprint) : stored.status();
        continue;
      }
      // A command that reads lines from the store needs it to hold what the commands planned
      // here do to them: it waits for their commit, with the commands after it.
      if (reads_planned_lines(command, chained)) {
        run.end = i;
        break;
      }
      auto plan = plan_on_cache(command, fingerprint, &chained, trust_copies());
      if (!plan.ok()) {
        run.results[i] = plan.status();
        continue;
      }
      for (const auto& line_id : plan->write_order)
        chained.insert_or_assign(line_id, plan->working.at(line_id).stored);
      planned_keys.insert(request_key(command));
      run.planned.push_back(
          {i, std::move(fingerprint), std::make_shared<const Plan>(std::move(plan).value())});
    } catch (const std::exception& error) {
      run.results[i] = thrown(command, error.what());
    }
  }
}

void Engine::settle_each(const std::shared_ptr<EachRun>& run,
                         const std::vector<BatchAnswer>& answers) {
  try {
    // Once a planned command did not commit, the plans after it may rest on lines as it would
    // have left them: every later command that did not commit runs again, alone, on the lines
    // as stored — as it would have run after the ones before it.
    bool plans_broken = false;
    std::size_t k = 0;
    for (std::size_t i = 0; i < run->end; ++i) {
      if (k < run->planned.size() && run->planned[k].index == i) {
        const PlannedCommand& p = run->planned[k];
        bool retry_on_conflict = false;
        run->results[i] =
            finish(run->commands[i], p.fingerprint, *p.plan, answers[k], retry_on_conflict);
        const bool committed = run->results[i].ok() && !run->results[i]->replayed;
        if (!committed && (plans_broken || retry_on_conflict)) run->again.push_back(i);
        if (!committed) plans_broken = true;
        ++k;
      } else if (plans_broken && !run->results[i].ok()) {
        run->again.push_back(i);
      }
    }
  } catch (const std::exception& error) {
    run->results.assign(run->commands.size(),
                        Status::Internal(fmt::format("commands: {}", error.what())));
    run->again.clear();
    run->end = run->commands.size();
  }
  try {
    run_again(run, 0);
  } catch (const std::exception& error) {
    // Only before any command ran again (each answers once on its own after that).
    run->results.assign(run->commands.size(),
                        Status::Internal(fmt::format("commands: {}", error.what())));
    reply_each(*run);
  }
}

void Engine::run_again(const std::shared_ptr<EachRun>& run, std::size_t k) {
  if (k < run->again.size()) {
    const std::size_t i = run->again[k];
    execute_async(run->commands[i], [this, run, i, k](Result<CommandOutcome> outcome) {
      run->results[i] = std::move(outcome);
      // The next one plans (reads the store): not on the group commit's answering thread.
      auto next = [this, run, k] { run_again(run, k + 1); };
      try {
        workers_.post(next);
      } catch (...) {
        next();  // out of memory: carried on here rather than never
      }
    });
    return;
  }
  if (run->end == run->commands.size()) return reply_each(*run);
  // The commands after the first one that had to wait, as a call of their own.
  std::vector<Command> rest(run->commands.begin() + static_cast<std::ptrdiff_t>(run->end),
                            run->commands.end());
  execute_each_async(std::move(rest), [run](std::vector<Result<CommandOutcome>> results) {
    std::move(results.begin(), results.end(),
              run->results.begin() + static_cast<std::ptrdiff_t>(run->end));
    reply_each(*run);
  });
}

Result<Engine::Plan> Engine::plan_command(
    const Command& command, const std::string& fingerprint,
    const std::function<Result<StoredLine>(const std::string&)>& load_line) {
  const Timestamp now = clock_.now();
  Plan plan;
  auto& working = plan.working;
  auto& write_order = plan.write_order;  // lines in the order they were first touched
  CommitBatch& batch = *plan.batch;
  batch.request_id = request_key(command);
  batch.fingerprint = fingerprint;
  batch.at = now;
  batch.reports = command.reports;
  for (Report& report : batch.reports) {
    report.id = request_key(command);
    report.at = now;
  }
  batch.pool_changes = command.pool_changes;
  // A command's own pool changes (a ranking's) are explained by the report it keeps.
  if (!batch.reports.empty())
    for (PoolChange& change : batch.pool_changes) change.report_id = batch.reports.front().id;

  // The command's items, each followed at once by the follow-ups its change requires on other
  // lines, then zbb's own follow-ups, all in the same transaction.
  struct Work {
    std::string line_id;
    std::optional<std::int64_t> expected_version;
    std::variant<Action, FollowUp> event;
    AddedByZbb added;
    std::size_t origin;  // the command item (or follow-up item, after the items) it comes from
    bool answered;       // one of the command's own: its line's outcome is part of the answer
  };
  std::vector<Work> work;
  for (std::size_t i = 0; i < command.items.size(); ++i) {
    const CommandItem& item = command.items[i];
    work.push_back({item.line_id, item.expected_version, item.action, item.added, i, true});
  }
  for (std::size_t f = 0; f < command.follow_ups.size(); ++f) {
    const FollowUpItem& item = command.follow_ups[f];
    work.push_back({item.line_id, item.expected_version, item.follow_up, AddedByZbb{},
                    command.items.size() + f, true});
  }

  for (std::size_t w = 0; w < work.size(); ++w) {
    if (work.size() > 2 * kMaxItems) return Status::Internal("follow-ups do not come to an end");
    Work item = work[w];
    const std::size_t i = item.origin;
    Action* action = nullptr;
    const FollowUp* follow_up = std::get_if<FollowUp>(&item.event);
    std::optional<Action> sent;
    if (follow_up == nullptr) action = &sent.emplace(std::get<Action>(item.event));
    const bool creating = action != nullptr && std::holds_alternative<CreateLine>(*action);
    const std::string line_id =
        creating && item.line_id.empty() ? derived_line_id(request_key(command), i) : item.line_id;
    auto fail = [&](Status status) { return for_item(command, i, line_id, std::move(status)); };

    auto found = working.find(line_id);
    if (found == working.end()) {
      auto loaded = load_line(line_id);
      if (loaded.ok()) {
        const std::int64_t version = loaded->line->version();
        auto base = loaded->line;
        found = working.emplace(line_id, WorkingLine{std::move(*loaded), version, std::move(base)})
                    .first;
      } else if (loaded.status().code() == Code::kNotFound && creating) {
        auto line = std::make_shared<BudgetLine>();
        line->set_id(line_id);
        StoredLine fresh{std::move(line), {}};
        found = working.emplace(line_id, WorkingLine{std::move(fresh), 0}).first;
      } else {
        return fail(loaded.status());
      }
      write_order.push_back(line_id);
    }
    StoredLine& current = found->second.stored;
    // Who may send what is the workflow's to say, before the line's version or state tells
    // anything of it; follow-ups are zbb's own.
    if (action != nullptr) {
      if (Status admitted = workflow_.admit(*current.line, *action, command.principal, store_);
          !admitted.ok())
        return fail(admitted);
    }
    if (creating && !current.line->state().empty())
      return fail(Status::AlreadyExists(fmt::format("line {} already exists", line_id)));
    if (item.expected_version && *item.expected_version != current.line->version())
      return fail(
          Status::Aborted(fmt::format("line {} is at version {}, not the expected {}", line_id,
                                      current.line->version(), *item.expected_version)));

    Result<LineChange> change = Status::Internal("not applied");
    if (action != nullptr) {
      if (Status completed = workflow_.complete(*current.line, *action, item.added, store_);
          !completed.ok())
        return fail(completed);
      change = workflow_.apply(*current.line, *action, item.added, command.principal, now);
    } else {
      change = workflow_.record(*current.line, *follow_up, command.principal, now);
    }
    if (!change.ok()) return fail(change.status());

    BudgetLine next = std::move(change->line);
    for (const DecidedEvent& decided : change->events) {
      RecordedEvent event;
      event.line_id = line_id;
      next.set_version(next.version() + 1);
      event.line_sequence = next.version();
      event.type = decided.type;
      event.from_state = decided.from_state;
      event.to_state = decided.to_state;
      event.payload = decided.payload;
      event.actor = command.principal.name;
      event.at = now;
      event.request_id = command.request_id;
      event.prev_hash = current.last_hash;
      event.hash = compute_event_hash(event);
      current.last_hash = event.hash;
      batch.events.push_back(std::move(event));
    }
    *next.mutable_updated_at() = to_proto(now);
    current.line = std::make_shared<const BudgetLine>(std::move(next));
    batch.pool_changes.insert(batch.pool_changes.end(), change->pool_changes.begin(),
                              change->pool_changes.end());
    std::size_t at = w + 1;
    for (auto& required : change->follow_ups)
      work.insert(work.begin() + static_cast<std::ptrdiff_t>(at++),
                  Work{std::move(required.line_id), required.expected_version,
                       std::move(required.follow_up), AddedByZbb{}, i, false});
    if (item.answered)
      batch.outcome.items.push_back({line_id, current.line->version(), current.line->state()});
  }

  for (const auto& line_id : write_order) {
    const WorkingLine& w = working.at(line_id);
    batch.lines.push_back(
        {w.stored.line, w.base_version, w.stored.last_hash, w.base, line_document(*w.stored.line)});
  }

  return plan;
}

Result<CommandOutcome> Engine::finish(const Command& command, const std::string& fingerprint,
                                      const Plan& plan, BatchAnswer answer,
                                      bool& retry_on_conflict) {
  if (answer.verdict != BatchVerdict::kWritten) {
    // Asked before the copies are forgotten: they tell this server's race from another's write.
    if (answer.verdict == BatchVerdict::kLineMoved && !moved_on_here(plan)) copies_went_stale();
    for (const auto& line_id : plan.write_order) cache_.forget(line_id);
    // Another try of this very request won the race: answer with its outcome.
    if (answer.verdict == BatchVerdict::kRequestRecorded) return replay(command, fingerprint);
    // A line changed between the plan and the commit (another command won the race, or the
    // plan's copy in memory was older than the stored line): the command is planned again on
    // the lines as stored, where a stale expected version of the client's is refused ABORTED.
    if (answer.verdict == BatchVerdict::kLineMoved) retry_on_conflict = true;
    if (answer.status.ok()) return Status::Internal("a batch not written answered OK");
    return answer.status;
  }
  for (const auto& line_id : plan.write_order) cache_.put(plan.working.at(line_id).stored);
  if (listener_ != nullptr) listener_->committed(answer.last_sequence);
  CommandOutcome outcome = plan.batch->outcome;
  outcome.last_sequence = answer.last_sequence;
  if (!outcome.items.empty()) {
    const std::string& line_id = outcome.items.back().line_id;
    outcome.last_line = plan.working.at(line_id).stored.line;
    for (const LineWrite& write : plan.batch->lines)
      if (write.line == outcome.last_line)  // shares the batch's copy, held as long as it is
        outcome.last_line_document =
            std::shared_ptr<const std::string>(plan.batch, &write.document);
  }
  return outcome;
}

bool Engine::trust_copies() {
  int left = plans_to_verify_.load(std::memory_order_relaxed);
  while (left > 0 &&
         !plans_to_verify_.compare_exchange_weak(left, left - 1, std::memory_order_relaxed)) {
  }
  return left <= 0;
}

bool Engine::moved_on_here(const Plan& plan) {
  for (const auto& [line_id, working] : plan.working) {
    if (working.base_version == 0) continue;  // created by the plan
    if (auto cached = cache_.find(line_id);
        cached && cached->line->version() > working.base_version)
      return true;
  }
  return false;
}

void Engine::copies_went_stale() {
  plans_to_verify_.store(kVerifiedPlans, std::memory_order_relaxed);
}

Result<Engine::Plan> Engine::plan_on_cache(const Command& command, const std::string& fingerprint,
                                           const std::map<std::string, StoredLine>* chained,
                                           bool trust_copies) {
  // With `trust_copies`, the lines in memory are taken as this engine last saw them, without
  // asking the store whether another server changed them since: the commit's version check is
  // the final word, and a plan refused on such a copy is made again on the lines as stored.
  bool unchecked = false;
  const auto load_line = [&](const std::string& line_id) -> Result<StoredLine> {
    if (chained != nullptr)
      if (auto found = chained->find(line_id); found != chained->end()) return found->second;
    if (trust_copies)
      if (auto cached = cache_.find(line_id)) {
        unchecked = true;
        return std::move(*cached);
      }
    return load(line_id);
  };
  auto planned = plan_command(command, fingerprint, load_line);
  if (planned.ok() || !unchecked) return planned;
  trust_copies = false;
  unchecked = false;
  return plan_command(command, fingerprint, load_line);
}

Result<StoredLine> Engine::load(const std::string& line_id) {
  // While another server writes these lines a copy in memory is seldom current: the line is
  // read at once, one round trip, where its version first would make two for a stale copy.
  const bool others_write = plans_to_verify_.load(std::memory_order_relaxed) > 0;
  if (auto cached = others_write ? std::nullopt : cache_.find(line_id)) {
    auto version = store_.line_version(line_id);
    if (!version.ok()) return version.status();
    if (*version == cached->line->version()) return std::move(*cached);
  }
  auto loaded = store_.load_line(line_id);
  if (loaded.ok()) cache_.put(*loaded);
  return loaded;
}

Result<BudgetLine> Engine::line_at(const std::string& line_id, std::int64_t version) {
  if (auto cached = cache_.find(line_id); cached && cached->line->version() == version)
    return *cached->line;
  return get_line(line_id);
}

Result<BudgetLine> Engine::get_line(const std::string& line_id) {
  auto stored = load(line_id);
  if (!stored.ok()) return stored.status();
  return *stored->line;
}

Result<std::vector<RecordedEvent>> Engine::history(const std::string& line_id) {
  return store_.line_history(line_id);
}

}  // namespace zbb
