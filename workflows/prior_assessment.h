#pragma once

#include <array>
#include <string>
#include <string_view>

#include "engine/commands.h"
#include "engine/store.h"
#include "workflows/policy.pb.h"

// Prior performance assessment (事前绩效评估): the requests the policy selects are assessed, with a
// positive verdict, before they leave justification (README: prior assessment).
namespace zbb::review {

// The parts an assessment concludes on, each exactly once.
inline constexpr std::array<std::string_view, 4> kAssessmentParts = {
    "necessity", "feasibility", "cost_reasonableness", "funding_compliance"};

// Every line of the programme (its code within its department), of any fiscal year.
LineFilter programme_lines_of_every_year(const LineContent& content);

// Whether a line ran its programme: it was approved and executed (or is being evaluated).
bool ran(const BudgetLine& line);

// Why `line`, being submitted, needs an assessment under `rule`; empty when it needs none. A new
// programme is one no line of which ran in an earlier fiscal year.
Result<std::string> assessment_due(const BudgetLine& line, Store& store,
                                   const zbb::policy::PriorAssessment& rule);

// Whether deciding if `content` needs an assessment reads the programme's lines: its request lies
// between the two thresholds.
bool may_need_assessment(const LineContent& content, const zbb::policy::PriorAssessment& rule);

// An assessment is recorded only on a line the policy selects for one.
Status AssessmentDue(const BudgetLine& line);

// A line that needs an assessment has one approving it before its targets are accepted.
Status AssessedBeforeRanking(const BudgetLine& line);

// The parts of an assessment: each once; an approval with every part passed. (line_rules.cpp
// checks the texts.)
Status check_assessment(const RecordAssessment& assessment);

}  // namespace zbb::review
