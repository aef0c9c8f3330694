#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/store.h"

namespace zbb::sql {

// The Store on an embedded SQLite database through SOCI: an append-only event log, a
// projection of each line and the recorded request ids, each commit one IMMEDIATE transaction.
// Thread-safe: one connection, serialized by a mutex. Several processes may share a file; WAL
// lets readers go on while one writes, and writers queue for up to five seconds (then
// UNAVAILABLE).
class SqliteStore final : public Store {
 public:
  // Opens (creating if need be) the database at `path`, a file or ":memory:", and brings its
  // schema to the version this code knows. FAILED_PRECONDITION for a database written by a
  // newer zbb; INTERNAL or UNAVAILABLE when SQLite cannot open or set it up.
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path);

  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  Result<StoredLine> load_line(const std::string& line_id) override;
  Result<std::optional<StoredRequest>> find_request(const std::string& request_id) override;
  Result<std::int64_t> commit(const CommitBatch& batch) override;
  Result<std::vector<RecordedEvent>> line_history(const std::string& line_id) override;
  Result<std::vector<RecordedEvent>> events_after(std::int64_t after, std::size_t limit) override;
  Result<Report> find_report(const std::string& report_id) override;
  Result<Fen> pool_balance(int fiscal_year, const std::string& department) override;
  Result<std::vector<BudgetLine>> list_lines(const LineFilter& filter, const std::string& after_id,
                                             std::size_t limit) override;
  Result<std::vector<StuckLine>> find_stuck(const StuckQuery& query) override;
  Result<std::vector<SummaryGroup>> summarize(const SummaryQuery& query) override;
  Result<std::vector<DueLine>> lines_due(Timestamp now, std::size_t limit) override;
  Result<std::optional<Timestamp>> next_due() override;

 private:
  // The SOCI session, its prepared statements and the buffers they are bound to; kept out of
  // this header so that includers see neither SOCI nor <sqlite3.h>.
  struct Connection;

  explicit SqliteStore(std::unique_ptr<Connection> connection);

  std::mutex mutex_;  // guards connection_: a SOCI session is not safe to share
  std::unique_ptr<Connection> connection_;
};

}  // namespace zbb::sql
