#pragma once

// The correction loop (整改; the seeds' 问题清单和整改跟踪机制): a yellow or red monitoring verdict
// opens a correction on the line, the unit answers it with measures and a deadline, a reviewer
// accepts or returns the answer. A red line leaves its warning by an approved adjustment, or by
// an accepted correction and a re-check that is not red.

#include <optional>
#include <string>

#include "engine/budget_line.h"
#include "engine/clock.h"
#include "engine/status.h"
#include "workflows/policy.pb.h"

namespace zbb::review {

// Takes a verdict into the line's correction. Green changes nothing. Yellow or red opens a new
// correction when none is open (none yet, or the last accepted); while one is open, it is raised
// to the later verdict (level, date, reasons) and keeps where it stands. True when a new one was
// opened: the line then waits on the unit's answer. A red verdict forgets a passed re-check.
bool take_verdict(BudgetLine& line, const MonitoringResult& verdict, Timestamp now);

// Whether the line's correction waits on the unit's answer, or on a reviewer.
bool correction_awaits_answer(const BudgetLine& line);
bool correction_awaits_review(const BudgetLine& line);

// Whether the line's correction was accepted.
bool correction_accepted(const BudgetLine& line);

// Whether an adjustment pending on the line was proposed under a red warning: recorded on it,
// or for one proposed before zbb recorded it, the line's latest verdict red.
bool proposed_under_red(const BudgetLine& line);

// When the line's wait is due, for a line whose state's own SLA is `state_due`: while it executes
// (executing or under a red warning) with a correction awaiting an answer or a review, the
// policy's correction_answer_days / correction_review_days from `now` instead (when set).
std::optional<Timestamp> correction_due(const zbb::policy::WorkflowPolicy& policy,
                                        const BudgetLine& line, Timestamp now,
                                        std::optional<Timestamp> state_due);

// Guards of the correction's steps. FAILED_PRECONDITION saying where the correction stands.
Status CorrectionAwaitsAnswer(const BudgetLine& line);
Status CorrectionAwaitsReview(const BudgetLine& line);
// A deadline (YYYY-MM-DD, checked by the line's rules) not before the day of `now`.
Status DeadlineNotPast(const std::string& deadline, Timestamp now);
// PERMISSION_DENIED for the one who answered the correction.
Status AnswererNeverReviews(const BudgetLine& line, const std::string& actor);

}  // namespace zbb::review
