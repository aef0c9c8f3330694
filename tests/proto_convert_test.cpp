// Conversion at the gRPC edge: zbb.v1 messages ↔ engine types, and Status → grpc::Status.

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <variant>

#include <google/protobuf/text_format.h>
#include <grpcpp/server_context.h>
#include <grpcpp/test/server_context_test_spouse.h>

#include "adapters/grpc/grpc_status.h"
#include "adapters/grpc/proto_convert.h"
#include "tests/message_builders.h"
#include "workflows/line_rules.h"

namespace zbb::api {
namespace {

using zbb::testing::criterion_score;
using zbb::testing::run_checkpoint;
using zbb::testing::same_content;
using zbb::testing::same_message;
using zbb::testing::score_priority;
using namespace std::chrono_literals;

template <typename Message>
Message parse_text(const std::string& text) {
  Message message;
  REQUIRE(google::protobuf::TextFormat::ParseFromString(text, &message));
  return message;
}

// The transport bureau's road maintenance request as a client sends it: every field set, every
// kind of indicator (quantitative and qualitative, each direction, one carrying an actual).
zbb::v1::LineContent road_request_proto() {
  return parse_text<zbb::v1::LineContent>(R"pb(
    fiscal_year: 2027
    department: "县交通运输局"
    programme_code: "JT-ROAD-001"
    title: "农村公路日常养护"
    category: CATEGORY_PROJECT
    requested_amount: 125000000
    cost_items { name: "路面修补（平方米）" quantity: 20000 unit_price: 4000 amount: 80000000 }
    cost_items { name: "桥涵检测（座）" quantity: 30 unit_price: 1000000 amount: 30000000 }
    cost_items { name: "养护巡查（公里）" quantity: 960 unit_price: 15625 amount: 15000000 }
    necessity_statement: "全县农村公路 960 公里，路况下降，需日常养护。"
    indicators {
      name: "养护里程"
      level1: INDICATOR_LEVEL1_OUTPUT
      level2: INDICATOR_LEVEL2_QUANTITY
      unit: "公里"
      target: 960
      direction: DIRECTION_AT_LEAST
    }
    indicators {
      name: "单位养护成本"
      level1: INDICATOR_LEVEL1_COST
      level2: INDICATOR_LEVEL2_ECONOMIC
      unit: "元/公里"
      target: 1302.08
      direction: DIRECTION_AT_MOST
      actual: 1250.5
    }
    indicators {
      name: "道路通行状况"
      level1: INDICATOR_LEVEL1_EFFECT
      level2: INDICATOR_LEVEL2_SOCIAL
      qualitative: true
      direction: DIRECTION_EQUAL
    }
    indicators {
      name: "沿线群众满意度"
      level1: INDICATOR_LEVEL1_SATISFACTION
      level2: INDICATOR_LEVEL2_SERVICE_OBJECT_SATISFACTION
      unit: "%"
      target: 90
      direction: DIRECTION_AT_LEAST
    }
  )pb");
}

// What the line's rules say of a request: its enums are checked there, not at the edge.
Status content_error(const zbb::v1::LineContent& content) {
  const Status status = review::validate_content(content);
  REQUIRE_FALSE(status.ok());
  return status;
}

Status event_error(const std::string& text) {
  auto result = action_from_proto(parse_text<zbb::v1::LineEvent>(text));
  REQUIRE_FALSE(result.ok());
  return result.status();
}

// The message an event holds (its oneof case) as the client sent it.
const google::protobuf::Message& event_message(const zbb::v1::LineEvent& event) {
  const auto* field = zbb::v1::LineEvent::descriptor()->FindFieldByNumber(event.event_case());
  REQUIRE(field != nullptr);
  return event.GetReflection()->GetMessage(event, field);
}

// The action the edge makes of the event written as `text`: the event's message itself.
template <typename T>
T event_action(const std::string& text) {
  const auto event = parse_text<zbb::v1::LineEvent>(text);
  auto result = action_from_proto(event);
  REQUIRE(result.ok());
  const T* action = std::get_if<T>(&result.value());
  REQUIRE(action != nullptr);
  CHECK(same_message(*action, event_message(event)));
  return *action;
}

Timestamp at(std::int64_t ms) { return from_millis(ms); }

// --- LineContent ---

TEST_CASE("an unspecified category is refused naming the field") {
  auto request = road_request_proto();
  request.set_category(zbb::v1::CATEGORY_UNSPECIFIED);

  const auto status = content_error(request);

  CHECK(status.code() == Code::kInvalidArgument);
  CHECK(status.field() == "category");
  CHECK(status.message() == "is unspecified; must be one of basic, project, department_overall");
}

TEST_CASE("an unknown category number is refused naming the field and the choices") {
  auto request = road_request_proto();
  request.set_category(static_cast<zbb::v1::Category>(42));

  const auto status = content_error(request);

  CHECK(status.code() == Code::kInvalidArgument);
  CHECK(status.field() == "category");
  CHECK(status.message() == "must be one of basic, project, department_overall, not 42");
}

TEST_CASE("unspecified or unknown indicator enums are refused naming the indicator") {
  auto request = road_request_proto();

  SECTION("level1") {
    request.mutable_indicators(2)->set_level1(static_cast<zbb::v1::IndicatorLevel1>(42));
    CHECK(content_error(request).field() == "indicators[2].level1");
  }
  SECTION("level2") {
    request.mutable_indicators(3)->set_level2(zbb::v1::INDICATOR_LEVEL2_UNSPECIFIED);
    CHECK(content_error(request).field() == "indicators[3].level2");
  }
  SECTION("direction") {
    request.mutable_indicators(0)->set_direction(static_cast<zbb::v1::Direction>(42));
    const auto status = content_error(request);
    CHECK(status.code() == Code::kInvalidArgument);
    CHECK(status.field() == "indicators[0].direction");
  }
  SECTION("increment level") {
    auto* minimum = request.add_increments();
    minimum->set_level(zbb::v1::INCREMENT_LEVEL_MINIMUM);
    request.add_increments()->set_level(static_cast<zbb::v1::IncrementLevel>(9));
    const auto status = content_error(request);
    CHECK(status.field() == "increments[1].level");
    CHECK(status.message() == "must be one of minimum, current, enhancement, not 9");
  }
}

TEST_CASE(
    "an unset direction is a qualitative indicator's — the line's rules refuse it otherwise") {
  auto request = road_request_proto();
  request.mutable_indicators(1)->clear_actual();  // reported only while executing
  request.mutable_indicators(2)->set_direction(zbb::v1::DIRECTION_UNSPECIFIED);

  const Status qualitative = review::validate_content(request);
  CHECK(qualitative.to_string() == "OK");

  request.mutable_indicators(0)->set_direction(zbb::v1::DIRECTION_UNSPECIFIED);
  const auto quantitative = content_error(request);
  CHECK(quantitative.field() == "indicators[0].direction");
  CHECK(quantitative.message() == "is required for a quantitative indicator");
}

TEST_CASE("the edge refuses a request's unknown enums and leaves its other rules to the workflow") {
  auto request = road_request_proto();
  request.set_requested_amount(-1);
  request.clear_cost_items();
  request.set_title("");
  zbb::v1::LineEvent event;
  *event.mutable_create()->mutable_content() = request;

  auto action = action_from_proto(event);

  REQUIRE(action.ok());
  const auto* create = std::get_if<CreateLine>(&action.value());
  REQUIRE(create != nullptr);
  CHECK(same_content(create->content(), request));
  CHECK(same_message(*create, event.create()));

  // An unknown enum is refused here, before any rule of the workflow could be looked at.
  event.mutable_create()->mutable_content()->set_category(static_cast<zbb::v1::Category>(42));
  const auto refused = action_from_proto(event);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().field() == "create.content.category");
  CHECK(refused.status().message() == "must be one of basic, project, department_overall, not 42");
}

// A field number no zbb.v1 message defines, as a newer client could send it.
void add_unknown_field(google::protobuf::Message* message) {
  message->GetReflection()->MutableUnknownFields(message)->AddVarint(999, 7);
  REQUIRE_FALSE(message->GetReflection()->GetUnknownFields(*message).empty());
}

bool has_unknown_fields(const google::protobuf::Message& message) {
  return !message.GetReflection()->GetUnknownFields(message).empty();
}

TEST_CASE("fields zbb does not know are dropped from a request, never stored or hashed") {
  zbb::v1::LineEvent event;
  auto* content = event.mutable_create()->mutable_content();
  *content = road_request_proto();
  add_unknown_field(content);

  const auto action = action_from_proto(event);

  REQUIRE(action.ok());
  const auto* create = std::get_if<CreateLine>(&action.value());
  REQUIRE(create != nullptr);
  CHECK_FALSE(has_unknown_fields(create->content()));
  CHECK(same_content(create->content(), road_request_proto()));
}

TEST_CASE("fields zbb does not know are dropped from any event, at any depth") {
  SECTION("on the event's own message") {
    auto event = parse_text<zbb::v1::LineEvent>(R"pb(fund { amount: 100 comment: "rank 1" })pb");
    const auto sent = event.fund();
    add_unknown_field(event.mutable_fund());

    const auto action = action_from_proto(event);

    REQUIRE(action.ok());
    const auto* fund = std::get_if<FundLine>(&action.value());
    REQUIRE(fund != nullptr);
    CHECK_FALSE(has_unknown_fields(*fund));
    CHECK(same_message(*fund, sent));  // unknown fields compared too
  }
  SECTION("on a message within it") {
    auto event = parse_text<zbb::v1::LineEvent>(R"pb(score_priority {
                                                       scores { criterion: "urgency" score: 4 }
                                                       comment: "c"
                                                     })pb");
    const auto sent = event.score_priority();
    add_unknown_field(event.mutable_score_priority()->mutable_scores(0));

    const auto action = action_from_proto(event);

    REQUIRE(action.ok());
    const auto* score = std::get_if<ScorePriority>(&action.value());
    REQUIRE(score != nullptr);
    REQUIRE(score->scores_size() == 1);
    CHECK_FALSE(has_unknown_fields(score->scores(0)));
    CHECK(same_message(*score, sent));
  }
  SECTION("on a final actual of a self-evaluation") {
    auto event = parse_text<zbb::v1::LineEvent>(
        R"pb(submit_self_evaluation { final_actuals { indicator: "a" actual: 1 } })pb");
    const auto sent = event.submit_self_evaluation();
    add_unknown_field(event.mutable_submit_self_evaluation()->mutable_final_actuals(0));
    add_unknown_field(event.mutable_submit_self_evaluation());

    const auto action = action_from_proto(event);

    REQUIRE(action.ok());
    const auto* evaluation = std::get_if<SubmitSelfEvaluation>(&action.value());
    REQUIRE(evaluation != nullptr);
    REQUIRE(evaluation->final_actuals_size() == 1);
    CHECK_FALSE(has_unknown_fields(*evaluation));
    CHECK_FALSE(has_unknown_fields(evaluation->final_actuals(0)));
    CHECK(same_message(*evaluation, sent));
  }
}

// --- enums ---

TEST_CASE("an unspecified category filter means any category") {
  auto any = category_filter_from_proto(zbb::v1::CATEGORY_UNSPECIFIED);
  REQUIRE(any.ok());
  CHECK_FALSE(any->has_value());

  auto basic = category_filter_from_proto(zbb::v1::CATEGORY_BASIC);
  REQUIRE(basic.ok());
  CHECK(*basic == zbb::v1::CATEGORY_BASIC);

  auto unknown = category_filter_from_proto(static_cast<zbb::v1::Category>(42));
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().code() == Code::kInvalidArgument);
  CHECK(unknown.status().field() == "category");
}

// --- LineEvent → Action: the event's message itself ---

TEST_CASE("create and revise carry the content as sent") {
  std::string content_text;
  google::protobuf::TextFormat::PrintToString(road_request_proto(), &content_text);
  const auto expected = road_request_proto();

  CHECK(same_content(
      event_action<CreateLine>("create { content { " + content_text + " } }").content(), expected));
  CHECK(same_content(
      event_action<ReviseLine>("revise { content { " + content_text + " } }").content(), expected));
}

TEST_CASE("events without data convert to their actions") {
  event_action<SubmitLine>("submit {}");
  event_action<StartTargetReview>("start_target_review {}");
  event_action<BeginEvaluation>("begin_evaluation {}");
}

TEST_CASE("review_targets carries the verdict and the comment") {
  const auto a =
      event_action<ReviewTargets>(R"pb(review_targets { accept: true comment: "ok" })pb");
  CHECK(a.accept());
  CHECK(a.comment() == "ok");
}

TEST_CASE("score_priority carries the scores and the comment") {
  const auto a = event_action<ScorePriority>(R"pb(score_priority {
                                                    scores { criterion: "urgency" score: 4 }
                                                    scores { criterion: "coverage" score: 2 }
                                                    comment: "排序"
                                                  })pb");
  CHECK(same_message(
      a, score_priority({criterion_score("urgency", 4), criterion_score("coverage", 2)}, "排序")));
}

TEST_CASE("fund carries the amount and the comment") {
  const auto a = event_action<FundLine>(R"pb(fund { amount: 100000000 comment: "rank 3" })pb");
  CHECK(a.amount() == 1'000'000'00);
  CHECK(a.comment() == "rank 3");
}

TEST_CASE("decide carries level, decision, amount and comment") {
  const auto a = event_action<DecideApproval>(R"pb(decide {
                                                     level: "budget_section"
                                                     decision: DECISION_RETURN
                                                     amount: 5
                                                     comment: "再核"
                                                   })pb");
  CHECK(a.level() == "budget_section");
  CHECK(a.decision() == zbb::v1::DECISION_RETURN);
  REQUIRE(a.has_amount());
  CHECK(a.amount() == 5);
  CHECK(a.comment() == "再核");
}

TEST_CASE("an approval without an amount is left for the workflow to fill — a refusal grants 0") {
  CHECK_FALSE(
      event_action<DecideApproval>(R"pb(decide { decision: DECISION_APPROVE })pb").has_amount());
  // As the edge has always completed it, so that the request's fingerprint stays what it was.
  for (const char* refusal : {R"pb(decide { decision: DECISION_REJECT comment: "no" })pb",
                              R"pb(decide { decision: DECISION_RETURN comment: "no" })pb"}) {
    // Completed with the amount 0: not the message as sent.
    auto result = action_from_proto(parse_text<zbb::v1::LineEvent>(refusal));
    REQUIRE(result.ok());
    const auto* refused = std::get_if<DecideApproval>(&result.value());
    REQUIRE(refused != nullptr);
    REQUIRE(refused->has_amount());
    CHECK(refused->amount() == 0);
  }
  const auto zero =
      event_action<DecideApproval>(R"pb(decide { decision: DECISION_APPROVE amount: 0 })pb");
  CHECK(zero.has_amount());
  CHECK(zero.amount() == 0);
}

TEST_CASE("record_spending carries amount, payment reference and comment") {
  const auto a = event_action<RecordSpending>(
      R"pb(record_spending { amount: -2500 payment_ref: "GK-2027-0001" comment: "refund" })pb");
  CHECK(a.amount() == -2500);
  CHECK(a.payment_ref() == "GK-2027-0001");
  CHECK(a.comment() == "refund");
}

TEST_CASE("record_indicator_progress carries the indicator and its actual") {
  const auto a = event_action<RecordIndicatorProgress>(
      R"pb(record_indicator_progress { indicator: "养护里程" actual: 512.5 })pb");
  CHECK(a.indicator() == "养护里程");
  CHECK(a.actual() == 512.5);
}

TEST_CASE("run_checkpoint carries its date") {
  const auto a = event_action<RunCheckpoint>(R"pb(run_checkpoint { as_of: "2027-06-30" })pb");
  CHECK(a.as_of() == "2027-06-30");
  CHECK(same_message(a, run_checkpoint(std::chrono::year_month_day{
                            std::chrono::year(2027), std::chrono::June, std::chrono::day(30)})));
}

TEST_CASE("propose_adjustment carries kind, amount, indicator, target and reason") {
  const auto a = event_action<ProposeAdjustment>(R"pb(propose_adjustment {
                                                        kind: ADJUSTMENT_KIND_REVISE_TARGET
                                                        amount: 7
                                                        indicator: "养护里程"
                                                        new_target: 900
                                                        reason: "汛期"
                                                      })pb");
  CHECK(a.kind() == zbb::v1::ADJUSTMENT_KIND_REVISE_TARGET);
  CHECK(a.amount() == 7);
  CHECK(a.indicator() == "养护里程");
  CHECK(a.new_target() == 900);
  CHECK(a.reason() == "汛期");
}

TEST_CASE("decide_adjustment carries level, decision and comment") {
  const auto a = event_action<DecideAdjustment>(
      R"pb(decide_adjustment { level: "bureau_head" decision: DECISION_REJECT comment: "no" })pb");
  CHECK(a.level() == "bureau_head");
  CHECK(a.decision() == zbb::v1::DECISION_REJECT);
  CHECK(a.comment() == "no");
}

TEST_CASE("submit_self_evaluation carries final actuals, satisfaction and summary") {
  const auto a =
      event_action<SubmitSelfEvaluation>(R"pb(submit_self_evaluation {
                                                final_actuals { indicator: "a" actual: 1 }
                                                final_actuals { indicator: "b" actual: 2.5 }
                                                satisfaction_percent: 93
                                                summary: "完成"
                                              })pb");
  REQUIRE(a.final_actuals_size() == 2);
  CHECK(a.final_actuals(0).indicator() == "a");
  CHECK(a.final_actuals(0).actual() == 1);
  CHECK(a.final_actuals(1).indicator() == "b");
  CHECK(a.final_actuals(1).actual() == 2.5);
  CHECK(a.satisfaction_percent() == 93);
  CHECK(a.summary() == "完成");
}

TEST_CASE("close and withdraw carry their texts") {
  CHECK(event_action<CloseLine>(R"pb(close { comment: "归档" })pb").comment() == "归档");
  CHECK(event_action<WithdrawLine>(R"pb(withdraw { reason: "合并" })pb").reason() == "合并");
}

TEST_CASE("each event case yields its message as the action of the same type name") {
  const char* events[] = {
      "create { content { category: CATEGORY_BASIC } }",
      "revise { content { category: CATEGORY_BASIC } }",
      "submit {}",
      "start_target_review {}",
      "review_targets {}",
      "score_priority {}",
      "fund {}",
      "decide { decision: DECISION_APPROVE }",
      "record_spending {}",
      "record_indicator_progress {}",
      "run_checkpoint { as_of: \"2027-06-30\" }",
      "propose_adjustment { kind: ADJUSTMENT_KIND_REDUCE }",
      "decide_adjustment { decision: DECISION_APPROVE }",
      "begin_evaluation {}",
      "submit_self_evaluation {}",
      "close {}",
      "withdraw {}",
  };
  for (const char* text : events) {
    const auto event = parse_text<zbb::v1::LineEvent>(text);
    auto action = action_from_proto(event);
    INFO(text);
    REQUIRE(action.ok());
    CHECK(action_type(*action) == event_field_name(event));
    std::visit(
        [&](const google::protobuf::Message& a) { CHECK(same_message(a, event_message(event))); },
        *action);
  }
}

TEST_CASE("an event with no case set is refused as field event") {
  const auto status = event_error("");

  CHECK(status.code() == Code::kInvalidArgument);
  CHECK(status.field() == "event");
  CHECK(status.message() == "must hold one lifecycle event");
}

TEST_CASE("enum errors in events are named under the event") {
  CHECK(event_error("decide { level: \"x\" }").field() == "decide.decision");
  CHECK(event_error("decide_adjustment { decision: 77 }").field() == "decide_adjustment.decision");
  CHECK(event_error("propose_adjustment { amount: 5 }").field() == "propose_adjustment.kind");
}

TEST_CASE("an unspecified or unknown adjustment kind is refused at the edge, naming the choices") {
  const auto unspecified = event_error("propose_adjustment { amount: 5 }");
  CHECK(unspecified.code() == Code::kInvalidArgument);
  CHECK(unspecified.field() == "propose_adjustment.kind");
  CHECK(unspecified.message() ==
        "is unspecified; must be one of reduce, increase, revise_target, reallocate");

  const auto unknown = event_error("propose_adjustment { kind: 9 amount: 5 }");
  CHECK(unknown.code() == Code::kInvalidArgument);
  CHECK(unknown.field() == "propose_adjustment.kind");
  CHECK(unknown.message() == "must be one of reduce, increase, revise_target, reallocate, not 9");
}

TEST_CASE("enum errors in a request's content are named under the event") {
  CHECK(event_error("create { content {} }").field() == "create.content.category");
  CHECK(event_error("revise { content { category: CATEGORY_BASIC indicators {} "
                    "indicators { level1: INDICATOR_LEVEL1_EFFECT } } }")
            .field() == "revise.content.indicators[0].level1");
}

TEST_CASE("a checkpoint date that is not YYYY-MM-DD of the calendar is refused") {
  const auto as_of = GENERATE(as<std::string>{}, "2027-6-30", "2027-02-30", "", "2027-06-30x",
                              "2027/06/30", "27-06-30", "2027-13-01", "2027-00-10", "2027-06-00",
                              " 2027-06-30", "+027-06-30", "2027-02-29");
  INFO(as_of);

  const auto status = event_error("run_checkpoint { as_of: \"" + as_of + "\" }");

  CHECK(status.code() == Code::kInvalidArgument);
  CHECK(status.field() == "run_checkpoint.as_of");
}

TEST_CASE("a leap day is a date") {
  auto date = parse_date("2028-02-29");
  REQUIRE(date.ok());
  CHECK(format_date(*date) == "2028-02-29");
}

TEST_CASE("dates are written YYYY-MM-DD with leading zeros") {
  using namespace std::chrono;
  CHECK(format_date(year_month_day{year(2027), June, day(3)}) == "2027-06-03");
  CHECK(format_date(year_month_day{year(987), January, day(1)}) == "0987-01-01");
}

TEST_CASE("the event field name is the oneof case as the proto spells it") {
  CHECK(event_field_name(parse_text<zbb::v1::LineEvent>("decide {}")) == "decide");
  CHECK(event_field_name(parse_text<zbb::v1::LineEvent>("run_checkpoint {}")) == "run_checkpoint");
  CHECK(event_field_name(parse_text<zbb::v1::LineEvent>("submit_self_evaluation {}")) ==
        "submit_self_evaluation");
  CHECK(event_field_name(zbb::v1::LineEvent()).empty());
}

// --- a line's times and approvals, RecordedEvent → wire ---

// A line's times and approval records, as the workflow writes them.
BudgetLine executing_line() {
  BudgetLine line;
  line.set_id("ln-road-2027");
  line.set_state("execution.executing");
  *line.mutable_created_at() = to_proto(at(1'799'020'800'000));
  *line.mutable_updated_at() = to_proto(at(1'814'000'000'123));
  *line.mutable_state_entered_at() = to_proto(at(1'813'999'999'999));
  *line.add_approvals() = zbb::approval_record(
      "department_head", "approver.zhao", zbb::v1::DECISION_APPROVE, 1'200'000'00, "", at(1'000));
  *line.add_approvals() = zbb::approval_record(
      "bureau_head", "approver.zhou", zbb::v1::DECISION_APPROVE, 1'100'000'00, "压减", at(2'000));
  return line;
}

TEST_CASE("a line on the wire carries its timestamps to the millisecond") {
  const BudgetLine out = executing_line();

  CHECK(out.created_at().seconds() == 1'799'020'800);
  CHECK(out.created_at().nanos() == 0);
  CHECK(out.updated_at().seconds() == 1'814'000'000);
  CHECK(out.updated_at().nanos() == 123'000'000);
  CHECK(out.state_entered_at().seconds() == 1'813'999'999);
  CHECK(out.state_entered_at().nanos() == 999'000'000);
  CHECK(from_proto(out.updated_at()) == at(1'814'000'000'123));
}

TEST_CASE("timestamps before the epoch keep non-negative nanos") {
  const auto t = to_proto(at(-1));
  CHECK(t.seconds() == -1);
  CHECK(t.nanos() == 999'000'000);
  CHECK(from_proto(t) == at(-1));
}

TEST_CASE("a line on the wire carries its approvals") {
  const BudgetLine out = executing_line();

  REQUIRE(out.approvals_size() == 2);
  const auto& second = out.approvals(1);
  CHECK(second.level() == "bureau_head");
  CHECK(second.actor() == "approver.zhou");
  CHECK(second.decision() == zbb::v1::DECISION_APPROVE);
  CHECK(second.amount() == 1'100'000'00);
  CHECK(second.comment() == "压减");
  CHECK(second.at().seconds() == 2);
}

TEST_CASE("a recorded event on the wire carries every field, the payload as stored and as JSON") {
  RecordedEvent event;
  event.sequence = 4711;
  event.line_id = "ln-road-2027";
  event.line_sequence = 3;
  event.type = "decide";
  event.from_state = "approval.awaiting_decision";
  event.to_state = "execution.executing";
  zbb::v1::EventPayload payload;
  payload.mutable_event()->mutable_decide()->set_decision(zbb::v1::DECISION_APPROVE);
  payload.mutable_event()->mutable_decide()->set_amount(110000000);
  payload.mutable_decided()->set_approved_amount(110000000);
  event.payload = payload.SerializeAsString();
  event.actor = "approver.zhou";
  event.at = at(1'800'000'000'250);
  event.request_id = "req-1";
  event.prev_hash = "ab12";
  event.hash = "cd34";
  zbb::v1::RecordedEvent out;

  to_proto(event, &out);

  CHECK(out.sequence() == 4711);
  CHECK(out.line_id() == "ln-road-2027");
  CHECK(out.line_sequence() == 3);
  CHECK(out.type() == "decide");
  CHECK(out.from_state() == "approval.awaiting_decision");
  CHECK(out.to_state() == "execution.executing");
  CHECK(out.payload() == event.payload);
  CHECK(out.payload_encoding() == zbb::v1::PAYLOAD_ENCODING_PROTOBUF);
  CHECK(out.payload_json() ==
        R"({"event":{"decide":{"decision":"DECISION_APPROVE","amount":"110000000"}},)"
        R"("decided":{"approved_amount":"110000000"}})");
  CHECK(out.actor() == "approver.zhou");
  CHECK(out.at().seconds() == 1'800'000'000);
  CHECK(out.at().nanos() == 250'000'000);
  CHECK(out.request_id() == "req-1");
  CHECK(out.prev_hash() == "ab12");
  CHECK(out.hash() == "cd34");
}

// --- Status → grpc::Status ---

TEST_CASE("each engine error kind has its own gRPC code") {
  CHECK(to_grpc_code(Code::kOk) == grpc::StatusCode::OK);
  CHECK(to_grpc_code(Code::kInvalidArgument) == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(to_grpc_code(Code::kFailedPrecondition) == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(to_grpc_code(Code::kNotFound) == grpc::StatusCode::NOT_FOUND);
  CHECK(to_grpc_code(Code::kAlreadyExists) == grpc::StatusCode::ALREADY_EXISTS);
  CHECK(to_grpc_code(Code::kAborted) == grpc::StatusCode::ABORTED);
  CHECK(to_grpc_code(Code::kUnauthenticated) == grpc::StatusCode::UNAUTHENTICATED);
  CHECK(to_grpc_code(Code::kPermissionDenied) == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(to_grpc_code(Code::kUnavailable) == grpc::StatusCode::UNAVAILABLE);
  CHECK(to_grpc_code(Code::kInternal) == grpc::StatusCode::INTERNAL);
}

TEST_CASE("an error without a field keeps its message and code") {
  const Status errors[] = {
      Status::FailedPrecondition("line is draft; accepts: revise, submit, withdraw"),
      Status::NotFound("line ln-x not found"),
      Status::AlreadyExists("line ln-x already exists"),
      Status::Aborted("line ln-x is at version 4, not the expected 3"),
      Status(Code::kUnauthenticated, "missing token"),
      Status::PermissionDenied("the submitter may not review"),
      Status::Unavailable("database locked"),
      Status::Internal("boom"),
  };
  for (const auto& error : errors) {
    const auto status = to_grpc(error, nullptr);
    CHECK(status.error_code() == to_grpc_code(error.code()));
    CHECK(status.error_message() == error.message());
  }
}

TEST_CASE("an invalid argument names the field in the message") {
  const auto status =
      to_grpc(Status::InvalidArgument("amount", "must be > 0").within("event.decide"), nullptr);

  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(status.error_message() == "event.decide.amount: must be > 0");
}

TEST_CASE("an invalid argument sends its field as the zbb-field trailer") {
  grpc::ServerContext context;

  const auto status = to_grpc(Status::InvalidArgument("content.title", "is required"), &context);

  CHECK(status.error_message() == "content.title: is required");
  const auto trailers = grpc::testing::ServerContextTestSpouse(&context).GetTrailingMetadata();
  REQUIRE(trailers.count("zbb-field") == 1);
  CHECK(trailers.find("zbb-field")->second == "content.title");
}

TEST_CASE("an error without a field sends no trailer") {
  grpc::ServerContext context;

  to_grpc(Status::NotFound("line ln-x not found"), &context);

  CHECK(grpc::testing::ServerContextTestSpouse(&context).GetTrailingMetadata().empty());
}

TEST_CASE("OK maps to gRPC OK") {
  grpc::ServerContext context;

  CHECK(to_grpc(Status::Ok(), &context).ok());
  CHECK(grpc::testing::ServerContextTestSpouse(&context).GetTrailingMetadata().empty());
}

}  // namespace
}  // namespace zbb::api

namespace zbb::api {
namespace {

TEST_CASE("an event recorded before schema 8 shows its JSON payload as stored") {
  RecordedEvent event;
  event.payload = R"({"amount":110000000,"decision":"approve"})";
  event.payload_encoding = PayloadEncoding::kJson;
  zbb::v1::RecordedEvent out;

  to_proto(event, &out);

  CHECK(out.payload() == event.payload);
  CHECK(out.payload_json() == event.payload);
  CHECK(out.payload_encoding() == zbb::v1::PAYLOAD_ENCODING_JSON);
}

}  // namespace
}  // namespace zbb::api
