// Reading the JSON documents of schema v7 (line documents, request outcomes) into the protobuf
// messages that replace them: frozen documents, the v6 fixture, damaged documents.

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "adapters/sql/legacy_json_documents.h"
#include "engine/model.pb.h"
#include "zbb/v1/budget_line.pb.h"

namespace zbb::sql {
namespace {

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using google::protobuf::util::MessageDifferencer;

template <typename Message>
Message parse_text(const std::string& text) {
  Message message;
  REQUIRE(google::protobuf::TextFormat::ParseFromString(text, &message));
  return message;
}

template <typename Message>
Message parse_binary(const std::string& binary) {
  Message message;
  REQUIRE(message.ParseFromString(binary));
  return message;
}

template <typename Message>
void check_equal(const Message& actual, const Message& expected) {
  std::string report;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&report);
  INFO(report);
  CHECK(differencer.Compare(expected, actual));
}

zbb::v1::BudgetLine converted_line(const std::string& json_text) {
  auto binary = line_document_from_v7_json(json_text);
  INFO(binary.status().to_string());
  REQUIRE(binary.ok());
  return parse_binary<zbb::v1::BudgetLine>(*binary);
}

// `text` with the one occurrence of `from` replaced by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  REQUIRE(text.find(from, at + 1) == std::string::npos);
  return text.replace(at, from.size(), to);
}

// The error `line_document_from_v7_json(text)` gives: DATA_LOSS.
std::string line_error(const std::string& text) {
  auto binary = line_document_from_v7_json(text);
  REQUIRE_FALSE(binary.ok());
  CHECK(binary.status().code() == Code::kDataLoss);
  return binary.status().message();
}

zbb::model::CommandOutcome converted_outcome(const std::string& json_text) {
  auto binary = command_outcome_from_v7_json(json_text);
  INFO(binary.status().to_string());
  REQUIRE(binary.ok());
  return parse_binary<zbb::model::CommandOutcome>(*binary);
}

std::string outcome_error(const std::string& text) {
  auto binary = command_outcome_from_v7_json(text);
  REQUIRE_FALSE(binary.ok());
  CHECK(binary.status().code() == Code::kDataLoss);
  return binary.status().message();
}

// ---------------------------------------------------------------------------------------------
// Frozen documents: JSON text as schema v7 wrote it, and the message it must become. They stand
// for the databases in use and do not change with the code.

// A line with every member set (see full_line() below, which made it): every optional part, a
// qualitative indicator without direction, an indicator with an actual, increments, approvals,
// a pending adjustment with decisions, decided adjustments, incoming money, monitoring with
// reasons, an evaluation, a prior result with a ceiling, a priority, a placement, a due time,
// an SLA breach and preparers.
constexpr char kFullLineJson[] =
    R"json({"adjustments":[{"amount":5000000,"decisions":[{"actor":"qian.budget",)json"
    R"json("amount":5000000,"at_ms":1829293208500,"comment":"","decision":"approve",)json"
    R"json("level":"budget_section"}],"indicator":"","kind":"reduce","new_target":0.0,)json"
    R"json("outcome":"approved","proposed_at_ms":1829293208000,)json"
    R"json("proposed_by":"li.transport","reason":"材料降价","target_line":""},{"amount":0,)json"
    R"json("decisions":[{"actor":"qian.budget","amount":0,"at_ms":1829293208700,)json"
    R"json("comment":"不同意","decision":"reject","level":"budget_section"}],)json"
    R"json("indicator":"养护里程","kind":"revise_target","new_target":88.5,)json"
    R"json("outcome":"rejected","proposed_at_ms":1829293208600,)json"
    R"json("proposed_by":"li.transport","reason":"汛期延误","target_line":""},)json"
    R"json({"amount":2000000,"decisions":[],"indicator":"","kind":"increase",)json"
    R"json("new_target":0.0,"outcome":"approved","proposed_at_ms":1829293208800,)json"
    R"json("proposed_by":"li.transport","reason":"新增路段","target_line":""}],)json"
    R"json("approval_step":4,"approvals":[{"actor":"zhao.dept_head","amount":105000000,)json"
    R"json("at_ms":1829293205206,"comment":"同意","decision":"approve",)json"
    R"json("level":"department_head"},{"actor":"qian.budget","amount":0,)json"
    R"json("at_ms":1829293206916,"comment":"请补充测算依据","decision":"return",)json"
    R"json("level":"budget_section"},{"actor":"qian.budget","amount":100000000,)json"
    R"json("at_ms":1829293207916,"comment":"","decision":"approve",)json"
    R"json("level":"budget_section"}],"approved_amount":100000000,)json"
    R"json("content":{"category":"department_overall","cost_items":[{"amount":75000000,)json"
    R"json("name":"路面修补（平方米）","quantity":5000,"unit_price":15000},)json"
    R"json({"amount":30000000,"name":"边沟清理（公里）","quantity":200,)json"
    R"json("unit_price":150000},{"amount":20000000,"name":"养护巡查人员劳务（人月）",)json"
    R"json("quantity":40,"unit_price":500000}],"department":"县交通运输局",)json"
    R"json("fiscal_year":2027,"increments":[{"amount":75000000,)json"
    R"json("justification":"保障基本通行","level":"minimum"},{"amount":30000000,)json"
    R"json("justification":"维持现有服务水平","level":"current"},{"amount":20000000,)json"
    R"json("justification":"增加巡查频次","level":"enhancement"}],"indicators":[)json"
    R"json({"actual":48.5,"direction":"at_least","level1":"output","level2":"quantity",)json"
    R"json("name":"养护里程","quantitative":true,"target":96.0,"unit":"公里"},)json"
    R"json({"direction":"at_most","level1":"cost","level2":"cost","name":"单位成本",)json"
    R"json("quantitative":true,"target":1200.75,"unit":"元/公里"},{"actual":0.1,)json"
    R"json("direction":"equal","level1":"effect","level2":"social","name":"路况优良率",)json"
    R"json("quantitative":true,"target":85.25,"unit":"%"},{"direction":"none",)json"
    R"json("level1":"output","level2":"quality","name":"养护档案完整",)json"
    R"json("quantitative":false,"target":0.0,"unit":""},{"actual":93.0,)json"
    R"json("direction":"at_least","level1":"satisfaction",)json"
    R"json("level2":"service_object_satisfaction","name":"沿线群众满意度",)json"
    R"json("quantitative":true,"target":90.0,"unit":"%"}],)json"
    R"json("necessity_statement":"96 公里路面破损，需按养护规范逐段修复。",)json"
    R"json("programme_code":"JT-ROAD-001","requested_amount":125000000,)json"
    R"json("title":"农村公路日常养护"},"created_at_ms":1829293201312,)json"
    R"json("created_by":"treasury","due_at_ms":1829898011500,)json"
    R"json("evaluation":{"effect_tenths":300,"execution_tenths":98,"grade":"excellent",)json"
    R"json("output_tenths":500,"satisfaction_percent":93,"satisfaction_tenths":93,)json"
    R"json("score_tenths":991,"submitted_by":"li.transport",)json"
    R"json("summary":"全年任务完成情况见绩效自评报告"},"funded_amount":105000000,)json"
    R"json("granted_amount":100000000,"id":"JT-2027-001","incoming":[{"amount":3000000,)json"
    R"json("from_line":"WS-2027-004"},{"amount":12345,"from_line":"NY-2027-002"}],)json"
    R"json("monitoring":{"as_of":"2027-06-30","execution_rate_bp":4120,)json"
    R"json("indicator_completion_bp":5000,"level":"yellow",)json"
    R"json("reasons":["执行率低于时间进度","单位成本指标未报"],"time_progress_bp":4959},)json"
    R"json("pending_adjustment":{"amount":10000000,"decisions":[{"actor":"zhao.dept_head",)json"
    R"json("amount":10000000,"at_ms":1829293210000,"comment":"同意调剂",)json"
    R"json("decision":"approve","level":"department_head"}],"indicator":"",)json"
    R"json("kind":"reallocate","new_target":0.0,"outcome":"pending",)json"
    R"json("proposed_at_ms":1829293209000,"proposed_by":"li.transport",)json"
    R"json("reason":"路段合并施工，结余调往校舍维修","target_line":"JY-2027-003"},)json"
    R"json("placement":{"funded_levels":["minimum","current"],"rank":2,)json"
    R"json("ranking_id":"zbbctl-8d9f3c8d0f5e4971"},"policy_version":"2027.1",)json"
    R"json("preparers":["treasury","li.transport","wu.transport"],)json"
    R"json("prior":{"approved_amount":80000000,"ceiling":90000000,"fiscal_year":2026,)json"
    R"json("flagged":true,"grade":"fair","line_id":"JT-2026-001","score_tenths":712},)json"
    R"json("priority":{"score_hundredths":8825,"scored_at_ms":1829293204104,)json"
    R"json("scored_by":"wang.reviewer","scores":[{"criterion":"necessity","score":95},)json"
    R"json({"criterion":"urgency","score":90},{"criterion":"expected_effect","score":0}]},)json"
    R"json("review_claimed_by":"wang.reviewer","sla_breached":true,)json"
    R"json("spent_amount":41200000,"state":"adjustment.proposed",)json"
    R"json("state_entered_at_ms":1829293211500,"submitted_at_ms":1829293201406,)json"
    R"json("submitted_by":"li.transport","updated_at_ms":1829293212001,"version":23,)json"
    R"json("waiting_on":"approver:budget_section"})json";

constexpr char kFullLineProto[] = R"pb(
  id: "JT-2027-001"
  content {
    fiscal_year: 2027
    department: "县交通运输局"
    programme_code: "JT-ROAD-001"
    title: "农村公路日常养护"
    category: CATEGORY_DEPARTMENT_OVERALL
    requested_amount: 125000000
    cost_items { name: "路面修补（平方米）" quantity: 5000 unit_price: 15000 amount: 75000000 }
    cost_items { name: "边沟清理（公里）" quantity: 200 unit_price: 150000 amount: 30000000 }
    cost_items { name: "养护巡查人员劳务（人月）" quantity: 40 unit_price: 500000 amount: 20000000 }
    necessity_statement: "96 公里路面破损，需按养护规范逐段修复。"
    indicators {
      name: "养护里程"
      level1: INDICATOR_LEVEL1_OUTPUT
      level2: INDICATOR_LEVEL2_QUANTITY
      unit: "公里"
      target: 96
      direction: DIRECTION_AT_LEAST
      actual: 48.5
    }
    indicators {
      name: "单位成本"
      level1: INDICATOR_LEVEL1_COST
      level2: INDICATOR_LEVEL2_COST
      unit: "元/公里"
      target: 1200.75
      direction: DIRECTION_AT_MOST
    }
    indicators {
      name: "路况优良率"
      level1: INDICATOR_LEVEL1_EFFECT
      level2: INDICATOR_LEVEL2_SOCIAL
      unit: "%"
      target: 85.25
      direction: DIRECTION_EQUAL
      actual: 0.1
    }
    indicators {
      name: "养护档案完整"
      level1: INDICATOR_LEVEL1_OUTPUT
      level2: INDICATOR_LEVEL2_QUALITY
      qualitative: true
    }
    indicators {
      name: "沿线群众满意度"
      level1: INDICATOR_LEVEL1_SATISFACTION
      level2: INDICATOR_LEVEL2_SERVICE_OBJECT_SATISFACTION
      unit: "%"
      target: 90
      direction: DIRECTION_AT_LEAST
      actual: 93
    }
    increments { level: INCREMENT_LEVEL_MINIMUM amount: 75000000 justification: "保障基本通行" }
    increments { level: INCREMENT_LEVEL_CURRENT amount: 30000000 justification: "维持现有服务水平" }
    increments { level: INCREMENT_LEVEL_ENHANCEMENT amount: 20000000 justification: "增加巡查频次" }
  }
  state: "adjustment.proposed"
  version: 23
  policy_version: "2027.1"
  waiting_on: "approver:budget_section"
  created_by: "treasury"
  submitted_by: "li.transport"
  created_at { seconds: 1829293201 nanos: 312000000 }
  updated_at { seconds: 1829293212 nanos: 1000000 }
  state_entered_at { seconds: 1829293211 nanos: 500000000 }
  review_claimed_by: "wang.reviewer"
  funded_amount: 105000000
  approval_step: 4
  granted_amount: 100000000
  approved_amount: 100000000
  approvals {
    level: "department_head"
    actor: "zhao.dept_head"
    decision: DECISION_APPROVE
    amount: 105000000
    comment: "同意"
    at { seconds: 1829293205 nanos: 206000000 }
  }
  approvals {
    level: "budget_section"
    actor: "qian.budget"
    decision: DECISION_RETURN
    comment: "请补充测算依据"
    at { seconds: 1829293206 nanos: 916000000 }
  }
  approvals {
    level: "budget_section"
    actor: "qian.budget"
    decision: DECISION_APPROVE
    amount: 100000000
    at { seconds: 1829293207 nanos: 916000000 }
  }
  spent_amount: 41200000
  monitoring {
    level: WARNING_LEVEL_YELLOW
    as_of: "2027-06-30"
    execution_rate_bp: 4120
    time_progress_bp: 4959
    indicator_completion_bp: 5000
    reasons: "执行率低于时间进度"
    reasons: "单位成本指标未报"
  }
  pending_adjustment {
    kind: ADJUSTMENT_KIND_REALLOCATE
    amount: 10000000
    reason: "路段合并施工，结余调往校舍维修"
    proposed_by: "li.transport"
    proposed_at { seconds: 1829293209 }
    decisions {
      level: "department_head"
      actor: "zhao.dept_head"
      decision: DECISION_APPROVE
      amount: 10000000
      comment: "同意调剂"
      at { seconds: 1829293210 }
    }
    outcome: ADJUSTMENT_OUTCOME_PENDING
    target_line: "JY-2027-003"
  }
  adjustments {
    kind: ADJUSTMENT_KIND_REDUCE
    amount: 5000000
    reason: "材料降价"
    proposed_by: "li.transport"
    proposed_at { seconds: 1829293208 }
    decisions {
      level: "budget_section"
      actor: "qian.budget"
      decision: DECISION_APPROVE
      amount: 5000000
      at { seconds: 1829293208 nanos: 500000000 }
    }
    outcome: ADJUSTMENT_OUTCOME_APPROVED
  }
  adjustments {
    kind: ADJUSTMENT_KIND_REVISE_TARGET
    indicator: "养护里程"
    new_target: 88.5
    reason: "汛期延误"
    proposed_by: "li.transport"
    proposed_at { seconds: 1829293208 nanos: 600000000 }
    decisions {
      level: "budget_section"
      actor: "qian.budget"
      decision: DECISION_REJECT
      comment: "不同意"
      at { seconds: 1829293208 nanos: 700000000 }
    }
    outcome: ADJUSTMENT_OUTCOME_REJECTED
  }
  adjustments {
    kind: ADJUSTMENT_KIND_INCREASE
    amount: 2000000
    reason: "新增路段"
    proposed_by: "li.transport"
    proposed_at { seconds: 1829293208 nanos: 800000000 }
    outcome: ADJUSTMENT_OUTCOME_APPROVED
  }
  evaluation {
    satisfaction_percent: 93
    summary: "全年任务完成情况见绩效自评报告"
    submitted_by: "li.transport"
    execution_tenths: 98
    output_tenths: 500
    effect_tenths: 300
    satisfaction_tenths: 93
    score_tenths: 991
    grade: "excellent"
  }
  submitted_at { seconds: 1829293201 nanos: 406000000 }
  priority {
    scores { criterion: "necessity" score: 95 }
    scores { criterion: "urgency" score: 90 }
    scores { criterion: "expected_effect" }
    score_hundredths: 8825
    scored_by: "wang.reviewer"
    scored_at { seconds: 1829293204 nanos: 104000000 }
  }
  placement {
    ranking_id: "zbbctl-8d9f3c8d0f5e4971"
    rank: 2
    funded_levels: INCREMENT_LEVEL_MINIMUM
    funded_levels: INCREMENT_LEVEL_CURRENT
  }
  prior {
    line_id: "JT-2026-001"
    fiscal_year: 2026
    grade: "fair"
    score_tenths: 712
    approved_amount: 80000000
    flagged: true
    ceiling: 90000000
  }
  incoming { from_line: "WS-2027-004" amount: 3000000 }
  incoming { from_line: "NY-2027-002" amount: 12345 }
  due_at { seconds: 1829898011 nanos: 500000000 }
  sla_breached: true
  preparers: "treasury"
  preparers: "li.transport"
  preparers: "wu.transport"
)pb";

// A line with nothing optional (see minimal_line() below): no sub-object, no array element, no
// due time, never submitted.
constexpr char kMinimalLineJson[] =
    R"json({"adjustments":[],"approval_step":0,"approvals":[],"approved_amount":0,)json"
    R"json("content":{"category":"basic","cost_items":[],"department":"县教育局",)json"
    R"json("fiscal_year":2027,"increments":[],"indicators":[],"necessity_statement":"",)json"
    R"json("programme_code":"JY-DESK-009","requested_amount":0,"title":"课桌椅更新"},)json"
    R"json("created_at_ms":1829293201312,"created_by":"zhang.education","funded_amount":0,)json"
    R"json("granted_amount":0,"id":"JY-2027-009","incoming":[],"policy_version":"2027.1",)json"
    R"json("preparers":[],"review_claimed_by":"","spent_amount":0,"state":"draft",)json"
    R"json("state_entered_at_ms":1829293201312,"submitted_at_ms":0,"submitted_by":"",)json"
    R"json("updated_at_ms":1829293201312,"version":1,"waiting_on":"unit:县教育局"})json";

constexpr char kMinimalLineProto[] = R"pb(
  id: "JY-2027-009"
  content {
    fiscal_year: 2027
    department: "县教育局"
    programme_code: "JY-DESK-009"
    title: "课桌椅更新"
    category: CATEGORY_BASIC
  }
  state: "draft"
  version: 1
  policy_version: "2027.1"
  waiting_on: "unit:县教育局"
  created_by: "zhang.education"
  created_at { seconds: 1829293201 nanos: 312000000 }
  updated_at { seconds: 1829293201 nanos: 312000000 }
  state_entered_at { seconds: 1829293201 nanos: 312000000 }
  submitted_at {}  # never submitted: the epoch, as the wire has it
)pb";

TEST_CASE("A frozen v7 line document with every member becomes the zbb.v1 line") {
  check_equal(converted_line(kFullLineJson), parse_text<zbb::v1::BudgetLine>(kFullLineProto));
}

TEST_CASE("A frozen v7 line document without the optional members becomes the zbb.v1 line") {
  check_equal(converted_line(kMinimalLineJson), parse_text<zbb::v1::BudgetLine>(kMinimalLineProto));
}

TEST_CASE("A prior result without a ceiling has no ceiling") {
  auto expected = parse_text<zbb::v1::BudgetLine>(kFullLineProto);
  REQUIRE(expected.prior().has_ceiling());
  expected.mutable_prior()->clear_ceiling();
  check_equal(converted_line(replaced(kFullLineJson, R"("ceiling":90000000,)", "")), expected);
}

TEST_CASE("Members the old reader let be absent may be absent") {
  std::string text = kMinimalLineJson;
  for (const char* member : {R"("preparers":[],)", R"("incoming":[],)", R"("submitted_at_ms":0,)",
                             R"("increments":[],)"})
    text = replaced(text, member, "");
  check_equal(converted_line(text), parse_text<zbb::v1::BudgetLine>(kMinimalLineProto));
}

TEST_CASE("An indicator without quantitative or unit, an adjustment without target_line") {
  std::string text = replaced(kFullLineJson, R"("name":"单位成本","quantitative":true,)",
                              R"("name":"单位成本",)");  // absent: quantitative
  text = replaced(text, R"(,"unit":"")", "");
  text = replaced(text, R"(,"target_line":"JY-2027-003")", "");
  auto expected = parse_text<zbb::v1::BudgetLine>(kFullLineProto);
  REQUIRE_FALSE(expected.content().indicators(1).qualitative());
  expected.mutable_pending_adjustment()->clear_target_line();
  check_equal(converted_line(text), expected);
}

TEST_CASE("Members the old reader let be null are absent") {
  auto expected = parse_text<zbb::v1::BudgetLine>(kMinimalLineProto);
  check_equal(converted_line(replaced(kMinimalLineJson, R"("created_by":)",
                                      R"("monitoring":null,"evaluation":null,"created_by":)")),
              expected);
}

TEST_CASE("A frozen v7 request outcome becomes zbb.model.CommandOutcome") {
  auto binary = command_outcome_from_v7_json(
      R"({"items":[{"line_id":"JT-2027-001","state":"draft","version":1},)"
      R"({"line_id":"JY-2027-002","state":"justification.submitted","version":3}],)"
      R"("last_sequence":42})");
  INFO(binary.status().to_string());
  REQUIRE(binary.ok());
  check_equal(parse_binary<zbb::model::CommandOutcome>(*binary),
              parse_text<zbb::model::CommandOutcome>(R"pb(
                items { line_id: "JT-2027-001" version: 1 state: "draft" }
                items { line_id: "JY-2027-002" version: 3 state: "justification.submitted" }
                last_sequence: 42
              )pb"));
}

TEST_CASE("A damaged line document is refused, naming what is wrong") {
  SECTION("not JSON") {
    const auto message = line_error(R"({"id": "JT-2027-001", )");
    CHECK_THAT(message, StartsWith("line document of schema v7: Unexpected end of string"));
    CHECK(message.find('\n') == std::string::npos);
    CHECK_THAT(line_error(""), StartsWith("line document of schema v7: "));
    CHECK(line_error("[]") == "line document of schema v7: Root element must be a message.");
  }
  SECTION("a member of the wrong type") {
    CHECK_THAT(
        line_error(replaced(kFullLineJson, R"("sla_breached":true)", R"("sla_breached":"maybe")")),
        Contains(R"((sla_breached): invalid value "maybe")"));
    CHECK_THAT(line_error(replaced(kFullLineJson, R"("version":23)", R"("version":"twenty")")),
               Contains(R"((version): invalid value "twenty")"));
    CHECK_THAT(line_error(replaced(kFullLineJson, R"("version":23)", R"("version":23.5)")),
               Contains("(version): invalid value 23.5"));
    CHECK_THAT(line_error(replaced(kFullLineJson, R"("reasons":[)", R"("reasons":[7,)")),
               Contains("(monitoring.reasons[0]): invalid value 7"));
    CHECK_THAT(line_error(replaced(kMinimalLineJson, R"("approvals":[])", R"("approvals":7)")),
               Contains("(approvals): invalid value 7"));
    CHECK_THAT(line_error(replaced(kFullLineJson, R"("fiscal_year":2027)",
                                   R"("fiscal_year":20270000000)")),
               Contains("(content.fiscal_year): invalid value 20270000000"));
  }
  SECTION("an unknown enum name") {
    CHECK(line_error(replaced(kFullLineJson, R"("category":"department_overall")",
                              R"("category":"capital")")) ==
          R"(line document of schema v7: content.category has an unknown value "capital")");
    CHECK(
        line_error(
            replaced(kFullLineJson, R"("direction":"at_most")", R"("direction":"AT_MOST")")) ==
        R"(line document of schema v7: content.indicators[1].direction has an unknown value "AT_MOST")");
    CHECK(
        line_error(
            replaced(kFullLineJson, R"("outcome":"pending")", R"("outcome":"unspecified")")) ==
        R"(line document of schema v7: pending_adjustment.outcome has an unknown value "unspecified")");
    CHECK(
        line_error(replaced(kFullLineJson, R"("funded_levels":["minimum",)",
                            R"("funded_levels":["minimal",)")) ==
        R"(line document of schema v7: placement.funded_levels[0] has an unknown value "minimal")");
    // "none" is a direction and a warning level, nothing else.
    CHECK_THAT(
        line_error(replaced(kFullLineJson, R"("decision":"return")", R"("decision":"none")")),
        Contains(R"(approvals[1].decision has an unknown value "none")"));
  }
  SECTION("an unknown member is passed over, as the v7 reader did") {
    check_equal(converted_line(replaced(kMinimalLineJson, R"("id":)", R"("colour":"red","id":)")),
                parse_text<zbb::v1::BudgetLine>(kMinimalLineProto));
    check_equal(converted_line(replaced(kFullLineJson, R"("grade":"excellent",)",
                                        R"("grade":"excellent","bonus":1,)")),
                parse_text<zbb::v1::BudgetLine>(kFullLineProto));
  }
  SECTION("a member the old reader required, missing or null") {
    CHECK(line_error(replaced(kMinimalLineJson, R"("state":"draft",)", "")) ==
          "line document of schema v7: state is required");
    CHECK(line_error(replaced(kFullLineJson, R"("grade":"excellent",)", R"("grade":null,)")) ==
          "line document of schema v7: evaluation.grade is required");
    CHECK(line_error(replaced(kFullLineJson, R"("at_ms":1829293210000,)", "")) ==
          "line document of schema v7: pending_adjustment.decisions[0].at_ms is required");
  }
  SECTION("a number the zbb.v1 line cannot hold") {
    CHECK(line_error(
              replaced(kFullLineJson, R"("approval_step":4)", R"("approval_step":4294967296)")) ==
          "line document of schema v7: approval_step is out of range");
    CHECK(line_error(replaced(kFullLineJson, R"("score":95)", R"("score":-2147483649)")) ==
          "line document of schema v7: priority.scores[0].score is out of range");
  }
  SECTION("a time outside the calendar") {
    CHECK(line_error(replaced(kMinimalLineJson, R"("created_at_ms":1829293201312)",
                              R"("created_at_ms":253402300800000)")) ==
          "line document of schema v7: created_at_ms is out of range");
  }
}

TEST_CASE("A damaged request outcome is refused, naming what is wrong") {
  CHECK_THAT(outcome_error("items: []"), Contains("request outcome of schema v7"));
  // A member the v7 reader did not know is passed over, as it was then.
  CHECK(converted_outcome(R"({"items":[],"last_sequence":1,"replayed":true})").last_sequence() ==
        1);
  CHECK_THAT(outcome_error(R"({"items":[{"line_id":7,"version":1,"state":"draft"}],)"
                           R"("last_sequence":1})"),
             Contains("line_id"));
  CHECK(outcome_error(R"({"items":[{"line_id":"JT-2027-001","state":"draft"}],)"
                      R"("last_sequence":1})") ==
        "request outcome of schema v7: items[0].version is required");
}

// ---------------------------------------------------------------------------------------------
// The v6 fixture: every document in it.

struct CopiedFixture {
  CopiedFixture() {
    path = (std::filesystem::temp_directory_path() /
            ("zbb-legacy-documents-" + std::to_string(::getpid()) + ".db"))
               .string();
    std::filesystem::copy_file(std::string(ZBB_SOURCE_DIR) + "/tests/data/zbb-v6.db", path,
                               std::filesystem::copy_options::overwrite_existing);
  }
  ~CopiedFixture() {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
      std::filesystem::remove(path + suffix);
  }
  std::string path;
};

struct FixtureDocuments {
  std::vector<std::string> line_ids;
  std::vector<std::string> lines;
  std::vector<std::string> outcomes;
};

FixtureDocuments fixture_documents() {
  CopiedFixture fixture;
  FixtureDocuments documents;
  soci::session sql(soci::sqlite3, "db=" + fixture.path);
  soci::rowset<soci::row> lines = (sql.prepare << "SELECT id, document FROM lines ORDER BY id");
  for (const auto& row : lines) {
    documents.line_ids.push_back(row.get<std::string>(0));
    documents.lines.push_back(row.get<std::string>(1));
  }
  soci::rowset<std::string> outcomes =
      (sql.prepare << "SELECT outcome FROM requests ORDER BY request_id");
  for (const auto& outcome : outcomes) documents.outcomes.push_back(outcome);
  return documents;
}

TEST_CASE("Every line document and request outcome of the v6 fixture converts") {
  const auto documents = fixture_documents();
  REQUIRE(documents.lines.size() == 12);
  REQUIRE(documents.outcomes.size() == 147);
  for (std::size_t i = 0; i < documents.lines.size(); ++i) {
    INFO(documents.line_ids[i]);
    const auto line = converted_line(documents.lines[i]);
    CHECK(line.id() == documents.line_ids[i]);
    CHECK(line.content().category() != zbb::v1::CATEGORY_UNSPECIFIED);
    CHECK(line.preparers_size() > 0);
  }
  for (const auto& text : documents.outcomes) {
    INFO(text);
    auto binary = command_outcome_from_v7_json(text);
    INFO(binary.status().to_string());
    REQUIRE(binary.ok());
    const auto outcome = parse_binary<zbb::model::CommandOutcome>(*binary);
    CHECK(outcome.items_size() > 0);
    CHECK(outcome.last_sequence() > 0);
  }
}

}  // namespace
}  // namespace zbb::sql
