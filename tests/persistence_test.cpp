// Lines survive closing and reopening the database: same state, same history, and the
// machine picks up where it stopped.

#include <catch2/catch.hpp>

#include <unistd.h>
#include <filesystem>

#include "tests/county_fixture.h"
#include "workflows/state_ids.h"

namespace zbb::testing {
namespace {

namespace s = review::state;

// A database file removed (with its WAL and shared-memory files) when the test ends.
struct TemporaryDatabase {
  TemporaryDatabase() {
    static int counter = 0;
    path =
        (std::filesystem::temp_directory_path() / ("zbb-persistence-" + std::to_string(::getpid()) +
                                                   "-" + std::to_string(++counter) + ".db"))
            .string();
  }
  ~TemporaryDatabase() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  }
  std::string path;
};

}  // namespace

TEST_CASE(
    "a line left in each state survives reopening the database with identical state and "
    "history",
    "[persistence]") {
  TemporaryDatabase database;
  std::vector<std::string_view> states(review::kActiveStates.begin(), review::kActiveStates.end());
  states.insert(states.end(), review::kTerminalStates.begin(), review::kTerminalStates.end());

  std::map<std::string, BudgetLine> lines;
  std::map<std::string, std::vector<RecordedEvent>> histories;
  {
    County county(database.path);
    int n = 0;
    for (auto state : states) {
      const std::string id = "JT-" + std::to_string(++n);
      county.create(id, road_maintenance_request());
      county.drive_to(id, state);
      lines[id] = county.line(id);
      histories[id] = county.history(id);
      REQUIRE(lines[id].state() == state);
    }
  }

  County reopened(database.path);
  for (const auto& [id, line] : lines) {
    INFO(id << " in " << line.state());
    CHECK(same_line(reopened.line(id), line));
    CHECK(reopened.history(id) == histories[id]);
  }
}

TEST_CASE("a restored machine goes on from its stored state", "[persistence]") {
  TemporaryDatabase database;
  {
    County county(database.path);
    county.create("JT-1", road_maintenance_request());
    county.drive_to("JT-1", s::kAwaitingDecision);
    REQUIRE(
        county
            .act(actor::kDepartmentHead, "JT-1",
                 decide_approval("department_head", zbb::v1::DECISION_APPROVE, 1'200'000'00, ""))
            .ok());
    county.create("JT-2", road_maintenance_request());
    county.drive_to("JT-2", s::kRedWarning);
  }
  County reopened(database.path);
  // The approval chain resumes at its second level with the amount granted at the first.
  auto above =
      reopened.act(actor::kBudgetSection, "JT-1",
                   decide_approval("budget_section", zbb::v1::DECISION_APPROVE, 1'200'000'01, ""));
  CHECK(above.status().field() == "amount");
  reopened.drive_to("JT-1", s::kExecuting);
  CHECK(reopened.line("JT-1").approved_amount() == 1'200'000'00);
  // A red line is still red: no spending until an adjustment is decided.
  CHECK(reopened.act(actor::kTreasury, "JT-2", record_spending(1'00, "PAY", "")).status().code() ==
        Code::kFailedPrecondition);
  reopened.drive_to("JT-1", s::kClosed);
  // Approved at 1,200,000 of 1,250,000: its targets restated and accepted on the way.
  CHECK(reopened.history("JT-1").size() == 19);
}

}  // namespace zbb::testing

namespace zbb::testing {

TEST_CASE("a line changed by another server on the same database is read afresh, not from memory",
          "[persistence][cache]") {
  TemporaryDatabase database;
  County here(database.path);
  here.create("JT-1", road_maintenance_request());
  // `here` now holds JT-1 in memory at version 1. A second server moves it on.
  auto other_store = sql::SqlStore::open(database.path);
  REQUIRE(other_store.ok());
  Engine there(**other_store, here.workflow, here.clock);
  Command submit{"elsewhere-1", principal_of(actor::kTransportUnit), {{"JT-1", 1, submit_line()}}};
  REQUIRE(there.execute(submit).ok());

  // Acting on the version the store holds works; a copy from memory would be refused as stale.
  auto review = here.act(actor::kReviewer, "JT-1", start_target_review(), 2);
  INFO(review.status().to_string());
  REQUIRE(review.ok());
  CHECK(review->items[0].version == 3);
  CHECK(here.state("JT-1") == s::kUnderTargetReview);
  const auto history = here.history("JT-1");
  REQUIRE(history.size() == 3);
  CHECK(history[2].prev_hash == history[1].hash);  // chained to the other server's event

  // And what `here` committed itself it reads back from memory: the next steps go on (the
  // line of a new programme above 1,000,000 yuan is assessed first).
  REQUIRE(here.act(actor::kReviewer, "JT-1", record_assessment(true, "同意立项"), 3).ok());
  REQUIRE(here.act(actor::kReviewer, "JT-1", review_targets(true, "目标明确"), 4).ok());
  CHECK(here.state("JT-1") == s::kAwaitingRanking);
}

}  // namespace zbb::testing
