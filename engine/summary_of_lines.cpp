#include "engine/summary_of_lines.h"

#include <limits>
#include <map>

namespace zbb {
namespace {

// The key of the store's line_totals column the grouping reads.
std::string key_of(const BudgetLine& line, SummaryGrouping grouping) {
  switch (grouping) {
    case SummaryGrouping::kState:
      return line.state();
    case SummaryGrouping::kDepartment:
      return line.content().department();
    case SummaryGrouping::kWaitingOn:
      return line.waiting_on();
    case SummaryGrouping::kWarningLevel:
      return line.has_monitoring() ? std::string(to_string(line.monitoring().level())) : "";
  }
  return line.state();
}

bool add_to(Fen& sum, Fen amount) {
  const WideFen wide = static_cast<WideFen>(sum) + amount;
  if (wide > std::numeric_limits<Fen>::max() || wide < std::numeric_limits<Fen>::min())
    return false;
  sum = static_cast<Fen>(wide);
  return true;
}

}  // namespace

Status SummaryOfLines::add(const BudgetLine& line) {
  const std::string key = key_of(line, grouping_);
  SummaryGroup& group = groups_[key];
  group.key = key;
  group.lines += 1;
  if (line.sla_breached()) group.escalated += 1;
  if (!add_to(group.requested, line.content().requested_amount()) ||
      !add_to(group.approved, line.approved_amount()) || !add_to(group.spent, line.spent_amount()))
    return Status::Internal("the amounts of group " + key + " go beyond int64");
  const auto due = due_at(line);
  if (!due) return Status::Ok();
  const Timestamp entered = from_proto(line.state_entered_at());
  if (!group.oldest || entered < group.oldest->state_entered_at ||
      (entered == group.oldest->state_entered_at && line.id() < group.oldest->line_id))
    group.oldest = OldestItem{line.id(), line.state(), entered, *due};
  return Status::Ok();
}

std::vector<SummaryGroup> SummaryOfLines::groups() const {
  std::vector<SummaryGroup> ordered;
  for (const auto& [key, group] : groups_) ordered.push_back(group);
  return ordered;
}

Result<std::vector<SummaryGroup>> summarize_lines(const std::vector<BudgetLine>& lines,
                                                  SummaryGrouping grouping) {
  SummaryOfLines summary(grouping);
  for (const BudgetLine& line : lines) ZBB_RETURN_IF_ERROR(summary.add(line));
  return summary.groups();
}

}  // namespace zbb
