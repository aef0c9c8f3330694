// The role rules of the zero-based review (workflows/role_rules.h): which role may send which
// event to which line, whether a caller may know of a line, how a decision names its level —
// judged by the workflow when the engine admits an action, before the line's state.

#include <catch2/catch.hpp>

#include <type_traits>

#include <set>
#include <string>
#include <variant>
#include <vector>

#include "tests/county_fixture.h"
#include "tests/county_people.h"
#include "workflows/role_rules.h"
#include "workflows/state_ids.h"

namespace zbb::testing {
namespace {

using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using review::DecisionNamesAwaitedLevel;
using review::LineVisibleTo;
using review::SenderHoldsRole;

using namespace people;
const Principal kZbb = Principal::zbb();
// Everyone, zbb included: what zbb may do is a rule too.
const std::vector<Principal> kEveryoneAndZbb = [] {
  std::vector<Principal> all = people::kEveryone;
  all.push_back(kZbb);
  return all;
}();

CreateLine create_for(const std::string& department) {
  CreateLine create;
  create.mutable_content()->set_department(department);
  return create;
}

// ---- who may send which event ---------------------------------------------------------------

struct Rule {
  Action action;
  std::set<std::string> allowed;  // principal names
};

std::vector<Rule> rules_for_a_transport_line() {
  const std::set<std::string> transport = {kTransportUnit.name, kTwoDepartments.name};
  auto with = [](std::set<std::string> names, const std::string& extra) {
    names.insert(extra);
    return names;
  };
  DecideApproval department_head_decides;
  department_head_decides.set_level("department_head");
  DecideApproval budget_section_decides;
  budget_section_decides.set_level("budget_section");
  DecideAdjustment budget_section_adjusts;
  budget_section_adjusts.set_level("budget_section");
  return {
      {create_for(kTransport), with(transport, kTreasury.name)},
      {revise_line(), transport},
      {submit_line(), transport},
      {start_target_review(), {kReviewer.name}},
      {review_targets(), {kReviewer.name}},
      {score_priority(), {kReviewer.name}},
      {fund_line(), {kReviewer.name}},
      {department_head_decides, {kDepartmentHead.name}},
      {budget_section_decides, {kBudgetSection.name}},
      {record_spending(), {kTreasury.name}},
      {record_indicator_progress(), with(transport, kTreasury.name)},
      {run_checkpoint(), {kReviewer.name, kTreasury.name, kZbb.name}},
      {propose_adjustment(), transport},
      {budget_section_adjusts, {kBudgetSection.name}},
      {begin_evaluation(), transport},
      {submit_self_evaluation(), transport},
      {close_line(), {kReviewer.name}},
      {withdraw_line(), transport},
      {submit_rectification(), transport},
      {review_rectification(), {kReviewer.name}},
      {record_assessment(), {kReviewer.name}},  // or an expert, whom the county has not
      {RestateTargets(), transport},
      {review_restated_targets(), {kReviewer.name}},
      {answer_correction(), transport},
      {review_correction(), {kReviewer.name}},
      {select_focused_evaluation("抽查"), {kReviewer.name}},
      {submit_focused_evaluation({}, {}, 90, "核查"), {kThirdParty.name}},
      {review_evaluation({}), {kReviewer.name}},
  };
}

TEST_CASE("the rule table names every kind of action", "[roles]") {
  std::set<std::size_t> kinds;
  for (const auto& rule : rules_for_a_transport_line()) kinds.insert(rule.action.index());
  CHECK(kinds.size() == std::variant_size_v<Action>);
}

TEST_CASE("each event is allowed to exactly the roles its rule names", "[roles]") {
  for (const auto& rule : rules_for_a_transport_line()) {
    const bool create = std::holds_alternative<CreateLine>(rule.action);
    const BudgetLine line = create ? BudgetLine{} : transport_line();
    for (const auto& principal : kEveryoneAndZbb) {
      const bool expected = rule.allowed.contains(principal.name);
      INFO(action_type(rule.action) << " by " << principal.name);
      const Status status = SenderHoldsRole(principal, rule.action, line);
      CHECK(status.ok() == expected);
      if (!expected) CHECK(status.code() == Code::kPermissionDenied);
    }
  }
}

TEST_CASE("a refusal names the actor, the event, the line and the roles needed", "[roles]") {
  const Status submit = SenderHoldsRole(kEducationUnit, submit_line(), transport_line());
  CHECK(submit.code() == Code::kPermissionDenied);
  CHECK_THAT(submit.message(), Equals(actor::kEducationUnit +
                                      " may not submit on line 2027-transport-roads: needs role "
                                      "unit:" +
                                      kTransport));

  const Status spending = SenderHoldsRole(kTransportUnit, record_spending(), transport_line());
  CHECK_THAT(spending.message(), Equals(actor::kTransportUnit +
                                        " may not record_spending on line 2027-transport-roads: "
                                        "needs role integrator"));

  const Status checkpoint = SenderHoldsRole(kSupervisor, run_checkpoint(), transport_line());
  CHECK_THAT(checkpoint.message(), Contains("needs role reviewer or integrator"));
}

TEST_CASE("creating a line is judged on the department the request names", "[roles]") {
  BudgetLine empty;
  CHECK(SenderHoldsRole(kTransportUnit, create_for(kTransport), empty).ok());
  const Status other = SenderHoldsRole(kTransportUnit, create_for(kEducation), empty);
  CHECK(other.code() == Code::kPermissionDenied);
  CHECK_THAT(other.message(),
             Equals(actor::kTransportUnit + " may not create on a new line: needs role unit:" +
                    kEducation + " or integrator"));
  // A line passed alongside does not lend its department to the request.
  CHECK_FALSE(SenderHoldsRole(kTransportUnit, create_for(kEducation), transport_line()).ok());
  CHECK(SenderHoldsRole(kTreasury, create_for(kEducation), empty).ok());
}

TEST_CASE("an approver decides only at the level its role names", "[roles]") {
  DecideApproval decide;
  decide.set_level("bureau_head");
  const Status status = SenderHoldsRole(kDepartmentHead, decide, transport_line());
  CHECK(status.code() == Code::kPermissionDenied);
  CHECK_THAT(status.message(), Contains("may not decide on line 2027-transport-roads: needs role "
                                        "approver:bureau_head"));
  DecideAdjustment adjust;
  adjust.set_level("department_head");
  CHECK(SenderHoldsRole(kDepartmentHead, adjust, transport_line()).ok());
  CHECK_FALSE(SenderHoldsRole(kBudgetSection, adjust, transport_line()).ok());
}

TEST_CASE("what zbb records itself is no action a client could send", "[roles]") {
  STATIC_REQUIRE_FALSE(std::is_constructible_v<Action, ExpectReallocation>);
  STATIC_REQUIRE_FALSE(std::is_constructible_v<Action, ReceiveReallocation>);
  STATIC_REQUIRE_FALSE(std::is_constructible_v<Action, CancelReallocation>);
  STATIC_REQUIRE_FALSE(std::is_constructible_v<Action, RecordSlaBreach>);
}

TEST_CASE("a unit of another department may not know of a line: NOT_FOUND", "[roles]") {
  const Status hidden = LineVisibleTo(kEducationUnit, transport_line());
  CHECK(hidden.code() == Code::kNotFound);
  CHECK(hidden.message() == "line 2027-transport-roads not found");
  for (const auto& principal : {kTransportUnit, kTwoDepartments, kReviewer, kSupervisor, kTreasury})
    CHECK(LineVisibleTo(principal, transport_line()).ok());
}

TEST_CASE("a decision names the awaited level as the policy or the role does, or not at all",
          "[roles]") {
  BudgetLine line = transport_line();
  line.set_waiting_on("approver:budget_section");
  Action named =
      decide_approval("approver:budget_section", zbb::v1::DECISION_APPROVE, std::nullopt, "");
  REQUIRE(DecisionNamesAwaitedLevel(line, named).ok());
  CHECK(std::get<DecideApproval>(named).level() == "budget_section");
  Action unnamed = decide_adjustment("", zbb::v1::DECISION_APPROVE, "");
  REQUIRE(DecisionNamesAwaitedLevel(line, unnamed).ok());
  CHECK(std::get<DecideAdjustment>(unnamed).level() == "budget_section");
  Action other = decide_approval("bureau_head", zbb::v1::DECISION_APPROVE, std::nullopt, "");
  const Status refused = DecisionNamesAwaitedLevel(line, other);
  CHECK(refused.code() == Code::kInvalidArgument);
  CHECK(refused.field() == "level");
  CHECK_THAT(refused.message(), Contains("waits on level budget_section (role "
                                         "approver:budget_section), not \"bureau_head\""));
}

// Through the engine: the workflow admits an action before the line's version or state speaks.

TEST_CASE("a caller without the role is refused whatever the line's state or version",
          "[roles][engine]") {
  County county;
  county.create("JT-1", road_maintenance_request());
  Command command{"req-decide-draft", kBudgetSection, {}};
  command.items.push_back(
      {"JT-1", 99, decide_approval("bureau_head", zbb::v1::DECISION_APPROVE, std::nullopt, "")});
  const auto refused = county.engine.execute(command);
  REQUIRE(refused.status().code() == Code::kPermissionDenied);
  CHECK_THAT(refused.status().message(), Contains("needs role approver:bureau_head"));
}

TEST_CASE("a unit acting on another department's line hears it does not exist", "[roles][engine]") {
  County county;
  county.create("JT-1", road_maintenance_request());
  Command command{"req-peek", kEducationUnit, {}};
  command.items.push_back({"JT-1", 1, submit_line()});  // even with the right version
  const auto refused = county.engine.execute(command);
  REQUIRE(refused.status().code() == Code::kNotFound);
  CHECK(refused.status().message() == "line JT-1 not found");
}

TEST_CASE("zbb's own follow-ups are refused to clients and recorded for zbb itself",
          "[roles][engine]") {
  County county;
  county.create("JT-1", road_maintenance_request());
  Command forged{"req-forge", kSupervisor, {}};
  forged.follow_ups.push_back(
      {"JT-1", std::nullopt, sla_breach(std::string(review::state::kDraft))});
  const auto refused = county.engine.execute(forged);
  CHECK(refused.status().code() == Code::kPermissionDenied);
  CHECK_THAT(refused.status().message(), Contains("may not record follow-ups"));
  Command own{"req-own", kZbb, {}};
  own.follow_ups.push_back({"JT-1", std::nullopt, sla_breach(std::string(review::state::kDraft))});
  // Recorded: the machine then judges it (the line is not yet due).
  CHECK(county.engine.execute(own).status().code() == Code::kFailedPrecondition);
  CHECK(county.state("JT-1") == review::state::kDraft);
}

TEST_CASE("a creation refused for the department it names says it is a new line",
          "[roles][engine]") {
  County county;
  Command command{"req-create-elsewhere", kTransportUnit, {}};
  command.items.push_back({"JY-9", std::nullopt, create_line(school_meals_request())});
  const auto refused = county.engine.execute(command);
  REQUIRE(refused.status().code() == Code::kPermissionDenied);
  CHECK(refused.status().message() ==
        actor::kTransportUnit + " may not create on a new line: needs role unit:" + kEducation +
            " or integrator");
}

}  // namespace
}  // namespace zbb::testing
