#include "bench/load/startup_probe.h"

#include <fmt/format.h>

#include <thread>

#include "bench/load/bench_error.h"
#include "bench/load/bench_principals.h"
#include "bench/load/workflow_client.h"

namespace zbb::bench {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t unix_ns_now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double ms_since(Clock::time_point from) {
  return std::chrono::duration<double, std::milli>(Clock::now() - from).count();
}

// One attempt on a channel of its own: a refused connection fails at once instead of waiting
// out gRPC's reconnection back-off, so the first answer is seen within milliseconds.
grpc::Status try_list(const ProbeSettings& settings, const std::string& token,
                      zbb::v1::ListLinesResponse* response) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  auto channel =
      grpc::CreateCustomChannel(settings.address, grpc::InsecureChannelCredentials(), args);
  auto stub = zbb::v1::Query::NewStub(channel);
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + token);
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  zbb::v1::ListLinesRequest request;
  request.set_page_size(20);
  return stub->ListLines(&context, request, response);
}

}  // namespace

ScenarioResult probe_startup(const ProbeSettings& settings) {
  const BenchPrincipals who = load_principals(settings.tokens_path);
  const std::string& token = who.reader.token;
  ScenarioResult r;
  r.scenario = "startup-1m";
  r.target = fmt::format("zbbd at {}", settings.address);
  r.clients = 1;  // no unit: a probe of latencies, not a throughput

  zbb::v1::ListLinesResponse first;
  const auto give_up = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                          std::chrono::duration<double>(settings.timeout_seconds));
  int attempts = 0;
  for (;;) {
    ++attempts;
    const grpc::Status status = try_list(settings, token, &first);
    if (status.ok()) break;
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE)
      throw BenchError(fmt::format("ListLines: {}", status.error_message()));
    if (Clock::now() > give_up)
      throw BenchError(fmt::format("zbbd at {} did not answer within {} s", settings.address,
                                   settings.timeout_seconds));
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  r.figures["first_answer_ms"] =
      static_cast<double>(unix_ns_now() - settings.started_unix_ns) / 1e6;
  r.figures["attempts"] = attempts;
  if (first.lines_size() == 0) throw BenchError("ListLines answered with no line");

  WorkflowClient client(open_channel(settings.address, std::chrono::seconds(10)),
                        std::chrono::seconds(60));
  zbb::v1::BudgetLine line;
  auto started = Clock::now();
  if (grpc::Status s = client.get_line(token, first.lines(0).id(), &line); !s.ok())
    throw BenchError(fmt::format("GetLine {}: {}", first.lines(0).id(), s.error_message()));
  r.figures["first_getline_ms"] = ms_since(started);

  Latencies gets;
  for (int i = 0; i < settings.queries; ++i) {
    const auto& id = first.lines(i % first.lines_size()).id();
    started = Clock::now();
    if (grpc::Status s = client.get_line(token, id, &line); !s.ok())
      r.failures.add(s, "GetLine");
    else
      gets.push_back(nanoseconds_between(started, Clock::now()));
  }
  r.latency = percentiles_of(gets);
  r.calls = static_cast<std::int64_t>(gets.size());
  r.figures["getline_p50_ms"] = r.latency.p50_ms;

  {
    zbb::v1::FindStuckRequest request;
    request.set_page_size(100);
    zbb::v1::FindStuckResponse response;
    auto context = client.context(token);
    started = Clock::now();
    if (grpc::Status s = client.query().FindStuck(context.get(), request, &response); !s.ok())
      r.failures.add(s, "FindStuck");
    r.figures["findstuck_ms"] = ms_since(started);
    r.figures["findstuck_lines"] = response.lines_size();
  }
  for (auto [grouping, name] :
       {std::pair{zbb::v1::SUMMARY_GROUPING_STATE, "summarize_state_ms"},
        {zbb::v1::SUMMARY_GROUPING_DEPARTMENT, "summarize_department_ms"}}) {
    zbb::v1::SummarizeRequest request;
    request.set_group_by(grouping);
    zbb::v1::SummarizeResponse response;
    auto context = client.context(token);
    started = Clock::now();
    if (grpc::Status s = client.query().Summarize(context.get(), request, &response); !s.ok())
      r.failures.add(s, "Summarize");
    r.figures[name] = ms_since(started);
  }
  {
    zbb::v1::ListLinesRequest request;
    request.set_page_size(100);
    request.set_page_token(first.next_page_token());
    zbb::v1::ListLinesResponse response;
    auto context = client.context(token);
    started = Clock::now();
    if (grpc::Status s = client.query().ListLines(context.get(), request, &response); !s.ok())
      r.failures.add(s, "ListLines");
    r.figures["list_page_ms"] = ms_since(started);
  }
  return r;
}

}  // namespace zbb::bench
