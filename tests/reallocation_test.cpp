// Reallocation between lines: both lines change in one command, or neither does.

#include <catch2/catch.hpp>

#include "tests/county_fixture.h"
#include "workflows/state_ids.h"

namespace zbb::testing {
namespace {

namespace s = review::state;

ProposeAdjustment reallocate(const std::string& to, Fen amount) {
  return propose_adjustment(zbb::v1::ADJUSTMENT_KIND_REALLOCATE, amount, "", 0, "结余资金调剂", to);
}

std::size_t event_count(County& county) { return county.store->events_after(0, 100'000)->size(); }

// Two executing lines of the transport bureau, 1,250,000.00 yuan approved each.
std::unique_ptr<County> two_executing_lines() {
  auto county = std::make_unique<County>();
  for (const char* id : {"GIVE", "TAKE"}) {
    county->create(id, road_maintenance_request());
    county->drive_to(id, s::kExecuting);
  }
  return county;
}

}  // namespace

TEST_CASE("an approved reallocation moves money between two lines at once, totals kept",
          "[reallocation]") {
  auto county = two_executing_lines();
  REQUIRE(county->act(actor::kTransportUnit, "GIVE", reallocate("TAKE", 200'000'00)).ok());
  CHECK(county->state("GIVE") == s::kAdjustmentProposed);
  REQUIRE(county->line("TAKE").incoming_size() == 1);
  CHECK(county->history("TAKE").back().type == "expect_reallocation");
  CHECK(county->history("TAKE").back().request_id == county->history("GIVE").back().request_id);

  REQUIRE(county
              ->act(actor::kBudgetSection, "GIVE",
                    decide_adjustment("budget_section", zbb::v1::DECISION_APPROVE, ""))
              .ok());
  CHECK(county->line("TAKE").approved_amount() == 1'250'000'00);  // not yet
  REQUIRE(county
              ->act(actor::kBureauHead, "GIVE",
                    decide_adjustment("bureau_head", zbb::v1::DECISION_APPROVE, ""))
              .ok());
  const BudgetLine give = county->line("GIVE");
  const BudgetLine take = county->line("TAKE");
  CHECK(give.approved_amount() == 1'050'000'00);
  CHECK(take.approved_amount() == 1'450'000'00);
  CHECK(give.approved_amount() + take.approved_amount() == 2'500'000'00);
  CHECK(take.incoming().empty());
  CHECK(give.state() == s::kExecuting);
  CHECK(county->history("TAKE").back().type == "receive_reallocation");
  CHECK(county->history("TAKE").back().request_id == county->history("GIVE").back().request_id);
  // The money stayed between the lines: the department's pool did not move.
  CHECK(county->store->pool_balance(2027, kTransport).value() == 0);
}

TEST_CASE("a reallocation to a line that cannot receive money is refused and changes neither line",
          "[reallocation]") {
  auto county = two_executing_lines();
  county->create("WAITING", road_maintenance_request());
  county->drive_to("WAITING", s::kAwaitingDecision);
  county->create("CLOSED", road_maintenance_request());
  county->drive_to("CLOSED", s::kClosed);
  for (const char* target : {"WAITING", "CLOSED"}) {
    const std::size_t events = event_count(*county);
    const BudgetLine give = county->line("GIVE");
    const BudgetLine receiver = county->line(target);
    auto refused = county->act(actor::kTransportUnit, "GIVE", reallocate(target, 100'000'00));
    INFO(target << ": " << refused.status().to_string());
    CHECK(refused.status().code() == Code::kFailedPrecondition);
    CHECK_THAT(refused.status().message(),
               Catch::Contains("line " + std::string(target)) &&
                   Catch::Contains("does not accept expect_reallocation"));
    CHECK(same_line(county->line("GIVE"), give));
    CHECK(same_line(county->line(target), receiver));
    CHECK(event_count(*county) == events);
  }
  auto unknown = county->act(actor::kTransportUnit, "GIVE", reallocate("NOBODY", 100'000'00));
  CHECK(unknown.status().code() == Code::kNotFound);
  CHECK(county->state("GIVE") == s::kExecuting);
}

TEST_CASE("a rejected reallocation releases what the receiving line expected", "[reallocation]") {
  auto county = two_executing_lines();
  REQUIRE(county->act(actor::kTransportUnit, "GIVE", reallocate("TAKE", 200'000'00)).ok());
  REQUIRE(county
              ->act(actor::kBudgetSection, "GIVE",
                    decide_adjustment("budget_section", zbb::v1::DECISION_REJECT, "理由不充分"))
              .ok());
  CHECK(county->line("TAKE").incoming().empty());
  CHECK(county->line("TAKE").approved_amount() == 1'250'000'00);
  CHECK(county->line("GIVE").approved_amount() == 1'250'000'00);
  CHECK(county->history("TAKE").back().type == "cancel_reallocation");
}

TEST_CASE("a reallocation keeps what is spent and stays within its fiscal year", "[reallocation]") {
  auto county = two_executing_lines();
  REQUIRE(county->act(actor::kTreasury, "GIVE", record_spending(625'000'00, "GK-1", "")).ok());
  auto too_much = county->act(actor::kTransportUnit, "GIVE", reallocate("TAKE", 625'000'01));
  CHECK(too_much.status().code() == Code::kFailedPrecondition);
  auto itself = county->act(actor::kTransportUnit, "GIVE", reallocate("GIVE", 1'00));
  CHECK(itself.status().field() == "target_line");

  county->create("NEXT-YEAR", road_maintenance_request(2028));
  county->drive_to("NEXT-YEAR", s::kExecuting);
  auto other_year = county->act(actor::kTransportUnit, "GIVE", reallocate("NEXT-YEAR", 1'00));
  CHECK(other_year.status().code() == Code::kFailedPrecondition);
  CHECK_THAT(other_year.status().message(), Catch::Contains("fiscal year 2028"));
  CHECK(county->state("GIVE") == s::kExecuting);
  CHECK(county->line("NEXT-YEAR").incoming().empty());
}

TEST_CASE("a line awaiting reallocated money may not begin its evaluation", "[reallocation]") {
  auto county = two_executing_lines();
  county->hold_green_checkpoint("TAKE");
  REQUIRE(county->act(actor::kTransportUnit, "GIVE", reallocate("TAKE", 100'000'00)).ok());
  county->clock.set(at(2028, 1, 20));
  auto early = county->act(actor::kTransportUnit, "TAKE", begin_evaluation());
  CHECK(early.status().code() == Code::kFailedPrecondition);
  CHECK_THAT(early.status().message(), Catch::Contains("GIVE"));
}

}  // namespace zbb::testing

namespace zbb::testing {

TEST_CASE("a reallocation stays within its department", "[reallocation]") {
  auto county = two_executing_lines();
  county->create("SCHOOL", school_meals_request(), actor::kEducationUnit);
  county->drive_to("SCHOOL", s::kExecuting);
  const std::size_t events = event_count(*county);
  // To the transport unit, the education line is no line at all.
  auto hidden = county->act(actor::kTransportUnit, "GIVE", reallocate("SCHOOL", 1'00));
  CHECK(hidden.status().code() == Code::kNotFound);
  CHECK(hidden.status().message() == "line SCHOOL not found");
  // The unit of both departments sees both lines: the money still stays in its department.
  const Principal both{"unit.county.office", {"unit:" + kTransport, "unit:" + kEducation}};
  auto across = county->act_as(both, "GIVE", reallocate("SCHOOL", 1'00));
  CHECK(across.status().code() == Code::kFailedPrecondition);
  CHECK_THAT(across.status().message(), Catch::Contains("stays within a department"));
  CHECK(event_count(*county) == events);
}

}  // namespace zbb::testing

namespace zbb::testing {

TEST_CASE(
    "a reallocation with the expected version of its own line commits when the receiving "
    "line's copy in memory is older than the stored line",
    "[reallocation][engine]") {
  auto county = two_executing_lines();
  // Another server sharing the database records a payment on the receiving line.
  Engine other(*county->store, county->workflow, county->clock);
  Command payment{"elsewhere-pay", principal_of(actor::kTreasury), {}};
  payment.items.push_back({"TAKE", std::nullopt, record_spending(1'00, "GK-1", "")});
  REQUIRE(other.execute(payment).ok());

  const std::int64_t give_version = county->line("GIVE").version();
  const auto proposed =
      county->act(actor::kTransportUnit, "GIVE", reallocate("TAKE", 200'000'00), give_version);
  INFO(proposed.status().to_string());
  REQUIRE(proposed.ok());
  CHECK(county->state("GIVE") == s::kAdjustmentProposed);
  CHECK(county->line("TAKE").spent_amount() == 1'00);
  CHECK(county->line("TAKE").incoming_size() == 1);
}

}  // namespace zbb::testing
