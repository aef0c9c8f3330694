// Due times of SLAs: calendar days, and working days with holidays and worked weekends.

#include "workflows/sla.h"

#include <catch2/catch.hpp>

#include "workflows/policy_loader.h"

namespace {

using namespace std::chrono_literals;
using zbb::Timestamp;
using zbb::review::sla_due;

const std::string kDefaultPolicyPath =
    std::string(ZBB_SOURCE_DIR) + "/workflows/zero_based_review.textproto";

zbb::policy::WorkflowPolicy shipped_policy() {
  auto policy = zbb::review::load_policy_file(kDefaultPolicyPath);
  REQUIRE(policy.ok());
  return *policy;
}

Timestamp at(const char* text) {
  auto parsed = zbb::parse_timestamp(text);
  REQUIRE(parsed.has_value());
  return *parsed;
}

// The 2027 Spring Festival as a bureau would list it: Monday 8 to Friday 12 February off, and
// Saturday 6 February worked in exchange.
zbb::policy::WorkflowPolicy working_day_policy() {
  auto policy = shipped_policy();
  auto* calendar = policy.mutable_sla_calendar();
  calendar->set_working_days(true);
  for (const char* day : {"2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12"})
    calendar->add_holidays(day);
  calendar->add_working_weekends("2027-02-06");
  REQUIRE(zbb::review::validate_policy(policy).ok());
  return policy;
}

TEST_CASE("calendar days: the due time is the days of the state's SLA later", "[sla]") {
  const auto policy = shipped_policy();
  const Timestamp entered = at("2027-01-04T08:30:00Z");
  CHECK(sla_due(policy, "justification.submitted", entered) == entered + std::chrono::days(3));
  CHECK(sla_due(policy, "draft", entered) == entered + std::chrono::days(30));
  CHECK(sla_due(policy, "approval.awaiting_decision", entered) == entered + std::chrono::days(5));
  // Weekends count like any day.
  CHECK(sla_due(policy, "justification.submitted", at("2027-01-08T17:00:00Z")) ==
        at("2027-01-11T17:00:00Z"));
  // Terminal states have no SLA.
  for (const char* terminal : {"closed", "withdrawn", "rejected", "unfunded"})
    CHECK_FALSE(sla_due(policy, terminal, entered).has_value());
}

TEST_CASE("working days skip weekends and holidays and count worked weekends", "[sla]") {
  const auto policy = working_day_policy();
  // Friday 10:00 with 3 working days: Monday, Tuesday, Wednesday.
  CHECK(sla_due(policy, "justification.submitted", at("2027-01-08T10:00:00Z")) ==
        at("2027-01-13T10:00:00Z"));
  // Entered on a Saturday: the count starts on Monday.
  CHECK(sla_due(policy, "justification.submitted", at("2027-01-09T10:00:00Z")) ==
        at("2027-01-13T10:00:00Z"));
  // Thursday before the festival: Friday 5th, the worked Saturday 6th, then the week off, then
  // Monday 15th.
  CHECK(sla_due(policy, "justification.submitted", at("2027-02-04T09:00:00Z")) ==
        at("2027-02-15T09:00:00Z"));
  // Five working days from the Friday before: 6th (worked), 15th, 16th, 17th, 18th.
  CHECK(sla_due(policy, "approval.awaiting_decision", at("2027-02-05T09:00:00Z")) ==
        at("2027-02-18T09:00:00Z"));
  // Entered during the holiday: the first working day after it counts first.
  CHECK(sla_due(policy, "justification.submitted", at("2027-02-10T09:00:00Z")) ==
        at("2027-02-17T09:00:00Z"));
  // A long SLA: 400 working days is well over a year of calendar days.
  const auto executing = sla_due(policy, "execution.executing", at("2027-01-04T08:00:00Z"));
  REQUIRE(executing.has_value());
  CHECK(*executing > at("2028-05-01T00:00:00Z"));
}

TEST_CASE("calendar dates are parsed strictly", "[sla]") {
  using zbb::review::parse_calendar_date;
  CHECK(parse_calendar_date("2027-02-28").has_value());
  CHECK(parse_calendar_date("2028-02-29").has_value());
  CHECK_FALSE(parse_calendar_date("2027-02-29").has_value());
  CHECK_FALSE(parse_calendar_date("2027-2-28").has_value());
  CHECK_FALSE(parse_calendar_date("2027-02-28T00:00:00Z").has_value());
  CHECK_FALSE(parse_calendar_date("2027-13-01").has_value());
  CHECK_FALSE(parse_calendar_date("20x7-01-01").has_value());
  CHECK_FALSE(parse_calendar_date("").has_value());
}

}  // namespace
