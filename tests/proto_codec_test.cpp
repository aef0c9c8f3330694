// The engine's types as the protobuf the store keeps: line documents, outcomes, event payloads.

#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "engine/proto_codec.h"
#include "tests/message_builders.h"

namespace zbb {
namespace {

using namespace zbb::testing;

// The transport bureau's rural road maintenance request (engine tests do not link the county
// fixture, so the request is written out here).
LineContent road_request() {
  LineContent c;
  c.set_fiscal_year(2027);
  c.set_department("县交通运输局");
  c.set_programme_code("JT-ROAD-001");
  c.set_title("农村公路日常养护");
  c.set_category(zbb::v1::CATEGORY_PROJECT);
  c.set_requested_amount(1'250'000'00);
  assign(c.mutable_cost_items(),
         {
             cost_item("路面修补（平方米）", 5000, 150'00, 750'000'00),
             cost_item("边沟清理（公里）", 200, 1'500'00, 300'000'00),
             cost_item("养护巡查人员劳务（人月）", 40, 5'000'00, 200'000'00),
         });
  c.set_necessity_statement("全县农村公路 412 公里，其中 96 公里路面破损，需按养护规范逐段修复。");
  assign(
      c.mutable_indicators(),
      {
          quantitative("养护里程", zbb::v1::INDICATOR_LEVEL1_OUTPUT,
                       zbb::v1::INDICATOR_LEVEL2_QUANTITY, "公里", 96, zbb::v1::DIRECTION_AT_LEAST),
          quantitative("完工及时率", zbb::v1::INDICATOR_LEVEL1_OUTPUT,
                       zbb::v1::INDICATOR_LEVEL2_TIMELINESS, "%", 95, zbb::v1::DIRECTION_AT_MOST),
          quantitative("路况优良率", zbb::v1::INDICATOR_LEVEL1_EFFECT,
                       zbb::v1::INDICATOR_LEVEL2_SOCIAL, "%", 85, zbb::v1::DIRECTION_EQUAL),
          quantitative("沿线群众满意度", zbb::v1::INDICATOR_LEVEL1_SATISFACTION,
                       zbb::v1::INDICATOR_LEVEL2_SERVICE_OBJECT_SATISFACTION, "%", 90,
                       zbb::v1::DIRECTION_AT_LEAST),
      });
  return c;
}

ApprovalRecord approval(std::string level, std::string actor, Decision decision, Fen amount,
                        std::string comment, std::int64_t at_ms) {
  return approval_record(std::move(level), std::move(actor), decision, amount, std::move(comment),
                         from_millis(at_ms));
}

// A line in which every field and every optional part is set to something other than its default.
BudgetLine fully_populated_line() {
  BudgetLine l;
  l.set_id("JT-2027-001");
  *l.mutable_content() = road_request();
  l.mutable_content()->set_category(zbb::v1::CATEGORY_DEPARTMENT_OVERALL);
  l.mutable_content()->mutable_indicators(0)->set_actual(48.5);
  l.mutable_content()->mutable_indicators(1)->set_actual(0.1);
  l.mutable_content()->mutable_indicators(2)->set_target(85.25);
  l.mutable_content()->mutable_indicators(3)->set_qualitative(true);
  l.set_state("executing");
  l.set_version(17);
  l.set_policy_version("zbb-default@2027.1");
  l.set_created_by("unit.transport.li");
  l.set_submitted_by("unit.transport.li.deputy");
  *l.mutable_created_at() = to_proto(from_millis(1'799'049'600'000));
  *l.mutable_updated_at() = to_proto(from_millis(1'813'996'800'123));
  *l.mutable_state_entered_at() = to_proto(from_millis(1'806'307'200'456));
  l.set_review_claimed_by("reviewer.wang");
  l.set_funded_amount(1'250'000'00);
  l.set_approval_step(4);
  l.set_granted_amount(1'210'000'00);
  l.set_approved_amount(1'200'000'00);
  assign(l.mutable_approvals(),
         {
             approval("department_head", "approver.zhao", zbb::v1::DECISION_APPROVE, 1'250'000'00,
                      "同意", 1'800'000'000'000),
             approval("budget_section", "approver.qian", zbb::v1::DECISION_RETURN, 0,
                      "单价偏高，请说明", 1'800'100'000'000),
             approval("budget_section", "approver.qian", zbb::v1::DECISION_APPROVE, 1'200'000'00,
                      "压减 5 万元", 1'800'200'000'000),
         });
  l.set_spent_amount(150'000'00);
  *l.mutable_monitoring() =
      monitoring_result(zbb::v1::WARNING_LEVEL_RED, "2027-06-30", 1250, 4972, 3000,
                        {"执行率落后时间进度 37.22 个百分点", "red: execution lags"});
  Adjustment pending;
  pending.set_kind(zbb::v1::ADJUSTMENT_KIND_REVISE_TARGET);
  pending.set_indicator("养护里程");
  pending.set_new_target(80.5);
  pending.set_reason("部分路段纳入省级项目");
  pending.set_proposed_by("unit.transport.li");
  *pending.mutable_proposed_at() = to_proto(from_millis(1'814'000'000'000));
  *pending.add_decisions() = approval("budget_section", "approver.qian", zbb::v1::DECISION_APPROVE,
                                      0, "", 1'814'100'000'000);
  pending.set_outcome(zbb::v1::ADJUSTMENT_OUTCOME_PENDING);
  *l.mutable_pending_adjustment() = pending;
  Adjustment reduced;
  reduced.set_kind(zbb::v1::ADJUSTMENT_KIND_REDUCE);
  reduced.set_amount(50'000'00);
  reduced.set_reason("省级资金覆盖 20 公里");
  reduced.set_proposed_by("unit.transport.li");
  *reduced.mutable_proposed_at() = to_proto(from_millis(1'810'000'000'000));
  *reduced.add_decisions() = approval("budget_section", "approver.qian", zbb::v1::DECISION_APPROVE,
                                      0, "同意", 1'810'100'000'000);
  *reduced.add_decisions() =
      approval("bureau_head", "approver.zhou", zbb::v1::DECISION_APPROVE, 0, "", 1'810'200'000'000);
  reduced.set_outcome(zbb::v1::ADJUSTMENT_OUTCOME_APPROVED);
  Adjustment increase;
  increase.set_kind(zbb::v1::ADJUSTMENT_KIND_INCREASE);
  increase.set_amount(10'000'00);
  increase.set_reason("雨季加大投入");
  increase.set_proposed_by("unit.transport.li");
  *increase.mutable_proposed_at() = to_proto(from_millis(1'811'000'000'000));
  *increase.add_decisions() = approval("budget_section", "approver.qian", zbb::v1::DECISION_REJECT,
                                       0, "控制数已用完", 1'811'100'000'000);
  increase.set_outcome(zbb::v1::ADJUSTMENT_OUTCOME_REJECTED);
  assign(l.mutable_adjustments(), {reduced, increase});
  *l.mutable_evaluation() =
      evaluation(92, "按计划完成养护任务", "unit.transport.li", 95, 480, 270, 92, 937, "excellent");
  return l;
}

// --- line documents ---

TEST_CASE("a fully populated budget line survives a round trip through its document", "[codec]") {
  BudgetLine original = fully_populated_line();
  original.add_preparers("unit.transport.li");
  original.add_preparers("unit.transport.li.deputy");
  *original.mutable_submitted_at() = to_proto(from_millis(1'800'049'600'000));
  set_due_at(original, from_millis(1'815'000'000'000));
  original.set_sla_breached(true);
  *original.mutable_prior() =
      prior_result("JT-2026-001", 2026, "poor", 512, 1'000'000'00, true, 800'000'00);
  *original.mutable_priority() =
      priority_score({criterion_score("necessity", 90), criterion_score("urgency", 75)}, 8'250,
                     "reviewer.wang", from_millis(1'801'000'000'000));
  *original.mutable_placement() =
      ranking_placement("budget.he|rank-2027", 3,
                        {zbb::v1::INCREMENT_LEVEL_MINIMUM, zbb::v1::INCREMENT_LEVEL_CURRENT});
  assign(original.mutable_incoming(), {incoming_reallocation("JY-2027-004", 20'000'00)});
  assign(original.mutable_content()->mutable_increments(),
         {increment(zbb::v1::INCREMENT_LEVEL_MINIMUM, 1'000'000'00, "保底养护"),
          increment(zbb::v1::INCREMENT_LEVEL_CURRENT, 250'000'00, "现有水平")});

  const Result<BudgetLine> decoded = line_from_document(line_document(original), original.id());

  REQUIRE(decoded.status().to_string() == "OK");
  REQUIRE(decoded->has_monitoring());
  REQUIRE(same_message(decoded->monitoring(), original.monitoring()));
  REQUIRE(decoded->has_evaluation());
  REQUIRE(same_message(decoded->evaluation(), original.evaluation()));
  REQUIRE(same_content(decoded->content(), original.content()));
  REQUIRE(same_line(*decoded, original));
}

TEST_CASE("a budget line without optional parts round-trips with them still absent", "[codec]") {
  BudgetLine original;
  original.set_id("JY-2027-003");
  *original.mutable_content() = road_request();
  original.set_state("draft");
  original.set_version(1);
  *original.mutable_prior() =
      prior_result("JY-2026-003", 2026, "good", 850, 90'000'00, false, std::nullopt);

  const Result<BudgetLine> decoded = line_from_document(line_document(original), original.id());

  REQUIRE(decoded.ok());
  REQUIRE_FALSE(decoded->has_monitoring());
  REQUIRE_FALSE(decoded->has_pending_adjustment());
  REQUIRE_FALSE(decoded->has_evaluation());
  REQUIRE_FALSE(decoded->has_due_at());
  REQUIRE_FALSE(decoded->has_priority());
  REQUIRE_FALSE(decoded->has_placement());
  REQUIRE_FALSE(decoded->prior().has_ceiling());
  REQUIRE_FALSE(decoded->content().indicators(0).has_actual());
  REQUIRE(same_line(*decoded, original));
}

TEST_CASE("a document keeps Chinese text as UTF-8", "[codec]") {
  const std::string document = line_document(fully_populated_line());

  REQUIRE(document.find("县交通运输局") != std::string::npos);
  REQUIRE(document.find("农村公路日常养护") != std::string::npos);
}

TEST_CASE("a document that is not a line is DATA_LOSS naming the line", "[codec]") {
  const Result<BudgetLine> garbage = line_from_document("\x0a\x0b", "JT-2027-001");
  REQUIRE(garbage.status().code() == Code::kDataLoss);
  CHECK_THAT(garbage.status().message(), Catch::Contains("line JT-2027-001"));

  zbb::v1::BudgetLine far_future;
  far_future.mutable_content()->set_category(zbb::v1::CATEGORY_PROJECT);
  far_future.mutable_created_at()->set_seconds(999'999'999'999'999);
  const Result<BudgetLine> out_of_range =
      line_from_document(far_future.SerializeAsString(), "JT-2027-003");
  REQUIRE(out_of_range.status().code() == Code::kDataLoss);
  CHECK_THAT(out_of_range.status().message(), Catch::Contains("out of range"));
}

TEST_CASE("a stored request is taken as it is, its enums too", "[codec]") {
  // The request is the zbb.v1 message itself: the line's rules checked it when it came in.
  zbb::v1::BudgetLine stored;
  *stored.mutable_content() = road_request();
  stored.mutable_content()->set_category(static_cast<zbb::v1::Category>(42));

  const Result<BudgetLine> decoded = line_from_document(stored.SerializeAsString(), "JT-2027-004");

  REQUIRE(decoded.ok());
  CHECK(decoded->content().category() == static_cast<zbb::v1::Category>(42));
  CHECK(same_content(decoded->content(), stored.content()));
}

TEST_CASE("a stored adjustment and monitoring verdict are taken as they are, enums too",
          "[codec]") {
  // They are the zbb.v1 messages themselves: the line's rules checked the kind when the
  // adjustment was proposed.
  zbb::v1::BudgetLine stored;
  stored.add_adjustments()->set_kind(static_cast<zbb::v1::AdjustmentKind>(42));
  stored.mutable_pending_adjustment()->set_outcome(static_cast<zbb::v1::AdjustmentOutcome>(9));
  stored.mutable_monitoring()->set_level(static_cast<zbb::v1::WarningLevel>(7));

  const Result<BudgetLine> decoded = line_from_document(stored.SerializeAsString(), "JT-2027-002");

  REQUIRE(decoded.ok());
  REQUIRE(decoded->adjustments_size() == 1);
  CHECK(decoded->adjustments(0).kind() == static_cast<zbb::v1::AdjustmentKind>(42));
  REQUIRE(decoded->has_pending_adjustment());
  CHECK(decoded->pending_adjustment().outcome() == static_cast<zbb::v1::AdjustmentOutcome>(9));
  REQUIRE(decoded->has_monitoring());
  CHECK(decoded->monitoring().level() == static_cast<zbb::v1::WarningLevel>(7));
}

TEST_CASE("a line's document is less than half its former JSON", "[codec]") {
  // The former JSON spelled every key and enum name out: about 4.2 KB for this line.
  CHECK(line_document(fully_populated_line()).size() < 2'100);
}

// --- outcomes ---

TEST_CASE("a command outcome survives a round trip through its document", "[codec]") {
  CommandOutcome original;
  original.items = {{"JT-2027-001", 3, "submitted"}, {"JY-2027-003", 7, "awaiting_ranking"}};
  original.last_sequence = 4'200'000'001;

  const Result<CommandOutcome> decoded = outcome_from_document(outcome_document(original));

  REQUIRE(decoded.status().to_string() == "OK");
  REQUIRE(*decoded == original);
  REQUIRE(*outcome_from_document(outcome_document(CommandOutcome{})) == CommandOutcome{});
  REQUIRE(outcome_from_document("\xff").status().code() == Code::kDataLoss);
}

// --- event payloads ---

zbb::v1::EventPayload payload_of(const Action& action, const AddedByZbb& added = {}) {
  zbb::v1::EventPayload payload;
  to_proto(action, added, &payload);
  return payload;
}

zbb::v1::EventPayload payload_of(const FollowUp& follow_up) {
  zbb::v1::EventPayload payload;
  to_proto(follow_up, &payload);
  return payload;
}

// The oneof field the message sets in its "event" oneof.
std::string event_field(const google::protobuf::Message& source) {
  const auto* field = source.GetReflection()->GetOneofFieldDescriptor(
      source, source.GetDescriptor()->FindOneofByName("event"));
  return field == nullptr ? "" : field->name();
}

TEST_CASE("a client's action is a LineEvent whose oneof field is named as its type", "[codec]") {
  const Action actions[] = {create_line(),
                            revise_line(),
                            submit_line(),
                            start_target_review(),
                            review_targets(),
                            score_priority(),
                            fund_line(),
                            decide_approval(),
                            record_spending(),
                            record_indicator_progress(),
                            run_checkpoint(),
                            propose_adjustment(),
                            decide_adjustment(),
                            begin_evaluation(),
                            submit_self_evaluation(),
                            close_line(),
                            withdraw_line(),
                            submit_rectification(),
                            review_rectification(),
                            record_assessment(),
                            RestateTargets(),
                            review_restated_targets(),
                            answer_correction(),
                            review_correction(),
                            select_focused_evaluation("抽查"),
                            submit_focused_evaluation({}, {}, 90, "核查"),
                            review_evaluation({})};
  STATIC_REQUIRE(std::variant_size_v<Action> == std::size(actions));
  for (const Action& action : actions) {
    const auto payload = payload_of(action);
    REQUIRE(payload.has_event());
    CHECK(event_field(payload.event()) == action_type(action));
  }
}

TEST_CASE("what zbb records itself is a FollowUp whose oneof field is named as its type",
          "[codec]") {
  const FollowUp follow_ups[] = {ExpectReallocation{}, ReceiveReallocation{}, CancelReallocation{},
                                 RecordSlaBreach{}, ReceiveCarryOver{}};
  STATIC_REQUIRE(std::variant_size_v<FollowUp> == std::size(follow_ups));
  for (const FollowUp& follow_up : follow_ups) {
    const auto payload = payload_of(follow_up);
    REQUIRE(payload.has_follow_up());
    CHECK(event_field(payload.follow_up()) == follow_up_type(follow_up));
  }
  // Every message a client may send in a LineEvent is an Action, and nothing else is.
  CHECK(zbb::v1::LineEvent::descriptor()->FindOneofByName("event")->field_count() ==
        static_cast<int>(std::variant_size_v<Action>));
  CHECK(zbb::v1::FollowUp::descriptor()->FindOneofByName("event")->field_count() ==
        static_cast<int>(std::variant_size_v<FollowUp>));
}

TEST_CASE("a client's action is its LineEvent's message, copied as it is", "[codec]") {
  const Action spending = record_spending(5'00, "GK-1", "备注");
  const auto payload = payload_of(spending);
  CHECK(same_message(payload.event().record_spending(), std::get<RecordSpending>(spending)));
  zbb::v1::LineEvent event;
  *event.mutable_record_spending() = std::get<RecordSpending>(spending);
  const auto action = action_of(event);
  REQUIRE(action);
  REQUIRE(std::holds_alternative<RecordSpending>(*action));
  CHECK(same_message(std::get<RecordSpending>(*action), std::get<RecordSpending>(spending)));
  CHECK_FALSE(action_of(zbb::v1::LineEvent()));
}

TEST_CASE("the payload of an approval decision carries its level, decision and amount", "[codec]") {
  const auto payload = payload_of(
      decide_approval("budget_section", zbb::v1::DECISION_APPROVE, 1'200'000'00, "同意"));

  CHECK(payload.event().decide().level() == "budget_section");
  CHECK(payload.event().decide().decision() == zbb::v1::DECISION_APPROVE);
  CHECK(payload.event().decide().amount() == 1'200'000'00);
  CHECK(payload.event().decide().comment() == "同意");
  CHECK_FALSE(
      payload_of(decide_approval("bureau_head", zbb::v1::DECISION_REJECT, std::nullopt, "否"))
          .event()
          .decide()
          .has_amount());
}

TEST_CASE("what zbb added to an action is in what was decided", "[codec]") {
  const auto created = payload_of(
      create_line(road_request()),
      {.prior = prior_result("JT-2026-001", 2026, "poor", 512, 1'000'000'00, true, 800'000'00)});
  CHECK(created.event().create().content().title() == "农村公路日常养护");
  CHECK(created.decided().prior().grade() == "poor");
  CHECK(created.decided().prior().ceiling() == 800'000'00);

  const auto funded = payload_of(fund_line(900'000'00, "ranked 2 of 5"),
                                 {.placement = ranking_placement("rk", 2, {})});
  CHECK(funded.event().fund().amount() == 900'000'00);
  CHECK(funded.decided().placement().ranking_id() == "rk");
  CHECK_FALSE(payload_of(fund_line(900'000'00, "")).has_decided());
}

TEST_CASE("the payload of a checkpoint carries its date as YYYY-MM-DD", "[codec]") {
  const auto payload = payload_of(run_checkpoint(std::chrono::year(2027) / std::chrono::June / 30));

  CHECK(payload.event().run_checkpoint().as_of() == "2027-06-30");
}

TEST_CASE("the payload of a target revision carries kind, indicator and new target", "[codec]") {
  const auto payload = payload_of(propose_adjustment(zbb::v1::ADJUSTMENT_KIND_REVISE_TARGET, 0,
                                                     "养护里程", 80.5, "省级项目覆盖"));

  CHECK(payload.event().propose_adjustment().kind() == zbb::v1::ADJUSTMENT_KIND_REVISE_TARGET);
  CHECK(payload.event().propose_adjustment().indicator() == "养护里程");
  CHECK(payload.event().propose_adjustment().new_target() == 80.5);
}

TEST_CASE("the payloads of zbb's own events carry their data", "[codec]") {
  CHECK(payload_of(expect_reallocation("JT-1", 2027, 5'00, "县交通运输局"))
            .follow_up()
            .expect_reallocation()
            .department() == "县交通运输局");
  CHECK(
      payload_of(receive_reallocation("JT-1", 5'00)).follow_up().receive_reallocation().amount() ==
      5'00);
  CHECK(payload_of(cancel_reallocation("JT-1")).follow_up().cancel_reallocation().from_line() ==
        "JT-1");
  CHECK(payload_of(sla_breach("draft")).follow_up().sla_breached().state() == "draft");
}

}  // namespace
}  // namespace zbb
