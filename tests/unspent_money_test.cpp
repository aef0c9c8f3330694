// Unspent money at closing: recovered to the county's general pool of the fiscal year (收回), or
// carried over (结转) to the programme's line of the next fiscal year named by the reviewer who
// closes the line — pool totals exact to the fen, and nothing moves when the carry-over fails.

#include <catch2/catch.hpp>

#include "tests/county_fixture.h"
#include "workflows/state_ids.h"
#include "workflows/unspent_money.h"

namespace zbb::testing {
namespace {

namespace s = review::state;

const std::string kClosing = "JT-2027-001";
const std::string kNextYear = "JT-2028-001";

CloseLine close_to(const std::string& to_line) {
  CloseLine close = close_line("评价结果归档");
  close.set_carry_over_to(to_line);
  return close;
}

Fen county_pool(County& county, int year) {
  auto pool = county.store->pool(year, "", 100);
  REQUIRE(pool.ok());
  return pool->balance;
}

// The road line of 2027 scored (its unit spent what the fixture pays), and the programme's 2028
// line executing.
std::unique_ptr<County> year_end_county() {
  auto county = std::make_unique<County>();
  county->create(kNextYear, road_maintenance_request(2028));
  county->drive_to(kNextYear, s::kExecuting);
  county->create(kClosing, road_maintenance_request(2027));
  county->drive_to(kClosing, s::kScored);
  return county;
}

}  // namespace

TEST_CASE("a closed line's unspent money is recovered to the county's pool of its year",
          "[unspent]") {
  auto county = year_end_county();
  const BudgetLine before = county->line(kClosing);
  const Fen unspent = before.approved_amount() - before.spent_amount();
  REQUIRE(unspent > 0);
  REQUIRE(county_pool(*county, 2027) == 0);

  // Payments are recorded until the final accounts close on 01-31: only then is the line closed.
  county->clock.set(at(2028, 1, 31, 23));
  const Status early = county->act(actor::kEvaluationOffice, kClosing, close_line("归档")).status();
  CHECK(early.code() == Code::kFailedPrecondition);
  CHECK_THAT(early.message(), Catch::Contains("until the final accounts of fiscal year 2027 close "
                                              "on 2028-01-31"));
  county->clock.set(at(2028, 2, 1));
  REQUIRE(county->act(actor::kEvaluationOffice, kClosing, close_line("归档")).ok());
  const BudgetLine closed = county->line(kClosing);
  CHECK(closed.state() == s::kClosed);
  CHECK(closed.unspent().amount() == unspent);
  CHECK(closed.unspent().disposal() == zbb::v1::UNSPENT_DISPOSAL_RECOVERED);
  CHECK(county_pool(*county, 2027) == unspent);
  auto pool = county->store->pool(2027, "", 100);
  REQUIRE(pool->movements.size() == 1);
  CHECK(pool->movements[0].delta == unspent);
  CHECK(pool->movements[0].line_id == kClosing);
  CHECK(pool->movements[0].reason == review::kRecoveredAtClosing);
  // The department's own pool is not the county's.
  CHECK(county->store->pool(2027, kTransport, 100)->balance == 0);
  // The close event says where the money went.
  const auto history = county->history(kClosing);
  zbb::v1::EventPayload payload;
  REQUIRE(payload.ParseFromString(history.back().payload));
  CHECK(payload.decided().unspent().amount() == unspent);
  CHECK(county->line(kNextYear).carried_in_size() == 0);
}

TEST_CASE("the lines of a year add their unspent money to the same pool, to the fen", "[unspent]") {
  auto county = year_end_county();
  county->create("JT-2027-002", road_maintenance_request(2027));
  county->drive_to("JT-2027-002", s::kScored);
  REQUIRE(county->act(actor::kTreasury, "JT-2027-002", record_spending(1'23, "GK-12", "")).ok());
  const BudgetLine first = county->line(kClosing);
  const BudgetLine second = county->line("JT-2027-002");
  county->clock.set(at(2028, 2, 1));
  REQUIRE(county->act(actor::kEvaluationOffice, kClosing, close_line("归档")).ok());
  REQUIRE(county->act(actor::kEvaluationOffice, "JT-2027-002", close_line("归档")).ok());
  CHECK(county_pool(*county, 2027) == first.approved_amount() - first.spent_amount() +
                                          second.approved_amount() - second.spent_amount());
  CHECK(county->store->pool(2027, "", 100)->movements.size() == 2);
}

TEST_CASE(
    "the reviewer who closes a line carries its unspent money over to the programme's "
    "next-year line",
    "[unspent]") {
  auto county = year_end_county();
  const BudgetLine before = county->line(kClosing);
  const Fen unspent = before.approved_amount() - before.spent_amount();
  const Fen next_approved = county->line(kNextYear).approved_amount();

  county->clock.set(at(2028, 2, 1));
  REQUIRE(county->act(actor::kEvaluationOffice, kClosing, close_to(kNextYear)).ok());
  const BudgetLine closed = county->line(kClosing);
  CHECK(closed.state() == s::kClosed);
  CHECK(closed.unspent().amount() == unspent);
  CHECK(closed.unspent().disposal() == zbb::v1::UNSPENT_DISPOSAL_CARRIED_OVER);
  CHECK(closed.unspent().to_line() == kNextYear);
  const BudgetLine next = county->line(kNextYear);
  CHECK(next.approved_amount() == next_approved + unspent);
  REQUIRE(next.carried_in_size() == 1);
  CHECK(next.carried_in(0).from_line() == kClosing);
  CHECK(next.carried_in(0).fiscal_year() == 2027);
  CHECK(next.carried_in(0).amount() == unspent);
  CHECK(county->history(kNextYear).back().type == "receive_carry_over");
  CHECK(county_pool(*county, 2027) == 0);
}

TEST_CASE("a carry-over that cannot be made changes nothing", "[unspent]") {
  auto county = year_end_county();
  const Fen next_approved = county->line(kNextYear).approved_amount();
  auto refused = [&](const std::string& to_line) {
    county->clock.set(std::max(county->clock.now(), at(2028, 2, 1)));
    return county->act(actor::kEvaluationOffice, kClosing, close_to(to_line)).status();
  };

  SECTION("to a line of another programme") {
    county->create("JY-2028-004", school_meals_request(2028), actor::kEducationUnit);
    county->drive_to("JY-2028-004", s::kExecuting);
    const Status other = refused("JY-2028-004");
    CHECK(other.code() == Code::kFailedPrecondition);
    CHECK_THAT(other.message(), Catch::Contains("is not the line of programme JT-ROAD-001"));
  }
  SECTION("to a line of the same year") {
    county->create("JT-2027-002", road_maintenance_request(2027));
    county->drive_to("JT-2027-002", s::kExecuting);
    CHECK(refused("JT-2027-002").code() == Code::kFailedPrecondition);
  }
  SECTION("to the next-year line before it executes") {
    county->create("JT-2028-002", road_maintenance_request(2028));
    const Status draft = refused("JT-2028-002");
    CHECK(draft.code() == Code::kFailedPrecondition);
    CHECK_THAT(draft.message(), Catch::Contains("receive_carry_over"));
  }
  SECTION("to a line that does not exist") {
    CHECK(refused("JT-2028-999").code() == Code::kNotFound);
  }
  SECTION("to itself") { CHECK(refused(kClosing).field() == "carry_over_to"); }
  CHECK(county->state(kClosing) == s::kScored);
  CHECK_FALSE(county->line(kClosing).has_unspent());
  CHECK(county->line(kNextYear).approved_amount() == next_approved);
  CHECK(county_pool(*county, 2027) == 0);
}

TEST_CASE("nothing unspent: nothing to recover, nothing to carry over", "[unspent]") {
  auto county = year_end_county();
  const BudgetLine before = county->line(kClosing);
  REQUIRE(county
              ->act(actor::kTreasury, kClosing,
                    record_spending(before.approved_amount() - before.spent_amount(), "GK-12", ""))
              .ok());
  const Status carry =
      county->act(actor::kEvaluationOffice, kClosing, close_to(kNextYear)).status();
  CHECK(carry.code() == Code::kFailedPrecondition);
  CHECK_THAT(carry.message(), Catch::Contains("nothing is left to carry over"));
  REQUIRE(county->act(actor::kEvaluationOffice, kClosing, close_line("归档")).ok());
  CHECK(county->line(kClosing).unspent().amount() == 0);
  CHECK(county->line(kClosing).unspent().disposal() == zbb::v1::UNSPENT_DISPOSAL_UNSPECIFIED);
  CHECK(county->store->pool(2027, "", 100)->movements.empty());
}

TEST_CASE("a policy that recovers every unspent fen refuses a carry-over", "[unspent]") {
  BudgetLine line;
  line.set_id(kClosing);
  line.set_approved_amount(100'00);
  line.set_spent_amount(40'00);
  zbb::policy::YearEnd rule;
  const Status recovered = review::CarryOverAllowed(line, rule, kNextYear);
  CHECK(recovered.code() == Code::kFailedPrecondition);
  CHECK_THAT(recovered.message(), Catch::Contains("year_end.carry_over"));
  rule.set_carry_over(true);
  CHECK(review::CarryOverAllowed(line, rule, kNextYear).ok());
  CHECK(review::unspent_amount(line) == 60'00);
}

}  // namespace zbb::testing
