#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/sql/schema.h"
#include "engine/store.h"

namespace zbb::sql {

// The Store through SOCI, on an embedded SQLite database (the default) or on PostgreSQL: an
// append-only event log, a projection of each line and the recorded request ids. One SQL text
// serves both wherever they agree (backend.h says where they do not).
// Writes come as groups from the engine's group commit (engine/group_commit.h): each group one
// transaction and one durable commit, a batch that fails undone alone. Reads use a second
// connection, so they go on while the writer syncs; SQLite's ":memory:" has one connection for
// both. Thread-safe.
// Several processes may share the database. On SQLite, writers queue for up to five seconds
// (then UNAVAILABLE). On PostgreSQL, every group takes the commit-order lock
// (postgresql_schema.h) after BEGIN: groups of all servers commit one after another, so a
// request id is recorded once and the global sequences become visible in the order taken. A
// connection PostgreSQL lost is opened again at the next call.
class SqlStore final : public Store {
 public:
  // Opens the database `database` names and brings its schema to the version this code knows.
  // PostgreSQL: a URL (postgresql://user@host:port/dbname?…) or a libpq connection string
  // ("host=… dbname=…"); the schema is created on an empty database. SQLite otherwise: a file,
  // created if need be, or ":memory:"; an older schema is upgraded, its reports converted with
  // `upgrade_report` (schema.h). FAILED_PRECONDITION for a database written by a newer zbb;
  // INTERNAL or UNAVAILABLE when the database cannot be opened or set up.
  static Result<std::unique_ptr<SqlStore>> open(const std::string& database,
                                                const ReportBodyUpgrade& upgrade_report = {});

  // Whether `database` names a PostgreSQL database rather than a SQLite file.
  static bool names_postgresql(const std::string& database);
  // `database` as messages and logs may show it: a password it holds replaced by "…".
  static std::string printable(const std::string& database);

  ~SqlStore() override;
  SqlStore(const SqlStore&) = delete;
  SqlStore& operator=(const SqlStore&) = delete;

  Result<StoredLine> load_line(const std::string& line_id) override;
  Result<std::int64_t> line_version(const std::string& line_id) override;
  Result<std::optional<StoredRequest>> find_request(const std::string& request_id) override;
  // One IMMEDIATE transaction for the group (CommitLog).
  std::vector<BatchAnswer> write_group(const std::vector<GroupEntry>& group) override;
  // On PostgreSQL, while other servers' groups hold the commit-order lock: waits for it here.
  bool before_group() override;
  Result<std::vector<RecordedEvent>> line_history(const std::string& line_id) override;
  Result<std::vector<RecordedEvent>> events_after(std::int64_t after, std::size_t limit) override;
  Result<Report> find_report(const std::string& report_id) override;
  Result<Fen> pool_balance(int fiscal_year, const std::string& department) override;
  Result<Pool> pool(int fiscal_year, const std::string& department,
                    std::size_t movement_limit) override;
  Result<std::vector<ReportSummary>> list_reports(const ReportFilter& filter,
                                                  const std::optional<ReportCursor>& after,
                                                  std::size_t limit) override;
  Result<std::vector<BudgetLine>> list_lines(const LineFilter& filter, const std::string& after_id,
                                             std::size_t limit) override;

  Result<StoredProgramme> load_programme(const std::string& code) override;
  Result<std::vector<Programme>> list_programmes(const ProgrammeFilter& filter,
                                                 const std::string& after_code,
                                                 std::size_t limit) override;
  Result<std::vector<RecordedEvent>> programme_history(const std::string& code) override;
  Result<std::vector<RecordedEvent>> programme_events_after(std::int64_t after,
                                                            std::size_t limit) override;
  Result<std::int64_t> library_revision(const std::string& department) override;

  Result<std::vector<StuckLine>> find_stuck(const StuckQuery& query) override;
  Result<std::vector<SummaryGroup>> summarize(const SummaryQuery& query) override;
  Result<std::optional<BudgetLine>> line_as_of(const std::string& line_id, Timestamp at) override;
  Result<std::vector<LineAsOf>> lines_as_of(Timestamp at, const LineFilter& filter,
                                            const std::string& after_id,
                                            std::size_t limit) override;
  Result<std::vector<std::pair<std::string, std::int64_t>>> count_stuck(Timestamp now) override;
  Result<std::vector<DueLine>> lines_due(Timestamp now, std::size_t limit) override;
  Result<std::optional<Timestamp>> next_due() override;

 private:
  // The SOCI session, its prepared statements and the buffers they are bound to; kept out of
  // this header so that includers see neither SOCI nor <sqlite3.h>.
  struct Connection;

  SqlStore(std::unique_ptr<Connection> writer, std::unique_ptr<Connection> reader,
           std::string postgresql = {});

  // PostgreSQL: replaces `connection` with a new one when the server has gone (restarted,
  // failed over, the network cut); the call that found it lost was answered UNAVAILABLE, the
  // next one runs on the new connection. Nothing when it is still up or cannot be replaced yet.
  void reconnect_if_lost(std::unique_ptr<Connection>& connection, bool read_only);

  // Runs `body` on the read connection (the writer's for ":memory:"), holding its mutex.
  template <typename T, typename Body>
  Result<T> read(std::string_view operation, Body&& body);

  // A SOCI session is not safe to share: each connection has its mutex.
  std::mutex write_mutex_;
  std::unique_ptr<Connection> writer_;
  std::mutex read_mutex_;
  std::unique_ptr<Connection> reader_;  // null: reads use the writer
  // Set once: reader_ is replaced (under read_mutex_) when its connection is lost.
  const bool reads_on_writer_;
  // The PostgreSQL database connected to, for connecting again; empty for SQLite.
  const std::string postgresql_;
};

}  // namespace zbb::sql
