#include "adapters/sql/postgresql_group_writer.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <string_view>
#include <utility>

#include "adapters/sql/batch_answers.h"
#include "engine/budget_line.h"
#include "engine/clock.h"
#include "engine/proto_codec.h"
#include "engine/store.h"

namespace zbb::sql {
namespace {

// Type oids of the parameters (pg_type.h): declared when preparing, so that bytes can be sent
// as they are (binary) and the rest as text.
constexpr Oid kInt4 = 23;
constexpr Oid kInt8 = 20;
constexpr Oid kText = 25;
constexpr Oid kBytea = 17;
constexpr Oid kTextArray = 1009;

struct Statement {
  const char* name;
  const char* sql;
  std::vector<Oid> types;
};

// The columns of `lines` in the order of both the insert and the update ($1 … $19).
constexpr Oid kLineColumnTypes[] = {kText, kInt4,  kText, kText, kText, kText, kText,
                                    kInt8, kInt8,  kInt8, kInt8, kInt8, kInt8, kInt8,
                                    kText, kBytea, kInt8, kInt4, kText};
std::vector<Oid> line_types(bool with_previous_version) {
  std::vector<Oid> types(std::begin(kLineColumnTypes), std::end(kLineColumnTypes));
  if (with_previous_version) types.push_back(kInt8);
  return types;
}

constexpr char kCommitOrderLockName[] = "zbb_group_commit_order_lock";
// The commit-order lock's statement, sent by name: prepare() prepares it from the text the store
// gives.
const Statement kLockByName{kCommitOrderLockName, "", {}};

// Whether the lock was held by another session when the statement taking it ran (its `false`).
bool held_elsewhere(const PGresult* lock) {
  return PQntuples(lock) == 1 && std::string_view(PQgetvalue(lock, 0, 0)) == "f";
}

const Statement kBegin{"zbb_group_begin", "BEGIN", {}};
const Statement kCommit{"zbb_group_commit", "COMMIT", {}};
const Statement kRollback{"zbb_group_rollback", "ROLLBACK", {}};
const Statement kFindRequests{"zbb_group_find_requests",
                              "SELECT request_id FROM requests WHERE request_id = ANY($1)",
                              {kTextArray}};
const Statement kLineVersions{
    "zbb_group_line_versions", "SELECT id, version FROM lines WHERE id = ANY($1)", {kTextArray}};
// As statements.h: a row already there means the line moved on, which the line's own write
// then finds.
const Statement kInsertLineVersion{
    "zbb_group_insert_line_version",
    "INSERT INTO line_versions (line_id, version, at_ms, document) VALUES ($1, $2, $3, $4)"
    " ON CONFLICT (line_id, version) DO NOTHING",
    {kText, kInt8, kInt8, kBytea}};
const Statement kInsertLine{
    "zbb_group_insert_line",
    "INSERT INTO lines (id, fiscal_year, department, programme_code, category, state,"
    " waiting_on, requested_amount, funded_amount, approved_amount, spent_amount, version,"
    " state_entered_ms, updated_ms, last_hash, document, due_ms, sla_breached, warning)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,"
    " $19) ON CONFLICT (id) DO NOTHING",
    line_types(false)};
// The version in the WHERE clause is the optimistic lock, as in statements.h. The COMMIT is
// sent behind it before its answer is read: no row changed fails the statement (a division by
// zero), which leaves the COMMIT unrun and the transaction to be rolled back.
const Statement kUpdateLine{
    "zbb_group_update_line",
    "WITH updated AS (UPDATE lines SET fiscal_year = $2, department = $3, programme_code = $4, "
    "category = $5,"
    " state = $6, waiting_on = $7, requested_amount = $8, funded_amount = $9,"
    " approved_amount = $10, spent_amount = $11, version = $12, state_entered_ms = $13,"
    " updated_ms = $14, last_hash = $15, document = $16, due_ms = $17, sla_breached = $18,"
    " warning = $19 WHERE id = $1 AND version = $20 RETURNING 1)"
    " SELECT 1 / count(*) FROM updated",
    line_types(true)};
const Statement kInsertEvent{
    "zbb_group_insert_event",
    "INSERT INTO events (line_id, line_sequence, type, from_state, to_state, payload,"
    " payload_protobuf, actor, at_ms, request_id, prev_hash, hash)"
    " VALUES ($1, $2, $3, $4, $5, '', $6, $7, $8, $9, $10, $11) RETURNING sequence",
    {kText, kInt8, kText, kText, kText, kBytea, kText, kInt8, kText, kText, kText}};
const Statement kInsertRequest{
    "zbb_group_insert_request",
    "INSERT INTO requests (request_id, fingerprint, outcome, at_ms) VALUES ($1, $2, $3, $4)",
    {kText, kText, kBytea, kInt8}};

// One statement's parameters: text, bytes (sent binary) or NULL.
class Params {
 public:
  Params& text(std::string value) {
    values_.push_back(std::move(value));
    formats_.push_back(0);
    nulls_.push_back(false);
    return *this;
  }
  Params& integer(long long value) { return text(std::to_string(value)); }
  Params& bytes(std::string_view value) {
    values_.emplace_back(value);
    formats_.push_back(1);
    nulls_.push_back(false);
    return *this;
  }
  Params& null() {
    values_.emplace_back();
    formats_.push_back(0);
    nulls_.push_back(true);
    return *this;
  }

  int size() const { return static_cast<int>(values_.size()); }
  std::vector<const char*> pointers() const {
    std::vector<const char*> pointers;
    for (std::size_t i = 0; i < values_.size(); ++i)
      pointers.push_back(nulls_[i] ? nullptr : values_[i].data());
    return pointers;
  }
  std::vector<int> lengths() const {
    std::vector<int> lengths;
    for (const std::string& value : values_) lengths.push_back(static_cast<int>(value.size()));
    return lengths;
  }
  const std::vector<int>& formats() const { return formats_; }

 private:
  std::vector<std::string> values_;
  std::vector<int> formats_;
  std::vector<bool> nulls_;
};

// A text[] literal: each element quoted, with `"` and `\` escaped.
std::string text_array(const std::set<std::string>& elements) {
  std::string literal = "{";
  for (const std::string& element : elements) {
    if (literal.size() > 1) literal += ',';
    literal += '"';
    for (const char c : element) {
      if (c == '"' || c == '\\') literal += '\\';
      literal += c;
    }
    literal += '"';
  }
  return literal + "}";
}

Params line_params(const LineWrite& write) {
  const BudgetLine& line = *write.line;
  Params params;
  params.text(line.id())
      .integer(line.content().fiscal_year())
      .text(line.content().department())
      .text(line.content().programme_code())
      .text(std::string(to_string(line.content().category())))
      .text(line.state())
      .text(line.waiting_on())
      .integer(line.content().requested_amount())
      .integer(line.funded_amount())
      .integer(line.approved_amount())
      .integer(line.spent_amount())
      .integer(line.version())
      .integer(to_millis(from_proto(line.state_entered_at())))
      .integer(to_millis(from_proto(line.updated_at())))
      .text(write.last_hash)
      .bytes(write.document);
  if (line.has_due_at())
    params.integer(to_millis(*due_at(line)));
  else
    params.null();
  params.integer(line.sla_breached() ? 1 : 0)
      .text(line.has_monitoring() ? std::string(to_string(line.monitoring().level())) : "");
  return params;
}

struct ClearResult {
  void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ClearResult>;

bool is_one_row_changed(const PGresult* result) {
  return std::string_view(PQcmdTuples(const_cast<PGresult*>(result))) == "1";
}

}  // namespace

// The connection in pipeline mode, for the life of one group. Statements are sent in chunks
// followed by a Sync, so that the results waiting to be read never outgrow the socket's
// buffers while libpq is still sending (both sides would then wait on each other).
class PostgresqlGroupWriter::Pipeline {
 public:
  // `spoiled` is set when the connection cannot leave pipeline mode again.
  Pipeline(PGconn* connection, bool& spoiled) : connection_(connection), spoiled_(spoiled) {
    entered_ = PQenterPipelineMode(connection_) == 1;
    ok_ = entered_;
  }
  ~Pipeline() {
    if (!entered_) return;
    // Results left unread (after a failure) are read and dropped; the mode can then be left.
    drain();
    if (PQexitPipelineMode(connection_) != 1) spoiled_ = true;
  }
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  void send(const Statement& statement, const Params& params = Params()) {
    if (!ok_) return;
    const std::vector<const char*> values = params.pointers();
    const std::vector<int> lengths = params.lengths();
    if (PQsendQueryPrepared(connection_, statement.name, params.size(), values.data(),
                            lengths.data(), params.formats().data(), 0) != 1) {
      ok_ = false;
      return;
    }
    ++unsynced_;
    if (unsynced_ == kChunk) read_through_sync();
  }

  // The results of every statement sent since the last call, in order; nullopt when one failed
  // (the statements after it in its chunk are then not run either).
  std::optional<std::vector<ResultPtr>> results() {
    if (unsynced_ > 0) read_through_sync();
    if (!ok_) return std::nullopt;
    return std::exchange(results_, {});
  }

 private:
  static constexpr int kChunk = 256;

  void read_through_sync() {
    if (PQpipelineSync(connection_) != 1) {
      ok_ = false;
      unsynced_ = 0;
      return;
    }
    for (; unsynced_ > 0; --unsynced_) {
      ResultPtr result(PQgetResult(connection_));
      if (result == nullptr) {
        ok_ = false;
        break;
      }
      const ExecStatusType status = PQresultStatus(result.get());
      if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) ok_ = false;
      results_.push_back(std::move(result));
      // The end of this statement's results.
      if (ResultPtr end(PQgetResult(connection_)); end != nullptr) ok_ = false;
    }
    unsynced_ = 0;
    await_sync();
  }

  // Reads up to and with the Sync; false when the connection cannot give it.
  bool await_sync() {
    for (int nulls = 0; nulls < 2 && PQstatus(connection_) == CONNECTION_OK;) {
      ResultPtr result(PQgetResult(connection_));
      if (result == nullptr) {
        ++nulls;
        continue;
      }
      nulls = 0;
      if (PQresultStatus(result.get()) == PGRES_PIPELINE_SYNC) return true;
      ok_ = false;
    }
    ok_ = false;
    return false;
  }

  void drain() {
    if (unsynced_ > 0) {
      unsynced_ = 0;
      if (PQpipelineSync(connection_) == 1) await_sync();
    }
  }

  PGconn* connection_;
  bool& spoiled_;
  bool entered_ = false;
  bool ok_ = false;
  int unsynced_ = 0;
  std::vector<ResultPtr> results_;
};

PostgresqlGroupWriter::PostgresqlGroupWriter(PGconn* connection, std::string commit_order_lock)
    : connection_(connection), commit_order_lock_(std::move(commit_order_lock)) {}

bool PostgresqlGroupWriter::handles(const std::vector<GroupEntry>& group) {
  for (const GroupEntry& entry : group) {
    const CommitBatch& batch = *entry.batch;
    if (!batch.reports.empty() || !batch.pool_changes.empty() || !batch.programmes.empty() ||
        !batch.programme_events.empty())
      return false;
  }
  return true;
}

bool PostgresqlGroupWriter::prepare() {
  if (prepared_ == Prepared::kNotYet) {
    const Statement lock{kCommitOrderLockName, commit_order_lock_.c_str(), {}};
    prepared_ = Prepared::kYes;
    for (const Statement* statement :
         {&kBegin, &kCommit, &kRollback, &lock, &kFindRequests, &kLineVersions, &kInsertLineVersion,
          &kInsertLine, &kUpdateLine, &kInsertEvent, &kInsertRequest}) {
      ResultPtr result(PQprepare(connection_, statement->name, statement->sql,
                                 static_cast<int>(statement->types.size()),
                                 statement->types.data()));
      if (result == nullptr || PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
        // Every group on this connection goes the careful way from now on (write_group).
        prepared_ = Prepared::kFailed;
        break;
      }
    }
  }
  return prepared_ == Prepared::kYes;
}

void PostgresqlGroupWriter::abandon_transaction() {
  if (!spoiled_ && PQstatus(connection_) == CONNECTION_OK &&
      PQtransactionStatus(connection_) != PQTRANS_IDLE) {
    ResultPtr(PQexec(connection_, "ROLLBACK"));
    if (PQtransactionStatus(connection_) != PQTRANS_IDLE) spoiled_ = true;
  }
}

bool PostgresqlGroupWriter::take_turn() {
  // A transaction open already is a turn taken for another caller of the store, or one a
  // failure left: the next write_group() writes in the one or ends the other.
  if (!contended_ || spoiled_ || !prepare() || PQtransactionStatus(connection_) != PQTRANS_IDLE)
    return false;
  std::optional<std::vector<ResultPtr>> results;
  {
    Pipeline pipeline(connection_, spoiled_);
    pipeline.send(kBegin);
    pipeline.send(kLockByName);  // waits while another server's group holds it
    results = pipeline.results();
  }
  if (!results) {
    abandon_transaction();  // the group is written the usual way, and says what failed
    return false;
  }
  contended_ = held_elsewhere((*results)[1].get());
  turn_ = true;
  return true;
}

void PostgresqlGroupWriter::end_turn() {
  turn_ = false;
  abandon_transaction();
}

std::optional<std::vector<BatchAnswer>> PostgresqlGroupWriter::write(
    const std::vector<GroupEntry>& group) {
  const bool begun = std::exchange(turn_, false);  // the transaction ends here, one way or another
  if (spoiled_ || !prepare()) return std::nullopt;
  std::optional<std::vector<BatchAnswer>> answers;
  try {
    answers = write_in_pipeline(group, begun);
  } catch (...) {
    abandon_transaction();  // nothing half-written is committed by whoever comes next
    throw;
  }
  // Whatever the group began is undone before the caller writes it again: BEGIN in a
  // transaction left open would only warn, and the second try would build on the first.
  if (!answers) abandon_transaction();
  return answers;
}

std::optional<std::vector<BatchAnswer>> PostgresqlGroupWriter::write_in_pipeline(
    const std::vector<GroupEntry>& group, bool begun) {
  std::optional<std::vector<ResultPtr>> results;
  std::vector<BatchAnswer> answers(group.size());
  std::vector<bool> passed(group.size(), false);
  std::vector<long long> last_sequence(group.size(), 0);
  {
    Pipeline pipeline(connection_, spoiled_);
    // 1. What the checks read, all at once.
    std::set<std::string> request_ids;
    std::set<std::string> line_ids;
    for (const GroupEntry& entry : group) {
      request_ids.insert(entry.batch->request_id);
      for (const LineWrite& write : entry.batch->lines) line_ids.insert(write.line->id());
    }
    // In a turn, the transaction is open and the lock held already. The lock tells whether
    // another server's group held it: if so, the next group takes its turn first.
    if (!begun) {
      pipeline.send(kBegin);
      pipeline.send(kLockByName);
    }
    pipeline.send(kFindRequests, Params().text(text_array(request_ids)));
    pipeline.send(kLineVersions, Params().text(text_array(line_ids)));
    if (!(results = pipeline.results())) return std::nullopt;
    if (!begun) contended_ = held_elsewhere((*results)[1].get());
    const PGresult* found_requests = (*results)[begun ? 0 : 2].get();
    const PGresult* found_versions = (*results)[begun ? 1 : 3].get();
    std::set<std::string> recorded;
    for (int row = 0; row < PQntuples(found_requests); ++row)
      recorded.insert(PQgetvalue(found_requests, row, 0));
    std::map<std::string, long long> versions;  // as the batches passed so far leave them
    for (int row = 0; row < PQntuples(found_versions); ++row)
      versions[PQgetvalue(found_versions, row, 0)] =
          std::strtoll(PQgetvalue(found_versions, row, 1), nullptr, 10);

    // The checks of the statement-by-statement pass (SqlStore), on what was read and what the
    // batches before leave.
    std::set<std::uint64_t> broken_chains;
    bool any_passed = false;
    for (std::size_t i = 0; i < group.size(); ++i) {
      const CommitBatch& batch = *group[i].batch;
      const std::uint64_t chain = group[i].chain;
      std::optional<BatchAnswer> refused;
      if (chain != 0 && broken_chains.contains(chain)) {
        refused = not_written_after_failure(batch);
      } else if (recorded.contains(batch.request_id)) {
        refused = request_recorded(batch.request_id);
      } else {
        for (const LineWrite& write : batch.lines) {
          const std::string& id = write.line->id();
          const auto stored = versions.find(id);
          if (write.previous_version == 0) {
            if (stored != versions.end()) refused = line_taken(id);
          } else if (stored == versions.end()) {
            refused = line_missing(id);
          } else if (stored->second != write.previous_version) {
            refused = refusal(BatchVerdict::kLineMoved,
                              moved(id, write.previous_version, stored->second));
          }
          if (refused) break;
        }
      }
      if (refused) {
        answers[i] = std::move(*refused);
        if (chain != 0) broken_chains.insert(chain);
        continue;
      }
      passed[i] = true;
      any_passed = true;
      recorded.insert(batch.request_id);
      for (const LineWrite& write : batch.lines) versions[write.line->id()] = write.line->version();
    }
    if (!any_passed) {
      pipeline.send(kRollback);
      if (!pipeline.results()) return std::nullopt;
      return answers;
    }

    // 2. The line versions, new lines and events, each event's sequence returned.
    for (std::size_t i = 0; i < group.size(); ++i) {
      if (!passed[i]) continue;
      const CommitBatch& batch = *group[i].batch;
      for (const LineWrite& write : batch.lines) {
        pipeline.send(kInsertLineVersion, Params()
                                              .text(write.line->id())
                                              .integer(write.line->version())
                                              .integer(to_millis(batch.at))
                                              .bytes(write.document));
        if (write.previous_version == 0) pipeline.send(kInsertLine, line_params(write));
      }
      for (const RecordedEvent& event : batch.events)
        pipeline.send(kInsertEvent, Params()
                                        .text(event.line_id)
                                        .integer(event.line_sequence)
                                        .text(event.type)
                                        .text(event.from_state)
                                        .text(event.to_state)
                                        .bytes(event.payload)
                                        .text(event.actor)
                                        .integer(to_millis(event.at))
                                        .text(event.request_id)
                                        .text(event.prev_hash)
                                        .text(event.hash));
    }
    if (!(results = pipeline.results())) return std::nullopt;
    std::size_t k = 0;
    for (std::size_t i = 0; i < group.size(); ++i) {
      if (!passed[i]) continue;
      for (const LineWrite& write : group[i].batch->lines) {
        ++k;  // the line version: a row already there shows in the line's update
        if (write.previous_version == 0 && !is_one_row_changed((*results)[k++].get()))
          return std::nullopt;  // created meanwhile, outside the commit-order lock
      }
      for (std::size_t e = 0; e < group[i].batch->events.size(); ++e, ++k)
        last_sequence[i] = std::strtoll(PQgetvalue((*results)[k].get(), 0, 0), nullptr, 10);
    }

    // 3. The request ids with their outcomes, each changed line at its latest version (from the
    // version the group found stored), COMMIT.
    struct Changed {
      const LineWrite* latest;
      std::int64_t stored_version;
    };
    std::map<std::string, Changed> changed;
    for (std::size_t i = 0; i < group.size(); ++i) {
      if (!passed[i]) continue;
      const CommitBatch& batch = *group[i].batch;
      CommandOutcome outcome = batch.outcome;
      outcome.last_sequence = last_sequence[i];
      pipeline.send(kInsertRequest, Params()
                                        .text(batch.request_id)
                                        .text(batch.fingerprint)
                                        .bytes(outcome_document(outcome))
                                        .integer(to_millis(batch.at)));
      for (const LineWrite& write : batch.lines) {
        if (write.previous_version == 0) continue;  // inserted above at this version
        auto [entry, first] =
            changed.try_emplace(write.line->id(), Changed{&write, write.previous_version});
        if (!first) entry->second.latest = &write;
      }
    }
    for (const auto& [id, line] : changed)
      pipeline.send(kUpdateLine,
                    line_params(*line.latest).integer(static_cast<long long>(line.stored_version)));
    pipeline.send(kCommit);
    if (!(results = pipeline.results())) return std::nullopt;
  }
  // A transaction an error ended answers COMMIT with ROLLBACK.
  if (std::string_view(PQcmdStatus(results->back().get())) != "COMMIT") return std::nullopt;
  for (std::size_t i = 0; i < group.size(); ++i)
    if (passed[i]) answers[i] = {BatchVerdict::kWritten, last_sequence[i], Status::Ok()};
  return answers;
}

}  // namespace zbb::sql
