// Copied justifications: a request that restates another line's justification is flagged to
// reviewers when it is submitted (refused, under a policy that says so).

#include <catch2/catch.hpp>

#include <algorithm>

#include "tests/county_fixture.h"
#include "workflows/state_ids.h"

namespace zbb::testing {
namespace {

namespace s = review::state;

// The road request with its own words: a necessity statement and cost items no other line of
// the county has.
LineContent own_words(LineContent content, const std::string& necessity) {
  content.set_necessity_statement(necessity);
  for (auto& item : *content.mutable_cost_items()) item.set_name(necessity + item.name());
  return content;
}

// The shipped policy with its copy rule changed, and an engine over the county's store under it.
struct UnderRule {
  UnderRule(County& county, std::uint32_t threshold_percent, bool refuse_copied)
      : workflow(policies(county, threshold_percent, refuse_copied)),
        engine(*county.store, workflow, county.clock) {}

  static review::PolicySet policies(County& county, std::uint32_t threshold_percent,
                                    bool refuse_copied) {
    auto policy = county.workflow.policies().current();
    policy.mutable_copied_justification()->set_threshold_percent(threshold_percent);
    policy.mutable_copied_justification()->set_refuse_copied(refuse_copied);
    auto set = review::PolicySet::from_policies({policy}, policy.version());
    REQUIRE(set.ok());
    return std::move(set).value();
  }

  Result<CommandOutcome> submit(const std::string& line_id) {
    Command command{County::next_request_id(),
                    principal_of(actor::kTransportUnit),
                    {{line_id, std::nullopt, submit_line()}}};
    return engine.execute(command);
  }

  review::ZeroBasedReview workflow;
  Engine engine;
};

std::string copied_text(const BudgetLine& line) {
  std::string text;
  for (const auto& part : line.copied())
    text += part.part() + " " + part.line_id() + " " + std::to_string(part.fiscal_year()) + " " +
            std::to_string(part.similarity_permille()) + "\n";
  return text;
}

}  // namespace

TEST_CASE("a request restating its programme's line of last year is flagged when submitted",
          "[copied]") {
  County county;
  county.create("JT-2027", road_maintenance_request(2027));
  county.create("JT-2028", road_maintenance_request(2028));
  CHECK(county.line("JT-2028").copied().empty());  // nothing is judged before submission

  REQUIRE(county.act(actor::kTransportUnit, "JT-2028", submit_line()).ok());

  const BudgetLine line = county.line("JT-2028");
  CHECK(line.state() == s::kSubmitted);
  CHECK(copied_text(line) ==
        "necessity_statement JT-2027 2027 1000\n"
        "cost_items JT-2027 2027 1000\n");
  // The submission's event keeps what was found, for the history and the audit.
  const auto decided = payload_of(county.history("JT-2028").back()).decided();
  REQUIRE(decided.copied_size() == 2);
  CHECK(decided.copied(0).line_id() == "JT-2027");
}

TEST_CASE("a justification carried over under another programme's code is flagged too",
          "[copied]") {
  County county;
  LineContent other_programme = road_maintenance_request(2026);
  other_programme.set_programme_code("JT-OTHER-001");
  county.create("JT-OTHER-2026", other_programme);
  county.create("JT-2027", road_maintenance_request(2027));

  REQUIRE(county.act(actor::kTransportUnit, "JT-2027", submit_line()).ok());

  const BudgetLine line = county.line("JT-2027");
  REQUIRE(line.copied_size() == 2);
  for (const auto& part : line.copied()) {
    CHECK(part.line_id() == "JT-OTHER-2026");
    CHECK(part.programme_code() == "JT-OTHER-001");
    CHECK(part.similarity_permille() == 1000);
  }
}

TEST_CASE("a policy that refuses copies names the other programme of the line copied", "[copied]") {
  County county;
  UnderRule refusing(county, 90, true);
  LineContent other_programme = road_maintenance_request(2026);
  other_programme.set_programme_code("JT-OTHER-001");
  county.create("JT-OTHER-2026", other_programme);
  county.create("JT-2027", road_maintenance_request(2027));

  auto refused = refusing.submit("JT-2027");

  REQUIRE(refused.status().code() == Code::kInvalidArgument);
  CHECK_THAT(refused.status().message(),
             Catch::Contains("line JT-OTHER-2026 (programme JT-OTHER-001) of 2026"));
}

TEST_CASE("a submission waits in a batch for the department's lines of last year it compares",
          "[copied]") {
  County county;
  LineContent other_programme = road_maintenance_request(2026);
  other_programme.set_programme_code("JT-OTHER-001");
  county.create("JT-OTHER-2026", other_programme);
  county.create("JT-2027", road_maintenance_request(2027));
  const BudgetLine line = county.line("JT-2027");
  const BudgetLine other = county.line("JT-OTHER-2026");

  const auto filters = county.workflow.reads(line, submit_line());
  CHECK(std::any_of(filters.begin(), filters.end(),
                    [&](const LineFilter& filter) { return matches(filter, other); }));
}

TEST_CASE("of equally similar lines, the programme's own is named", "[copied]") {
  County county;
  // The other programme's line comes first by id; the programme's own is named all the same.
  LineContent other_programme = road_maintenance_request(2026);
  other_programme.set_programme_code("JT-OTHER-001");
  county.create("JT-0-OTHER-2026", other_programme);
  county.create("JT-2026", road_maintenance_request(2026));
  county.create("JT-2027", road_maintenance_request(2027));

  REQUIRE(county.act(actor::kTransportUnit, "JT-2027", submit_line()).ok());

  const BudgetLine line = county.line("JT-2027");
  REQUIRE(line.copied_size() == 2);
  for (const auto& part : line.copied()) {
    CHECK(part.line_id() == "JT-2026");
    CHECK(part.programme_code() == line.content().programme_code());
  }
}

TEST_CASE("lines of another department, of the same year or of two years before are not compared",
          "[copied]") {
  County county;
  LineContent education = road_maintenance_request(2026);
  education.set_department(kEducation);
  county.create("JY-2026", education, actor::kEducationUnit);
  county.create("JT-2025", road_maintenance_request(2025));
  county.create("JT-2027-A", road_maintenance_request(2027));
  LineContent same_year_other = road_maintenance_request(2027);
  same_year_other.set_programme_code("JT-OTHER-001");
  county.create("JT-OTHER-2027", same_year_other);
  county.create("JT-2027", road_maintenance_request());

  REQUIRE(county.act(actor::kTransportUnit, "JT-2027", submit_line()).ok());

  CHECK(county.line("JT-2027").copied().empty());
}

TEST_CASE("a part is flagged at the policy's threshold, and not just below it", "[copied]") {
  County county;
  // n characters make n − 1 bigrams, and changing the last one keeps n − 2 of them: eleven
  // characters are then exactly 90 % alike, ten 88.9 %, thirteen 91.7 %. Last year's line of
  // the programme says the eleven.
  county.create("JT-2026", own_words(road_maintenance_request(2026), "甲乙丙丁戊己庚辛壬癸子"));
  auto necessity_of = [&](const std::string& line_id) -> std::optional<CopiedText> {
    const BudgetLine line = county.line(line_id);
    for (const auto& part : line.copied())
      if (part.part() == "necessity_statement") return part;
    return std::nullopt;
  };

  SECTION("exactly 90 %: flagged") {
    county.create("JT-2027", own_words(road_maintenance_request(2027), "甲乙丙丁戊己庚辛壬癸丑"));
    REQUIRE(county.act(actor::kTransportUnit, "JT-2027", submit_line()).ok());
    const auto copied = necessity_of("JT-2027");
    REQUIRE(copied);
    CHECK(copied->line_id() == "JT-2026");
    CHECK(copied->similarity_permille() == 900);
  }
  SECTION("88.9 %: not flagged") {
    LineContent shorter = own_words(road_maintenance_request(2026), "甲乙丙丁戊己庚辛壬癸");
    shorter.set_programme_code("JT-SHORT-001");
    county.create("JT-SHORT-2026", shorter);
    LineContent content = own_words(road_maintenance_request(2027), "甲乙丙丁戊己庚辛壬子");
    content.set_programme_code("JT-SHORT-001");
    county.create("JT-SHORT-2027", content);
    REQUIRE(county.act(actor::kTransportUnit, "JT-SHORT-2027", submit_line()).ok());
    CHECK_FALSE(necessity_of("JT-SHORT-2027"));
  }
  SECTION("under a threshold of 91 %, 90 % is not flagged and 91.7 % is") {
    UnderRule rule(county, 91, false);
    county.create("JT-2027", own_words(road_maintenance_request(2027), "甲乙丙丁戊己庚辛壬癸丑"));
    REQUIRE(rule.submit("JT-2027").ok());
    CHECK_FALSE(necessity_of("JT-2027"));

    LineContent longer = own_words(road_maintenance_request(2026), "甲乙丙丁戊己庚辛壬癸子丑寅");
    longer.set_programme_code("JT-LONG-001");
    county.create("JT-LONG-2026", longer);
    LineContent content = own_words(road_maintenance_request(2027), "甲乙丙丁戊己庚辛壬癸子丑卯");
    content.set_programme_code("JT-LONG-001");
    county.create("JT-LONG-2027", content);
    REQUIRE(rule.submit("JT-LONG-2027").ok());
    const auto copied = necessity_of("JT-LONG-2027");
    REQUIRE(copied);
    CHECK(copied->line_id() == "JT-LONG-2026");
    CHECK(copied->similarity_permille() == 916);
  }
}

TEST_CASE("the line named is the most similar of last year's, the first by id of equals",
          "[copied]") {
  County county;
  const std::string last_years = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳";
  // B is last year's text exactly, A and C one character off: B is named, whatever the order.
  county.create("JT-2026-A",
                own_words(road_maintenance_request(2026), "甲乙丙丁戊己庚辛壬癸子丑寅卯辰午"));
  county.create("JT-2026-B", own_words(road_maintenance_request(2026), last_years));
  county.create("JT-2026-C",
                own_words(road_maintenance_request(2026), "甲乙丙丁戊己庚辛壬癸子丑寅卯辰未"));
  county.create("JT-2027", own_words(road_maintenance_request(2027), last_years));
  REQUIRE(county.act(actor::kTransportUnit, "JT-2027", submit_line()).ok());
  BudgetLine line = county.line("JT-2027");
  REQUIRE(line.copied_size() >= 1);
  CHECK(line.copied(0).line_id() == "JT-2026-B");
  CHECK(line.copied(0).similarity_permille() == 1000);

  // One character off each of the three (14 of 15 bigrams shared): the first by id.
  county.create("JT-2027-Y",
                own_words(road_maintenance_request(2027), "甲乙丙丁戊己庚辛壬癸子丑寅卯辰酉"));
  REQUIRE(county.act(actor::kTransportUnit, "JT-2027-Y", submit_line()).ok());
  line = county.line("JT-2027-Y");
  REQUIRE(line.copied_size() >= 1);
  CHECK(line.copied(0).line_id() == "JT-2026-A");
  CHECK(line.copied(0).similarity_permille() == 933);
}

TEST_CASE("a threshold of 0 leaves the rule out", "[copied]") {
  County county;
  UnderRule off(county, 0, false);
  county.create("JT-2026", road_maintenance_request(2026));
  county.create("JT-2027", road_maintenance_request(2027));

  REQUIRE(off.submit("JT-2027").ok());

  CHECK(county.line("JT-2027").copied().empty());
}

TEST_CASE("a policy that refuses copies refuses the submission, naming the part and the line",
          "[copied]") {
  County county;
  UnderRule refusing(county, 90, true);
  county.create("JT-2026", road_maintenance_request(2026));
  county.create("JT-2027", road_maintenance_request(2027));

  auto refused = refusing.submit("JT-2027");

  REQUIRE(refused.status().code() == Code::kInvalidArgument);
  CHECK(refused.status().field() == "content.necessity_statement");
  CHECK_THAT(refused.status().message(), Catch::Contains("100.0 % similar"));
  CHECK_THAT(refused.status().message(), Catch::Contains("JT-2026"));
  CHECK(county.state("JT-2027") == s::kDraft);

  // Argued afresh, it goes through.
  REQUIRE(county
              .act(actor::kTransportUnit, "JT-2027",
                   revise_line(own_words(road_maintenance_request(2027),
                                         "今年新增三条通村公路，需同步纳入日常养护")))
              .ok());
  REQUIRE(refusing.submit("JT-2027").ok());
  CHECK(county.state("JT-2027") == s::kSubmitted);
  CHECK(county.line("JT-2027").copied().empty());
}

TEST_CASE("a revision submitted again is judged afresh", "[copied]") {
  County county;
  county.create("JT-2026", road_maintenance_request(2026));
  county.create("JT-2027", road_maintenance_request(2027));
  county.drive_to("JT-2027", s::kSubmitted);
  REQUIRE(county.line("JT-2027").copied_size() == 2);
  county.drive_to("JT-2027", s::kUnderTargetReview);
  REQUIRE(
      county.act(actor::kReviewer, "JT-2027", review_targets(false, "必要性照抄上年，请重新论证"))
          .ok());

  REQUIRE(county
              .act(actor::kTransportUnit, "JT-2027",
                   revise_line(own_words(road_maintenance_request(2027),
                                         "今年新增三条通村公路，需同步纳入日常养护")))
              .ok());
  REQUIRE(county.act(actor::kTransportUnit, "JT-2027", submit_line()).ok());

  CHECK(county.line("JT-2027").copied().empty());
}

}  // namespace zbb::testing
