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

bool add(Fen& sum, Fen amount) {
  const WideFen wide = static_cast<WideFen>(sum) + amount;
  if (wide > std::numeric_limits<Fen>::max() || wide < std::numeric_limits<Fen>::min())
    return false;
  sum = static_cast<Fen>(wide);
  return true;
}

}  // namespace

Result<std::vector<SummaryGroup>> summarize_lines(const std::vector<BudgetLine>& lines,
                                                  SummaryGrouping grouping) {
  std::map<std::string, SummaryGroup> groups;
  for (const BudgetLine& line : lines) {
    const std::string key = key_of(line, grouping);
    SummaryGroup& group = groups[key];
    group.key = key;
    group.lines += 1;
    if (line.sla_breached()) group.escalated += 1;
    if (!add(group.requested, line.content().requested_amount()) ||
        !add(group.approved, line.approved_amount()) || !add(group.spent, line.spent_amount()))
      return Status::Internal("the amounts of group " + key + " go beyond int64");
    const auto due = due_at(line);
    if (!due) continue;
    const Timestamp entered = from_proto(line.state_entered_at());
    if (!group.oldest || entered < group.oldest->state_entered_at ||
        (entered == group.oldest->state_entered_at && line.id() < group.oldest->line_id))
      group.oldest = OldestItem{line.id(), line.state(), entered, *due};
  }
  std::vector<SummaryGroup> ordered;
  for (auto& [key, group] : groups) ordered.push_back(std::move(group));
  return ordered;
}

}  // namespace zbb
