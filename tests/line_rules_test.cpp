// The rules of zero-based review: content and action validation, and the machine's guards.

#include <catch2/catch.hpp>

#include <chrono>
#include <limits>
#include <string>
#include <vector>

#include "tests/county_fixture.h"
#include "workflows/line_rules.h"

namespace zbb::review {
namespace {

using testing::assign;
using testing::begin_evaluation;
using testing::close_line;
using testing::cost_item;
using testing::create_line;
using testing::decide_adjustment;
using testing::decide_approval;
using testing::fund_line;
using testing::propose_adjustment;
using testing::record_indicator_progress;
using testing::record_spending;
using testing::review_targets;
using testing::revise_line;
using testing::road_maintenance_request;
using testing::run_checkpoint;
using testing::start_target_review;
using testing::submit_line;
using testing::submit_self_evaluation;
using testing::withdraw_line;

constexpr Fen kMaxFen = std::numeric_limits<Fen>::max();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInfinity = std::numeric_limits<double>::infinity();

// "OK", or the error kind and the offending field: what a client is told, in one comparable
// string so a failing check shows both.
std::string kind_and_field(const Status& status) {
  if (status.ok()) return "OK";
  return std::string(code_name(status.code())) + " " + status.field();
}

std::string validate(const LineContent& content) {
  return kind_and_field(validate_content(content));
}

std::string validate(const Action& action) { return kind_and_field(validate_action(action)); }

// `count` identical cost items of 1 fen each and a request that matches them.
LineContent request_with_cost_items(std::size_t count) {
  LineContent c = road_maintenance_request();
  c.clear_cost_items();
  for (std::size_t i = 0; i < count; ++i) *c.add_cost_items() = cost_item("养护材料", 1, 1, 1);
  c.set_requested_amount(static_cast<Fen>(count));
  return c;
}

// A line funded at 1,250,000.00 yuan, granted 1,220,000.00 by the chain so far, approved for
// 1,200,000.00 after an adjustment, of which 1,000,000.00 is spent.
BudgetLine executing_line() {
  BudgetLine line;
  line.set_id("JT-2027-001");
  *line.mutable_content() = road_maintenance_request();
  line.set_created_by(testing::actor::kTransportUnit);
  line.set_submitted_by("unit.transport.deputy");
  line.set_funded_amount(1'250'000'00);
  line.set_granted_amount(1'220'000'00);
  line.set_approved_amount(1'200'000'00);
  line.set_spent_amount(1'000'000'00);
  return line;
}

// --- validate_content: a valid request ---

TEST_CASE("a complete road maintenance request is valid", "[line_rules]") {
  REQUIRE(validate(road_maintenance_request()) == "OK");
}

TEST_CASE("fiscal years 2000 and 2100 are within range", "[line_rules]") {
  REQUIRE(validate(road_maintenance_request(2000)) == "OK");
  REQUIRE(validate(road_maintenance_request(2100)) == "OK");
}

// --- validate_content: identity of the request ---

TEST_CASE("a fiscal year before 2000 is refused", "[line_rules]") {
  REQUIRE(validate(road_maintenance_request(1999)) == "INVALID_ARGUMENT fiscal_year");
}

TEST_CASE("a fiscal year after 2100 is refused", "[line_rules]") {
  REQUIRE(validate(road_maintenance_request(2101)) == "INVALID_ARGUMENT fiscal_year");
}

TEST_CASE("an empty department is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.set_department("");

  REQUIRE(validate(c) == "INVALID_ARGUMENT department");
}

TEST_CASE("a blank department is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.set_department(" \t\n");

  REQUIRE(validate(c) == "INVALID_ARGUMENT department");
}

TEST_CASE("a programme code with a space is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.set_programme_code("JT ROAD-001");

  REQUIRE(validate(c) == "INVALID_ARGUMENT programme_code");
}

TEST_CASE("a programme code of 64 bytes is accepted", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.set_programme_code(std::string(64, 'J'));

  REQUIRE(validate(c) == "OK");
}

TEST_CASE("a programme code longer than 64 bytes is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.set_programme_code(std::string(65, 'J'));

  REQUIRE(validate(c) == "INVALID_ARGUMENT programme_code");
}

TEST_CASE("an empty programme code is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.set_programme_code("");

  REQUIRE(validate(c) == "INVALID_ARGUMENT programme_code");
}

TEST_CASE("an empty title is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.set_title("");

  REQUIRE(validate(c) == "INVALID_ARGUMENT title");
}

TEST_CASE("a title of exactly kMaxTitleBytes is accepted", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.set_title(std::string(kMaxTitleBytes, 'a'));

  REQUIRE(validate(c) == "OK");
}

TEST_CASE("a title one byte over kMaxTitleBytes is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.set_title(std::string(kMaxTitleBytes + 1, 'a'));

  REQUIRE(validate(c) == "INVALID_ARGUMENT title");
}

TEST_CASE("an unknown category is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.set_category(static_cast<Category>(42));

  const Status status = validate_content(c);

  REQUIRE(kind_and_field(status) == "INVALID_ARGUMENT category");
  REQUIRE(status.message() == "must be one of basic, project, department_overall, not 42");
}

TEST_CASE("an unspecified category is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.clear_category();

  const Status status = validate_content(c);

  REQUIRE(kind_and_field(status) == "INVALID_ARGUMENT category");
  REQUIRE(status.message() == "is unspecified; must be one of basic, project, department_overall");
}

TEST_CASE("the enums of a request are checked before anything else", "[line_rules]") {
  LineContent c = road_maintenance_request(1999);
  c.set_title("");
  c.set_category(zbb::v1::CATEGORY_UNSPECIFIED);

  REQUIRE(validate(c) == "INVALID_ARGUMENT category");
}

// --- validate_content: the amount and its cost items ---

TEST_CASE("a negative requested amount is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.set_requested_amount(-1);

  REQUIRE(validate(c) == "INVALID_ARGUMENT requested_amount");
}

TEST_CASE("a zero requested amount is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.set_requested_amount(0);

  REQUIRE(validate(c) == "INVALID_ARGUMENT requested_amount");
}

TEST_CASE("a cost item with a negative unit price is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.mutable_cost_items(0)->set_unit_price(-150'00);

  REQUIRE(validate(c) == "INVALID_ARGUMENT cost_items[0].unit_price");
}

TEST_CASE("a cost item with zero quantity is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.mutable_cost_items(2)->set_quantity(0);

  REQUIRE(validate(c) == "INVALID_ARGUMENT cost_items[2].quantity");
}

TEST_CASE("a cost item with a negative quantity is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.mutable_cost_items(2)->set_quantity(-40);

  REQUIRE(validate(c) == "INVALID_ARGUMENT cost_items[2].quantity");
}

TEST_CASE("a cost item without a name is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.mutable_cost_items(1)->set_name("");

  REQUIRE(validate(c) == "INVALID_ARGUMENT cost_items[1].name");
}

TEST_CASE("a cost item whose amount is not quantity times unit price is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.mutable_cost_items(1)->set_amount(c.cost_items(1).amount() + 1);
  c.set_requested_amount(c.requested_amount() + 1);

  REQUIRE(validate(c) == "INVALID_ARGUMENT cost_items[1].amount");
}

TEST_CASE("a cost item whose quantity times unit price overflows is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  *c.mutable_cost_items(0) = cost_item("路面修补（平方米）", kMaxFen / 2 + 1, 2, 1);

  const Status status = validate_content(c);

  REQUIRE(kind_and_field(status) == "INVALID_ARGUMENT cost_items[0].amount");
  REQUIRE_THAT(status.message(), Catch::Contains("overflows"));
}

TEST_CASE("amounts above one trillion yuan are refused, so sums over many lines stay exact",
          "[line_rules]") {
  constexpr Fen kTrillionYuan = 100'000'000'000'000;
  LineContent c = road_maintenance_request();
  assign(c.mutable_cost_items(), {cost_item("路面修补", 1, kTrillionYuan, kTrillionYuan)});
  c.clear_increments();
  c.set_requested_amount(kTrillionYuan);
  CHECK(validate_content(c).ok());

  assign(c.mutable_cost_items(), {cost_item("路面修补", 1, kTrillionYuan + 1, kTrillionYuan + 1)});
  c.set_requested_amount(kTrillionYuan + 1);
  const Status status = validate_content(c);
  CHECK(kind_and_field(status) == "INVALID_ARGUMENT requested_amount");
  CHECK_THAT(status.message(), Catch::Contains("at most 1,000,000,000,000.00 yuan"));
  c.set_requested_amount(kTrillionYuan);
  CHECK(validate(c) == "INVALID_ARGUMENT cost_items[0].unit_price");

  CHECK(validate(record_spending(kTrillionYuan + 1, "GK-1", "")) == "INVALID_ARGUMENT amount");
  CHECK(validate(record_spending(-kTrillionYuan - 1, "GK-1", "")) == "INVALID_ARGUMENT amount");
}

TEST_CASE("cost items that do not add up to the request are refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.set_requested_amount(c.requested_amount() + 1);

  REQUIRE(validate(c) == "INVALID_ARGUMENT cost_items");
}

TEST_CASE("a request without cost items is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.clear_cost_items();

  REQUIRE(validate(c) == "INVALID_ARGUMENT cost_items");
}

TEST_CASE("kMaxCostItems cost items are accepted", "[line_rules]") {
  REQUIRE(validate(request_with_cost_items(kMaxCostItems)) == "OK");
}

TEST_CASE("more than kMaxCostItems cost items are refused", "[line_rules]") {
  REQUIRE(validate(request_with_cost_items(kMaxCostItems + 1)) == "INVALID_ARGUMENT cost_items");
}

// --- validate_content: the necessity statement ---

TEST_CASE("an empty necessity statement is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.set_necessity_statement("");

  REQUIRE(validate(c) == "INVALID_ARGUMENT necessity_statement");
}

TEST_CASE("a blank necessity statement is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.set_necessity_statement("  \r\n\t ");

  REQUIRE(validate(c) == "INVALID_ARGUMENT necessity_statement");
}

TEST_CASE("a necessity statement over kMaxStatementBytes is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.set_necessity_statement(std::string(kMaxStatementBytes + 1, 'x'));

  REQUIRE(validate(c) == "INVALID_ARGUMENT necessity_statement");
}

// --- validate_content: performance indicators ---

TEST_CASE("a request without a quantitative output indicator is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.mutable_indicators(0)->set_qualitative(true);
  c.mutable_indicators(1)->set_qualitative(true);

  const Status status = validate_content(c);

  REQUIRE(kind_and_field(status) == "INVALID_ARGUMENT indicators");
  REQUIRE_THAT(status.message(), Catch::Contains("output"));
}

TEST_CASE("a request without an effect or satisfaction indicator is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  // The two output indicators only.
  c.mutable_indicators()->DeleteSubrange(2, c.indicators_size() - 2);

  const Status status = validate_content(c);

  REQUIRE(kind_and_field(status) == "INVALID_ARGUMENT indicators");
  REQUIRE_THAT(status.message(), Catch::Contains("effect or satisfaction"));
}

TEST_CASE("a satisfaction indicator alone is outcome enough", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.mutable_indicators()->erase(c.mutable_indicators()->begin() + 2);  // drop the effect indicator

  REQUIRE(validate(c) == "OK");
}

TEST_CASE("an indicator repeating an earlier name is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.mutable_indicators(1)->set_name(c.indicators(0).name());

  REQUIRE(validate(c) == "INVALID_ARGUMENT indicators[1].name");
}

TEST_CASE("a level-2 category outside its level-1 category is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  // Social belongs to effect, not output.
  c.mutable_indicators(0)->set_level2(zbb::v1::INDICATOR_LEVEL2_SOCIAL);

  REQUIRE(validate(c) == "INVALID_ARGUMENT indicators[0].level2");
}

TEST_CASE("an unknown level-1 category is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.mutable_indicators(2)->set_level1(static_cast<IndicatorLevel1>(9));

  const Status status = validate_content(c);

  REQUIRE(kind_and_field(status) == "INVALID_ARGUMENT indicators[2].level1");
  REQUIRE(status.message() == "must be one of output, effect, satisfaction, cost, not 9");
}

TEST_CASE("an unknown direction is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.mutable_indicators(2)->set_direction(static_cast<Direction>(9));

  const Status status = validate_content(c);

  REQUIRE(kind_and_field(status) == "INVALID_ARGUMENT indicators[2].direction");
  REQUIRE(status.message() == "must be one of none, at_least, at_most, equal, not 9");
}

TEST_CASE("an unknown increment level is refused", "[line_rules]") {
  LineContent c =
      testing::packaged_request(testing::kTransport, "JT-ROAD-001", 600'000'00, 650'000'00, 0);
  REQUIRE(validate(c) == "OK");

  c.mutable_increments(1)->set_level(static_cast<IncrementLevel>(9));
  const Status status = validate_content(c);

  REQUIRE(kind_and_field(status) == "INVALID_ARGUMENT increments[1].level");
  REQUIRE(status.message() == "must be one of minimum, current, enhancement, not 9");
}

TEST_CASE("a quantitative indicator without a unit is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.mutable_indicators(0)->set_unit("");

  REQUIRE(validate(c) == "INVALID_ARGUMENT indicators[0].unit");
}

TEST_CASE("a qualitative indicator needs no unit", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.mutable_indicators(3)->set_qualitative(true);
  c.mutable_indicators(3)->set_unit("");

  REQUIRE(validate(c) == "OK");
}

TEST_CASE("a qualitative indicator needs no direction — a quantitative one does", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.mutable_indicators(3)->set_qualitative(true);
  c.mutable_indicators(3)->set_direction(zbb::v1::DIRECTION_UNSPECIFIED);
  CHECK(validate(c) == "OK");

  c.mutable_indicators(3)->set_qualitative(false);
  CHECK(validate(c) == "INVALID_ARGUMENT indicators[3].direction");
}

TEST_CASE("a NaN target is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.mutable_indicators(0)->set_target(kNaN);

  REQUIRE(validate(c) == "INVALID_ARGUMENT indicators[0].target");
}

TEST_CASE("an infinite target is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.mutable_indicators(1)->set_target(kInfinity);

  REQUIRE(validate(c) == "INVALID_ARGUMENT indicators[1].target");
}

TEST_CASE("a negative target is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.mutable_indicators(2)->set_target(-1);

  REQUIRE(validate(c) == "INVALID_ARGUMENT indicators[2].target");
}

TEST_CASE("a zero target is refused when at least it must be reached", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.mutable_indicators(2)->set_target(0);
  REQUIRE(validate(c) == "INVALID_ARGUMENT indicators[2].target");
}

TEST_CASE("a zero target is accepted when at most it may be reached", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.mutable_indicators(2)->set_target(0);
  c.mutable_indicators(2)->set_direction(zbb::v1::DIRECTION_AT_MOST);  // e.g. zero accidents
  REQUIRE(validate(c) == "OK");
}

TEST_CASE("a qualitative indicator with a non-finite target is refused", "[line_rules]") {
  // JSON has no NaN: stored, the target would come back as null and the line's projection
  // document could no longer be read.
  LineContent c = road_maintenance_request();
  c.mutable_indicators(3)->set_qualitative(true);
  c.mutable_indicators(3)->set_target(kNaN);

  REQUIRE(validate(c) == "INVALID_ARGUMENT indicators[3].target");
}

TEST_CASE("an actual value in a request is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.mutable_indicators(0)->set_actual(10);

  REQUIRE(validate(c) == "INVALID_ARGUMENT indicators[0].actual");
}

TEST_CASE("more than kMaxIndicators indicators are refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  while (static_cast<std::size_t>(c.indicators_size()) <= kMaxIndicators) {
    Indicator extra = c.indicators(0);
    extra.set_name("指标" + std::to_string(c.indicators_size()));
    *c.add_indicators() = extra;
  }

  REQUIRE(validate(c) == "INVALID_ARGUMENT indicators");
}

// --- validate_content: UTF-8 ---

TEST_CASE("a title that is not valid UTF-8 is refused", "[line_rules]") {
  const std::string malformed = GENERATE(as<std::string>{},
                                         "\xC3\x28",          // lead byte without continuation
                                         "\xC0\xAF",          // overlong '/'
                                         "\xE4\xB8",          // truncated 3-byte sequence
                                         "\xED\xA0\x80",      // UTF-16 surrogate U+D800
                                         "\xF4\x90\x80\x80",  // beyond U+10FFFF
                                         "\x80",              // lone continuation byte
                                         "\xFF");             // never valid
  LineContent c = road_maintenance_request();
  c.set_title("农村公路" + malformed + "养护");
  INFO("title bytes after the prefix: " << malformed.size());

  REQUIRE(validate(c) == "INVALID_ARGUMENT title");
}

TEST_CASE("a title that ends in a truncated sequence is refused", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.set_title("农村公路\xE4\xB8");

  REQUIRE(validate(c) == "INVALID_ARGUMENT title");
}

TEST_CASE("a title with four-byte characters is accepted", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.set_title("𠀀𪚥 公路养护 🚧");

  REQUIRE(validate(c) == "OK");
}

TEST_CASE("is_valid_utf8 accepts ASCII, Chinese and four-byte characters", "[line_rules]") {
  REQUIRE(is_valid_utf8(""));
  REQUIRE(is_valid_utf8("road 42"));
  REQUIRE(is_valid_utf8("县交通运输局"));
  REQUIRE(is_valid_utf8("🚧"));
  REQUIRE(is_valid_utf8("𠀀"));
}

TEST_CASE("is_valid_utf8 accepts the edges of the valid ranges", "[line_rules]") {
  REQUIRE(is_valid_utf8("\xC2\x80"));          // U+0080, smallest two-byte
  REQUIRE(is_valid_utf8("\xED\x9F\xBF"));      // U+D7FF, just below the surrogates
  REQUIRE(is_valid_utf8("\xEE\x80\x80"));      // U+E000, just above the surrogates
  REQUIRE(is_valid_utf8("\xF0\x90\x80\x80"));  // U+10000, smallest four-byte
  REQUIRE(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
}

TEST_CASE("is_valid_utf8 refuses malformed sequences", "[line_rules]") {
  REQUIRE_FALSE(is_valid_utf8("\xC3\x28"));
  REQUIRE_FALSE(is_valid_utf8("\xC0\xAF"));
  REQUIRE_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong three-byte '/'
  REQUIRE_FALSE(is_valid_utf8("\xF0\x80\x80\xAF"));  // overlong four-byte '/'
  REQUIRE_FALSE(is_valid_utf8("\xE4\xB8"));
  REQUIRE_FALSE(is_valid_utf8("\xF0\x9F\x9A"));  // truncated four-byte
  REQUIRE_FALSE(is_valid_utf8("\xED\xA0\x80"));
  REQUIRE_FALSE(is_valid_utf8("\xED\xBF\xBF"));  // U+DFFF, last surrogate
  REQUIRE_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));
  REQUIRE_FALSE(is_valid_utf8("\xF8\x88\x80\x80\x80"));  // five-byte form
}

// --- validate_action ---

TEST_CASE("well-formed actions of every type pass validation", "[line_rules]") {
  const std::vector<Action> actions = {
      create_line(road_maintenance_request()),
      revise_line(road_maintenance_request()),
      submit_line(),
      start_target_review(),
      review_targets(false, "绩效目标不够具体"),
      fund_line(0, ""),
      decide_approval("department_head", zbb::v1::DECISION_APPROVE, 1'00, ""),
      decide_approval("department_head", zbb::v1::DECISION_REJECT, 0, "不符合政策"),
      record_spending(1'00, "GK-2027-000001", ""),
      record_spending(-1'00, "GK-2027-000002", "退款"),
      record_indicator_progress("养护里程", 10),
      run_checkpoint(std::chrono::year(2028) / std::chrono::February / 29),
      propose_adjustment(zbb::v1::ADJUSTMENT_KIND_INCREASE, 1'00, "", 0, "雨季加大投入"),
      propose_adjustment(zbb::v1::ADJUSTMENT_KIND_REVISE_TARGET, 0, "养护里程", 0, "省级项目覆盖"),
      decide_adjustment("budget_section", zbb::v1::DECISION_REJECT, "控制数已用完"),
      begin_evaluation(),
      submit_self_evaluation({{"养护里程", 96}}, 0, "完成"),
      submit_self_evaluation({}, 100, "完成"),
      close_line(""),
      withdraw_line("")};

  for (const Action& action : actions) {
    INFO(action_type(action));
    REQUIRE(validate(action) == "OK");
  }
}

TEST_CASE("spending of zero fen is refused", "[line_rules]") {
  REQUIRE(validate(record_spending(0, "GK-2027-000001", "")) == "INVALID_ARGUMENT amount");
}

TEST_CASE("spending without a payment reference is refused", "[line_rules]") {
  REQUIRE(validate(record_spending(1'00, "", "")) == "INVALID_ARGUMENT payment_ref");
}

TEST_CASE("an approval of zero fen is refused", "[line_rules]") {
  REQUIRE(validate(decide_approval("budget_section", zbb::v1::DECISION_APPROVE, 0, "")) ==
          "INVALID_ARGUMENT amount");
}

TEST_CASE("an approval of a negative amount is refused", "[line_rules]") {
  REQUIRE(validate(decide_approval("budget_section", zbb::v1::DECISION_APPROVE, -1, "")) ==
          "INVALID_ARGUMENT amount");
}

TEST_CASE("an approval decision may leave its level and amount out", "[line_rules]") {
  // The line's machine fills them in: the level it waits on, the amount granted so far.
  REQUIRE(validate(decide_approval("", zbb::v1::DECISION_APPROVE, 1'00, "")) == "OK");
  REQUIRE(validate(decide_approval("budget_section", zbb::v1::DECISION_APPROVE, std::nullopt,
                                   "")) == "OK");
}

TEST_CASE("an unknown approval decision is refused", "[line_rules]") {
  REQUIRE(validate(decide_approval("budget_section", static_cast<Decision>(7), 1'00, "")) ==
          "INVALID_ARGUMENT decision");
  CHECK(validate_action(decide_approval("budget_section", static_cast<Decision>(7), 1'00, ""))
            .message() == "must be one of approve, reject, return, not 7");
}

TEST_CASE("an adjustment cannot be returned, only approved or rejected", "[line_rules]") {
  REQUIRE(validate(decide_adjustment("budget_section", zbb::v1::DECISION_RETURN, "请补充材料")) ==
          "INVALID_ARGUMENT decision");
}

TEST_CASE("an unspecified or unknown adjustment kind is refused", "[line_rules]") {
  const Status unspecified = validate_action(
      propose_adjustment(zbb::v1::ADJUSTMENT_KIND_UNSPECIFIED, 1'00, "", 0, "省级资金覆盖"));
  REQUIRE(kind_and_field(unspecified) == "INVALID_ARGUMENT kind");
  CHECK(unspecified.message() ==
        "is unspecified; must be one of reduce, increase, revise_target, reallocate");

  const Status unknown = validate_action(
      propose_adjustment(static_cast<AdjustmentKind>(9), 1'00, "", 0, "省级资金覆盖"));
  REQUIRE(kind_and_field(unknown) == "INVALID_ARGUMENT kind");
  CHECK(unknown.message() == "must be one of reduce, increase, revise_target, reallocate, not 9");
}

TEST_CASE("a reduction of zero fen is refused", "[line_rules]") {
  REQUIRE(validate(propose_adjustment(zbb::v1::ADJUSTMENT_KIND_REDUCE, 0, "", 0, "省级资金覆盖")) ==
          "INVALID_ARGUMENT amount");
}

TEST_CASE("an adjustment without a reason is refused", "[line_rules]") {
  REQUIRE(validate(propose_adjustment(zbb::v1::ADJUSTMENT_KIND_REDUCE, 1'00, "", 0, " ")) ==
          "INVALID_ARGUMENT reason");
}

TEST_CASE("a target revision to NaN is refused", "[line_rules]") {
  REQUIRE(validate(propose_adjustment(zbb::v1::ADJUSTMENT_KIND_REVISE_TARGET, 0, "养护里程", kNaN,
                                      "省级项目覆盖")) == "INVALID_ARGUMENT new_target");
}

TEST_CASE("a target revision to a negative target is refused", "[line_rules]") {
  REQUIRE(validate(propose_adjustment(zbb::v1::ADJUSTMENT_KIND_REVISE_TARGET, 0, "养护里程", -1,
                                      "省级项目覆盖")) == "INVALID_ARGUMENT new_target");
}

TEST_CASE("a target revision without an indicator is refused", "[line_rules]") {
  REQUIRE(validate(propose_adjustment(zbb::v1::ADJUSTMENT_KIND_REVISE_TARGET, 0, "", 80,
                                      "省级项目覆盖")) == "INVALID_ARGUMENT indicator");
}

TEST_CASE("a satisfaction percentage above 100 is refused", "[line_rules]") {
  REQUIRE(validate(submit_self_evaluation({}, 101, "完成")) ==
          "INVALID_ARGUMENT satisfaction_percent");
}

TEST_CASE("a negative satisfaction percentage is refused", "[line_rules]") {
  REQUIRE(validate(submit_self_evaluation({}, -1, "完成")) ==
          "INVALID_ARGUMENT satisfaction_percent");
}

TEST_CASE("a self-evaluation with a non-finite final actual names the entry", "[line_rules]") {
  REQUIRE(validate(submit_self_evaluation({{"养护里程", 96}, {"路况优良率", kInfinity}}, 90,
                                          "完成")) == "INVALID_ARGUMENT final_actuals[1].actual");
}

TEST_CASE("indicator progress of NaN is refused", "[line_rules]") {
  REQUIRE(validate(record_indicator_progress("养护里程", kNaN)) == "INVALID_ARGUMENT actual");
}

TEST_CASE("a comment of exactly kMaxCommentBytes is accepted", "[line_rules]") {
  REQUIRE(validate(review_targets(true, std::string(kMaxCommentBytes, 'x'))) == "OK");
}

TEST_CASE("a comment one byte over kMaxCommentBytes is refused", "[line_rules]") {
  REQUIRE(validate(review_targets(true, std::string(kMaxCommentBytes + 1, 'x'))) ==
          "INVALID_ARGUMENT comment");
}

TEST_CASE("a comment that is not valid UTF-8 is refused", "[line_rules]") {
  REQUIRE(validate(close_line("归档\xC0\xAF")) == "INVALID_ARGUMENT comment");
}

TEST_CASE("a checkpoint on a date that does not exist is refused", "[line_rules]") {
  const Status status =
      validate_action(run_checkpoint(std::chrono::year(2027) / std::chrono::February / 30));
  REQUIRE(kind_and_field(status) == "INVALID_ARGUMENT as_of");
  CHECK(status.message() == "2027-02-30 is not a date of the calendar");
}

TEST_CASE("a checkpoint whose as_of is not written YYYY-MM-DD is refused", "[line_rules]") {
  // as_of is text in the message: the rules check it as the gRPC edge does.
  for (const char* as_of : {"", "2027-2-28", "28.02.2027", "2027-02-28T00:00"}) {
    INFO(as_of);
    RunCheckpoint checkpoint;
    checkpoint.set_as_of(as_of);
    const Status status = validate_action(checkpoint);
    REQUIRE(kind_and_field(status) == "INVALID_ARGUMENT as_of");
    CHECK(status.message() == "must be a date written YYYY-MM-DD");
  }
}

TEST_CASE("errors in a created line's content are prefixed with content", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.set_title("");

  REQUIRE(validate(create_line(c)) == "INVALID_ARGUMENT content.title");
}

TEST_CASE("errors deep in a created line's content keep their full path", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.mutable_cost_items(1)->set_amount(c.cost_items(1).amount() + 1);

  REQUIRE(validate(create_line(c)) == "INVALID_ARGUMENT content.cost_items[1].amount");
}

TEST_CASE("errors in a revised line's content are prefixed with content", "[line_rules]") {
  LineContent c = road_maintenance_request();
  c.set_necessity_statement("");

  REQUIRE(validate(revise_line(c)) == "INVALID_ARGUMENT content.necessity_statement");
}

// --- guards ---

TEST_CASE("SubmitterNeverDecides lets another actor decide", "[line_rules][guards]") {
  const BudgetLine line = executing_line();

  REQUIRE(SubmitterNeverDecides(line, testing::actor::kBudgetSection).ok());
}

TEST_CASE("SubmitterNeverDecides refuses the submitter", "[line_rules][guards]") {
  const BudgetLine line = executing_line();

  const Status status = SubmitterNeverDecides(line, line.submitted_by());

  REQUIRE(status.code() == Code::kPermissionDenied);
}

TEST_CASE("SubmitterNeverDecides refuses the creator", "[line_rules][guards]") {
  const BudgetLine line = executing_line();

  const Status status = SubmitterNeverDecides(line, line.created_by());

  REQUIRE(status.code() == Code::kPermissionDenied);
}

TEST_CASE("OneActorOneLevel lets a new actor decide", "[line_rules][guards]") {
  const std::vector<ApprovalRecord> decisions = {
      zbb::approval_record("department_head", testing::actor::kDepartmentHead,
                           zbb::v1::DECISION_APPROVE, 1'00, "", Timestamp{})};

  REQUIRE(OneActorOneLevel(decisions, "budget_section", testing::actor::kBudgetSection).ok());
}

TEST_CASE("OneActorOneLevel lets an actor decide again at his own level", "[line_rules][guards]") {
  const std::vector<ApprovalRecord> decisions = {
      zbb::approval_record("budget_section", testing::actor::kBudgetSection,
                           zbb::v1::DECISION_RETURN, 0, "请说明", Timestamp{})};

  REQUIRE(OneActorOneLevel(decisions, "budget_section", testing::actor::kBudgetSection).ok());
}

TEST_CASE("OneActorOneLevel refuses an actor at a second level", "[line_rules][guards]") {
  const std::vector<ApprovalRecord> decisions = {
      zbb::approval_record("department_head", testing::actor::kDepartmentHead,
                           zbb::v1::DECISION_APPROVE, 1'00, "", Timestamp{})};

  const Status status =
      OneActorOneLevel(decisions, "budget_section", testing::actor::kDepartmentHead);

  REQUIRE(status.code() == Code::kPermissionDenied);
}

TEST_CASE("ApprovedWithinFunded allows exactly the amount granted so far", "[line_rules][guards]") {
  const BudgetLine line = executing_line();

  REQUIRE(ApprovedWithinFunded(line, line.granted_amount()).ok());
}

TEST_CASE("ApprovedWithinFunded refuses one fen more than granted so far", "[line_rules][guards]") {
  const BudgetLine line = executing_line();

  REQUIRE(kind_and_field(ApprovedWithinFunded(line, line.granted_amount() + 1)) ==
          "INVALID_ARGUMENT amount");
}

TEST_CASE("FundedWithinRequest allows exactly the amount requested", "[line_rules][guards]") {
  const BudgetLine line = executing_line();

  REQUIRE(FundedWithinRequest(line, line.content().requested_amount()).ok());
}

TEST_CASE("FundedWithinRequest refuses one fen more than requested", "[line_rules][guards]") {
  const BudgetLine line = executing_line();

  REQUIRE(kind_and_field(FundedWithinRequest(line, line.content().requested_amount() + 1)) ==
          "INVALID_ARGUMENT amount");
}

TEST_CASE("SpendingWithinApproved allows spending up to exactly the approved amount",
          "[line_rules][guards]") {
  const BudgetLine line = executing_line();

  REQUIRE(SpendingWithinApproved(line, line.approved_amount() - line.spent_amount()).ok());
}

TEST_CASE("SpendingWithinApproved refuses spending one fen above the approved amount",
          "[line_rules][guards]") {
  const BudgetLine line = executing_line();

  const Status status =
      SpendingWithinApproved(line, line.approved_amount() - line.spent_amount() + 1);

  REQUIRE(status.code() == Code::kFailedPrecondition);
}

TEST_CASE("SpendingWithinApproved allows a refund of everything spent", "[line_rules][guards]") {
  const BudgetLine line = executing_line();

  REQUIRE(SpendingWithinApproved(line, -line.spent_amount()).ok());
}

TEST_CASE("SpendingWithinApproved refuses a refund one fen above what was spent",
          "[line_rules][guards]") {
  const BudgetLine line = executing_line();

  const Status status = SpendingWithinApproved(line, -line.spent_amount() - 1);

  REQUIRE(status.code() == Code::kFailedPrecondition);
}

TEST_CASE("SpendingWithinApproved refuses spending that overflows the total",
          "[line_rules][guards]") {
  const BudgetLine line = executing_line();

  REQUIRE(kind_and_field(SpendingWithinApproved(line, kMaxFen)) == "INVALID_ARGUMENT amount");
}

TEST_CASE("ReductionKeepsSpending allows a cut down to exactly what is spent",
          "[line_rules][guards]") {
  const BudgetLine line = executing_line();

  REQUIRE(ReductionKeepsSpending(line, line.approved_amount() - line.spent_amount()).ok());
}

TEST_CASE("ReductionKeepsSpending refuses a cut one fen below what is spent",
          "[line_rules][guards]") {
  const BudgetLine line = executing_line();

  const Status status =
      ReductionKeepsSpending(line, line.approved_amount() - line.spent_amount() + 1);

  REQUIRE(status.code() == Code::kFailedPrecondition);
}

TEST_CASE("IncreaseFits refuses an increase that overflows the approved amount",
          "[line_rules][guards]") {
  const BudgetLine line = executing_line();

  REQUIRE(IncreaseFits(line, kMaxFen - line.approved_amount()).ok());
  REQUIRE(kind_and_field(IncreaseFits(line, kMaxFen - line.approved_amount() + 1)) ==
          "INVALID_ARGUMENT amount");
}

TEST_CASE("ReasonGiven lets an approval go without a comment", "[line_rules][guards]") {
  REQUIRE(ReasonGiven(zbb::v1::DECISION_APPROVE, "").ok());
}

TEST_CASE("ReasonGiven lets a rejection with a reason through", "[line_rules][guards]") {
  REQUIRE(ReasonGiven(zbb::v1::DECISION_REJECT, "不符合政策").ok());
}

TEST_CASE("ReasonGiven refuses a rejection without a reason", "[line_rules][guards]") {
  REQUIRE(kind_and_field(ReasonGiven(zbb::v1::DECISION_REJECT, "")) == "INVALID_ARGUMENT comment");
}

TEST_CASE("ReasonGiven refuses a return with a blank reason", "[line_rules][guards]") {
  REQUIRE(kind_and_field(ReasonGiven(zbb::v1::DECISION_RETURN, " \n")) ==
          "INVALID_ARGUMENT comment");
}

TEST_CASE("RevisionKeepsOwner refuses moving a line to another department",
          "[line_rules][guards]") {
  const LineContent before = road_maintenance_request();
  LineContent after = before;
  after.set_department(testing::kEducation);

  REQUIRE(kind_and_field(RevisionKeepsOwner(before, after)) ==
          "INVALID_ARGUMENT content.department");
}

TEST_CASE("RevisionKeepsOwner refuses moving a line to another year", "[line_rules][guards]") {
  const LineContent before = road_maintenance_request(2027);
  const LineContent after = road_maintenance_request(2028);

  REQUIRE(kind_and_field(RevisionKeepsOwner(before, after)) ==
          "INVALID_ARGUMENT content.fiscal_year");
}

}  // namespace
}  // namespace zbb::review
