#pragma once

// The monitoring checkpoints of a fiscal year (policy monitoring.checkpoints, e.g. 03-31, 06-30
// and 09-30): which one a date falls under, and the time progress a line should have reached by
// a date — from its spending plan (用款计划) when it has one, else from the checkpoint's figure.

#include <chrono>
#include <cstdint>

#include "engine/budget_line.h"
#include "workflows/policy.pb.h"

namespace zbb::review {

// The checkpoint a run as of `as_of` belongs to: the latest of the policy's on or before it in
// its year; nullptr before the first.
const zbb::policy::Checkpoint* checkpoint_of(const zbb::policy::Monitoring& monitoring,
                                             std::chrono::year_month_day as_of);

// The date of the policy's first checkpoint in `fiscal_year`: no checkpoint is run before it.
std::chrono::year_month_day first_checkpoint_date(const zbb::policy::Monitoring& monitoring,
                                                  int fiscal_year);

// The date of `checkpoint` in `fiscal_year`.
std::chrono::year_month_day checkpoint_day(const zbb::policy::Checkpoint& checkpoint,
                                           int fiscal_year);

// Whether a run under `checkpoint` judges spending against indicator completion: from the
// dual-monitoring checkpoint on (双监控 at mid-year, and every later run of the year, so that no
// line executing after it escapes the question).
bool judges_completion(const zbb::policy::Monitoring& monitoring,
                       const zbb::policy::Checkpoint& checkpoint);

// Time progress as of `as_of`, in basis points (10000 = the whole year). With a spending plan:
// the share of the plan's money planned by the end of `as_of` (the months before it, and of its
// month the days gone). Without: the policy's figures, from one checkpoint's to the next in
// proportion to the days between them, after the last towards the whole year on 12-31, and
// before the first from nothing on 1 January (no round runs then; the monthly execution report
// reads it). 0 before the line's fiscal year, 10000 after it.
std::int64_t time_progress_bp(const LineContent& content, const zbb::policy::Monitoring& monitoring,
                              std::chrono::year_month_day as_of);

}  // namespace zbb::review
