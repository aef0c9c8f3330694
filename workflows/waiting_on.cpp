#include "workflows/waiting_on.h"

#include "workflows/correction.h"
#include "workflows/result_use.h"
#include "workflows/state_ids.h"

namespace zbb::review {
namespace {

std::string level_role(const google::protobuf::RepeatedPtrField<zbb::policy::ApprovalLevel>& chain,
                       std::size_t step) {
  return step < static_cast<std::size_t>(chain.size()) ? chain[static_cast<int>(step)].role() : "";
}

}  // namespace

std::string unit_role(const std::string& department) {
  return std::string(kUnitRolePrefix) + department;
}

std::string waiting_on(const BudgetLine& line, const zbb::policy::WorkflowPolicy& policy) {
  const std::string_view s = line.state();
  // An executing line whose correction (整改) the unit answered waits on a reviewer's review; a
  // red line whose correction was accepted, on the re-check that may lift its warning.
  if ((s == state::kExecuting || s == state::kRedWarning) && correction_awaits_review(line))
    return std::string(kReviewerRole);
  if (s == state::kRedWarning && correction_accepted(line)) return std::string(kReviewerRole);
  if (s == state::kDraft || s == state::kReturnedForRevision || s == state::kRestatingTargets ||
      s == state::kExecuting || s == state::kRedWarning || s == state::kSelfEvaluation)
    return unit_role(line.content().department());
  // Ranking waits on the unit while the rectification report its programme's grade asks for is
  // due (or returned): the line cannot be funded before it is written.
  if (s == state::kAwaitingRanking && awaits_rectification(line) &&
      !(line.rectification().evaluated_line() == line.prior().line_id() &&
        line.rectification().status() == zbb::v1::RECTIFICATION_STATUS_SUBMITTED))
    return unit_role(line.content().department());
  if (s == state::kSubmitted || s == state::kUnderTargetReview || s == state::kAwaitingRanking ||
      s == state::kReviewingRestatedTargets || s == state::kScored)
    return std::string(kReviewerRole);
  if (s == state::kFocusedEvaluation) return std::string(kEvaluatorRole);
  if (s == state::kAwaitingDecision)
    return level_role(policy.approval_chain(), static_cast<std::size_t>(line.approval_step()));
  if (s == state::kAdjustmentProposed && line.has_pending_adjustment())
    return level_role(policy.adjustment_chain(), line.pending_adjustment().decisions_size());
  return "";
}

}  // namespace zbb::review
