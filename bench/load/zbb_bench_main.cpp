// zbb-bench: a load generator for zbbd over gRPC, with the floors it is judged against.
//
//   zbb-bench run SCENARIO... --address HOST:PORT --tokens FILE [--clients 16] [--seconds 10 |
//             --requests R] [--rate 1000] [--atomic] [--json]
//   zbb-bench report RUN.jsonl...
//   zbb-bench probe --address HOST:PORT --tokens FILE --started-ns NS
//   zbb-bench serve-echo
//
// Scenarios: unary, paced, batch, lifecycle (against zbbd), echo (an in-process gRPC echo
// server: echo-unary and echo-batch), sqlite (raw batched inserts). See bench/load/README.md.

#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>

#include <fmt/format.h>

#include "bench/load/bench_error.h"
#include "bench/load/echo_server.h"
#include "bench/load/run_report.h"
#include "bench/load/scenarios.h"
#include "bench/load/startup_probe.h"

namespace zbb::bench {
namespace {

const std::vector<std::string> kScenarios = {"unary",     "paced", "batch",
                                             "lifecycle", "echo",  "sqlite"};

bool needs_zbbd(const std::string& scenario) { return scenario != "echo" && scenario != "sqlite"; }

std::string default_run_id() {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  return fmt::format("zb{}-{}", ms, ::getpid());
}

void emit(const ScenarioResult& result, bool json, std::vector<ScenarioResult>& results) {
  std::cout << describe(result) << std::flush;
  if (json) std::cout << json_line(result) << "\n" << std::flush;
  results.push_back(result);
}

int run(const std::vector<std::string>& scenarios, BenchSettings settings, bool json) {
  if (settings.run_id.empty()) settings.run_id = default_run_id();
  std::unique_ptr<ZbbdTarget> zbbd;
  for (const auto& s : scenarios)
    if (needs_zbbd(s) && !zbbd) {
      if (settings.address.empty() || settings.tokens_path.empty())
        throw BenchError(fmt::format("scenario {} needs --address and --tokens", s));
      zbbd = std::make_unique<ZbbdTarget>(settings);
    }
  std::vector<ScenarioResult> results;
  for (const auto& s : scenarios) {
    if (s == "unary") emit(run_unary(settings, *zbbd), json, results);
    if (s == "paced") emit(run_paced(settings, *zbbd), json, results);
    if (s == "batch") emit(run_batch(settings, *zbbd), json, results);
    if (s == "lifecycle") emit(run_lifecycle(settings, *zbbd), json, results);
    if (s == "echo")
      for (const auto& r : run_echo(settings)) emit(r, json, results);
    if (s == "sqlite") emit(run_sqlite(settings), json, results);
  }
  const auto ratios = ratio_lines(results);
  if (!ratios.empty()) {
    std::cout << "== ratios to the floors of this run\n";
    for (const auto& line : ratios) std::cout << line << "\n";
  }
  return 0;
}

// Serves the echo floor until SIGINT or SIGTERM, for `run echo --echo-address` from another
// process.
int serve_echo() {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);  // before gRPC starts its threads
  EchoServer echo;
  std::cout << "echo listening on " << echo.address() << std::endl;
  int signal_number = 0;
  sigwait(&stop, &signal_number);
  return 0;
}

}  // namespace
}  // namespace zbb::bench

int main(int argc, char** argv) {
  using namespace zbb::bench;
  CLI::App app{"zbb-bench: load on zbbd over gRPC, and the floors it is measured against."};
  app.require_subcommand(1);

  BenchSettings settings;
  std::vector<std::string> scenarios;
  bool json = false;
  double seconds = 10;
  auto* run_command = app.add_subcommand("run", "run scenarios, one after another");
  run_command->add_option("scenario", scenarios, "unary, paced, batch, lifecycle, echo, sqlite")
      ->required()
      ->check(CLI::IsMember(kScenarios));
  run_command->add_option("--address", settings.address, "zbbd's address, HOST:PORT");
  run_command->add_option("--tokens", settings.tokens_path,
                          "zbbd's token file with plaintext tokens: a unit, a reviewer, an "
                          "integrator, an approver per level (and a supervisor to read)");
  run_command->add_option("--clients", settings.loop.clients, "concurrent clients")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  auto* seconds_option = run_command->add_option("--seconds", seconds, "measured time per scenario")
                             ->check(CLI::PositiveNumber)
                             ->capture_default_str();
  run_command
      ->add_option("--requests", settings.loop.requests,
                   "measured calls per scenario instead of a time (lifecycle: rounds)")
      ->check(CLI::PositiveNumber)
      ->excludes(seconds_option);
  run_command->add_option("--warmup", settings.loop.warmup_seconds, "unmeasured seconds first")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  run_command->add_option("--rate", settings.rate, "paced: calls per second, all clients")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  run_command->add_option("--batch-items", settings.batch_items, "batch: items per PushEvents")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  run_command
      ->add_option("--batch-lines", settings.batch_lines,
                   "batch: executing lines per client the items spread over")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  run_command->add_flag("--atomic", settings.atomic,
                        "batch and lifecycle: all-or-nothing PushEvents (default: item by item)");
  run_command
      ->add_option("--lifecycle-lines", settings.lifecycle_lines,
                   "lifecycle: fresh lines per client per round")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  run_command
      ->add_option("--lifecycle-sending", settings.lifecycle_sending,
                   "integrator: systems' steps batched, people's one by one; batch; unary")
      ->check(CLI::IsMember({"integrator", "batch", "unary"}))
      ->capture_default_str();
  int deadline_ms = 10000;
  run_command->add_option("--deadline-ms", deadline_ms, "per-call deadline")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  run_command
      ->add_option(
          "--fiscal-year", settings.fiscal_year,
          "fiscal year of the bench lines; zbbd's clock must be within 15 to 31 January of "
          "the year after it")
      ->capture_default_str();
  run_command->add_option("--run-id", settings.run_id,
                          "names every line and request (default: zb<unix ms>-<pid>)");
  settings.sqlite_path = "zbb-bench-floor.db";
  run_command->add_option("--sqlite-file", settings.sqlite_path, "sqlite: the floor's file")
      ->capture_default_str();
  run_command->add_option("--echo-address", settings.echo_address,
                          "echo: drive this echo server (zbb-bench serve-echo) instead of one in "
                          "this process");
  run_command->add_flag("--json", json, "also one JSON line per scenario");

  std::vector<std::string> run_files;
  auto* report_command =
      app.add_subcommand("report", "medians and ratios over runs (files of JSON lines)");
  report_command->add_option("runs", run_files, "one file per run")->required();

  ProbeSettings probe;
  bool probe_json = false;
  auto* probe_command =
      app.add_subcommand("probe", "time a freshly started zbbd's first answers (reads only)");
  probe_command->add_option("--address", probe.address, "zbbd's address")->required();
  probe_command->add_option("--tokens", probe.tokens_path, "token file")->required();
  probe_command
      ->add_option("--started-ns", probe.started_unix_ns,
                   "when zbbd was started, Unix nanoseconds (date +%s%N)")
      ->required();
  probe_command->add_option("--timeout", probe.timeout_seconds, "seconds to wait for an answer")
      ->capture_default_str();
  probe_command->add_flag("--json", probe_json, "also one JSON line");

  auto* serve_echo_command = app.add_subcommand(
      "serve-echo", "serve the echo floor on a loopback port until SIGINT or SIGTERM");

  CLI11_PARSE(app, argc, argv);
  settings.loop.seconds = seconds;
  settings.deadline = std::chrono::milliseconds(deadline_ms);
  try {
    if (*report_command) return print_report(run_files);
    if (*serve_echo_command) return serve_echo();
    if (*probe_command) {
      const ScenarioResult r = probe_startup(probe);
      std::cout << describe(r);
      if (probe_json) std::cout << json_line(r) << "\n";
      return 0;
    }
    return run(scenarios, settings, json);
  } catch (const BenchError& error) {
    std::cerr << "zbb-bench: " << error.what() << "\n";
    return 2;
  }
}
