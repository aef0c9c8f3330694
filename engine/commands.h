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
#include "engine/programme.h"
#include "engine/report.h"
#include "zbb/v1/events.pb.h"

namespace zbb {

// The lifecycle events a client may send a line: the zbb.v1 messages themselves, as the client
// sends them and the event's payload keeps them (engine/proto_codec.h), each with the comment of
// its message in proto/zbb/v1/events.proto. Each goes by the name of its field in
// zbb.v1.LineEvent ("create", "decide", "run_checkpoint"): in the event log, in error messages
// ("accepts: submit, withdraw") and in the API.
using CreateLine = zbb::v1::CreateLine;
using ReviseLine = zbb::v1::Revise;
using SubmitLine = zbb::v1::Submit;
using StartTargetReview = zbb::v1::StartTargetReview;
using ReviewTargets = zbb::v1::ReviewTargets;
using ScorePriority = zbb::v1::ScorePriority;
// An amount > 0 funds the line, 0 leaves it unfunded; a ranking run also records where it
// placed the line (AddedByZbb::placement), a fund without placement is a decision by hand.
using FundLine = zbb::v1::Fund;
// `level` must be the level the line waits on (empty: that level). An approval without an
// amount grants all of what was funded (or granted by the level before).
using DecideApproval = zbb::v1::Decide;
using RecordSpending = zbb::v1::RecordSpending;
using RecordIndicatorProgress = zbb::v1::RecordIndicatorProgress;
// `as_of` is a date written YYYY-MM-DD (the line's rules refuse anything else).
using RunCheckpoint = zbb::v1::RunCheckpoint;
using ProposeAdjustment = zbb::v1::ProposeAdjustment;
using DecideAdjustment = zbb::v1::DecideAdjustment;
using BeginEvaluation = zbb::v1::BeginEvaluation;
using IndicatorValue = zbb::v1::IndicatorValue;
using SubmitSelfEvaluation = zbb::v1::SubmitSelfEvaluation;
using SubmitRectification = zbb::v1::SubmitRectification;
using ReviewRectification = zbb::v1::ReviewRectification;
using RecordAssessment = zbb::v1::RecordAssessment;
using RestateTargets = zbb::v1::RestateTargets;
using ReviewRestatedTargets = zbb::v1::ReviewRestatedTargets;
using AnswerCorrection = zbb::v1::AnswerCorrection;
using ReviewCorrection = zbb::v1::ReviewCorrection;
using SelectFocusedEvaluation = zbb::v1::SelectFocusedEvaluation;
using SubmitFocusedEvaluation = zbb::v1::SubmitFocusedEvaluation;
using ReviewEvaluation = zbb::v1::ReviewEvaluation;
using CloseLine = zbb::v1::Close;
using WithdrawLine = zbb::v1::Withdraw;

// What only zbb may add to a client's action, kept apart from it so that nothing a client sends
// can carry it: a ranking run places the lines it funds; the workflow finds the record of the
// line's programme (result use), what a submitted justification copies from other lines and,
// for a proposed increase, what the department's pool holds (Workflow::complete).
struct AddedByZbb {
  std::optional<PriorResult> prior = std::nullopt;  // create, revise, submit, score_priority
  std::optional<RankingPlacement> placement = std::nullopt;  // fund, by a ranking run
  std::optional<Fen> pool_balance = std::nullopt;            // propose_adjustment: an increase
  std::vector<CopiedText> copied = {};                       // submit
  std::string assessment_due = {};  // submit: why the policy asks a prior assessment, if it does
  // create, submit, when the policy requires the project library: the line's programme as the
  // library holds it (nullptr: no programme has its code).
  std::optional<std::shared_ptr<const Programme>> programme = std::nullopt;
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
// The unspent money of a closed line of the same programme, carried over (结转) to its line of the
// next fiscal year, in the same command as the closing.
using ReceiveCarryOver = zbb::v1::ReceiveCarryOver;

// What a client may send to a line.
using Action =
    std::variant<CreateLine, ReviseLine, SubmitLine, StartTargetReview, ReviewTargets,
                 ScorePriority, FundLine, DecideApproval, RecordSpending, RecordIndicatorProgress,
                 RunCheckpoint, ProposeAdjustment, DecideAdjustment, BeginEvaluation,
                 SubmitSelfEvaluation, CloseLine, WithdrawLine, SubmitRectification,
                 ReviewRectification, RecordAssessment, RestateTargets, ReviewRestatedTargets,
                 AnswerCorrection, ReviewCorrection, SelectFocusedEvaluation,
                 SubmitFocusedEvaluation, ReviewEvaluation>;

// What zbb records on a line itself: the follow-ups a change requires on other lines, and
// escalations. A type apart, so that nothing a client sends can be one.
using FollowUp = std::variant<ExpectReallocation, ReceiveReallocation, CancelReallocation,
                              RecordSlaBreach, ReceiveCarryOver>;

std::string_view action_type(const Action& action);

// The action a zbb.v1.LineEvent holds, copied as it is; nullopt when it holds none.
std::optional<Action> action_of(const zbb::v1::LineEvent& event);
std::string_view follow_up_type(const FollowUp& follow_up);

// The field of `holder` (zbb.v1.LineEvent, zbb.v1.FollowUp) whose message type is `type`;
// nullptr if none.
const google::protobuf::FieldDescriptor* field_of_type(const google::protobuf::Descriptor& holder,
                                                       const google::protobuf::Descriptor& type);

// The name an event goes by: its field's in zbb.v1.LineEvent (an action) or zbb.v1.FollowUp.
template <typename E>
std::string_view event_type() {
  static const std::string name = [] {
    const auto* field = field_of_type(*zbb::v1::LineEvent::descriptor(), *E::descriptor());
    if (field == nullptr) field = field_of_type(*zbb::v1::FollowUp::descriptor(), *E::descriptor());
    return field->name();
  }();
  return name;
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
  AddedByZbb added = {};  // set by zbb's own multi-line commands (a ranking's placement)
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
  // last_line's document as the commit stored it (line_document(), proto_codec.h), so that an
  // answer can carry the line without serializing it again; unset when last_line is.
  std::shared_ptr<const std::string> last_line_document = nullptr;

  bool operator==(const CommandOutcome& other) const {
    return items == other.items && last_sequence == other.last_sequence &&
           replayed == other.replayed;
  }
};

}  // namespace zbb
