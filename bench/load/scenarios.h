#pragma once

// The scenarios of zbb-bench. Each returns its figures; none prints.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bench/load/bench_principals.h"
#include "bench/load/line_driver.h"
#include "bench/load/load_loop.h"
#include "bench/load/scenario_result.h"
#include "bench/load/workflow_client.h"

namespace zbb::bench {

struct BenchSettings {
  std::string address;      // zbbd
  std::string tokens_path;  // zbbd's token file, with plaintext tokens
  LoopSettings loop;
  std::chrono::milliseconds deadline{10000};
  double rate = 1000;  // paced: calls per second across all clients
  int batch_items = kBatchItems;
  int batch_lines = 100;     // batch: executing lines per client the items spread over
  bool atomic = false;       // batch and lifecycle: PushEvents all_or_nothing
  int lifecycle_lines = 20;  // lifecycle: lines per client per round
  std::string lifecycle_sending = "integrator";  // integrator | batch | unary
  int fiscal_year = 2027;
  std::string run_id;       // names every line and request of this invocation
  std::string sqlite_path;  // the sqlite floor's file
  // echo: an echo server already running (zbb-bench serve-echo) instead of one in this process
  std::string echo_address;
};

// zbbd as the scenarios see it: the principals of the token file and the approval chain,
// found once through a line of its own.
class ZbbdTarget {
 public:
  explicit ZbbdTarget(const BenchSettings& settings);

  const BenchPrincipals& principals() const { return principals_; }
  const DriverSettings& driver_settings() const { return driver_; }
  WorkflowClient& setup_client() { return *setup_client_; }
  RequestIds& setup_ids() { return setup_ids_; }

 private:
  BenchPrincipals principals_;
  std::unique_ptr<WorkflowClient> setup_client_;
  RequestIds setup_ids_;
  DriverSettings driver_;
};

// N clients, each with its own executing line, PushEvent record_spending of 1 fen in a closed
// loop; afterwards every acknowledged fen must be on the lines.
ScenarioResult run_unary(const BenchSettings& settings, ZbbdTarget& zbbd);
// The same call at a fixed rate (open loop), latency from the scheduled send time.
ScenarioResult run_paced(const BenchSettings& settings, ZbbdTarget& zbbd);
// PushEvents of `batch_items` record_spending items over each client's own executing lines.
ScenarioResult run_batch(const BenchSettings& settings, ZbbdTarget& zbbd);
// Fresh lines from creation to closed, every step with its principal.
ScenarioResult run_lifecycle(const BenchSettings& settings, ZbbdTarget& zbbd);
// The unary and batch loads against the echo server, in this process unless
// settings.echo_address names one: "echo-unary" and "echo-batch", or "echo-process-unary" and
// "echo-process-batch".
std::vector<ScenarioResult> run_echo(const BenchSettings& settings);
// Raw batched inserts of the same event rows into SQLite.
ScenarioResult run_sqlite(const BenchSettings& settings);

}  // namespace zbb::bench
