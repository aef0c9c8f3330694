#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/clock.h"
#include "engine/commands.h"
#include "engine/commit_listener.h"
#include "engine/group_commit.h"
#include "engine/line_cache.h"
#include "engine/status.h"
#include "engine/store.h"
#include "engine/workflow.h"

namespace zbb {

// Executes commands: loads the lines, lets the workflow decide, stamps and chains the events,
// and commits events, projections and the request id in one transaction.
// Thread-safe as far as the Store is: concurrent commands on one line are serialized by the
// store's version check.
class Engine {
 public:
  Engine(Store& store, const Workflow& workflow, const Clock& clock)
      : store_(store),
        workflow_(workflow),
        clock_(clock),
        commits_(store, GroupCommit::kDefaultMaxGroup) {}

  // All items or none. A retried request id returns the first outcome (replayed = true).
  // Errors: INVALID_ARGUMENT (with the field, prefixed "items[i]." in multi-item commands),
  // FAILED_PRECONDITION, NOT_FOUND, ALREADY_EXISTS, ABORTED (an expected version the command
  // set is stale), PERMISSION_DENIED (segregation of duties), UNAVAILABLE (without expected
  // versions its lines kept changing until `still_wanted` said no: nothing written).
  Result<CommandOutcome> execute(const Command& command);

  // Commands that each stand alone (own request id, all-or-nothing each), with one outcome each
  // as if executed one after the other in this order — a command is planned on the lines as
  // the ones before it leave them — but committed together, in as few of the store's commits
  // as it takes, instead of one commit each. When a planned command does not commit (its line
  // changed on another server, its request id taken meanwhile), the ones after it are refused
  // by the store and run again one by one, in order, on the lines as stored.
  std::vector<Result<CommandOutcome>> execute_each(const std::vector<Command>& commands);

  // REQUIRES: called before the engine serves commands; the listener outlives the engine.
  void set_commit_listener(CommitListener* listener) { listener_ = listener; }

  // The line as stored (from memory when the store's version says the copy is current);
  // NOT_FOUND when unknown.
  Result<BudgetLine> get_line(const std::string& line_id);
  // The line as a command of this engine left it at `version` (a line at a given version never
  // changes, so the copy in memory needs no check against the store); the stored line when
  // that copy is gone.
  Result<BudgetLine> line_at(const std::string& line_id, std::int64_t version);
  Result<std::vector<RecordedEvent>> history(const std::string& line_id);
  Store& store() { return store_; }
  const Clock& clock() const { return clock_; }

 private:
  // A line as a command changes it.
  struct WorkingLine {
    StoredLine stored;
    std::int64_t base_version = 0;  // version in the store when loaded; 0 for a new line
    std::shared_ptr<const BudgetLine> base = nullptr;  // the line as loaded, for the store
  };
  // What a command will write, worked out from the lines as they stand before it.
  struct Plan {
    std::shared_ptr<CommitBatch> batch = std::make_shared<CommitBatch>();
    std::map<std::string, WorkingLine> working;  // by line id
    std::vector<std::string> write_order;        // lines in the order they were first touched
    bool any_expected_version = false;
  };

  Result<CommandOutcome> execute_checked(const Command& command);
  std::vector<Result<CommandOutcome>> execute_each_checked(const std::vector<Command>& commands);
  Result<Plan> plan_command(const Command& command, const std::string& fingerprint,
                            const std::function<Result<StoredLine>(const std::string&)>& load_line);
  // The command's outcome once the store answered its commit. `retry_on_conflict`: a line
  // changed under the plan and the command may simply run again.
  Result<CommandOutcome> finish(const Command& command, const std::string& fingerprint,
                                const Plan& plan, BatchAnswer answer, bool& retry_on_conflict);
  Result<CommandOutcome> replay(const Command& command, const std::string& fingerprint);
  // The line as stored: the cached copy when the store's version says it is current.
  Result<StoredLine> load(const std::string& line_id);
  Result<CommandOutcome> execute_once(const Command& command, const std::string& fingerprint,
                                      bool& retry_on_conflict);

  Store& store_;
  const Workflow& workflow_;
  const Clock& clock_;
  CommitListener* listener_ = nullptr;
  LineCache cache_{kCachedLines};
  // Declared last: it stops (answering what is queued) before anything it calls back into.
  GroupCommit commits_;

  // Lines kept parsed in memory: a few thousand busy lines, a few tens of megabytes at most.
  static constexpr std::size_t kCachedLines = 4096;
};

// Request ids, actors and line ids: 1..128 bytes of letters, digits and - _ . : @ /.
// `reserved` bytes are kept free for a suffix the caller will add (e.g. "/17").
Status validate_id(const std::string& field, std::string_view id, std::size_t reserved = 0);

// Where a command's outcome is kept: request ids are scoped to the actor, so one client can
// neither see nor block another's ids.
std::string request_key(const Command& command);

// The id the engine gives a created line when the client names none: derived from the request
// id, so that a retry names the same line.
std::string derived_line_id(const std::string& request_id, std::size_t item_index);

}  // namespace zbb
