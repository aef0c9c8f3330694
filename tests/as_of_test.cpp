// Reads as of a time: every version a command leaves a line at is kept, and a line, or the
// summary of many, is read as it stood at any time since.

#include <catch2/catch.hpp>

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
    auto lines = county.store->lines_as_of(now, {});
    REQUIRE(lines.ok());
    CHECK(lines->size() == 3);
    CHECK(groups_of(summarize_lines(*lines, grouping)) ==
          groups_of(county.store->summarize({grouping})));
  }
  // One department's lines only.
  LineFilter transport;
  transport.department = kTransport;
  transport.fiscal_year = 2027;
  CHECK(county.store->lines_as_of(now, transport)->size() == 2);
  transport.fiscal_year = 2026;
  CHECK(county.store->lines_as_of(now, transport)->empty());
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

  auto then = county.store->lines_as_of(both_drafts, {});
  REQUIRE(then.ok());
  const auto groups = groups_of(summarize_lines(*then, SummaryGrouping::kState));
  REQUIRE(groups.size() == 1);
  CHECK(groups[0].key == s::kDraft);
  CHECK(groups[0].lines == 2);
  CHECK(groups[0].requested == 2 * road_maintenance_request().requested_amount());
  REQUIRE(groups[0].oldest.has_value());
  CHECK(groups[0].oldest->line_id == "JT-1");

  const auto now = groups_of(
      summarize_lines(*county.store->lines_as_of(county.clock.now(), {}), SummaryGrouping::kState));
  REQUIRE(now.size() == 2);
  CHECK(now[0].key == s::kDraft);
  CHECK(now[0].lines == 2);  // JT-2 and JT-3
  CHECK(now[1].key == s::kSubmitted);
}

}  // namespace zbb::testing
