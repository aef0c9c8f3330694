// A database written by an earlier zbbd (schema v6: the demo scenario, see tests/data/README.md)
// opens with today's code: it upgrades in place (documents, outcomes and reports rewritten as
// protobuf, events kept as they were), every line keeps its state, money and history, the audit
// chain verifies across the upgrade, and new commands chain onto the old events.

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "adapters/sql/schema.h"
#include "engine/audit.h"
#include "tests/county_fixture.h"
#include "workflows/report_documents.h"
#include "workflows/state_ids.h"

namespace zbb::testing {
namespace {

namespace s = review::state;

// The fixture copied to a file of this test's own (the upgrade writes it), removed at the end.
struct CopiedDatabase {
  CopiedDatabase() {
    path = (std::filesystem::temp_directory_path() /
            ("zbb-migration-" + std::to_string(::getpid()) + ".db"))
               .string();
    std::filesystem::copy_file(std::string(ZBB_SOURCE_DIR) + "/tests/data/zbb-v6.db", path,
                               std::filesystem::copy_options::overwrite_existing);
  }
  ~CopiedDatabase() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  }
  std::string path;
};

// What the file holds, read with SQL alone (not through the store that upgrades it).
struct Contents {
  int schema_version = 0;
  // From the JSON documents of v6 (json_extract): what each line said of itself.
  std::map<std::string, std::tuple<std::string, long long, long long, long long>>
      facts;                                        // id → title, requested, approved, spent
  std::map<long long, std::string> payloads;        // event sequence → payload as stored
  std::map<std::string, long long> report_totals;   // ranking id → funded total
  std::map<std::string, long long> last_sequences;  // request key → outcome's last sequence
  std::map<std::string, std::pair<std::string, long long>> lines;  // id → state, version
  long long events = 0;
  long long reports = 0;
  std::map<std::pair<int, std::string>, long long> pools;  // (year, department) → balance
};

Contents read_contents(const std::string& path) {
  soci::session sql(soci::sqlite3, "db=" + path);
  Contents contents;
  sql << "SELECT MAX(version) FROM schema_version", soci::into(contents.schema_version);
  // Into typed vectors: SOCI converts each column to the type asked for.
  std::vector<std::string> ids(1000), states(1000), departments(1000);
  std::vector<long long> versions(1000), balances(1000);
  std::vector<int> years(1000);
  sql << "SELECT id, state, version FROM lines", soci::into(ids), soci::into(states),
      soci::into(versions);
  for (std::size_t i = 0; i < ids.size(); ++i) contents.lines[ids[i]] = {states[i], versions[i]};
  sql << "SELECT COUNT(*) FROM events", soci::into(contents.events);
  if (contents.schema_version < 8) {
    ids.resize(1000);
    std::vector<std::string> titles(1000);
    std::vector<long long> requested(1000), approved(1000), spent(1000);
    sql << "SELECT id, json_extract(document, '$.content.title'), "
           "json_extract(document, '$.content.requested_amount'), "
           "json_extract(document, '$.approved_amount'), json_extract(document, '$.spent_amount') "
           "FROM lines",
        soci::into(ids), soci::into(titles), soci::into(requested), soci::into(approved),
        soci::into(spent);
    for (std::size_t i = 0; i < ids.size(); ++i)
      contents.facts[ids[i]] = {titles[i], requested[i], approved[i], spent[i]};
    std::vector<long long> sequences(1000);
    std::vector<std::string> payloads(1000);
    sql << "SELECT sequence, payload FROM events", soci::into(sequences), soci::into(payloads);
    for (std::size_t i = 0; i < sequences.size(); ++i)
      contents.payloads[sequences[i]] = payloads[i];
    std::vector<std::string> report_ids(1000);
    std::vector<long long> totals(1000);
    sql << "SELECT id, json_extract(body, '$.funded_total') FROM reports WHERE kind = 'ranking'",
        soci::into(report_ids), soci::into(totals);
    for (std::size_t i = 0; i < report_ids.size(); ++i)
      contents.report_totals[report_ids[i]] = totals[i];
    std::vector<std::string> keys(1000);
    std::vector<long long> last(1000);
    sql << "SELECT request_id, json_extract(outcome, '$.last_sequence') FROM requests",
        soci::into(keys), soci::into(last);
    for (std::size_t i = 0; i < keys.size(); ++i) contents.last_sequences[keys[i]] = last[i];
  }
  sql << "SELECT COUNT(*) FROM reports", soci::into(contents.reports);
  sql << "SELECT fiscal_year, department, balance FROM pools WHERE balance != 0", soci::into(years),
      soci::into(departments), soci::into(balances);
  for (std::size_t i = 0; i < years.size(); ++i)
    contents.pools[{years[i], departments[i]}] = balances[i];
  return contents;
}

}  // namespace

TEST_CASE("a schema v6 database upgrades on first open with state, history and audit intact",
          "[persistence][migration]") {
  CopiedDatabase database;
  const Contents before = read_contents(database.path);
  REQUIRE(before.schema_version == 6);
  REQUIRE(before.lines.size() >= 10);
  REQUIRE_FALSE(before.pools.empty());
  REQUIRE(before.reports > 0);

  County county(database.path);
  CHECK(read_contents(database.path).schema_version == sql::kSchemaVersion);

  long long events = 0;
  std::string executing;
  for (const auto& [id, stored] : before.lines) {
    INFO(id);
    const BudgetLine line = county.line(id);
    CHECK(line.state() == stored.first);
    CHECK(line.version() == stored.second);
    const auto& [title, requested, approved, spent] = before.facts.at(id);
    CHECK(line.content().title() == title);
    CHECK(line.content().requested_amount() == requested);
    CHECK(line.approved_amount() == approved);
    CHECK(line.spent_amount() == spent);
    const auto history = county.history(id);
    CHECK(static_cast<long long>(history.size()) == stored.second);
    // Events are never rewritten: each keeps its JSON payload, byte for byte.
    for (const RecordedEvent& event : history) {
      CHECK(event.payload_encoding == PayloadEncoding::kJson);
      CHECK(event.payload == before.payloads.at(event.sequence));
    }
    events += static_cast<long long>(history.size());
    if (line.state() == s::kExecuting && executing.empty()) executing = id;
    // Its versions before the upgrade are not known, but its current one is kept: as of its
    // last update it reads as it is, before then not at all.
    const Timestamp updated = from_proto(line.updated_at());
    auto then = county.store->line_as_of(id, updated);
    REQUIRE(then.ok());
    REQUIRE(then->has_value());
    CHECK(same_line(**then, line));
    CHECK_FALSE(county.store->line_as_of(id, updated - std::chrono::milliseconds(1))->has_value());
  }
  CHECK(events == before.events);

  auto audit = verify_audit(*county.store, "");
  REQUIRE(audit.ok());
  CHECK_FALSE(audit->first_broken.has_value());
  CHECK(audit->events_checked == before.events);

  // Each balance kept before becomes one opening movement; reports list as they were kept.
  for (const auto& [key, balance] : before.pools) {
    auto pool = county.store->pool(key.first, key.second, 10);
    REQUIRE(pool.ok());
    CHECK(pool->balance == balance);
    REQUIRE(pool->movements.size() == 1);
    CHECK(pool->movements[0].reason == "opening balance");
    CHECK(pool->movements[0].delta == balance);
  }
  auto reports = county.store->list_reports({}, std::nullopt, 1000);
  REQUIRE(reports.ok());
  CHECK(static_cast<long long>(reports->size()) == before.reports);
  for (const ReportSummary& summary : *reports) {
    auto report = county.store->find_report(summary.id);
    REQUIRE(report.ok());
    if (report->kind == review::kRankingReportKind) {
      auto ranking = review::ranking_from_document(report->body, report->id);
      REQUIRE(ranking.ok());
      CHECK(ranking->funded_total() == before.report_totals.at(report->id));
    } else {
      CHECK(review::monitoring_from_document(report->body, report->id).ok());
    }
  }
  // Request outcomes read back, each as it was first answered.
  for (const auto& [key, last_sequence] : before.last_sequences) {
    auto request = county.store->find_request(key);
    REQUIRE(request.ok());
    REQUIRE(request->has_value());
    CHECK((*request)->outcome.last_sequence == last_sequence);
  }

  // A new command on an old line chains onto its last old event.
  REQUIRE_FALSE(executing.empty());
  county.clock.set(at(2027, 12, 21));  // after the old events (the demo's clock)
  const auto old_history = county.history(executing);
  REQUIRE(
      county.act(actor::kTreasury, executing, record_spending(1'00, "GK-AFTER-UPGRADE", "")).ok());
  const auto history = county.history(executing);
  REQUIRE(history.size() == old_history.size() + 1);
  CHECK(history.back().prev_hash == old_history.back().hash);
  CHECK(history.back().payload_encoding == PayloadEncoding::kProtobuf);
  CHECK(payload_of(history.back()).event().record_spending().payment_ref() == "GK-AFTER-UPGRADE");
  auto line_audit = verify_audit(*county.store, executing);
  REQUIRE(line_audit.ok());
  CHECK_FALSE(line_audit->first_broken.has_value());
}

TEST_CASE("an upgraded database opens again unchanged", "[persistence][migration]") {
  CopiedDatabase database;
  { County first(database.path); }
  const Contents once = read_contents(database.path);
  { County second(database.path); }
  const Contents twice = read_contents(database.path);
  CHECK(twice.schema_version == sql::kSchemaVersion);
  CHECK(twice.lines == once.lines);
  CHECK(twice.events == once.events);
  soci::session sql(soci::sqlite3, "db=" + database.path);
  long long openings = 0;
  sql << "SELECT COUNT(*) FROM pool_movements WHERE reason = 'opening balance'",
      soci::into(openings);
  CHECK(openings == static_cast<long long>(once.pools.size()));
}

}  // namespace zbb::testing

namespace zbb::testing {

TEST_CASE("a request recorded before the upgrade answers a retry with its first outcome",
          "[persistence][migration]") {
  CopiedDatabase database;
  std::string key;
  {
    soci::session sql(soci::sqlite3, "db=" + database.path);
    sql << "SELECT request_id FROM requests ORDER BY request_id LIMIT 1", soci::into(key);
  }
  REQUIRE(key.find('|') != std::string::npos);
  County county(database.path);
  auto stored = county.store->find_request(key);
  REQUIRE(stored.ok());
  REQUIRE(stored->has_value());
  // Its fingerprint was taken from JSON: none is kept, so the retry cannot be told from another
  // use of the id, and the first outcome stands for both.
  CHECK((*stored)->fingerprint.empty());
  const auto bar = key.find('|');
  Command retry{key.substr(bar + 1), Principal{key.substr(0, bar), {}}, {}};
  retry.items.push_back({(*stored)->outcome.items.front().line_id, std::nullopt, submit_line()});
  auto outcome = county.engine.execute(retry);
  REQUIRE(outcome.ok());
  CHECK(outcome->replayed);
  CHECK(outcome->items == (*stored)->outcome.items);
}

}  // namespace zbb::testing

namespace zbb::testing {

TEST_CASE("an upgrade converts every line however many there are, a page at a time",
          "[persistence][migration]") {
  CopiedDatabase database;
  long long before = 0;
  {
    // 2,500 more lines as v6 wrote them: copies of one, each under an id of its own.
    soci::session sql(soci::sqlite3, "db=" + database.path);
    sql << "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500) "
           "INSERT INTO lines (id, fiscal_year, department, programme_code, category, state, "
           "waiting_on, requested_amount, funded_amount, approved_amount, spent_amount, version, "
           "state_entered_ms, updated_ms, last_hash, document, due_ms, sla_breached, warning) "
           "SELECT printf('BULK-%05d', i), fiscal_year, department, programme_code, category, "
           "state, waiting_on, requested_amount, funded_amount, approved_amount, spent_amount, "
           "version, state_entered_ms, updated_ms, last_hash, "
           "json_set(document, '$.id', printf('BULK-%05d', i)), due_ms, sla_breached, warning "
           "FROM n, (SELECT * FROM lines ORDER BY id LIMIT 1)";
    sql << "SELECT COUNT(*) FROM lines", soci::into(before);
  }
  REQUIRE(before > 2500);

  County county(database.path);

  auto all = list_all_lines(*county.store, {});
  REQUIRE(all.ok());
  CHECK(static_cast<long long>(all->size()) == before);
  CHECK(county.line("BULK-00001").id() == "BULK-00001");
  CHECK(county.line("BULK-02500").id() == "BULK-02500");
}

}  // namespace zbb::testing
