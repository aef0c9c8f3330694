#pragma once

// The evaluation after the year, beyond the unit's self-evaluation (财预〔2020〕10号): qualitative
// indicators graded in the policy's bands, the lines the policy selects for focused evaluation
// (重点评价) by a third party, and finance's re-review (财政复核) of the evaluation in force, each
// change with its reason and what it replaced.

#include <string>
#include <vector>

#include "engine/budget_line.h"
#include "engine/clock.h"
#include "engine/commands.h"
#include "engine/status.h"
#include "workflows/policy.pb.h"

namespace zbb::review {

using QualitativeGrades = google::protobuf::RepeatedPtrField<QualitativeGrade>;

// Every qualitative indicator issued with the line's budget graded exactly once, in a band of the
// policy, at a percent within it. INVALID_ARGUMENT on "<field>[i].indicator" (unknown, not
// qualitative, not issued, graded twice), "<field>[i].band", "<field>[i].percent", or on `field`
// naming the first indicator left ungraded.
Status check_qualitative_grades(const BudgetLine& line, const zbb::policy::WorkflowPolicy& policy,
                                const QualitativeGrades& grades, const std::string& field);

// The evaluation in force with its execution part scored again on the line's spending now (a
// payment booked before the final accounts close), unless a review set it; the other parts keep
// their points, however they were scored.
Evaluation rescored_execution(const BudgetLine& line, const zbb::policy::WorkflowPolicy& policy,
                              const Evaluation& in_force);

// Whether the line has an evaluation in force: the unit's self-evaluation submitted, or the
// focused one since (scored, in focused evaluation, or closed with it).
bool evaluation_in_force(const BudgetLine& line);

// Whether a checkpoint of the line's year gave it a red verdict. Lines judged before zbb counted
// red verdicts: their latest verdict, their correction or an adjustment proposed under red says so.
bool had_red_verdict(const BudgetLine& line);

// Why the policy selects the line for focused evaluation, when its self-evaluation is submitted;
// empty when it does not.
std::vector<std::string> focused_selection(const BudgetLine& line,
                                           const zbb::policy::FocusedSelection& rule);

// Applies finance's review to the line's evaluation in force: sets the parts (each named once,
// within the policy's points, to points other than its own), grades qualitative indicators again
// (each once, to another grade, and none of a part a review sets) and scores the parts they count
// in again, adds the score up and grades it, and appends the review with what it replaced; the
// other parts keep their points. INVALID_ARGUMENT naming the field.
Status apply_review(BudgetLine& line, const zbb::policy::WorkflowPolicy& policy,
                    const ReviewEvaluation& review, const std::string& actor, Timestamp now);

}  // namespace zbb::review
