#include "bench/load/scenarios.h"

#include <fmt/format.h>

#include <numeric>

#include "bench/load/bench_error.h"
#include "bench/load/echo_server.h"
#include "bench/load/line_requests.h"
#include "bench/load/sqlite_floor.h"

namespace zbb::bench {
namespace {

constexpr std::chrono::seconds kConnectTimeout{10};

std::vector<std::unique_ptr<WorkflowClient>> open_clients(const std::string& address, int n,
                                                          std::chrono::milliseconds deadline) {
  std::vector<std::unique_ptr<WorkflowClient>> clients;
  for (int i = 0; i < n; ++i)
    clients.push_back(
        std::make_unique<WorkflowClient>(open_channel(address, kConnectTimeout), deadline));
  return clients;
}

// Line ids of client `client` for `scenario`: "<run>-<scenario>-c<client>-l<i>".
std::vector<std::string> line_ids(const BenchSettings& settings, std::string_view scenario,
                                  int client, int count) {
  std::vector<std::string> ids;
  for (int i = 0; i < count; ++i)
    ids.push_back(fmt::format("{}-{}-c{}-l{}", settings.run_id, scenario, client, i));
  return ids;
}

// One client's unary load: PushEvent record_spending of 1 fen, each with its own request id
// and payment reference, round-robin over the client's lines.
ClientCall spending_call(WorkflowClient& client, const std::string& token,
                         std::vector<std::string> lines, std::string base) {
  struct State {
    zbb::v1::PushEventRequest request;
    zbb::v1::CommandResponse response;
    std::vector<std::string> lines;
    std::string base;
    std::int64_t n = 0;
  };
  auto state = std::make_shared<State>();
  *state->request.mutable_event() = spending_event(1, "");
  state->lines = std::move(lines);
  state->base = std::move(base);
  return [client = &client, token, state](Failures& failures) -> CallDone {
    const std::int64_t n = state->n++;
    auto& request = state->request;
    request.set_request_id(fmt::format("{}-{}", state->base, n));
    request.set_line_id(state->lines[static_cast<std::size_t>(n) % state->lines.size()]);
    request.mutable_event()->mutable_record_spending()->set_payment_ref(
        fmt::format("GK-{}-{}", state->base, n));
    state->response.Clear();
    const grpc::Status status = client->push(token, request, &state->response);
    if (!status.ok()) {
      failures.add(status, "PushEvent record_spending");
      return {};
    }
    return {true, 1};
  };
}

// One client's batch load: PushEvents of `items` record_spending items of 1 fen spread over
// the client's lines, each with its own payment reference.
ClientCall batch_call(WorkflowClient& client, const std::string& token,
                      const std::vector<std::string>& lines, std::string base, int items,
                      bool atomic) {
  struct State {
    zbb::v1::PushEventsRequest request;
    zbb::v1::PushEventsResponse response;
    std::string base;
    std::int64_t n = 0;
  };
  auto state = std::make_shared<State>();
  state->base = std::move(base);
  state->request.set_all_or_nothing(atomic);
  for (int i = 0; i < items; ++i) {
    auto* item = state->request.add_items();
    item->set_line_id(lines[static_cast<std::size_t>(i) % lines.size()]);
    *item->mutable_event() = spending_event(1, "");
  }
  return [client = &client, token, state](Failures& failures) -> CallDone {
    const std::int64_t n = state->n++;
    auto& request = state->request;
    request.set_request_id(fmt::format("{}-{}", state->base, n));
    for (int i = 0; i < request.items_size(); ++i)
      request.mutable_items(i)->mutable_event()->mutable_record_spending()->set_payment_ref(
          fmt::format("GK-{}-{}/{}", state->base, n, i));
    state->response.Clear();
    const grpc::Status status = client->push_batch(token, request, &state->response);
    if (!status.ok()) {
      for (int i = 0; i < request.items_size(); ++i) failures.add(status, "PushEvents");
      return {};
    }
    for (const auto& outcome : state->response.outcomes())
      if (outcome.code() != 0) failures.add(outcome.code(), outcome.message(), "PushEvents item");
    return {true, state->response.succeeded()};
  };
}

// Every acknowledged fen must be on the lines: zbbd answers only once the event is durable.
// A call that timed out may still have been applied, so more is possible, never less.
std::string durability_note(WorkflowClient& client, const BenchPrincipals& who,
                            const std::vector<std::string>& lines, std::int64_t acknowledged,
                            const Failures& failures) {
  std::int64_t spent = 0;
  for (const auto& id : lines) {
    zbb::v1::BudgetLine line;
    if (grpc::Status s = client.get_line(who.reader.token, id, &line); !s.ok())
      return fmt::format("durability      cannot read line {}: {}", id, s.error_message());
    spent += line.spent_amount();
  }
  const bool timeouts = failures.by_code.contains(grpc::StatusCode::DEADLINE_EXCEEDED);
  const bool holds = spent == acknowledged || (timeouts && spent > acknowledged);
  return fmt::format("durability      {} fen acknowledged, {} fen on the {} lines: {}",
                     acknowledged, spent, lines.size(), holds ? "ok" : "MISMATCH");
}

ScenarioResult result_of(std::string scenario, std::string target, int clients, std::string unit,
                         LoopOutcome& outcome) {
  ScenarioResult r;
  r.scenario = std::move(scenario);
  r.target = std::move(target);
  r.clients = clients;
  r.seconds = outcome.seconds;
  r.calls = outcome.calls;
  r.unit = std::move(unit);
  r.units = outcome.units;
  r.calls_per_second = outcome.calls_per_second;
  r.units_per_second = outcome.units_per_second;
  r.latency = percentiles_of(outcome.latencies);
  r.failures = outcome.failures;
  if (outcome.idle_clients > 0)
    r.notes.push_back(fmt::format(
        "WARNING         {} client(s) sent no call in the measured time: a call outlasted it; "
        "measure longer (--seconds) or by --requests",
        outcome.idle_clients));
  if (outcome.warmup_failures.total() > 0)
    r.notes.push_back(fmt::format("warm-up failures {}: {}", outcome.warmup_failures.summary(),
                                  outcome.warmup_failures.first));
  return r;
}

std::string zbbd_target(const BenchSettings& settings) {
  return fmt::format("zbbd at {}", settings.address);
}

// Every client's executing lines, set up through the API before the clock starts.
std::vector<std::vector<std::string>> executing_lines(const BenchSettings& settings,
                                                      ZbbdTarget& zbbd, std::string_view scenario,
                                                      int per_client) {
  std::vector<std::vector<std::string>> per;
  std::vector<std::string> all;
  for (int c = 0; c < settings.loop.clients; ++c) {
    per.push_back(line_ids(settings, scenario, c, per_client));
    all.insert(all.end(), per.back().begin(), per.back().end());
  }
  prepare_executing_lines(zbbd.setup_client(), zbbd.principals(), zbbd.driver_settings(), all,
                          zbbd.setup_ids());
  return per;
}

// Reads every line of the clients back: the fen acknowledged must all be on them.
void add_durability_note(ScenarioResult& r, ZbbdTarget& zbbd,
                         const std::vector<std::vector<std::string>>& lines,
                         const LoopOutcome& outcome) {
  std::vector<std::string> all;
  for (const auto& l : lines) all.insert(all.end(), l.begin(), l.end());
  Failures everything = outcome.failures;
  everything.merge(outcome.warmup_failures);
  r.notes.push_back(durability_note(zbbd.setup_client(), zbbd.principals(), all,
                                    outcome.acknowledged_units, everything));
}

ScenarioResult unary_load(const BenchSettings& settings, ZbbdTarget& zbbd, bool paced) {
  const std::string scenario = paced ? "paced" : "unary";
  const auto lines = executing_lines(settings, zbbd, scenario, 1);
  auto clients = open_clients(settings.address, settings.loop.clients, settings.deadline);
  std::vector<ClientCall> calls;
  for (int c = 0; c < settings.loop.clients; ++c)
    calls.push_back(spending_call(*clients[static_cast<std::size_t>(c)],
                                  zbbd.principals().integrator.token,
                                  lines[static_cast<std::size_t>(c)],
                                  fmt::format("{}-{}-c{}", settings.run_id, scenario, c)));
  LoopOutcome outcome = paced ? run_paced(settings.loop, settings.rate, calls)
                              : run_closed_loop(settings.loop, calls);
  ScenarioResult r =
      result_of(scenario, zbbd_target(settings), settings.loop.clients, "calls", outcome);
  if (paced) {
    r.figures["target_rate"] = settings.rate;
    r.figures["late_sends"] = static_cast<double>(outcome.late_sends);
  }
  add_durability_note(r, zbbd, lines, outcome);
  return r;
}

}  // namespace

ZbbdTarget::ZbbdTarget(const BenchSettings& settings)
    : principals_(load_principals(settings.tokens_path)),
      setup_client_(std::make_unique<WorkflowClient>(
          open_channel(settings.address, kConnectTimeout), std::chrono::seconds(120))),
      setup_ids_(settings.run_id + "-setup") {
  driver_.fiscal_year = settings.fiscal_year;
  driver_.atomic = settings.atomic;
  admit_bench_programme(*setup_client_, principals_, setup_ids_);
  driver_.approval_chain = discover_approval_chain(
      *setup_client_, principals_, settings.fiscal_year, settings.run_id + "-chain", setup_ids_);
}

ScenarioResult run_unary(const BenchSettings& settings, ZbbdTarget& zbbd) {
  return unary_load(settings, zbbd, false);
}

ScenarioResult run_paced(const BenchSettings& settings, ZbbdTarget& zbbd) {
  return unary_load(settings, zbbd, true);
}

ScenarioResult run_batch(const BenchSettings& settings, ZbbdTarget& zbbd) {
  const auto lines = executing_lines(settings, zbbd, "batch", settings.batch_lines);
  auto clients = open_clients(settings.address, settings.loop.clients, settings.deadline);
  std::vector<ClientCall> calls;
  for (int c = 0; c < settings.loop.clients; ++c)
    calls.push_back(batch_call(
        *clients[static_cast<std::size_t>(c)], zbbd.principals().integrator.token,
        lines[static_cast<std::size_t>(c)], fmt::format("{}-batch-c{}", settings.run_id, c),
        settings.batch_items, settings.atomic));
  LoopOutcome outcome = run_closed_loop(settings.loop, calls);
  ScenarioResult r = result_of(settings.atomic ? "batch-atomic" : "batch", zbbd_target(settings),
                               settings.loop.clients, "events", outcome);
  r.figures["batch_items"] = settings.batch_items;
  r.figures["atomic"] = settings.atomic ? 1 : 0;
  add_durability_note(r, zbbd, lines, outcome);
  return r;
}

ScenarioResult run_lifecycle(const BenchSettings& settings, ZbbdTarget& zbbd) {
  const std::string& mode = settings.lifecycle_sending;
  if (mode != "integrator" && mode != "batch" && mode != "unary")
    throw BenchError("--lifecycle-sending: integrator, batch or unary");
  // integrator: what systems send goes in batches (the import of lines, the treasury's
  // payments and indicator progress, the checkpoint); what people decide goes one line at a time.
  const Sending system = mode == "unary" ? Sending::kUnary : Sending::kBatch;
  const Sending people = mode == "batch" ? Sending::kBatch : Sending::kUnary;

  auto clients = open_clients(settings.address, settings.loop.clients, settings.deadline);
  struct ClientState {
    RequestIds ids;
    Latencies steps;
    std::int64_t round = 0;
  };
  std::vector<std::shared_ptr<ClientState>> states;
  std::vector<ClientCall> calls;
  for (int c = 0; c < settings.loop.clients; ++c) {
    auto state = std::make_shared<ClientState>(
        ClientState{RequestIds(fmt::format("{}-life-c{}", settings.run_id, c)), {}, 0});
    states.push_back(state);
    WorkflowClient* client = clients[static_cast<std::size_t>(c)].get();
    calls.push_back(
        [&settings, &zbbd, system, people, client, c, state](Failures& failures) -> CallDone {
          const std::int64_t round = state->round++;
          std::vector<std::string> lines;
          for (int i = 0; i < settings.lifecycle_lines; ++i)
            lines.push_back(fmt::format("{}-life-c{}-r{}-l{}", settings.run_id, c, round, i));
          LineDriver driver(*client, zbbd.principals(), zbbd.driver_settings(), state->ids,
                            failures, state->steps);
          auto done = driver.create(lines, system);
          done = driver.approve(std::move(done), people);
          done = driver.hold_checkpoint(std::move(done), system);
          done = driver.evaluate_and_close(std::move(done), people);
          return {done.size() == lines.size(), static_cast<std::int64_t>(done.size())};
        });
  }
  LoopOutcome outcome = run_closed_loop(settings.loop, calls);
  // The default (integrator) is "lifecycle"; the other ways of sending are named apart, so that
  // one run's report can hold them side by side.
  std::string name = mode == "integrator" ? "lifecycle" : "lifecycle-" + mode;
  if (settings.atomic && system == Sending::kBatch) name += "-atomic";
  ScenarioResult r =
      result_of(name, zbbd_target(settings), settings.loop.clients, "lines", outcome);
  Latencies steps;
  for (const auto& s : states) steps.insert(steps.end(), s->steps.begin(), s->steps.end());
  const Percentiles step = percentiles_of(steps);
  r.figures["lines_per_round"] = settings.lifecycle_lines;
  r.figures["step_p50_ms"] = step.p50_ms;
  r.figures["step_p99_ms"] = step.p99_ms;
  r.figures["atomic"] = settings.atomic ? 1 : 0;
  r.notes.push_back(fmt::format(
      "sending         {}: create, spending, indicator progress and checkpoint {}; "
      "submission, review, funding, approvals, evaluation and closing {}",
      mode, system == Sending::kBatch ? "as PushEvents across the round's lines" : "one by one",
      people == Sending::kBatch ? "as PushEvents" : "one PushEvent per line"));
  r.notes.push_back("latency         per round of lines_per_round lines; step_* per gRPC call");
  return r;
}

std::vector<ScenarioResult> run_echo(const BenchSettings& settings) {
  std::unique_ptr<EchoServer> in_process;
  if (settings.echo_address.empty()) in_process = std::make_unique<EchoServer>();
  const std::string address = in_process ? in_process->address() : settings.echo_address;
  const std::string target = fmt::format("echo server at {} (callback API, {})", address,
                                         in_process ? "in this process" : "another process");
  const std::string prefix = in_process ? "echo" : "echo-process";
  const std::string token = "echo-token-not-checked";
  std::vector<ScenarioResult> results;
  {
    auto clients = open_clients(address, settings.loop.clients, settings.deadline);
    std::vector<ClientCall> calls;
    for (int c = 0; c < settings.loop.clients; ++c)
      calls.push_back(spending_call(*clients[static_cast<std::size_t>(c)], token,
                                    line_ids(settings, "echo", c, 1),
                                    fmt::format("{}-echo-c{}", settings.run_id, c)));
    LoopOutcome outcome = run_closed_loop(settings.loop, calls);
    results.push_back(
        result_of(prefix + "-unary", target, settings.loop.clients, "calls", outcome));
  }
  {
    auto clients = open_clients(address, settings.loop.clients, settings.deadline);
    std::vector<ClientCall> calls;
    for (int c = 0; c < settings.loop.clients; ++c)
      calls.push_back(batch_call(*clients[static_cast<std::size_t>(c)], token,
                                 line_ids(settings, "echo-batch", c, settings.batch_lines),
                                 fmt::format("{}-echo-batch-c{}", settings.run_id, c),
                                 settings.batch_items, settings.atomic));
    LoopOutcome outcome = run_closed_loop(settings.loop, calls);
    results.push_back(
        result_of(prefix + "-batch", target, settings.loop.clients, "events", outcome));
    results.back().figures["batch_items"] = settings.batch_items;
  }
  return results;
}

ScenarioResult run_sqlite(const BenchSettings& settings) {
  SqliteFloorSettings floor;
  floor.path = settings.sqlite_path;
  floor.seconds = settings.loop.seconds;
  floor.rows = settings.loop.requests * settings.batch_items;
  floor.rows_per_transaction = settings.batch_items;
  floor.lines = settings.loop.clients * settings.batch_lines;
  floor.id_prefix = settings.run_id;
  SqliteFloorOutcome outcome = run_sqlite_floor(floor);
  ScenarioResult r;
  r.scenario = "sqlite";
  r.target = fmt::format("SQLite C API, {} (WAL, synchronous=FULL)", floor.path);
  r.clients = 1;
  r.seconds = outcome.seconds;
  r.calls = static_cast<std::int64_t>(outcome.commits.size());
  r.unit = "rows";
  r.units = outcome.rows;
  r.calls_per_second = outcome.seconds > 0 ? static_cast<double>(r.calls) / outcome.seconds : 0;
  r.units_per_second = outcome.seconds > 0 ? static_cast<double>(r.units) / outcome.seconds : 0;
  r.latency = percentiles_of(outcome.commits);
  r.figures["rows_per_transaction"] = floor.rows_per_transaction;
  r.figures["payload_bytes"] = static_cast<double>(outcome.payload_bytes);
  r.notes.push_back(
      "latency         per transaction of rows_per_transaction rows, BEGIN to durable COMMIT; "
      "measured time: the transactions' (rows are made before each BEGIN)");
  return r;
}

}  // namespace zbb::bench
