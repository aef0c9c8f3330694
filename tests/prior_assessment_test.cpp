// Prior performance assessment (事前绩效评估): a new programme's first line above 1,000,000 yuan,
// and any line above 10,000,000 yuan, leaves justification only with an assessment approving it.

#include <catch2/catch.hpp>

#include "tests/county_fixture.h"
#include "workflows/state_ids.h"

namespace zbb::testing {
namespace {

namespace s = review::state;

// The road request for `amount` fen, in one cost item.
LineContent road_request_of(Fen amount, int fiscal_year = 2027) {
  LineContent content = road_maintenance_request(fiscal_year);
  content.clear_cost_items();
  *content.add_cost_items() = cost_item("路面修补（项）", 1, amount, amount);
  content.set_requested_amount(amount);
  return content;
}

// Creates, submits and takes the line for target review; returns why it needs an assessment.
std::string submitted(County& county, const std::string& id, const LineContent& content) {
  county.create(id, content);
  county.drive_to(id, s::kSubmitted);
  return county.line(id).assessment_due();
}

}  // namespace

TEST_CASE(
    "a new programme's first line is assessed above 1,000,000 yuan, any line above "
    "10,000,000",
    "[assessment]") {
  County county;
  CHECK(submitted(county, "A", road_request_of(1'000'000'00)).empty());
  CHECK(submitted(county, "B", road_request_of(1'000'000'01)) ==
        "a line of a new programme above 1,000,000.00 yuan");
  // The programme ran the year before: only the higher threshold applies.
  county.create("JT-2026", road_request_of(500'000'00, 2026));
  county.drive_to("JT-2026", s::kExecuting);
  CHECK(submitted(county, "C", road_request_of(10'000'000'00)).empty());
  CHECK(submitted(county, "D", road_request_of(10'000'000'01)) ==
        "a line above 10,000,000.00 yuan");
  // The submission's event says why.
  CHECK(payload_of(county.history("D").back()).decided().assessment_due() ==
        "a line above 10,000,000.00 yuan");
}

TEST_CASE("only a line that ran in an earlier year makes a programme known", "[assessment]") {
  County county;
  county.create("JT-2028", road_request_of(400'000'00, 2028));  // a later year does not count
  county.drive_to("JT-2028", s::kExecuting);
  county.create("A", road_request_of(400'000'00));  // nor does the same year
  county.drive_to("A", s::kExecuting);
  // An earlier year's draft, withdrawn, rejected or unfunded line never ran the programme.
  for (const auto& [id, state] :
       std::vector<std::pair<std::string, std::string_view>>{{"D-2026", s::kDraft},
                                                             {"W-2026", s::kWithdrawn},
                                                             {"R-2026", s::kRejected},
                                                             {"U-2026", s::kUnfunded}}) {
    county.create(id, road_request_of(400'000'00, 2026));
    county.drive_to(id, state);
  }
  // Nor does a line of the same code in another department.
  LineContent other = school_meals_request(2026);
  other.set_programme_code("JT-ROAD-001");
  county.create("JY-2026", other, actor::kEducationUnit);
  county.drive_to("JY-2026", s::kExecuting);
  CHECK_FALSE(submitted(county, "B", road_request_of(2'000'000'00)).empty());
  // One that ran does.
  county.create("E-2026", road_request_of(400'000'00, 2026));
  county.drive_to("E-2026", s::kClosed);
  CHECK(submitted(county, "C", road_request_of(2'000'000'00)).empty());
}

TEST_CASE("an assessment is recorded only on a line that needs one", "[assessment]") {
  County county;
  REQUIRE(submitted(county, "A", road_request_of(900'000'00)).empty());
  auto refused = county.act(actor::kReviewer, "A", record_assessment(false, "不必要", false));
  CHECK(refused.status().code() == Code::kFailedPrecondition);
  CHECK_THAT(refused.status().message(), Catch::Contains("needs no prior performance assessment"));
  CHECK(county.state("A") == s::kSubmitted);
}

TEST_CASE("targets are accepted only after an assessment approves the line", "[assessment]") {
  County county;
  REQUIRE_FALSE(submitted(county, "A", road_request_of(2'000'000'00)).empty());
  REQUIRE(county.act(actor::kReviewer, "A", start_target_review()).ok());
  auto early = county.act(actor::kReviewer, "A", review_targets(true, "目标明确"));
  CHECK(early.status().code() == Code::kFailedPrecondition);
  CHECK_THAT(early.status().message(),
             Catch::Contains("needs a prior performance assessment") &&
                 Catch::Contains("a line of a new programme above 1,000,000.00 yuan"));

  SECTION("the shape of an assessment") {
    RecordAssessment missing = record_assessment(true, "");
    missing.mutable_parts()->RemoveLast();
    CHECK(county.act(actor::kReviewer, "A", missing).status().field() == "parts");
    RecordAssessment twice = record_assessment(true, "");
    twice.mutable_parts(3)->set_part("necessity");
    CHECK(county.act(actor::kReviewer, "A", twice).status().field() == "parts[3].part");
    RecordAssessment unknown = record_assessment(true, "");
    unknown.mutable_parts(0)->set_part("beauty");
    CHECK(county.act(actor::kReviewer, "A", unknown).status().field() == "parts[0].part");
    RecordAssessment blank = record_assessment(true, "");
    blank.mutable_parts(1)->set_conclusion(" ");
    CHECK(county.act(actor::kReviewer, "A", blank).status().field() == "parts[1].conclusion");
    // An approval needs every part passed; a verdict against needs a reason.
    RecordAssessment failed_part = record_assessment(true, "");
    failed_part.mutable_parts(2)->set_passed(false);
    auto approving = county.act(actor::kReviewer, "A", failed_part);
    CHECK(approving.status().field() == "approve");
    CHECK_THAT(approving.status().message(), Catch::Contains("cost_reasonableness"));
    CHECK(county.act(actor::kReviewer, "A", record_assessment(false, "", false)).status().field() ==
          "comment");
    CHECK(county.state("A") == s::kUnderTargetReview);
  }

  SECTION("approved, the targets go on to ranking") {
    REQUIRE(county.act(actor::kReviewer, "A", record_assessment(true, "同意立项")).ok());
    const BudgetLine line = county.line("A");
    CHECK(line.assessment().approved());
    CHECK(line.assessment().assessed_by() == actor::kReviewer);
    CHECK(line.assessment().parts_size() == 4);
    REQUIRE(county.act(actor::kReviewer, "A", review_targets(true, "目标明确")).ok());
    CHECK(county.state("A") == s::kAwaitingRanking);
  }

  SECTION("against, the line goes back to the unit, and its next submission is assessed afresh") {
    REQUIRE(
        county.act(actor::kReviewer, "A", record_assessment(false, "可行性论证不足", false)).ok());
    CHECK(county.state("A") == s::kReturnedForRevision);
    CHECK_FALSE(county.line("A").assessment().approved());
    REQUIRE(county.act(actor::kTransportUnit, "A", submit_line()).ok());
    CHECK_FALSE(county.line("A").has_assessment());
    CHECK_FALSE(county.line("A").assessment_due().empty());
    county.drive_to("A", s::kAwaitingRanking);  // the fixture assesses it, approving
  }
}

TEST_CASE("an expert may assess — the unit and a preparer of the line may not", "[assessment]") {
  County county;
  REQUIRE_FALSE(submitted(county, "A", road_request_of(2'000'000'00)).empty());
  Principal preparer = principal_of(actor::kTransportUnit);
  preparer.roles.push_back("reviewer");
  CHECK(county.act_as(preparer, "A", record_assessment(true, "")).status().code() ==
        Code::kPermissionDenied);
  const Principal expert{"expert.zhou", {"expert"}};
  REQUIRE(county.act_as(expert, "A", record_assessment(true, "")).ok());
  CHECK(county.line("A").assessment().assessed_by() == "expert.zhou");
  // An expert assesses only: the target review is the reviewer's.
  CHECK(county.act_as(expert, "A", start_target_review()).status().code() ==
        Code::kPermissionDenied);
  // An expert who is also a unit of the department, though not the line's preparer, may not.
  const Principal colleague{"expert.li", {"expert", "unit:" + std::string(kTransport)}};
  auto own = county.act_as(colleague, "A", record_assessment(true, ""));
  CHECK(own.status().code() == Code::kPermissionDenied);
  CHECK_THAT(own.status().message(), Catch::Contains("its own department"));
}

}  // namespace zbb::testing
