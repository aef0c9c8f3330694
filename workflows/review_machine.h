#pragma once

// The zero-based review of one budget line as a Boost.Statechart machine. It is the only place
// that decides which event is allowed in which state. A machine lives for one action: it is
// restored into the line's stored state, fed the action, and read back.
//
//   draft ─submit→ justification ─accepted→ ranking ─fund→ approval ─last level→ execution
//   execution ⇄ adjustment;  execution ─begin_evaluation→ evaluation ─close→ closed
//   evaluation: self-evaluation ─submit→ (focused evaluation ─submit→) scored ─close→ closed
//   terminal: closed, withdrawn, rejected, unfunded

#include <boost/mpl/for_each.hpp>
#include <boost/mpl/list.hpp>
#include <boost/statechart/custom_reaction.hpp>
#include <boost/statechart/event.hpp>
#include <boost/statechart/simple_state.hpp>
#include <boost/statechart/state_machine.hpp>
#include <boost/type_traits/add_pointer.hpp>

#include <algorithm>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "engine/commands.h"
#include "engine/proto_codec.h"
#include "engine/status.h"
#include "engine/workflow.h"
#include "workflows/policy.pb.h"
#include "workflows/state_ids.h"

namespace zbb::review {

namespace sc = boost::statechart;
namespace mpl = boost::mpl;

// A lifecycle action delivered to the machine.
template <typename A>
struct On : sc::event<On<A>> {
  explicit On(const A& a) : action(a) {}
  const A& action;
};

// Sent first: moves the fresh machine into the line's stored state.
struct Restore : sc::event<Restore> {
  explicit Restore(std::string_view id) : state_id(id) {}
  std::string_view state_id;
};

struct Restoring;

struct ReviewMachine : sc::state_machine<ReviewMachine, Restoring> {
  ReviewMachine(BudgetLine& line, const zbb::policy::WorkflowPolicy& policy,
                const std::string& actor, Timestamp now, std::string_view action_type,
                const AddedByZbb& added)
      : line(line),
        policy(policy),
        actor(actor),
        now(now),
        action_type(action_type),
        added(added) {}

  // Called by Boost.Statechart for an event no active state reacts to.
  void unconsumed_event(const sc::event_base& event);

  // The id of the active leaf state.
  std::string_view state_id() const;
  std::vector<std::string_view> accepted_events() const;

  // Records the event of the action (or follow-up) being processed, with what was decided on it.
  template <typename A>
  void record(const A& action, const zbb::v1::EventDecided& decided = {}) {
    zbb::v1::EventPayload payload;
    if constexpr (sent_by_clients<A>())
      action_payload(action, added, &payload);
    else
      follow_up_payload(action, &payload);
    if (decided.ByteSizeLong() != 0) payload.mutable_decided()->MergeFrom(decided);
    events.push_back({std::string(event_type<A>()), line.state(), "", payload.SerializeAsString()});
  }

  // Refuses the event: the reason is kept and the event is consumed without effect.
  template <typename State>
  sc::result refuse(State& state, Status reason) {
    error = std::move(reason);
    return state.discard_event();
  }

  // The actor prepared the line (created, revised or submitted it): it may never decide on it.
  void note_preparer() {
    if (std::find(line.preparers().begin(), line.preparers().end(), actor) ==
        line.preparers().end())
      line.add_preparers(actor);
  }

  // The line waits on someone new in the same state (next approval level): its SLA restarts.
  void restart_wait() { wait_restarted = true; }

  BudgetLine& line;
  const zbb::policy::WorkflowPolicy& policy;
  const std::string& actor;
  const Timestamp now;
  const std::string_view action_type;
  const AddedByZbb& added;  // what zbb added to the action (AddedByZbb)

  Status error;
  std::vector<DecidedEvent> events;
  std::vector<FollowUpItem> follow_ups;
  std::vector<PoolChange> pool_changes;
  bool wait_restarted = false;
  // The line's correction moved to another step (opened, answered, reviewed): its own deadline
  // applies while the line executes, within the same state visit.
  bool correction_moved = false;
};

// What every leaf state tells about itself: its id and the events a client may send it (its
// own reactions and those of the states around it; not those zbb records itself).
struct LeafState {
  virtual ~LeafState() = default;
  virtual std::string_view id() const = 0;
  virtual std::vector<std::string_view> accepted() const = 0;
};

template <typename Reaction>
struct ReactionEvent;
template <typename E>
struct ReactionEvent<sc::custom_reaction<E>> {
  using type = E;
};

template <typename E>
struct ActionOf {
  using type = void;
};
template <typename A>
struct ActionOf<On<A>> {
  using type = A;
};

struct CollectActionNames {
  std::vector<std::string_view>* names;
  template <typename Reaction>
  void operator()(Reaction*) const {
    using A = typename ActionOf<typename ReactionEvent<Reaction>::type>::type;
    if constexpr (!std::is_void_v<A>) {
      if constexpr (sent_by_clients<A>()) names->push_back(event_type<A>());
    }
  }
};

template <typename State>
void collect_accepted(std::vector<std::string_view>& names) {
  mpl::for_each<typename State::reactions, boost::add_pointer<mpl::_1>>(CollectActionNames{&names});
  using Outer = typename State::context_type;
  if constexpr (!std::is_same_v<Outer, ReviewMachine>) collect_accepted<Outer>(names);
}

template <typename Self>
struct Leaf : LeafState {
  std::string_view id() const override { return Self::kId; }
  std::vector<std::string_view> accepted() const override {
    std::vector<std::string_view> names;
    collect_accepted<Self>(names);
    return names;
  }
};

// --- States, outermost first. Each lists its reactions at the top. ---

struct Nonexistent;
struct Draft;
struct Justification;
struct Submitted;
struct UnderTargetReview;
struct ReturnedForRevision;
struct Ranking;
struct AwaitingRanking;
struct Approval;
struct AwaitingDecision;
struct TargetsForTheMoney;
struct RestatingTargets;
struct ReviewingRestatedTargets;
struct Execution;
struct Executing;
struct RedWarning;
struct Adjusting;
struct AdjustmentProposed;
struct Evaluating;
struct SelfEvaluation;
struct FocusedEvaluation;
struct Scored;
struct Closed;
struct Withdrawn;
struct Rejected;
struct Unfunded;

struct Restoring : sc::simple_state<Restoring, ReviewMachine>, Leaf<Restoring> {
  static constexpr std::string_view kId = "restoring";
  using reactions = mpl::list<sc::custom_reaction<Restore>>;
  sc::result react(const Restore& restore);
};

// A line not yet created: the only thing it accepts is being created.
struct Nonexistent : sc::simple_state<Nonexistent, ReviewMachine>, Leaf<Nonexistent> {
  static constexpr std::string_view kId = "";
  using reactions = mpl::list<sc::custom_reaction<On<CreateLine>>>;
  sc::result react(const On<CreateLine>& e);
};

// A draft may already answer its programme's poor grade with a rectification report.
struct Draft : sc::simple_state<Draft, ReviewMachine>, Leaf<Draft> {
  static constexpr std::string_view kId = state::kDraft;
  using reactions =
      mpl::list<sc::custom_reaction<On<ReviseLine>>, sc::custom_reaction<On<SubmitLine>>,
                sc::custom_reaction<On<WithdrawLine>>, sc::custom_reaction<On<SubmitRectification>>,
                sc::custom_reaction<On<RecordSlaBreach>>>;
  sc::result react(const On<ReviseLine>& e);
  sc::result react(const On<SubmitLine>& e);
  sc::result react(const On<WithdrawLine>& e);
  sc::result react(const On<SubmitRectification>& e);
  sc::result react(const On<RecordSlaBreach>& e);
};

// Justification: the unit explains the need and finance reviews the targets ("two up, two
// down"). The line can be withdrawn at any point of it, and a rectification report its
// programme's grade asks for is written and reviewed alongside.
struct Justification : sc::simple_state<Justification, ReviewMachine, Submitted> {
  using reactions =
      mpl::list<sc::custom_reaction<On<WithdrawLine>>, sc::custom_reaction<On<SubmitRectification>>,
                sc::custom_reaction<On<ReviewRectification>>,
                sc::custom_reaction<On<RecordSlaBreach>>>;
  sc::result react(const On<WithdrawLine>& e);
  sc::result react(const On<SubmitRectification>& e);
  sc::result react(const On<ReviewRectification>& e);
  sc::result react(const On<RecordSlaBreach>& e);
};

// A submitted line may be assessed (事前绩效评估) before and during its target review; one the
// policy selects leaves justification only with an assessment approving it.
struct Submitted : sc::simple_state<Submitted, Justification>, Leaf<Submitted> {
  static constexpr std::string_view kId = state::kSubmitted;
  using reactions = mpl::list<sc::custom_reaction<On<StartTargetReview>>,
                              sc::custom_reaction<On<RecordAssessment>>>;
  sc::result react(const On<StartTargetReview>& e);
  sc::result react(const On<RecordAssessment>& e);
};

struct UnderTargetReview : sc::simple_state<UnderTargetReview, Justification>,
                           Leaf<UnderTargetReview> {
  static constexpr std::string_view kId = state::kUnderTargetReview;
  using reactions =
      mpl::list<sc::custom_reaction<On<ReviewTargets>>, sc::custom_reaction<On<RecordAssessment>>>;
  sc::result react(const On<ReviewTargets>& e);
  sc::result react(const On<RecordAssessment>& e);
};

struct ReturnedForRevision : sc::simple_state<ReturnedForRevision, Justification>,
                             Leaf<ReturnedForRevision> {
  static constexpr std::string_view kId = state::kReturnedForRevision;
  using reactions =
      mpl::list<sc::custom_reaction<On<ReviseLine>>, sc::custom_reaction<On<SubmitLine>>>;
  sc::result react(const On<ReviseLine>& e);
  sc::result react(const On<SubmitLine>& e);
};

// Ranking: the line waits for the priority ranking to fund it (fully, partly or not at all). A
// rectification report its programme's grade asks for must be accepted before it is funded.
struct Ranking : sc::simple_state<Ranking, ReviewMachine, AwaitingRanking> {
  using reactions =
      mpl::list<sc::custom_reaction<On<WithdrawLine>>, sc::custom_reaction<On<SubmitRectification>>,
                sc::custom_reaction<On<ReviewRectification>>,
                sc::custom_reaction<On<RecordSlaBreach>>>;
  sc::result react(const On<WithdrawLine>& e);
  sc::result react(const On<SubmitRectification>& e);
  sc::result react(const On<ReviewRectification>& e);
  sc::result react(const On<RecordSlaBreach>& e);
};

struct AwaitingRanking : sc::simple_state<AwaitingRanking, Ranking>, Leaf<AwaitingRanking> {
  static constexpr std::string_view kId = state::kAwaitingRanking;
  using reactions =
      mpl::list<sc::custom_reaction<On<ScorePriority>>, sc::custom_reaction<On<FundLine>>>;
  sc::result react(const On<ScorePriority>& e);
  sc::result react(const On<FundLine>& e);
};

// Approval: the policy's chain of levels, one at a time (line.approval_step).
struct Approval : sc::simple_state<Approval, ReviewMachine, AwaitingDecision> {
  using reactions =
      mpl::list<sc::custom_reaction<On<WithdrawLine>>, sc::custom_reaction<On<RecordSlaBreach>>>;
  sc::result react(const On<WithdrawLine>& e);
  sc::result react(const On<RecordSlaBreach>& e);
};

struct AwaitingDecision : sc::simple_state<AwaitingDecision, Approval>, Leaf<AwaitingDecision> {
  static constexpr std::string_view kId = state::kAwaitingDecision;
  using reactions = mpl::list<sc::custom_reaction<On<DecideApproval>>>;
  sc::result react(const On<DecideApproval>& e);
};

// Approved below its request: the unit restates the targets for the money approved
// (restated_targets.h), a reviewer accepts them, and only then does the line execute. Approved
// money is the line's: it is not withdrawn any more (an adjustment returns it once executing).
// Its states keep the "approval." ids: approval ends once the targets match the money.
struct TargetsForTheMoney : sc::simple_state<TargetsForTheMoney, ReviewMachine, RestatingTargets> {
  using reactions = mpl::list<sc::custom_reaction<On<RecordSlaBreach>>>;
  sc::result react(const On<RecordSlaBreach>& e);
};

struct RestatingTargets : sc::simple_state<RestatingTargets, TargetsForTheMoney>,
                          Leaf<RestatingTargets> {
  static constexpr std::string_view kId = state::kRestatingTargets;
  using reactions = mpl::list<sc::custom_reaction<On<RestateTargets>>>;
  sc::result react(const On<RestateTargets>& e);
};

struct ReviewingRestatedTargets : sc::simple_state<ReviewingRestatedTargets, TargetsForTheMoney>,
                                  Leaf<ReviewingRestatedTargets> {
  static constexpr std::string_view kId = state::kReviewingRestatedTargets;
  using reactions = mpl::list<sc::custom_reaction<On<ReviewRestatedTargets>>>;
  sc::result react(const On<ReviewRestatedTargets>& e);
};

// Execution: finance systems push spending and indicator progress; the checkpoints judge, and a
// yellow or red verdict opens a correction the unit answers and a reviewer reviews.
// An executing line can receive money another line reallocates to it.
struct Execution : sc::simple_state<Execution, ReviewMachine, Executing> {
  using reactions = mpl::list<
      sc::custom_reaction<On<RecordIndicatorProgress>>, sc::custom_reaction<On<ProposeAdjustment>>,
      sc::custom_reaction<On<ExpectReallocation>>, sc::custom_reaction<On<ReceiveReallocation>>,
      sc::custom_reaction<On<CancelReallocation>>, sc::custom_reaction<On<RecordSlaBreach>>,
      sc::custom_reaction<On<AnswerCorrection>>, sc::custom_reaction<On<ReviewCorrection>>,
      sc::custom_reaction<On<ReceiveCarryOver>>>;
  sc::result react(const On<ReceiveCarryOver>& e);
  sc::result react(const On<RecordIndicatorProgress>& e);
  sc::result react(const On<ProposeAdjustment>& e);
  sc::result react(const On<AnswerCorrection>& e);
  sc::result react(const On<ReviewCorrection>& e);
  sc::result react(const On<ExpectReallocation>& e);
  sc::result react(const On<ReceiveReallocation>& e);
  sc::result react(const On<CancelReallocation>& e);
  sc::result react(const On<RecordSlaBreach>& e);
};

struct Executing : sc::simple_state<Executing, Execution>, Leaf<Executing> {
  static constexpr std::string_view kId = state::kExecuting;
  using reactions =
      mpl::list<sc::custom_reaction<On<RecordSpending>>, sc::custom_reaction<On<RunCheckpoint>>,
                sc::custom_reaction<On<BeginEvaluation>>>;
  sc::result react(const On<RecordSpending>& e);
  sc::result react(const On<RunCheckpoint>& e);
  sc::result react(const On<BeginEvaluation>& e);
};

// A red warning stops new spending until an adjustment is approved, or the correction is
// accepted and a re-check (a checkpoint run after the red verdict) is not red.
struct RedWarning : sc::simple_state<RedWarning, Execution>, Leaf<RedWarning> {
  static constexpr std::string_view kId = state::kRedWarning;
  using reactions = mpl::list<sc::custom_reaction<On<RunCheckpoint>>>;
  sc::result react(const On<RunCheckpoint>& e);
};

// Adjustment: a proposed change of money or target, decided by the adjustment chain.
// A line with an adjustment of its own still settles the reallocations expected to reach it, and
// its correction goes on.
struct Adjusting : sc::simple_state<Adjusting, ReviewMachine, AdjustmentProposed> {
  using reactions = mpl::list<
      sc::custom_reaction<On<ReceiveReallocation>>, sc::custom_reaction<On<CancelReallocation>>,
      sc::custom_reaction<On<RecordSlaBreach>>, sc::custom_reaction<On<AnswerCorrection>>,
      sc::custom_reaction<On<ReviewCorrection>>, sc::custom_reaction<On<ReceiveCarryOver>>>;
  sc::result react(const On<ReceiveCarryOver>& e);
  sc::result react(const On<ReceiveReallocation>& e);
  sc::result react(const On<CancelReallocation>& e);
  sc::result react(const On<RecordSlaBreach>& e);
  sc::result react(const On<AnswerCorrection>& e);
  sc::result react(const On<ReviewCorrection>& e);
};

// Spending goes on while an adjustment proposed on a green or yellow line is decided; one
// proposed under a red warning keeps it stopped, and its rejection leaves the line red.
struct AdjustmentProposed : sc::simple_state<AdjustmentProposed, Adjusting>,
                            Leaf<AdjustmentProposed> {
  static constexpr std::string_view kId = state::kAdjustmentProposed;
  using reactions =
      mpl::list<sc::custom_reaction<On<DecideAdjustment>>, sc::custom_reaction<On<RecordSpending>>>;
  sc::result react(const On<DecideAdjustment>& e);
  sc::result react(const On<RecordSpending>& e);
};

// Evaluation: the unit's self-evaluation is scored and graded; a line the policy or a reviewer
// selects is evaluated again by a third party, whose evaluation replaces it; finance reviews the
// evaluation in force and closes the line.
struct Evaluating : sc::simple_state<Evaluating, ReviewMachine, SelfEvaluation> {
  using reactions = mpl::list<sc::custom_reaction<On<RecordSlaBreach>>>;
  sc::result react(const On<RecordSlaBreach>& e);
};

// The unit evaluates its year; spending is still recorded until the final accounts close.
struct SelfEvaluation : sc::simple_state<SelfEvaluation, Evaluating>, Leaf<SelfEvaluation> {
  static constexpr std::string_view kId = state::kSelfEvaluation;
  using reactions = mpl::list<sc::custom_reaction<On<SubmitSelfEvaluation>>,
                              sc::custom_reaction<On<RecordSpending>>>;
  sc::result react(const On<SubmitSelfEvaluation>& e);
  sc::result react(const On<RecordSpending>& e);
};

// Selected for focused evaluation (重点评价): the evaluator's evaluation is awaited. A payment
// booked before the final accounts close rescores the self-evaluation meanwhile.
struct FocusedEvaluation : sc::simple_state<FocusedEvaluation, Evaluating>,
                           Leaf<FocusedEvaluation> {
  static constexpr std::string_view kId = state::kFocusedEvaluation;
  using reactions = mpl::list<sc::custom_reaction<On<SubmitFocusedEvaluation>>,
                              sc::custom_reaction<On<RecordSpending>>>;
  sc::result react(const On<SubmitFocusedEvaluation>& e);
  sc::result react(const On<RecordSpending>& e);
};

// Scored, awaiting finance's review and closing; a reviewer may still pick it for focused
// evaluation before reviewing it. A payment booked before the final accounts close rescores it.
struct Scored : sc::simple_state<Scored, Evaluating>, Leaf<Scored> {
  static constexpr std::string_view kId = state::kScored;
  using reactions =
      mpl::list<sc::custom_reaction<On<CloseLine>>, sc::custom_reaction<On<RecordSpending>>,
                sc::custom_reaction<On<SelectFocusedEvaluation>>,
                sc::custom_reaction<On<ReviewEvaluation>>>;
  sc::result react(const On<CloseLine>& e);
  sc::result react(const On<RecordSpending>& e);
  sc::result react(const On<SelectFocusedEvaluation>& e);
  sc::result react(const On<ReviewEvaluation>& e);
};

// Terminal states accept nothing, not even an escalation: they have no SLA.
struct Closed : sc::simple_state<Closed, ReviewMachine>, Leaf<Closed> {
  static constexpr std::string_view kId = state::kClosed;
};
struct Withdrawn : sc::simple_state<Withdrawn, ReviewMachine>, Leaf<Withdrawn> {
  static constexpr std::string_view kId = state::kWithdrawn;
};
struct Rejected : sc::simple_state<Rejected, ReviewMachine>, Leaf<Rejected> {
  static constexpr std::string_view kId = state::kRejected;
};
struct Unfunded : sc::simple_state<Unfunded, ReviewMachine>, Leaf<Unfunded> {
  static constexpr std::string_view kId = state::kUnfunded;
};

}  // namespace zbb::review
