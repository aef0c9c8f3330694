#include "workflows/ranking.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <tuple>

#include "workflows/result_use.h"

namespace zbb::review {
namespace {

std::int64_t factor_percent(const zbb::policy::WorkflowPolicy& policy, IncrementLevel level) {
  for (const auto& factor : policy.increment_factors())
    if (factor.level() == to_string(level)) return factor.percent();
  return 0;  // the policy loader guarantees every level has a factor
}

// The policy's tie rule, "earlier_submission": equal scores go to the earlier submission,
// then to the smaller line id, so the order never depends on the order lines were read in.
auto tie_key(const BudgetLine& line) {
  return std::make_tuple(from_proto(line.submitted_at()), line.id());
}

}  // namespace

std::vector<Increment> packages_of(const LineContent& content) {
  if (!content.increments().empty())
    return {content.increments().begin(), content.increments().end()};
  Increment whole;
  whole.set_level(zbb::v1::INCREMENT_LEVEL_MINIMUM);
  whole.set_amount(content.requested_amount());
  return {whole};
}

Result<RankingResult> rank_lines(const std::vector<BudgetLine>& lines, Fen envelope,
                                 const zbb::policy::WorkflowPolicy& policy) {
  if (envelope < 0) return Status::InvalidArgument("envelope", "must not be negative");
  // Every total of the ranking is at most the sum of the requests: if that fits, all do.
  WideFen requested = 0;
  for (const auto& line : lines) requested += line.content().requested_amount();
  if (requested > std::numeric_limits<Fen>::max())
    return Status::FailedPrecondition("the requests add up beyond what can be counted in fen");
  std::vector<std::string> unscored;
  for (const auto& line : lines)
    if (!line.has_priority()) unscored.push_back(line.id());
  if (!unscored.empty())
    return Status::FailedPrecondition(
        fmt::format("lines not yet scored for priority: {}", fmt::join(unscored, ", ")));
  std::vector<std::string> unrectified;
  for (const auto& line : lines)
    if (awaits_rectification(line)) unrectified.push_back(line.id());
  if (!unrectified.empty())
    return Status::FailedPrecondition(
        fmt::format("lines whose rectification report a reviewer has yet to accept: {}",
                    fmt::join(unrectified, ", ")));

  std::vector<const BudgetLine*> by_score;
  for (const auto& line : lines) by_score.push_back(&line);
  std::sort(by_score.begin(), by_score.end(), [](const BudgetLine* a, const BudgetLine* b) {
    if (a->priority().score_hundredths() != b->priority().score_hundredths())
      return a->priority().score_hundredths() > b->priority().score_hundredths();
    return tie_key(*a) < tie_key(*b);
  });

  struct Candidate {
    const BudgetLine* line;
    RankedPackage package;
  };
  std::vector<Candidate> candidates;
  Fen capped_total = 0;
  for (const BudgetLine* line : by_score) {
    // A flagged line's packages beyond its ceiling (result use) cannot be funded at all: they
    // are left out of the ranking rather than cutting it.
    const Fen ceiling = line->has_prior() && line->prior().has_ceiling()
                            ? line->prior().ceiling()
                            : std::numeric_limits<Fen>::max();
    Fen cumulative = 0;
    for (const auto& increment : packages_of(line->content())) {
      cumulative += increment.amount();
      if (cumulative > ceiling) {
        capped_total += increment.amount();
        continue;
      }
      RankedPackage package;
      package.set_line_id(line->id());
      package.set_level(increment.level());
      package.set_amount(increment.amount());
      package.set_score_hundredths(line->priority().score_hundredths() *
                                   factor_percent(policy, increment.level()) / 100);
      candidates.push_back({line, std::move(package)});
    }
  }
  // Within a line the factors fall with the level, so its lower packages come first; equal
  // scores fall back to the tie rule and, for one line, to the level.
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) {
                     if (a.package.score_hundredths() != b.package.score_hundredths())
                       return a.package.score_hundredths() > b.package.score_hundredths();
                     if (tie_key(*a.line) != tie_key(*b.line))
                       return tie_key(*a.line) < tie_key(*b.line);
                     return a.package.level() < b.package.level();
                   });

  RankingResult result;
  result.set_envelope(envelope);
  result.set_capped_total(capped_total);
  Fen remaining = envelope;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    RankedPackage& package = candidates[i].package;
    package.set_rank(static_cast<std::int64_t>(i) + 1);
    package.set_funded(!result.has_cut() && package.amount() <= remaining);
    if (package.funded()) {
      remaining -= package.amount();
      result.set_funded_total(result.funded_total() + package.amount());
    } else {
      if (!result.has_cut()) *result.mutable_cut() = package;
      result.set_unfunded_total(result.unfunded_total() + package.amount());
    }
    *result.add_packages() = std::move(package);
  }
  result.set_unallocated(remaining);

  for (std::size_t i = 0; i < by_score.size(); ++i) {
    const BudgetLine& line = *by_score[i];
    LineRanking& ranking = *result.add_lines();
    ranking.set_line_id(line.id());
    ranking.set_department(line.content().department());
    ranking.set_rank(static_cast<std::int64_t>(i) + 1);
    ranking.set_score_hundredths(line.priority().score_hundredths());
    ranking.set_requested(line.content().requested_amount());
    ranking.set_version(line.version());
    for (const auto& package : result.packages()) {
      if (package.line_id() != line.id() || !package.funded()) continue;
      ranking.set_funded(ranking.funded() + package.amount());
      ranking.add_funded_levels(package.level());
    }
    // Levels in their own order (minimum, current, enhancement), as the packages were ranked.
    std::sort(ranking.mutable_funded_levels()->begin(), ranking.mutable_funded_levels()->end());
  }
  return result;
}

}  // namespace zbb::review
