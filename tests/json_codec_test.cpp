// JSON forms of the domain types: round trips, field paths in errors, event payloads.

#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/json_codec.h"

namespace zbb {
namespace {

using nlohmann::json;

Indicator indicator(std::string name, IndicatorLevel1 level1, IndicatorLevel2 level2,
                    std::string unit, double target) {
  Indicator i;
  i.name = std::move(name);
  i.level1 = level1;
  i.level2 = level2;
  i.quantitative = true;
  i.unit = std::move(unit);
  i.target = target;
  i.direction = Direction::kAtLeast;
  return i;
}

// The transport bureau's rural road maintenance request (engine tests do not link the county
// fixture, so the request is written out here).
LineContent road_request() {
  LineContent c;
  c.fiscal_year = 2027;
  c.department = "县交通运输局";
  c.programme_code = "JT-ROAD-001";
  c.title = "农村公路日常养护";
  c.category = Category::kProject;
  c.requested_amount = 1'250'000'00;
  c.cost_items = {
      {"路面修补（平方米）", 5000, 150'00, 750'000'00},
      {"边沟清理（公里）", 200, 1'500'00, 300'000'00},
      {"养护巡查人员劳务（人月）", 40, 5'000'00, 200'000'00},
  };
  c.necessity_statement = "全县农村公路 412 公里，其中 96 公里路面破损，需按养护规范逐段修复。";
  c.indicators = {
      indicator("养护里程", IndicatorLevel1::kOutput, IndicatorLevel2::kQuantity, "公里", 96),
      indicator("完工及时率", IndicatorLevel1::kOutput, IndicatorLevel2::kTimeliness, "%", 95),
      indicator("路况优良率", IndicatorLevel1::kEffect, IndicatorLevel2::kSocial, "%", 85),
      indicator("沿线群众满意度", IndicatorLevel1::kSatisfaction,
                IndicatorLevel2::kServiceObjectSatisfaction, "%", 90),
  };
  c.indicators[1].direction = Direction::kAtMost;
  c.indicators[2].direction = Direction::kEqual;
  return c;
}

ApprovalRecord approval(std::string level, std::string actor, Decision decision, Fen amount,
                        std::string comment, std::int64_t at_ms) {
  return {std::move(level), std::move(actor),   decision,
          amount,           std::move(comment), from_millis(at_ms)};
}

// A line in which every field and every optional part is set to something other than its default.
BudgetLine fully_populated_line() {
  BudgetLine l;
  l.id = "JT-2027-001";
  l.content = road_request();
  l.content.category = Category::kDepartmentOverall;
  l.content.indicators[0].actual = 48.5;
  l.content.indicators[1].actual = 0.1;
  l.content.indicators[2].target = 85.25;
  l.content.indicators[3].quantitative = false;
  l.state = "executing";
  l.version = 17;
  l.policy_version = "zbb-default@2027.1";
  l.created_by = "unit.transport.li";
  l.submitted_by = "unit.transport.li.deputy";
  l.created_at = from_millis(1'799'049'600'000);
  l.updated_at = from_millis(1'813'996'800'123);
  l.state_entered_at = from_millis(1'806'307'200'456);
  l.review_claimed_by = "reviewer.wang";
  l.funded_amount = 1'250'000'00;
  l.approval_step = 4;
  l.granted_amount = 1'210'000'00;
  l.approved_amount = 1'200'000'00;
  l.approvals = {
      approval("department_head", "approver.zhao", Decision::kApprove, 1'250'000'00, "同意",
               1'800'000'000'000),
      approval("budget_section", "approver.qian", Decision::kReturn, 0, "单价偏高，请说明",
               1'800'100'000'000),
      approval("budget_section", "approver.qian", Decision::kApprove, 1'200'000'00, "压减 5 万元",
               1'800'200'000'000),
  };
  l.spent_amount = 150'000'00;
  l.monitoring = MonitoringResult{WarningLevel::kRed,
                                  "2027-06-30",
                                  1250,
                                  4972,
                                  3000,
                                  {"执行率落后时间进度 37.22 个百分点", "red: execution lags"}};
  Adjustment pending;
  pending.kind = AdjustmentKind::kReviseTarget;
  pending.indicator = "养护里程";
  pending.new_target = 80.5;
  pending.reason = "部分路段纳入省级项目";
  pending.proposed_by = "unit.transport.li";
  pending.proposed_at = from_millis(1'814'000'000'000);
  pending.decisions = {
      approval("budget_section", "approver.qian", Decision::kApprove, 0, "", 1'814'100'000'000)};
  pending.outcome = AdjustmentOutcome::kPending;
  l.pending_adjustment = pending;
  Adjustment reduced;
  reduced.kind = AdjustmentKind::kReduce;
  reduced.amount = 50'000'00;
  reduced.reason = "省级资金覆盖 20 公里";
  reduced.proposed_by = "unit.transport.li";
  reduced.proposed_at = from_millis(1'810'000'000'000);
  reduced.decisions = {
      approval("budget_section", "approver.qian", Decision::kApprove, 0, "同意", 1'810'100'000'000),
      approval("bureau_head", "approver.zhou", Decision::kApprove, 0, "", 1'810'200'000'000)};
  reduced.outcome = AdjustmentOutcome::kApproved;
  Adjustment increase;
  increase.kind = AdjustmentKind::kIncrease;
  increase.amount = 10'000'00;
  increase.reason = "雨季加大投入";
  increase.proposed_by = "unit.transport.li";
  increase.proposed_at = from_millis(1'811'000'000'000);
  increase.decisions = {approval("budget_section", "approver.qian", Decision::kReject, 0,
                                 "控制数已用完", 1'811'100'000'000)};
  increase.outcome = AdjustmentOutcome::kRejected;
  l.adjustments = {reduced, increase};
  l.evaluation =
      Evaluation{92, "按计划完成养护任务", "unit.transport.li", 95, 480, 270, 92, 937, "excellent"};
  return l;
}

// A content document that line_content_from_json accepts; tests break one field of it.
json valid_content_json() { return to_json_value(road_request()); }

// --- round trips ---

TEST_CASE("a fully populated budget line survives a round trip through JSON text", "[json_codec]") {
  const BudgetLine original = fully_populated_line();

  const std::string text = to_json_text(original);
  const Result<BudgetLine> decoded = budget_line_from_json_text(text);

  REQUIRE(decoded.status().to_string() == "OK");
  REQUIRE(decoded->monitoring == original.monitoring);
  REQUIRE(decoded->pending_adjustment == original.pending_adjustment);
  REQUIRE(decoded->adjustments == original.adjustments);
  REQUIRE(decoded->evaluation == original.evaluation);
  REQUIRE(decoded->content == original.content);
  REQUIRE(*decoded == original);
}

TEST_CASE("a document made with its content's text given is the same document", "[json_codec]") {
  const BudgetLine original = fully_populated_line();

  const std::string text = to_json_text(original, to_json_text(original.content));

  CHECK(nlohmann::json::parse(text) == nlohmann::json::parse(to_json_text(original)));
  const Result<BudgetLine> decoded = budget_line_from_json_text(text);
  REQUIRE(decoded.ok());
  CHECK(*decoded == original);
}

TEST_CASE("a budget line without optional parts round-trips with them still absent",
          "[json_codec]") {
  BudgetLine original;
  original.id = "JY-2027-003";
  original.content = road_request();
  original.state = "draft";
  original.version = 1;

  const Result<BudgetLine> decoded = budget_line_from_json_text(to_json_text(original));

  REQUIRE(decoded.ok());
  REQUIRE_FALSE(decoded->monitoring.has_value());
  REQUIRE_FALSE(decoded->pending_adjustment.has_value());
  REQUIRE_FALSE(decoded->evaluation.has_value());
  REQUIRE_FALSE(decoded->content.indicators[0].actual.has_value());
  REQUIRE(*decoded == original);
}

TEST_CASE("JSON text keeps Chinese text as UTF-8", "[json_codec]") {
  const BudgetLine line = fully_populated_line();

  const std::string text = to_json_text(line);

  REQUIRE(text.find("县交通运输局") != std::string::npos);
  REQUIRE(text.find("农村公路日常养护") != std::string::npos);
}

TEST_CASE("line content round-trips through its JSON value", "[json_codec]") {
  const LineContent original = road_request();

  const Result<LineContent> decoded = line_content_from_json(to_json_value(original));

  REQUIRE(decoded.status().to_string() == "OK");
  REQUIRE(*decoded == original);
}

TEST_CASE("enums are written by name", "[json_codec]") {
  const json j = to_json_value(fully_populated_line());

  REQUIRE(j["content"]["category"] == "department_overall");
  REQUIRE(j["content"]["indicators"][3]["level2"] == "service_object_satisfaction");
  REQUIRE(j["content"]["indicators"][1]["direction"] == "at_most");
  REQUIRE(j["monitoring"]["level"] == "red");
  REQUIRE(j["pending_adjustment"]["kind"] == "revise_target");
  REQUIRE(j["approvals"][1]["decision"] == "return");
}

TEST_CASE("a command outcome survives a round trip through JSON text", "[json_codec]") {
  CommandOutcome original;
  original.items = {{"JT-2027-001", 3, "submitted"}, {"JY-2027-003", 7, "awaiting_ranking"}};
  original.last_sequence = 4'200'000'001;

  const Result<CommandOutcome> decoded = command_outcome_from_json_text(to_json_text(original));

  REQUIRE(decoded.status().to_string() == "OK");
  REQUIRE(*decoded == original);
}

TEST_CASE("an empty command outcome survives a round trip", "[json_codec]") {
  const CommandOutcome original;

  const Result<CommandOutcome> decoded = command_outcome_from_json_text(to_json_text(original));

  REQUIRE(decoded.ok());
  REQUIRE(*decoded == original);
}

// --- line_content_from_json: errors name the field ---

TEST_CASE("line_content_from_json accepts a valid content document", "[json_codec]") {
  const Result<LineContent> content = line_content_from_json(valid_content_json());

  REQUIRE(content.ok());
  REQUIRE(content->department == "县交通运输局");
}

TEST_CASE("line_content_from_json refuses an unknown category naming the field", "[json_codec]") {
  json j = valid_content_json();
  j["category"] = "basic2";

  const Result<LineContent> content = line_content_from_json(j);

  REQUIRE(content.status().code() == Code::kInvalidArgument);
  REQUIRE(content.status().field() == "category");
  REQUIRE_THAT(content.status().message(), Catch::Contains("basic2"));
}

TEST_CASE("line_content_from_json refuses an unknown level-1 category with the indicator's path",
          "[json_codec]") {
  json j = valid_content_json();
  j["indicators"][1]["level1"] = "outcome";

  const Result<LineContent> content = line_content_from_json(j);

  REQUIRE(content.status().code() == Code::kInvalidArgument);
  REQUIRE(content.status().field() == "indicators[1].level1");
}

TEST_CASE("line_content_from_json refuses an unknown level-2 category with the indicator's path",
          "[json_codec]") {
  json j = valid_content_json();
  j["indicators"][2]["level2"] = "happiness";

  const Result<LineContent> content = line_content_from_json(j);

  REQUIRE(content.status().code() == Code::kInvalidArgument);
  REQUIRE(content.status().field() == "indicators[2].level2");
}

TEST_CASE("line_content_from_json refuses an unknown direction with the indicator's path",
          "[json_codec]") {
  json j = valid_content_json();
  j["indicators"][0]["direction"] = ">=";

  const Result<LineContent> content = line_content_from_json(j);

  REQUIRE(content.status().code() == Code::kInvalidArgument);
  REQUIRE(content.status().field() == "indicators[0].direction");
}

TEST_CASE("line_content_from_json refuses an enum given as a number", "[json_codec]") {
  json j = valid_content_json();
  j["category"] = 1;

  const Result<LineContent> content = line_content_from_json(j);

  REQUIRE(content.status().code() == Code::kInvalidArgument);
  REQUIRE(content.status().field() == "category");
}

TEST_CASE("line_content_from_json refuses an amount given as a string", "[json_codec]") {
  json j = valid_content_json();
  j["requested_amount"] = "125000000";

  const Result<LineContent> content = line_content_from_json(j);

  REQUIRE(content.status().code() == Code::kInvalidArgument);
  REQUIRE(content.status().field() == "requested_amount");
}

TEST_CASE("line_content_from_json refuses a title given as a number", "[json_codec]") {
  json j = valid_content_json();
  j["title"] = 42;

  const Result<LineContent> content = line_content_from_json(j);

  REQUIRE(content.status().code() == Code::kInvalidArgument);
  REQUIRE(content.status().field() == "title");
}

TEST_CASE("line_content_from_json refuses a mistyped field of a cost item with its path",
          "[json_codec]") {
  json j = valid_content_json();
  j["cost_items"][2]["unit_price"] = "5000.00";

  const Result<LineContent> content = line_content_from_json(j);

  REQUIRE(content.status().code() == Code::kInvalidArgument);
  REQUIRE(content.status().field() == "cost_items[2].unit_price");
}

TEST_CASE("line_content_from_json refuses cost items that are not an array", "[json_codec]") {
  json j = valid_content_json();
  j["cost_items"] = json{{"name", "路面修补"}};

  const Result<LineContent> content = line_content_from_json(j);

  REQUIRE(content.status().code() == Code::kInvalidArgument);
  REQUIRE(content.status().field() == "cost_items");
}

TEST_CASE("line_content_from_json refuses a cost item that is not an object", "[json_codec]") {
  json j = valid_content_json();
  j["cost_items"][0] = "路面修补";

  const Result<LineContent> content = line_content_from_json(j);

  REQUIRE(content.status().code() == Code::kInvalidArgument);
  REQUIRE(content.status().field() == "cost_items[0]");
}

TEST_CASE("line_content_from_json refuses a document that is not an object", "[json_codec]") {
  const Result<LineContent> content = line_content_from_json(json::array());

  REQUIRE(content.status().code() == Code::kInvalidArgument);
  REQUIRE(content.status().field() == "content");
}

TEST_CASE("line_content_from_json refuses a fractional amount of fen", "[json_codec]") {
  // Money is whole fen; 0.5 fen must not be truncated silently.
  json j = valid_content_json();
  j["requested_amount"] = 125'000'000.5;

  const Result<LineContent> content = line_content_from_json(j);

  REQUIRE(content.status().code() == Code::kInvalidArgument);
  REQUIRE(content.status().field() == "requested_amount");
}

TEST_CASE("line_content_from_json refuses an amount beyond int64", "[json_codec]") {
  // 10^19 fen does not fit an int64; it must not wrap to another amount.
  json j = valid_content_json();
  j["requested_amount"] = std::uint64_t{10'000'000'000'000'000'000u};

  const Result<LineContent> content = line_content_from_json(j);

  REQUIRE(content.status().code() == Code::kInvalidArgument);
  REQUIRE(content.status().field() == "requested_amount");
}

TEST_CASE("line_content_from_json refuses a fiscal year beyond int", "[json_codec]") {
  // 2^32 + 2027 must not wrap to the valid year 2027.
  json j = valid_content_json();
  j["fiscal_year"] = std::int64_t{4'294'969'323};

  const Result<LineContent> content = line_content_from_json(j);

  REQUIRE(content.status().code() == Code::kInvalidArgument);
  REQUIRE(content.status().field() == "fiscal_year");
}

TEST_CASE("line_content_from_json refuses a missing category naming it", "[json_codec]") {
  // A missing category must not silently become "project".
  json j = valid_content_json();
  j.erase("category");

  const Result<LineContent> content = line_content_from_json(j);

  REQUIRE(content.status().code() == Code::kInvalidArgument);
  REQUIRE(content.status().field() == "category");
}

TEST_CASE("line_content_from_json refuses a missing amount naming it", "[json_codec]") {
  // A missing amount must not silently become 0 fen.
  json j = valid_content_json();
  j.erase("requested_amount");

  const Result<LineContent> content = line_content_from_json(j);

  REQUIRE(content.status().code() == Code::kInvalidArgument);
  REQUIRE(content.status().field() == "requested_amount");
}

// --- stored documents ---

TEST_CASE("budget_line_from_json_text reports garbage as an internal error", "[json_codec]") {
  const Result<BudgetLine> line = budget_line_from_json_text("{not json at all");

  REQUIRE_FALSE(line.ok());
  REQUIRE(line.status().code() == Code::kInternal);
}

TEST_CASE("budget_line_from_json_text reports a non-object document as an internal error",
          "[json_codec]") {
  const Result<BudgetLine> line = budget_line_from_json_text("[1, 2, 3]");

  REQUIRE(line.status().code() == Code::kInternal);
}

TEST_CASE("budget_line_from_json_text reports a mistyped stored field as an internal error",
          "[json_codec]") {
  json j = to_json_value(fully_populated_line());
  j["monitoring"]["execution_rate_bp"] = "12.5%";

  const Result<BudgetLine> line = budget_line_from_json_text(j.dump());

  REQUIRE(line.status().code() == Code::kInternal);
  REQUIRE_THAT(line.status().message(), Catch::Contains("monitoring.execution_rate_bp"));
}

TEST_CASE("command_outcome_from_json_text reports garbage as an internal error", "[json_codec]") {
  const Result<CommandOutcome> outcome = command_outcome_from_json_text("");

  REQUIRE(outcome.status().code() == Code::kInternal);
}

// --- actions ---

TEST_CASE("the payload of an approval decision carries its level, decision and amount",
          "[json_codec]") {
  const Action action = DecideApproval{"budget_section", Decision::kApprove, 1'200'000'00, "同意"};

  const json data = to_json_value(action);

  REQUIRE(data["level"] == "budget_section");
  REQUIRE(data["decision"] == "approve");
  REQUIRE(data["amount"] == 1'200'000'00);
  REQUIRE(data["comment"] == "同意");
}

TEST_CASE("the payload of a refusing decision names the decision", "[json_codec]") {
  const Action action = DecideApproval{"bureau_head", Decision::kReject, 0, "不符合政策"};

  const json data = to_json_value(action);

  REQUIRE(data["decision"] == "reject");
}

TEST_CASE("the payload of a create action carries the content", "[json_codec]") {
  const LineContent content = road_request();

  const json data = to_json_value(Action{CreateLine{content}});

  REQUIRE(data["content"] == to_json_value(content));
}

TEST_CASE("the payload of a checkpoint carries its date as YYYY-MM-DD", "[json_codec]") {
  const Action action = RunCheckpoint{std::chrono::year(2027) / std::chrono::June / 30};

  const json data = to_json_value(action);

  REQUIRE(data["as_of"] == "2027-06-30");
}

TEST_CASE("the payload of a spending record carries amount and payment reference", "[json_codec]") {
  const Action action = RecordSpending{-3'000'00, "GK-2027-000817", "退回多付款"};

  const json data = to_json_value(action);

  REQUIRE(data["amount"] == -3'000'00);
  REQUIRE(data["payment_ref"] == "GK-2027-000817");
}

TEST_CASE("the payload of a target revision carries kind, indicator and new target",
          "[json_codec]") {
  const Action action =
      ProposeAdjustment{AdjustmentKind::kReviseTarget, 0, "养护里程", 80.5, "省级项目覆盖"};

  const json data = to_json_value(action);

  REQUIRE(data["kind"] == "revise_target");
  REQUIRE(data["indicator"] == "养护里程");
  REQUIRE(data["new_target"] == 80.5);
}

TEST_CASE("the payload of a self-evaluation carries the final actuals", "[json_codec]") {
  const Action action = SubmitSelfEvaluation{{{"养护里程", 96}}, 92, "完成"};

  const json data = to_json_value(action);

  REQUIRE(data["final_actuals"][0]["indicator"] == "养护里程");
  REQUIRE(data["final_actuals"][0]["actual"] == 96.0);
  REQUIRE(data["satisfaction_percent"] == 92);
}

TEST_CASE("action_type names each action as the event log does", "[json_codec]") {
  REQUIRE(action_type(Action{CreateLine{}}) == "create");
  REQUIRE(action_type(Action{ReviseLine{}}) == "revise");
  REQUIRE(action_type(Action{SubmitLine{}}) == "submit");
  REQUIRE(action_type(Action{StartTargetReview{}}) == "start_target_review");
  REQUIRE(action_type(Action{ReviewTargets{}}) == "review_targets");
  REQUIRE(action_type(Action{FundLine{}}) == "fund");
  REQUIRE(action_type(Action{DecideApproval{}}) == "decide");
  REQUIRE(action_type(Action{RecordSpending{}}) == "record_spending");
  REQUIRE(action_type(Action{RecordIndicatorProgress{}}) == "record_indicator_progress");
  REQUIRE(action_type(Action{RunCheckpoint{}}) == "run_checkpoint");
  REQUIRE(action_type(Action{ProposeAdjustment{}}) == "propose_adjustment");
  REQUIRE(action_type(Action{DecideAdjustment{}}) == "decide_adjustment");
  REQUIRE(action_type(Action{BeginEvaluation{}}) == "begin_evaluation");
  REQUIRE(action_type(Action{SubmitSelfEvaluation{}}) == "submit_self_evaluation");
  REQUIRE(action_type(Action{CloseLine{}}) == "close");
  REQUIRE(action_type(Action{WithdrawLine{}}) == "withdraw");
}

}  // namespace
}  // namespace zbb
