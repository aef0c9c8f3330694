#pragma once

#include <chrono>
#include <cstdint>

#include "engine/budget_line.h"
#include "workflows/policy.pb.h"

// How a line's performance is measured: indicator completion, the monitoring checkpoints and the
// year-end score. Pure functions of the line and the policy.
namespace zbb::review {

// How far an indicator's latest actual reaches its target, from 0 to 1. An indicator with no
// actual yet has reached nothing.
double completion(const Indicator& indicator);

// The day "MM-DD" (as the policy writes days of every year) of `fiscal_year`.
std::chrono::year_month_day month_day_of(int fiscal_year, const std::string& month_day);

// Whether execution (`spent` of `approved`) lags time progress by at least `points`, judged
// exactly on the money: spent·10000 ≤ approved·(time − points·100). No rounding at a threshold.
bool lags_by(WideFen spent, Fen approved, std::int64_t time_progress_bp, std::uint32_t points);

// A checkpoint as of `as_of` (on or after the policy's first checkpoint date): execution rate
// against time progress, and at the dual-monitoring checkpoint spending against the completion
// of the issued quantitative output indicators; green, yellow or red with the numbers and reasons.
MonitoringResult assess_checkpoint(const BudgetLine& line,
                                   const zbb::policy::Monitoring& monitoring,
                                   std::chrono::year_month_day as_of);

// The evaluation's score (points in tenths) and grade under the policy's weights and bands, by
// the national method: each quantitative indicator its completion, each qualitative one the
// percent of its grade in `qualitative` (one not graded is left out of its part, as evaluations
// scored before zbb graded them had it), each part its indicators' mean; the satisfaction part
// judged on the line's satisfaction indicators, or without any on the survey against the
// policy's satisfaction target. Returns the parts, the score, the grade, the survey and grades.
Evaluation score_evaluation(
    const BudgetLine& line, const zbb::policy::WorkflowPolicy& policy,
    std::int64_t satisfaction_percent,
    const google::protobuf::RepeatedPtrField<QualitativeGrade>& qualitative);

// The grade of the policy's bands a score (tenths) reaches.
std::string grade_of(const zbb::policy::WorkflowPolicy& policy, std::int64_t score_tenths);

}  // namespace zbb::review
