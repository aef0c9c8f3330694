// zbb-supervision-bench: times FindStuck (first page, one department) and Summarize (by state)
// through gRPC against a running zbbd, and shows the plans SQLite chooses for the SQL the store
// runs. Exit 0 when every median is under the target, no plan reads the whole `lines` table and
// the audit chains of the lines shown verify; 1 when one does not; 2 when it cannot run.
//
//   zbb-supervision-bench --address 127.0.0.1:PORT --token T --database var/bench/….db
//                         [--runs 50] [--department D]

#include <fmt/format.h>
#include <grpcpp/grpcpp.h>
#include <soci/soci.h>

#include <google/protobuf/util/time_util.h>
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "adapters/sql/supervision_queries.h"
#include "bench/supervision_reader.h"
#include "zbb/v1/query.grpc.pb.h"

namespace zbb::bench {
namespace {

using Steady = std::chrono::steady_clock;
using google::protobuf::util::TimeUtil;

// FindStuck's page size when the request leaves it at 0 (proto/zbb/v1/query.proto).
constexpr std::size_t kServerPageSize = 100;

struct Options {
  std::string address;
  std::string token;
  std::string database;
  int runs = 50;
  int warmup = 5;
  std::string department;
  double target_ms = 20;
  bool verify_all = false;
};

struct Figures {
  double median = 0;
  double p90 = 0;
  double min = 0;
  double max = 0;
};

Figures figures_of(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  const std::size_t n = ms.size();
  Figures f;
  f.median = n % 2 == 1 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2;
  // Nearest rank: the smallest time at least 90 % of the runs did not exceed.
  f.p90 = ms[static_cast<std::size_t>(std::ceil(0.9 * static_cast<double>(n))) - 1];
  f.min = ms.front();
  f.max = ms.back();
  return f;
}

// Runs `call` `runs` times; the milliseconds each took.
std::vector<double> time_runs(int runs, const std::function<void()>& call) {
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    const auto start = Steady::now();
    call();
    ms.push_back(std::chrono::duration<double, std::milli>(Steady::now() - start).count());
  }
  return ms;
}

class CallFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class QueryClient {
 public:
  QueryClient(const std::string& address, std::string token)
      : channel_(grpc::CreateChannel(address, grpc::InsecureChannelCredentials())),
        stub_(zbb::v1::Query::NewStub(channel_)),
        token_(std::move(token)) {}

  bool connect(std::chrono::seconds within) {
    return channel_->WaitForConnected(std::chrono::system_clock::now() + within);
  }

  zbb::v1::FindStuckResponse find_stuck(const zbb::v1::FindStuckRequest& request) {
    zbb::v1::FindStuckResponse response;
    auto context = make_context();
    check("FindStuck", stub_->FindStuck(context.get(), request, &response));
    return response;
  }

  zbb::v1::SummarizeResponse summarize(const zbb::v1::SummarizeRequest& request) {
    zbb::v1::SummarizeResponse response;
    auto context = make_context();
    check("Summarize", stub_->Summarize(context.get(), request, &response));
    return response;
  }

  // Every line when `line_id` is empty (allowed half an hour).
  zbb::v1::VerifyAuditResponse verify_audit(const std::string& line_id) {
    zbb::v1::VerifyAuditRequest request;
    request.set_line_id(line_id);
    zbb::v1::VerifyAuditResponse response;
    auto context = make_context();
    if (line_id.empty())
      context->set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(30));
    check("VerifyAudit", stub_->VerifyAudit(context.get(), request, &response));
    return response;
  }

 private:
  std::unique_ptr<grpc::ClientContext> make_context() const {
    auto context = std::make_unique<grpc::ClientContext>();
    context->AddMetadata("authorization", "Bearer " + token_);
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    return context;
  }
  static void check(const char* method, const grpc::Status& status) {
    if (!status.ok())
      throw CallFailed(fmt::format("{}: {} ({})", method, status.error_message(),
                                   static_cast<int>(status.error_code())));
  }

  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<zbb::v1::Query::Stub> stub_;
  std::string token_;
};

std::string figures_text(const Figures& f) {
  return fmt::format("median {:7.2f} ms   p90 {:7.2f} ms   min {:7.2f} ms   max {:7.2f} ms",
                     f.median, f.p90, f.min, f.max);
}

// True when the plan reads every row of `lines` (a table scan, no index).
bool scans_lines(const std::vector<PlanStep>& plan) {
  return std::any_of(plan.begin(), plan.end(), [](const PlanStep& step) {
    return step.detail.rfind("SCAN lines", 0) == 0 &&
           step.detail.find(" USING ") == std::string::npos;
  });
}

bool mentions(const std::vector<PlanStep>& plan, std::string_view text) {
  return std::any_of(plan.begin(), plan.end(), [&](const PlanStep& step) {
    return step.detail.find(text) != std::string::npos;
  });
}

// Prints the plan; false when it reads the whole `lines` table.
bool show_plan(const std::string& title, const std::string& sql,
               const std::vector<PlanStep>& plan) {
  fmt::print("\n{}\n  {}\n  QUERY PLAN\n", title, sql);
  for (const PlanStep& step : plan)
    fmt::print("  {}`--{}\n", std::string(static_cast<std::size_t>(step.depth) * 3, ' '),
               step.detail);
  const bool scan = scans_lines(plan);
  if (scan) {
    fmt::print("  => FAIL: a full scan of lines, without an index\n");
  } else if (mentions(plan, "SCAN lines USING")) {
    fmt::print("  => note: walks a whole index of lines (ordered, stops at the limit)\n");
  } else {
    fmt::print("  => index use: no full scan of lines\n");
  }
  if (mentions(plan, "TEMP B-TREE")) fmt::print("  => note: sorts in a temporary b-tree\n");
  return !scan;
}

std::string duration_days(const google::protobuf::Duration& d) {
  return fmt::format("{:.1f} days", static_cast<double>(TimeUtil::DurationToSeconds(d)) / 86400);
}

int run(const Options& options) {
  QueryClient client(options.address, options.token);
  if (!client.connect(std::chrono::seconds(10))) {
    fmt::print(stderr, "zbb-supervision-bench: cannot connect to {}\n", options.address);
    return 2;
  }
  SupervisionReader reader(options.database);

  // The server's clock decides what is stuck; its answer says when it judged.
  zbb::v1::SummarizeRequest summary_request;
  summary_request.set_group_by(zbb::v1::SUMMARY_GROUPING_STATE);
  zbb::v1::SummarizeResponse first_summary;
  const double first_summary_ms =
      time_runs(1, [&] { first_summary = client.summarize(summary_request); }).front();
  const Timestamp as_of = from_millis(TimeUtil::TimestampToMilliseconds(first_summary.as_of()));
  fmt::print("database {}: {} lines, {} rows in line_totals; server clock {}\n", options.database,
             reader.count_lines(), reader.count_line_totals(), format_timestamp(as_of));

  std::string department = options.department;
  if (department.empty()) {
    const auto [busiest, stuck] = reader.department_with_most_stuck(as_of);
    department = busiest;
    fmt::print("department: {} (the one with the most stuck lines: {})\n", department, stuck);
  }
  zbb::v1::FindStuckRequest stuck_request;
  stuck_request.set_department(department);  // page size left at the server's default

  const double first_stuck_ms = time_runs(1, [&] { client.find_stuck(stuck_request); }).front();
  for (int i = 0; i < options.warmup; ++i) {
    client.find_stuck(stuck_request);
    client.summarize(summary_request);
  }

  zbb::v1::FindStuckResponse stuck;
  const auto stuck_ms = time_runs(options.runs, [&] { stuck = client.find_stuck(stuck_request); });
  zbb::v1::SummarizeResponse summary;
  const auto summary_ms =
      time_runs(options.runs, [&] { summary = client.summarize(summary_request); });

  // The page after the first, for comparison (not part of the verdict).
  zbb::v1::FindStuckRequest next_request = stuck_request;
  next_request.set_page_token(stuck.next_page_token());
  std::vector<double> next_ms;
  if (!stuck.next_page_token().empty())
    next_ms = time_runs(options.runs, [&] { client.find_stuck(next_request); });

  // The same queries on a connection of this process: the store's share of the time.
  StuckQuery stuck_query;
  stuck_query.now = from_millis(TimeUtil::TimestampToMilliseconds(stuck.as_of()));
  stuck_query.department = department;
  stuck_query.limit = kServerPageSize + 1;  // as zbbd asks: a page and one line more
  SummaryQuery summary_query;               // by state, every line
  const auto direct_stuck_ms = time_runs(options.runs, [&] { reader.find_stuck(stuck_query); });
  const auto direct_summary_ms = time_runs(options.runs, [&] { reader.summarize(summary_query); });

  fmt::print("\nSummarize by state ({} groups):\n", summary.groups_size());
  fmt::print("  {:<36} {:>9} {:>9}  {}\n", "state", "lines", "escalated", "oldest (waiting)");
  for (const auto& group : summary.groups())
    fmt::print("  {:<36} {:>9} {:>9}  {}\n", group.key(), group.lines(), group.escalated(),
               group.has_oldest() ? fmt::format("{} ({})", group.oldest().line_id(),
                                                duration_days(group.oldest().waiting()))
                                  : "-");
  if (stuck.lines_size() > 0) {
    const auto& top = stuck.lines(0);
    fmt::print("\nFindStuck first line: {} {} waiting on {}, overdue {}\n", top.line_id(),
               top.state(), top.waiting_on(), duration_days(top.overdue()));
  }

  const Figures stuck_figures = figures_of(stuck_ms);
  const Figures summary_figures = figures_of(summary_ms);
  fmt::print("\nfirst calls to this zbbd process: Summarize {:.2f} ms, FindStuck {:.2f} ms\n",
             first_summary_ms, first_stuck_ms);
  fmt::print("{} runs each after {} warm-up calls, through gRPC (insecure loopback channel):\n",
             options.runs, options.warmup);
  fmt::print("  FindStuck first page, department {}: {} lines{}\n    {}\n", department,
             stuck.lines_size(), stuck.next_page_token().empty() ? "" : " (more pages follow)",
             figures_text(stuck_figures));
  fmt::print("  Summarize by state: {} groups\n    {}\n", summary.groups_size(),
             figures_text(summary_figures));
  if (!next_ms.empty())
    fmt::print("  (FindStuck second page, for comparison)\n    {}\n",
               figures_text(figures_of(next_ms)));
  fmt::print("the same SQL in this process (read-only connection, no gRPC):\n");
  fmt::print("  find_stuck  {}\n", figures_text(figures_of(direct_stuck_ms)));
  fmt::print("  summarize   {}\n", figures_text(figures_of(direct_summary_ms)));

  // The plans of exactly what the store runs, with the parameters it binds.
  bool plans_ok = true;
  plans_ok &= show_plan("EXPLAIN QUERY PLAN: FindStuck, first page",
                        sql::find_stuck_sql(stuck_query), reader.plan_find_stuck(stuck_query));
  if (!stuck.next_page_token().empty()) {
    StuckQuery next = stuck_query;
    const auto& last = stuck.lines(stuck.lines_size() - 1);
    next.after = StuckCursor{TimeUtil::TimestampToMilliseconds(last.due_at()), last.line_id()};
    plans_ok &= show_plan("EXPLAIN QUERY PLAN: FindStuck, next page", sql::find_stuck_sql(next),
                          reader.plan_find_stuck(next));
  }
  plans_ok &=
      show_plan("EXPLAIN QUERY PLAN: Summarize, totals by state",
                sql::summary_totals_sql(summary_query), reader.plan_summary_totals(summary_query));
  plans_ok &= show_plan("EXPLAIN QUERY PLAN: Summarize, oldest line of each group (one per group)",
                        sql::summary_oldest_sql(summary_query),
                        reader.plan_summary_oldest(summary_query, "execution.executing"));
  plans_ok &= show_plan("EXPLAIN QUERY PLAN: zbbd's escalation round (lines due)",
                        sql::lines_due_sql(), reader.plan_lines_due(as_of, 500));
  plans_ok &= show_plan("EXPLAIN QUERY PLAN: zbbd's escalation timer (next due time)",
                        sql::next_due_sql(), reader.plan_next_due());

  // The generated history must hold up as zbbd checks it: the lines shown above.
  std::vector<std::string> audited;
  if (stuck.lines_size() > 0) audited.push_back(stuck.lines(0).line_id());
  for (const auto& group : summary.groups())
    if (group.has_oldest()) audited.push_back(group.oldest().line_id());
  std::int64_t events_checked = 0;
  bool audit_ok = true;
  for (const std::string& line_id : audited) {
    const auto verified = client.verify_audit(line_id);
    events_checked += verified.events_checked();
    if (!verified.intact()) {
      audit_ok = false;
      fmt::print("\nVerifyAudit {}: BROKEN at event {}: {}\n", line_id,
                 verified.broken_line_sequence(), verified.reason());
    }
  }
  fmt::print("\nVerifyAudit of {} lines shown above ({} events): {}\n", audited.size(),
             events_checked, audit_ok ? "every chain holds" : "FAIL");
  if (options.verify_all) {
    const auto start = Steady::now();
    const auto verified = client.verify_audit("");
    const double seconds = std::chrono::duration<double>(Steady::now() - start).count();
    audit_ok &= verified.intact();
    fmt::print("VerifyAudit of every line: {} lines, {} events in {:.1f} s: {}\n",
               verified.lines_checked(), verified.events_checked(), seconds,
               verified.intact()
                   ? "every chain holds"
                   : fmt::format("BROKEN at line {} event {}: {}", verified.broken_line_id(),
                                 verified.broken_line_sequence(), verified.reason()));
  }

  const bool stuck_fast = stuck_figures.median < options.target_ms;
  const bool summary_fast = summary_figures.median < options.target_ms;
  fmt::print("\nverdict:\n");
  fmt::print("  FindStuck median {:.2f} ms: {} {} ms\n", stuck_figures.median,
             stuck_fast ? "UNDER" : "OVER", options.target_ms);
  fmt::print("  Summarize median {:.2f} ms: {} {} ms\n", summary_figures.median,
             summary_fast ? "UNDER" : "OVER", options.target_ms);
  fmt::print("  query plans: {}\n", plans_ok
                                        ? "every one uses an index on lines (no full scan of lines)"
                                        : "FAIL: a full scan of lines");
  return stuck_fast && summary_fast && plans_ok && audit_ok ? 0 : 1;
}

}  // namespace
}  // namespace zbb::bench

int main(int argc, char** argv) {
  zbb::bench::Options options;
  CLI::App app{
      "zbb-supervision-bench: FindStuck and Summarize timed through gRPC, with the "
      "query plans SQLite chooses for them."};
  app.add_option("--address", options.address, "zbbd's address, HOST:PORT")->required();
  app.add_option("--token", options.token, "bearer token of a supervisor")->required();
  app.add_option("--database", options.database,
                 "zbbd's SQLite file, opened read-only for the query plans")
      ->required();
  app.add_option("--runs", options.runs, "timed calls of each query")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--warmup", options.warmup, "untimed calls of each query first")
      ->check(CLI::Range(0, 100000))
      ->capture_default_str();
  app.add_option("--department", options.department,
                 "FindStuck's department (default: the one with the most stuck lines)");
  app.add_option("--target-ms", options.target_ms, "the median each query must stay under")
      ->capture_default_str();
  app.add_flag("--verify-all", options.verify_all,
               "also verify the audit chain of every line through VerifyAudit (slow)");
  CLI11_PARSE(app, argc, argv);
  try {
    return zbb::bench::run(options);
  } catch (const zbb::bench::CallFailed& error) {
    fmt::print(stderr, "zbb-supervision-bench: {}\n", error.what());
    return 2;
  } catch (const soci::soci_error& error) {
    fmt::print(stderr, "zbb-supervision-bench: database {}: {}\n", options.database, error.what());
    return 2;
  }
}
