#include "workflows/monitoring_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>
#include <optional>

#include "workflows/checkpoints.h"
#include "workflows/correction.h"
#include "workflows/performance.h"
#include "workflows/report_documents.h"
#include "workflows/state_ids.h"

namespace zbb::review {
namespace {

// The lines a round judges, by id: those executing, and those under a red warning — the round is
// their re-check, which lifts the warning once their correction is accepted.
Result<std::vector<BudgetLine>> executing_lines(Store& store, const MonitoringRequest& request) {
  std::vector<BudgetLine> lines;
  for (const auto state : {state::kExecuting, state::kRedWarning}) {
    LineFilter filter;
    filter.fiscal_year = request.fiscal_year;
    filter.department = request.department;
    filter.state = std::string(state);
    auto found = list_all_lines(store, filter);
    if (!found.ok()) return found.status();
    lines.insert(lines.end(), std::make_move_iterator(found->begin()),
                 std::make_move_iterator(found->end()));
  }
  std::sort(lines.begin(), lines.end(),
            [](const BudgetLine& a, const BudgetLine& b) { return a.id() < b.id(); });
  return lines;
}

Result<MonitoringReport> stored_report(Store& store, const std::string& key,
                                       const std::string& id) {
  auto report = store.find_report(key);
  if (!report.ok()) return report.status();
  auto parsed = monitoring_from_document(report->body, key);
  if (!parsed.ok()) return parsed.status();
  parsed->set_report_id(id);
  parsed->set_replayed(true);
  return parsed;
}

// The figures by department and level, from the verdicts.
void group(MonitoringReport& report) {
  std::map<std::pair<std::string, WarningLevel>, MonitoringGroup> groups;
  for (const auto& line : report.lines()) {
    auto& g = groups[{line.department(), line.result().level()}];
    g.set_department(line.department());
    g.set_level(line.result().level());
    g.set_lines(g.lines() + 1);
    g.set_approved(g.approved() + line.approved());
    g.set_spent(g.spent() + line.spent());
  }
  for (auto& [key, g] : groups) *report.add_groups() = std::move(g);
}

// One try at the round on the lines as they stand now.
Result<MonitoringReport> monitor_once(Engine& engine, const PolicySet& policies,
                                      const MonitoringRequest& request, const std::string& key) {
  Store& store = engine.store();
  Command command{request.request_id, request.principal, {}};
  auto lines = executing_lines(store, request);
  if (!lines.ok()) return lines.status();
  if (lines->empty())
    return Status::FailedPrecondition(fmt::format(
        "no line of fiscal year {}{} is executing or under a red warning", request.fiscal_year,
        request.department.empty() ? "" : " in " + request.department));

  WideFen approved = 0;  // every group's sums are at most this
  for (const auto& line : *lines) approved += line.approved_amount();
  if (approved > std::numeric_limits<Fen>::max())
    return Status::FailedPrecondition(
        "the approved amounts add up beyond what can be counted in fen");

  // Each line's machine refuses a checkpoint before its first checkpoint date or in the future;
  // said here first in the request's terms, as the one date the whole round must reach.
  std::optional<std::chrono::year_month_day> due;
  for (const auto& line : *lines) {
    if (const auto* policy = policies.find(line.policy_version())) {
      const auto date = first_checkpoint_date(policy->monitoring(), line.content().fiscal_year());
      if (!due || date > *due) due = date;
    }
  }
  if (due && request.as_of < *due)
    return Status::FailedPrecondition(
        fmt::format("as_of {} is before the first checkpoint date {}: the round may be run as of "
                    "{} or later",
                    format_date(request.as_of), format_date(*due), format_date(*due)));
  // A line judged as of a later day keeps that verdict: the round would refuse it anyway, all or
  // nothing, naming one line; said here naming every one.
  std::vector<std::string> judged_later;
  for (const auto& line : *lines)
    if (!NotBeforeLatestVerdict(line, request.as_of).ok()) judged_later.push_back(line.id());
  if (!judged_later.empty())
    return Status::FailedPrecondition(fmt::format(
        "as_of {} is before the latest verdict of line{} {}: a round as of an earlier day would "
        "replace it; run it as of a later day, or by department without {}",
        format_date(request.as_of), judged_later.size() == 1 ? "" : "s",
        fmt::join(judged_later, ", "), judged_later.size() == 1 ? "it" : "them"));
  const auto today = date_of(engine.clock().now());
  if (request.as_of > today)
    return Status::FailedPrecondition(
        fmt::format("as_of {} has not come yet: today is {}; it must be {} or earlier",
                    format_date(request.as_of), format_date(today), format_date(today)));

  MonitoringReport report;
  report.set_report_id(request.request_id);
  report.set_fiscal_year(request.fiscal_year);
  report.set_as_of(format_date(request.as_of));
  report.set_department(request.department);
  for (const auto& line : *lines) {
    const auto* policy = policies.find(line.policy_version());
    if (policy == nullptr)
      return Status::FailedPrecondition(
          fmt::format("line {} runs under policy version {}, which is not loaded", line.id(),
                      line.policy_version()));
    // The same judgement the line's machine makes on the event below.
    auto* monitored = report.add_lines();
    monitored->set_line_id(line.id());
    monitored->set_department(line.content().department());
    *monitored->mutable_result() = assess_checkpoint(line, policy->monitoring(), request.as_of);
    monitored->set_approved(line.approved_amount());
    monitored->set_spent(line.spent_amount());
    monitored->set_recheck(line.state() == state::kRedWarning);
    RunCheckpoint checkpoint;
    checkpoint.set_as_of(format_date(request.as_of));
    command.items.push_back({line.id(), line.version(), std::move(checkpoint)});
  }
  group(report);
  command.reports.push_back(Report{"",
                                   std::string(kMonitoringReportKind),
                                   request.fiscal_year,
                                   request.department,
                                   {},
                                   monitoring_document(report)});
  auto outcome = engine.execute(command);
  if (!outcome.ok()) return outcome.status();
  if (outcome->replayed) return stored_report(store, key, request.request_id);
  return report;
}

}  // namespace

Result<MonitoringReport> run_monitoring(Engine& engine, const PolicySet& policies,
                                        const MonitoringRequest& request) {
  ZBB_RETURN_IF_ERROR(validate_id("request_id", request.request_id));
  if (request.fiscal_year < 2000 || request.fiscal_year > 2100)
    return Status::InvalidArgument("fiscal_year", "must be between 2000 and 2100");
  if (!request.as_of.ok()) return Status::InvalidArgument("as_of", "is not a valid date");
  if (static_cast<int>(request.as_of.year()) != request.fiscal_year)
    return Status::InvalidArgument(
        "as_of", fmt::format("{} is outside fiscal year {}: it must be a day of {}",
                             format_date(request.as_of), request.fiscal_year, request.fiscal_year));
  Store& store = engine.store();
  Command command{request.request_id, request.principal, {}};
  const std::string key = request_key(command);
  if (auto earlier = stored_report(store, key, request.request_id); earlier.ok()) {
    if (earlier->fiscal_year() != request.fiscal_year ||
        earlier->department() != request.department ||
        earlier->as_of() != format_date(request.as_of))
      return Status::InvalidArgument(
          "request_id",
          fmt::format("{} was already used for a different round", request.request_id));
    return earlier;
  }

  // Each line is checked at the version the round read, so a line that changes meanwhile aborts
  // the round whole; the request named no version, and is run again while its caller waits.
  for (;;) {
    auto report = monitor_once(engine, policies, request, key);
    if (report.ok() || report.status().code() != Code::kAborted || !request.still_wanted ||
        !request.still_wanted())
      return report;
  }
}

namespace {

// Whether zbb ran the round of request id `id` already (its report is kept).
bool ran(Store& store, const std::string& id) {
  return store.find_report(request_key(Command{id, Principal::zbb(), {}})).ok();
}

}  // namespace

Result<std::optional<MonitoringReport>> MonitoringScheduler::tick() {
  const auto today = date_of(clock_.now());
  const int year = static_cast<int>(today.year());
  // The latest checkpoint reached: after a stop across several, the earlier ones are past.
  const zbb::policy::Checkpoint* checkpoint =
      checkpoint_of(policies_.current().monitoring(), today);
  if (checkpoint == nullptr) return std::optional<MonitoringReport>();
  // As of today: the spending it judges is today's, so time progress must be today's too.
  const std::string id = fmt::format("checkpoint-{}-{}", year, checkpoint->date());
  const MonitoringRequest request{id, Principal::zbb(), year, today, ""};
  if (ran(engine_.store(), id)) return std::optional<MonitoringReport>();
  // The round of a year that began before zbb had several checkpoints — the dual-monitoring
  // one — kept its own id.
  if (checkpoint->dual() && ran(engine_.store(), fmt::format("q2-checkpoint-{}", year)))
    return std::optional<MonitoringReport>();
  if (refused_round_ == id) return std::optional<MonitoringReport>();
  bool any = false;
  for (const auto state : {state::kExecuting, state::kRedWarning}) {
    LineFilter judged;
    judged.fiscal_year = year;
    judged.state = std::string(state);
    auto found = engine_.store().list_lines(judged, "", 1);
    if (!found.ok()) return found.status();
    any = any || !found->empty();
  }
  if (!any) return std::optional<MonitoringReport>();  // nothing to judge yet
  auto report = run_monitoring(engine_, policies_, request);
  if (!report.ok()) {
    // A round the engine refuses as such (more lines than one command may hold) would be
    // refused again at every look, after reading every executing line: say it once.
    if (report.status().code() == Code::kInvalidArgument) refused_round_ = id;
    return report.status();
  }
  return std::optional<MonitoringReport>(std::move(report).value());
}

}  // namespace zbb::review
