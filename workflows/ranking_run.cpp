#include "workflows/ranking_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

#include "workflows/report_documents.h"
#include "workflows/result_use.h"
#include "workflows/state_ids.h"

namespace zbb::review {
namespace {

// Ten trillion yuan: far beyond any envelope, and far from overflowing a sum of them.
constexpr Fen kMaxEnvelope = 1'000'000'000'000'000;

Result<std::vector<BudgetLine>> lines_awaiting_ranking(Store& store, const RankRequest& request) {
  LineFilter filter;
  filter.fiscal_year = request.fiscal_year;
  filter.department = request.department;
  filter.state = std::string(state::kAwaitingRanking);
  return list_all_lines(store, filter);
}

// The policy the lines run under; a ranking weighs every line by the same rules.
Result<const zbb::policy::WorkflowPolicy*> common_policy(const std::vector<BudgetLine>& lines,
                                                         const PolicySet& policies) {
  const std::string& version = lines.front().policy_version();
  for (const auto& line : lines)
    if (line.policy_version() != version)
      return Status::FailedPrecondition(fmt::format(
          "lines {} and {} run under different policies ({} and {}); rank them separately",
          lines.front().id(), line.id(), version, line.policy_version()));
  const auto* policy = policies.find(version);
  if (policy == nullptr)
    return Status::FailedPrecondition(fmt::format("policy version {} is not loaded", version));
  return policy;
}

// Ranking reads each line's programme record again: lines scored on a record that has changed
// in what it weighs (an evaluation closed since) are scored again before they are ranked. (Each
// fund checks it again as it commits.)
Status scored_on_current_record(const std::vector<BudgetLine>& lines, Store& store,
                                const zbb::policy::WorkflowPolicy& policy) {
  constexpr std::size_t kNamed = 20;  // a status message stays short
  std::vector<std::string> stale;
  std::string first;
  for (const auto& line : lines) {
    if (!line.has_priority()) continue;  // rank_lines names the unscored lines
    auto now = prior_result(line.content(), store, policy);
    if (!now.ok()) return now.status();
    if (auto scored = ScoredOnCurrentRecord(line, *now, 1); !scored.ok()) {
      if (first.empty()) first = scored.message();
      stale.push_back(line.id());
    }
  }
  if (stale.empty()) return Status::Ok();
  if (stale.size() == 1) return Status::FailedPrecondition(first);
  const std::size_t more = stale.size() > kNamed ? stale.size() - kNamed : 0;
  stale.resize(std::min(stale.size(), kNamed));
  return Status::FailedPrecondition(fmt::format(
      "lines scored on a programme record that has changed since (an evaluation closed "
      "meanwhile): {}{}; score them again",
      fmt::join(stale, ", "), more > 0 ? fmt::format(" and {} more", more) : std::string()));
}

// The lines a preview read, at the versions it read them, are those the ranking reads now.
Status as_previewed(const std::vector<BudgetLine>& lines, const RankRequest& request) {
  if (request.expected_versions.empty()) return Status::Ok();
  for (const auto& line : lines) {
    auto expected = request.expected_versions.find(line.id());
    if (expected == request.expected_versions.end())
      return Status::Aborted(fmt::format(
          "line {} awaits ranking but is not among the expected versions; preview again",
          line.id()));
    if (expected->second != line.version())
      return Status::Aborted(
          fmt::format("line {} is at version {}, not the expected {}; preview again", line.id(),
                      line.version(), expected->second));
  }
  if (request.expected_versions.size() != lines.size())
    for (const auto& [line_id, version] : request.expected_versions)
      if (std::none_of(lines.begin(), lines.end(),
                       [&](const BudgetLine& line) { return line.id() == line_id; }))
        return Status::Aborted(fmt::format(
            "line {} no longer awaits ranking in fiscal year {}{}; preview again", line_id,
            request.fiscal_year, request.department.empty() ? "" : " in " + request.department));
  return Status::Ok();
}

Status check_request(const RankRequest& request) {
  ZBB_RETURN_IF_ERROR(validate_id("request_id", request.request_id));
  if (request.fiscal_year < 2000 || request.fiscal_year > 2100)
    return Status::InvalidArgument("fiscal_year", "must be between 2000 and 2100");
  if (request.envelope < 0) return Status::InvalidArgument("envelope", "must not be negative");
  if (request.envelope > kMaxEnvelope)
    return Status::InvalidArgument("envelope", "is beyond any county's budget (at most 10^15 fen)");
  return Status::Ok();
}

Result<RankingRun> stored_run(Store& store, const std::string& key, const std::string& id) {
  auto report = store.find_report(key);
  if (!report.ok()) return report.status();
  auto result = ranking_from_document(report->body, key);
  if (!result.ok()) return result.status();
  return RankingRun{id, std::move(result).value(), 0, true};
}

std::string comment_for(const LineRanking& line, const RankingResult& result) {
  if (line.funded() == 0)
    return fmt::format("ranked {} of {}: below the cut", line.rank(), result.lines_size());
  std::vector<std::string_view> levels;
  for (int level : line.funded_levels()) levels.push_back(to_string(IncrementLevel(level)));
  return fmt::format("ranked {} of {}: {} funded", line.rank(), result.lines_size(),
                     fmt::join(levels, ", "));
}

// One try at the ranking on the lines as they stand now.
Result<RankingRun> rank_once(Engine& engine, const PolicySet& policies, const RankRequest& request,
                             const std::string& key) {
  Store& store = engine.store();
  Command command{request.request_id, request.principal, {}};
  auto lines = lines_awaiting_ranking(store, request);
  if (!lines.ok()) return lines.status();
  if (lines->empty() && !request.expected_versions.empty())
    return Status::Aborted(fmt::format(
        "no line of fiscal year {}{} awaits ranking any more; preview again", request.fiscal_year,
        request.department.empty() ? "" : " in " + request.department));
  if (lines->empty())
    return Status::FailedPrecondition(
        fmt::format("no line of fiscal year {}{} awaits ranking", request.fiscal_year,
                    request.department.empty() ? "" : " in " + request.department));
  ZBB_RETURN_IF_ERROR(as_previewed(*lines, request));
  auto policy = common_policy(*lines, policies);
  if (!policy.ok()) return policy.status();
  ZBB_RETURN_IF_ERROR(scored_on_current_record(*lines, store, **policy));
  auto result = rank_lines(*lines, request.envelope, **policy);
  if (!result.ok()) return result.status();

  std::map<std::string, std::int64_t> versions;
  for (const auto& line : *lines) versions[line.id()] = line.version();
  for (const auto& ranked : result->lines()) {
    RankingPlacement placement;
    placement.set_ranking_id(request.request_id);
    placement.set_rank(ranked.rank());
    *placement.mutable_funded_levels() = ranked.funded_levels();
    FundLine fund;
    fund.set_amount(ranked.funded());
    fund.set_comment(comment_for(ranked, *result));
    command.items.push_back({ranked.line_id(), versions.at(ranked.line_id()), std::move(fund),
                             AddedByZbb{.placement = std::move(placement)}});
  }
  // What a department's envelope leaves unallocated becomes its pool; a ranking of the whole
  // year has no department to give it to, and keeps the rest in its report only.
  if (result->unallocated() > 0 && !request.department.empty())
    command.pool_changes.push_back({request.fiscal_year, request.department, result->unallocated(),
                                    "", "ranking unallocated"});
  command.reports.push_back(Report{"",
                                   std::string(kRankingReportKind),
                                   request.fiscal_year,
                                   request.department,
                                   {},
                                   ranking_document(*result)});
  if (request.dry_run) {
    auto previewed = engine.preview(command);
    if (!previewed.ok()) return previewed.status();
    RankingRun run{request.request_id, std::move(result).value(), 0, false};
    run.dry_run = true;
    return run;
  }
  auto outcome = engine.execute(command);
  if (!outcome.ok()) return outcome.status();
  if (outcome->replayed) return stored_run(store, key, request.request_id);
  return RankingRun{request.request_id, std::move(result).value(), outcome->last_sequence, false};
}

// The ranking an earlier call under the same request id kept, if any; INVALID_ARGUMENT when it
// ranked another year, department or envelope.
Result<std::optional<RankingRun>> earlier_run(Store& store, const RankRequest& request,
                                              const std::string& key) {
  auto earlier = stored_run(store, key, request.request_id);
  if (!earlier.ok()) return std::optional<RankingRun>();
  auto report = store.find_report(key);
  if (!report.ok()) return report.status();
  if (report->fiscal_year != request.fiscal_year || report->department != request.department ||
      earlier->result.envelope() != request.envelope)
    return Status::InvalidArgument(
        "request_id",
        fmt::format("{} was already used for a different ranking", request.request_id));
  return std::optional<RankingRun>(std::move(earlier).value());
}

}  // namespace

Result<RankingRun> run_ranking(Engine& engine, const PolicySet& policies,
                               const RankRequest& request) {
  ZBB_RETURN_IF_ERROR(check_request(request));
  Store& store = engine.store();
  Command command{request.request_id, request.principal, {}};
  const std::string key = request_key(command);
  if (auto earlier = earlier_run(store, request, key); !earlier.ok() || earlier->has_value())
    return earlier.ok() ? std::move(**earlier) : Result<RankingRun>(earlier.status());

  // The ranking funds each line at the version it read, so a line that changes meanwhile aborts
  // the command whole; the request itself named no version, and is ranked again on the lines as
  // they now stand for as long as its caller waits.
  for (;;) {
    auto run = rank_once(engine, policies, request, key);
    if (!run.ok() && (run.status().code() == Code::kAborted ||
                      run.status().code() == Code::kFailedPrecondition)) {
      // A retry of this very request that committed meanwhile moved the lines on: its ranking
      // is the answer, not the lines it left.
      if (auto earlier = earlier_run(store, request, key); !earlier.ok() || earlier->has_value())
        return earlier.ok() ? std::move(**earlier) : Result<RankingRun>(earlier.status());
    }
    if (run.ok() || run.status().code() != Code::kAborted || !request.expected_versions.empty() ||
        !request.still_wanted || !request.still_wanted())
      return run;
  }
}

}  // namespace zbb::review
