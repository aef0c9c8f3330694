// Decision packages with indicators of their own: what each package delivers beyond those below
// it. Only the packages a line is funded with issue their targets; a line approved below its
// request restates those too, and monitoring and evaluation measure them.

#include <catch2/catch.hpp>

#include "tests/county_fixture.h"
#include "workflows/issued_indicators.h"
#include "workflows/line_rules.h"
#include "workflows/ranking_run.h"
#include "workflows/state_ids.h"

namespace zbb::testing {
namespace {

namespace s = review::state;

constexpr Fen kMinimum = 875'000'00;
constexpr Fen kCurrent = 375'000'00;

// The road request in two packages, each with an output indicator of its own.
LineContent packaged_road_request() {
  LineContent c = packaged_request(kTransport, "JT-ROAD-001", kMinimum, kCurrent, 0);
  *c.mutable_increments(0)->add_indicators() =
      quantitative("应急抢修处置", v1::INDICATOR_LEVEL1_OUTPUT, v1::INDICATOR_LEVEL2_QUANTITY, "处",
                   20, v1::DIRECTION_AT_LEAST);
  *c.mutable_increments(1)->add_indicators() =
      quantitative("边沟清理里程", v1::INDICATOR_LEVEL1_OUTPUT, v1::INDICATOR_LEVEL2_QUANTITY,
                   "公里", 200, v1::DIRECTION_AT_LEAST);
  return c;
}

std::string field_of(const Status& status) {
  if (status.ok()) return "OK";
  return std::string(code_name(status.code())) + " " + status.field();
}

std::vector<IncrementLevel> levels(std::initializer_list<IncrementLevel> list) { return list; }

// A line funded at `funded` without a ranking, approved at that and waiting on its unit.
void approved_at(County& county, const std::string& id, Fen funded) {
  county.create(id, packaged_road_request());
  county.score_for_ranking(id, 80);
  REQUIRE(county.act(actor::kRankingOffice, id, fund_line(funded, "控制数以内")).ok());
  county.drive_to(id, s::kRestatingTargets);
}

// Approves the line at `amount` through every level of the chain.
void approve_through_chain(County& county, const std::string& id, Fen amount) {
  for (const auto& [approver, level] : approval_chain())
    REQUIRE(county.act(approver, id, decide_approval(level, v1::DECISION_APPROVE, amount, "同意"))
                .ok());
}

}  // namespace

TEST_CASE("a package's indicators follow the line's rules, their names unique across the line",
          "[packages]") {
  REQUIRE(review::validate_content(packaged_road_request()).ok());

  LineContent zero_target = packaged_road_request();
  zero_target.mutable_increments(1)->mutable_indicators(0)->set_target(0);
  CHECK(field_of(review::validate_content(zero_target)) ==
        "INVALID_ARGUMENT increments[1].indicators[0].target");

  LineContent reported = packaged_road_request();
  reported.mutable_increments(0)->mutable_indicators(0)->set_actual(3);
  CHECK(field_of(review::validate_content(reported)) ==
        "INVALID_ARGUMENT increments[0].indicators[0].actual");

  LineContent bad_level = packaged_road_request();
  bad_level.mutable_increments(0)->mutable_indicators(0)->set_level1(
      static_cast<IndicatorLevel1>(99));
  CHECK(field_of(review::validate_content(bad_level)) ==
        "INVALID_ARGUMENT increments[0].indicators[0].level1");

  LineContent as_the_line = packaged_road_request();
  as_the_line.mutable_increments(0)->mutable_indicators(0)->set_name("养护里程");
  CHECK(field_of(review::validate_content(as_the_line)) ==
        "INVALID_ARGUMENT increments[0].indicators[0].name");

  LineContent as_another_package = packaged_road_request();
  as_another_package.mutable_increments(1)->mutable_indicators(0)->set_name("应急抢修处置");
  CHECK(field_of(review::validate_content(as_another_package)) ==
        "INVALID_ARGUMENT increments[1].indicators[0].name");

  // The limit counts the packages' indicators with the line's.
  LineContent many = packaged_road_request();
  const int room = static_cast<int>(review::kMaxIndicators) - many.indicators_size() - 2;
  for (int i = 0; i < room; ++i)
    *many.mutable_increments(1)->add_indicators() =
        quantitative("指标" + std::to_string(i), v1::INDICATOR_LEVEL1_OUTPUT,
                     v1::INDICATOR_LEVEL2_QUANTITY, "个", 1, v1::DIRECTION_AT_LEAST);
  CHECK(review::validate_content(many).ok());
  *many.mutable_increments(0)->add_indicators() =
      quantitative("再多一个", v1::INDICATOR_LEVEL1_OUTPUT, v1::INDICATOR_LEVEL2_QUANTITY, "个", 1,
                   v1::DIRECTION_AT_LEAST);
  CHECK(field_of(review::validate_content(many)) == "INVALID_ARGUMENT indicators");
}

TEST_CASE("a line's funded packages: the ranking's, else those the funded amount covers",
          "[packages]") {
  BudgetLine line;
  *line.mutable_content() = road_maintenance_request();
  line.set_funded_amount(line.content().requested_amount());
  CHECK(review::funded_levels(line).empty());  // no packages: the line's own indicators only

  *line.mutable_content() = packaged_road_request();
  line.set_funded_amount(0);
  CHECK(review::funded_levels(line).empty());  // not funded yet
  line.set_funded_amount(1);
  CHECK(review::funded_levels(line) == levels({v1::INCREMENT_LEVEL_MINIMUM}));
  line.set_funded_amount(kMinimum + kCurrent - 1);
  CHECK(review::funded_levels(line) == levels({v1::INCREMENT_LEVEL_MINIMUM}));
  line.set_funded_amount(kMinimum + kCurrent);
  CHECK(review::funded_levels(line) ==
        levels({v1::INCREMENT_LEVEL_MINIMUM, v1::INCREMENT_LEVEL_CURRENT}));

  // What the approval covers of them, the minimum always.
  CHECK(review::levels_covered(line, kMinimum + kCurrent) ==
        levels({v1::INCREMENT_LEVEL_MINIMUM, v1::INCREMENT_LEVEL_CURRENT}));
  CHECK(review::levels_covered(line, kMinimum + kCurrent - 1) ==
        levels({v1::INCREMENT_LEVEL_MINIMUM}));
  CHECK(review::levels_covered(line, 1) == levels({v1::INCREMENT_LEVEL_MINIMUM}));
  // Until the last approval records them, the funded levels are the issued ones.
  CHECK(review::issued_levels(line) == review::funded_levels(line));
  line.add_issued_levels(v1::INCREMENT_LEVEL_MINIMUM);
  CHECK(review::issued_levels(line) == levels({v1::INCREMENT_LEVEL_MINIMUM}));
  line.clear_issued_levels();

  // A ranking says which packages it funded.
  line.mutable_placement()->add_funded_levels(v1::INCREMENT_LEVEL_MINIMUM);
  CHECK(review::funded_levels(line) == levels({v1::INCREMENT_LEVEL_MINIMUM}));

  const auto issued = review::issued_indicators(line);
  REQUIRE(issued.size() == 5);
  CHECK(issued.back()->name() == "应急抢修处置");
  const auto unfunded = review::find_issued_indicator(line, "边沟清理里程", "indicator");
  CHECK(field_of(unfunded.status()) == "INVALID_ARGUMENT indicator");
  CHECK_THAT(unfunded.status().message(),
             Catch::Contains("current package's, which was not funded"));
  CHECK(field_of(
            review::find_issued_indicator(line, "不存在", "final_actuals[0].indicator").status()) ==
        "INVALID_ARGUMENT final_actuals[0].indicator");
  const auto found = review::find_issued_indicator(line, "路况优良率", "indicator");
  REQUIRE(found.ok());
  CHECK((*found)->target() == 85);
}

TEST_CASE("approved at its minimum package, a line restates that package's targets, not the rest",
          "[packages][restated]") {
  County county;
  approved_at(county, "A", kMinimum);
  BudgetLine line = county.line("A");
  const auto& due = line.restated_targets();
  REQUIRE(due.requested_packages_size() == 1);
  CHECK(due.requested_packages(0).level() == v1::INCREMENT_LEVEL_MINIMUM);
  REQUIRE(due.requested_packages(0).indicators_size() == 1);
  CHECK(due.requested_packages(0).indicators(0).name() == "应急抢修处置");

  RestateTargets without_packages = restated_in_proportion(line);
  without_packages.clear_packages();
  CHECK(field_of(county.act(actor::kTransportUnit, "A", without_packages).status()) ==
        "INVALID_ARGUMENT packages");
  RestateTargets other_package = restated_in_proportion(line);
  other_package.mutable_packages(0)->set_level(v1::INCREMENT_LEVEL_CURRENT);
  CHECK(field_of(county.act(actor::kTransportUnit, "A", other_package).status()) ==
        "INVALID_ARGUMENT packages[0].level");
  RestateTargets renamed = restated_in_proportion(line);
  renamed.mutable_packages(0)->mutable_indicators(0)->set_name("别的指标");
  CHECK(field_of(county.act(actor::kTransportUnit, "A", renamed).status()) ==
        "INVALID_ARGUMENT packages[0].indicators[0].name");
  RestateTargets negative = restated_in_proportion(line);
  negative.mutable_packages(0)->mutable_indicators(0)->set_target(-1);
  CHECK(field_of(county.act(actor::kTransportUnit, "A", negative).status()) ==
        "INVALID_ARGUMENT packages[0].indicators[0].target");

  RestateTargets restated = restated_in_proportion(line);
  restated.mutable_packages(0)->mutable_indicators(0)->set_target(15);
  REQUIRE(county.act(actor::kTransportUnit, "A", restated).ok());
  CHECK(county.line("A").restated_targets().restated_packages(0).indicators(0).target() == 15);
  REQUIRE(county.act(actor::kReviewer, "A", review_restated_targets(true, "同意")).ok());

  line = county.line("A");
  CHECK(line.state() == s::kExecuting);
  // Issued: the minimum package's restated target; the current package keeps its request's.
  CHECK(line.content().increments(0).indicators(0).target() == 15);
  CHECK(line.content().increments(1).indicators(0).target() == 200);
  CHECK(line.restated_targets().requested_packages(0).indicators(0).target() == 20);

  // Progress is reported on the funded package's indicator, not on the other's.
  REQUIRE(county.act(actor::kTreasury, "A", record_indicator_progress("应急抢修处置", 6)).ok());
  CHECK(county.line("A").content().increments(0).indicators(0).actual() == 6);
  const auto unfunded =
      county.act(actor::kTreasury, "A", record_indicator_progress("边沟清理里程", 50));
  CHECK(field_of(unfunded.status()) == "INVALID_ARGUMENT indicator");
  CHECK_THAT(unfunded.status().message(), Catch::Contains("not funded"));
  CHECK(field_of(county
                     .act(actor::kTransportUnit, "A",
                          propose_adjustment(v1::ADJUSTMENT_KIND_REVISE_TARGET, 0, "边沟清理里程",
                                             100, "雨季提前"))
                     .status()) == "INVALID_ARGUMENT indicator");
  // A target revision of the funded package's indicator is approved like any other.
  REQUIRE(county
              .act(actor::kTransportUnit, "A",
                   propose_adjustment(v1::ADJUSTMENT_KIND_REVISE_TARGET, 0, "应急抢修处置", 12,
                                      "抢修点位减少"))
              .ok());
  REQUIRE(county
              .act(actor::kBudgetSection, "A",
                   decide_adjustment("budget_section", v1::DECISION_APPROVE, "同意"))
              .ok());
  REQUIRE(county
              .act(actor::kBureauHead, "A",
                   decide_adjustment("bureau_head", v1::DECISION_APPROVE, "同意"))
              .ok());
  CHECK(county.state("A") == s::kExecuting);
  CHECK(county.line("A").content().increments(0).indicators(0).target() == 12);
}

TEST_CASE("evaluation measures the funded packages' indicators and not the others'",
          "[packages][restated]") {
  County county;
  approved_at(county, "A", kMinimum);
  county.drive_to("A", s::kSelfEvaluation);
  const BudgetLine line = county.line("A");

  // Every issued target reached but the minimum package's, which did nothing: the output part
  // is two of three output indicators (the line's two and the package's), the current package's
  // never counted.
  SubmitSelfEvaluation evaluation = submit_self_evaluation({}, 90, "按计划完成");
  for (const Indicator& indicator : line.content().indicators())
    if (!indicator.qualitative())
      *evaluation.add_final_actuals() = indicator_value(indicator.name(), indicator.target());
  *evaluation.add_final_actuals() = indicator_value("应急抢修处置", 0);

  SubmitSelfEvaluation naming_unfunded = evaluation;
  *naming_unfunded.add_final_actuals() = indicator_value("边沟清理里程", 200);
  CHECK(field_of(county.act(actor::kTransportUnit, "A", naming_unfunded).status()) ==
        "INVALID_ARGUMENT final_actuals[5].indicator");

  REQUIRE(county.act(actor::kTransportUnit, "A", evaluation).ok());
  const int64_t output_points = county.workflow.policies().current().evaluation().output_points();
  CHECK(county.line("A").evaluation().output_tenths() == output_points * 10 * 2 / 3);
}

TEST_CASE("an approval below the funded packages issues only those the money covers",
          "[packages][restated]") {
  County county;
  county.create("A", packaged_road_request());
  county.score_for_ranking("A", 80);
  REQUIRE(county.act(actor::kRankingOffice, "A", fund_line(kMinimum + kCurrent, "全额")).ok());

  SECTION("approved in full: both packages issued, nothing to restate") {
    approve_through_chain(county, "A", kMinimum + kCurrent);
    const BudgetLine line = county.line("A");
    CHECK(line.state() == s::kExecuting);
    CHECK(review::issued_levels(line) ==
          levels({v1::INCREMENT_LEVEL_MINIMUM, v1::INCREMENT_LEVEL_CURRENT}));
    CHECK(review::issued_indicators(line).size() == 6);
    REQUIRE(county.act(actor::kTreasury, "A", record_indicator_progress("边沟清理里程", 50)).ok());
  }
  SECTION("approved at less than both: the current package is not issued") {
    approve_through_chain(county, "A", kMinimum + kCurrent - 100'00);
    const BudgetLine line = county.line("A");
    CHECK(line.state() == s::kRestatingTargets);
    CHECK(review::issued_levels(line) == levels({v1::INCREMENT_LEVEL_MINIMUM}));
    REQUIRE(line.restated_targets().requested_packages_size() == 1);
    CHECK(line.restated_targets().requested_packages(0).level() == v1::INCREMENT_LEVEL_MINIMUM);
    county.drive_to("A", s::kExecuting);
    CHECK(county.act(actor::kTreasury, "A", record_indicator_progress("边沟清理里程", 50))
              .status()
              .code() == Code::kInvalidArgument);
  }
}

TEST_CASE("a ranking that funds the minimum package issues only its indicators",
          "[packages][restated]") {
  County county;
  county.create("A", packaged_road_request());
  county.score_for_ranking("A", 80);
  // The envelope holds the minimum package and a little more: the current one is cut.
  review::RankRequest request{"rank-2027-transport", principal_of(actor::kRankingOffice), 2027,
                              kTransport, kMinimum + 100'00};
  auto run = review::run_ranking(county.engine, county.workflow.policies(), request);
  INFO(run.status().to_string());
  REQUIRE(run.ok());
  BudgetLine line = county.line("A");
  CHECK(line.funded_amount() == kMinimum);
  CHECK(review::funded_levels(line) == levels({v1::INCREMENT_LEVEL_MINIMUM}));

  county.drive_to("A", s::kRestatingTargets);
  line = county.line("A");
  REQUIRE(line.restated_targets().requested_packages_size() == 1);
  CHECK(line.restated_targets().requested_packages(0).indicators(0).name() == "应急抢修处置");
  county.drive_to("A", s::kExecuting);
  CHECK(review::issued_levels(county.line("A")) == levels({v1::INCREMENT_LEVEL_MINIMUM}));
}

TEST_CASE("no progress is reported on a package's qualitative indicator", "[packages]") {
  County county;
  LineContent content = packaged_road_request();
  Indicator& quality = *content.mutable_increments(0)->add_indicators();
  quality.set_name("抢修质量");
  quality.set_level1(v1::INDICATOR_LEVEL1_OUTPUT);
  quality.set_level2(v1::INDICATOR_LEVEL2_QUALITY);
  quality.set_qualitative(true);
  county.create("A", content);
  county.drive_to("A", s::kExecuting);
  const auto refused = county.act(actor::kTreasury, "A", record_indicator_progress("抢修质量", 1));
  CHECK(field_of(refused.status()) == "INVALID_ARGUMENT indicator");
  CHECK_THAT(refused.status().message(), Catch::Contains("qualitative"));
}

}  // namespace zbb::testing
