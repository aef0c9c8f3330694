#pragma once

// The correction loop (整改; the seeds' 问题清单和整改跟踪机制): a yellow or red monitoring verdict
// opens a correction on the line, the unit answers it with measures and a deadline, a reviewer
// accepts or returns the answer. A red line leaves its warning by an approved adjustment, or by
// an accepted correction and a re-check that is not red.

#include <chrono>
#include <optional>
#include <string>

#include "engine/budget_line.h"
#include "engine/clock.h"
#include "engine/money.h"
#include "engine/status.h"
#include "workflows/policy.pb.h"

namespace zbb::review {

// Takes a verdict into the line's correction. Green changes nothing. Yellow or red opens a new
// correction when none is open (none yet, or the last accepted); while one is open, it is raised
// to the later verdict (level, date, reasons) and keeps where it stands — but a yellow one
// answered goes back to the unit when the verdict is red. True when the line then waits anew on
// the unit's answer. A red verdict forgets a passed re-check.
bool take_verdict(BudgetLine& line, const MonitoringResult& verdict, Timestamp now);

// A line under a red warning stored before zbb kept corrections has none: opened from its red
// verdict, so that it can enter the loop. True when one was opened.
bool open_for_red_line(BudgetLine& line, Timestamp now);

// Whether the line's correction waits on the unit's answer, or on a reviewer.
bool correction_awaits_answer(const BudgetLine& line);
bool correction_awaits_review(const BudgetLine& line);

// Whether the line's correction was accepted.
bool correction_accepted(const BudgetLine& line);

// Whether the line's correction was accepted and a re-check since its red verdict was not red:
// together they lift a red warning.
bool accepted_and_rechecked(const BudgetLine& line);

// Lifts the red warning by the accepted correction's passed re-check: it becomes the line's
// verdict, and a yellow one opens the next correction. True when that correction was opened.
bool lift_by_recheck(BudgetLine& line, Timestamp now);

// Whether an adjustment pending on the line was proposed under a red warning: recorded on it,
// or for one proposed before zbb recorded it, the line's latest verdict red.
bool proposed_under_red(const BudgetLine& line);

// When the line's wait is due, for a line whose state's own SLA is `state_due`: while it executes
// (executing or under a red warning) with a correction awaiting an answer or a review, the
// policy's correction_answer_days / correction_review_days counted from when the correction
// began to wait on that step (when set).
std::optional<Timestamp> correction_due(const zbb::policy::WorkflowPolicy& policy,
                                        const BudgetLine& line, std::optional<Timestamp> state_due);

// Spending on a line with a cut or reallocation pending stays within what would remain once it
// is approved, so that the last approver can still apply it. FAILED_PRECONDITION otherwise.
Status SpendingKeepsPendingCut(const BudgetLine& line, Fen amount);

// A checkpoint as of a day before the line's latest verdict (or kept re-check) would replace a
// later judgement with an earlier one: FAILED_PRECONDITION.
Status NotBeforeLatestVerdict(const BudgetLine& line, std::chrono::year_month_day as_of);

// Guards of the correction's steps. FAILED_PRECONDITION saying where the correction stands.
Status CorrectionAwaitsAnswer(const BudgetLine& line);
Status CorrectionAwaitsReview(const BudgetLine& line);
// A deadline (YYYY-MM-DD, checked by the line's rules) not before the day of `now`.
Status DeadlineNotPast(const std::string& deadline, Timestamp now);
// PERMISSION_DENIED for anyone who answered the correction.
Status AnswererNeverReviews(const BudgetLine& line, const std::string& actor);

}  // namespace zbb::review
