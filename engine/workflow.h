#pragma once

#include <string>
#include <vector>

#include "engine/budget_line.h"
#include "engine/clock.h"
#include "engine/commands.h"
#include "engine/principal.h"
#include "engine/programme.h"
#include "engine/status.h"
#include "engine/store.h"

namespace zbb {

// An event the workflow decided to record; the engine stamps, numbers and chains it.
struct DecidedEvent {
  std::string type;
  std::string from_state;
  std::string to_state;
  std::string payload;  // a zbb.v1.EventPayload, protobuf binary
};

struct LineChange {
  BudgetLine line;  // the line after the action (version not yet advanced)
  std::vector<DecidedEvent> events;
  // Follow-ups the change requires on other lines, applied in the same command (all or
  // nothing), e.g. the receiving half of a reallocation.
  std::vector<FollowUpItem> follow_ups = {};
  std::vector<PoolChange> pool_changes = {};
};

// The rules of a lifecycle. The engine loads, stores and numbers; the workflow alone decides
// whether an action is allowed in the line's state and what it changes.
class Workflow {
 public:
  virtual ~Workflow() = default;

  // `line` is the current line; for `create` a line with only its id set and an empty state.
  // FAILED_PRECONDITION names the state and the events it accepts when the action is not one
  // of them; INVALID_ARGUMENT names the offending field.
  virtual Result<LineChange> apply(const BudgetLine& line, const Action& action,
                                   const AddedByZbb& added, const Principal& principal,
                                   Timestamp now) const = 0;

  // The same for what zbb records itself: a follow-up of a change `principal` made to another
  // line, or an escalation. Neither admitted nor completed: the workflow made them.
  virtual Result<LineChange> record(const BudgetLine& line, const FollowUp& follow_up,
                                    const Principal& principal, Timestamp now) const = 0;

  // Whether `principal` may send `action` to `line` at all (as apply() receives them), before
  // the line's version or state is judged: NOT_FOUND for a line (or another line the action
  // names, read from `store`) it may not know of, PERMISSION_DENIED for a role that may not
  // send the event. May complete how the action names what it acts on (a decision's level).
  // Not asked for the follow-ups a change requires.
  virtual Status admit(const BudgetLine& line, Action& action, const Principal& principal,
                       Store& store) const = 0;

  // The listings of lines complete() reads for `action` on `line` (as complete() receives them).
  // A batch planned item after item lets the action wait for the commit of the items before it
  // that changed a line such a listing finds, so that it reads the lines as they leave them. The
  // default: none.
  virtual std::vector<LineFilter> reads(const BudgetLine& line, const Action& action) const {
    (void)line;
    (void)action;
    return {};
  }

  // Completes an action on `line` (as apply() receives it) with facts only the rest of the store
  // holds — other lines, pools — read from `store`, never written, before apply. The default
  // adds nothing.
  virtual Status complete(const BudgetLine& line, const Action& action, AddedByZbb& added,
                          Store& store) const {
    (void)line;
    (void)action;
    (void)added;
    (void)store;
    return Status::Ok();
  }

  // The project library's rules, as admit() for a line: whether `command.principal` may send its
  // event to the programme (`current`; nullptr for a code no programme has) at all — the shape
  // of the event, the caller's role, a code unknown (NOT_FOUND) or taken (ALREADY_EXISTS) —
  // before its version is judged. The default keeps no library: FAILED_PRECONDITION.
  virtual Status admit_programme(const Programme* current, const ProgrammeCommand& command) const {
    (void)current;
    (void)command;
    return Status::FailedPrecondition("this workflow keeps no project library");
  }

  // … and, once admitted, what the event changes: the programme's machine and the rules of its
  // step, reading other programmes from `store` when it needs to (titles alike). Errors as
  // apply()'s.
  virtual Result<ProgrammeChange> decide_programme(const Programme* current,
                                                   const ProgrammeCommand& command, Store& store,
                                                   Timestamp now) const {
    (void)current;
    (void)command;
    (void)store;
    (void)now;
    return Status::FailedPrecondition("this workflow keeps no project library");
  }
};

}  // namespace zbb
