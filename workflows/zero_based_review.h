#pragma once

#include "engine/workflow.h"
#include "workflows/policy_loader.h"

namespace zbb::review {

// The zero-based review lifecycle as the engine's Workflow: restores the line's machine, feeds
// it the action under the line's own policy version, and reads back the new line and events.
class ZeroBasedReview final : public Workflow {
 public:
  explicit ZeroBasedReview(PolicySet policies) : policies_(std::move(policies)) {}

  Result<LineChange> apply(const BudgetLine& line, const Action& action, const AddedByZbb& added,
                           const Principal& principal, Timestamp now) const override;
  Result<LineChange> record(const BudgetLine& line, const FollowUp& follow_up,
                            const Principal& principal, Timestamp now) const override;

  // The role rules (role_rules.h): the line (and a reallocation's receiving line) visible to the
  // caller, a decision's level named, the caller's role one that may send the event.
  Status admit(const BudgetLine& line, Action& action, const Principal& principal,
               Store& store) const override;

  // Result use: a line learns its programme's record when created, revised, submitted and
  // scored; a submission what it copies from last year's lines of its programme; a proposed
  // increase what its department's pool holds.
  Status complete(const BudgetLine& line, const Action& action, AddedByZbb& added,
                  Store& store) const override;
  // The lines of complete(): the programme's lines of the two years before, for the actions that
  // read its record.
  std::vector<LineFilter> reads(const BudgetLine& line, const Action& action) const override;

  // The project library under the current policy (library_rules.h).
  Status admit_programme(const Programme* current, const ProgrammeCommand& command) const override;
  Result<ProgrammeChange> decide_programme(const Programme* current,
                                           const ProgrammeCommand& command, Store& store,
                                           Timestamp now) const override;

  const PolicySet& policies() const { return policies_; }

 private:
  PolicySet policies_;
};

}  // namespace zbb::review
