#include "adapters/sql/programme_rows.h"

#include <algorithm>
#include <limits>

#include "adapters/sql/backend.h"
#include "adapters/sql/batch_answers.h"
#include "engine/clock.h"

namespace zbb::sql {
namespace {

// The stored version of a programme; nullopt when no programme has the code.
std::optional<long long> stored_version(soci::session& session, const std::string& code) {
  long long version = 0;
  soci::indicator found = soci::i_null;
  session << "SELECT version FROM programmes WHERE code = :code", soci::use(code, "code"),
      soci::into(version, found);
  if (!session.got_data() || found != soci::i_ok) return std::nullopt;
  return version;
}

// A write whose programme is not at the version it was decided from.
std::optional<BatchAnswer> version_refusal(const std::string& code, std::int64_t previous,
                                           std::optional<long long> stored) {
  if (previous == 0) {
    if (stored)
      return refusal(BatchVerdict::kLineTaken,
                     Status::AlreadyExists("programme " + code + " already exists"));
    return std::nullopt;
  }
  if (!stored)
    return refusal(BatchVerdict::kLineMissing,
                   Status::NotFound("programme " + code + " not found"));
  if (*stored != previous)
    return refusal(
        BatchVerdict::kLineMoved,
        Status::Aborted("programme " + code + " was changed by someone else: expected version " +
                        std::to_string(previous) + ", stored version " + std::to_string(*stored)));
  return std::nullopt;
}

long long revision_of(soci::session& session, const std::string& department) {
  long long revision = 0;
  soci::indicator found = soci::i_null;
  session << "SELECT revision FROM library_revisions WHERE department = :department",
      soci::use(department, "department"), soci::into(revision, found);
  return session.got_data() && found == soci::i_ok ? revision : 0;
}

// A write decided on the department's programmes as they were at a revision they have left.
std::optional<BatchAnswer> revision_refusal(soci::session& session, const ProgrammeWrite& write) {
  const std::string& department = write.programme->department();
  if (!write.compared_revision || revision_of(session, department) == *write.compared_revision)
    return std::nullopt;
  return refusal(BatchVerdict::kLineMoved,
                 Status::Aborted("the library of " + department + " changed since programme " +
                                 write.programme->code() + " was compared with it"));
}

constexpr char kEventColumns[] =
    "SELECT sequence, code, programme_sequence, type, from_status, to_status, payload, actor, "
    "at_ms, request_id, prev_hash, hash FROM programme_events ";

// One programme_events row as a query reads it.
struct EventRow {
  RecordedEvent event;
  long long sequence = 0;
  long long programme_sequence = 0;
  long long at_ms = 0;
};

// Prepares kEventColumns + `where`, its columns bound into `row`.
template <typename... Parameters>
soci::statement event_query(soci::session& session, const std::string& where, EventRow& row,
                            Parameters&&... parameters) {
  RecordedEvent& e = row.event;
  soci::statement query(session);
  (query.exchange(std::forward<Parameters>(parameters)), ...);
  query.exchange(soci::into(row.sequence));
  query.exchange(soci::into(e.line_id));
  query.exchange(soci::into(row.programme_sequence));
  query.exchange(soci::into(e.type));
  query.exchange(soci::into(e.from_state));
  query.exchange(soci::into(e.to_state));
  query.exchange(soci::into(e.payload));
  query.exchange(soci::into(e.actor));
  query.exchange(soci::into(row.at_ms));
  query.exchange(soci::into(e.request_id));
  query.exchange(soci::into(e.prev_hash));
  query.exchange(soci::into(e.hash));
  query.alloc();
  query.prepare(std::string(kEventColumns) + where);
  query.define_and_bind();
  return query;
}

// The rows of `query`, in order; DATA_LOSS for a time out of the calendar.
Result<std::vector<RecordedEvent>> read_events(soci::statement& query, const EventRow& row,
                                               Backend backend) {
  std::vector<RecordedEvent> events;
  if (query.execute(true)) {
    do {
      if (!within_calendar(row.at_ms)) {
        // Stepped to its end first, so that the statement lets go of its read snapshot.
        while (query.fetch()) {
        }
        return Status::DataLoss("programme " + row.event.line_id + ": stored event " +
                                std::to_string(row.sequence) +
                                " does not decode: at_ms is out of range");
      }
      RecordedEvent event = row.event;
      event.sequence = row.sequence;
      event.line_sequence = row.programme_sequence;
      event.at = from_millis(row.at_ms);
      event.payload = blob_column(backend, std::move(event.payload));
      events.push_back(std::move(event));
    } while (query.fetch());
  }
  return events;
}

long long as_limit(std::size_t limit) {
  // SQLite's LIMIT is a signed 64-bit value; anything larger means "all of them".
  return static_cast<long long>(
      std::min<std::size_t>(limit, std::numeric_limits<long long>::max()));
}

}  // namespace

std::optional<BatchAnswer> check_programmes(soci::session& session, const CommitBatch& batch) {
  for (const ProgrammeWrite& write : batch.programmes) {
    const std::string& code = write.programme->code();
    if (auto refused = version_refusal(code, write.previous_version, stored_version(session, code)))
      return refused;
    if (auto refused = revision_refusal(session, write)) return refused;
  }
  return std::nullopt;
}

std::optional<BatchAnswer> write_programmes(soci::session& session, const CommitBatch& batch,
                                            long long& last_sequence) {
  const Backend backend = backend_of(session);
  for (const ProgrammeWrite& write : batch.programmes) {
    const Programme& programme = *write.programme;
    const std::string code = programme.code();
    const std::string department = programme.department();
    const std::string status = status_name(programme.status());
    const std::string title = programme.title();
    const long long version = programme.version();
    const long long previous = write.previous_version;
    const std::string document = blob_parameter(backend, write.document);
    // Checked again here: a batch before this one in the group may have written them.
    if (auto refused = revision_refusal(session, write)) return refused;
    soci::statement statement(session);
    if (write.previous_version == 0) {
      statement =
          (session.prepare << "INSERT INTO programmes (code, department, status, title, "
                              "version, last_hash, document) VALUES (:code, :department, "
                              ":status, :title, :version, :last_hash, "
                              "CAST(:document AS BLOB)) ON CONFLICT (code) DO NOTHING",
           soci::use(code, "code"), soci::use(department, "department"),
           soci::use(status, "status"), soci::use(title, "title"), soci::use(version, "version"),
           soci::use(write.last_hash, "last_hash"), soci::use(document, "document"));
    } else {
      statement = (session.prepare << "UPDATE programmes SET department = :department, status = "
                                      ":status, title = :title, version = :version, last_hash = "
                                      ":last_hash, document = CAST(:document AS BLOB) WHERE code "
                                      "= :code AND version = :previous",
                   soci::use(department, "department"), soci::use(status, "status"),
                   soci::use(title, "title"), soci::use(version, "version"),
                   soci::use(write.last_hash, "last_hash"), soci::use(document, "document"),
                   soci::use(code, "code"), soci::use(previous, "previous"));
    }
    statement.execute(true);
    if (statement.get_affected_rows() == 0) {
      if (auto refused =
              version_refusal(code, write.previous_version, stored_version(session, code)))
        return refused;
      return refusal(BatchVerdict::kLineMoved, Status::Aborted("programme " + code + " moved"));
    }
    session << "INSERT INTO library_revisions (department, revision) VALUES (:department, 1) "
               "ON CONFLICT (department) DO UPDATE SET revision = library_revisions.revision + 1",
        soci::use(department, "department");
  }
  for (const RecordedEvent& event : batch.programme_events) {
    const long long sequence = event.line_sequence;
    const long long at_ms = to_millis(event.at);
    const std::string payload = blob_parameter(backend, event.payload);
    // The sequence the log gave the event: returned by the insert (both databases have
    // RETURNING), so that it is this statement's, whoever else inserts.
    session << "INSERT INTO programme_events (code, programme_sequence, type, from_status, "
               "to_status, payload, actor, at_ms, request_id, prev_hash, hash) VALUES (:code, "
               ":sequence, :type, :from_status, :to_status, CAST(:payload AS BLOB), :actor, "
               ":at_ms, :request_id, :prev_hash, :hash) RETURNING sequence",
        soci::use(event.line_id, "code"), soci::use(sequence, "sequence"),
        soci::use(event.type, "type"), soci::use(event.from_state, "from_status"),
        soci::use(event.to_state, "to_status"), soci::use(payload, "payload"),
        soci::use(event.actor, "actor"), soci::use(at_ms, "at_ms"),
        soci::use(event.request_id, "request_id"), soci::use(event.prev_hash, "prev_hash"),
        soci::use(event.hash, "hash"), soci::into(last_sequence);
  }
  return std::nullopt;
}

Result<StoredProgramme> load_programme(soci::session& session, const std::string& code) {
  std::string document;
  std::string last_hash;
  session << "SELECT document, last_hash FROM programmes WHERE code = :code",
      soci::use(code, "code"), soci::into(document), soci::into(last_hash);
  if (!session.got_data()) return Status::NotFound("programme " + code + " not found");
  auto programme = std::make_shared<Programme>();
  if (!programme->ParseFromString(blob_column(backend_of(session), std::move(document))))
    return Status::DataLoss("programme " + code + ": stored document does not decode");
  return StoredProgramme{.programme = std::move(programme), .last_hash = std::move(last_hash)};
}

Result<std::vector<Programme>> list_programmes(soci::session& session,
                                               const ProgrammeFilter& filter,
                                               const std::string& after_code, std::size_t limit) {
  std::vector<Programme> programmes;
  if (limit == 0) return programmes;
  const std::string department = filter.department;
  const std::string status = status_name(filter.status);
  const long long page = as_limit(limit);
  std::string code;
  std::string document;
  // An empty criterion matches every programme; each appears twice, as SOCI binds a name once
  // per occurrence.
  soci::statement query =
      (session.prepare << "SELECT code, document FROM programmes WHERE code > :after AND "
                          "(:department = '' OR department = :department_again) AND "
                          "(:status = '' OR status = :status_again) ORDER BY code LIMIT :limit",
       soci::use(after_code, "after"), soci::use(department, "department"),
       soci::use(department, "department_again"), soci::use(status, "status"),
       soci::use(status, "status_again"), soci::use(page, "limit"), soci::into(code),
       soci::into(document));
  const Backend backend = backend_of(session);
  if (query.execute(true)) {
    do {
      Programme programme;
      if (!programme.ParseFromString(blob_column(backend, document))) {
        while (query.fetch()) {
        }
        return Status::DataLoss("programme " + code + ": stored document does not decode");
      }
      programmes.push_back(std::move(programme));
    } while (query.fetch());
  }
  return programmes;
}

Result<std::vector<RecordedEvent>> programme_history(soci::session& session,
                                                     const std::string& code) {
  if (!stored_version(session, code)) return Status::NotFound("programme " + code + " not found");
  EventRow row;
  soci::statement query = event_query(session, "WHERE code = :code ORDER BY programme_sequence",
                                      row, soci::use(code, "code"));
  return read_events(query, row, backend_of(session));
}

Result<std::vector<RecordedEvent>> programme_events_after(soci::session& session,
                                                          std::int64_t after, std::size_t limit) {
  if (limit == 0) return std::vector<RecordedEvent>();
  const long long from = after;
  const long long page = as_limit(limit);
  EventRow row;
  soci::statement query =
      event_query(session, "WHERE sequence > :after ORDER BY sequence LIMIT :limit", row,
                  soci::use(from, "after"), soci::use(page, "limit"));
  return read_events(query, row, backend_of(session));
}

Result<std::int64_t> library_revision(soci::session& session, const std::string& department) {
  return std::int64_t{revision_of(session, department)};
}

}  // namespace zbb::sql
