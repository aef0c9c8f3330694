// The store's contract: what a commit writes comes back unchanged, a refused commit writes
// nothing, and the database itself guards the event log and its schema version. Every test
// not tagged [sqlite] runs on SQLite and, registered a second time, on PostgreSQL
// (tests/test_database.h); those tagged [sqlite] check what only SQLite has (files, WAL, the
// upgrades of older schemas, its query plans).

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <mutex>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "adapters/sql/line_listing.h"
#include "adapters/sql/postgresql_schema.h"
#include "adapters/sql/schema.h"
#include "adapters/sql/sql_store.h"
#include "engine/group_commit.h"
#include "engine/proto_codec.h"
#include "engine/recorded_event.h"
#include "tests/message_builders.h"
#include "tests/test_database.h"
#include "workflows/legacy_reports.h"

namespace zbb {
namespace {

using namespace std::chrono_literals;
using sql::kListByFiscalYear;
using sql::kListByProgramme;
using sql::list_lines_sql;
using sql::SqlStore;
using testing::assign;
using testing::cost_item;
using testing::fresh_database;
using testing::same_line;
using testing::TempDatabase;

std::unique_ptr<SqlStore> open_store(const std::string& path) {
  auto store = SqlStore::open(path);
  INFO(store.status().to_string());
  REQUIRE(store.ok());
  return std::move(store).value();
}

// 2026-03-02 09:00 Beijing time, when the county's spending units start their requests.
Timestamp cycle_start() {
  using namespace std::chrono;
  return time_point_cast<milliseconds>(sys_days{2026y / March / 2} + 1h);
}

Indicator indicator(std::string name, IndicatorLevel1 level1, IndicatorLevel2 level2,
                    std::string unit, double target) {
  return testing::quantitative(std::move(name), level1, level2, std::move(unit), target,
                               zbb::v1::DIRECTION_AT_LEAST);
}

LineContent rural_road_maintenance() {
  LineContent content;
  content.set_fiscal_year(2026);
  content.set_department("永清县交通运输局");
  content.set_programme_code("YQ-JT-003");
  content.set_title("农村公路养护");
  content.set_category(zbb::v1::CATEGORY_PROJECT);
  content.set_requested_amount(125'000'000);  // 1,250,000.00 yuan
  assign(content.mutable_cost_items(),
         {
             cost_item("沥青路面修补（平方米）", 12'000, 8'500, 102'000'000),
             cost_item("桥涵定期检测（座）", 40, 450'000, 18'000'000),
             cost_item("安全标志更新", 1, 5'000'000, 5'000'000),
         });
  content.set_necessity_statement(
      "全县农村公路 412 公里，其中 86 公里路面破损，影响群众出行与农产品外运。");
  assign(content.mutable_indicators(),
         {
             indicator("养护里程", zbb::v1::INDICATOR_LEVEL1_OUTPUT,
                       zbb::v1::INDICATOR_LEVEL2_QUANTITY, "公里", 86),
             indicator("路况优良率", zbb::v1::INDICATOR_LEVEL1_EFFECT,
                       zbb::v1::INDICATOR_LEVEL2_SOCIAL, "%", 85.5),
             indicator("沿线群众满意度", zbb::v1::INDICATOR_LEVEL1_SATISFACTION,
                       zbb::v1::INDICATOR_LEVEL2_SERVICE_OBJECT_SATISFACTION, "%", 90),
         });
  return content;
}

LineContent student_nutrition_subsidy() {
  LineContent content;
  content.set_fiscal_year(2026);
  content.set_department("永清县教育局");
  content.set_programme_code("YQ-JY-011");
  content.set_title("农村义务教育学生营养改善计划");
  content.set_category(zbb::v1::CATEGORY_BASIC);
  content.set_requested_amount(388'800'000);  // 3,888,000.00 yuan
  assign(content.mutable_cost_items(),
         {cost_item("膳食补助（人·学年）", 4'800, 81'000, 388'800'000)});
  content.set_necessity_statement("按每生每天 5 元标准，保障 4800 名农村学生在校午餐。");
  assign(content.mutable_indicators(),
         {
             indicator("受益学生人数", zbb::v1::INDICATOR_LEVEL1_OUTPUT,
                       zbb::v1::INDICATOR_LEVEL2_QUANTITY, "人", 4'800),
             indicator("家长满意度", zbb::v1::INDICATOR_LEVEL1_SATISFACTION,
                       zbb::v1::INDICATOR_LEVEL2_SERVICE_OBJECT_SATISFACTION, "%", 95),
         });
  return content;
}

BudgetLine draft_line(std::string id, LineContent content, Timestamp at) {
  BudgetLine line;
  line.set_id(std::move(id));
  *line.mutable_content() = std::move(content);
  line.set_state("draft");
  line.set_waiting_on("unit:" + line.content().department());
  line.set_version(1);
  line.set_policy_version("yongqing-2026.1");
  line.set_created_by("jiaotong.zhang");
  *line.mutable_created_at() = to_proto(at);
  *line.mutable_updated_at() = to_proto(at);
  *line.mutable_state_entered_at() = to_proto(at);
  return line;
}

RecordedEvent chained_event(const BudgetLine& line, std::string type, std::string from_state,
                            std::string prev_hash, const std::string& request_id) {
  RecordedEvent event;
  event.line_id = line.id();
  event.line_sequence = line.version();
  event.type = std::move(type);
  event.from_state = std::move(from_state);
  event.to_state = line.state();
  event.payload = R"({"title":")" + line.content().title() + R"("})";
  event.actor = line.created_by();
  event.at = from_proto(line.updated_at());
  event.request_id = request_id;
  event.prev_hash = std::move(prev_hash);
  event.hash = compute_event_hash(event);
  return event;
}

// A command that creates `lines` as drafts, one `create` event each.
CommitBatch create_batch(const std::string& request_id, const std::vector<BudgetLine>& lines) {
  CommitBatch batch;
  batch.request_id = request_id;
  batch.fingerprint = sha256_hex("create:" + request_id);
  batch.at = from_proto(lines.front().created_at());
  for (const BudgetLine& line : lines) {
    RecordedEvent event = chained_event(line, "create", "", "", request_id);
    batch.lines.push_back({.line = std::make_shared<const BudgetLine>(line),
                           .previous_version = 0,
                           .last_hash = event.hash});
    batch.events.push_back(std::move(event));
    batch.outcome.items.push_back(
        {.line_id = line.id(), .version = line.version(), .state = line.state()});
  }
  return batch;
}

// A command that submits a stored line, computed from the version `from` it was read at.
CommitBatch submit_batch(const std::string& request_id, const StoredLine& from) {
  BudgetLine line = *from.line;
  line.set_version(line.version() + 1);
  line.set_state("justification.submitted");
  line.set_waiting_on("reviewer");
  line.set_submitted_by(line.created_by());
  *line.mutable_updated_at() = to_proto(from_proto(from.line->updated_at()) + 1h);
  *line.mutable_state_entered_at() = line.updated_at();
  RecordedEvent event =
      chained_event(line, "submit", from.line->state(), from.last_hash, request_id);
  CommitBatch batch;
  batch.request_id = request_id;
  batch.fingerprint = sha256_hex("submit:" + request_id);
  batch.at = from_proto(line.updated_at());
  batch.lines.push_back({.line = std::make_shared<const BudgetLine>(line),
                         .previous_version = from.line->version(),
                         .last_hash = event.hash});
  batch.events.push_back(event);
  batch.outcome.items.push_back(
      {.line_id = line.id(), .version = line.version(), .state = line.state()});
  return batch;
}

// A batch as the engine hands it to the group commit: each line with its document.
std::shared_ptr<const CommitBatch> with_documents(CommitBatch batch) {
  for (LineWrite& write : batch.lines)
    if (write.document.empty()) write.document = line_document(*write.line);
  return std::make_shared<const CommitBatch>(std::move(batch));
}

Result<std::int64_t> as_result(const BatchAnswer& answer) {
  if (answer.verdict == BatchVerdict::kWritten) return answer.last_sequence;
  return answer.status;
}

// One batch in a transaction of its own, straight through the store's CommitLog.
Result<std::int64_t> commit(Store& store, const CommitBatch& batch) {
  return as_result(store.write_group({{with_documents(batch), 0}}).front());
}

// Batches that stand each alone, in one transaction.
std::vector<Result<std::int64_t>> write_group(Store& store,
                                              const std::vector<CommitBatch>& batches) {
  std::vector<GroupEntry> group;
  for (const CommitBatch& batch : batches) group.push_back({with_documents(batch), 0});
  std::vector<Result<std::int64_t>> results;
  for (const BatchAnswer& answer : store.write_group(group)) results.push_back(as_result(answer));
  return results;
}

// Batches of one call through the engine's group commit, as one chain.
std::vector<BatchAnswer> commit_chain(GroupCommit& commits,
                                      const std::vector<CommitBatch>& batches) {
  std::vector<std::shared_ptr<const CommitBatch>> chain;
  for (const CommitBatch& batch : batches) chain.push_back(with_documents(batch));
  return commits.commit(std::move(chain));
}

std::int64_t commit_ok(SqlStore& store, const CommitBatch& batch) {
  auto sequence = commit(store, batch);
  INFO(sequence.status().to_string());
  REQUIRE(sequence.ok());
  return *sequence;
}

StoredLine load_ok(SqlStore& store, const std::string& id) {
  auto stored = store.load_line(id);
  INFO(stored.status().to_string());
  REQUIRE(stored.ok());
  return std::move(stored).value();
}

std::vector<RecordedEvent> all_events(SqlStore& store) {
  auto events = store.events_after(0, 1'000);
  REQUIRE(events.ok());
  return std::move(events).value();
}

// The county's first morning: the road line is created and submitted, the nutrition line
// created; three events in all.
struct CountyStore {
  explicit CountyStore(const std::string& path = fresh_database()) : store(open_store(path)) {
    road = draft_line("YQ-2026-JT-0001", rural_road_maintenance(), cycle_start());
    nutrition = draft_line("YQ-2026-JY-0001", student_nutrition_subsidy(), cycle_start() + 5min);
    commit_ok(*store, create_batch("req-create-road", {road}));
    commit_ok(*store, create_batch("req-create-nutrition", {nutrition}));
    commit_ok(*store, submit_batch("req-submit-road", load_ok(*store, road.id())));
  }

  std::unique_ptr<SqlStore> store;
  BudgetLine road;
  BudgetLine nutrition;
};

void require_nothing_written(SqlStore& store, const std::vector<RecordedEvent>& events_before,
                             const std::string& request_id) {
  CHECK(all_events(store) == events_before);
  auto request = store.find_request(request_id);
  REQUIRE(request.ok());
  CHECK_FALSE(request->has_value());
}

TEST_CASE("a committed line and its events read back identical from memory", "[store]") {
  auto store = open_store(fresh_database());
  BudgetLine road = draft_line("YQ-2026-JT-0001", rural_road_maintenance(), cycle_start());
  road.mutable_content()->mutable_indicators(0)->set_actual(12.5);  // optional fields survive too
  CommitBatch batch = create_batch("req-1", {road});

  const std::int64_t sequence = commit_ok(*store, batch);

  StoredLine stored = load_ok(*store, road.id());
  CHECK(same_line(*stored.line, road));
  CHECK(stored.line->content().title() == "农村公路养护");
  CHECK(stored.last_hash == batch.events.back().hash);
  std::vector<RecordedEvent> expected = batch.events;
  expected.back().sequence = sequence;
  CHECK(all_events(*store) == expected);
}

TEST_CASE("a committed line and its events survive closing and reopening the database", "[store]") {
  TempDatabase file;
  BudgetLine road = draft_line("YQ-2026-JT-0001", rural_road_maintenance(), cycle_start());
  CommitBatch batch = create_batch("req-1", {road});
  std::vector<RecordedEvent> expected = batch.events;
  {
    auto store = open_store(file.path());
    expected.back().sequence = commit_ok(*store, batch);
  }

  auto reopened = open_store(file.path());

  StoredLine stored = load_ok(*reopened, road.id());
  CHECK(same_line(*stored.line, road));
  CHECK(stored.last_hash == batch.events.back().hash);
  CHECK(all_events(*reopened) == expected);
  auto history = reopened->line_history(road.id());
  REQUIRE(history.ok());
  CHECK(*history == expected);
}

TEST_CASE("an unknown line is NOT_FOUND", "[store]") {
  auto store = open_store(fresh_database());

  auto stored = store->load_line("YQ-2026-XX-9999");

  CHECK(stored.status().code() == Code::kNotFound);
  CHECK(stored.status().message() == "line YQ-2026-XX-9999 not found");
}

TEST_CASE("events_after returns events in global order from the given sequence", "[store]") {
  CountyStore county;

  std::vector<RecordedEvent> events = all_events(*county.store);

  REQUIRE(events.size() == 3);
  CHECK(events[0].sequence == 1);
  CHECK(events[0].line_id == county.road.id());
  CHECK(events[1].sequence == 2);
  CHECK(events[1].line_id == county.nutrition.id());
  CHECK(events[2].sequence == 3);
  CHECK(events[2].type == "submit");
  auto tail = county.store->events_after(1, 100);
  REQUIRE(tail.ok());
  CHECK(*tail == std::vector<RecordedEvent>(events.begin() + 1, events.end()));
  auto none = county.store->events_after(3, 100);
  REQUIRE(none.ok());
  CHECK(none->empty());
}

TEST_CASE("events_after returns at most limit events", "[store]") {
  CountyStore county;
  std::vector<RecordedEvent> events = all_events(*county.store);

  auto first_two = county.store->events_after(0, 2);
  auto nothing = county.store->events_after(0, 0);

  REQUIRE(first_two.ok());
  CHECK(*first_two == std::vector<RecordedEvent>(events.begin(), events.begin() + 2));
  REQUIRE(nothing.ok());
  CHECK(nothing->empty());
}

TEST_CASE("line_history lists one line's events by line sequence", "[store]") {
  CountyStore county;

  auto history = county.store->line_history(county.road.id());

  REQUIRE(history.ok());
  REQUIRE(history->size() == 2);
  CHECK((*history)[0].line_sequence == 1);
  CHECK((*history)[0].type == "create");
  CHECK((*history)[1].line_sequence == 2);
  CHECK((*history)[1].type == "submit");
  CHECK((*history)[1].prev_hash == (*history)[0].hash);
  CHECK((*history)[1].hash == compute_event_hash((*history)[1]));
}

TEST_CASE("line_history of an unknown line is NOT_FOUND", "[store]") {
  CountyStore county;

  auto history = county.store->line_history("YQ-2026-XX-9999");

  CHECK(history.status().code() == Code::kNotFound);
  CHECK(history.status().message() == "line YQ-2026-XX-9999 not found");
}

TEST_CASE("a stale previous_version is ABORTED and writes nothing", "[store]") {
  CountyStore county;
  StoredLine stale = load_ok(*county.store, county.nutrition.id());
  commit_ok(*county.store, submit_batch("req-submit-nutrition", stale));
  const std::vector<RecordedEvent> before = all_events(*county.store);
  const StoredLine current = load_ok(*county.store, county.nutrition.id());

  auto result = commit(*county.store, submit_batch("req-submit-nutrition-again", stale));

  CHECK(result.status().code() == Code::kAborted);
  CHECK_THAT(result.status().message(), Catch::Contains("line YQ-2026-JY-0001") &&
                                            Catch::Contains("expected version 1") &&
                                            Catch::Contains("stored version 2"));
  require_nothing_written(*county.store, before, "req-submit-nutrition-again");
  CHECK(same_line(*load_ok(*county.store, county.nutrition.id()).line, *current.line));
}

TEST_CASE("a batch whose second new line already exists writes nothing of the first", "[store]") {
  CountyStore county;
  const std::vector<RecordedEvent> before = all_events(*county.store);
  BudgetLine school_bus =
      draft_line("YQ-2026-JY-0002", student_nutrition_subsidy(), cycle_start() + 2h);
  school_bus.mutable_content()->set_title("乡村学校校车运营补助");
  BudgetLine duplicate = county.road;

  auto result = commit(*county.store, create_batch("req-create-two", {school_bus, duplicate}));

  CHECK(result.status().code() == Code::kAlreadyExists);
  CHECK(result.status().message() == "line YQ-2026-JT-0001 already exists");
  require_nothing_written(*county.store, before, "req-create-two");
  CHECK(county.store->load_line(school_bus.id()).status().code() == Code::kNotFound);
}

TEST_CASE("a duplicate request id is ALREADY_EXISTS and writes nothing", "[store]") {
  CountyStore county;
  const std::vector<RecordedEvent> before = all_events(*county.store);
  auto first = county.store->find_request("req-create-nutrition");
  REQUIRE(first.ok());
  REQUIRE(first->has_value());
  BudgetLine other = draft_line("YQ-2026-JY-0003", student_nutrition_subsidy(), cycle_start());

  auto result = commit(*county.store, create_batch("req-create-nutrition", {other}));

  CHECK(result.status().code() == Code::kAlreadyExists);
  CHECK(result.status().message() == "request req-create-nutrition already recorded");
  CHECK(all_events(*county.store) == before);
  CHECK(county.store->load_line(other.id()).status().code() == Code::kNotFound);
  auto again = county.store->find_request("req-create-nutrition");
  REQUIRE(again.ok());
  REQUIRE(again->has_value());
  CHECK((*again)->fingerprint == (*first)->fingerprint);
  CHECK((*again)->outcome == (*first)->outcome);
}

TEST_CASE("find_request returns the stored outcome with last_sequence filled", "[store]") {
  auto store = open_store(fresh_database());
  BudgetLine road = draft_line("YQ-2026-JT-0001", rural_road_maintenance(), cycle_start());
  BudgetLine nutrition = draft_line("YQ-2026-JY-0001", student_nutrition_subsidy(), cycle_start());
  CommitBatch batch = create_batch("req-create-both", {road, nutrition});

  const std::int64_t last_sequence = commit_ok(*store, batch);

  auto found = store->find_request("req-create-both");
  REQUIRE(found.ok());
  REQUIRE(found->has_value());
  CHECK((*found)->fingerprint == batch.fingerprint);
  CommandOutcome expected = batch.outcome;
  expected.last_sequence = last_sequence;
  CHECK(last_sequence == 2);
  CHECK((*found)->outcome == expected);
}

TEST_CASE("find_request of an unknown request id finds nothing", "[store]") {
  auto store = open_store(fresh_database());

  auto found = store->find_request("req-never-sent");

  REQUIRE(found.ok());
  CHECK_FALSE(found->has_value());
}

TEST_CASE("the database refuses to update or delete events", "[store]") {
  TempDatabase file;
  BudgetLine road = draft_line("YQ-2026-JT-0001", rural_road_maintenance(), cycle_start());
  auto store = open_store(file.path());
  commit_ok(*store, create_batch("req-1", {road}));
  const std::vector<RecordedEvent> before = all_events(*store);
  auto raw_session = file.raw_session();
  soci::session& raw = *raw_session;

  CHECK_THROWS_WITH(raw << "UPDATE events SET actor = 'someone.else'",
                    Catch::Contains("append-only"));
  CHECK_THROWS_WITH(raw << "DELETE FROM events", Catch::Contains("append-only"));

  CHECK(all_events(*store) == before);
}

TEST_CASE("a new database records the schema version", "[store]") {
  TempDatabase file;
  open_store(file.path());

  auto raw_session = file.raw_session();
  soci::session& raw = *raw_session;
  int version = 0;
  raw << "SELECT MAX(version) FROM schema_version", soci::into(version);

  CHECK(version == sql::kSchemaVersion);
}

TEST_CASE("reopening a current database keeps its schema and data", "[store][sqlite]") {
  TempDatabase file;
  { CountyStore county(file.path()); }

  auto reopened = open_store(file.path());

  soci::session raw(soci::sqlite3, file.path());
  int rows = 0;
  raw << "SELECT COUNT(*) FROM schema_version", soci::into(rows);
  CHECK(rows == sql::kSchemaVersion);
  CHECK(all_events(*reopened).size() == 3);
}

// The database schema version 6 wrote for the demo county (tests/data/README.md), copied to
// `file`: the earlier migrations are tested on it, since documents written by today's code
// cannot be taken back to the JSON of older versions.
void copy_v6_fixture(const TempDatabase& file) {
  std::filesystem::copy_file(std::string(ZBB_SOURCE_DIR) + "/tests/data/zbb-v6.db", file.path(),
                             std::filesystem::copy_options::overwrite_existing);
}

Result<std::unique_ptr<SqlStore>> open_upgrading(const TempDatabase& file) {
  return SqlStore::open(file.path(), review::report_body_from_v7_json);
}

// Takes a version 6 database back to version 5, as a zbb before supervision left it.
void undo_version_6(soci::session& raw) {
  for (const char* trigger : {"line_totals_add", "line_totals_move"})
    raw << "DROP TRIGGER " << trigger;
  raw << "DROP TABLE line_totals";
  for (const char* index :
       {"lines_awaiting_escalation", "lines_due", "lines_due_by_department", "lines_due_by_state",
        "lines_due_by_waiting_on", "lines_entered", "lines_entered_by_department",
        "lines_entered_by_state", "lines_entered_by_waiting_on", "lines_entered_by_warning"})
    raw << "DROP INDEX " << index;
  for (const char* column : {"due_ms", "sla_breached", "warning"})
    raw << "ALTER TABLE lines DROP COLUMN " << column;
  raw << "DELETE FROM schema_version WHERE version = 6";
}

TEST_CASE("upgrading to version 6 totals the lines already stored", "[store][sqlite][upgrade]") {
  TempDatabase as_written;
  copy_v6_fixture(as_written);
  auto expected = open_upgrading(as_written);
  REQUIRE(expected.ok());
  auto before = (*expected)->summarize({});
  REQUIRE(before.ok());
  REQUIRE_FALSE(before->empty());

  TempDatabase file;
  copy_v6_fixture(file);
  {
    soci::session raw(soci::sqlite3, file.path());
    undo_version_6(raw);
  }
  auto store = open_upgrading(file);
  REQUIRE(store.ok());
  auto after = (*store)->summarize({});
  REQUIRE(after.ok());
  // Counts and money come back from the lines; due times are set at each line's next state
  // change, so no line is active for supervision yet.
  REQUIRE(after->size() == before->size());
  for (std::size_t i = 0; i < before->size(); ++i) {
    CHECK(after->at(i).key == before->at(i).key);
    CHECK(after->at(i).lines == before->at(i).lines);
    CHECK(after->at(i).requested == before->at(i).requested);
    CHECK(after->at(i).approved == before->at(i).approved);
    CHECK_FALSE(after->at(i).oldest.has_value());
  }
}

TEST_CASE("upgrading to version 5 keeps earlier request ids under their actor",
          "[store][sqlite][upgrade]") {
  TempDatabase file;
  copy_v6_fixture(file);
  std::string key;
  {
    // As a version-4 database stored them: the bare request id.
    soci::session raw(soci::sqlite3, file.path());
    raw << "SELECT request_id FROM requests ORDER BY request_id LIMIT 1", soci::into(key);
    REQUIRE(key.find('|') != std::string::npos);
    undo_version_6(raw);
    raw << "UPDATE requests SET request_id = substr(request_id, instr(request_id, '|') + 1)";
    raw << "DELETE FROM schema_version WHERE version = 5";
  }
  auto store = open_upgrading(file);
  REQUIRE(store.ok());
  // The events name the actor who sent each request: the key is "<actor>|<request id>" again.
  auto found = (*store)->find_request(key);
  REQUIRE(found.ok());
  CHECK(found->has_value());
}

TEST_CASE("a listing by programme reads its index — other listings walk the lines in id order",
          "[store][sqlite][listing]") {
  TempDatabase file;
  open_store(file.path());
  soci::session raw(soci::sqlite3, file.path());
  const auto plan_of = [&](unsigned criteria) {
    // Values written in, as EXPLAIN has nothing bound: the plan is the same.
    const std::string sql = std::regex_replace(list_lines_sql(criteria, sql::Backend::kSqlite),
                                               std::regex(":[a-z_]+"), "'x'");
    std::string plan;
    soci::rowset<soci::row> rows = raw.prepare << "EXPLAIN QUERY PLAN " + sql;
    for (const soci::row& row : rows) plan += row.get<std::string>(3) + "; ";
    return plan;
  };
  for (unsigned criteria = 0; criteria < (1u << 6); ++criteria) {
    const std::string plan = plan_of(criteria);
    INFO(list_lines_sql(criteria, sql::Backend::kSqlite) << " -> " << plan);
    if ((criteria & kListByProgramme) == 0) {
      CHECK(plan == "SEARCH lines USING INDEX sqlite_autoindex_lines_1 (id>?); ");
    } else if ((criteria & kListByFiscalYear) != 0) {
      CHECK(plan.starts_with(
          "SEARCH lines USING INDEX lines_by_programme (programme_code=? AND fiscal_year=?)"));
    } else {
      CHECK(plan.starts_with("SEARCH lines USING INDEX lines_by_programme (programme_code=?)"));
    }
  }
}

TEST_CASE("a line is stored as its protobuf document and read back whole", "[store][sqlite]") {
  TempDatabase file;
  CountyStore county(file.path());
  BudgetLine line = draft_line("YQ-2026-JT-0002", rural_road_maintenance(), cycle_start());
  line.mutable_content()->mutable_indicators(0)->set_actual(42);
  line.add_preparers("unit.transport.li");
  REQUIRE(commit(*county.store, create_batch("req-doc", {line})).ok());

  soci::session raw(soci::sqlite3, file.path());
  std::string document;
  std::string type;
  raw << "SELECT document, typeof(document) FROM lines WHERE id = 'YQ-2026-JT-0002'",
      soci::into(document), soci::into(type);
  CHECK(type == "blob");
  CHECK(document == line_document(line));
  CHECK(same_line(*county.store->load_line(line.id())->line, line));
}

TEST_CASE("a failing command inside a group commit fails alone — the others are committed",
          "[store][group]") {
  TempDatabase file;
  CountyStore county(file.path());
  const auto events_before = all_events(*county.store);

  BudgetLine bridge = draft_line("YQ-2026-JT-0002", rural_road_maintenance(), cycle_start());
  BudgetLine clinic = draft_line("YQ-2026-WJ-0001", rural_road_maintenance(), cycle_start());
  const CommitBatch first = create_batch("req-bridge", {bridge});
  // The road line exists already: this create is refused inside the group.
  const CommitBatch taken = create_batch("req-road-again", {county.road});
  // A stale version: the road was submitted since version 1.
  CommitBatch stale = submit_batch("req-stale", load_ok(*county.store, county.road.id()));
  stale.lines[0].previous_version = 1;
  const CommitBatch last = create_batch("req-clinic", {clinic});

  const auto results = write_group(*county.store, {first, taken, stale, last});

  REQUIRE(results.size() == 4);
  REQUIRE(results[0].ok());
  CHECK(results[1].status().code() == Code::kAlreadyExists);
  CHECK(results[2].status().code() == Code::kAborted);
  REQUIRE(results[3].ok());
  CHECK(*results[3] > *results[0]);

  // The good commands are durable, in order; the failed ones left nothing behind.
  auto reopened = open_store(file.path());
  CHECK(load_ok(*reopened, bridge.id()).line->version() == 1);
  CHECK(load_ok(*reopened, clinic.id()).line->version() == 1);
  CHECK(same_line(*load_ok(*reopened, county.road.id()).line,
                  *load_ok(*county.store, county.road.id()).line));
  const auto events = all_events(*reopened);
  CHECK(events.size() == events_before.size() + 2);
  for (const char* failed : {"req-road-again", "req-stale"}) {
    auto request = reopened->find_request(failed);
    REQUIRE(request.ok());
    CHECK_FALSE(request->has_value());
  }
  for (const char* done : {"req-bridge", "req-clinic"}) {
    auto request = reopened->find_request(done);
    REQUIRE(request.ok());
    CHECK(request->has_value());
  }
}

// With a pool draw in the group, PostgreSQL writes it statement by statement; without one (line
// commands alone) in a pipeline, checked beforehand, and a refusal the checks could not foresee
// sends it the careful way: the same answers either way.
TEST_CASE("a command that fails while it writes, inside a group commit, fails alone",
          "[store][group]") {
  const bool with_pool_draw = GENERATE(true, false);
  TempDatabase file;
  CountyStore county(file.path());
  const StoredLine road_before = load_ok(*county.store, county.road.id());
  const auto events_before = all_events(*county.store);

  BudgetLine bridge = draft_line("YQ-2026-JT-0002", rural_road_maintenance(), cycle_start());
  BudgetLine clinic = draft_line("YQ-2026-WJ-0001", rural_road_maintenance(), cycle_start());
  BudgetLine school = draft_line("YQ-2026-JY-0099", rural_road_maintenance(), cycle_start());
  const CommitBatch first = create_batch("req-bridge", {bridge});
  // At the stored version, so it passes every check made before writing; its event repeats a
  // position of the road's history, which the events' UNIQUE key refuses after the line row
  // was already rewritten.
  CommitBatch clash = submit_batch("req-clash", road_before);
  clash.events[0].line_sequence = 1;
  // Draws on a pool that holds nothing: refused by the pool's own update.
  CommitBatch overdraw = create_batch("req-overdraw", {school});
  overdraw.pool_changes.push_back(
      {.fiscal_year = 2026, .department = "县交通运输局", .delta = -100});
  const CommitBatch last = create_batch("req-clinic", {clinic});

  std::vector<CommitBatch> group = {first, clash};
  if (with_pool_draw) group.push_back(overdraw);
  group.push_back(last);
  const auto results = write_group(*county.store, group);

  REQUIRE(results.size() == group.size());
  REQUIRE(results.front().ok());
  CHECK(results[1].status().code() == Code::kInternal);
  if (with_pool_draw) CHECK(results[2].status().code() == Code::kFailedPrecondition);
  REQUIRE(results.back().ok());
  CHECK(*results.back() > *results.front());

  auto reopened = open_store(file.path());
  CHECK(load_ok(*reopened, bridge.id()).line->version() == 1);
  CHECK(load_ok(*reopened, clinic.id()).line->version() == 1);
  CHECK(same_line(*load_ok(*reopened, county.road.id()).line, *road_before.line));
  CHECK(reopened->load_line(school.id()).status().code() == Code::kNotFound);
  CHECK(all_events(*reopened).size() == events_before.size() + 2);
  for (const char* failed : {"req-clash", "req-overdraw"}) {
    auto request = reopened->find_request(failed);
    REQUIRE(request.ok());
    CHECK_FALSE(request->has_value());
  }
  // The next group is written as usual.
  const auto next = write_group(*county.store, {submit_batch("req-road", road_before)});
  REQUIRE(next.size() == 1);
  CHECK(next[0].ok());
}

TEST_CASE(
    "once a batch of a chain fails, the later ones are refused unwritten, however many group "
    "commits the chain spans",
    "[store][group]") {
  TempDatabase file;
  CountyStore county(file.path());
  const auto events_before = all_events(*county.store);
  // 300 creations (two group commits of at most 256) whose 11th names a line that exists.
  std::vector<CommitBatch> batches;
  for (int i = 0; i < 300; ++i) {
    const std::string id = "YQ-EACH-" + std::to_string(i);
    batches.push_back(
        i == 10 ? create_batch("req-each-" + id, {county.road})
                : create_batch("req-each-" + id,
                               {draft_line(id, rural_road_maintenance(), cycle_start())}));
  }
  GroupCommit commits(*county.store, GroupCommit::kDefaultMaxGroup);

  const auto answers = commit_chain(commits, batches);

  REQUIRE(answers.size() == 300);
  for (int i = 0; i < 10; ++i)
    CHECK(answers[static_cast<std::size_t>(i)].verdict == BatchVerdict::kWritten);
  CHECK(answers[10].verdict == BatchVerdict::kLineTaken);
  CHECK(answers[10].status.code() == Code::kAlreadyExists);
  for (std::size_t i = 11; i < 300; ++i) {
    INFO("batch " << i);
    CHECK(answers[i].verdict == BatchVerdict::kNotWritten);
    CHECK(answers[i].status.code() == Code::kAborted);
  }
  auto reopened = open_store(file.path());
  CHECK(all_events(*reopened).size() == events_before.size() + 10);
  CHECK(reopened->load_line("YQ-EACH-11").status().code() == Code::kNotFound);
  CHECK(reopened->load_line("YQ-EACH-299").status().code() == Code::kNotFound);
  // Another call is not held back by this one's failure.
  BudgetLine later = draft_line("YQ-EACH-LATER", rural_road_maintenance(), cycle_start());
  CHECK(commits.commit({with_documents(create_batch("req-each-later", {later}))}).front().verdict ==
        BatchVerdict::kWritten);
}

// The store, telling when the group holding a given request has been written.
class WatchedLog : public CommitLog {
 public:
  WatchedLog(CommitLog& inner, std::string request_id)
      : inner_(inner), request_id_(std::move(request_id)) {}
  std::vector<BatchAnswer> write_group(const std::vector<GroupEntry>& group) override {
    auto answers = inner_.write_group(group);
    for (const GroupEntry& entry : group)
      if (entry.batch->request_id == request_id_) written_.set_value();
    return answers;
  }
  std::future<void> written() { return written_.get_future(); }

 private:
  CommitLog& inner_;
  const std::string request_id_;
  std::promise<void> written_;
};

TEST_CASE(
    "the writer commits the next group while a caller is still busy with its answer, and "
    "answers come in the order of the commits",
    "[store][group]") {
  CountyStore county;
  WatchedLog log(*county.store, "req-second");
  auto second_written = log.written();
  std::mutex order_mutex;
  std::vector<std::string> order;
  const auto answered = [&](const std::string& name) {
    std::lock_guard lock(order_mutex);
    order.push_back(name);
  };
  std::promise<void> first_answering;
  std::promise<void> release_first;
  std::promise<void> second_answered;
  // After what its callbacks use, so that it stops (answering what is queued) before they go.
  GroupCommit commits(log, GroupCommit::kDefaultMaxGroup);
  const BudgetLine first = draft_line("YQ-ANSWER-1", rural_road_maintenance(), cycle_start());
  const BudgetLine second = draft_line("YQ-ANSWER-2", rural_road_maintenance(), cycle_start());

  commits.submit({with_documents(create_batch("req-first", {first}))},
                 [&, released = release_first.get_future().share()](std::vector<BatchAnswer>) {
                   answered("first");
                   first_answering.set_value();
                   released.wait();  // the caller takes its time over the answer
                 });
  first_answering.get_future().wait();
  commits.submit(
      {with_documents(create_batch("req-second", {second}))},
      [&](std::vector<BatchAnswer> answers) {
        answered(answers.front().verdict == BatchVerdict::kWritten ? "second" : "second refused");
        second_answered.set_value();
      });

  // Durable while the first caller still holds its answer: the writer did not wait for it.
  const bool durable =
      second_written.wait_for(std::chrono::seconds(30)) == std::future_status::ready;
  if (!durable) release_first.set_value();  // so that the group commit can stop
  REQUIRE(durable);
  CHECK(load_ok(*county.store, second.id()).line->version() == 1);
  {
    std::lock_guard lock(order_mutex);
    CHECK(order == std::vector<std::string>{"first"});
  }
  release_first.set_value();
  second_answered.get_future().wait();
  CHECK(order == std::vector<std::string>{"first", "second"});
}

// The store, holding the group commit in its first before_group() until released (as a store
// waiting for its turn), and counting the batches of each group written.
class TurnTakingLog : public CommitLog {
 public:
  TurnTakingLog(CommitLog& inner, std::shared_future<void> released)
      : inner_(inner), released_(std::move(released)) {}
  bool before_group() override {
    if (std::exchange(first_, false)) {
      waiting_.set_value();
      released_.wait();
    }
    return inner_.before_group();
  }
  std::vector<BatchAnswer> write_group(const std::vector<GroupEntry>& group) override {
    {
      std::lock_guard lock(mutex_);
      sizes_.push_back(group.size());
    }
    return inner_.write_group(group);
  }
  std::future<void> waiting() { return waiting_.get_future(); }
  std::vector<std::size_t> group_sizes() {
    std::lock_guard lock(mutex_);
    return sizes_;
  }

 private:
  CommitLog& inner_;
  std::shared_future<void> released_;
  bool first_ = true;  // the writer's alone
  std::promise<void> waiting_;
  std::mutex mutex_;
  std::vector<std::size_t> sizes_;
};

TEST_CASE("batches that arrive while the store waits for its turn are written in that turn",
          "[store][group]") {
  CountyStore county;
  std::promise<void> release;
  TurnTakingLog log(*county.store, release.get_future().share());
  auto waiting = log.waiting();
  // After what its callbacks use, so that it stops (answering what is queued) before they go.
  GroupCommit commits(log, GroupCommit::kDefaultMaxGroup);
  std::vector<std::future<std::vector<BatchAnswer>>> answers;
  const auto send = [&](const std::string& request_id, const std::string& line_id) {
    auto answered = std::make_shared<std::promise<std::vector<BatchAnswer>>>();
    answers.push_back(answered->get_future());
    const BudgetLine line = draft_line(line_id, rural_road_maintenance(), cycle_start());
    commits.submit(
        {with_documents(create_batch(request_id, {line}))},
        [answered](std::vector<BatchAnswer> all) { answered->set_value(std::move(all)); });
  };

  send("req-turn-1", "YQ-TURN-1");
  const bool waited = waiting.wait_for(std::chrono::seconds(30)) == std::future_status::ready;
  send("req-turn-2", "YQ-TURN-2");
  send("req-turn-3", "YQ-TURN-3");
  release.set_value();
  REQUIRE(waited);  // the writer asked for its turn before it took the first batch
  for (auto& answer : answers) CHECK(answer.get().front().verdict == BatchVerdict::kWritten);
  CHECK(log.group_sizes() == std::vector<std::size_t>{3});
}

TEST_CASE(
    "on PostgreSQL a store whose group found the commit-order lock held by another server takes "
    "the lock before its next group is chosen and gives it up when that group is empty",
    "[store][group]") {
  TempDatabase database;
  CountyStore county(database.path());
  SqlStore& store = *county.store;
  if (!zbb::testing::testing_postgresql()) {
    // SQLite's own lock orders the writers of a file: there is no turn to wait for.
    CHECK_FALSE(store.before_group());
    return;
  }
  const std::string lock_key =
      fmt::format("{}, hashtext(current_schema())", sql::kCommitOrderLockClass);
  auto other = database.raw_session();    // another server's session
  auto watcher = database.raw_session();  // looks at the lock
  const auto lock_is_free = [&] {
    int free = 0;
    *watcher << "SELECT pg_try_advisory_xact_lock(" + lock_key + ")::int", soci::into(free);
    return free == 1;
  };
  // Until a session waits for the lock (a bounded poll of the server, not a sleep).
  const auto lock_waited_for = [&] {
    int waiting = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (waiting == 0 && std::chrono::steady_clock::now() < deadline)
      *watcher << fmt::format(
          "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
          " AND classid = {}::oid AND objid = hashtext(current_schema())::oid"
          " AND objsubid = 2",
          sql::kCommitOrderLockClass),
          soci::into(waiting);
    return waiting == 1;
  };
  int lines = 0;
  const auto group_of_a_new_line = [&] {
    const std::string id = fmt::format("YQ-LOCKED-{}", ++lines);
    const BudgetLine line = draft_line(id, rural_road_maintenance(), cycle_start());
    return std::vector<GroupEntry>{{with_documents(create_batch("req-" + id, {line})), 0}};
  };
  // A group written while the other session holds the lock: it waits until that commits.
  const auto written_behind_the_other = [&] {
    *other << "BEGIN";
    *other << "SELECT pg_advisory_xact_lock(" + lock_key + ")";
    auto answers = std::async(std::launch::async, [&, group = group_of_a_new_line()] {
      return store.write_group(group);
    });
    const bool waited = lock_waited_for();
    *other << "COMMIT";
    const std::vector<BatchAnswer> written = answers.get();
    return waited && written.size() == 1 && written[0].verdict == BatchVerdict::kWritten;
  };

  CHECK_FALSE(store.before_group());  // nobody else writes: the lock is taken with the group
  CHECK(store.write_group(group_of_a_new_line()).front().verdict == BatchVerdict::kWritten);

  REQUIRE(written_behind_the_other());
  REQUIRE(store.before_group());  // its turn, taken before the group is chosen
  CHECK_FALSE(lock_is_free());
  // Another server's group asks for the lock now: the store's group, written in its turn,
  // commits before that one gets the lock.
  const auto in_turn = group_of_a_new_line();
  const std::string line_in_turn = in_turn.front().batch->lines.front().line->id();
  auto seen_by_other = std::async(std::launch::async, [&] {
    int found = -1;
    *other << "BEGIN";
    *other << "SELECT pg_advisory_xact_lock(" + lock_key + ")";
    *other << "SELECT count(*) FROM lines WHERE id = :id", soci::use(line_in_turn),
        soci::into(found);
    *other << "COMMIT";
    return found;
  });
  const bool other_waited = lock_waited_for();
  CHECK(store.write_group(in_turn).front().verdict == BatchVerdict::kWritten);
  CHECK(other_waited);
  CHECK(seen_by_other.get() == 1);
  CHECK(lock_is_free());  // released by both commits
  // That turn found the lock free: the next group takes it with its statements again.
  CHECK_FALSE(store.before_group());

  REQUIRE(written_behind_the_other());
  REQUIRE(store.before_group());
  CHECK_FALSE(lock_is_free());
  CHECK(store.write_group({}).empty());  // every batch was refused before it reached the store
  CHECK(lock_is_free());
  CHECK(store.write_group(group_of_a_new_line()).front().verdict == BatchVerdict::kWritten);
  CHECK(all_events(store).size() ==
        static_cast<std::size_t>(3 + lines));  // the county's three, one per line
}

TEST_CASE("a failure in the first pass of a group refuses nothing the second pass commits",
          "[store][group]") {
  TempDatabase file;
  CountyStore county(file.path());
  const StoredLine road = load_ok(*county.store, county.road.id());
  // One call: a batch that passes its checks and fails while writing (its event repeats a
  // position of the road's history), then a good batch of the same call, refused after it.
  CommitBatch clash = submit_batch("req-clash", road);
  clash.events[0].line_sequence = 1;
  BudgetLine bridge = draft_line("YQ-2026-JT-0002", rural_road_maintenance(), cycle_start());
  const CommitBatch after_clash = create_batch("req-after-clash", {bridge});
  // Another caller's batch, committed at the same moment (in the same group when the writer
  // takes both at once): whatever the grouping, it commits.
  BudgetLine clinic = draft_line("YQ-2026-WJ-0001", rural_road_maintenance(), cycle_start());
  const CommitBatch other = create_batch("req-other", {clinic});

  GroupCommit commits(*county.store, GroupCommit::kDefaultMaxGroup);
  std::vector<BatchAnswer> call_answers;
  std::vector<BatchAnswer> other_answers;
  std::thread caller([&] { call_answers = commit_chain(commits, {clash, after_clash}); });
  std::thread another([&] { other_answers = commit_chain(commits, {other}); });
  caller.join();
  another.join();

  REQUIRE(call_answers.size() == 2);
  CHECK(call_answers[0].verdict == BatchVerdict::kFailed);
  CHECK(call_answers[0].status.code() == Code::kInternal);
  CHECK(call_answers[1].verdict == BatchVerdict::kNotWritten);
  CHECK(call_answers[1].status.code() == Code::kAborted);
  REQUIRE(other_answers.size() == 1);
  CHECK(other_answers[0].verdict == BatchVerdict::kWritten);
  auto reopened = open_store(file.path());
  CHECK(same_line(*load_ok(*reopened, county.road.id()).line, *road.line));
  CHECK(reopened->load_line(bridge.id()).status().code() == Code::kNotFound);
  CHECK(load_ok(*reopened, clinic.id()).line->version() == 1);
}

TEST_CASE("concurrent commits are grouped and each caller gets its own answer", "[store][group]") {
  TempDatabase file;
  auto store = open_store(file.path());
  GroupCommit commits(*store, GroupCommit::kDefaultMaxGroup);
  const auto commit_one = [&](const CommitBatch& batch) {
    return as_result(commits.commit({with_documents(batch)}).front());
  };
  constexpr int kThreads = 16;
  constexpr int kPerThread = 25;
  std::atomic<int> refused{0};
  std::vector<std::vector<std::int64_t>> sequences(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string id = "YQ-T" + std::to_string(t) + "-" + std::to_string(i);
        BudgetLine line = draft_line(id, rural_road_maintenance(), cycle_start());
        auto sequence = commit_one(create_batch("req-" + id, {line}));
        if (sequence.ok()) sequences[static_cast<std::size_t>(t)].push_back(*sequence);
        // Every thread also retries its first request: refused as recorded, alone.
        if (i == 0 &&
            commit_one(create_batch("req-" + id, {line})).status().code() == Code::kAlreadyExists)
          ++refused;
      }
    });
  }
  for (auto& thread : threads) thread.join();

  CHECK(refused == kThreads);
  std::set<std::int64_t> distinct;
  for (const auto& of_thread : sequences) {
    CHECK(of_thread.size() == kPerThread);
    CHECK(std::is_sorted(of_thread.begin(), of_thread.end()));
    distinct.insert(of_thread.begin(), of_thread.end());
  }
  CHECK(distinct.size() == kThreads * kPerThread);
  CHECK(all_events(*store).size() == kThreads * kPerThread);
}

// SOCI 4.0.3 splits a libpq connection string at blanks and joins it again: a value it would
// alter (a password that then fails, a name cut) is refused first, naming the setting.
TEST_CASE("a PostgreSQL setting the database library would alter is refused, naming it",
          "[store]") {
  const std::pair<const char*, const char*> cases[] = {
      {"postgresql://zbb@db1/zbb?application_name=county%27s%20zbbd", "application_name"},
      {"host=db1 dbname=zbb password='two  blanks'", "password"},
      {"host=db1 dbname=zbb password='back\\\\slash'", "password"},
  };
  for (const auto& [database, setting] : cases) {
    INFO(database);
    auto opened = SqlStore::open(database);
    CHECK(opened.status().code() == Code::kInvalidArgument);
    CHECK_THAT(opened.status().message(),
               Catch::Contains("its " + std::string(setting) + " holds"));
  }
}

TEST_CASE("a database with a newer schema version is refused", "[store]") {
  TempDatabase file;
  open_store(file.path());
  {
    auto raw_session = file.raw_session();
    soci::session& raw = *raw_session;
    raw << "INSERT INTO schema_version (version) VALUES (" << sql::kSchemaVersion + 1 << ")";
  }

  auto store = SqlStore::open(file.path());

  CHECK(store.status().code() == Code::kFailedPrecondition);
  CHECK_THAT(store.status().message(),
             Catch::Contains("schema version " + std::to_string(sql::kSchemaVersion + 1)) &&
                 Catch::Contains("newer"));
}

TEST_CASE("a database file is opened in WAL mode", "[store][sqlite]") {
  TempDatabase file;
  auto store = open_store(file.path());

  soci::session raw(soci::sqlite3, file.path());
  std::string mode;
  raw << "PRAGMA journal_mode", soci::into(mode);

  CHECK(mode == "wal");
}

TEST_CASE("a path SQLite cannot open is an error, not an exception", "[store][sqlite]") {
  auto store = SqlStore::open("/nonexistent-zbb-dir/sub/zbb.db");

  CHECK_FALSE(store.ok());
  CHECK(store.status().code() == Code::kInternal);
}

TEST_CASE("concurrent commits from several threads all land with distinct sequences", "[store]") {
  TempDatabase file;
  auto store = open_store(file.path());
  constexpr int kThreads = 4;
  constexpr int kLinesPerThread = 25;

  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kLinesPerThread; ++i) {
        const std::string id = "YQ-2026-T" + std::to_string(t) + "-" + std::to_string(i);
        BudgetLine line = draft_line(id, rural_road_maintenance(), cycle_start());
        if (!commit(*store, create_batch("req-" + id, {line})).ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  CHECK(failures == 0);
  std::vector<RecordedEvent> events = all_events(*store);
  REQUIRE(events.size() == kThreads * kLinesPerThread);
  for (std::size_t i = 0; i < events.size(); ++i) {
    CHECK(events[i].sequence == static_cast<std::int64_t>(i) + 1);
  }
}

TEST_CASE("two stores on one database see each other's commits and clash on versions", "[store]") {
  TempDatabase file;
  CountyStore county(file.path());
  auto other = open_store(file.path());
  StoredLine read_by_both = load_ok(*other, county.nutrition.id());

  commit_ok(*county.store, submit_batch("req-a", read_by_both));
  auto clash = commit(*other, submit_batch("req-b", read_by_both));

  CHECK(clash.status().code() == Code::kAborted);
  CHECK(load_ok(*other, county.nutrition.id()).line->version() == 2);
  CHECK(all_events(*other).size() == 4);
}

namespace zbb::sql {
namespace {

std::vector<std::string> ids_of(const Result<std::vector<BudgetLine>>& lines) {
  REQUIRE(lines.ok());
  std::vector<std::string> ids;
  for (const auto& line : *lines) ids.push_back(line.id());
  return ids;
}

}  // namespace

TEST_CASE("list_lines returns the lines matching every criterion, ordered by id, a page at a time",
          "[store][list]") {
  CountyStore county;
  BudgetLine third = draft_line("YQ-2026-JT-0002", rural_road_maintenance(), cycle_start());
  third.mutable_content()->set_category(::zbb::v1::CATEGORY_BASIC);
  commit_ok(*county.store, create_batch("req-create-third", {third}));
  SqlStore& store = *county.store;
  using Ids = std::vector<std::string>;

  CHECK(ids_of(store.list_lines({}, "", 10)) ==
        Ids{"YQ-2026-JT-0001", "YQ-2026-JT-0002", "YQ-2026-JY-0001"});
  CHECK(ids_of(store.list_lines({}, "", 2)) == Ids{"YQ-2026-JT-0001", "YQ-2026-JT-0002"});
  CHECK(ids_of(store.list_lines({}, "YQ-2026-JT-0002", 2)) == Ids{"YQ-2026-JY-0001"});

  LineFilter by_department;
  by_department.department = "永清县教育局";
  CHECK(ids_of(store.list_lines(by_department, "", 10)) == Ids{"YQ-2026-JY-0001"});
  LineFilter by_state;
  by_state.state = "draft";
  CHECK(ids_of(store.list_lines(by_state, "", 10)) == Ids{"YQ-2026-JT-0002", "YQ-2026-JY-0001"});
  LineFilter by_category;
  by_category.category = ::zbb::v1::CATEGORY_BASIC;
  CHECK(ids_of(store.list_lines(by_category, "", 10)) == Ids{"YQ-2026-JT-0002", "YQ-2026-JY-0001"});
  LineFilter other_year;
  other_year.fiscal_year = 2027;
  CHECK(ids_of(store.list_lines(other_year, "", 10)).empty());
  LineFilter combined = by_state;
  combined.category = ::zbb::v1::CATEGORY_BASIC;
  combined.fiscal_year = 2026;
  combined.department = county.road.content().department();
  CHECK(ids_of(store.list_lines(combined, "", 10)) == Ids{"YQ-2026-JT-0002"});
}

TEST_CASE("list_lines by several waited-on roles merges them in id order within the limit",
          "[store][list]") {
  CountyStore county;
  SqlStore& store = *county.store;
  LineFilter queue;
  queue.waiting_on = {"unit:永清县教育局", "reviewer"};
  CHECK(ids_of(store.list_lines(queue, "", 10)) ==
        std::vector<std::string>{"YQ-2026-JT-0001", "YQ-2026-JY-0001"});
  CHECK(ids_of(store.list_lines(queue, "", 1)) == std::vector<std::string>{"YQ-2026-JT-0001"});
  CHECK(ids_of(store.list_lines(queue, "YQ-2026-JT-0001", 1)) ==
        std::vector<std::string>{"YQ-2026-JY-0001"});
  queue.waiting_on = {"approver:bureau_head"};
  CHECK(ids_of(store.list_lines(queue, "", 10)).empty());
}

}  // namespace zbb::sql

// A command that creates `line` and moves money of the county's transport pool.
CommitBatch pool_batch(const std::string& request_id, const BudgetLine& line,
                       std::vector<PoolChange> changes) {
  CommitBatch batch = create_batch(request_id, {line});
  batch.pool_changes = std::move(changes);
  return batch;
}

constexpr char kTransport[] = "县交通运输局";

// A command that creates `line` and keeps a report of `kind`.
CommitBatch report_batch(const std::string& request_id, const BudgetLine& line,
                         const std::string& kind, const std::string& department) {
  CommitBatch batch = create_batch(request_id, {line});
  batch.reports.push_back(Report{request_id, kind, line.content().fiscal_year(), department,
                                 batch.at, R"({"note":")" + request_id + R"("})"});
  return batch;
}

TEST_CASE("every pool change is kept as a movement and the movements sum to the balance",
          "[store][pool]") {
  auto store = open_store(fresh_database());
  const BudgetLine a = draft_line("YQ-2026-JT-0101", rural_road_maintenance(), cycle_start());
  const BudgetLine b = draft_line("YQ-2026-JT-0102", rural_road_maintenance(), cycle_start() + 1h);
  const BudgetLine c = draft_line("YQ-2026-JT-0103", rural_road_maintenance(), cycle_start() + 2h);
  commit_ok(*store, pool_batch("req-rank", a,
                               {{.fiscal_year = 2026,
                                 .department = kTransport,
                                 .delta = 500,
                                 .reason = "ranking unallocated",
                                 .report_id = "reviewer|req-rank"}}));
  commit_ok(*store, pool_batch("req-increase", b,
                               {{.fiscal_year = 2026,
                                 .department = kTransport,
                                 .delta = -200,
                                 .line_id = b.id(),
                                 .reason = "adjustment increase"}}));
  commit_ok(*store, pool_batch("req-reduce", c,
                               {{.fiscal_year = 2026,
                                 .department = kTransport,
                                 .delta = 100,
                                 .line_id = c.id(),
                                 .reason = "adjustment reduce"}}));

  auto pool = store->pool(2026, kTransport, 10);
  REQUIRE(pool.ok());
  CHECK(pool->balance == 400);
  CHECK_FALSE(pool->movements_cut);
  REQUIRE(pool->movements.size() == 3);
  Fen sum = 0;
  for (const auto& movement : pool->movements) sum += movement.delta;
  CHECK(sum == pool->balance);
  CHECK(pool->movements[0].balance_after == 500);
  CHECK(pool->movements[0].reason == "ranking unallocated");
  CHECK(pool->movements[0].report_id == "reviewer|req-rank");
  CHECK(pool->movements[0].request_id == "req-rank");
  CHECK(pool->movements[0].line_id.empty());
  CHECK(pool->movements[0].at == from_proto(a.created_at()));
  CHECK(pool->movements[1].balance_after == 300);
  CHECK(pool->movements[1].line_id == b.id());
  CHECK(pool->movements[2].balance_after == 400);
  CHECK(pool->movements[2].reason == "adjustment reduce");
  CHECK(pool->movements[0].sequence < pool->movements[1].sequence);

  auto newest = store->pool(2026, kTransport, 2);
  REQUIRE(newest.ok());
  CHECK(newest->balance == 400);
  CHECK(newest->movements_cut);
  REQUIRE(newest->movements.size() == 2);
  CHECK(newest->movements[0].line_id == b.id());
  CHECK(newest->movements[1].line_id == c.id());

  auto unused = store->pool(2027, kTransport, 10);
  REQUIRE(unused.ok());
  CHECK(unused->balance == 0);
  CHECK(unused->movements.empty());
  CHECK_FALSE(unused->movements_cut);
}

TEST_CASE("a draw the pool cannot cover leaves neither balance nor movement changed",
          "[store][pool]") {
  auto store = open_store(fresh_database());
  const BudgetLine a = draft_line("YQ-2026-JT-0101", rural_road_maintenance(), cycle_start());
  const BudgetLine b = draft_line("YQ-2026-JT-0102", rural_road_maintenance(), cycle_start());
  commit_ok(*store, pool_batch("req-rank", a, {{2026, kTransport, 300}}));

  auto overdraw = commit(*store, pool_batch("req-overdraw", b, {{2026, kTransport, -301, b.id()}}));

  CHECK(overdraw.status().code() == Code::kFailedPrecondition);
  auto pool = store->pool(2026, kTransport, 10);
  REQUIRE(pool.ok());
  CHECK(pool->balance == 300);
  CHECK(pool->movements.size() == 1);
}

TEST_CASE("upgrading to version 7 gives each stored pool balance one opening movement",
          "[store][sqlite][pool][upgrade]") {
  TempDatabase file;
  copy_v6_fixture(file);
  {
    // Pools as version 6 kept them: a balance and nothing else. One drawn down to nothing has no
    // opening balance to carry.
    soci::session raw(soci::sqlite3, file.path());
    raw << "DELETE FROM pools";
    raw << "INSERT INTO pools (fiscal_year, department, balance) VALUES (2026, '县交通运输局', "
           "450), (2026, '县教育局', 0)";
  }

  auto store = open_upgrading(file);
  REQUIRE(store.ok());

  auto pool = (*store)->pool(2026, kTransport, 10);
  REQUIRE(pool.ok());
  CHECK(pool->balance == 450);
  REQUIRE(pool->movements.size() == 1);
  CHECK(pool->movements[0].delta == 450);
  CHECK(pool->movements[0].balance_after == 450);
  CHECK(pool->movements[0].reason == "opening balance");
  auto empty = (*store)->pool(2026, "县教育局", 10);
  REQUIRE(empty.ok());
  CHECK(empty->balance == 0);
  CHECK(empty->movements.empty());
}

TEST_CASE("a pool whose movements do not sum to its balance is DATA_LOSS naming the pool",
          "[store][pool]") {
  TempDatabase file;
  {
    auto store = open_store(file.path());
    const BudgetLine a = draft_line("YQ-2026-JT-0101", rural_road_maintenance(), cycle_start());
    commit_ok(*store, pool_batch("req-rank", a, {{2026, kTransport, 700}}));
  }
  {
    auto raw_session = file.raw_session();
    soci::session& raw = *raw_session;
    raw << "UPDATE pools SET balance = 1";
  }
  auto store = open_store(file.path());

  auto pool = store->pool(2026, kTransport, 10);

  CHECK(pool.status().code() == Code::kDataLoss);
  CHECK_THAT(pool.status().message(), Catch::Contains(std::string("pool of ") + kTransport));
}

TEST_CASE(
    "list_reports filters by fiscal year, department and kind, in time order, a page at a "
    "time",
    "[store][reports]") {
  auto store = open_store(fresh_database());
  BudgetLine l1 = draft_line("YQ-2026-JT-0101", rural_road_maintenance(), cycle_start());
  BudgetLine l2 = draft_line("YQ-2026-JT-0102", rural_road_maintenance(), cycle_start() + 1h);
  BudgetLine l3 = draft_line("YQ-2026-JT-0103", rural_road_maintenance(), cycle_start() + 2h);
  BudgetLine l4 = draft_line("YQ-2027-JT-0104", rural_road_maintenance(), cycle_start() + 3h);
  l4.mutable_content()->set_fiscal_year(2027);
  commit_ok(*store, report_batch("rank-jt", l1, "ranking", kTransport));
  commit_ok(*store, report_batch("monitor-jt", l2, "monitoring", kTransport));
  commit_ok(*store, report_batch("monitor-all", l3, "monitoring", ""));
  commit_ok(*store, report_batch("rank-2027", l4, "ranking", kTransport));

  const auto ids = [&](const ReportFilter& filter, std::optional<ReportCursor> after = {},
                       std::size_t limit = 10) {
    auto reports = store->list_reports(filter, after, limit);
    REQUIRE(reports.ok());
    std::vector<std::string> found;
    for (const auto& report : *reports) found.push_back(report.id);
    return found;
  };
  using Ids = std::vector<std::string>;
  CHECK(ids({}) == Ids{"rank-jt", "monitor-jt", "monitor-all", "rank-2027"});
  CHECK(ids({.fiscal_year = 2026}) == Ids{"rank-jt", "monitor-jt", "monitor-all"});
  CHECK(ids({.department = kTransport}) == Ids{"rank-jt", "monitor-jt", "rank-2027"});
  CHECK(ids({.kind = "monitoring"}) == Ids{"monitor-jt", "monitor-all"});
  CHECK(ids({.fiscal_year = 2026, .department = kTransport, .kind = "ranking"}) == Ids{"rank-jt"});

  auto first = store->list_reports({}, std::nullopt, 2);
  REQUIRE(first.ok());
  REQUIRE(first->size() == 2);
  CHECK(first->at(1) ==
        ReportSummary{"monitor-jt", "monitoring", 2026, kTransport, from_proto(l2.created_at())});
  const ReportCursor cursor{first->back().at, first->back().id};
  CHECK(ids({}, cursor, 2) == Ids{"monitor-all", "rank-2027"});
  CHECK(ids({}, ReportCursor{from_proto(l4.created_at()), "rank-2027"}).empty());
}

TEST_CASE("a listed report whose stored time does not decode is DATA_LOSS naming it",
          "[store][reports]") {
  TempDatabase file;
  {
    auto store = open_store(file.path());
    const BudgetLine l1 = draft_line("YQ-2026-JT-0101", rural_road_maintenance(), cycle_start());
    commit_ok(*store, report_batch("rank-jt", l1, "ranking", kTransport));
  }
  {
    auto raw_session = file.raw_session();
    soci::session& raw = *raw_session;
    raw << "UPDATE reports SET at_ms = 9223372036854775807";
  }
  auto store = open_store(file.path());

  auto reports = store->list_reports({}, std::nullopt, 10);

  CHECK(reports.status().code() == Code::kDataLoss);
  CHECK_THAT(reports.status().message(), Catch::Contains("report rank-jt"));
}
}  // namespace
}  // namespace zbb

namespace zbb {
namespace {

// A CommitLog over the real store whose next groups fail as a whole, as a disk that fills up
// or a lost connection would make them fail.
class FailingGroups : public CommitLog {
 public:
  FailingGroups(CommitLog& inner, int failures) : inner_(inner), failures_(failures) {}
  std::vector<BatchAnswer> write_group(const std::vector<GroupEntry>& group) override {
    if (failures_-- > 0) throw std::runtime_error("the disk is full");
    return inner_.write_group(group);
  }

 private:
  CommitLog& inner_;
  std::atomic<int> failures_;
};

TEST_CASE("a group the store fails as a whole answers every caller, and the next group commits",
          "[store][group]") {
  TempDatabase file;
  CountyStore county(file.path());
  const auto events_before = all_events(*county.store);
  FailingGroups failing(*county.store, 1);
  GroupCommit commits(failing, GroupCommit::kDefaultMaxGroup);
  const BudgetLine a = draft_line("YQ-FAIL-A", rural_road_maintenance(), cycle_start());
  const BudgetLine b = draft_line("YQ-FAIL-B", rural_road_maintenance(), cycle_start());

  const auto failed =
      commit_chain(commits, {create_batch("req-fail-a", {a}), create_batch("req-fail-b", {b})});

  REQUIRE(failed.size() == 2);
  CHECK(failed[0].verdict == BatchVerdict::kFailed);
  CHECK(failed[0].status.code() == Code::kInternal);
  CHECK_THAT(failed[0].status.message(), Catch::Contains("the disk is full"));
  CHECK(failed[1].verdict != BatchVerdict::kWritten);
  CHECK(all_events(*county.store) == events_before);
  CHECK(county.store->load_line(a.id()).status().code() == Code::kNotFound);

  const auto again = commit_chain(commits, {create_batch("req-fail-a", {a})});
  REQUIRE(again.size() == 1);
  CHECK(again[0].verdict == BatchVerdict::kWritten);
  CHECK(load_ok(*county.store, a.id()).line->version() == 1);
}

TEST_CASE("a batch whose request is recorded already is told so by its verdict", "[store][group]") {
  CountyStore county;
  GroupCommit commits(*county.store, GroupCommit::kDefaultMaxGroup);
  const BudgetLine line = draft_line("YQ-TWICE", rural_road_maintenance(), cycle_start());
  REQUIRE(commit_chain(commits, {create_batch("req-twice", {line})}).front().verdict ==
          BatchVerdict::kWritten);
  const BudgetLine other = draft_line("YQ-TWICE-2", rural_road_maintenance(), cycle_start());

  const auto again = commit_chain(commits, {create_batch("req-twice", {other})});

  CHECK(again.front().verdict == BatchVerdict::kRequestRecorded);
  CHECK(again.front().status.code() == Code::kAlreadyExists);
}

TEST_CASE("a group commit that is stopping answers every call it still holds", "[store][group]") {
  CountyStore county;
  std::vector<BatchAnswer> answers;
  {
    GroupCommit commits(*county.store, GroupCommit::kDefaultMaxGroup);
    std::vector<CommitBatch> batches;
    for (int i = 0; i < 40; ++i) {
      const std::string id = "YQ-STOP-" + std::to_string(i);
      batches.push_back(
          create_batch("req-" + id, {draft_line(id, rural_road_maintenance(), cycle_start())}));
    }
    std::vector<std::shared_ptr<const CommitBatch>> chain;
    for (const CommitBatch& batch : batches) chain.push_back(with_documents(batch));
    commits.submit(std::move(chain),
                   [&](std::vector<BatchAnswer> all) { answers = std::move(all); });
  }  // the destructor answers what is queued before it returns
  REQUIRE(answers.size() == 40);
  for (const BatchAnswer& answer : answers) CHECK(answer.verdict == BatchVerdict::kWritten);
}

}  // namespace
}  // namespace zbb

namespace zbb {
namespace {

TEST_CASE("a chain broken while writing in the first pass refuses its later batch in the second",
          "[store][group]") {
  TempDatabase file;
  CountyStore county(file.path());
  const StoredLine road = load_ok(*county.store, county.road.id());
  // A batch that passes its checks and fails while writing (its event repeats a position of
  // the road's history), sending the group through the second pass in savepoints.
  CommitBatch clash = submit_batch("req-clash", road);
  clash.events[0].line_sequence = 1;
  const BudgetLine bridge = draft_line("YQ-2026-JT-0002", rural_road_maintenance(), cycle_start());
  const BudgetLine clinic = draft_line("YQ-2026-WJ-0001", rural_road_maintenance(), cycle_start());

  const auto answers =
      county.store->write_group({{with_documents(clash), 7},
                                 {with_documents(create_batch("req-after-clash", {bridge})), 7},
                                 {with_documents(create_batch("req-other", {clinic})), 0}});

  REQUIRE(answers.size() == 3);
  CHECK(answers[0].verdict == BatchVerdict::kFailed);
  CHECK(answers[1].verdict == BatchVerdict::kNotWritten);
  CHECK(answers[2].verdict == BatchVerdict::kWritten);
  CHECK(same_line(*load_ok(*county.store, county.road.id()).line, *road.line));
  CHECK(county.store->load_line(bridge.id()).status().code() == Code::kNotFound);
  CHECK(load_ok(*county.store, clinic.id()).line->version() == 1);
}

TEST_CASE(
    "a line several batches of one group change is written once, as the last of them leaves it",
    "[store][group]") {
  CountyStore county;
  const StoredLine nutrition = load_ok(*county.store, county.nutrition.id());
  const CommitBatch first = submit_batch("req-first", nutrition);
  const StoredLine after_first{first.lines[0].line, first.lines[0].last_hash};
  CommitBatch second = submit_batch("req-second", after_first);
  {
    BudgetLine moved = *second.lines[0].line;
    moved.set_state("draft");  // an indexed column moves again
    moved.set_waiting_on("unit:" + county.nutrition.content().department());
    second.lines[0].line = std::make_shared<const BudgetLine>(std::move(moved));
  }
  const StoredLine after_second{second.lines[0].line, second.lines[0].last_hash};
  // Planned on the line before the group: refused, the group's changes count.
  const CommitBatch stale = submit_batch("req-stale", nutrition);

  const auto answers = county.store->write_group(
      {{with_documents(first), 3}, {with_documents(second), 3}, {with_documents(stale), 0}});

  REQUIRE(answers.size() == 3);
  CHECK(answers[0].verdict == BatchVerdict::kWritten);
  CHECK(answers[1].verdict == BatchVerdict::kWritten);
  CHECK(answers[2].verdict == BatchVerdict::kLineMoved);
  CHECK_THAT(answers[2].status.message(), Catch::Contains("stored version 3"));
  const StoredLine stored = load_ok(*county.store, county.nutrition.id());
  CHECK(same_line(*stored.line, *after_second.line));
  CHECK(stored.last_hash == after_second.last_hash);
  CHECK(county.store->line_history(county.nutrition.id())->size() == 3);
  // The indexes follow the last change.
  LineFilter drafts;
  drafts.state = "draft";
  auto listed = county.store->list_lines(drafts, "", 10);
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 1);
  CHECK(listed->front().id() == county.nutrition.id());
  // The next group starts from the stored row.
  CHECK(commit(*county.store, submit_batch("req-next", stored)).ok());
}

}  // namespace
}  // namespace zbb
