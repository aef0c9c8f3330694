#pragma once

#include <array>
#include <string_view>

namespace zbb::review {

// The state ids of the zero-based review machine, as stored in the line projection and event
// log. Nested states are written "outer.inner".
namespace state {
inline constexpr std::string_view kDraft = "draft";
inline constexpr std::string_view kSubmitted = "justification.submitted";
inline constexpr std::string_view kUnderTargetReview = "justification.under_target_review";
inline constexpr std::string_view kReturnedForRevision = "justification.returned_for_revision";
inline constexpr std::string_view kAwaitingRanking = "ranking.awaiting_ranking";
inline constexpr std::string_view kAwaitingDecision = "approval.awaiting_decision";
inline constexpr std::string_view kRestatingTargets = "approval.restating_targets";
inline constexpr std::string_view kReviewingRestatedTargets = "approval.reviewing_restated_targets";
inline constexpr std::string_view kExecuting = "execution.executing";
inline constexpr std::string_view kRedWarning = "execution.red_warning";
inline constexpr std::string_view kAdjustmentProposed = "adjustment.proposed";
inline constexpr std::string_view kSelfEvaluation = "evaluation.self_evaluation";
inline constexpr std::string_view kFocusedEvaluation = "evaluation.focused_evaluation";
inline constexpr std::string_view kScored = "evaluation.scored";
inline constexpr std::string_view kClosed = "closed";
inline constexpr std::string_view kWithdrawn = "withdrawn";
inline constexpr std::string_view kRejected = "rejected";
inline constexpr std::string_view kUnfunded = "unfunded";
}  // namespace state

// States where the line waits on someone; each has an SLA in the policy.
inline constexpr std::array<std::string_view, 14> kActiveStates = {
    state::kDraft,
    state::kSubmitted,
    state::kUnderTargetReview,
    state::kReturnedForRevision,
    state::kAwaitingRanking,
    state::kAwaitingDecision,
    state::kRestatingTargets,
    state::kReviewingRestatedTargets,
    state::kExecuting,
    state::kRedWarning,
    state::kAdjustmentProposed,
    state::kSelfEvaluation,
    state::kFocusedEvaluation,
    state::kScored,
};

inline constexpr std::array<std::string_view, 4> kTerminalStates = {
    state::kClosed, state::kWithdrawn, state::kRejected, state::kUnfunded};

}  // namespace zbb::review
