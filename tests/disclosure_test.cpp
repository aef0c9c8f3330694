// The disclosure tables (预决算公开, 绩效目标公开): which lines, which columns, in which order,
// and the files they are written as.

#include <catch2/catch.hpp>

#include "adapters/export/table_files.h"
#include "tests/county_fixture.h"
#include "workflows/disclosure.h"
#include "workflows/state_ids.h"

namespace zbb::testing {
namespace {

namespace s = review::state;
using review::DisclosureCell;
using review::DisclosureTable;

BudgetLine line_in(const std::string& id, LineContent content, std::string_view state,
                   Fen approved) {
  BudgetLine line;
  line.set_id(id);
  *line.mutable_content() = std::move(content);
  line.set_state(std::string(state));
  line.set_approved_amount(approved);
  return line;
}

std::vector<std::string> headers_of(const DisclosureTable& table) {
  std::vector<std::string> headers;
  for (const auto& column : table.columns) headers.push_back(column.header);
  return headers;
}

std::string text_at(const DisclosureTable& table, std::size_t row, std::size_t column) {
  return table.rows.at(row).at(column).text;
}

const std::vector<std::string> kDefaultColumns = {"department", "programme", "title",
                                                  "approved",   "targets",   "grade"};

}  // namespace

TEST_CASE("the shipped policy publishes the default columns", "[disclosure]") {
  const auto policies = default_policies();
  CHECK(review::public_columns(policies.current()) == kDefaultColumns);
  zbb::policy::WorkflowPolicy unnamed = policies.current();
  unnamed.clear_disclosure();
  CHECK(review::public_columns(unnamed) == kDefaultColumns);
}

TEST_CASE("a policy may name only line columns, each once", "[disclosure]") {
  zbb::policy::Disclosure disclosure;
  disclosure.add_public_columns("title");
  disclosure.add_public_columns("spent");
  CHECK(review::check_public_columns(disclosure).ok());
  disclosure.add_public_columns("salary");
  auto refused = review::check_public_columns(disclosure);
  CHECK(refused.field() == "disclosure.public_columns[2]");
  CHECK_THAT(refused.message(), Catch::StartsWith("\"salary\" is not a line column"));
  disclosure.set_public_columns(2, "title");
  CHECK(review::check_public_columns(disclosure).message() == "\"title\" is named twice");
}

TEST_CASE("the lines table holds the lines with a budget, by department then id", "[disclosure]") {
  const std::vector<BudgetLine> lines = {
      line_in("JT-2", road_maintenance_request(), s::kExecuting, 1'000'000'00),
      line_in("JY-1", school_meals_request(), s::kClosed, 860'000'00),
      line_in("JT-1", road_maintenance_request(), s::kExecuting, 1'250'000'00),
      line_in("JT-3", road_maintenance_request(), s::kAwaitingRanking, 0),
      line_in("JT-4", road_maintenance_request(), s::kRejected, 0),
  };
  const DisclosureTable table = review::lines_table(lines, kDefaultColumns);
  CHECK(headers_of(table) == std::vector<std::string>{"部门", "项目代码", "项目名称",
                                                      "批复金额（元）", "绩效目标", "评价等级"});
  // 县交通运输局 sorts before 县教育局 (by code point): JT-1, JT-2, then JY-1.
  REQUIRE(table.rows.size() == 3);
  CHECK(text_at(table, 0, 0) == kTransport);
  CHECK(text_at(table, 0, 2) == "农村公路日常养护");
  CHECK(table.rows[0][3].kind == DisclosureCell::Kind::kMoney);
  CHECK(table.rows[0][3].fen == 1'250'000'00);
  CHECK(table.rows[1][3].fen == 1'000'000'00);
  CHECK(text_at(table, 2, 0) == kEducation);
  CHECK(text_at(table, 0, 4) ==
        "养护里程 ≥ 96 公里；完工及时率 ≥ 95 %；路况优良率 ≥ 85 %；沿线群众满意度 ≥ 90 %");
  CHECK(text_at(table, 0, 5).empty());  // not evaluated
}

TEST_CASE("the evaluation table holds the lines with an evaluation in force, with their score",
          "[disclosure]") {
  BudgetLine scored = line_in("JT-1", road_maintenance_request(), s::kScored, 1'250'000'00);
  scored.mutable_evaluation()->set_score_tenths(874);
  scored.mutable_evaluation()->set_grade("good");
  BudgetLine self = line_in("JT-2", road_maintenance_request(), s::kSelfEvaluation, 1'000'00);
  const DisclosureTable table =
      review::evaluation_table({scored, self}, {"title", "score", "grade"});
  CHECK(headers_of(table) == std::vector<std::string>{"评价得分", "项目名称", "评价等级"});
  REQUIRE(table.rows.size() == 1);
  CHECK(table.rows[0][0].number == Approx(87.4));
  CHECK(table.rows[0][0].decimals == 1);
  CHECK(text_at(table, 0, 2) == "good");
}

TEST_CASE("the ranking table follows the ranking's order with the money funded", "[disclosure]") {
  review::RankingResult ranking;
  auto* first = ranking.add_lines();
  first->set_line_id("JT-2");
  first->set_rank(1);
  first->set_funded(500'00);
  auto* second = ranking.add_lines();
  second->set_line_id("JT-9");  // no longer read: its id alone
  second->set_rank(2);
  std::map<std::string, BudgetLine> lines;
  lines["JT-2"] = line_in("JT-2", road_maintenance_request(), s::kAwaitingDecision, 0);
  const DisclosureTable table = review::ranking_table(ranking, lines, {"line_id", "title"});
  CHECK(headers_of(table) ==
        std::vector<std::string>{"排序", "安排金额（元）", "预算项目编号", "项目名称"});
  REQUIRE(table.rows.size() == 2);
  CHECK(table.rows[0][0].number == 1);
  CHECK(table.rows[0][1].fen == 500'00);
  CHECK(text_at(table, 0, 3) == "农村公路日常养护");
  CHECK(text_at(table, 1, 2) == "JT-9");
  CHECK(text_at(table, 1, 3).empty());
}

TEST_CASE("the monitoring table gives each line's verdict of the round", "[disclosure]") {
  zbb::v1::MonitoringReport round;
  round.set_as_of("2027-06-30");
  auto* monitored = round.add_lines();
  monitored->set_line_id("JT-1");
  monitored->mutable_result()->set_level(zbb::v1::WARNING_LEVEL_RED);
  monitored->mutable_result()->set_as_of("2027-06-30");
  monitored->mutable_result()->set_execution_rate_bp(1234);
  monitored->mutable_result()->set_time_progress_bp(5000);
  std::map<std::string, BudgetLine> lines;
  lines["JT-1"] = line_in("JT-1", road_maintenance_request(), s::kRedWarning, 1'250'000'00);
  const DisclosureTable table = review::monitoring_table(round, lines, {"title", "approved"});
  CHECK(headers_of(table) == std::vector<std::string>{"监控日期", "预警等级", "执行进度（%）",
                                                      "时间进度（%）", "项目名称",
                                                      "批复金额（元）"});
  REQUIRE(table.rows.size() == 1);
  CHECK(text_at(table, 0, 0) == "2027-06-30");
  CHECK(text_at(table, 0, 1) == "red");
  CHECK(table.rows[0][2].number == Approx(12.34));
  CHECK(table.rows[0][2].decimals == 2);
  CHECK(table.rows[0][3].number == Approx(50));
  CHECK(text_at(table, 0, 4) == "农村公路日常养护");
  CHECK(table.rows[0][5].fen == 1'250'000'00);
  CHECK(exporting::table_csv(table) ==
        "\xEF\xBB\xBF监控日期,预警等级,执行进度（%）,时间进度（%）,项目名称,批复金额（元）\r\n"
        "2027-06-30,red,12.34,50.00,农村公路日常养护,1250000.00\r\n");
}

TEST_CASE("a table as CSV: byte-order mark, quoting, amounts in yuan", "[disclosure]") {
  DisclosureTable table{"lines", {{"title", "项目名称"}, {"approved", "批复金额（元）"}}, {}};
  table.rows.push_back({{DisclosureCell::Kind::kText, "营养餐, \"午餐\""},
                        {DisclosureCell::Kind::kMoney, {}, 123'456'789'05}});
  table.rows.push_back(
      {{DisclosureCell::Kind::kText, "养护"}, {DisclosureCell::Kind::kMoney, {}, -5}});
  CHECK(exporting::table_csv(table) ==
        "\xEF\xBB\xBF项目名称,批复金额（元）\r\n"
        "\"营养餐, \"\"午餐\"\"\",123456789.05\r\n"
        "养护,-0.05\r\n");
}

TEST_CASE("a text cell a spreadsheet would run as a formula is written as text", "[disclosure]") {
  DisclosureTable table{"lines", {{"title", "项目名称"}, {"spent", "支出金额（元）"}}, {}};
  for (const char* title : {"=HYPERLINK(\"http://x\")", "+1", "-1", "@SUM(A1)", "养护 = 1"})
    table.rows.push_back(
        {{DisclosureCell::Kind::kText, title}, {DisclosureCell::Kind::kMoney, {}, -5}});
  CHECK(exporting::table_csv(table) ==
        "\xEF\xBB\xBF项目名称,支出金额（元）\r\n"
        "\"'=HYPERLINK(\"\"http://x\"\")\",-0.05\r\n"
        "'+1,-0.05\r\n"
        "'-1,-0.05\r\n"
        "'@SUM(A1),-0.05\r\n"
        "养护 = 1,-0.05\r\n");
}

TEST_CASE("a table as XLSX is a zip workbook", "[disclosure]") {
  DisclosureTable table{
      "lines", {{"title", "项目名称"}}, {{{DisclosureCell::Kind::kText, "养护"}}}};
  auto workbook = exporting::table_xlsx(table, "lines");
  REQUIRE(workbook.ok());
  REQUIRE(workbook->size() > 1000);
  CHECK(workbook->substr(0, 2) == "PK");  // read back cell by cell in the e2e export test
}

}  // namespace zbb::testing
