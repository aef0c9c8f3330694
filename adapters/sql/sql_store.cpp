#include "adapters/sql/sql_store.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <regex>
#include <set>
#include <string_view>
#include <utility>

#include "adapters/sql/backend.h"
#include "adapters/sql/batch_answers.h"
#include "adapters/sql/line_listing.h"
#include "adapters/sql/line_versions.h"
#include "adapters/sql/postgresql_group_writer.h"
#include "adapters/sql/postgresql_schema.h"
#include "adapters/sql/programme_rows.h"
#include "adapters/sql/report_listing.h"
#include "adapters/sql/schema.h"
#include "adapters/sql/statements.h"
#include "adapters/sql/supervision_queries.h"
#include "engine/proto_codec.h"

namespace zbb::sql {
namespace {

// The columns of one `lines` row, as bound to the insert and update statements.
struct LineRow {
  std::string id;
  int fiscal_year = 0;
  std::string department;
  std::string programme_code;
  std::string category;
  std::string state;
  std::string waiting_on;
  long long requested_amount = 0;
  long long funded_amount = 0;
  long long approved_amount = 0;
  long long spent_amount = 0;
  long long version = 0;
  long long previous_version = 0;
  long long state_entered_ms = 0;
  long long updated_ms = 0;
  std::string last_hash;
  std::string document;
  long long due_ms = 0;
  soci::indicator due_indicator = soci::i_null;  // no SLA: a terminal state
  int sla_breached = 0;
  std::string warning;  // "" until the line is monitored
};

// The columns of one `events` row, written by the insert and read back by the queries.
struct EventRow {
  long long sequence = 0;
  std::string line_id;
  long long line_sequence = 0;
  std::string type;
  std::string from_state;
  std::string to_state;
  std::string payload;
  int payload_is_json = 0;  // read only: an event recorded before schema version 8
  std::string actor;
  long long at_ms = 0;
  std::string request_id;
  std::string prev_hash;
  std::string hash;
};

struct LineVersionRow {
  std::string line_id;
  long long version = 0;
  long long at_ms = 0;
  std::string document;
};

struct RequestRow {
  std::string request_id;
  std::string fingerprint;
  std::string outcome;
  long long at_ms = 0;
};

void fill(LineRow& row, const LineWrite& write, Backend backend) {
  const BudgetLine& line = *write.line;
  row.id = line.id();
  row.fiscal_year = line.content().fiscal_year();
  row.department = line.content().department();
  row.programme_code = line.content().programme_code();
  row.category = std::string(to_string(line.content().category()));
  row.state = line.state();
  row.waiting_on = line.waiting_on();
  row.requested_amount = line.content().requested_amount();
  row.funded_amount = line.funded_amount();
  row.approved_amount = line.approved_amount();
  row.spent_amount = line.spent_amount();
  row.version = line.version();
  row.previous_version = write.previous_version;
  row.state_entered_ms = to_millis(from_proto(line.state_entered_at()));
  row.updated_ms = to_millis(from_proto(line.updated_at()));
  row.last_hash = write.last_hash;
  row.document = blob_parameter(backend, write.document);
  row.due_ms = line.has_due_at() ? to_millis(*due_at(line)) : 0;
  row.due_indicator = line.has_due_at() ? soci::i_ok : soci::i_null;
  row.sla_breached = line.sla_breached() ? 1 : 0;
  row.warning = line.has_monitoring() ? std::string(to_string(line.monitoring().level())) : "";
}

void fill(EventRow& row, const RecordedEvent& event, Backend backend) {
  row.sequence = 0;
  row.line_id = event.line_id;
  row.line_sequence = event.line_sequence;
  row.type = event.type;
  row.from_state = event.from_state;
  row.to_state = event.to_state;
  row.payload = blob_parameter(backend, event.payload);
  row.actor = event.actor;
  row.at_ms = to_millis(event.at);
  row.request_id = event.request_id;
  row.prev_hash = event.prev_hash;
  row.hash = event.hash;
}

RecordedEvent to_event(const EventRow& row, Backend backend) {
  return RecordedEvent{
      .sequence = row.sequence,
      .line_id = row.line_id,
      .line_sequence = row.line_sequence,
      .type = row.type,
      .from_state = row.from_state,
      .to_state = row.to_state,
      .payload = blob_column(backend, row.payload),
      .payload_encoding =
          row.payload_is_json != 0 ? PayloadEncoding::kJson : PayloadEncoding::kProtobuf,
      .actor = row.actor,
      .at = from_millis(row.at_ms),
      .request_id = row.request_id,
      .prev_hash = row.prev_hash,
      .hash = row.hash,
  };
}

// Prepares `sql` once with its parameters and results bound to the given buffers; each
// execute() then reads the buffers' current values.
template <typename... Exchanges>
soci::statement prepare(soci::session& session, const char* sql, Exchanges&&... exchanges) {
  soci::statement statement(session);
  (statement.exchange(std::forward<Exchanges>(exchanges)), ...);
  statement.alloc();
  statement.prepare(sql);
  statement.define_and_bind();
  return statement;
}

// Runs a query that yields at most one row; true when it did. The statement is stepped to its
// end because a prepared SELECT left on a row keeps its read snapshot open, which would pin
// the WAL and make a later write on this connection see stale data.
bool query_one(soci::statement& statement) {
  const bool found = statement.execute(true);
  if (found) {
    while (statement.fetch()) {
    }
  }
  return found;
}

Status database_error(std::string_view operation, const soci::soci_error& error) {
  std::string message = std::string(operation) + ": " + error.what();
  if (const auto* sqlite = dynamic_cast<const soci::sqlite3_soci_error*>(&error)) {
    // Extended result codes carry the primary code in the low byte.
    const int primary = sqlite->result() & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
      return Status::Unavailable(std::move(message));
    }
  }
  if (const auto* postgresql = dynamic_cast<const soci::postgresql_soci_error*>(&error)) {
    // Connection lost (08), a serialization failure or deadlock (40), the server shutting
    // down or out of resources (57, 53): the command may simply be tried again.
    const std::string state = postgresql->sqlstate();
    if (state.starts_with("08") || state.starts_with("40") || state.starts_with("57") ||
        state.starts_with("53"))
      return Status::Unavailable(std::move(message));
  }
  if (error.get_error_category() == soci::soci_error::connection_error)
    return Status::Unavailable(std::move(message));
  return Status::Internal(std::move(message));
}

// Runs `body`, turning any exception into a Status so that nothing SOCI (or JSON) throws
// crosses the Store interface.
template <typename T, typename Body>
Result<T> guarded(std::string_view operation, Body&& body) {
  try {
    return std::forward<Body>(body)();
  } catch (const soci::soci_error& error) {
    return database_error(operation, error);
  } catch (const std::exception& error) {
    return Status::Internal(std::string(operation) + ": " + error.what());
  }
}

// Whether every column an index or trigger of `lines` keys on is the same in both lines (see
// schema.cpp; category and the amounts are not keys, the amounts only feed the totals).
bool same_indexed_columns(const BudgetLine& a, const BudgetLine& b) {
  const auto warning = [](const BudgetLine& l) {
    return l.has_monitoring() ? std::optional<WarningLevel>(l.monitoring().level()) : std::nullopt;
  };
  return a.id() == b.id() && a.content().fiscal_year() == b.content().fiscal_year() &&
         a.content().department() == b.content().department() &&
         a.content().programme_code() == b.content().programme_code() && a.state() == b.state() &&
         a.waiting_on() == b.waiting_on() &&
         from_proto(a.state_entered_at()) == from_proto(b.state_entered_at()) &&
         due_at(a) == due_at(b) && a.sla_breached() == b.sla_breached() && warning(a) == warning(b);
}

}  // namespace

struct SqlStore::Connection {
  explicit Connection(std::unique_ptr<soci::session> opened);

  Result<StoredLine> load_line(const std::string& line_id);
  Result<std::int64_t> line_version(const std::string& line_id);
  Result<std::optional<StoredRequest>> find_request(const std::string& request_id);
  // CommitLog::write_group on this connection.
  std::vector<BatchAnswer> write_group(const std::vector<GroupEntry>& group);
  // CommitLog::before_group on this connection.
  bool take_turn() { return group_writer_ && group_writer_->take_turn(); }
  Result<std::vector<RecordedEvent>> line_history(const std::string& line_id);
  Result<std::vector<RecordedEvent>> events_after(std::int64_t after, std::size_t limit);
  Result<std::vector<BudgetLine>> list_lines(const LineFilter& filter, const std::string& after_id,
                                             std::size_t limit);
  Result<Report> find_report(const std::string& report_id);
  Result<Fen> pool_balance(int fiscal_year, const std::string& department);
  Result<Pool> pool(int fiscal_year, const std::string& department, std::size_t movement_limit);
  Result<std::vector<ReportSummary>> list_reports(const ReportFilter& filter,
                                                  const std::optional<ReportCursor>& after,
                                                  std::size_t limit);

  // For the queries built per request (supervision_queries.h).
  soci::session& session() { return *session_; }

  // Whether the database is still reachable on this connection (always, for SQLite).
  bool connected();

 private:
  // Rolls back unless committed, so an early return or an exception leaves nothing written.
  class WriteTransaction {
   public:
    explicit WriteTransaction(Connection& connection) : connection_(connection) {
      connection_.begin_.execute(true);
      try {
        if (connection_.commit_order_lock_) connection_.commit_order_lock_->execute(true);
      } catch (...) {
        // Refused the lock (a timeout, a cancel): no destructor runs for a half-made object,
        // and a transaction left open would refuse every later BEGIN.
        try {
          connection_.rollback_.execute(true);
        } catch (...) {
        }
        throw;
      }
    }
    ~WriteTransaction() {
      if (committed_) return;
      try {
        connection_.rollback_.execute(true);
      } catch (...) {
        // SQLite may already have rolled back on its own (e.g. disk full); the error that
        // got us here is the one to report.
      }
    }
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;

    void commit() {
      // PostgreSQL answers COMMIT of a transaction an error ended with a rollback, not an error.
      if (!connection_.transaction_open(false))
        throw soci::soci_error("the transaction ended before its commit");
      connection_.commit_.execute(true);
      committed_ = true;
    }

   private:
    Connection& connection_;
    bool committed_ = false;
  };

  // One pass over the group. `in_savepoints`: each batch's writes in a savepoint of their own,
  // so that any failure undoes that batch alone. Without, a batch is written only once
  // check_batch() passed, and nullopt means that one failed anyway after it began writing: the
  // whole transaction is then rolled back, to be run again in savepoints. A batch after one of
  // its chain that was not written is refused unwritten.
  std::optional<std::vector<BatchAnswer>> write_group_pass(const std::vector<GroupEntry>& group,
                                                           bool in_savepoints);
  // Refuses, before anything is written, what write_batch() would refuse: a request already
  // recorded, a new line whose id is taken, a line not at the version the batch was made from.
  // nullopt: nothing to refuse.
  std::optional<BatchAnswer> check_batch(const CommitBatch& batch);
  // Writes one batch inside the open transaction: kWritten with the global sequence of its last
  // event, or why not (the caller undoes what it began).
  BatchAnswer write_batch(const CommitBatch& batch);
  std::optional<BatchAnswer> write_line(const LineWrite& write);
  // Writes the rows of the deferred line changes; false when a row was not at the version
  // expected (another process wrote it): the pass is then undone and run again in savepoints.
  bool write_deferred_lines();
  // Whether the group's transaction can go on: SQLite ends it on its own after some errors
  // (disk full, I/O); PostgreSQL refuses every statement after an error but a rollback to
  // the savepoint open (`in_savepoint`), and loses it with the connection.
  bool transaction_open(bool in_savepoint);
  Result<std::vector<RecordedEvent>> read_events(soci::statement& query);

  // Declared first so that it is destroyed last: SQLite will not close a connection that
  // still has prepared statements.
  std::unique_ptr<soci::session> session_;
  Backend backend_;

  // A line several batches of a group change (a chunk of an item-by-item batch spreads its
  // items over a few lines) is written once, as the last of them leaves it, when the group is
  // written without savepoints: the checks of the later batches read its version from here.
  struct DeferredLine {
    const LineWrite* latest;             // the group's last change of the line
    std::int64_t stored_version;         // the version of the row in the database
    const BudgetLine* stored = nullptr;  // the line at stored_version, when known
  };
  std::map<std::string, DeferredLine> deferred_;  // by line id; pointers into the group's batches
  bool defer_lines_ = false;

  // Buffers the statements below are bound to; a statement reads them on each execute().
  std::string line_key_;
  std::string request_key_;
  long long after_ = 0;
  long long limit_ = 0;
  long long found_version_ = 0;
  std::string found_document_;
  std::string found_last_hash_;
  std::string found_id_;
  std::string found_fingerprint_;
  std::string found_outcome_;
  LineRow line_;
  EventRow event_in_;
  EventRow event_out_;
  RequestRow request_;
  LineVersionRow line_version_row_;
  struct {
    std::string id;
    std::string kind;
    int fiscal_year = 0;
    std::string department;
    long long at_ms = 0;
    std::string body;
  } report_;
  struct {
    int fiscal_year = 0;
    std::string department;
    long long delta = 0;
    long long balance = 0;
  } pool_;
  // A pool movement, as written and as read back.
  struct {
    long long sequence = 0;
    long long delta = 0;
    long long balance_after = 0;
    long long at_ms = 0;
    std::string line_id;
    std::string reason;
    std::string request_id;
    std::string report_id;
    long long limit = 0;
  } movement_;
  // Parameters and columns of the report listings; see report_listing.h.
  struct {
    long long after_ms = 0;
    std::string after_id;
    int fiscal_year = 0;
    std::string department;
    std::string kind;
    long long limit = 0;
  } report_list_;
  // Parameters of the listings; see line_listing.h.
  struct {
    std::string after;
    int fiscal_year = 0;
    std::string department;
    std::string programme_code;
    std::string state;
    std::string category;
    std::string waiting_on;
    long long limit = 0;
  } list_;

  soci::statement begin_;
  // PostgreSQL: the commit-order lock every group takes after BEGIN (postgresql_schema.h), so
  // that the global sequences of concurrent servers become visible in the order taken.
  std::optional<soci::statement> commit_order_lock_;
  // PostgreSQL: writes groups of line commands in a few round trips.
  std::optional<PostgresqlGroupWriter> group_writer_;
  soci::statement commit_;
  soci::statement rollback_;
  soci::statement savepoint_;
  soci::statement release_savepoint_;
  soci::statement rollback_to_savepoint_;
  soci::statement find_request_;
  soci::statement insert_request_;
  soci::statement insert_line_;
  soci::statement update_line_;
  soci::statement update_line_unindexed_;
  soci::statement line_version_;
  soci::statement load_line_;
  soci::statement insert_event_;
  soci::statement insert_line_version_;
  soci::statement line_history_;
  soci::statement events_after_;
  // One listing statement per combination of criteria, prepared when first used.
  std::map<unsigned, soci::statement> listings_;
  soci::statement& listing(unsigned criteria);
  soci::statement insert_report_;
  soci::statement find_report_;
  soci::statement ensure_pool_;
  soci::statement change_pool_;
  soci::statement pool_balance_;
  soci::statement insert_pool_movement_;
  soci::statement pool_movements_;
  // One report listing statement per combination of criteria, prepared when first used.
  std::map<unsigned, soci::statement> report_listings_;
  soci::statement& report_listing(unsigned criteria);

  // Changes the pool and records the movement, in the batch's transaction.
  Status change_pool(const PoolChange& change, const CommitBatch& batch);
};

namespace {

// The `lines` columns shared by the insert and the update, bound by name.
template <typename... Extra>
soci::statement prepare_line_write(soci::session& session, const char* sql, LineRow& row,
                                   Extra&&... extra) {
  using soci::use;
  return prepare(session, sql, use(row.id, "id"), use(row.fiscal_year, "fiscal_year"),
                 use(row.department, "department"), use(row.programme_code, "programme_code"),
                 use(row.category, "category"), use(row.state, "state"),
                 use(row.waiting_on, "waiting_on"), use(row.requested_amount, "requested_amount"),
                 use(row.funded_amount, "funded_amount"),
                 use(row.approved_amount, "approved_amount"), use(row.spent_amount, "spent_amount"),
                 use(row.version, "version"), use(row.state_entered_ms, "state_entered_ms"),
                 use(row.updated_ms, "updated_ms"), use(row.last_hash, "last_hash"),
                 use(row.document, "document"), use(row.due_ms, row.due_indicator, "due_ms"),
                 use(row.sla_breached, "sla_breached"), use(row.warning, "warning"),
                 std::forward<Extra>(extra)...);
}

// SQLite tells the sequence of the event just inserted (get_last_insert_id); PostgreSQL
// returns it from the insert.
soci::statement prepare_event_insert(soci::session& session, Backend backend, EventRow& row) {
  using soci::use;
  const auto prepare_with = [&](const char* sql, auto&&... sequence) {
    return prepare(session, sql, use(row.line_id, "line_id"),
                   use(row.line_sequence, "line_sequence"), use(row.type, "type"),
                   use(row.from_state, "from_state"), use(row.to_state, "to_state"),
                   use(row.payload, "payload"), use(row.actor, "actor"), use(row.at_ms, "at_ms"),
                   use(row.request_id, "request_id"), use(row.prev_hash, "prev_hash"),
                   use(row.hash, "hash"), std::forward<decltype(sequence)>(sequence)...);
  };
  if (backend == Backend::kPostgresql)
    return prepare_with(statements::kInsertEventReturning, soci::into(row.sequence));
  return prepare_with(statements::kInsertEvent);
}

soci::statement prepare_event_query(soci::session& session, const char* sql, EventRow& row,
                                    auto&&... parameters) {
  using soci::into;
  return prepare(session, sql, into(row.sequence), into(row.line_id), into(row.line_sequence),
                 into(row.type), into(row.from_state), into(row.to_state), into(row.payload),
                 into(row.payload_is_json), into(row.actor), into(row.at_ms), into(row.request_id),
                 into(row.prev_hash), into(row.hash),
                 std::forward<decltype(parameters)>(parameters)...);
}

}  // namespace

SqlStore::Connection::Connection(std::unique_ptr<soci::session> opened)
    : session_(std::move(opened)),
      backend_(backend_of(*session_)),
      begin_(prepare(*session_, backend_ == Backend::kPostgresql ? statements::kBegin
                                                                 : statements::kBeginImmediate)),
      commit_(prepare(*session_, statements::kCommit)),
      rollback_(prepare(*session_, statements::kRollback)),
      savepoint_(prepare(*session_, statements::kSavepoint)),
      release_savepoint_(prepare(*session_, statements::kReleaseSavepoint)),
      rollback_to_savepoint_(prepare(*session_, statements::kRollbackToSavepoint)),
      find_request_(prepare(*session_, statements::kFindRequest,
                            soci::use(request_key_, "request_id"), soci::into(found_fingerprint_),
                            soci::into(found_outcome_))),
      insert_request_(prepare(
          *session_, statements::kInsertRequest, soci::use(request_.request_id, "request_id"),
          soci::use(request_.fingerprint, "fingerprint"), soci::use(request_.outcome, "outcome"),
          soci::use(request_.at_ms, "at_ms"))),
      insert_line_(prepare_line_write(*session_, statements::kInsertLine, line_)),
      update_line_(prepare_line_write(*session_, statements::kUpdateLine, line_,
                                      soci::use(line_.previous_version, "previous_version"))),
      update_line_unindexed_(prepare(
          *session_, statements::kUpdateLineUnindexed, soci::use(line_.category, "category"),
          soci::use(line_.requested_amount, "requested_amount"),
          soci::use(line_.funded_amount, "funded_amount"),
          soci::use(line_.approved_amount, "approved_amount"),
          soci::use(line_.spent_amount, "spent_amount"), soci::use(line_.version, "version"),
          soci::use(line_.updated_ms, "updated_ms"), soci::use(line_.last_hash, "last_hash"),
          soci::use(line_.document, "document"), soci::use(line_.id, "id"),
          soci::use(line_.previous_version, "previous_version"))),
      line_version_(prepare(*session_, statements::kLineVersion, soci::use(line_key_, "id"),
                            soci::into(found_version_))),
      load_line_(prepare(*session_, statements::kLoadLine, soci::use(line_key_, "id"),
                         soci::into(found_document_), soci::into(found_last_hash_))),
      insert_event_(prepare_event_insert(*session_, backend_, event_in_)),
      insert_line_version_(prepare(*session_, statements::kInsertLineVersion,
                                   soci::use(line_version_row_.line_id, "line_id"),
                                   soci::use(line_version_row_.version, "version"),
                                   soci::use(line_version_row_.at_ms, "at_ms"),
                                   soci::use(line_version_row_.document, "document"))),
      line_history_(prepare_event_query(*session_, statements::kLineHistory, event_out_,
                                        soci::use(line_key_, "line_id"))),
      events_after_(prepare_event_query(*session_, statements::kEventsAfter, event_out_,
                                        soci::use(after_, "after"), soci::use(limit_, "limit"))),
      insert_report_(prepare(*session_, statements::kInsertReport, soci::use(report_.id, "id"),
                             soci::use(report_.kind, "kind"),
                             soci::use(report_.fiscal_year, "fiscal_year"),
                             soci::use(report_.department, "department"),
                             soci::use(report_.at_ms, "at_ms"), soci::use(report_.body, "body"))),
      find_report_(prepare(*session_, statements::kFindReport, soci::use(report_.id, "id"),
                           soci::into(report_.kind), soci::into(report_.fiscal_year),
                           soci::into(report_.department), soci::into(report_.at_ms),
                           soci::into(report_.body))),
      ensure_pool_(prepare(*session_, statements::kEnsurePool,
                           soci::use(pool_.fiscal_year, "fiscal_year"),
                           soci::use(pool_.department, "department"))),
      change_pool_(prepare(*session_, statements::kChangePool, soci::use(pool_.delta, "delta"),
                           soci::use(pool_.fiscal_year, "fiscal_year"),
                           soci::use(pool_.department, "department"),
                           soci::use(pool_.delta, "delta_check"))),
      pool_balance_(prepare(*session_, statements::kPoolBalance,
                            soci::use(pool_.fiscal_year, "fiscal_year"),
                            soci::use(pool_.department, "department"), soci::into(pool_.balance))),
      insert_pool_movement_(prepare(
          *session_, statements::kInsertPoolMovement, soci::use(pool_.delta, "delta"),
          soci::use(movement_.at_ms, "at_ms"), soci::use(movement_.line_id, "line_id"),
          soci::use(movement_.reason, "reason"), soci::use(movement_.request_id, "request_id"),
          soci::use(movement_.report_id, "report_id"), soci::use(pool_.fiscal_year, "fiscal_year"),
          soci::use(pool_.department, "department"))),
      pool_movements_(prepare(
          *session_, statements::kPoolMovements, soci::use(pool_.fiscal_year, "fiscal_year"),
          soci::use(pool_.department, "department"), soci::use(movement_.limit, "limit"),
          soci::into(movement_.sequence), soci::into(movement_.delta),
          soci::into(movement_.balance_after), soci::into(movement_.at_ms),
          soci::into(movement_.line_id), soci::into(movement_.reason),
          soci::into(movement_.request_id), soci::into(movement_.report_id))) {
  if (backend_ == Backend::kPostgresql) {
    const std::string lock = fmt::format(
        "SELECT pg_advisory_xact_lock({}, hashtext(current_schema()))", kCommitOrderLockClass);
    // The writer's: free, taken at once (true); held by another session, waited for (false).
    const std::string lock_telling_free = fmt::format(
        "SELECT CASE WHEN pg_try_advisory_xact_lock({0}, hashtext(current_schema())) THEN true"
        " ELSE (SELECT false FROM pg_advisory_xact_lock({0}, hashtext(current_schema()))) END",
        kCommitOrderLockClass);
    commit_order_lock_.emplace(prepare(*session_, lock.c_str()));
    group_writer_.emplace(
        static_cast<soci::postgresql_session_backend*>(session_->get_backend())->conn_,
        lock_telling_free);
  }
}

Result<StoredLine> SqlStore::Connection::load_line(const std::string& line_id) {
  line_key_ = line_id;
  if (!query_one(load_line_)) return Status::NotFound("line " + line_id + " not found");
  Result<BudgetLine> line = line_from_document(blob_column(backend_, found_document_), line_id);
  if (!line.ok()) return line.status();
  return StoredLine{.line = std::make_shared<const BudgetLine>(std::move(line).value()),
                    .last_hash = found_last_hash_};
}

Result<std::int64_t> SqlStore::Connection::line_version(const std::string& line_id) {
  line_key_ = line_id;
  if (!query_one(line_version_)) return Status::NotFound("line " + line_id + " not found");
  return std::int64_t{found_version_};
}

Result<std::optional<StoredRequest>> SqlStore::Connection::find_request(
    const std::string& request_id) {
  request_key_ = request_id;
  if (!query_one(find_request_)) return std::optional<StoredRequest>();
  Result<CommandOutcome> outcome = outcome_from_document(blob_column(backend_, found_outcome_));
  if (!outcome.ok()) {
    return Status::DataLoss("request " + request_id +
                            ": stored outcome does not decode: " + outcome.status().to_string());
  }
  return std::optional<StoredRequest>(
      StoredRequest{.fingerprint = found_fingerprint_, .outcome = std::move(outcome).value()});
}

std::vector<BatchAnswer> SqlStore::Connection::write_group(const std::vector<GroupEntry>& group) {
  // A turn taken (take_turn) for a group that is not the pipeline's, or for no group at all
  // (every batch refused before it reached the store), is given up — and so is any other
  // transaction left open (it should not happen), where the group's BEGIN would be refused.
  const bool in_turn = group_writer_ && group_writer_->has_turn() && !group.empty() &&
                       PostgresqlGroupWriter::handles(group);
  if (group_writer_ && !in_turn) group_writer_->end_turn();
  if (group.empty()) return {};
  if (backend_ == Backend::kPostgresql) {
    if (group_writer_ && PostgresqlGroupWriter::handles(group)) {
      if (auto answers = group_writer_->write(group)) return std::move(*answers);
      // Unusable now: nothing was committed, and the store opens another connection.
      if (group_writer_->spoiled())
        return std::vector<BatchAnswer>(
            group.size(),
            failed(Status::Unavailable("the connection to the database was lost; retry")));
      // Refused by the database where the checks foresaw nothing (or the connection failed):
      // each batch in a savepoint, so that the one at fault is refused alone.
      return std::move(*write_group_pass(group, true));
    }
  }
  // A savepoint copies the original of every page its batch changes, so batches are written
  // without one once checked; only a batch that fails after that (which the check makes rare)
  // costs the group a second pass, in savepoints.
  if (auto answers = write_group_pass(group, false)) return std::move(*answers);
  return std::move(*write_group_pass(group, true));
}

std::optional<std::vector<BatchAnswer>> SqlStore::Connection::write_group_pass(
    const std::vector<GroupEntry>& group, bool in_savepoints) {
  std::vector<BatchAnswer> answers;
  answers.reserve(group.size());
  std::set<std::uint64_t> broken_chains;  // chains with a batch not written in this pass
  deferred_.clear();
  // The deferred changes point into this group's batches: none outlives the pass.
  struct ForgetDeferred {
    Connection& connection;
    ~ForgetDeferred() {
      connection.deferred_.clear();
      connection.defer_lines_ = false;
    }
  } forget_deferred{*this};
  try {
    WriteTransaction transaction(*this);
    std::size_t written = 0;  // batches written and kept
    for (const GroupEntry& entry : group) {
      const CommitBatch& batch = *entry.batch;
      if (entry.chain != 0 && broken_chains.contains(entry.chain)) {
        answers.push_back(not_written_after_failure(batch));
        continue;
      }
      // A pool change may be refused by the UPDATE itself: always in a savepoint, on the lines
      // as written so far.
      const bool savepoint = in_savepoints || !batch.pool_changes.empty();
      if (savepoint && !write_deferred_lines()) return std::nullopt;  // rolls back
      // What a savepoint undoes must be written inside it.
      defer_lines_ = !savepoint;
      BatchAnswer answer = failed(Status::Internal("not written"));
      bool began_writing = false;
      bool savepoint_open = false;
      try {
        // PostgreSQL, in the careful pass: the check inside the savepoint too, so that an error
        // in it (which aborts the whole transaction outside one) undoes this batch alone.
        if (savepoint && in_savepoints && backend_ == Backend::kPostgresql) {
          savepoint_.execute(true);
          savepoint_open = true;
        }
        if (auto refused = check_batch(batch)) {
          answer = std::move(*refused);
        } else {
          if (savepoint && !savepoint_open) {
            savepoint_.execute(true);
            savepoint_open = true;
          }
          began_writing = true;
          answer = write_batch(batch);
        }
      } catch (const soci::soci_error& error) {
        answer = failed(database_error("commit request " + batch.request_id, error));
      } catch (const std::exception& error) {
        answer =
            failed(Status::Internal("commit request " + batch.request_id + ": " + error.what()));
      }
      const bool ok = answer.verdict == BatchVerdict::kWritten;
      if (!transaction_open(savepoint_open)) {
        // PostgreSQL refuses every statement after an error outside a savepoint: the first
        // pass is undone and the group run again, each batch in a savepoint.
        if (backend_ == Backend::kPostgresql && !in_savepoints && connected())
          return std::nullopt;  // rolls back
        // The database gave up the whole transaction (SQLite: disk full, I/O error; PostgreSQL:
        // the connection lost, or an error outside a savepoint in the second pass): nothing of the
        // group is written. The batch that hit it hears why; the others may simply try again.
        const std::size_t failing = answers.size();
        answers.assign(
            group.size(),
            failed(Status::Unavailable("the group commit was rolled back by the database; retry")));
        if (!ok) answers[failing] = std::move(answer);
        return answers;
      }
      if (began_writing && !ok && !savepoint) return std::nullopt;  // rolls back
      if (savepoint_open) {
        if (!ok) rollback_to_savepoint_.execute(true);
        release_savepoint_.execute(true);
      }
      if (ok) {
        ++written;
      } else if (entry.chain != 0) {
        broken_chains.insert(entry.chain);
      }
      answers.push_back(std::move(answer));
    }
    if (written > 0) {
      if (!write_deferred_lines()) return std::nullopt;  // rolls back
      transaction.commit();
    }
  } catch (const soci::soci_error& error) {
    // BEGIN or COMMIT failed (e.g. another process held the lock too long): nothing is durable.
    answers.assign(group.size(), failed(database_error("commit", error)));
  }
  return answers;
}

std::optional<BatchAnswer> SqlStore::Connection::check_batch(const CommitBatch& batch) {
  request_key_ = batch.request_id;
  if (query_one(find_request_)) return request_recorded(batch.request_id);
  for (const LineWrite& write : batch.lines) {
    const std::string& id = write.line->id();
    if (auto deferred = deferred_.find(id); deferred != deferred_.end()) {
      const std::int64_t current = deferred->second.latest->line->version();
      if (write.previous_version == 0) return line_taken(id);
      if (current != write.previous_version)
        return refusal(BatchVerdict::kLineMoved, moved(id, write.previous_version, current));
      continue;
    }
    line_key_ = id;
    const bool stored = query_one(line_version_);
    if (write.previous_version == 0) {
      if (stored) return line_taken(id);
    } else if (!stored) {
      return line_missing(id);
    } else if (found_version_ != write.previous_version) {
      return refusal(BatchVerdict::kLineMoved, moved(id, write.previous_version, found_version_));
    }
  }
  if (batch.programmes.empty()) return std::nullopt;
  // A programme's events number in the library's own log: a batch writes into one log only, so
  // that its outcome's last sequence is of one of them.
  if (!batch.events.empty())
    return failed(Status::Internal("request " + batch.request_id +
                                   ": a batch writes lines' or programmes' events, not both"));
  return check_programmes(*session_, batch);
}

bool SqlStore::Connection::connected() {
  if (backend_ != Backend::kPostgresql) return true;
  if (group_writer_ && group_writer_->spoiled()) return false;
  auto* backend = static_cast<soci::postgresql_session_backend*>(session_->get_backend());
  return PQstatus(backend->conn_) == CONNECTION_OK;
}

bool SqlStore::Connection::transaction_open(bool in_savepoint) {
  if (backend_ == Backend::kPostgresql) {
    auto* backend = static_cast<soci::postgresql_session_backend*>(session_->get_backend());
    const PGTransactionStatusType status = PQtransactionStatus(backend->conn_);
    return status == PQTRANS_INTRANS || (status == PQTRANS_INERROR && in_savepoint);
  }
  auto* backend = static_cast<soci::sqlite3_session_backend*>(session_->get_backend());
  return sqlite_api::sqlite3_get_autocommit(backend->conn_) == 0;
}

BatchAnswer SqlStore::Connection::write_batch(const CommitBatch& batch) {
  // The request id was checked inside this transaction (check_batch), so two tries of one
  // request cannot both pass; its UNIQUE key stays the last word.
  for (const LineWrite& write : batch.lines) {
    // Every version is kept, even one a later batch of the group overwrites in `lines`.
    line_version_row_.line_id = write.line->id();
    line_version_row_.version = write.line->version();
    line_version_row_.at_ms = to_millis(batch.at);
    line_version_row_.document = blob_parameter(backend_, write.document);
    insert_line_version_.execute(true);
    if (auto refused = write_line(write)) return std::move(*refused);
  }

  long long last_sequence = 0;
  for (const RecordedEvent& event : batch.events) {
    fill(event_in_, event, backend_);
    insert_event_.execute(true);
    if (backend_ == Backend::kPostgresql) {
      last_sequence = event_in_.sequence;
    } else {
      session_->get_last_insert_id("events", last_sequence);
    }
  }

  if (!batch.programmes.empty())
    if (auto refused = write_programmes(*session_, batch, last_sequence))
      return std::move(*refused);

  for (const Report& report : batch.reports) {
    report_.id = report.id;
    report_.kind = report.kind;
    report_.fiscal_year = report.fiscal_year;
    report_.department = report.department;
    report_.at_ms = to_millis(report.at);
    report_.body = blob_parameter(backend_, report.body);
    insert_report_.execute(true);
  }

  for (const PoolChange& change : batch.pool_changes)
    if (Status changed = change_pool(change, batch); !changed.ok())
      return refusal(BatchVerdict::kPoolShort, std::move(changed));

  CommandOutcome outcome = batch.outcome;
  outcome.last_sequence = last_sequence;
  request_ = RequestRow{.request_id = batch.request_id,
                        .fingerprint = batch.fingerprint,
                        .outcome = blob_parameter(backend_, outcome_document(outcome)),
                        .at_ms = to_millis(batch.at)};
  insert_request_.execute(true);
  return {BatchVerdict::kWritten, last_sequence, Status::Ok()};
}

std::optional<BatchAnswer> SqlStore::Connection::write_line(const LineWrite& write) {
  const std::string& id = write.line->id();
  if (defer_lines_ && write.previous_version != 0) {
    // check_batch() found the line at previous_version; its row is written before commit.
    auto [deferred, first] =
        deferred_.try_emplace(id, DeferredLine{&write, write.previous_version});
    if (first) {
      if (write.previous != nullptr && write.previous->version() == write.previous_version)
        deferred->second.stored = write.previous.get();
    } else {
      deferred->second.latest = &write;
    }
    return std::nullopt;
  }
  fill(line_, write, backend_);
  if (write.previous_version == 0) {
    insert_line_.execute(true);
    if (insert_line_.get_affected_rows() == 0) return line_taken(id);
    return std::nullopt;
  }

  // The line the change started from is only known to be the stored one when the versions
  // agree; the update checks the version again.
  const bool unindexed = write.previous != nullptr &&
                         write.previous->version() == write.previous_version &&
                         same_indexed_columns(*write.previous, *write.line);
  soci::statement& update = unindexed ? update_line_unindexed_ : update_line_;
  update.execute(true);
  if (update.get_affected_rows() > 0) return std::nullopt;
  line_key_ = id;
  if (!query_one(line_version_)) return line_missing(id);
  return refusal(BatchVerdict::kLineMoved, moved(id, write.previous_version, found_version_));
}

bool SqlStore::Connection::write_deferred_lines() {
  for (const auto& [id, deferred] : deferred_) {
    const LineWrite& write = *deferred.latest;
    fill(line_, write, backend_);
    line_.previous_version = deferred.stored_version;
    const bool unindexed =
        deferred.stored != nullptr && same_indexed_columns(*deferred.stored, *write.line);
    soci::statement& update = unindexed ? update_line_unindexed_ : update_line_;
    update.execute(true);
    if (update.get_affected_rows() == 0) return false;
  }
  deferred_.clear();
  return true;
}

Result<std::vector<RecordedEvent>> SqlStore::Connection::read_events(soci::statement& query) {
  std::vector<RecordedEvent> events;
  if (query.execute(true)) {
    do {
      if (!within_calendar(event_out_.at_ms)) {
        // Stepped to its end first, as in list_lines.
        while (query.fetch()) {
        }
        return Status::DataLoss("line " + event_out_.line_id + ": stored event " +
                                std::to_string(event_out_.sequence) +
                                " does not decode: at_ms is out of range");
      }
      events.push_back(to_event(event_out_, backend_));
    } while (query.fetch());
  }
  return events;
}

Result<std::vector<RecordedEvent>> SqlStore::Connection::line_history(const std::string& line_id) {
  line_key_ = line_id;
  if (!query_one(line_version_)) return Status::NotFound("line " + line_id + " not found");
  return read_events(line_history_);
}

Result<std::vector<RecordedEvent>> SqlStore::Connection::events_after(std::int64_t after,
                                                                      std::size_t limit) {
  if (limit == 0) return std::vector<RecordedEvent>();
  after_ = after;
  // SQLite's LIMIT is a signed 64-bit value; anything larger means "all of them".
  limit_ =
      static_cast<long long>(std::min<std::size_t>(limit, std::numeric_limits<long long>::max()));
  return read_events(events_after_);
}

soci::statement& SqlStore::Connection::listing(unsigned criteria) {
  if (auto found = listings_.find(criteria); found != listings_.end()) return found->second;
  soci::statement statement(*session_);
  statement.exchange(soci::into(found_document_));
  statement.exchange(soci::into(found_id_));
  statement.exchange(soci::use(list_.after, "after"));
  if ((criteria & kListByFiscalYear) != 0)
    statement.exchange(soci::use(list_.fiscal_year, "fiscal_year"));
  if ((criteria & kListByDepartment) != 0)
    statement.exchange(soci::use(list_.department, "department"));
  if ((criteria & kListByProgramme) != 0)
    statement.exchange(soci::use(list_.programme_code, "programme_code"));
  if ((criteria & kListByState) != 0) statement.exchange(soci::use(list_.state, "state"));
  if ((criteria & kListByCategory) != 0) statement.exchange(soci::use(list_.category, "category"));
  if ((criteria & kListByWaitingOn) != 0)
    statement.exchange(soci::use(list_.waiting_on, "waiting_on"));
  statement.exchange(soci::use(list_.limit, "limit"));
  statement.alloc();
  statement.prepare(list_lines_sql(criteria, backend_));
  statement.define_and_bind();
  return listings_.emplace(criteria, std::move(statement)).first->second;
}

Result<std::vector<BudgetLine>> SqlStore::Connection::list_lines(const LineFilter& filter,
                                                                 const std::string& after_id,
                                                                 std::size_t limit) {
  list_.after = after_id;
  list_.fiscal_year = filter.fiscal_year.value_or(0);
  list_.department = filter.department;
  list_.programme_code = filter.programme_code;
  list_.state = filter.state;
  list_.category = filter.category ? std::string(to_string(*filter.category)) : "";
  list_.limit =
      static_cast<long long>(std::min<std::size_t>(limit, std::numeric_limits<long long>::max()));
  unsigned criteria = 0;
  if (list_.fiscal_year != 0) criteria |= kListByFiscalYear;
  if (!list_.department.empty()) criteria |= kListByDepartment;
  if (!list_.programme_code.empty()) criteria |= kListByProgramme;
  if (!list_.state.empty()) criteria |= kListByState;
  if (!list_.category.empty()) criteria |= kListByCategory;
  // Several roles: one indexed query per role, merged by id; each is already ordered and
  // limited, so the first `limit` of the merge are the page.
  std::vector<std::string> roles = filter.waiting_on;
  if (roles.empty()) roles.push_back("");
  std::vector<BudgetLine> lines;
  for (const std::string& role : roles) {
    list_.waiting_on = role;
    soci::statement& list_lines = listing(criteria | (role.empty() ? 0u : kListByWaitingOn));
    if (!list_lines.execute(true)) continue;
    do {
      Result<BudgetLine> line =
          line_from_document(blob_column(backend_, found_document_), found_id_);
      if (!line.ok()) {
        // Stepped to its end first: a statement left on a row keeps the read connection's
        // snapshot open, and every later read would see the database as it is now.
        while (list_lines.fetch()) {
        }
        return line.status();
      }
      lines.push_back(std::move(line).value());
    } while (list_lines.fetch());
  }
  if (roles.size() > 1) {
    std::sort(lines.begin(), lines.end(),
              [](const BudgetLine& a, const BudgetLine& b) { return a.id() < b.id(); });
    if (lines.size() > limit) lines.resize(limit);
  }
  return lines;
}

Status SqlStore::Connection::change_pool(const PoolChange& change, const CommitBatch& batch) {
  if (change.delta == 0) return Status::Ok();  // moves nothing: no movement to keep
  pool_.fiscal_year = change.fiscal_year;
  pool_.department = change.department;
  pool_.delta = change.delta;
  ensure_pool_.execute(true);
  change_pool_.execute(true);
  if (change_pool_.get_affected_rows() > 0) {
    movement_.at_ms = to_millis(batch.at);
    movement_.line_id = change.line_id;
    movement_.reason = change.reason;
    movement_.request_id = batch.request_id;
    movement_.report_id = change.report_id;
    insert_pool_movement_.execute(true);
    return Status::Ok();
  }
  query_one(pool_balance_);
  return Status::FailedPrecondition(
      "the pool of " + (change.department.empty() ? std::string("the county") : change.department) +
      " for " + std::to_string(change.fiscal_year) + " holds " + std::to_string(pool_.balance) +
      " fen; " + std::to_string(-change.delta) + " fen cannot be drawn from it");
}

Result<Fen> SqlStore::Connection::pool_balance(int fiscal_year, const std::string& department) {
  pool_.fiscal_year = fiscal_year;
  pool_.department = department;
  if (!query_one(pool_balance_)) return Fen{0};
  return Fen{pool_.balance};
}

Result<Pool> SqlStore::Connection::pool(int fiscal_year, const std::string& department,
                                        std::size_t movement_limit) {
  // The balance and the movements from one snapshot: a change committed between two separate
  // reads would look like movements that do not sum to their balance. Read-only: rolled back.
  soci::transaction snapshot(*session_);
  // PostgreSQL's READ COMMITTED takes a snapshot per statement: one for the transaction.
  if (backend_ == Backend::kPostgresql)
    *session_ << "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";
  pool_.fiscal_year = fiscal_year;
  pool_.department = department;
  Pool pool;
  if (query_one(pool_balance_)) pool.balance = pool_.balance;
  const std::string name =
      fmt::format("pool of {} for {}", department.empty() ? "the county" : department, fiscal_year);
  // One more than asked for tells whether older movements exist.
  movement_.limit = static_cast<long long>(
      std::min<std::size_t>(movement_limit, std::numeric_limits<long long>::max() - 1) + 1);
  std::vector<PoolMovement> newest_first;
  std::optional<Status> undecodable;
  if (pool_movements_.execute(true)) {
    do {
      if (undecodable) continue;  // stepped to its end, as in list_lines
      if (!within_calendar(movement_.at_ms) || movement_.balance_after < 0) {
        undecodable = Status::DataLoss(fmt::format(
            "{}: stored movement {} does not decode: {}", name, movement_.sequence,
            movement_.balance_after < 0 ? "balance_after is negative" : "at_ms is out of range"));
        continue;
      }
      newest_first.push_back(PoolMovement{.sequence = movement_.sequence,
                                          .delta = movement_.delta,
                                          .balance_after = movement_.balance_after,
                                          .at = from_millis(movement_.at_ms),
                                          .line_id = movement_.line_id,
                                          .reason = movement_.reason,
                                          .request_id = movement_.request_id,
                                          .report_id = movement_.report_id});
    } while (pool_movements_.fetch());
  }
  if (undecodable) return *undecodable;
  pool.movements_cut = newest_first.size() > movement_limit;
  if (pool.movements_cut) newest_first.resize(movement_limit);
  const Fen last_balance = newest_first.empty() ? 0 : newest_first.front().balance_after;
  if ((!newest_first.empty() || !pool.movements_cut) && last_balance != pool.balance)
    return Status::DataLoss(fmt::format(
        "{}: stored record does not decode: balance {} fen, but its newest movement leaves {} fen",
        name, pool.balance, last_balance));
  if (!pool.movements_cut) {
    Fen sum = 0;
    for (const PoolMovement& movement : newest_first) sum += movement.delta;
    if (sum != pool.balance)
      return Status::DataLoss(fmt::format(
          "{}: stored record does not decode: balance {} fen, but its movements sum to {} fen",
          name, pool.balance, sum));
  }
  pool.movements.assign(newest_first.rbegin(), newest_first.rend());
  return pool;
}

soci::statement& SqlStore::Connection::report_listing(unsigned criteria) {
  if (auto found = report_listings_.find(criteria); found != report_listings_.end())
    return found->second;
  soci::statement statement(*session_);
  statement.exchange(soci::into(report_.id));
  statement.exchange(soci::into(report_.kind));
  statement.exchange(soci::into(report_.fiscal_year));
  statement.exchange(soci::into(report_.department));
  statement.exchange(soci::into(report_.at_ms));
  statement.exchange(soci::use(report_list_.after_ms, "after_ms"));
  statement.exchange(soci::use(report_list_.after_id, "after_id"));
  if ((criteria & kReportsByFiscalYear) != 0)
    statement.exchange(soci::use(report_list_.fiscal_year, "fiscal_year"));
  if ((criteria & kReportsByDepartment) != 0)
    statement.exchange(soci::use(report_list_.department, "department"));
  if ((criteria & kReportsByKind) != 0) statement.exchange(soci::use(report_list_.kind, "kind"));
  statement.exchange(soci::use(report_list_.limit, "limit"));
  statement.alloc();
  statement.prepare(list_reports_sql(criteria));
  statement.define_and_bind();
  return report_listings_.emplace(criteria, std::move(statement)).first->second;
}

Result<std::vector<ReportSummary>> SqlStore::Connection::list_reports(
    const ReportFilter& filter, const std::optional<ReportCursor>& after, std::size_t limit) {
  std::vector<ReportSummary> reports;
  if (limit == 0) return reports;
  report_list_.after_ms = after ? to_millis(after->at) : std::numeric_limits<long long>::min();
  report_list_.after_id = after ? after->id : "";
  report_list_.fiscal_year = filter.fiscal_year.value_or(0);
  report_list_.department = filter.department;
  report_list_.kind = filter.kind;
  report_list_.limit =
      static_cast<long long>(std::min<std::size_t>(limit, std::numeric_limits<long long>::max()));
  unsigned criteria = 0;
  if (filter.fiscal_year) criteria |= kReportsByFiscalYear;
  if (!filter.department.empty()) criteria |= kReportsByDepartment;
  if (!filter.kind.empty()) criteria |= kReportsByKind;
  soci::statement& listing = report_listing(criteria);
  std::optional<Status> undecodable;
  if (listing.execute(true)) {
    do {
      if (undecodable) continue;  // stepped to its end, as in list_lines
      // Which kinds exist is the workflow's to say; the store knows only that a kind is named.
      const bool named_kind = !report_.kind.empty();
      if (!within_calendar(report_.at_ms) || !named_kind) {
        undecodable =
            Status::DataLoss(fmt::format("report {}: stored record does not decode: {}", report_.id,
                                         named_kind ? "at_ms is out of range" : "it has no kind"));
        continue;
      }
      reports.push_back(ReportSummary{report_.id, report_.kind, report_.fiscal_year,
                                      report_.department, from_millis(report_.at_ms)});
    } while (listing.fetch());
  }
  if (undecodable) return *undecodable;
  return reports;
}

Result<Report> SqlStore::Connection::find_report(const std::string& report_id) {
  report_.id = report_id;
  if (!query_one(find_report_)) return Status::NotFound("report " + report_id + " not found");
  if (!within_calendar(report_.at_ms))
    return Status::DataLoss("report " + report_id + ": stored time is out of range");
  return Report{report_id,
                report_.kind,
                report_.fiscal_year,
                report_.department,
                from_millis(report_.at_ms),
                blob_column(backend_, report_.body)};
}

namespace {

// SQLite counts every allocation under a global mutex unless told not to; zbb never reads the
// counts. Only possible before SQLite initializes: when something else opened a database
// first, SQLite refuses and keeps counting, which is merely slower.
void stop_counting_sqlite_memory() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

// Refuses, at start, a database the writer cannot write (a read-only file, a read-only WAL),
// which SQLite would otherwise open read-only and let fail on every command. Rolled back.
Status probe_writable(soci::session& session, const std::string& path) {
  try {
    session << statements::kBeginImmediate;
    session << statements::kProbeWrite;
    session << statements::kRollback;
    return Status::Ok();
  } catch (const soci::soci_error& error) {
    try {
      session << statements::kRollback;
    } catch (const soci::soci_error&) {
      // Nothing was begun, or nothing is left to undo.
    }
    return Status::FailedPrecondition("database file " + path +
                                      " cannot be written: " + error.get_error_message());
  }
}

std::unique_ptr<soci::session> open_session(const std::string& path) {
  stop_counting_sqlite_memory();
  auto session = std::make_unique<soci::session>(soci::sqlite3, path);
  *session << statements::kBusyTimeout;
  *session << statements::kCacheSize;
  return session;
}

}  // namespace

bool SqlStore::names_postgresql(const std::string& database) {
  return database.starts_with("postgresql://") || database.starts_with("postgres://") ||
         database.find("dbname=") != std::string::npos ||
         database.find("host=") != std::string::npos;
}

namespace {

// A session on the PostgreSQL database, set for zbb: a commit returns once durable on the
// server (and on its synchronous standbys, as the server is configured), bytea as hex.
std::unique_ptr<soci::session> open_postgresql_session(const std::string& database,
                                                       bool read_only) {
  auto session =
      std::make_unique<soci::session>(soci::postgresql, postgresql_connect_string(database));
  *session << "SET synchronous_commit = on";
  *session << "SET bytea_output = hex";
  // Notices ("already exists, skipping") would go to standard error through libpq.
  *session << "SET client_min_messages = warning";
  // The server notices a zbbd host gone without a word (power, network) within half a minute,
  // and ends its session, releasing the commit-order lock a group of it may hold; a
  // transaction is never left idle that long by zbbd itself.
  *session << "SET tcp_keepalives_idle = 10";
  *session << "SET tcp_keepalives_interval = 5";
  *session << "SET tcp_keepalives_count = 3";
  *session << "SET idle_in_transaction_session_timeout = '60s'";
  if (read_only) {
    *session << "SET default_transaction_read_only = on";
  } else {
    // The writer's statements read and write rows by key, where one plan fits every value:
    // planned once, not again for each group (PostgreSQL would otherwise weigh a plan for the
    // values of each group's reads of its request ids and lines).
    *session << "SET plan_cache_mode = force_generic_plan";
  }
  return session;
}

}  // namespace

std::string SqlStore::printable(const std::string& database) {
  static const std::regex url_password("(://[^:/@]*):[^@]*@");
  static const std::regex key_password("password\\s*=\\s*('[^']*'|\\S+)");
  return std::regex_replace(std::regex_replace(database, url_password, "$1:…@"), key_password,
                            "password=…");
}

Result<std::unique_ptr<SqlStore>> SqlStore::open(const std::string& path,
                                                 const ReportBodyUpgrade& upgrade_report) {
  if (names_postgresql(path)) {
    if (auto altered = setting_soci_would_alter(path))
      return Status::InvalidArgument(
          "database", "its " + *altered +
                          " holds a quote, a backslash or blanks in a row, which the database "
                          "library would alter: give a password so made through PGPASSWORD or "
                          "~/.pgpass");
    return guarded<std::unique_ptr<SqlStore>>(
        "open " + printable(path), [&]() -> Result<std::unique_ptr<SqlStore>> {
          auto session = open_postgresql_session(path, false);
          ZBB_RETURN_IF_ERROR(ensure_postgresql_schema(*session));
          auto writer = std::make_unique<Connection>(std::move(session));
          auto reader = std::make_unique<Connection>(open_postgresql_session(path, true));
          return std::unique_ptr<SqlStore>(
              new SqlStore(std::move(writer), std::move(reader), path));
        });
  }
  if (path.find('=') != std::string::npos) {
    // SOCI reads a '=' in the connect string as a key=value option, not as part of the name.
    return Status::InvalidArgument("path", "must not contain '=': " + path);
  }
  return guarded<std::unique_ptr<SqlStore>>(
      "open " + path, [&]() -> Result<std::unique_ptr<SqlStore>> {
        auto session = open_session(path);
        std::string journal_mode;
        *session << statements::kJournalModeWal, soci::into(journal_mode);
        const bool in_memory = path == ":memory:" || path.empty();
        // An in-memory database has no WAL and needs none; a file without WAL would block
        // readers during every write, so refuse it rather than run slowly and surprise.
        if (!in_memory && journal_mode != "wal") {
          return Status::Internal("open " + path + ": cannot enable WAL (journal_mode is " +
                                  journal_mode + ")");
        }
        *session << statements::kSynchronousFull;
        // On the writer: savepoint journals and temporary tables in memory. The reader's
        // large sorts may still spill to disk.
        *session << statements::kTempStoreMemory;
        *session << statements::kForeignKeysOn;
        ZBB_RETURN_IF_ERROR(ensure_schema(*session, upgrade_report));
        ZBB_RETURN_IF_ERROR(probe_writable(*session, path));
        auto writer = std::make_unique<Connection>(std::move(session));
        // Each ":memory:" connection would be a database of its own: one connection then.
        std::unique_ptr<Connection> reader;
        if (!in_memory) {
          auto read_session = open_session(path);
          *read_session << statements::kQueryOnly;
          reader = std::make_unique<Connection>(std::move(read_session));
        }
        return std::unique_ptr<SqlStore>(new SqlStore(std::move(writer), std::move(reader)));
      });
}

SqlStore::SqlStore(std::unique_ptr<Connection> writer, std::unique_ptr<Connection> reader,
                   std::string postgresql)
    : writer_(std::move(writer)),
      reader_(std::move(reader)),
      reads_on_writer_(reader_ == nullptr),
      postgresql_(std::move(postgresql)) {}

void SqlStore::reconnect_if_lost(std::unique_ptr<Connection>& connection, bool read_only) {
  if (postgresql_.empty() || connection->connected()) return;
  try {
    connection = std::make_unique<Connection>(open_postgresql_session(postgresql_, read_only));
  } catch (const std::exception&) {
    // Still unreachable: the next call finds the connection lost and tries again.
  }
}

bool SqlStore::before_group() {
  std::lock_guard lock(write_mutex_);
  return writer_->connected() && writer_->take_turn();
}

std::vector<BatchAnswer> SqlStore::write_group(const std::vector<GroupEntry>& group) {
  std::lock_guard lock(write_mutex_);
  reconnect_if_lost(writer_, false);  // found cut by the last group: a new one first
  std::vector<BatchAnswer> answers = writer_->write_group(group);
  if (writer_->connected()) return answers;
  // The server went away during the group: a failed batch may be sent again under its request
  // id (if its commit landed after all, the retry finds it recorded and gets its outcome).
  for (BatchAnswer& answer : answers)
    if (answer.verdict == BatchVerdict::kFailed && answer.status.code() != Code::kUnavailable)
      answer.status = Status::Unavailable(answer.status.message());
  reconnect_if_lost(writer_, false);
  return answers;
}

SqlStore::~SqlStore() = default;

template <typename T, typename Body>
Result<T> SqlStore::read(std::string_view operation, Body&& body) {
  std::lock_guard lock(reads_on_writer_ ? write_mutex_ : read_mutex_);
  std::unique_ptr<Connection>& connection = reads_on_writer_ ? writer_ : reader_;
  Result<T> result = guarded<T>(operation, [&] { return body(*connection); });
  if (result.ok() || connection->connected()) return result;
  // The server went away (or was replaced by a standby): a read changes nothing, so it is run
  // again at once on a new connection; UNAVAILABLE when none can be opened yet.
  const std::string lost = result.status().message();
  reconnect_if_lost(connection, !reads_on_writer_);
  if (!connection->connected()) return Status::Unavailable(lost);
  result = guarded<T>(operation, [&] { return body(*connection); });
  if (!result.ok() && !connection->connected()) return Status::Unavailable(lost);
  return result;
}

Result<StoredLine> SqlStore::load_line(const std::string& line_id) {
  return read<StoredLine>("load line " + line_id,
                          [&](Connection& c) { return c.load_line(line_id); });
}

Result<std::int64_t> SqlStore::line_version(const std::string& line_id) {
  return read<std::int64_t>("read version of line " + line_id,
                            [&](Connection& c) { return c.line_version(line_id); });
}

Result<std::optional<StoredRequest>> SqlStore::find_request(const std::string& request_id) {
  return read<std::optional<StoredRequest>>(
      "find request " + request_id, [&](Connection& c) { return c.find_request(request_id); });
}

Result<std::vector<RecordedEvent>> SqlStore::line_history(const std::string& line_id) {
  return read<std::vector<RecordedEvent>>("read history of line " + line_id,
                                          [&](Connection& c) { return c.line_history(line_id); });
}

Result<Fen> SqlStore::pool_balance(int fiscal_year, const std::string& department) {
  return read<Fen>("read pool",
                   [&](Connection& c) { return c.pool_balance(fiscal_year, department); });
}

Result<Report> SqlStore::find_report(const std::string& report_id) {
  return read<Report>("find report " + report_id,
                      [&](Connection& c) { return c.find_report(report_id); });
}

Result<Pool> SqlStore::pool(int fiscal_year, const std::string& department,
                            std::size_t movement_limit) {
  return read<Pool>("read pool",
                    [&](Connection& c) { return c.pool(fiscal_year, department, movement_limit); });
}

Result<std::vector<ReportSummary>> SqlStore::list_reports(const ReportFilter& filter,
                                                          const std::optional<ReportCursor>& after,
                                                          std::size_t limit) {
  return read<std::vector<ReportSummary>>(
      "list reports", [&](Connection& c) { return c.list_reports(filter, after, limit); });
}

Result<std::vector<BudgetLine>> SqlStore::list_lines(const LineFilter& filter,
                                                     const std::string& after_id,
                                                     std::size_t limit) {
  return read<std::vector<BudgetLine>>(
      "list lines", [&](Connection& c) { return c.list_lines(filter, after_id, limit); });
}

Result<std::vector<RecordedEvent>> SqlStore::events_after(std::int64_t after, std::size_t limit) {
  return read<std::vector<RecordedEvent>>(
      "read events after " + std::to_string(after),
      [&](Connection& c) { return c.events_after(after, limit); });
}

Result<StoredProgramme> SqlStore::load_programme(const std::string& code) {
  return read<StoredProgramme>("load programme " + code, [&](Connection& c) {
    return sql::load_programme(c.session(), code);
  });
}

Result<std::vector<Programme>> SqlStore::list_programmes(const ProgrammeFilter& filter,
                                                         const std::string& after_code,
                                                         std::size_t limit) {
  return read<std::vector<Programme>>("list programmes", [&](Connection& c) {
    return sql::list_programmes(c.session(), filter, after_code, limit);
  });
}

Result<std::vector<RecordedEvent>> SqlStore::programme_history(const std::string& code) {
  return read<std::vector<RecordedEvent>>("read history of programme " + code, [&](Connection& c) {
    return sql::programme_history(c.session(), code);
  });
}

Result<std::vector<RecordedEvent>> SqlStore::programme_events_after(std::int64_t after,
                                                                    std::size_t limit) {
  return read<std::vector<RecordedEvent>>(
      "read programme events after " + std::to_string(after),
      [&](Connection& c) { return sql::programme_events_after(c.session(), after, limit); });
}

Result<std::int64_t> SqlStore::library_revision(const std::string& department) {
  return read<std::int64_t>("read the library revision of " + department, [&](Connection& c) {
    return sql::library_revision(c.session(), department);
  });
}

Result<std::optional<BudgetLine>> SqlStore::line_as_of(const std::string& line_id, Timestamp at) {
  return read<std::optional<BudgetLine>>("read line " + line_id + " as of a time",
                                         [&](Connection& c) -> Result<std::optional<BudgetLine>> {
                                           return sql::line_as_of(c.session(), line_id, at);
                                         });
}

Result<std::vector<LineAsOf>> SqlStore::lines_as_of(Timestamp at, const LineFilter& filter,
                                                    const std::string& after_id,
                                                    std::size_t limit) {
  return read<std::vector<LineAsOf>>(
      "read lines as of a time", [&](Connection& c) -> Result<std::vector<LineAsOf>> {
        return sql::lines_as_of(c.session(), at, filter, after_id, limit);
      });
}

Result<std::vector<StuckLine>> SqlStore::find_stuck(const StuckQuery& query) {
  return read<std::vector<StuckLine>>(
      "find stuck lines", [&](Connection& c) { return sql::find_stuck(c.session(), query); });
}

Result<std::vector<SummaryGroup>> SqlStore::summarize(const SummaryQuery& query) {
  return read<std::vector<SummaryGroup>>(
      "summarize lines", [&](Connection& c) { return sql::summarize(c.session(), query); });
}

Result<std::vector<std::pair<std::string, std::int64_t>>> SqlStore::count_stuck(Timestamp now) {
  return read<std::vector<std::pair<std::string, std::int64_t>>>(
      "count stuck lines", [&](Connection& c) { return sql::count_stuck(c.session(), now); });
}

Result<std::vector<DueLine>> SqlStore::lines_due(Timestamp now, std::size_t limit) {
  return read<std::vector<DueLine>>(
      "read lines due", [&](Connection& c) { return sql::lines_due(c.session(), now, limit); });
}

Result<std::optional<Timestamp>> SqlStore::next_due() {
  return read<std::optional<Timestamp>>("read next due time",
                                        [&](Connection& c) { return sql::next_due(c.session()); });
}

}  // namespace zbb::sql
