#pragma once

// Takes groups of bench lines through their lifecycle with the right principal for each step:
// a step goes either as PushEvents across the group (how an integrator's import sends it) or
// as one PushEvent per line (how a person at a desk sends it).

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "bench/load/bench_principals.h"
#include "bench/load/call_tally.h"
#include "bench/load/workflow_client.h"

namespace zbb::bench {

enum class Sending { kBatch, kUnary };

// Request ids of one client: "<base>-<n>", never reused within an invocation; the base names
// the invocation, so runs against the same database never collide.
class RequestIds {
 public:
  explicit RequestIds(std::string base) : base_(std::move(base)) {}
  std::string next();

 private:
  std::string base_;
  std::int64_t next_ = 0;
};

// Items per PushEvents call, as zbbctl's imports send them.
inline constexpr int kBatchItems = 1000;

struct DriverSettings {
  int fiscal_year = 2027;
  bool atomic = false;  // PushEvents all_or_nothing
  // The approval chain's levels in order (discover_approval_chain).
  std::vector<std::string> approval_chain;
};

class LineDriver {
 public:
  // Failures are counted in `failures`, latencies of successful calls appended to `latencies`.
  LineDriver(WorkflowClient& client, const BenchPrincipals& who, const DriverSettings& settings,
             RequestIds& ids, Failures& failures, Latencies& latencies);

  // Each returns the lines that went through the step(s); the others dropped out with their
  // failure counted.
  std::vector<std::string> create(const std::vector<std::string>& lines, Sending how);
  // Submission, target review, funding at the requested amount and every approval level.
  std::vector<std::string> approve(std::vector<std::string> lines, Sending how);
  // Half the money spent, outputs as far along as the money, a green Q2 checkpoint.
  std::vector<std::string> hold_checkpoint(std::vector<std::string> lines, Sending how);
  // Self-evaluation begun and submitted by the unit, the line closed by the reviewer.
  std::vector<std::string> evaluate_and_close(std::vector<std::string> lines, Sending how);

  // One event on every line, sent as `who`.
  std::vector<std::string> step(const BenchPrincipal& who, const std::vector<std::string>& lines,
                                Sending how,
                                const std::function<zbb::v1::LineEvent(const std::string&)>& event,
                                std::string_view what);

 private:
  std::vector<std::string> step_batched(
      const BenchPrincipal& who, const std::vector<std::string>& lines,
      const std::function<zbb::v1::LineEvent(const std::string&)>& event, std::string_view what);
  std::vector<std::string> step_unary(
      const BenchPrincipal& who, const std::vector<std::string>& lines,
      const std::function<zbb::v1::LineEvent(const std::string&)>& event, std::string_view what);

  WorkflowClient& client_;
  const BenchPrincipals& who_;
  const DriverSettings& settings_;
  zbb::v1::LineContent content_;
  RequestIds& ids_;
  Failures& failures_;
  Latencies& latencies_;
};

// Creates one line and takes it through approval one call at a time, reading after each
// decision which level the line waits on next: the policy's approval chain, in order. Checks on
// the way that the token file's principals may take every step. Throws BenchError otherwise.
// Proposes (as the unit) and admits (as the reviewer) the bench lines' programme, kBenchProgramme,
// in a database that has not got it; throws BenchError when refused.
void admit_bench_programme(WorkflowClient& client, const BenchPrincipals& who, RequestIds& ids);

std::vector<std::string> discover_approval_chain(WorkflowClient& client, const BenchPrincipals& who,
                                                 int fiscal_year, const std::string& line_id,
                                                 RequestIds& ids);

// Creates `lines` and takes them to execution.executing, one all-or-nothing PushEvents per step
// (set-up, not measured). Throws BenchError if any step is refused.
void prepare_executing_lines(WorkflowClient& client, const BenchPrincipals& who,
                             const DriverSettings& settings, const std::vector<std::string>& lines,
                             RequestIds& ids);

}  // namespace zbb::bench
