// zbbctl against a real zbbd: the paths reviewers, approvers and supervisors take.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/api_client.h"
#include "tests/county_fixture.h"
#include "tests/server_process.h"

namespace zbb::testing {
namespace {

std::size_t count_lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

TEST_CASE("a reviewer and an approver work through their queues with zbbctl", "[e2e][zbbctl]") {
  TemporaryDirectory directory;
  ServerProcess server(directory.path(), directory.path() + "/zbb.db");
  ApiClient unit(server.channel(), token_of(actor::kTransportUnit));
  REQUIRE(unit.create("c-1", "JT-1", road_maintenance_content()).status.ok());
  REQUIRE(unit.push("s-1", "JT-1", event_of([](auto& e) { e.mutable_submit(); })).status.ok());
  const Ctl ctl{server.address()};

  auto queue = ctl(actor::kReviewer, {"queue"});
  REQUIRE(queue.exit_code == 0);
  CHECK_THAT(queue.out, Catch::Contains("JT-1") && Catch::Contains("农村公路日常养护"));

  REQUIRE(ctl(actor::kReviewer, {"take", "JT-1"}).exit_code == 0);
  ApiClient reviewer(server.channel(), token_of(actor::kReviewer));
  REQUIRE(reviewer.push("a-1", "JT-1", approving_assessment()).status.ok());
  auto accepted = ctl(actor::kReviewer, {"review", "JT-1", "--accept", "--comment", "目标明确"});
  REQUIRE(accepted.exit_code == 0);
  CHECK_THAT(accepted.out, Catch::Contains("ranking.awaiting_ranking"));
  REQUIRE(
      ctl(actor::kRankingOffice, {"push", "JT-1", "--event", R"({"fund":{"amount":"100000000"}})"})
          .exit_code == 0);

  SECTION("the approver approves at the level the line waits on") {
    auto mine = ctl(actor::kDepartmentHead, {"queue"});
    CHECK_THAT(mine.out, Catch::Contains("JT-1"));
    CHECK(ctl(actor::kBudgetSection, {"queue"}).out.find("JT-1") == std::string::npos);
    auto approved = ctl(actor::kDepartmentHead,
                        {"approve", "JT-1", "--amount", "950,000.00", "--comment", "同意"});
    REQUIRE(approved.exit_code == 0);
    CHECK_THAT(approved.out, Catch::Contains("approver:budget_section"));
    zbb::v1::BudgetLine line;
    REQUIRE(unit.get("JT-1", &line).status.ok());
    CHECK(line.granted_amount() == 950'000'00);
  }
  SECTION("a refused step exits non-zero with a one-line reason") {
    auto too_much = ctl(actor::kDepartmentHead, {"approve", "JT-1", "--amount", "1,000,000.01"});
    CHECK(too_much.exit_code == 1);
    CHECK(count_lines(too_much.err) == 1);
    CHECK_THAT(too_much.err,
               Catch::StartsWith("zbbctl: INVALID_ARGUMENT: ") && Catch::Contains("amount"));
    auto not_mine = ctl(actor::kBudgetSection, {"approve", "JT-1", "--amount", "1"});
    CHECK(not_mine.exit_code == 1);
    CHECK_THAT(not_mine.err, Catch::StartsWith("zbbctl: PERMISSION_DENIED: ") &&
                                 Catch::Contains("needs role approver:department_head"));
    auto bad_amount = ctl(actor::kDepartmentHead, {"approve", "JT-1", "--amount", "1.234"});
    CHECK(bad_amount.exit_code == 2);
  }
}

TEST_CASE("a reviewer sees a copied justification flagged in the queue and in the line",
          "[e2e][zbbctl][copied]") {
  TemporaryDirectory directory;
  ServerProcess server(directory.path(), directory.path() + "/zbb.db");
  ApiClient unit(server.channel(), token_of(actor::kTransportUnit));
  auto last_year = road_maintenance_content();
  last_year.set_fiscal_year(last_year.fiscal_year() - 1);
  REQUIRE(unit.create("c-1", "JT-1", last_year).status.ok());
  REQUIRE(unit.create("c-2", "JT-2", road_maintenance_content()).status.ok());
  REQUIRE(unit.push("s-2", "JT-2", event_of([](auto& e) { e.mutable_submit(); })).status.ok());
  const Ctl ctl{server.address()};

  zbb::v1::BudgetLine line;
  REQUIRE(unit.get("JT-2", &line).status.ok());
  REQUIRE(line.copied_size() == 2);
  CHECK(line.copied(0).part() == "necessity_statement");
  CHECK(line.copied(0).line_id() == "JT-1");
  CHECK(line.copied(0).similarity_permille() == 1000);

  auto queue = ctl(actor::kReviewer, {"queue"});
  REQUIRE(queue.exit_code == 0);
  CHECK_THAT(queue.out, Catch::Contains("JT-2") && Catch::Contains("copied 100.0 %"));
  auto show = ctl(actor::kReviewer, {"show", "JT-2"});
  REQUIRE(show.exit_code == 0);
  CHECK_THAT(show.out, Catch::Contains("necessity statement 100.0 % like line JT-1 of " +
                                       std::to_string(last_year.fiscal_year())));
  // The submit event of the history says it too (the flags above end with the year).
  CHECK_THAT(show.out, Catch::Contains("cost items 100.0 % like line JT-1 of programme " +
                                       last_year.programme_code() + "\n"));
}

TEST_CASE("a supervisor lists lines, reads a history and follows the stream with zbbctl",
          "[e2e][zbbctl]") {
  TemporaryDirectory directory;
  ServerProcess server(directory.path(), directory.path() + "/zbb.db");
  ApiClient unit(server.channel(), token_of(actor::kTransportUnit));
  for (const char* id : {"JT-1", "JT-2", "JT-3"}) {
    const auto created = unit.create(std::string("c-") + id, id, road_maintenance_content());
    INFO("code " << created.status.error_code() << ": " << created.status.error_message()
                 << "\nzbbd: " << server.log());
    REQUIRE(created.status.ok());
  }
  REQUIRE(unit.push("s-1", "JT-2", event_of([](auto& e) { e.mutable_submit(); })).status.ok());
  const Ctl ctl{server.address()};
  const std::string supervisor = "audit.supervisor.lin";

  auto list = ctl(supervisor, {"list", "--year", "2027", "--all"});
  REQUIRE(list.exit_code == 0);
  CHECK_THAT(list.out,
             Catch::Contains("JT-1") && Catch::Contains("JT-2") && Catch::Contains("JT-3"));
  auto submitted = ctl(supervisor, {"list", "--state", "justification.submitted"});
  CHECK_THAT(submitted.out, Catch::Contains("JT-2") && !Catch::Contains("JT-3"));

  auto show = ctl(supervisor, {"--json", "show", "JT-2"});
  REQUIRE(show.exit_code == 0);
  const auto document = nlohmann::json::parse(show.out);
  CHECK(document["line"]["state"] == "justification.submitted");
  CHECK(document["events"].size() == 2);

  auto watch = ctl(supervisor, {"watch", "--after", "1", "--count", "3"});
  REQUIRE(watch.exit_code == 0);
  CHECK(count_lines(watch.out) == 3);
  CHECK_THAT(watch.out,
             Catch::StartsWith("2 ") && Catch::Contains("JT-2") && Catch::Contains("submit"));

  auto unit_watch = ctl(actor::kTransportUnit, {"watch", "--count", "1"});
  CHECK(unit_watch.exit_code == 1);
  CHECK_THAT(unit_watch.err, Catch::StartsWith("zbbctl: PERMISSION_DENIED: "));
}

}  // namespace zbb::testing

namespace zbb::testing {

TEST_CASE("a reviewer ranks a department and runs the monitoring round with zbbctl",
          "[e2e][zbbctl]") {
  TemporaryDirectory directory;
  ServerProcess server(directory.path(), directory.path() + "/zbb.db",
                       {"--clock-start", "2027-12-20T09:00:00Z"});
  ApiClient unit(server.channel(), token_of(actor::kTransportUnit));
  ApiClient reviewer(server.channel(), token_of(actor::kReviewer));
  for (const auto& [id, score] :
       std::vector<std::pair<std::string, int>>{{"JT-1", 90}, {"JT-2", 60}}) {
    REQUIRE(unit.create("c-" + id, id, road_maintenance_content()).status.ok());
    REQUIRE(unit.push("s-" + id, id, event_of([](auto& e) { e.mutable_submit(); })).status.ok());
    REQUIRE(reviewer.push("t-" + id, id, event_of([](auto& e) { e.mutable_start_target_review(); }))
                .status.ok());
    REQUIRE(reviewer.push("a-" + id, id, approving_assessment()).status.ok());
    REQUIRE(reviewer
                .push("r-" + id, id,
                      event_of([](auto& e) { e.mutable_review_targets()->set_accept(true); }))
                .status.ok());
    REQUIRE(reviewer
                .push("p-" + id, id, event_of([&](auto& e) {
                        for (const char* c :
                             {"necessity", "urgency", "expected_effect", "public_attention"}) {
                          auto* s = e.mutable_score_priority()->add_scores();
                          s->set_criterion(c);
                          s->set_score(score);
                        }
                      }))
                .status.ok());
  }
  const Ctl ctl{server.address()};
  // A preview under the same request id: the cut shown, nothing written, the id left free.
  auto preview = ctl(actor::kRankingOffice,
                     {"rank", "--year", "2027", "--department", kTransport, "--envelope",
                      "1,250,000", "--request-id", "rank-1", "--dry-run"});
  INFO(preview.err);
  REQUIRE(preview.exit_code == 0);
  CHECK_THAT(preview.out, Catch::Contains("cut at package 2: JT-2") &&
                              Catch::Contains("preview only: nothing was written"));
  zbb::v1::BudgetLine previewed;
  REQUIRE(reviewer.get("JT-2", &previewed).status.ok());
  CHECK(previewed.state() == "ranking.awaiting_ranking");
  auto ranked = ctl(actor::kRankingOffice, {"rank", "--year", "2027", "--department", kTransport,
                                            "--envelope", "1,250,000", "--request-id", "rank-1"});
  INFO(ranked.err);
  REQUIRE(ranked.exit_code == 0);
  CHECK_THAT(ranked.out, Catch::Contains("JT-1") && Catch::Contains("cut at package 2: JT-2"));
  CHECK_THAT(ranked.out, Catch::Contains("funded 1,250,000.00"));
  auto again = ctl(actor::kRankingOffice, {"rank", "--year", "2027", "--department", kTransport,
                                           "--envelope", "1,250,000", "--request-id", "rank-1"});
  CHECK_THAT(again.out, Catch::Contains("already done"));
  CHECK_THAT(ranked.out, !Catch::Contains("preview only"));
  zbb::v1::BudgetLine line;
  REQUIRE(reviewer.get("JT-2", &line).status.ok());
  CHECK(line.state() == "unfunded");

  auto nothing = ctl(actor::kTreasury, {"monitor", "--year", "2027", "--as-of", "2027-06-30"});
  CHECK(nothing.exit_code == 1);
  CHECK_THAT(nothing.err,
             Catch::StartsWith("zbbctl: FAILED_PRECONDITION: ") && Catch::Contains("is executing"));
  auto unit_ranks = ctl(actor::kTransportUnit, {"rank", "--year", "2027", "--envelope", "1"});
  CHECK_THAT(unit_ranks.err, Catch::StartsWith("zbbctl: PERMISSION_DENIED: "));
}

}  // namespace zbb::testing
