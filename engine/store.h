#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/budget_line.h"
#include "engine/commands.h"
#include "engine/commit_log.h"
#include "engine/programme.h"
#include "engine/recorded_event.h"
#include "engine/status.h"
#include "engine/supervision.h"

namespace zbb {

// Which lines a listing returns; an empty or unset criterion matches every line.
struct LineFilter {
  std::optional<int> fiscal_year;
  std::string department;
  std::string programme_code;
  std::string state;
  std::optional<Category> category;
  std::vector<std::string> waiting_on;  // any of these roles
};

// A line as it stood at a time (LineLog::lines_as_of).
struct LineAsOf {
  std::string line_id;
  // Its version then; nullopt when no version of it is kept that old.
  std::optional<BudgetLine> line;
  // With no version kept that old: whether the line existed then nonetheless, its versions
  // before the store kept every version unknown (its oldest kept one is not its first).
  bool unknown_then = false;
};

// Whether `line` is one a listing by `filter` finds.
bool matches(const LineFilter& filter, const BudgetLine& line);

// Which reports a listing returns; an empty or unset criterion matches every report.
struct ReportFilter {
  std::optional<int> fiscal_year = std::nullopt;
  // exact: "" matches every department, not only reports spanning them
  std::string department = {};
  std::string kind = {};
};

// Where a report listing continues: after this report in (at, id) order.
struct ReportCursor {
  Timestamp at;
  std::string id;
};

// One change of a pool's balance, as recorded in the same transaction as the change.
struct PoolMovement {
  std::int64_t sequence = 0;  // global, increasing: the order movements happened in
  Fen delta = 0;
  Fen balance_after = 0;
  Timestamp at;
  std::string line_id;     // empty for a ranking or an opening balance
  std::string reason;      // PoolChange::reason
  std::string request_id;  // the request key ("actor|request id") of the command
  std::string report_id;   // PoolChange::report_id
};

// A department's pool of a fiscal year: its balance and the movements that led to it.
struct Pool {
  Fen balance = 0;
  std::vector<PoolMovement> movements;  // oldest first; the newest ones when cut
  bool movements_cut = false;           // older movements exist beyond those returned
};

// A line as stored, with the hash of its last event so the next event can chain to it. A line
// once stored does not change: the cache, the plans and the commits of later commands share it
// rather than copy it (a line with its content and approvals is many small allocations).
struct StoredLine {
  std::shared_ptr<const BudgetLine> line;
  std::string last_hash;
};

// The first outcome of a request id, kept so that a retry returns it unchanged.
struct StoredRequest {
  // Of the command, to tell a retry from a reused id; empty for a request recorded before
  // schema version 8, whose fingerprint was taken otherwise (any retry gets its outcome).
  std::string fingerprint;
  CommandOutcome outcome;
};

// One line written by a commit.
struct LineWrite {
  std::shared_ptr<const BudgetLine> line;  // the new projection; its version is the new one
  std::int64_t previous_version = 0;       // the version the change was computed from; 0 = new line
  std::string last_hash;
  // The line as stored at previous_version, when the engine has it: lets a store leave alone
  // the indexes of columns the change did not touch.
  std::shared_ptr<const BudgetLine> previous = nullptr;
  // The line's document (proto_codec.h), made on the caller's thread: one writer thread
  // commits for every client, so whatever it does per batch bounds the whole server.
  std::string document = {};
};

// Everything one command writes, committed in one transaction or not at all.
struct CommitBatch {
  std::string request_id;
  std::string fingerprint;
  Timestamp at;
  std::vector<LineWrite> lines;
  std::vector<RecordedEvent> events;  // sequence left 0: the store assigns it
  std::vector<Report> reports;
  std::vector<PoolChange> pool_changes;  // FAILED_PRECONDITION if a pool would go below zero
  // The project library's: programmes and their events (line_id naming the programme's code),
  // chained per programme in a log of their own.
  std::vector<ProgrammeWrite> programmes = {};
  std::vector<RecordedEvent> programme_events = {};
  CommandOutcome outcome;  // last_sequence left 0: the store fills it in
};

// The durable home of lines, their event log, the request ids, the supervision indexes, pools
// and reports: one interface per job, read by the engine and the services; everything is written
// through the CommitLog (commit_log.h), in the group commit's transactions.
// Implementations must be safe to call from several threads.

// Lines and their event log.
class LineLog {
 public:
  virtual ~LineLog() = default;

  // NOT_FOUND when no line has this id.
  virtual Result<StoredLine> load_line(const std::string& line_id) = 0;

  // The stored version of a line, without reading the line: tells whether a copy held in
  // memory is still current. NOT_FOUND when no line has this id.
  virtual Result<std::int64_t> line_version(const std::string& line_id) = 0;

  // Lines matching `filter` with an id greater than `after_id`, ordered by id, at most `limit`.
  virtual Result<std::vector<BudgetLine>> list_lines(const LineFilter& filter,
                                                     const std::string& after_id,
                                                     std::size_t limit) = 0;

  // The events of one line, oldest first. NOT_FOUND when the line does not exist.
  virtual Result<std::vector<RecordedEvent>> line_history(const std::string& line_id) = 0;

  // Events with a global sequence greater than `after`, in order, at most `limit`.
  virtual Result<std::vector<RecordedEvent>> events_after(std::int64_t after,
                                                          std::size_t limit) = 0;

  // The line as the last command at or before `at` left it; nullopt when the store keeps no
  // version of it that old (the line did not exist yet, or it was written before the store
  // kept every version).
  virtual Result<std::optional<BudgetLine>> line_as_of(const std::string& line_id,
                                                       Timestamp at) = 0;

  // A page of the lines of `filter`'s fiscal year and department (its other criteria are not
  // used) with an id greater than `after_id`, by id, at most `limit`, each as it stood at `at`.
  // Each line is one indexed lookup and at most one document: a caller pages through, never
  // holding more than a page.
  virtual Result<std::vector<LineAsOf>> lines_as_of(Timestamp at, const LineFilter& filter,
                                                    const std::string& after_id,
                                                    std::size_t limit) = 0;
};

// The first outcome of each client request id.
class RequestLog {
 public:
  virtual ~RequestLog() = default;
  virtual Result<std::optional<StoredRequest>> find_request(const std::string& request_id) = 0;
};

// Departments' pools and the reports multi-line commands keep.
class PoolsAndReports {
 public:
  virtual ~PoolsAndReports() = default;

  // The unallocated money of a department's pool; 0 for a pool never used.
  virtual Result<Fen> pool_balance(int fiscal_year, const std::string& department) = 0;

  // The pool's balance and its newest `movement_limit` movements, oldest first; a pool never
  // used has balance 0 and no movements. The balance is the sum of all its movements.
  virtual Result<Pool> pool(int fiscal_year, const std::string& department,
                            std::size_t movement_limit) = 0;

  // NOT_FOUND when no report has this id.
  virtual Result<Report> find_report(const std::string& report_id) = 0;

  // Reports matching `filter` after `after` (from the first when unset), ordered by time and
  // then id, at most `limit`.
  virtual Result<std::vector<ReportSummary>> list_reports(const ReportFilter& filter,
                                                          const std::optional<ReportCursor>& after,
                                                          std::size_t limit) = 0;
};

// Supervision (engine/supervision.h), answered from indexes, never by reading every line.
class SupervisionIndex {
 public:
  virtual ~SupervisionIndex() = default;

  // Stuck lines, most overdue first (oldest first for an age query), at most `query.limit`.
  virtual Result<std::vector<StuckLine>> find_stuck(const StuckQuery& query) = 0;

  // One group per key with at least one line, ordered by key.
  virtual Result<std::vector<SummaryGroup>> summarize(const SummaryQuery& query) = 0;

  // How many lines are past their due time at `now` (as find_stuck finds them), per state, by
  // state; states with none left out.
  virtual Result<std::vector<std::pair<std::string, std::int64_t>>> count_stuck(Timestamp now) = 0;

  // Lines due at or before `now` and not yet escalated in their state visit, earliest due
  // first, at most `limit`.
  virtual Result<std::vector<DueLine>> lines_due(Timestamp now, std::size_t limit) = 0;

  // The earliest due time of a line not yet escalated in its state visit; nullopt when none.
  virtual Result<std::optional<Timestamp>> next_due() = 0;
};

// The project library: programmes and the log of their events.
class ProgrammeLog {
 public:
  virtual ~ProgrammeLog() = default;

  // NOT_FOUND when no programme has this code.
  virtual Result<StoredProgramme> load_programme(const std::string& code) = 0;

  // Programmes matching `filter` with a code greater than `after_code`, ordered by code, at
  // most `limit`.
  virtual Result<std::vector<Programme>> list_programmes(const ProgrammeFilter& filter,
                                                         const std::string& after_code,
                                                         std::size_t limit) = 0;

  // The events of one programme, oldest first, each naming the programme's code as its line_id
  // and its sequence in the library's own log. NOT_FOUND when the programme does not exist.
  virtual Result<std::vector<RecordedEvent>> programme_history(const std::string& code) = 0;

  // Programme events with a sequence of the library's log greater than `after`, in order, at
  // most `limit`.
  virtual Result<std::vector<RecordedEvent>> programme_events_after(std::int64_t after,
                                                                    std::size_t limit) = 0;

  // How many times a programme of `department` has been written: 0 before the first. A
  // decision that compared the department's programmes carries it (ProgrammeChange), and the
  // commit refuses it if it moved.
  virtual Result<std::int64_t> library_revision(const std::string& department) = 0;
};

// Everything a store does; a second implementation (another database) writes its SQL for each.
class Store : public LineLog,
              public RequestLog,
              public PoolsAndReports,
              public SupervisionIndex,
              public ProgrammeLog,
              public CommitLog {};

// Every line matching `filter`, ordered by id, read a page at a time.
Result<std::vector<BudgetLine>> list_all_lines(Store& store, const LineFilter& filter);

}  // namespace zbb
