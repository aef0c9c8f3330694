#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/clock.h"
#include "engine/money.h"

namespace zbb {

enum class Category { kBasic, kProject, kDepartmentOverall };

// The national performance-indicator framework: level 1 and level 2 categories.
enum class IndicatorLevel1 { kOutput, kEffect, kSatisfaction, kCost };
enum class IndicatorLevel2 {
  kQuantity,
  kQuality,
  kTimeliness,
  kCost,
  kEconomic,
  kSocial,
  kEcological,
  kSustainability,
  kServiceObjectSatisfaction,
};

// How an actual value is judged against the target: at least, at most, or exactly.
enum class Direction { kAtLeast, kAtMost, kEqual };

enum class WarningLevel { kNone, kGreen, kYellow, kRed };

enum class Decision { kApprove, kReject, kReturn };

enum class AdjustmentKind { kReduce, kIncrease, kReviseTarget };

enum class AdjustmentOutcome { kPending, kApproved, kRejected };

struct CostItem {
  std::string name;
  std::int64_t quantity = 0;
  Fen unit_price = 0;
  Fen amount = 0;  // must equal quantity × unit_price

  bool operator==(const CostItem&) const = default;
};

struct Indicator {
  std::string name;  // unique within the line
  IndicatorLevel1 level1 = IndicatorLevel1::kOutput;
  IndicatorLevel2 level2 = IndicatorLevel2::kQuantity;
  bool quantitative = true;  // a qualitative indicator has no numeric target
  std::string unit;
  double target = 0;
  Direction direction = Direction::kAtLeast;
  std::optional<double> actual;  // latest reported value, once executing

  bool operator==(const Indicator&) const = default;
};

// What a spending unit writes when it asks for money: the request itself.
struct LineContent {
  int fiscal_year = 0;
  std::string department;
  std::string programme_code;  // stable across years; links one cycle to the next
  std::string title;
  Category category = Category::kProject;
  Fen requested_amount = 0;
  std::vector<CostItem> cost_items;
  std::string necessity_statement;
  std::vector<Indicator> indicators;

  bool operator==(const LineContent&) const = default;
};

// One decision of one level of an approval chain (of the line or of an adjustment).
struct ApprovalRecord {
  std::string level;
  std::string actor;
  Decision decision = Decision::kApprove;
  Fen amount = 0;
  std::string comment;
  Timestamp at;

  bool operator==(const ApprovalRecord&) const = default;
};

// The Q2 "dual monitoring" checkpoint with the numbers behind its verdict (basis points).
struct MonitoringResult {
  WarningLevel level = WarningLevel::kNone;
  std::string as_of;  // YYYY-MM-DD
  std::int64_t execution_rate_bp = 0;
  std::int64_t time_progress_bp = 0;
  std::int64_t indicator_completion_bp = 0;
  std::vector<std::string> reasons;

  bool operator==(const MonitoringResult&) const = default;
};

struct Adjustment {
  AdjustmentKind kind = AdjustmentKind::kReduce;
  Fen amount = 0;         // reduce / increase
  std::string indicator;  // revise target
  double new_target = 0;  // revise target
  std::string reason;
  std::string proposed_by;
  Timestamp proposed_at;
  std::vector<ApprovalRecord> decisions;
  AdjustmentOutcome outcome = AdjustmentOutcome::kPending;

  bool operator==(const Adjustment&) const = default;
};

// The year-end evaluation: points per part in tenths, total out of 1000 tenths.
struct Evaluation {
  std::int64_t satisfaction_percent = 0;
  std::string summary;
  std::string submitted_by;
  std::int64_t execution_tenths = 0;
  std::int64_t output_tenths = 0;
  std::int64_t effect_tenths = 0;
  std::int64_t satisfaction_tenths = 0;
  std::int64_t score_tenths = 0;
  std::string grade;

  bool operator==(const Evaluation&) const = default;
};

// A budget line and everything zero-based review has decided about it so far.
struct BudgetLine {
  std::string id;
  LineContent content;
  std::string state;  // the state machine's state id; empty for a line not yet created
  // The role the line waits on ("unit:<department>", "reviewer", "approver:<level>"); empty
  // in a terminal state. Decided by the workflow.
  std::string waiting_on;
  std::int64_t version = 0;  // the per-line sequence of its last event
  std::string policy_version;
  std::string created_by;
  std::string submitted_by;
  Timestamp created_at;
  Timestamp updated_at;
  Timestamp state_entered_at;

  std::string review_claimed_by;  // the reviewer who took the line for target review
  Fen funded_amount = 0;
  std::size_t approval_step = 0;  // index into the policy's approval chain
  Fen granted_amount = 0;         // granted so far by the chain: the ceiling of the next level
  Fen approved_amount = 0;        // set when the last level approves; changed by adjustments
  std::vector<ApprovalRecord> approvals;

  Fen spent_amount = 0;
  std::optional<MonitoringResult> monitoring;
  std::optional<Adjustment> pending_adjustment;
  std::vector<Adjustment> adjustments;  // decided ones, oldest first
  std::optional<Evaluation> evaluation;

  bool operator==(const BudgetLine&) const = default;
};

// Names as they appear in payloads, tables and the API ("department_overall").
std::string_view to_string(Category v);
std::string_view to_string(IndicatorLevel1 v);
std::string_view to_string(IndicatorLevel2 v);
std::string_view to_string(Direction v);
std::string_view to_string(WarningLevel v);
std::string_view to_string(Decision v);
std::string_view to_string(AdjustmentKind v);
std::string_view to_string(AdjustmentOutcome v);

// The inverse; nullopt for a name that is not one of the enum's.
template <typename Enum>
std::optional<Enum> parse_enum(std::string_view name);

}  // namespace zbb
