#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "engine/budget_line.h"
#include "engine/principal.h"
#include "engine/report.h"
#include "zbb/v1/events.pb.h"

namespace zbb {

// The lifecycle events a line may receive. Each names itself with `kType`, the name used in
// the event log, in error messages ("accepts: submit, withdraw") and in the API.

struct CreateLine {
  static constexpr std::string_view kType = "create";
  LineContent content;
  // Filled in by the workflow from last year's line of the programme; never by a client.
  std::optional<PriorResult> prior = std::nullopt;
};

// Replaces the content of a draft or of a line returned for revision.
struct ReviseLine {
  static constexpr std::string_view kType = "revise";
  LineContent content;
};

struct SubmitLine {
  static constexpr std::string_view kType = "submit";
};

// A reviewer takes a submitted line for target review.
struct StartTargetReview {
  static constexpr std::string_view kType = "start_target_review";
};

// The reviewer accepts the targets (the line goes to ranking) or returns it for revision.
struct ReviewTargets {
  static constexpr std::string_view kType = "review_targets";
  bool accept = false;
  std::string comment;
};

// A reviewer scores a line awaiting ranking on every criterion of the policy (0..100 each).
struct ScorePriority {
  static constexpr std::string_view kType = "score_priority";
  std::vector<CriterionScore> scores;
  std::string comment;
};

// The outcome of ranking for one line: an amount > 0 funds it, 0 leaves it unfunded. A
// ranking run records where it placed the line; a fund without placement is a decision by hand.
struct FundLine {
  static constexpr std::string_view kType = "fund";
  Fen amount = 0;
  std::string comment;
  std::optional<RankingPlacement> placement = std::nullopt;
};

// One level of the approval chain decides. `level` must be the level the line waits on (empty:
// that level).
struct DecideApproval {
  static constexpr std::string_view kType = "decide";
  std::string level;
  Decision decision = zbb::v1::DECISION_APPROVE;
  // For approve: at most the amount funded (or granted by the level before); unset: all of
  // that. Nothing for reject and return.
  std::optional<Fen> amount = std::nullopt;
  std::string comment;
};

// A treasury payment (positive) or refund (negative) against the approved amount.
struct RecordSpending {
  static constexpr std::string_view kType = "record_spending";
  Fen amount = 0;
  std::string payment_ref;
  std::string comment;
};

struct RecordIndicatorProgress {
  static constexpr std::string_view kType = "record_indicator_progress";
  std::string indicator;
  double actual = 0;
};

// The Q2 "dual monitoring" checkpoint of one line, as of a date in its fiscal year.
struct RunCheckpoint {
  static constexpr std::string_view kType = "run_checkpoint";
  std::chrono::year_month_day as_of;
};

struct ProposeAdjustment {
  static constexpr std::string_view kType = "propose_adjustment";
  AdjustmentKind kind = zbb::v1::ADJUSTMENT_KIND_REDUCE;
  Fen amount = 0;         // reduce / increase / reallocate
  std::string indicator;  // revise_target
  double new_target = 0;  // revise_target
  std::string reason;
  std::string target_line = {};  // reallocate
  // For an increase: what the department's pool holds now. Filled in by the workflow from the
  // store; never by a client.
  std::optional<Fen> pool_balance = std::nullopt;
};

struct DecideAdjustment {
  static constexpr std::string_view kType = "decide_adjustment";
  std::string level;  // the level the adjustment waits on (empty: that level)
  Decision decision = zbb::v1::DECISION_APPROVE;  // approve or reject
  std::string comment;
};

// Year end: execution stops and the unit's self-evaluation is due.
struct BeginEvaluation {
  static constexpr std::string_view kType = "begin_evaluation";
};

struct IndicatorValue {
  std::string indicator;
  double actual = 0;
};

struct SubmitSelfEvaluation {
  static constexpr std::string_view kType = "submit_self_evaluation";
  std::vector<IndicatorValue> final_actuals;  // indicators not named keep their latest actual
  std::int64_t satisfaction_percent = 0;      // service-object satisfaction survey, 0..100
  std::string summary;
};

struct CloseLine {
  static constexpr std::string_view kType = "close";
  std::string comment;
};

struct WithdrawLine {
  static constexpr std::string_view kType = "withdraw";
  std::string reason;
};

// What zbb records on a line itself, never a client (FollowUp below), as the zbb.v1 messages
// its payload keeps: the three halves a reallocation writes on its receiving line, in the same
// command as the source line's event, and an escalation.
using ExpectReallocation = zbb::v1::ExpectReallocation;
using ReceiveReallocation = zbb::v1::ReceiveReallocation;
using CancelReallocation = zbb::v1::CancelReallocation;
// Escalation: the line passed the due time of its state visit without moving on. Recorded by
// zbb's own timer, never sent by a client. The timer records it with the version it read as the
// expected version, so a line that moved on meanwhile is not escalated for the old visit.
using RecordSlaBreach = zbb::v1::SlaBreached;

// What a client may send to a line.
using Action =
    std::variant<CreateLine, ReviseLine, SubmitLine, StartTargetReview, ReviewTargets,
                 ScorePriority, FundLine, DecideApproval, RecordSpending, RecordIndicatorProgress,
                 RunCheckpoint, ProposeAdjustment, DecideAdjustment, BeginEvaluation,
                 SubmitSelfEvaluation, CloseLine, WithdrawLine>;

// What zbb records on a line itself: the follow-ups a change requires on other lines, and
// escalations. A type apart, so that nothing a client sends can be one.
using FollowUp =
    std::variant<ExpectReallocation, ReceiveReallocation, CancelReallocation, RecordSlaBreach>;

std::string_view action_type(const Action& action);
std::string_view follow_up_type(const FollowUp& follow_up);

// The field of `holder` (a zbb.v1.FollowUp) whose message type is `type`; nullptr if none.
const google::protobuf::FieldDescriptor* field_of_type(const google::protobuf::Descriptor& holder,
                                                       const google::protobuf::Descriptor& type);

// The name an event goes by in the event log, in error messages ("accepts: submit, withdraw")
// and in the API: an action's kType, a follow-up's field name in zbb.v1.FollowUp.
template <typename E>
std::string_view event_type() {
  if constexpr (requires { E::kType; }) {
    return E::kType;
  } else {
    static const std::string name =
        field_of_type(*zbb::v1::FollowUp::descriptor(), *E::descriptor())->name();
    return name;
  }
}

template <typename A, typename Variant>
struct IsAlternativeOf : std::false_type {};
template <typename A, typename... Alternatives>
struct IsAlternativeOf<A, std::variant<Alternatives...>>
    : std::bool_constant<(std::is_same_v<A, Alternatives> || ...)> {};

// Whether a client may send A: one of Action's alternatives, not a FollowUp.
template <typename A>
constexpr bool sent_by_clients() {
  return IsAlternativeOf<A, Action>::value;
}

// Unallocated money of a department (empty: the whole county) in a fiscal year. A cut returns
// money to it, an increase draws from it; it never goes below zero. Each change is kept as a
// movement of the pool, with what caused it.
struct PoolChange {
  int fiscal_year = 0;
  std::string department;
  Fen delta = 0;
  std::string line_id = {};  // the line whose change moves the money; empty for a ranking
  std::string reason = {};   // e.g. "ranking unallocated", "adjustment increase"
  // The report that explains the change (a ranking's); set by the engine for a command's own
  // pool changes when the command keeps a report.
  std::string report_id = {};

  bool operator==(const PoolChange&) const = default;
};

// One event on one line. For `create`, an empty line_id asks the engine to derive one.
struct CommandItem {
  std::string line_id;
  std::optional<std::int64_t> expected_version;  // refused with ABORTED when the line moved on
  Action action;
};

// A follow-up on one line, recorded by zbb.
struct FollowUpItem {
  std::string line_id;
  std::optional<std::int64_t> expected_version;  // refused with ABORTED when the line moved on
  FollowUp follow_up;
};

// What a client asks for: one or more items, applied all-or-nothing under one request id.
struct Command {
  std::string request_id;  // a retry with the same id returns the first outcome
  // Who acts: the workflow's role rules judge its roles, segregation of duties its name.
  Principal principal;
  std::vector<CommandItem> items;
  // Money into (+) or out of (−) the departments' pools, e.g. a ranking's unallocated rest.
  std::vector<PoolChange> pool_changes = {};
  // Kept with the command's events in the same transaction (not part of what a retry must
  // repeat: derived from the items).
  std::vector<Report> reports = {};
  // Whether the command is still wanted (its caller waits, its deadline has not passed): a
  // command that finds its lines changed under it is planned again on the lines as committed
  // for as long as this says yes. Unset: for as long as it takes.
  std::function<bool()> still_wanted = {};
  // zbb's own (Principal::zbb() only), applied after the items: e.g. an escalation.
  std::vector<FollowUpItem> follow_ups = {};
};

struct LineOutcome {
  std::string line_id;
  std::int64_t version = 0;
  std::string state;

  bool operator==(const LineOutcome&) const = default;
};

struct CommandOutcome {
  std::vector<LineOutcome> items;  // one per command item and follow-up item, in order
  std::int64_t last_sequence = 0;  // global sequence of the last event written
  bool replayed = false;           // true when this is the stored outcome of an earlier try
  // The last item's line as this command committed it, for the answer; unset for a replay.
  // Not part of what is stored or compared.
  std::shared_ptr<const BudgetLine> last_line = nullptr;

  bool operator==(const CommandOutcome& other) const {
    return items == other.items && last_sequence == other.last_sequence &&
           replayed == other.replayed;
  }
};

}  // namespace zbb
