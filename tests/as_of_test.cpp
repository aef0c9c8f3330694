// Reads as of a time: every version a command leaves a line at is kept, and a line, or the
// summary of many, is read as it stood at any time since.

#include <catch2/catch.hpp>

#include <soci/soci.h>
#include <unistd.h>

#include <filesystem>

#include "engine/proto_codec.h"
#include "engine/summary_of_lines.h"
#include "tests/county_fixture.h"
#include "workflows/state_ids.h"

namespace zbb::testing {
namespace {

namespace s = review::state;

// What Summarize's groups say, without the oldest line's wait (measured to different times).
std::vector<SummaryGroup> groups_of(Result<std::vector<SummaryGroup>> groups) {
  REQUIRE(groups.ok());
  return std::move(groups).value();
}

// Every line of `filter` as it stood at `at`, paged through two at a time.
std::vector<BudgetLine> lines_then(County& county, Timestamp at, const LineFilter& filter = {}) {
  std::vector<BudgetLine> lines;
  std::string after;
  for (;;) {
    auto page = county.store->lines_as_of(at, filter, after, 2);
    REQUIRE(page.ok());
    for (const LineAsOf& then : *page) {
      CHECK_FALSE(then.unknown_then);
      if (then.line) lines.push_back(*then.line);
    }
    if (page->size() < 2) return lines;
    after = page->back().line_id;
  }
}

}  // namespace

TEST_CASE("a line is read as the last command before a time left it", "[as_of]") {
  County county;
  const Timestamp before_creation = county.clock.now();
  county.clock.advance(std::chrono::hours(1));
  county.create("JT-1", road_maintenance_request());
  const Timestamp created = county.clock.now();
  county.clock.advance(std::chrono::hours(24));
  county.drive_to("JT-1", s::kUnderTargetReview);
  const Timestamp reviewed = county.clock.now();
  const BudgetLine now = county.line("JT-1");
  REQUIRE(now.version() > 1);

  auto at_creation = county.store->line_as_of("JT-1", created);
  REQUIRE(at_creation.ok());
  REQUIRE(at_creation->has_value());
  CHECK((*at_creation)->version() == 1);
  CHECK((*at_creation)->state() == s::kDraft);
  // Between two commands: the first one's version.
  auto a_day_later = county.store->line_as_of("JT-1", created + std::chrono::hours(23));
  REQUIRE(a_day_later->has_value());
  CHECK((*a_day_later)->version() == 1);
  auto latest = county.store->line_as_of("JT-1", reviewed);
  REQUIRE(latest->has_value());
  CHECK(same_line(**latest, now));
  auto none = county.store->line_as_of("JT-1", before_creation);
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
  CHECK_FALSE(county.store->line_as_of("JT-9", reviewed)->has_value());
}

TEST_CASE("the summary of the lines as they stand equals the store's totals", "[as_of]") {
  County county;
  county.create("JT-1", road_maintenance_request());
  county.create("JY-1", school_meals_request(), actor::kEducationUnit);
  county.drive_to("JT-1", s::kExecuting);
  county.drive_to("JY-1", s::kAwaitingRanking);
  county.create("JT-2", road_maintenance_request());
  county.drive_to("JT-2", s::kWithdrawn);
  const Timestamp now = county.clock.now();
  for (auto grouping : {SummaryGrouping::kState, SummaryGrouping::kDepartment,
                        SummaryGrouping::kWaitingOn, SummaryGrouping::kWarningLevel}) {
    INFO(to_string(grouping));
    const auto lines = lines_then(county, now);
    CHECK(lines.size() == 3);
    CHECK(groups_of(summarize_lines(lines, grouping)) ==
          groups_of(county.store->summarize({grouping})));
  }
  // One department's lines only.
  LineFilter transport;
  transport.department = kTransport;
  transport.fiscal_year = 2027;
  CHECK(lines_then(county, now, transport).size() == 2);
  transport.fiscal_year = 2026;
  CHECK(lines_then(county, now, transport).empty());
}

TEST_CASE("the summary as of a time counts each line at its version then", "[as_of]") {
  County county;
  county.create("JT-1", road_maintenance_request());
  county.create("JT-2", road_maintenance_request());
  const Timestamp both_drafts = county.clock.now();
  county.clock.advance(std::chrono::hours(2));
  county.drive_to("JT-1", s::kSubmitted);
  county.clock.advance(std::chrono::hours(2));
  county.create("JT-3", road_maintenance_request());

  const auto groups =
      groups_of(summarize_lines(lines_then(county, both_drafts), SummaryGrouping::kState));
  REQUIRE(groups.size() == 1);
  CHECK(groups[0].key == s::kDraft);
  CHECK(groups[0].lines == 2);
  CHECK(groups[0].requested == 2 * road_maintenance_request().requested_amount());
  REQUIRE(groups[0].oldest.has_value());
  CHECK(groups[0].oldest->line_id == "JT-1");

  const auto now =
      groups_of(summarize_lines(lines_then(county, county.clock.now()), SummaryGrouping::kState));
  REQUIRE(now.size() == 2);
  CHECK(now[0].key == s::kDraft);
  CHECK(now[0].lines == 2);  // JT-2 and JT-3
  CHECK(now[1].key == s::kSubmitted);
}

TEST_CASE("every version is kept, also of commands committed together", "[as_of]") {
  // A file, for a second connection to read the table itself.
  struct File {
    std::string path = (std::filesystem::temp_directory_path() /
                        ("zbb-as-of-" + std::to_string(::getpid()) + ".db"))
                           .string();
    ~File() {
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    }
  } file;
  const std::string& path = file.path;
  County county(path);
  county.create("JT-1", road_maintenance_request());
  // Three revisions of one line sent at once, each planned on the one before: the group commit
  // may write them together, the line's row once.
  std::vector<Command> commands;
  for (const char* suffix : {"一", "二", "三"}) {
    ReviseLine revise;
    *revise.mutable_content() = road_maintenance_request();
    revise.mutable_content()->set_title(std::string("农村公路日常养护") + suffix);
    Command command;
    command.request_id = County::next_request_id();
    command.principal = principal_of(actor::kTransportUnit);
    command.items.push_back(CommandItem{"JT-1", std::nullopt, Action(std::move(revise))});
    commands.push_back(std::move(command));
  }
  for (const auto& outcome : county.engine.execute_each(commands)) REQUIRE(outcome.ok());
  REQUIRE(county.line("JT-1").version() == 4);
  soci::session raw("sqlite3", "db=" + path);
  std::vector<long long> versions(10);
  std::vector<std::string> documents(10);
  raw << "SELECT version, document FROM line_versions WHERE line_id = 'JT-1' ORDER BY version",
      soci::into(versions), soci::into(documents);
  CHECK(versions == std::vector<long long>{1, 2, 3, 4});
  REQUIRE(documents.size() == 4);
  CHECK(line_from_document(documents[2], "JT-1")->content().title() == "农村公路日常养护二");

  SECTION("the versions are evidence: neither changed nor deleted") {
    CHECK_THROWS_WITH(raw << "UPDATE line_versions SET at_ms = 0",
                      Catch::Contains("line versions are append-only: UPDATE refused"));
    CHECK_THROWS_WITH(raw << "DELETE FROM line_versions",
                      Catch::Contains("line versions are append-only: DELETE refused"));
  }
  SECTION("a line written without its version is refused") {
    CHECK_THROWS_WITH(raw << "UPDATE lines SET version = 5 WHERE id = 'JT-1'",
                      Catch::Contains("a line is written with its version in line_versions"));
  }
}

}  // namespace zbb::testing
