// zbbctl import without a server: CSV sheets read with libcsv, and their rows turned into
// PushEvents items or refused with the row a spreadsheet shows.

#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <variant>
#include <vector>

#include "adapters/cli/csv_table.h"
#include "adapters/cli/zbbctl_import.h"

namespace zbb::cli {
namespace {

namespace v1 = zbb::v1;

CsvTable table_of(std::string_view text) {
  CsvResult read = parse_csv(text);
  if (const auto* error = std::get_if<CsvError>(&read))
    FAIL("row " << error->row << ": " << error->reason);
  return std::get<CsvTable>(std::move(read));
}

CsvError error_of(std::string_view text) {
  CsvResult read = parse_csv(text);
  REQUIRE(std::holds_alternative<CsvError>(read));
  return std::get<CsvError>(read);
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A sheet as a spreadsheet exports it: every column of the header in every row, cells quoted
// where they hold a comma, a quote or a line break.
class Sheet {
 public:
  explicit Sheet(std::vector<std::string> columns) : columns_(std::move(columns)) {
    add_cells(columns_);
  }
  Sheet& row(const std::map<std::string, std::string>& cells) {
    std::vector<std::string> fields;
    for (const auto& column : columns_) {
      const auto found = cells.find(column);
      fields.push_back(found == cells.end() ? "" : found->second);
    }
    add_cells(fields);
    return *this;
  }
  const std::string& text() const { return text_; }

 private:
  void add_cells(const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      std::string field = fields[i];
      if (field.find_first_of(",\"\r\n") != std::string::npos) {
        std::string quoted = "\"";
        for (char c : field) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
        field = quoted + "\"";
      }
      text_ += (i == 0 ? "" : ",") + field;
    }
    text_ += "\r\n";
  }

  std::vector<std::string> columns_;
  std::string text_;
};

const std::vector<std::string> kLineColumns = {
    "row_type",       "line_id",  "fiscal_year", "department",
    "programme_code", "title",    "category",    "necessity_statement",
    "name",           "quantity", "unit_price",  "level1",
    "level2",         "unit",     "target",      "direction",
    "qualitative",    "level",    "amount",      "justification",
    "month"};

using Cells = std::map<std::string, std::string>;

Cells line_row(const std::string& id, const std::string& title, const std::string& category) {
  return {{"row_type", "line"},
          {"line_id", id},
          {"fiscal_year", "2027"},
          {"department", "县交通运输局"},
          {"programme_code", "JT-" + id},
          {"title", title},
          {"category", category},
          {"necessity_statement", "县道路网养护压力大，\n需保障通行安全"}};
}

Cells cost_row(const std::string& id, const std::string& name, const std::string& quantity,
               const std::string& unit_price) {
  return {{"row_type", "cost_item"},
          {"line_id", id},
          {"name", name},
          {"quantity", quantity},
          {"unit_price", unit_price}};
}

Cells indicator_row(const std::string& id, const std::string& name, const std::string& level1,
                    const std::string& level2, const std::string& unit, const std::string& target,
                    const std::string& qualitative = "") {
  return {{"row_type", "indicator"}, {"line_id", id},           {"name", name},
          {"level1", level1},        {"level2", level2},        {"unit", unit},
          {"target", target},        {"direction", "at_least"}, {"qualitative", qualitative}};
}

Cells increment_row(const std::string& id, const std::string& level, const std::string& amount) {
  return {{"row_type", "increment"},
          {"line_id", id},
          {"level", level},
          {"amount", amount},
          {"justification", "维持基本养护"}};
}

// Three lines of the transport bureau; rows 2–16.
Sheet good_sheet() {
  Sheet sheet(kLineColumns);
  sheet
      .row(line_row("JT-01", "农村公路日常养护", "project"))                         // 2
      .row(cost_row("JT-01", "路面修补（平方米）", "2,000", "350.00"))               // 3
      .row(cost_row("JT-01", "桥涵维护（座）", "12", "25,000"))                      // 4
      .row(indicator_row("JT-01", "养护里程", "output", "quantity", "公里", "320"))  // 5
      .row(indicator_row("JT-01", "群众满意度", "satisfaction", "service_object_satisfaction", "%",
                         "95.5"))                                                       // 6
      .row(indicator_row("JT-01", "通行条件改善", "effect", "social", "", "", "TRUE"))  // 7
      .row(increment_row("JT-01", "minimum", "800,000.00"))                             // 8
      .row(increment_row("JT-01", "current", "200,000"))                                // 9
      .row(line_row("JT-02", "公交站亭更新，含\"智慧站牌\"", "department_overall"))     // 10
      .row(cost_row("JT-02", "站亭（座）", "40", "12,500.50"))                          // 11
      .row(indicator_row("JT-02", "更新站亭", "output", "quantity", "座", "40"))        // 12
      .row(indicator_row("JT-02", "乘客满意度", "satisfaction", "service_object_satisfaction", "%",
                         "85"))                                                      // 13
      .row(line_row("JT-03", "养护站运转", "basic"))                                 // 14
      .row(cost_row("JT-03", "运转经费（月）", "12", "8,000.00"))                    // 15
      .row(indicator_row("JT-03", "保障月数", "output", "timeliness", "月", "12"));  // 16
  return sheet;
}

const v1::LineContent& content_of(const ImportItem& item) {
  return item.item.event().create().content();
}

}  // namespace

// --- csv_table ---

TEST_CASE("quoted fields keep their commas, doubled quotes and line breaks", "[csv]") {
  const auto table = table_of(
      "title,comment\n"
      "\"公路养护，一期\",\"他说\"\"同意\"\"\"\n"
      "\"两行\n说明\",plain\n"
      "last,row\n");

  REQUIRE(table.rows.size() == 3);
  CHECK(table.rows[0].fields == std::vector<std::string>{"公路养护，一期", "他说\"同意\""});
  CHECK(table.rows[1].fields == std::vector<std::string>{"两行\n说明", "plain"});
  // A line break inside a quoted field does not start a spreadsheet row.
  CHECK(table.rows[2].number == 4);
}

TEST_CASE("a UTF-8 byte order mark from a spreadsheet export is skipped", "[csv]") {
  const auto table = table_of("\xEF\xBB\xBFrow_type,line_id\nline,JT-1\n");

  CHECK(table.header == std::vector<std::string>{"row_type", "line_id"});
  CHECK(table.rows.at(0).fields == std::vector<std::string>{"line", "JT-1"});
}

TEST_CASE("CRLF rows are numbered as a spreadsheet numbers them, blank rows included", "[csv]") {
  const auto table = table_of("a,b\r\n1,2\r\n\r\n,\r\n3,4");

  REQUIRE(table.rows.size() == 2);
  CHECK(table.header_row == 1);
  CHECK(table.rows[0].number == 2);
  CHECK(table.rows[0].fields == std::vector<std::string>{"1", "2"});
  CHECK(table.rows[1].number == 5);  // rows 3 (empty) and 4 (",") are blank
  CHECK(table.rows[1].fields == std::vector<std::string>{"3", "4"});
}

TEST_CASE("Chinese text comes through unchanged", "[csv]") {
  const auto table = table_of("部门,项目\n县交通运输局,农村公路日常养护（2027年）\n");

  CHECK(table.header == std::vector<std::string>{"部门", "项目"});
  CHECK(table.rows.at(0).fields ==
        std::vector<std::string>{"县交通运输局", "农村公路日常养护（2027年）"});
}

TEST_CASE("a quote inside an unquoted field is a syntax error on its row", "[csv]") {
  const auto error = error_of("a,b\n1,2\n3,4\"5\n");

  CHECK(error.row == 3);
  CHECK(contains(error.reason, "quote inside an unquoted field"));
}

TEST_CASE("text after a closing quote is a syntax error on its row", "[csv]") {
  const auto error = error_of("a,b\n\"1\"x,2\n");

  CHECK(error.row == 2);
  CHECK(contains(error.reason, "after a closing quote"));
}

TEST_CASE("an unclosed quote is a syntax error on the row where it opened", "[csv]") {
  const auto error = error_of("a,b\n1,2\n\"3,4\n5,6\n");

  CHECK(error.row == 3);
  CHECK(contains(error.reason, "not closed"));
}

TEST_CASE("text that is not UTF-8 is refused with its row and column", "[csv]") {
  // "县交通运输局" in GBK, as a spreadsheet in a Chinese locale saves "CSV".
  const auto error = error_of("department,title\n\xCF\xD8\xBD\xBB\xCD\xA8,x\n");

  CHECK(error.row == 2);
  CHECK(contains(error.reason, "column department is not UTF-8"));
}

TEST_CASE("an empty file has no header to read", "[csv]") {
  CHECK(error_of("").row == 0);
  CHECK(error_of("\xEF\xBB\xBF\r\n").row == 0);
}

// --- the line importer ---

TEST_CASE(
    "a good sheet becomes one create per line with its cost items, indicators and "
    "increments",
    "[import]") {
  const auto plan = plan_line_import(table_of(good_sheet().text()));

  CHECK(plan.refused.empty());
  REQUIRE(plan.items.size() == 3);
  const ImportItem& road = plan.items[0];
  CHECK(road.item.line_id() == "JT-01");
  CHECK(road.row == 2);
  const auto& content = content_of(road);
  CHECK(content.fiscal_year() == 2027);
  CHECK(content.department() == "县交通运输局");
  CHECK(content.category() == v1::CATEGORY_PROJECT);
  CHECK(content.necessity_statement() == "县道路网养护压力大，\n需保障通行安全");
  REQUIRE(content.cost_items_size() == 2);
  CHECK(content.cost_items(0).name() == "路面修补（平方米）");
  CHECK(content.cost_items(0).quantity() == 2000);
  CHECK(content.cost_items(0).unit_price() == 350'00);
  CHECK(content.cost_items(0).amount() == 700'000'00);
  CHECK(content.cost_items(1).amount() == 300'000'00);
  CHECK(content.requested_amount() == 1'000'000'00);
  REQUIRE(content.indicators_size() == 3);
  CHECK(content.indicators(0).level1() == v1::INDICATOR_LEVEL1_OUTPUT);
  CHECK(content.indicators(0).level2() == v1::INDICATOR_LEVEL2_QUANTITY);
  CHECK(content.indicators(0).unit() == "公里");
  CHECK(content.indicators(0).target() == 320);
  CHECK(content.indicators(0).direction() == v1::DIRECTION_AT_LEAST);
  CHECK(content.indicators(1).level2() == v1::INDICATOR_LEVEL2_SERVICE_OBJECT_SATISFACTION);
  CHECK(content.indicators(1).target() == 95.5);
  CHECK(content.indicators(2).qualitative());
  CHECK(content.indicators(2).target() == 0);
  REQUIRE(content.increments_size() == 2);
  CHECK(content.increments(0).level() == v1::INCREMENT_LEVEL_MINIMUM);
  CHECK(content.increments(0).amount() == 800'000'00);
  CHECK(content.increments(1).level() == v1::INCREMENT_LEVEL_CURRENT);
  CHECK(content.increments(1).amount() == 200'000'00);
  CHECK(road.cost_item_rows == std::vector<int>{3, 4});
  CHECK(road.indicator_rows == std::vector<int>{5, 6, 7});
  CHECK(road.increment_rows == std::vector<int>{8, 9});

  CHECK(content_of(plan.items[1]).title() == "公交站亭更新，含\"智慧站牌\"");
  CHECK(content_of(plan.items[1]).requested_amount() == 500'020'00);
  CHECK(content_of(plan.items[1]).category() == v1::CATEGORY_DEPARTMENT_OVERALL);
  CHECK(content_of(plan.items[2]).requested_amount() == 96'000'00);
  CHECK(content_of(plan.items[2]).category() == v1::CATEGORY_BASIC);
}

TEST_CASE("the rows of a line may be interleaved with other lines' rows", "[import]") {
  Sheet sheet(kLineColumns);
  sheet
      .row(cost_row("B", "站亭（座）", "2", "100"))                        // 2
      .row(line_row("A", "甲", "basic"))                                   // 3
      .row(cost_row("A", "甲一", "1", "10.00"))                            // 4
      .row(line_row("B", "乙", "basic"))                                   // 5
      .row(indicator_row("A", "甲指标", "output", "quantity", "个", "1"))  // 6
      .row(cost_row("B", "乙二", "3", "0.01"))                             // 7
      .row(cost_row("A", "甲二", "1", "5"));                               // 8

  const auto plan = plan_line_import(table_of(sheet.text()));

  CHECK(plan.refused.empty());
  REQUIRE(plan.items.size() == 2);
  CHECK(plan.items[0].item.line_id() == "A");  // in the order of their line rows
  CHECK(plan.items[0].cost_item_rows == std::vector<int>{4, 8});
  CHECK(content_of(plan.items[0]).requested_amount() == 15'00);
  CHECK(plan.items[1].item.line_id() == "B");
  CHECK(plan.items[1].row == 5);
  CHECK(plan.items[1].cost_item_rows == std::vector<int>{2, 7});
  CHECK(content_of(plan.items[1]).requested_amount() == 200'03);
}

TEST_CASE("every bad row is refused with its row number and reason — good lines go ahead",
          "[import]") {
  Sheet sheet(kLineColumns);
  sheet
      .row(line_row("OK", "好的", "basic"))                               // 2
      .row(cost_row("OK", "经费", "1", "1,000.00"))                       // 3
      .row(line_row("BAD", "坏的", "capital"))                            // 4 enum
      .row(cost_row("BAD", "经费", "1.5", "12.345"))                      // 5 numbers
      .row(indicator_row("BAD", "指标", "output", "speed", "个", "abc"))  // 6 enum, number
      .row({{"row_type", "note"}, {"line_id", "OK2"}})                    // 7 row_type
      .row(cost_row("GHOST", "经费", "1", "1"))                           // 8 no line row
      .row({{"row_type", "cost_item"}, {"name", "无主"}, {"quantity", "1"}, {"unit_price", "1"}})
      // 9 no line_id
      .row(line_row("BAD", "又一次", "basic"))  // 10 duplicate
      .row(Cells{{"row_type", "increment"},
                 {"line_id", "EMPTY"},
                 {"level", "minimum"},
                 {"amount", "1"},
                 {"justification", "x"},
                 {"quantity", "3"}})                          // 11 unused column
      .row(line_row("NOCOST", "无成本", "basic"))             // 12 no cost items
      .row(increment_row("GHOST", "minimum", "-5"));          // 13 negative
  std::string text = sheet.text() + "increment,SHORT,1\r\n";  // 14 field count

  const auto plan = plan_line_import(table_of(text));

  REQUIRE(plan.items.size() == 1);
  CHECK(plan.items[0].item.line_id() == "OK");
  std::map<int, RefusedRow> by_row;
  for (const auto& refused : plan.refused) by_row.emplace(refused.row, refused);
  INFO([&] {
    std::string all;
    for (const auto& r : plan.refused) all += std::to_string(r.row) + " " + r.reason + "\n";
    return all;
  }());
  CHECK(plan.refused.size() == 11);  // rows 4 to 14
  CHECK(contains(by_row.at(4).reason,
                 "category \"capital\" is not one of basic|project|"
                 "department_overall"));
  CHECK(by_row.at(4).line_id == "BAD");
  CHECK(contains(by_row.at(5).reason, "quantity \"1.5\" is not a whole number"));
  CHECK(contains(by_row.at(5).reason, "unit_price \"12.345\" has more than two decimals"));
  CHECK(contains(by_row.at(6).reason, "level2 \"speed\" is not one of quantity|quality|"));
  CHECK(contains(by_row.at(6).reason, "target \"abc\" is not a number"));
  CHECK(contains(by_row.at(7).reason,
                 "row_type \"note\" is not line, cost_item, indicator, increment or plan"));
  CHECK(contains(by_row.at(8).reason, "cost_item of line GHOST, which has no line row"));
  CHECK(contains(by_row.at(9).reason, "line_id is empty"));
  CHECK(contains(by_row.at(10).reason, "line BAD already has its line row (row 4)"));
  CHECK(contains(by_row.at(11).reason, "quantity is not used by increment rows"));
  CHECK(contains(by_row.at(12).reason, "line NOCOST has no cost_item rows"));
  CHECK(contains(by_row.at(13).reason, "amount \"-5\" is negative"));
  CHECK(by_row.at(14).reason == "has 3 fields but the header has 21");
  // The refused rows come in row order, as the table prints them.
  CHECK(std::is_sorted(plan.refused.begin(), plan.refused.end(),
                       [](const auto& a, const auto& b) { return a.row < b.row; }));
}

TEST_CASE("a header with an unknown or repeated column refuses the sheet", "[import]") {
  const auto plan = plan_line_import(table_of("row_type,line_id,titel,line_id\nline,A,x,A\n"));

  CHECK(plan.items.empty());
  REQUIRE(plan.refused.size() == 1);
  CHECK(plan.refused[0].row == 1);
  CHECK(contains(plan.refused[0].reason, "unknown column \"titel\""));
  CHECK(contains(plan.refused[0].reason, "column \"line_id\" appears twice"));
}

TEST_CASE("a refusal naming a cost item, indicator or increment points at its row", "[import]") {
  const auto plan = plan_line_import(table_of(good_sheet().text()));
  const ImportItem& road = plan.items.at(0);

  CHECK(row_of_field(road, "event.create.content.cost_items[1].amount") == 4);
  CHECK(row_of_field(road, "event.create.content.indicators[2].unit") == 7);
  CHECK(row_of_field(road, "event.create.content.increments[0].level") == 8);
  CHECK(row_of_field(road, "event.create.content.title") == 2);
  CHECK(row_of_field(road, "event.create.content.cost_items[9].amount") == 2);
}

TEST_CASE("an indicator row with a level is that package's, and points at its row", "[import]") {
  Sheet sheet = good_sheet();
  Cells of_current = indicator_row("JT-01", "边沟清理里程", "output", "quantity", "公里", "200");
  of_current["level"] = "current";
  Cells of_minimum = indicator_row("JT-01", "应急抢修处置", "output", "quantity", "处", "20");
  of_minimum["level"] = "minimum";
  sheet.row(of_current).row(of_minimum);  // rows 17, 18: after the increments, in any order

  const auto plan = plan_line_import(table_of(sheet.text()));

  CHECK(plan.refused.empty());
  const ImportItem& road = plan.items.at(0);
  const auto& content = content_of(road);
  CHECK(content.indicators_size() == 3);  // the line's own are unchanged
  REQUIRE(content.increments(0).indicators_size() == 1);
  CHECK(content.increments(0).indicators(0).name() == "应急抢修处置");
  REQUIRE(content.increments(1).indicators_size() == 1);
  CHECK(content.increments(1).indicators(0).target() == 200);
  CHECK(row_of_field(road, "event.create.content.increments[1].indicators[0].target") == 17);
  CHECK(row_of_field(road, "event.create.content.increments[0].indicators[0].name") == 18);
  CHECK(row_of_field(road, "event.create.content.increments[1].level") == 9);
  CHECK(row_of_field(road, "event.create.content.increments[0].indicators[3].name") == 2);

  // Before its increment row, a package's indicator row is kept for it all the same.
  Cells of_e = of_minimum;
  of_e["line_id"] = "E";
  Sheet early(kLineColumns);
  early
      .row(line_row("E", "甲", "project"))        // 2
      .row(cost_row("E", "甲一", "1", "10.00"))   // 3
      .row(of_e)                                  // 4
      .row(increment_row("E", "minimum", "10"));  // 5
  const auto early_plan = plan_line_import(table_of(early.text()));
  REQUIRE(early_plan.items.size() == 1);
  CHECK(content_of(early_plan.items[0]).increments(0).indicators_size() == 1);
  CHECK(row_of_field(early_plan.items[0],
                     "event.create.content.increments[0].indicators[0].unit") == 4);

  // A level that is none is refused on its row.
  Cells misnamed = of_minimum;
  misnamed["level"] = "minimal";
  Sheet bad = good_sheet();
  bad.row(misnamed);  // 17
  const auto bad_plan = plan_line_import(table_of(bad.text()));
  REQUIRE(bad_plan.refused.size() == 1);
  CHECK(bad_plan.refused[0].row == 17);
  CHECK(contains(bad_plan.refused[0].reason, "level"));

  // A package the line does not have refuses the line, naming the indicator's row.
  Cells of_enhancement = of_minimum;
  of_enhancement["name"] = "新增里程";
  of_enhancement["level"] = "enhancement";
  sheet.row(of_enhancement);  // 19
  const auto refused = plan_line_import(table_of(sheet.text()));
  REQUIRE(refused.refused.size() == 1);
  CHECK(refused.refused[0].row == 19);
  CHECK(contains(refused.refused[0].reason, "enhancement package"));
  CHECK(refused.items.size() == 2);
}

TEST_CASE("plan rows make a line's spending plan, months without one planning nothing",
          "[import]") {
  const auto plan_row = [](const std::string& month, const std::string& amount) {
    return Cells{{"row_type", "plan"}, {"line_id", "JT-03"}, {"month", month}, {"amount", amount}};
  };
  Sheet sheet = good_sheet();
  sheet.row(plan_row("9", "48,000.00")).row(plan_row("3", "48,000"));  // rows 17, 18
  const auto plan = plan_line_import(table_of(sheet.text()));
  REQUIRE(plan.refused.empty());
  const ImportItem& station = plan.items.at(2);
  const auto& months = content_of(station).monthly_plan();
  REQUIRE(months.size() == 12);
  for (int m = 0; m < 12; ++m) {
    INFO("month " << m + 1);
    CHECK(months[m] == (m == 2 || m == 8 ? 48'000'00 : 0));
  }
  CHECK(row_of_field(station, "event.create.content.monthly_plan[8]") == 17);
  CHECK(row_of_field(station, "event.create.content.monthly_plan[2]") == 18);
  CHECK(row_of_field(station, "event.create.content.monthly_plan[0]") == 14);  // its line row
  // Lines without plan rows have no plan.
  CHECK(content_of(plan.items.at(0)).monthly_plan().empty());

  // A month twice, or one that is none, is refused on its row.
  Sheet bad = good_sheet();
  bad.row(plan_row("3", "1")).row(plan_row("3", "2")).row(plan_row("13", "1"));  // 17, 18, 19
  const auto refused = plan_line_import(table_of(bad.text()));
  REQUIRE(refused.refused.size() == 2);
  CHECK(refused.refused[0].row == 18);
  CHECK(contains(refused.refused[0].reason, "month 3 is already planned (row 17)"));
  CHECK(refused.refused[1].row == 19);
  CHECK(contains(refused.refused[1].reason, "month 13 is not a month"));
  CHECK(refused.items.size() == 2);
}

// --- the execution importer ---

TEST_CASE("an execution sheet becomes spending and indicator progress, refunds negative",
          "[import]") {
  const auto plan = plan_execution_import(
      table_of("row_type,line_id,amount,payment_ref,comment,indicator,actual\n"
               "spending,JT-01,\"125,000.00\",GK-2027-0001,第一笔拨付,,\n"
               "spending,JT-01,-500.5,GK-2027-0002,退款,,\n"
               "indicator_progress,JT-01,,,,养护里程,\"1,160.5\"\n"
               "spending,JT-02,0.001,GK-3,,,\n"
               "indicator_progress,JT-02,5,,,养护里程,\n"));

  REQUIRE(plan.items.size() == 3);
  CHECK(plan.items[0].item.event().record_spending().amount() == 125'000'00);
  CHECK(plan.items[0].item.event().record_spending().payment_ref() == "GK-2027-0001");
  CHECK(plan.items[0].item.event().record_spending().comment() == "第一笔拨付");
  CHECK(plan.items[1].item.event().record_spending().amount() == -500'50);
  CHECK(plan.items[1].row == 3);
  CHECK(plan.items[2].item.event().record_indicator_progress().indicator() == "养护里程");
  CHECK(plan.items[2].item.event().record_indicator_progress().actual() == 1160.5);
  REQUIRE(plan.refused.size() == 2);
  CHECK(plan.refused[0].row == 5);
  CHECK(contains(plan.refused[0].reason, "more than two decimals"));
  CHECK(plan.refused[1].row == 6);
  CHECK(contains(plan.refused[1].reason, "amount is not used by indicator_progress rows"));
  CHECK(contains(plan.refused[1].reason, "actual is empty"));
}

}  // namespace zbb::cli
