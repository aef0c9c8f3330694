// The evaluation after the year: the national scoring method (targets met earn full points, below
// them in proportion; qualitative indicators by grade bands; satisfaction against its target),
// focused evaluation by a third party (selected by the policy or picked by a reviewer), and
// finance's re-review of the evaluation in force, each change with its reason.

#include <catch2/catch.hpp>

#include "tests/county_fixture.h"
#include "workflows/evaluation_rules.h"
#include "workflows/performance.h"
#include "workflows/state_ids.h"

namespace zbb::testing {
namespace {

namespace s = review::state;

const std::string kLine = "JT-2027-001";

Indicator indicator(const std::string& name, IndicatorLevel1 level1, bool qualitative,
                    double target, std::optional<double> actual) {
  Indicator out;
  out.set_name(name);
  out.set_level1(level1);
  out.set_qualitative(qualitative);
  if (!qualitative) {
    out.set_target(target);
    out.set_direction(zbb::v1::DIRECTION_AT_LEAST);
    out.set_unit("%");
  }
  if (actual) out.set_actual(*actual);
  return out;
}

// Approved 10,000.00 yuan, 90 % spent; two quantitative outputs (one met, one half done), a
// qualitative output, an effect beyond its target and no satisfaction indicator.
BudgetLine scored_line() {
  BudgetLine line;
  line.set_id(kLine);
  line.set_approved_amount(1'000'000);
  line.set_spent_amount(900'000);
  auto& indicators = *line.mutable_content()->mutable_indicators();
  *indicators.Add() = indicator("O1", zbb::v1::INDICATOR_LEVEL1_OUTPUT, false, 100, 100);
  *indicators.Add() = indicator("O2", zbb::v1::INDICATOR_LEVEL1_OUTPUT, false, 100, 50);
  *indicators.Add() = indicator("Q1", zbb::v1::INDICATOR_LEVEL1_OUTPUT, true, 0, std::nullopt);
  *indicators.Add() = indicator("E1", zbb::v1::INDICATOR_LEVEL1_EFFECT, false, 80, 120);
  return line;
}

review::QualitativeGrades grades(std::vector<QualitativeGrade> list) {
  review::QualitativeGrades out;
  for (auto& grade : list) *out.Add() = std::move(grade);
  return out;
}

// The road line with a qualitative effect indicator of its own.
LineContent road_with_qualitative() {
  LineContent content = road_maintenance_request();
  Indicator& q = *content.add_indicators();
  q.set_name("群众出行便利");
  q.set_level1(zbb::v1::INDICATOR_LEVEL1_EFFECT);
  q.set_level2(zbb::v1::INDICATOR_LEVEL2_SOCIAL);
  q.set_qualitative(true);
  return content;
}

// Every quantitative target of the road line reached.
SubmitSelfEvaluation road_targets_met(std::vector<QualitativeGrade> qualitative = {}) {
  SubmitSelfEvaluation out = submit_self_evaluation(
      {{"养护里程", 96}, {"完工及时率", 95}, {"路况优良率", 85}, {"沿线群众满意度", 90}}, 92,
      "完成全年养护任务");
  for (auto& grade : qualitative) *out.add_qualitative() = std::move(grade);
  return out;
}

}  // namespace

TEST_CASE(
    "the national method: a target met earns full points, one below it a share in "
    "proportion, a qualitative indicator its grade's percent",
    "[evaluation][scoring]") {
  const auto policies = default_policies();
  const auto& policy = policies.current();
  const BudgetLine line = scored_line();
  // Execution 90 % → 9.0; outputs (1 + 0.5 + 0.9) / 3 → 40.0; the effect beyond its target earns
  // no more than full → 30.0; no satisfaction indicator: the survey 81 % of the 90 % target → 9.0.
  const Evaluation e =
      review::score_evaluation(line, policy, 81, grades({qualitative_grade("Q1", "achieved", 90)}));
  CHECK(e.execution_tenths() == 90);
  CHECK(e.output_tenths() == 400);
  CHECK(e.effect_tenths() == 300);
  CHECK(e.satisfaction_tenths() == 90);
  CHECK(e.score_tenths() == 880);
  CHECK(e.grade() == "good");
  REQUIRE(e.qualitative_size() == 1);

  SECTION("the survey earns full points at its target, and no more above it") {
    CHECK(review::score_evaluation(line, policy, 90, e.qualitative()).satisfaction_tenths() == 100);
    CHECK(review::score_evaluation(line, policy, 100, e.qualitative()).satisfaction_tenths() ==
          100);
    // 89 / 90 of 10 points: 9.9.
    CHECK(review::score_evaluation(line, policy, 89, e.qualitative()).satisfaction_tenths() == 99);
  }
  SECTION("a policy without a satisfaction target judges the survey on 100 %") {
    auto without = policy;
    without.mutable_evaluation()->clear_satisfaction_target_percent();
    CHECK(review::score_evaluation(line, without, 81, e.qualitative()).satisfaction_tenths() == 81);
  }
  SECTION("a satisfaction indicator is judged against its own target, not the survey") {
    BudgetLine with = line;
    *with.mutable_content()->add_indicators() =
        indicator("S1", zbb::v1::INDICATOR_LEVEL1_SATISFACTION, false, 90, 72);
    CHECK(review::score_evaluation(with, policy, 100, e.qualitative()).satisfaction_tenths() == 80);
  }
  SECTION("a qualitative indicator not graded (an older evaluation) is left out of its part") {
    // (1 + 0.5) / 2 of 50 points.
    CHECK(review::score_evaluation(line, policy, 81, {}).output_tenths() == 375);
  }
  SECTION("grades of each band count as their percent") {
    CHECK(review::score_evaluation(line, policy, 81,
                                   grades({qualitative_grade("Q1", "not_achieved", 0)}))
              .output_tenths() == 250);
  }
}

TEST_CASE("every qualitative indicator is graded once, in a band of the policy, within its range",
          "[evaluation][scoring]") {
  const auto policies = default_policies();
  const auto& policy = policies.current();
  const BudgetLine line = scored_line();
  auto check = [&](std::vector<QualitativeGrade> list) {
    return review::check_qualitative_grades(line, policy, grades(std::move(list)), "qualitative");
  };
  CHECK(check({qualitative_grade("Q1", "achieved", 80)}).ok());
  CHECK(check({qualitative_grade("Q1", "achieved", 100)}).ok());
  CHECK(check({qualitative_grade("Q1", "partly_achieved", 79)}).ok());
  CHECK(check({qualitative_grade("Q1", "partly_achieved", 60)}).ok());
  CHECK(check({qualitative_grade("Q1", "not_achieved", 59)}).ok());

  const Status below = check({qualitative_grade("Q1", "achieved", 79)});
  CHECK(below.field() == "qualitative[0].percent");
  CHECK_THAT(below.message(), Catch::Contains("80..100"));
  CHECK(check({qualitative_grade("Q1", "not_achieved", 60)}).field() == "qualitative[0].percent");
  const Status band = check({qualitative_grade("Q1", "excellent", 90)});
  CHECK(band.field() == "qualitative[0].band");
  CHECK_THAT(band.message(), Catch::Contains("partly_achieved"));
  CHECK(check({qualitative_grade("O1", "achieved", 90)}).field() == "qualitative[0].indicator");
  CHECK(check({qualitative_grade("无此指标", "achieved", 90)}).field() ==
        "qualitative[0].indicator");
  CHECK(check({qualitative_grade("Q1", "achieved", 90), qualitative_grade("Q1", "achieved", 95)})
            .field() == "qualitative[1].indicator");
  const Status missing = check({});
  CHECK(missing.code() == Code::kInvalidArgument);
  CHECK(missing.field() == "qualitative");
  CHECK_THAT(missing.message(), Catch::Contains("Q1"));
}

TEST_CASE("the policy selects lines approved above its threshold or red during the year",
          "[evaluation][focused]") {
  zbb::policy::FocusedSelection rule;
  rule.set_approved_above(500'000'000);
  rule.set_red_during_year(true);
  BudgetLine line = scored_line();

  line.set_approved_amount(500'000'000);
  CHECK(review::focused_selection(line, rule).empty());
  line.set_approved_amount(500'000'001);
  const auto above = review::focused_selection(line, rule);
  REQUIRE(above.size() == 1);
  CHECK(above[0] == "approved 5,000,000.01 yuan, above the policy's 5,000,000.00");
  rule.set_approved_above(0);  // the rule left out
  CHECK(review::focused_selection(line, rule).empty());

  SECTION("a red verdict counted, or one an older line's record shows") {
    BudgetLine counted = line;
    counted.set_red_verdicts(1);
    BudgetLine latest = line;
    latest.mutable_monitoring()->set_level(zbb::v1::WARNING_LEVEL_RED);
    BudgetLine corrected = line;
    corrected.mutable_correction()->set_level(zbb::v1::WARNING_LEVEL_RED);
    BudgetLine adjusted = line;
    adjusted.add_adjustments()->set_under_red_warning(true);
    for (const BudgetLine& red : {counted, latest, corrected, adjusted}) {
      CHECK(review::had_red_verdict(red));
      CHECK(review::focused_selection(red, rule) ==
            std::vector<std::string>{"a red warning during the year"});
    }
    BudgetLine yellow = line;
    yellow.mutable_monitoring()->set_level(zbb::v1::WARNING_LEVEL_YELLOW);
    yellow.add_adjustments()->set_under_red_warning(false);
    CHECK_FALSE(review::had_red_verdict(yellow));
    CHECK(review::focused_selection(yellow, rule).empty());
    rule.set_red_during_year(false);
    CHECK(review::focused_selection(counted, rule).empty());
  }
}

TEST_CASE("the self-evaluation grades each qualitative indicator in a band of the policy",
          "[evaluation][machine]") {
  County county;
  county.create(kLine, road_with_qualitative());
  county.drive_to(kLine, s::kSelfEvaluation);

  const auto ungraded = county.act(actor::kTransportUnit, kLine, road_targets_met());
  CHECK(ungraded.status().code() == Code::kInvalidArgument);
  CHECK(ungraded.status().field() == "qualitative");
  CHECK_THAT(ungraded.status().message(), Catch::Contains("群众出行便利"));
  const auto outside =
      county.act(actor::kTransportUnit, kLine,
                 road_targets_met({qualitative_grade("群众出行便利", "achieved", 70)}));
  CHECK(outside.status().field() == "qualitative[0].percent");
  CHECK(county.state(kLine) == s::kSelfEvaluation);

  REQUIRE(county
              .act(actor::kTransportUnit, kLine,
                   road_targets_met({qualitative_grade("群众出行便利", "partly_achieved", 70)}))
              .ok());
  const BudgetLine line = county.line(kLine);
  CHECK(line.state() == s::kScored);
  // Effect: 路况优良率 met (1.0) and the qualitative one at 70 % → 0.85 of 30 points.
  CHECK(line.evaluation().effect_tenths() == 255);
  CHECK(line.evaluation().satisfaction_tenths() == 100);
  REQUIRE(line.evaluation().qualitative_size() == 1);
  CHECK(line.evaluation().qualitative(0).band() == "partly_achieved");
  CHECK_FALSE(line.has_focused());
  CHECK(line.waiting_on() == "reviewer");
}

TEST_CASE(
    "a line red during the year is evaluated again by a third party, whose evaluation "
    "replaces the unit's",
    "[evaluation][focused][machine]") {
  County county;
  county.create(kLine, road_maintenance_request());
  county.drive_to(kLine, s::kExecuting);
  // Half the money paid by 06-30 and nothing delivered: red. A cut lifts the warning.
  county.clock.set(at(2027, 7, 1));
  REQUIRE(county.act(actor::kTreasury, kLine, record_spending(625'000'00, "GK-1", "")).ok());
  REQUIRE(county
              .act(actor::kReviewer, kLine,
                   run_checkpoint(std::chrono::year(2027) / std::chrono::June / 30))
              .ok());
  REQUIRE(county.state(kLine) == s::kRedWarning);
  CHECK(county.line(kLine).red_verdicts() == 1);
  REQUIRE(county
              .act(actor::kTransportUnit, kLine,
                   propose_adjustment(zbb::v1::ADJUSTMENT_KIND_REDUCE, 100'000'00, "", 0,
                                      "部分路段由省级资金覆盖"))
              .ok());
  REQUIRE(county.act(actor::kBudgetSection, kLine, decide_adjustment("budget_section")).ok());
  REQUIRE(county.act(actor::kBureauHead, kLine, decide_adjustment("bureau_head")).ok());
  REQUIRE(county.state(kLine) == s::kExecuting);
  county.drive_to(kLine, s::kSelfEvaluation);

  REQUIRE(county.act(actor::kTransportUnit, kLine, road_targets_met()).ok());
  BudgetLine line = county.line(kLine);
  CHECK(line.state() == s::kFocusedEvaluation);
  CHECK(line.waiting_on() == "evaluator");
  REQUIRE(line.focused().reasons_size() == 1);
  CHECK(line.focused().reasons(0) == "a red warning during the year");
  CHECK(line.focused().selected_by() == "zbb");
  const Evaluation self = line.evaluation();

  CHECK(county.act(actor::kReviewer, kLine, close_line("")).status().code() ==
        Code::kFailedPrecondition);
  const auto by_unit = county.act(actor::kTransportUnit, kLine,
                                  submit_focused_evaluation({}, {}, 90, "单位不能评价自己"));
  CHECK(by_unit.status().code() == Code::kPermissionDenied);
  CHECK_THAT(by_unit.status().message(), Catch::Contains("evaluator"));

  // The third party finds the maintained length short of what the unit reported.
  REQUIRE(county
              .act(actor::kThirdParty, kLine,
                   submit_focused_evaluation({{"养护里程", 48}}, {}, 90, "核查发现半数路段未完工"))
              .ok());
  line = county.line(kLine);
  CHECK(line.state() == s::kScored);
  CHECK(line.waiting_on() == "reviewer");
  CHECK(line.evaluation().focused());
  CHECK(line.evaluation().submitted_by() == actor::kThirdParty);
  // Outputs (0.5 + 1) / 2 of 50 points, where the unit reported both met.
  CHECK(line.evaluation().output_tenths() == 375);
  CHECK(self.output_tenths() == 500);
  CHECK(line.evaluation().score_tenths() == self.score_tenths() - 125);
  CHECK(line.self_evaluation().SerializeAsString() == self.SerializeAsString());
  CHECK(line.focused().evaluated_by() == actor::kThirdParty);

  // Neither the unit's writer nor the evaluator judges it; a reviewer closes it.
  const auto evaluator_reviews =
      county.act_as(Principal{actor::kThirdParty, {"evaluator", "reviewer"}}, kLine,
                    review_evaluation({{"output", 400, "复核"}}));
  CHECK(evaluator_reviews.status().code() == Code::kPermissionDenied);
  CHECK_THAT(evaluator_reviews.status().message(), Catch::Contains("focused evaluation"));
  county.clock.set(at(2028, 2, 1));  // the final accounts closed: its unspent money is settled
  REQUIRE(county.act(actor::kEvaluationOffice, kLine, close_line("归档")).ok());
  CHECK(county.state(kLine) == s::kClosed);
}

TEST_CASE("a reviewer picks a scored line for focused evaluation once, before finance reviews it",
          "[evaluation][focused][machine]") {
  County county;
  county.create(kLine, road_maintenance_request());
  county.drive_to(kLine, s::kScored);
  // 1,250,000.00 yuan and never red: the policy did not select it.
  CHECK_FALSE(county.line(kLine).has_focused());

  SECTION("picked, it waits on the evaluator; picked again, refused") {
    REQUIRE(county.act(actor::kReviewer, kLine, select_focused_evaluation("群众反映较多")).ok());
    BudgetLine line = county.line(kLine);
    CHECK(line.state() == s::kFocusedEvaluation);
    CHECK(line.focused().selected_by() == actor::kReviewer);
    CHECK(line.focused().reasons(0) == "群众反映较多");
    county.drive_to(kLine, s::kScored);
    const auto again = county.act(actor::kReviewer, kLine, select_focused_evaluation("再评"));
    CHECK(again.status().code() == Code::kFailedPrecondition);
    CHECK_THAT(again.status().message(), Catch::Contains("already selected"));
  }
  SECTION("after finance's review, too late") {
    REQUIRE(
        county.act(actor::kReviewer, kLine, review_evaluation({{"effect", 250, "效益偏高"}})).ok());
    const auto late = county.act(actor::kReviewer, kLine, select_focused_evaluation("再评"));
    CHECK(late.status().code() == Code::kFailedPrecondition);
  }
  SECTION("a reason is required") {
    CHECK(county.act(actor::kReviewer, kLine, select_focused_evaluation(" ")).status().field() ==
          "reason");
  }
}

TEST_CASE(
    "finance re-reviews the evaluation: each part it sets has a reason, and the history "
    "keeps what it replaced",
    "[evaluation][review][machine]") {
  County county;
  county.create(kLine, road_maintenance_request());
  county.drive_to(kLine, s::kScored);
  const Evaluation before = county.line(kLine).evaluation();
  REQUIRE(before.output_tenths() == 500);

  auto review = [&](ReviewEvaluation r) { return county.act(actor::kReviewer, kLine, r); };
  CHECK(review(review_evaluation({})).status().field() == "parts");
  CHECK(review(review_evaluation({{"quality", 100, "x"}})).status().field() == "parts[0].part");
  const auto too_many = review(review_evaluation({{"output", 501, "x"}}));
  CHECK(too_many.status().field() == "parts[0].tenths");
  CHECK_THAT(too_many.status().message(), Catch::Contains("at most 500"));
  CHECK(review(review_evaluation({{"output", 400, "x"}, {"output", 300, "y"}})).status().field() ==
        "parts[1].part");
  CHECK(review(review_evaluation({{"output", 400, ""}})).status().field() == "parts[0].reason");
  CHECK(review(review_evaluation({{"output", 450, "x"}},
                                 {{qualitative_grade("养护里程", "achieved", 90), "x"}}))
            .status()
            .field() == "regrades[0].grade.indicator");
  CHECK(county.act(actor::kTransportUnit, kLine, review_evaluation({{"output", 400, "x"}}))
            .status()
            .code() == Code::kPermissionDenied);
  CHECK(county.line(kLine).evaluation().reviews_size() == 0);

  REQUIRE(review(review_evaluation({{"output", 400, "部分路段验收不合格"}}, {}, "财政复核")).ok());
  Evaluation after = county.line(kLine).evaluation();
  CHECK(after.output_tenths() == 400);
  CHECK(after.score_tenths() == before.score_tenths() - 100);
  REQUIRE(after.reviews_size() == 1);
  const auto& record = after.reviews(0);
  CHECK(record.parts(0).reason() == "部分路段验收不合格");
  CHECK(record.parts_before(0) == 500);
  CHECK(record.score_tenths_before() == before.score_tenths());
  CHECK(record.grade_before() == before.grade());
  CHECK(record.score_tenths_after() == after.score_tenths());
  CHECK(record.grade_after() == after.grade());
  CHECK(record.reviewed_by() == actor::kReviewer);
  CHECK(county.state(kLine) == s::kScored);

  // A payment booked before the final accounts close rescores the line; the part finance set
  // keeps its points.
  const Fen left = county.line(kLine).approved_amount() - county.line(kLine).spent_amount();
  REQUIRE(left > 0);
  REQUIRE(county.act(actor::kTreasury, kLine, record_spending(left, "GK-12", "")).ok());
  after = county.line(kLine).evaluation();
  CHECK(after.execution_tenths() == 100);
  CHECK(after.output_tenths() == 400);
  CHECK(after.reviews_size() == 1);

  REQUIRE(county.act(actor::kEvaluationOffice, kLine, close_line("归档")).ok());
  CHECK(county.line(kLine).evaluation().output_tenths() == 400);
}

TEST_CASE("finance regrades a qualitative indicator with a reason",
          "[evaluation][review][machine]") {
  County county;
  county.create(kLine, road_with_qualitative());
  county.drive_to(kLine, s::kScored);  // graded achieved, 100 %
  REQUIRE(county.line(kLine).evaluation().effect_tenths() == 300);

  CHECK(county
            .act(actor::kReviewer, kLine,
                 review_evaluation({},
                                   {{qualitative_grade("群众出行便利", "not_achieved", 60), "x"}}))
            .status()
            .field() == "regrades[0].grade.percent");
  CHECK(
      county
          .act(actor::kReviewer, kLine,
               review_evaluation({}, {{qualitative_grade("群众出行便利", "not_achieved", 30), ""}}))
          .status()
          .field() == "regrades[0].reason");
  REQUIRE(county
              .act(actor::kReviewer, kLine,
                   review_evaluation({}, {{qualitative_grade("群众出行便利", "not_achieved", 30),
                                           "走访发现群众出行仍不便"}}))
              .ok());
  const Evaluation e = county.line(kLine).evaluation();
  // (1.0 + 0.3) / 2 of 30 points.
  CHECK(e.effect_tenths() == 195);
  CHECK(e.qualitative(0).band() == "not_achieved");
  REQUIRE(e.reviews(0).grades_before_size() == 1);
  CHECK(e.reviews(0).grades_before(0).band() == "achieved");
  CHECK(e.reviews(0).grades_before(0).percent() == 100);
  CHECK(e.reviews(0).regrades(0).reason() == "走访发现群众出行仍不便");
}

}  // namespace zbb::testing

namespace zbb::testing {

TEST_CASE("a review changes something, and never hides a grade under a part it sets",
          "[evaluation][review][machine]") {
  County county;
  county.create(kLine, road_with_qualitative());
  county.drive_to(kLine, s::kScored);  // 群众出行便利 graded achieved, 100 %
  const Evaluation before = county.line(kLine).evaluation();
  auto review = [&](ReviewEvaluation r) { return county.act(actor::kReviewer, kLine, r); };

  const auto same_part = review(review_evaluation({{"output", before.output_tenths(), "复核"}}));
  CHECK(same_part.status().field() == "parts[0].tenths");
  CHECK_THAT(same_part.status().message(), Catch::Contains("nothing to change"));
  const auto same_grade =
      review(review_evaluation({}, {{qualitative_grade("群众出行便利", "achieved", 100), "复核"}}));
  CHECK(same_grade.status().field() == "regrades[0].grade");
  // Set and regraded at once: the part's points would hide the grade.
  const auto both =
      review(review_evaluation({{"effect", 200, "抽检"}},
                               {{qualitative_grade("群众出行便利", "not_achieved", 30), "走访"}}));
  CHECK(both.status().field() == "regrades[0].grade.indicator");
  CHECK_THAT(both.status().message(), Catch::Contains("effect part"));

  REQUIRE(review(review_evaluation({{"effect", 200, "抽检"}})).ok());
  // An earlier review set the part: the grade would change nothing.
  CHECK(review(review_evaluation({},
                                 {{qualitative_grade("群众出行便利", "not_achieved", 30), "走访"}}))
            .status()
            .field() == "regrades[0].grade.indicator");
  CHECK(county.line(kLine).evaluation().reviews_size() == 1);
}

TEST_CASE("a review or a late payment leaves the parts it does not touch as they were scored",
          "[evaluation][review]") {
  const auto policies = default_policies();
  const auto& policy = policies.current();
  // An evaluation scored before the national method: satisfaction 8.0 from a survey of 80 %,
  // where the method now gives the line 10.0 (its survey against the 90 % target).
  BudgetLine line = scored_line();
  line.mutable_content()->mutable_indicators(2)->set_qualitative(false);  // no qualitative one
  line.mutable_content()->mutable_indicators(2)->set_target(100);
  line.mutable_content()->mutable_indicators(2)->set_direction(zbb::v1::DIRECTION_AT_LEAST);
  line.mutable_content()->mutable_indicators(2)->set_actual(100);
  Evaluation& old = *line.mutable_evaluation();
  old.set_satisfaction_percent(90);
  old.set_execution_tenths(90);
  old.set_output_tenths(417);
  old.set_effect_tenths(300);
  old.set_satisfaction_tenths(80);
  old.set_score_tenths(887);
  old.set_grade("good");

  REQUIRE(review::apply_review(line, policy, review_evaluation({{"output", 400, "抽检"}}),
                               actor::kReviewer, Timestamp{})
              .ok());
  CHECK(line.evaluation().satisfaction_tenths() == 80);
  CHECK(line.evaluation().score_tenths() == 870);
  CHECK(line.evaluation().reviews(0).score_tenths_before() == 887);
  CHECK(line.evaluation().reviews(0).score_tenths_after() == 870);

  // A payment: only the execution part is scored again (95 % → 9.5).
  line.set_spent_amount(950'000);
  const Evaluation paid = review::rescored_execution(line, policy, line.evaluation());
  CHECK(paid.execution_tenths() == 95);
  CHECK(paid.output_tenths() == 400);
  CHECK(paid.satisfaction_tenths() == 80);
  CHECK(paid.score_tenths() == 875);
}

TEST_CASE("the third party is neither of the line's department nor the reviewer who picked it",
          "[evaluation][focused][machine]") {
  County county;
  county.create(kLine, road_maintenance_request());
  county.drive_to(kLine, s::kScored);
  const Principal picker{"reviewer.and.evaluator", {"reviewer", "evaluator"}};
  REQUIRE(county.act_as(picker, kLine, select_focused_evaluation("抽查")).ok());
  const auto own =
      county.act_as(Principal{"evaluator.transport", {"evaluator", "unit:" + kTransport}}, kLine,
                    submit_focused_evaluation({}, {}, 90, "核查"));
  CHECK(own.status().code() == Code::kPermissionDenied);
  CHECK_THAT(own.status().message(), Catch::Contains("its own department"));
  const auto picked = county.act_as(picker, kLine, submit_focused_evaluation({}, {}, 90, "核查"));
  CHECK(picked.status().code() == Code::kPermissionDenied);
  CHECK_THAT(picked.status().message(), Catch::Contains("picked line"));
  REQUIRE(
      county.act(actor::kThirdParty, kLine, submit_focused_evaluation({}, {}, 90, "核查")).ok());
}

}  // namespace zbb::testing
