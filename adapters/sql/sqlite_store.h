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

// The Store on an embedded SQLite database through SOCI: an append-only event log, a
// projection of each line and the recorded request ids.
// Writes come as groups from the engine's group commit (engine/group_commit.h): each group one
// IMMEDIATE transaction and one fsync, a batch that fails undone alone. Reads of a database file
// use a second connection, so they go on while the writer syncs (WAL); ":memory:" has one
// connection for both. Thread-safe. Several processes may share a file; writers queue for up to
// five seconds (then UNAVAILABLE).
class SqliteStore final : public Store {
 public:
  // Opens (creating if need be) the database at `path`, a file or ":memory:", and brings its
  // schema to the version this code knows, converting the reports of an older one with
  // `upgrade_report` (schema.h). FAILED_PRECONDITION for a database written by a newer zbb;
  // INTERNAL or UNAVAILABLE when SQLite cannot open or set it up.
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path,
                                                   const ReportBodyUpgrade& upgrade_report = {});

  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  Result<StoredLine> load_line(const std::string& line_id) override;
  Result<std::int64_t> line_version(const std::string& line_id) override;
  Result<std::optional<StoredRequest>> find_request(const std::string& request_id) override;
  // One IMMEDIATE transaction for the group (CommitLog).
  std::vector<BatchAnswer> write_group(const std::vector<GroupEntry>& group) override;
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

  SqliteStore(std::unique_ptr<Connection> writer, std::unique_ptr<Connection> reader);

  // Runs `body` on the read connection (the writer's for ":memory:"), holding its mutex.
  template <typename T, typename Body>
  Result<T> read(std::string_view operation, Body&& body);

  // A SOCI session is not safe to share: each connection has its mutex.
  std::mutex write_mutex_;
  std::unique_ptr<Connection> writer_;
  std::mutex read_mutex_;
  std::unique_ptr<Connection> reader_;  // null: reads use the writer
};

}  // namespace zbb::sql
