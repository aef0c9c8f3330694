#include "workflows/result_use.h"

#include <fmt/format.h>

#include <algorithm>

namespace zbb::review {
namespace {

// The lines of one programme in one year are few: one page covers them.
constexpr std::size_t kProgrammeLines = 100;

std::optional<Fen> ceiling_of(const zbb::policy::ResultUse& use, Fen previous_approved,
                              Fen requested) {
  std::optional<Fen> ceiling;
  const auto tighten = [&](Fen value) { ceiling = ceiling ? std::min(*ceiling, value) : value; };
  if (use.cap_percent() > 0)
    tighten(static_cast<Fen>(static_cast<WideFen>(previous_approved) * use.cap_percent() / 100));
  if (use.cut_percent() > 0)
    tighten(static_cast<Fen>(static_cast<WideFen>(requested) * (100 - use.cut_percent()) / 100));
  return ceiling;
}

}  // namespace

LineFilter programme_lines_of_year_before(const LineContent& content) {
  LineFilter filter;
  filter.programme_code = content.programme_code();
  filter.department = content.department();
  filter.fiscal_year = content.fiscal_year() - 1;
  return filter;
}

Result<std::optional<PriorResult>> prior_result(const LineContent& content, Store& store,
                                                const zbb::policy::WorkflowPolicy& policy) {
  auto lines = store.list_lines(programme_lines_of_year_before(content), "", kProgrammeLines);
  if (!lines.ok()) return lines.status();
  const BudgetLine* evaluated = nullptr;
  for (const auto& line : *lines)
    if (line.has_evaluation() && (evaluated == nullptr || from_proto(line.updated_at()) >
                                                              from_proto(evaluated->updated_at())))
      evaluated = &line;
  if (evaluated == nullptr) return std::optional<PriorResult>();

  PriorResult prior;
  prior.set_line_id(evaluated->id());
  prior.set_fiscal_year(evaluated->content().fiscal_year());
  prior.set_grade(evaluated->evaluation().grade());
  prior.set_score_tenths(evaluated->evaluation().score_tenths());
  prior.set_approved_amount(evaluated->approved_amount());
  const auto& flagged = policy.result_use().flagged_grades();
  prior.set_flagged(std::find(flagged.begin(), flagged.end(), prior.grade()) != flagged.end());
  if (prior.flagged()) {
    const auto ceiling =
        ceiling_of(policy.result_use(), prior.approved_amount(), content.requested_amount());
    if (ceiling) prior.set_ceiling(*ceiling);
  }
  return std::optional<PriorResult>(std::move(prior));
}

Status FundedWithinCeiling(const BudgetLine& line, Fen amount) {
  if (!line.has_prior() || !line.prior().has_ceiling() || amount <= line.prior().ceiling())
    return Status::Ok();
  return Status::InvalidArgument(
      "amount", fmt::format("{} fen exceeds the {} fen ceiling set by the {} grade of line {} "
                            "in {}",
                            amount, line.prior().ceiling(), line.prior().grade(),
                            line.prior().line_id(), line.prior().fiscal_year()));
}

}  // namespace zbb::review
