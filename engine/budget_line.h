#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/clock.h"
#include "engine/money.h"
#include "zbb/v1/budget_line.pb.h"

namespace zbb {

// What a spending unit writes when it asks for money is the zbb.v1 message itself, as the
// client sends it, the store keeps it and the API shows it: one description of each field
// (README: design notes). The enums are the wire's; their UNSPECIFIED (and any number the
// proto does not define) is refused by the line's rules, except Direction's, which is "none"
// for a qualitative indicator.
using Category = zbb::v1::Category;
// The national performance-indicator framework: level 1 and level 2 categories.
using IndicatorLevel1 = zbb::v1::IndicatorLevel1;
using IndicatorLevel2 = zbb::v1::IndicatorLevel2;
// How an actual value is judged against the target: at least, at most, or exactly.
using Direction = zbb::v1::Direction;
// Classic ZBB decision packages: the minimum level, the increment to the current level, and an
// enhancement, each ranked and funded on its own, in this order within a line.
using IncrementLevel = zbb::v1::IncrementLevel;
using CostItem = zbb::v1::CostItem;
using Indicator = zbb::v1::Indicator;
using Increment = zbb::v1::Increment;
// The indicators of one decision package, as a restatement of targets names them.
using PackageTargets = zbb::v1::PackageTargets;
using LineContent = zbb::v1::LineContent;

// A checkpoint's verdict; UNSPECIFIED is a line not yet judged (named "none").
using WarningLevel = zbb::v1::WarningLevel;

// A decision of one level of an approval chain: approve, reject, or return for revision.
using Decision = zbb::v1::Decision;

// What an adjustment changes: money down or up, an indicator's target, or money moved to
// another line; and where its chain stands. UNSPECIFIED is refused.
using AdjustmentKind = zbb::v1::AdjustmentKind;
using AdjustmentOutcome = zbb::v1::AdjustmentOutcome;

// One decision of one level of an approval chain (of the line or of an adjustment): who
// decided, what, the amount it granted, and when.
using ApprovalRecord = zbb::v1::ApprovalRecord;

// A reviewer's score of one ranking criterion of the policy, 0..100.
using CriterionScore = zbb::v1::CriterionScore;
// A reviewer's priority scoring of a line: per criterion, and weighted by the policy
// (score_hundredths, 0..10000).
using PriorityScore = zbb::v1::PriorityScore;

// Result use: the programme's latest evaluation available and last year's monitoring verdict, as
// the workflow last read them for this request, and what the policy makes of them (points, a
// cut and its `ceiling`, a rectification report).
using PriorResult = zbb::v1::PriorResult;
// A part of a request's justification close to the same part of another line (copied
// justifications), as the latest submission found it.
using CopiedText = zbb::v1::CopiedText;
// Money another line's approved reallocation will bring, awaiting its decision.
using IncomingReallocation = zbb::v1::IncomingReallocation;
// Where a ranking placed the line, as recorded when it funded it.
using RankingPlacement = zbb::v1::RankingPlacement;

// A monitoring checkpoint's verdict with the numbers behind it (basis points).
using MonitoringResult = zbb::v1::MonitoringResult;

// A proposed change of a line's money or target, with its chain's decisions (reduce and
// increase use amount, revise_target indicator and new_target, reallocate amount and
// target_line).
using Adjustment = zbb::v1::Adjustment;

// The year-end evaluation: points per part in tenths, total out of 1000 tenths.
using Evaluation = zbb::v1::Evaluation;
// A qualitative indicator's grade in a band of the policy.
using QualitativeGrade = zbb::v1::QualitativeGrade;

// A budget line and everything zero-based review has decided about it so far: the zbb.v1
// message itself, as the store keeps it (protobuf binary) and GetLine answers with it.
using BudgetLine = zbb::v1::BudgetLine;

// Times as the messages hold them (google.protobuf.Timestamp) and as the engine counts them
// (milliseconds since the epoch: a message's sub-millisecond part is dropped).
google::protobuf::Timestamp to_proto(Timestamp at);
Timestamp from_proto(const google::protobuf::Timestamp& at);

// The SLA of the line's current state visit: when it is due to have moved on; none in a
// terminal state.
std::optional<Timestamp> due_at(const BudgetLine& line);
void set_due_at(BudgetLine& line, std::optional<Timestamp> due);

// Names as they appear in payloads, tables and the API ("department_overall").
std::string_view to_string(Category v);
std::string_view to_string(IndicatorLevel1 v);
std::string_view to_string(IndicatorLevel2 v);
std::string_view to_string(Direction v);
std::string_view to_string(WarningLevel v);
std::string_view to_string(Decision v);
std::string_view to_string(AdjustmentKind v);
std::string_view to_string(AdjustmentOutcome v);
std::string_view to_string(IncrementLevel v);

// The inverse; nullopt for a name that is not one of the enum's.
template <typename Enum>
std::optional<Enum> parse_enum(std::string_view name);

}  // namespace zbb
