#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/budget_line.h"
#include "engine/commands.h"
#include "engine/status.h"

// The rules of zero-based review, each named for what it enforces. The state machine calls
// the guards; validate_action checks the shape of any input before it reaches the machine.
namespace zbb::review {

// Limits on what a client may send; beyond them input is refused, never truncated.
inline constexpr std::size_t kMaxNameBytes = 200;
inline constexpr std::size_t kMaxTitleBytes = 300;
inline constexpr std::size_t kMaxStatementBytes = 20000;
inline constexpr std::size_t kMaxCommentBytes = 4000;
inline constexpr std::size_t kMaxCostItems = 500;
inline constexpr std::size_t kMaxIndicators = 100;

// INVALID_ARGUMENT naming the field for input that can never be right, whatever the state:
// negative or overflowing amounts, unknown enum values, oversized or non-UTF-8 text, content
// that is incomplete.
Status validate_action(const Action& action, const AddedByZbb& added = {});
Status validate_follow_up(const FollowUp& follow_up);

// A programme code as lines and the project library carry it: 1..64 letters, digits, - _ .
Status validate_programme_code(const std::string& field, const std::string& code);
// Free text: valid UTF-8, at most `max_bytes`, not blank when `required`.
Status validate_text(const std::string& field, const std::string& value, std::size_t max_bytes,
                     bool required);

// A request's content: format, and the rules a complete request satisfies.
Status validate_content(const LineContent& content);

// --- Guards of the machine ---

// A revision may rewrite the request but not move it to another year or unit.
Status RevisionKeepsOwner(const LineContent& before, const LineContent& after);
// The cost items add up exactly to the amount requested.
Status CostItemsSumToRequest(const LineContent& content);
// At least one quantitative output indicator and one effect or satisfaction indicator.
Status HasOutputAndOutcomeIndicators(const LineContent& content);
// The necessity statement says why the money is needed.
Status NecessityStated(const LineContent& content);
// All three: what a line must satisfy to be submitted and to leave justification.
Status ReadyForReview(const LineContent& content);

// Segregation of duties: whoever submitted a line never decides on it.
Status SubmitterNeverDecides(const BudgetLine& line, const std::string& actor);
// Segregation of duties: an actor decides at one level of a chain only.
Status OneActorOneLevel(const ApprovalRecord& earlier, const std::string& level,
                        const std::string& actor);
template <typename Records>  // the decisions of the chain so far
Status OneActorOneLevel(const Records& decisions, const std::string& level,
                        const std::string& actor) {
  for (const ApprovalRecord& earlier : decisions)
    ZBB_RETURN_IF_ERROR(OneActorOneLevel(earlier, level, actor));
  return Status::Ok();
}
// The decision is for the level the line waits on.
Status DecisionForCurrentLevel(std::string_view awaited_level, const std::string& level);
Status FundedWithinRequest(const BudgetLine& line, Fen amount);
// A ranking funds whole packages: the amount is the sum of the levels it says it funded.
Status FundedMatchesPackages(const BudgetLine& line, const FundLine& fund,
                             const std::optional<RankingPlacement>& placement);
// The amount of the line's packages up to and including `levels` (the whole request when the
// line has no packages and only the minimum level is named); nullopt for a level it lacks.
std::optional<Fen> packages_amount(const LineContent& content,
                                   const std::vector<IncrementLevel>& levels);
// An approving level grants at most what was funded, or what the level before it granted.
Status ApprovedWithinFunded(const BudgetLine& line, Fen amount);
// Spending (or a refund) keeps the total spent between zero and the approved amount.
Status SpendingWithinApproved(const BudgetLine& line, Fen amount);
// A reduction never takes the approved amount below what is already spent.
Status ReductionKeepsSpending(const BudgetLine& line, Fen amount);
Status IncreaseFits(const BudgetLine& line, Fen amount);
// An increase the department's pool cannot cover now is refused when proposed, not after every
// approver has worked on it. Unknown balance (nullopt): nothing to check here.
Status PoolCovers(const BudgetLine& line, Fen amount, std::optional<Fen> pool_balance);
// A decision that refuses or sends back says why.
Status ReasonGiven(Decision decision, const std::string& comment);

bool is_valid_utf8(std::string_view text);

}  // namespace zbb::review
