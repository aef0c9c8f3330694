// zbbctl import against a real zbbd: sheets of lines and of execution records, as finance
// bureaus exchange them.

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/api_client.h"
#include "tests/county_fixture.h"
#include "tests/server_process.h"

namespace zbb::testing {
namespace {

using Cells = std::map<std::string, std::string>;

// A CSV sheet as a spreadsheet exports it ("CSV UTF-8": a byte order mark, CRLF, every column
// in every row, cells quoted where needed), written to a file.
class Sheet {
 public:
  explicit Sheet(std::vector<std::string> columns) : columns_(std::move(columns)) { add(columns_); }
  Sheet& row(const Cells& cells) {
    std::vector<std::string> fields;
    for (const auto& column : columns_)
      fields.push_back(cells.contains(column) ? cells.at(column) : "");
    add(fields);
    return *this;
  }
  std::string write(const std::string& path) const {
    std::ofstream(path, std::ios::binary) << "\xEF\xBB\xBF" << text_;
    return path;
  }

 private:
  void add(const std::vector<std::string>& fields) {
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
    "qualitative",    "level",    "amount",      "justification"};

const std::vector<std::string> kExecutionColumns = {
    "row_type", "line_id", "amount", "payment_ref", "comment", "indicator", "actual"};

// The rows of one complete line of the transport bureau: its line row, two cost items
// (quantity × unit price), an output and a satisfaction indicator.
void add_line(Sheet& sheet, const std::string& id, const std::string& title,
              const std::string& unit_price, const std::string& department = kTransport) {
  sheet
      .row({{"row_type", "line"},
            {"line_id", id},
            {"fiscal_year", "2027"},
            {"department", department},
            {"programme_code", "P-" + id},
            {"title", title},
            {"category", "project"},
            {"necessity_statement", "路网老化，\n影响群众出行"}})
      .row({{"row_type", "cost_item"},
            {"line_id", id},
            {"name", "路面修补（平方米）"},
            {"quantity", "2,000"},
            {"unit_price", unit_price}})
      .row({{"row_type", "cost_item"},
            {"line_id", id},
            {"name", "桥涵维护（座）"},
            {"quantity", "10"},
            {"unit_price", "25,000.00"}})
      .row({{"row_type", "indicator"},
            {"line_id", id},
            {"name", "养护里程"},
            {"level1", "output"},
            {"level2", "quantity"},
            {"unit", "公里"},
            {"target", "320"},
            {"direction", "at_least"}})
      .row({{"row_type", "indicator"},
            {"line_id", id},
            {"name", "群众满意度"},
            {"level1", "satisfaction"},
            {"level2", "service_object_satisfaction"},
            {"unit", "%"},
            {"target", "90"},
            {"direction", "at_least"}});
}

// Three good lines: rows 2–6, 7–11 and 12–16.
Sheet good_lines() {
  Sheet sheet(kLineColumns);
  add_line(sheet, "JT-A", "农村公路日常养护，一期", "350.00");  // 700,000 + 250,000
  add_line(sheet, "JT-B", "县乡道\"畅通工程\"", "1,000");       // 2,000,000 + 250,000
  add_line(sheet, "JT-C", "桥梁安全巡查", "0.50");              // 1,000 + 250,000
  return sheet;
}

// Two good lines (JT-A at row 2, JT-C at row 12), JT-B with a bad unit price on row 8, and
// JT-D refused by the server: its output indicator has a satisfaction category (row 20).
Sheet mixed_lines() {
  Sheet sheet(kLineColumns);
  add_line(sheet, "JT-A", "农村公路日常养护", "350.00");
  add_line(sheet, "JT-B", "县乡道畅通工程", "12.345");
  add_line(sheet, "JT-C", "桥梁安全巡查", "0.50");
  sheet
      .row({{"row_type", "line"},  // 17
            {"line_id", "JT-D"},
            {"fiscal_year", "2027"},
            {"department", kTransport},
            {"programme_code", "P-D"},
            {"title", "错配指标"},
            {"category", "basic"},
            {"necessity_statement", "需要"}})
      .row({{"row_type", "cost_item"},  // 18
            {"line_id", "JT-D"},
            {"name", "经费"},
            {"quantity", "1"},
            {"unit_price", "100"}})
      .row({{"row_type", "indicator"},  // 19
            {"line_id", "JT-D"},
            {"name", "满意度"},
            {"level1", "satisfaction"},
            {"level2", "service_object_satisfaction"},
            {"unit", "%"},
            {"target", "90"},
            {"direction", "at_least"}})
      .row({{"row_type", "indicator"},  // 20
            {"line_id", "JT-D"},
            {"name", "数量"},
            {"level1", "output"},
            {"level2", "social"},
            {"unit", "个"},
            {"target", "1"},
            {"direction", "at_least"}});
  return sheet;
}

bool exists(ApiClient& client, const std::string& line_id) {
  zbb::v1::BudgetLine line;
  return client.get(line_id, &line).status.ok();
}

}  // namespace

TEST_CASE("a sheet of good lines creates every line", "[e2e][import]") {
  TemporaryDirectory directory;
  ServerProcess server(directory.path(), directory.path() + "/zbb.db");
  const Ctl ctl{server.address()};
  const auto file = good_lines().write(directory.path() + "/lines.csv");

  auto run = ctl(actor::kTransportUnit, {"import", "lines", file});

  INFO(run.out << run.err);
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::Contains("3 lines created, 0 refused"));
  ApiClient unit(server.channel(), token_of(actor::kTransportUnit));
  zbb::v1::BudgetLine line;
  REQUIRE(unit.get("JT-B", &line).status.ok());
  CHECK(line.state() == "draft");
  CHECK(line.content().title() == "县乡道\"畅通工程\"");
  CHECK(line.content().department() == kTransport);
  CHECK(line.content().necessity_statement() == "路网老化，\n影响群众出行");
  CHECK(line.content().requested_amount() == 2'250'000'00);
  REQUIRE(line.content().cost_items_size() == 2);
  CHECK(line.content().cost_items(0).amount() == 2'000'000'00);
  CHECK(line.content().indicators_size() == 2);
  REQUIRE(unit.get("JT-C", &line).status.ok());
  CHECK(line.content().requested_amount() == 251'000'00);
  CHECK(exists(unit, "JT-A"));
}

TEST_CASE("bad rows are reported with their row numbers while the good lines are created",
          "[e2e][import]") {
  TemporaryDirectory directory;
  ServerProcess server(directory.path(), directory.path() + "/zbb.db");
  const Ctl ctl{server.address()};
  ApiClient unit(server.channel(), token_of(actor::kTransportUnit));
  const auto file = mixed_lines().write(directory.path() + "/lines.csv");

  SECTION("item by item: the good lines are created, each bad row is named") {
    auto run = ctl(actor::kTransportUnit, {"import", "lines", file});

    INFO(run.out << run.err);
    CHECK(run.exit_code == 1);
    CHECK_THAT(run.out, Catch::Contains("2 lines created, 2 refused"));
    CHECK_THAT(run.out, Catch::Contains("unit_price \"12.345\" has more than two decimals"));
    CHECK_THAT(run.err, Catch::StartsWith("zbbctl: REFUSED: "));
    CHECK(exists(unit, "JT-A"));
    CHECK(exists(unit, "JT-C"));
    CHECK_FALSE(exists(unit, "JT-B"));
    CHECK_FALSE(exists(unit, "JT-D"));
  }
  SECTION("the JSON report lists the created lines and the refused rows") {
    auto run = ctl(actor::kTransportUnit, {"--json", "import", "lines", file});

    INFO(run.out << run.err);
    CHECK(run.exit_code == 1);
    const auto report = nlohmann::json::parse(run.out);
    CHECK(report["created"] == nlohmann::json::array({"JT-A", "JT-C"}));
    REQUIRE(report["refused"].size() == 2);
    CHECK(report["refused"][0]["row"] == 8);
    CHECK(report["refused"][0]["line_id"] == "JT-B");
    // The server's refusal is placed at the line's `line` row, naming the field and its row.
    CHECK(report["refused"][1]["row"] == 17);
    CHECK(report["refused"][1]["line_id"] == "JT-D");
    const std::string reason = report["refused"][1]["reason"];
    CHECK_THAT(reason, Catch::StartsWith("INVALID_ARGUMENT: event.create.content.indicators[1]") &&
                           Catch::Contains("(row 20)"));
  }
  SECTION("all or nothing: a bad row stops the whole sheet") {
    auto run = ctl(actor::kTransportUnit, {"import", "lines", file, "--all-or-nothing"});

    INFO(run.out << run.err);
    CHECK(run.exit_code == 1);
    CHECK_THAT(run.out, Catch::Contains("nothing was sent (--all-or-nothing)"));
    CHECK_FALSE(exists(unit, "JT-A"));
    CHECK_FALSE(exists(unit, "JT-C"));
  }
}

TEST_CASE("all or nothing: a line the server refuses leaves every line of the sheet uncreated",
          "[e2e][import]") {
  TemporaryDirectory directory;
  ServerProcess server(directory.path(), directory.path() + "/zbb.db");
  const Ctl ctl{server.address()};
  ApiClient unit(server.channel(), token_of(actor::kTransportUnit));
  Sheet sheet = good_lines();
  // The transport bureau may not create a line of the education bureau (rows 17–21).
  add_line(sheet, "JY-E", "校舍维修", "10", kEducation);
  const auto file = sheet.write(directory.path() + "/lines.csv");

  auto run = ctl(actor::kTransportUnit, {"import", "lines", file, "--all-or-nothing"});

  INFO(run.out << run.err);
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.out, Catch::Contains("PERMISSION_DENIED") && Catch::Contains("JY-E") &&
                          Catch::Contains("nothing was created (--all-or-nothing)"));
  CHECK_THAT(run.out, Catch::Matches("(.|\\n)*\\s17\\s+JY-E(.|\\n)*"));
  CHECK_FALSE(exists(unit, "JT-A"));
  CHECK_FALSE(exists(unit, "JT-B"));
}

TEST_CASE("importing a sheet again with the same request id creates nothing twice",
          "[e2e][import]") {
  TemporaryDirectory directory;
  ServerProcess server(directory.path(), directory.path() + "/zbb.db");
  const Ctl ctl{server.address()};
  const auto file = good_lines().write(directory.path() + "/lines.csv");
  const std::vector<std::string> import = {"--json", "import",       "lines",
                                           file,     "--request-id", "bureau-2027-lines"};

  auto first = ctl(actor::kTransportUnit, import);
  auto second = ctl(actor::kTransportUnit, import);

  INFO(first.out << first.err << second.out << second.err);
  REQUIRE(first.exit_code == 0);
  REQUIRE(second.exit_code == 0);
  CHECK(nlohmann::json::parse(first.out)["created"].size() == 3);
  const auto again = nlohmann::json::parse(second.out);
  CHECK(again["created"].empty());
  CHECK(again["already_created"] == nlohmann::json::array({"JT-A", "JT-B", "JT-C"}));
  ApiClient unit(server.channel(), token_of(actor::kTransportUnit));
  zbb::v1::GetHistoryResponse history;
  REQUIRE(unit.history("JT-A", &history).status.ok());
  CHECK(history.events_size() == 1);
}

TEST_CASE(
    "a large sheet goes in batches, and its re-run under the same request id creates "
    "nothing twice",
    "[e2e][import]") {
  TemporaryDirectory directory;
  ServerProcess server(directory.path(), directory.path() + "/zbb.db");
  const Ctl ctl{server.address()};
  Sheet sheet(kLineColumns);
  for (int i = 1; i <= 1005; ++i) add_line(sheet, fmt::format("JT-{:04}", i), "日常养护", "1");
  const auto file = sheet.write(directory.path() + "/lines.csv");
  const std::vector<std::string> import = {"--json", "--timeout", "60",           "import",
                                           "lines",  file,        "--request-id", "bulk-1"};

  auto first = ctl(actor::kTransportUnit, import);
  auto second = ctl(actor::kTransportUnit, import);

  INFO(first.err << second.err);
  REQUIRE(first.exit_code == 0);
  REQUIRE(second.exit_code == 0);
  CHECK(nlohmann::json::parse(first.out)["created"].size() == 1005);
  const auto again = nlohmann::json::parse(second.out);
  CHECK(again["created"].empty());
  CHECK(again["already_created"].size() == 1005);
  ApiClient unit(server.channel(), token_of(actor::kTransportUnit));
  zbb::v1::GetHistoryResponse history;
  REQUIRE(unit.history("JT-1005", &history).status.ok());
  REQUIRE(history.events_size() == 1);
  // Item 4 of the second batch: batches hold at most 1,000 lines.
  CHECK(history.events(0).request_id() == "bulk-1/1/4");
}

TEST_CASE("all or nothing refuses a sheet of more than 10,000 lines before sending it",
          "[e2e][import]") {
  TemporaryDirectory directory;
  ServerProcess server(directory.path(), directory.path() + "/zbb.db");
  const Ctl ctl{server.address()};
  Sheet sheet(kLineColumns);
  for (int i = 1; i <= 10001; ++i) add_line(sheet, fmt::format("JT-{:05}", i), "日常养护", "1");
  const auto file = sheet.write(directory.path() + "/lines.csv");

  auto run = ctl(actor::kTransportUnit, {"import", "lines", file, "--all-or-nothing"});

  CHECK(run.exit_code == 2);
  CHECK_THAT(run.err, Catch::StartsWith("zbbctl: USAGE: ") && Catch::Contains("10001 lines") &&
                          Catch::Contains("at most 10000"));
  ApiClient unit(server.channel(), token_of(actor::kTransportUnit));
  CHECK_FALSE(exists(unit, "JT-00001"));
}

TEST_CASE("an execution sheet records spending and indicator progress on executing lines",
          "[e2e][import]") {
  TemporaryDirectory directory;
  ServerProcess server(directory.path(), directory.path() + "/zbb.db",
                       {"--clock-start", "2027-12-20T09:00:00Z"});
  const Ctl ctl{server.address()};
  REQUIRE(ctl(actor::kTransportUnit,
              {"import", "lines", good_lines().write(directory.path() + "/lines.csv")})
              .exit_code == 0);

  // JT-A and JT-B through review, funding and every approval level; JT-C stays a draft.
  int request = 0;
  auto step = [&](const std::string& principal, const std::string& line,
                  const zbb::v1::LineEvent& event) {
    ApiClient client(server.channel(), token_of(principal));
    auto result = client.push("drive-" + std::to_string(++request), line, event);
    INFO(principal << " on " << line << ": " << result.status.error_message());
    REQUIRE(result.status.ok());
  };
  for (const std::string line : {"JT-A", "JT-B"}) {
    zbb::v1::BudgetLine read;
    REQUIRE(
        ApiClient(server.channel(), token_of(actor::kTransportUnit)).get(line, &read).status.ok());
    const auto amount = read.content().requested_amount();
    step(actor::kTransportUnit, line, event_of([](auto& e) { e.mutable_submit(); }));
    step(actor::kReviewer, line, event_of([](auto& e) { e.mutable_start_target_review(); }));
    REQUIRE(
        ApiClient(server.channel(), token_of(actor::kTransportUnit)).get(line, &read).status.ok());
    if (!read.assessment_due().empty()) step(actor::kReviewer, line, approving_assessment());
    step(actor::kReviewer, line,
         event_of([](auto& e) { e.mutable_review_targets()->set_accept(true); }));
    step(actor::kRankingOffice, line,
         event_of([&](auto& e) { e.mutable_fund()->set_amount(amount); }));
    for (const auto& [approver, level] : approval_chain())
      step(approver, line, event_of([&](auto& e) {
             auto* d = e.mutable_decide();
             d->set_level(level);
             d->set_decision(zbb::v1::DECISION_APPROVE);
             d->set_amount(amount);
           }));
  }

  Sheet execution(kExecutionColumns);
  execution
      .row({{"row_type", "spending"},  // 2
            {"line_id", "JT-A"},
            {"amount", "300,000.00"},
            {"payment_ref", "GK-2027-0001"},
            {"comment", "第一批拨付，路面修补"}})
      .row({{"row_type", "spending"},  // 3: a refund
            {"line_id", "JT-A"},
            {"amount", "-20,000.50"},
            {"payment_ref", "GK-2027-0001-R"},
            {"comment", "退回多付款"}})
      .row({{"row_type", "indicator_progress"},  // 4
            {"line_id", "JT-A"},
            {"indicator", "养护里程"},
            {"actual", "160.5"}})
      .row({{"row_type", "spending"},  // 5
            {"line_id", "JT-B"},
            {"amount", "1,000,000"},
            {"payment_ref", "GK-2027-0002"}})
      .row({{"row_type", "spending"},  // 6: JT-C is a draft
            {"line_id", "JT-C"},
            {"amount", "100"},
            {"payment_ref", "GK-2027-0003"}})
      .row({{"row_type", "spending"},  // 7: more than approved
            {"line_id", "JT-B"},
            {"amount", "5,000,000"},
            {"payment_ref", "GK-2027-0004"}})
      .row({{"row_type", "spending"},  // 8: not an amount
            {"line_id", "JT-B"},
            {"amount", "一百元"},
            {"payment_ref", "GK-2027-0005"}})
      .row({{"row_type", "spending"},  // 9: no payment reference
            {"line_id", "JT-B"},
            {"amount", "1"}});
  const auto file = execution.write(directory.path() + "/execution.csv");

  auto run = ctl(actor::kTreasury, {"--json", "import", "execution", file});

  INFO(run.out << run.err);
  CHECK(run.exit_code == 1);
  const auto report = nlohmann::json::parse(run.out);
  CHECK(report["recorded"].size() == 4);
  REQUIRE(report["refused"].size() == 4);
  CHECK(report["refused"][0]["row"] == 6);
  CHECK_THAT(report["refused"][0]["reason"].get<std::string>(),
             Catch::StartsWith("FAILED_PRECONDITION"));
  CHECK(report["refused"][1]["row"] == 7);
  CHECK_THAT(report["refused"][1]["reason"].get<std::string>(),
             Catch::StartsWith("FAILED_PRECONDITION") && Catch::Contains("approved"));
  CHECK(report["refused"][2]["row"] == 8);
  CHECK(report["refused"][3]["row"] == 9);
  CHECK_THAT(report["refused"][3]["reason"].get<std::string>(),
             Catch::StartsWith("INVALID_ARGUMENT: event.record_spending.payment_ref"));

  ApiClient supervisor(server.channel(), token_of("audit.supervisor.lin"));
  zbb::v1::BudgetLine line;
  REQUIRE(supervisor.get("JT-A", &line).status.ok());
  CHECK(line.spent_amount() == 279'999'50);
  REQUIRE(line.content().indicators_size() == 2);
  CHECK(line.content().indicators(0).actual() == 160.5);
  REQUIRE(supervisor.get("JT-B", &line).status.ok());
  CHECK(line.spent_amount() == 1'000'000'00);

  SECTION("all or nothing: a refused record leaves the others unrecorded") {
    Sheet atomic(kExecutionColumns);
    atomic
        .row({{"row_type", "spending"},
              {"line_id", "JT-A"},
              {"amount", "1"},
              {"payment_ref", "GK-2027-0010"}})
        .row({{"row_type", "spending"},
              {"line_id", "JT-C"},
              {"amount", "1"},
              {"payment_ref", "GK-2027-0011"}});
    auto refused =
        ctl(actor::kTreasury, {"import", "execution",
                               atomic.write(directory.path() + "/atomic.csv"), "--all-or-nothing"});

    INFO(refused.out << refused.err);
    CHECK(refused.exit_code == 1);
    CHECK_THAT(refused.out, Catch::Contains("JT-C") && Catch::Contains("nothing was recorded"));
    REQUIRE(supervisor.get("JT-A", &line).status.ok());
    CHECK(line.spent_amount() == 279'999'50);
  }
}

}  // namespace zbb::testing
