#include "workflows/prior_assessment.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "engine/money.h"
#include "workflows/state_ids.h"

namespace zbb::review {
bool ran(const BudgetLine& line) {
  const std::string_view s = line.state();
  return s == state::kExecuting || s == state::kRedWarning || s == state::kAdjustmentProposed ||
         s == state::kSelfEvaluation || s == state::kFocusedEvaluation || s == state::kScored ||
         s == state::kClosed;
}

LineFilter programme_lines_of_every_year(const LineContent& content) {
  LineFilter filter;
  filter.programme_code = content.programme_code();
  filter.department = content.department();
  return filter;
}

Result<std::string> assessment_due(const BudgetLine& line, Store& store,
                                   const zbb::policy::PriorAssessment& rule) {
  const LineContent& content = line.content();
  const Fen requested = content.requested_amount();
  if (rule.any_line_above() > 0 && requested > rule.any_line_above())
    return fmt::format("a line above {} yuan", format_yuan(rule.any_line_above()));
  if (rule.new_programme_above() == 0 || requested <= rule.new_programme_above())
    return std::string();
  auto lines = list_all_lines(store, programme_lines_of_every_year(content));
  if (!lines.ok()) return lines.status();
  // A draft, withdrawn, rejected or unfunded line of an earlier year never ran the programme:
  // it does not make the programme known.
  const bool new_programme =
      std::none_of(lines->begin(), lines->end(), [&](const BudgetLine& other) {
        return other.content().fiscal_year() < content.fiscal_year() && ran(other);
      });
  if (!new_programme) return std::string();
  return fmt::format("a line of a new programme above {} yuan",
                     format_yuan(rule.new_programme_above()));
}

bool may_need_assessment(const LineContent& content, const zbb::policy::PriorAssessment& rule) {
  return rule.new_programme_above() > 0 &&
         content.requested_amount() > rule.new_programme_above() &&
         !(rule.any_line_above() > 0 && content.requested_amount() > rule.any_line_above());
}

Status AssessmentDue(const BudgetLine& line) {
  if (!line.assessment_due().empty()) return Status::Ok();
  return Status::FailedPrecondition(fmt::format(
      "line {} needs no prior performance assessment: the policy does not select it", line.id()));
}

Status AssessedBeforeRanking(const BudgetLine& line) {
  if (line.assessment_due().empty()) return Status::Ok();
  if (!line.has_assessment())
    return Status::FailedPrecondition(
        fmt::format("line {} needs a prior performance assessment before its targets are "
                    "accepted: {}",
                    line.id(), line.assessment_due()));
  if (!line.assessment().approved())
    return Status::FailedPrecondition(fmt::format(
        "line {}'s prior performance assessment is against it: it goes back to the unit",
        line.id()));
  return Status::Ok();
}

Status check_assessment(const RecordAssessment& assessment) {
  std::set<std::string> seen;
  for (int i = 0; i < assessment.parts_size(); ++i) {
    const auto& part = assessment.parts(i);
    const std::string at = fmt::format("parts[{}]", i);
    if (std::find(kAssessmentParts.begin(), kAssessmentParts.end(), part.part()) ==
        kAssessmentParts.end())
      return Status::InvalidArgument(
          at + ".part", fmt::format("must be one of {}", fmt::join(kAssessmentParts, ", ")));
    if (!seen.insert(part.part()).second)
      return Status::InvalidArgument(at + ".part", "concludes on " + part.part() + " twice");
    if (assessment.approve() && !part.passed())
      return Status::InvalidArgument(
          "approve", fmt::format("an approving verdict needs every part passed; {} did not pass",
                                 part.part()));
  }
  for (std::string_view part : kAssessmentParts)
    if (!seen.contains(std::string(part)))
      return Status::InvalidArgument("parts", fmt::format("has no conclusion on {}", part));
  return Status::Ok();
}

}  // namespace zbb::review
