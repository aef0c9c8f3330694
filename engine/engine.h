#pragma once

#include <atomic>
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
#include "engine/worker_pool.h"
#include "engine/workflow.h"

namespace zbb {

// What a programme command answers: the outcome, and the programme as the command left it (as
// it is now, for a replay).
struct ProgrammeOutcome {
  CommandOutcome outcome;
  Programme programme;
};

// Executes commands: loads the lines, lets the workflow decide, stamps and chains the events,
// and commits events, projections and the request id in one transaction.
// Thread-safe as far as the Store is: concurrent commands on one line are serialized by the
// store's version check.
class Engine {
 public:
  using Completion = std::function<void(Result<CommandOutcome>)>;

  Engine(Store& store, const Workflow& workflow, const Clock& clock)
      : store_(store),
        workflow_(workflow),
        clock_(clock),
        workers_(kWorkers),
        commits_(store, GroupCommit::kDefaultMaxGroup) {}
  // Answers the commands in flight (UNAVAILABLE for those not yet written) before it returns.
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // All items or none. A retried request id returns the first outcome (replayed = true).
  // Errors: INVALID_ARGUMENT (with the field, prefixed "items[i]." in multi-item commands),
  // FAILED_PRECONDITION, NOT_FOUND, ALREADY_EXISTS, ABORTED (an expected version the command
  // set is stale), PERMISSION_DENIED (segregation of duties), UNAVAILABLE (without expected
  // versions its lines kept changing until `still_wanted` said no: nothing written).
  // Waits for execute_async(): never call it from a Completion.
  Result<CommandOutcome> execute(const Command& command);

  // What execute() would answer, planned the same way on the lines as stored, without writing
  // anything (last_sequence 0). Its refusals are execute()'s but those only a commit finds: a
  // pool going below zero, a line changed meanwhile, a request id already used.
  Result<CommandOutcome> preview(const Command& command);

  // execute() without waiting: the command is planned on the calling thread, and `done` is
  // called once with the outcome — on this thread when the command is refused before its
  // commit, on the group commit's answering thread when it commits, on one of the engine's
  // workers when the store's answer needs another look (a retry of a request that committed,
  // a line that moved under the plan). `done` must be quick and must not wait on this engine.
  void execute_async(Command command, Completion done);

  // Commands that each stand alone (own request id, all-or-nothing each), with one outcome each
  // as if executed one after the other in this order — a command is planned on the lines as
  // the ones before it leave them — but committed together, in as few of the store's commits
  // as it takes, instead of one commit each. When a planned command does not commit (its line
  // changed on another server, its request id taken meanwhile), the ones after it are refused
  // by the store and run again one by one, in order, on the lines as stored.
  // Waits for execute_each_async(): never call it from a completion.
  std::vector<Result<CommandOutcome>> execute_each(const std::vector<Command>& commands);

  // execute_each() without waiting: `done` is called once, with one outcome per command, on
  // one of the engine's workers (on this thread only when planning itself failed).
  using EachCompletion = std::function<void(std::vector<Result<CommandOutcome>>)>;
  void execute_each_async(std::vector<Command> commands, EachCompletion done);

  // One event on one programme of the project library, written through the same group commit as
  // lines' commands, its request id recorded the same way: a retry returns the first outcome.
  // As for a line: the workflow admits it (Workflow::admit_programme: role, a code taken or
  // unknown), then the expected version is checked (ABORTED when stale), then the workflow
  // decides it (Workflow::decide_programme). The outcome's one item names the programme's code,
  // its new version and status; its last_sequence is the event's in the library's log.
  Result<ProgrammeOutcome> execute_programme(const ProgrammeCommand& command);
  // The programme as stored; NOT_FOUND when no programme has this code.
  Result<Programme> get_programme(const std::string& code);

  // REQUIRES: called before the engine serves commands; the listener outlives the engine.
  void set_commit_listener(CommitListener* listener) { listener_ = listener; }
  // Told of every group the group commit writes (its size, its time to durability); the
  // observer outlives the engine.
  void set_group_observer(GroupObserver* observer) { commits_.set_observer(observer); }
  // Commands planned and waiting for the group commit's writer.
  std::size_t commit_queue_depth() { return commits_.queue_depth(); }

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
  };

  // A command of execute_async() on its way: kept by the callbacks that carry it on.
  struct AsyncCommand {
    Command command;
    std::string fingerprint;
    Completion done;
    bool check_copies = false;  // plan on the lines as stored, not on copies in memory
  };
  // Calls the command's completion; once per command.
  static void reply(AsyncCommand& call, Result<CommandOutcome> outcome);

  // A call of execute_each_async() on its way.
  struct PlannedCommand {
    std::size_t index;  // in the call
    std::string fingerprint;
    std::shared_ptr<const Plan> plan;
  };
  struct EachRun {
    std::vector<Command> commands;
    std::vector<Result<CommandOutcome>> results;
    std::vector<PlannedCommand> planned;  // committed together, as one chain
    std::size_t end = 0;                  // commands planned here; the rest are a call after
    std::vector<std::size_t> again;       // commands to run again alone, in order
    EachCompletion done;
  };
  void plan_each(EachRun& run);
  // Whether the workflow completes `command` with listings (Workflow::reads) that find lines
  // among `planned_lines` (the lines as the commands planned before it leave them, not yet
  // stored): it must then wait for their commit.
  bool reads_planned_lines(const Command& command,
                           const std::map<std::string, StoredLine>& planned_lines);
  void settle_each(const std::shared_ptr<EachRun>& run, const std::vector<BatchAnswer>& answers);
  // Calls the call's completion with its results; once per call.
  static void reply_each(EachRun& run);
  // Runs run->again[k...] one after the other, then the commands after run->end, then answers.
  void run_again(const std::shared_ptr<EachRun>& run, std::size_t k);
  // plan_command() on the lines in memory as they are (`chained` first: the lines as the
  // commands planned before leave them), and once more on the lines as stored when that plan
  // is refused.
  // `trust_copies` false: on the lines as stored from the start.
  Result<Plan> plan_on_cache(const Command& command, const std::string& fingerprint,
                             const std::map<std::string, StoredLine>* chained, bool trust_copies);
  Result<Plan> plan_command(const Command& command, const std::string& fingerprint,
                            const std::function<Result<StoredLine>(const std::string&)>& load_line);
  // The command's outcome once the store answered its commit. `retry_on_conflict`: a line
  // changed under the plan and the command may simply run again.
  Result<CommandOutcome> finish(const Command& command, const std::string& fingerprint,
                                const Plan& plan, BatchAnswer answer, bool& retry_on_conflict);
  Result<CommandOutcome> replay(const Command& command, const std::string& fingerprint);
  // The answer to a command whose plan was refused: its first outcome when its request id was
  // used already (its lines moved on since it committed), else the refusal.
  Result<CommandOutcome> refused_or_replayed(const Command& command, const std::string& fingerprint,
                                             Status refusal);
  // Plans the command on the lines as they stand and hands it to the group commit.
  void start(std::shared_ptr<AsyncCommand> call);
  // Hands the plan to the group commit; the answer concludes the call.
  void submit(const std::shared_ptr<AsyncCommand>& call, const std::shared_ptr<const Plan>& plan);
  // On a worker: what a batch the store did not write means for its command.
  void conclude(const std::shared_ptr<AsyncCommand>& call, const Plan& plan, BatchAnswer answer);
  // The line as stored: the cached copy when the store's version says it is current (unless
  // other servers write, when the line is read at once).
  Result<StoredLine> load(const std::string& line_id);
  // Whether the next plan may take the lines in memory as they are. Yes until a copy proves
  // stale (copies_went_stale, when a plan is refused for a line another server moved on); then the
  // next kVerifiedPlans plans read their lines as stored — another server is writing these lines,
  // and a plan on a stale copy costs a refused commit and a second one, where the read costs one
  // round trip.
  bool trust_copies();
  void copies_went_stale();
  // Whether this server's memory holds a line of the refused plan at a later version than the
  // plan was made from: a command here committed it first — a race between this server's own
  // commands, which says nothing of its copies — rather than another server.
  bool moved_on_here(const Plan& plan);

  Store& store_;
  const Workflow& workflow_;
  const Clock& clock_;
  CommitListener* listener_ = nullptr;
  LineCache cache_{kCachedLines};
  std::atomic<int> plans_to_verify_{0};
  WorkerPool workers_;
  GroupCommit commits_;

  // Lines kept parsed in memory: a few thousand busy lines, a few tens of megabytes at most.
  static constexpr std::size_t kCachedLines = 4096;
  // Workers read the store and plan (again, or the next chunk of an item-by-item batch), and
  // never wait for a commit.
  static constexpr std::size_t kWorkers = 2;
  // Long enough that a stale copy now and then costs little among them; short enough that a
  // server left alone soon plans on its copies again.
  static constexpr int kVerifiedPlans = 1000;
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
