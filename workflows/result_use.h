#pragma once

#include <optional>

#include "engine/budget_line.h"
#include "engine/store.h"
#include "workflows/policy.pb.h"

// Result use: the programme's record — its latest evaluation available and last year's latest
// monitoring verdict — follows it into this year's request (README: result use).
namespace zbb::review {

// The same programme's lines (of the same department: a programme belongs to its department) in
// the fiscal year `years_back` before `content`'s: what result use and the copy rule read.
LineFilter programme_lines_of_year_before(const LineContent& content, int years_back = 1);

// The programme's record as it stands, and what `policy` makes of it for `content`'s request:
// the evaluation of the latest closed line of the programme in N−1, else in N−2, and the latest
// checkpoint verdict of its lines in N−1. nullopt when there is neither.
Result<std::optional<PriorResult>> prior_result(const LineContent& content, Store& store,
                                                const zbb::policy::WorkflowPolicy& policy);

// Whether two reads of the record weigh the same in funding: the same evaluation, and the same
// points, cut and rectification made of it (a newer monitoring verdict alone changes nothing).
bool same_consequences(const std::optional<PriorResult>& a, const std::optional<PriorResult>& b);

// "the poor grade of line JT-2026 (2026)", or "no evaluation", for messages.
std::string describe_evaluation(const std::optional<PriorResult>& prior);

// The score of the policy's history criterion for a line with this record.
std::uint32_t history_points(const BudgetLine& line, const zbb::policy::ResultUse& use);

// The line is funded on the record it was scored with: an evaluation closed since, which changes
// what the record weighs, has the line scored again first. `now`: the record as it stands.
// Funding nothing (leaving the line unfunded) needs no current record.
Status ScoredOnCurrentRecord(const BudgetLine& line, const std::optional<PriorResult>& now,
                             Fen amount);

// A request the grade cuts is funded at most up to its ceiling.
Status FundedWithinCeiling(const BudgetLine& line, Fen amount);

// A grade that asks for a rectification report: the report on that evaluation was accepted
// before the line is funded (funding nothing needs none).
Status RectifiedBeforeFunding(const BudgetLine& line, Fen amount);

// The programme's record asks this line for a rectification report not yet accepted.
Status RectificationAsked(const BudgetLine& line);

// A report answering the evaluation the record names awaits the reviewer's decision.
Status RectificationAwaitsReview(const BudgetLine& line);

// Whether the line waits for a rectification report to be accepted before it may be funded.
bool awaits_rectification(const BudgetLine& line);

}  // namespace zbb::review
