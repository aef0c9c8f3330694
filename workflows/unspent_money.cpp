#include "workflows/unspent_money.h"

#include <fmt/format.h>

#include <algorithm>

#include "engine/money.h"

namespace zbb::review {

Fen unspent_amount(const BudgetLine& line) {
  return std::max<Fen>(0, line.approved_amount() - line.spent_amount());
}

Status CarryOverAllowed(const BudgetLine& line, const zbb::policy::YearEnd& rule,
                        const std::string& to_line) {
  if (!rule.carry_over())
    return Status::FailedPrecondition(fmt::format(
        "the policy of line {} recovers unspent money to the county's pool: it is not carried "
        "over (year_end.carry_over)",
        line.id()));
  if (to_line == line.id())
    return Status::InvalidArgument("carry_over_to",
                                   "names the line being closed; name its programme's line of the "
                                   "next fiscal year");
  if (unspent_amount(line) == 0)
    return Status::FailedPrecondition(
        fmt::format("line {} spent all it was approved: nothing is left to carry over", line.id()));
  return Status::Ok();
}

ReceiveCarryOver carry_over_of(const BudgetLine& closed, Fen amount) {
  ReceiveCarryOver out;
  out.set_from_line(closed.id());
  out.set_fiscal_year(closed.content().fiscal_year());
  out.set_programme_code(closed.content().programme_code());
  out.set_department(closed.content().department());
  out.set_amount(amount);
  return out;
}

Status IsNextYearLineOf(const BudgetLine& receiver, const ReceiveCarryOver& carry_over) {
  const LineContent& content = receiver.content();
  if (content.programme_code() != carry_over.programme_code() ||
      content.department() != carry_over.department() ||
      content.fiscal_year() != carry_over.fiscal_year() + 1)
    return Status::FailedPrecondition(fmt::format(
        "line {} ({} of {}, fiscal year {}) is not the line of programme {} of {} for fiscal year "
        "{}: line {}'s unspent money is carried over to that one only",
        receiver.id(), content.programme_code(), content.department(), content.fiscal_year(),
        carry_over.programme_code(), carry_over.department(), carry_over.fiscal_year() + 1,
        carry_over.from_line()));
  return Status::Ok();
}

}  // namespace zbb::review
