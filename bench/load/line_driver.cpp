#include "bench/load/line_driver.h"

#include <fmt/format.h>

#include <algorithm>

#include "bench/load/bench_error.h"
#include "bench/load/line_requests.h"

namespace zbb::bench {
namespace {

constexpr std::string_view kApproverPrefix = "approver:";
constexpr std::string_view kAwaitingDecision = "approval.awaiting_decision";

const BenchPrincipal& approver_for(const BenchPrincipals& who, const std::string& level) {
  auto found = who.approvers.find(level);
  if (found == who.approvers.end())
    throw BenchError(fmt::format("the token file has no principal with role approver:{}", level));
  return found->second;
}

}  // namespace

std::string RequestIds::next() { return fmt::format("{}-{}", base_, next_++); }

LineDriver::LineDriver(WorkflowClient& client, const BenchPrincipals& who,
                       const DriverSettings& settings, RequestIds& ids, Failures& failures,
                       Latencies& latencies)
    : client_(client),
      who_(who),
      settings_(settings),
      content_(bench_line_content(who.department, kBenchProgramme, settings.fiscal_year)),
      ids_(ids),
      failures_(failures),
      latencies_(latencies) {}

std::vector<std::string> LineDriver::step(
    const BenchPrincipal& who, const std::vector<std::string>& lines, Sending how,
    const std::function<zbb::v1::LineEvent(const std::string&)>& event, std::string_view what) {
  if (lines.empty()) return {};
  return how == Sending::kBatch ? step_batched(who, lines, event, what)
                                : step_unary(who, lines, event, what);
}

std::vector<std::string> LineDriver::step_batched(
    const BenchPrincipal& who, const std::vector<std::string>& lines,
    const std::function<zbb::v1::LineEvent(const std::string&)>& event, std::string_view what) {
  std::vector<std::string> passed;
  for (std::size_t from = 0; from < lines.size(); from += kBatchItems) {
    const std::size_t to = std::min(lines.size(), from + kBatchItems);
    zbb::v1::PushEventsRequest request;
    request.set_request_id(ids_.next());
    request.set_all_or_nothing(settings_.atomic);
    for (std::size_t i = from; i < to; ++i) {
      auto* item = request.add_items();
      item->set_line_id(lines[i]);
      *item->mutable_event() = event(lines[i]);
    }
    zbb::v1::PushEventsResponse response;
    const auto started = std::chrono::steady_clock::now();
    const grpc::Status status = client_.push_batch(who.token, request, &response);
    if (!status.ok()) {
      for (std::size_t i = from; i < to; ++i) failures_.add(status, what);
      continue;
    }
    latencies_.push_back(nanoseconds_between(started, std::chrono::steady_clock::now()));
    for (const auto& outcome : response.outcomes()) {
      const auto index = from + static_cast<std::size_t>(outcome.index());
      if (outcome.code() == 0 && index < to)
        passed.push_back(lines[index]);
      else
        failures_.add(outcome.code(), outcome.message(), what);
    }
  }
  return passed;
}

std::vector<std::string> LineDriver::step_unary(
    const BenchPrincipal& who, const std::vector<std::string>& lines,
    const std::function<zbb::v1::LineEvent(const std::string&)>& event, std::string_view what) {
  std::vector<std::string> passed;
  for (const auto& line : lines) {
    zbb::v1::CommandResponse response;
    const auto started = std::chrono::steady_clock::now();
    grpc::Status status;
    zbb::v1::LineEvent e = event(line);
    if (e.has_create()) {
      zbb::v1::CreateLineRequest request;
      request.set_request_id(ids_.next());
      request.set_line_id(line);
      *request.mutable_content() = std::move(*e.mutable_create()->mutable_content());
      status = client_.create(who.token, request, &response);
    } else {
      zbb::v1::PushEventRequest request;
      request.set_request_id(ids_.next());
      request.set_line_id(line);
      *request.mutable_event() = std::move(e);
      status = client_.push(who.token, request, &response);
    }
    if (!status.ok()) {
      failures_.add(status, what);
      continue;
    }
    latencies_.push_back(nanoseconds_between(started, std::chrono::steady_clock::now()));
    passed.push_back(line);
  }
  return passed;
}

std::vector<std::string> LineDriver::create(const std::vector<std::string>& lines, Sending how) {
  const auto event = create_event(content_);
  return step(
      who_.unit, lines, how, [&](const std::string&) { return event; }, "create");
}

std::vector<std::string> LineDriver::approve(std::vector<std::string> lines, Sending how) {
  const std::int64_t amount = content_.requested_amount();
  lines = step(
      who_.unit, lines, how, [](const std::string&) { return submit_event(); }, "submit");
  lines = step(
      who_.reviewer, lines, how, [](const std::string&) { return start_target_review_event(); },
      "start_target_review");
  lines = step(
      who_.reviewer, lines, how, [](const std::string&) { return approving_assessment_event(); },
      "record_assessment");
  lines = step(
      who_.reviewer, lines, how, [](const std::string&) { return accept_targets_event(); },
      "review_targets");
  lines = step(
      who_.reviewer, lines, how, [&](const std::string&) { return fund_event(amount); }, "fund");
  for (const auto& level : settings_.approval_chain)
    lines = step(
        approver_for(who_, level), lines, how,
        [&](const std::string&) { return approve_event(level, amount); }, "decide");
  return lines;
}

std::vector<std::string> LineDriver::hold_checkpoint(std::vector<std::string> lines, Sending how) {
  const std::int64_t half = content_.requested_amount() / 2;
  lines = step(
      who_.integrator, lines, how,
      [&](const std::string& line) { return spending_event(half, "GK-Q2-" + line); },
      "record_spending");
  for (const auto& indicator : content_.indicators()) {
    if (indicator.qualitative() || indicator.level1() != zbb::v1::INDICATOR_LEVEL1_OUTPUT) continue;
    lines = step(
        who_.integrator, lines, how,
        [&](const std::string&) {
          return indicator_progress_event(indicator.name(), indicator.target() / 2);
        },
        "record_indicator_progress");
  }
  const std::string as_of = checkpoint_date(settings_.fiscal_year);
  return step(
      who_.integrator, lines, how, [&](const std::string&) { return checkpoint_event(as_of); },
      "run_checkpoint");
}

std::vector<std::string> LineDriver::evaluate_and_close(std::vector<std::string> lines,
                                                        Sending how) {
  lines = step(
      who_.unit, lines, how, [](const std::string&) { return begin_evaluation_event(); },
      "begin_evaluation");
  const auto evaluation = self_evaluation_event(content_);
  lines = step(
      who_.unit, lines, how, [&](const std::string&) { return evaluation; },
      "submit_self_evaluation");
  return step(
      who_.reviewer, lines, how, [](const std::string&) { return close_event(); }, "close");
}

void admit_bench_programme(WorkflowClient& client, const BenchPrincipals& who, RequestIds& ids) {
  const auto send = [&](const BenchPrincipal& principal, zbb::v1::ProgrammeEvent event) {
    zbb::v1::ProgrammeRequest request;
    request.set_request_id(ids.next());
    request.set_code(kBenchProgramme);
    *request.mutable_event() = std::move(event);
    zbb::v1::ProgrammeResponse response;
    if (grpc::Status s = client.act_on_programme(principal.token, request, &response); !s.ok())
      throw BenchError(fmt::format("set-up refused: programme {} as {}: {}", kBenchProgramme,
                                   principal.name, s.error_message()));
  };
  // A database set up before (a zbbd restarted on it) has it already.
  zbb::v1::GetProgrammeRequest get;
  get.set_code(kBenchProgramme);
  zbb::v1::GetProgrammeResponse found;
  auto ctx = client.context(who.reader.token);
  const bool stored = client.query().GetProgramme(ctx.get(), get, &found).ok();
  const auto status = found.programme().status();
  if (stored && status == zbb::v1::PROGRAMME_STATUS_ADMITTED) return;
  if (stored && status == zbb::v1::PROGRAMME_STATUS_RETIRED)
    throw BenchError(fmt::format("programme {} is retired in this database", kBenchProgramme));
  zbb::v1::ProgrammeEvent admit;
  admit.mutable_admit();
  if (stored) return send(who.reviewer, std::move(admit));  // a set-up cut short: a candidate
  zbb::v1::ProgrammeEvent propose;
  propose.mutable_propose()->set_department(who.department);
  propose.mutable_propose()->set_title("农村公路日常养护（负载测试）");
  propose.mutable_propose()->set_category(zbb::v1::CATEGORY_PROJECT);
  send(who.unit, std::move(propose));
  send(who.reviewer, std::move(admit));
}

std::vector<std::string> discover_approval_chain(WorkflowClient& client, const BenchPrincipals& who,
                                                 int fiscal_year, const std::string& line_id,
                                                 RequestIds& ids) {
  Failures failures;
  Latencies ignored;
  DriverSettings settings{fiscal_year, true, {}};
  LineDriver driver(client, who, settings, ids, failures, ignored);
  // With an empty chain, approve() stops once the line is funded and waits on the first level.
  if (driver.approve(driver.create({line_id}, Sending::kUnary), Sending::kUnary).empty())
    throw BenchError("set-up refused: " + failures.first);

  std::vector<std::string> chain;
  zbb::v1::BudgetLine line;
  for (;;) {
    if (grpc::Status s = client.get_line(who.reader.token, line_id, &line); !s.ok())
      throw BenchError(
          fmt::format("GetLine {} as {}: {}", line_id, who.reader.name, s.error_message()));
    if (line.state() != kAwaitingDecision) break;
    if (!line.waiting_on().starts_with(kApproverPrefix) || chain.size() > 32)
      throw BenchError(
          fmt::format("line {} waits on {} in {}", line_id, line.waiting_on(), line.state()));
    const std::string level = line.waiting_on().substr(kApproverPrefix.size());
    chain.push_back(level);
    const auto& approver = approver_for(who, level);
    if (driver
            .step(
                approver, {line_id}, Sending::kUnary,
                [&](const std::string&) { return approve_event(level, line.granted_amount()); },
                "decide")
            .empty())
      throw BenchError("set-up refused: " + failures.first);
  }
  if (line.state() != "execution.executing")
    throw BenchError(fmt::format("line {} ended approval in {}", line_id, line.state()));
  return chain;
}

void prepare_executing_lines(WorkflowClient& client, const BenchPrincipals& who,
                             const DriverSettings& settings, const std::vector<std::string>& lines,
                             RequestIds& ids) {
  Failures failures;
  Latencies ignored;
  DriverSettings atomic = settings;
  atomic.atomic = true;
  LineDriver driver(client, who, atomic, ids, failures, ignored);
  const auto done = driver.approve(driver.create(lines, Sending::kBatch), Sending::kBatch);
  if (done.size() != lines.size())
    throw BenchError(fmt::format("set-up: {} of {} lines reached execution; {}", done.size(),
                                 lines.size(), failures.first));
}

}  // namespace zbb::bench
