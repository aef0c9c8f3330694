#pragma once

// The money a line leaves unspent when it is closed (approved − spent): recovered to the county's
// general pool of its fiscal year (收回, the 2018 意见's "长期沉淀的资金一律收回"), or — when the
// policy allows it — carried over (结转) to the programme's line of the next fiscal year, named by
// the reviewer who closes the line.

#include <string>
#include <string_view>

#include "engine/budget_line.h"
#include "engine/commands.h"
#include "engine/status.h"
#include "workflows/policy.pb.h"

namespace zbb::review {

// The reason a recovery gives its movement of the county's pool.
inline constexpr std::string_view kRecoveredAtClosing = "recovered at closing";

// The money approved and not spent.
Fen unspent_amount(const BudgetLine& line);

// A carry-over to `to_line` may be asked: the policy allows it, something is unspent, and the
// line named is another. FAILED_PRECONDITION otherwise (INVALID_ARGUMENT carry_over_to for the
// line itself).
Status CarryOverAllowed(const BudgetLine& line, const zbb::policy::YearEnd& rule,
                        const std::string& to_line);

// What the next-year line receives: the closed line, its year, programme, department, amount.
ReceiveCarryOver carry_over_of(const BudgetLine& closed, Fen amount);

// The receiving line is the programme's line of the next fiscal year: the same programme code and
// department, the year after the closed line's. FAILED_PRECONDITION naming what differs.
Status IsNextYearLineOf(const BudgetLine& receiver, const ReceiveCarryOver& carry_over);

}  // namespace zbb::review
