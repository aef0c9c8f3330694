#include "bench/load/sqlite_floor.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <random>

#include "bench/load/bench_error.h"
#include "zbb/v1/events.pb.h"

namespace zbb::bench {
namespace {

using Clock = std::chrono::steady_clock;

// The events table as zbbd creates it, and the lines table its foreign key points at (only
// the key: the floor writes events, not line projections).
constexpr const char* kSchema[] = {
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA cache_size = -32768",  // zbbd's page cache per connection (32 MiB)
    "CREATE TABLE lines (id TEXT PRIMARY KEY NOT NULL) STRICT",
    "CREATE TABLE events ("
    " sequence INTEGER PRIMARY KEY AUTOINCREMENT,"
    " line_id TEXT NOT NULL REFERENCES lines (id),"
    " line_sequence INTEGER NOT NULL CHECK (line_sequence > 0),"
    " type TEXT NOT NULL,"
    " from_state TEXT NOT NULL,"
    " to_state TEXT NOT NULL,"
    " payload TEXT NOT NULL,"
    " actor TEXT NOT NULL,"
    " at_ms INTEGER NOT NULL,"
    " request_id TEXT NOT NULL,"
    " prev_hash TEXT NOT NULL,"
    " hash TEXT NOT NULL,"
    " payload_protobuf BLOB,"  // schema v8: the payload of every new event
    " UNIQUE (line_id, line_sequence)"
    ") STRICT",
};

constexpr char kInsertLine[] = "INSERT INTO lines (id) VALUES (?1)";
constexpr char kInsertEvent[] =
    "INSERT INTO events (line_id, line_sequence, type, from_state, to_state, payload, "
    "payload_protobuf, actor, at_ms, request_id, prev_hash, hash) "
    "VALUES (?1, ?2, ?3, ?4, ?5, '', ?6, ?7, ?8, ?9, ?10, ?11)";

struct CloseDatabase {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct FinalizeStatement {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Database = std::unique_ptr<sqlite3, CloseDatabase>;
using Statement = std::unique_ptr<sqlite3_stmt, FinalizeStatement>;

void check(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    throw BenchError(fmt::format("sqlite floor: {}: {}", what, sqlite3_errmsg(db)));
}

void exec(sqlite3* db, const char* sql) {
  check(db, sqlite3_exec(db, sql, nullptr, nullptr, nullptr), sql);
}

Statement prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* s = nullptr;
  check(db, sqlite3_prepare_v2(db, sql, -1, &s, nullptr), sql);
  return Statement(s);
}

void bind_text(sqlite3* db, sqlite3_stmt* s, int index, const std::string& text) {
  check(db, sqlite3_bind_text(s, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC),
        "bind");
}

// 64 hex digits, as a SHA-256 in hex; the floor measures storage, not hashing.
std::string hex64(std::mt19937_64& random) {
  std::string text;
  for (int i = 0; i < 4; ++i) text += fmt::format("{:016x}", random());
  return text;
}

}  // namespace

SqliteFloorOutcome run_sqlite_floor(const SqliteFloorSettings& settings) {
  std::filesystem::remove(settings.path);
  std::filesystem::remove(settings.path + "-wal");
  std::filesystem::remove(settings.path + "-shm");
  sqlite3* raw = nullptr;
  if (sqlite3_open(settings.path.c_str(), &raw) != SQLITE_OK) {
    const std::string reason = raw ? sqlite3_errmsg(raw) : "out of memory";
    sqlite3_close(raw);
    throw BenchError(fmt::format("sqlite floor: open {}: {}", settings.path, reason));
  }
  Database db(raw);
  exec(db.get(), "PRAGMA busy_timeout = 5000");
  for (const char* sql : kSchema) exec(db.get(), sql);

  std::vector<std::string> lines;
  std::vector<std::int64_t> line_sequence;
  {
    Statement insert_line = prepare(db.get(), kInsertLine);
    exec(db.get(), "BEGIN IMMEDIATE");
    for (int i = 0; i < settings.lines; ++i) {
      lines.push_back(fmt::format("{}-batch-c{}-l{}", settings.id_prefix, i % 16, i));
      bind_text(db.get(), insert_line.get(), 1, lines.back());
      check(db.get(), sqlite3_step(insert_line.get()), "insert line");
      sqlite3_reset(insert_line.get());
    }
    exec(db.get(), "COMMIT");
    line_sequence.assign(lines.size(), 1);  // each line's create event came first
  }

  Statement insert = prepare(db.get(), kInsertEvent);
  std::mt19937_64 random(1);
  std::vector<std::string> last_hash(lines.size());
  for (auto& h : last_hash) h = hex64(random);
  const std::string type = "record_spending";
  const std::string state = "execution.executing";
  const std::string actor = "bench.treasury";

  SqliteFloorOutcome outcome;
  const Clock::time_point start = Clock::now();
  const Clock::time_point end = start + std::chrono::duration_cast<Clock::duration>(
                                            std::chrono::duration<double>(settings.seconds));
  struct Row {
    std::size_t line;
    std::int64_t sequence;
    std::string payload;
    std::string request_id;
    std::string prev_hash;
    std::string hash;
    std::int64_t at_ms;
  };
  std::vector<Row> rows(static_cast<std::size_t>(settings.rows_per_transaction));
  std::int64_t row = 0;
  Clock::duration inserting{};
  for (std::int64_t transaction = 0;; ++transaction) {
    if (settings.rows > 0 ? row >= settings.rows : Clock::now() >= end) break;
    // The rows of a transaction are made first: the floor times SQLite alone.
    const auto at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
    for (std::size_t i = 0; i < rows.size(); ++i) {
      Row& r = rows[i];
      r.line = static_cast<std::size_t>((row + static_cast<std::int64_t>(i)) %
                                        static_cast<std::int64_t>(lines.size()));
      r.sequence = ++line_sequence[r.line];
      // What zbbd stores for a 1-fen treasury payment, an item of a non-atomic batch.
      zbb::v1::EventPayload payload;
      auto* spending = payload.mutable_event()->mutable_record_spending();
      spending->set_amount(1);
      spending->set_payment_ref(fmt::format("GK-{}-{}-{}", settings.id_prefix, transaction, i));
      spending->set_comment("国库集中支付");
      payload.mutable_decided()->set_spent_amount(r.sequence - 1);
      r.payload = payload.SerializeAsString();
      r.request_id =
          fmt::format("{}-batch-c{}-{}/{}", settings.id_prefix, r.line % 16, transaction, i);
      r.prev_hash = last_hash[r.line];
      r.hash = hex64(random);
      r.at_ms = at_ms;
      last_hash[r.line] = r.hash;
    }
    const Clock::time_point began = Clock::now();
    exec(db.get(), "BEGIN IMMEDIATE");
    sqlite3_stmt* s = insert.get();
    for (const Row& r : rows) {
      bind_text(db.get(), s, 1, lines[r.line]);
      check(db.get(), sqlite3_bind_int64(s, 2, r.sequence), "bind");
      bind_text(db.get(), s, 3, type);
      bind_text(db.get(), s, 4, state);
      bind_text(db.get(), s, 5, state);
      check(db.get(),
            sqlite3_bind_blob(s, 6, r.payload.data(), static_cast<int>(r.payload.size()),
                              SQLITE_STATIC),
            "bind");
      bind_text(db.get(), s, 7, actor);
      check(db.get(), sqlite3_bind_int64(s, 8, r.at_ms), "bind");
      bind_text(db.get(), s, 9, r.request_id);
      bind_text(db.get(), s, 10, r.prev_hash);
      bind_text(db.get(), s, 11, r.hash);
      check(db.get(), sqlite3_step(s), "insert event");
      sqlite3_reset(s);
    }
    exec(db.get(), "COMMIT");
    const Clock::time_point committed = Clock::now();
    inserting += committed - began;
    outcome.commits.push_back(nanoseconds_between(began, committed));
    outcome.payload_bytes = static_cast<std::int64_t>(rows.back().payload.size());
    row += static_cast<std::int64_t>(rows.size());
  }
  outcome.rows = row;
  outcome.seconds = std::chrono::duration<double>(inserting).count();
  return outcome;
}

}  // namespace zbb::bench
