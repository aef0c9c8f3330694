// Priority ranking with decision packages: the order, the cut, the funding, and the command
// that applies a ranking to every line at once.

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>

#include "tests/changed_before_commit.h"
#include "tests/county_fixture.h"
#include "workflows/ranking.h"
#include "workflows/ranking_run.h"
#include "workflows/state_ids.h"

namespace zbb::testing {
namespace {

namespace s = review::state;
using review::RankedPackage;
using review::RankingResult;

constexpr Fen kYuan = 100;

BudgetLine scored_line(const std::string& id, std::int64_t score_hundredths, Timestamp submitted,
                       Fen minimum, Fen current, Fen enhancement) {
  BudgetLine line;
  line.set_id(id);
  *line.mutable_content() = packaged_request(kTransport, id, minimum, current, enhancement);
  if (current == 0 && enhancement == 0) line.mutable_content()->clear_increments();  // one package
  *line.mutable_submitted_at() = to_proto(submitted);
  *line.mutable_priority() = priority_score({}, score_hundredths, actor::kReviewer, submitted);
  return line;
}

// Three lines worked by hand. Package scores with the default factors 100/80/60:
//   A-min 90.00, B-min 80.00, C 80.00 (tied with B, submitted later), A-cur 72.00,
//   B-cur 64.00, A-enh 54.00.
// Envelope 300: A-min 100, B-min 80, C 60, A-cur 50 fit (290); B-cur 40 does not: the cut.
std::vector<BudgetLine> hand_checked_lines() {
  return {scored_line("A", 9000, at(2027, 1, 5), 100 * kYuan, 50 * kYuan, 30 * kYuan),
          scored_line("B", 8000, at(2027, 1, 6), 80 * kYuan, 40 * kYuan, 0),
          scored_line("C", 8000, at(2027, 1, 7), 60 * kYuan, 0, 0)};
}

std::vector<std::string> order_of(const RankingResult& result) {
  std::vector<std::string> order;
  for (const auto& p : result.packages())
    order.push_back(p.line_id() + ":" + std::string(to_string(p.level())) +
                    (p.funded() ? "" : "-"));
  return order;
}

// The levels a ranking funded of a line, as a list.
std::vector<IncrementLevel> levels_of(const review::LineRanking& line) {
  std::vector<IncrementLevel> levels;
  for (int level : line.funded_levels()) levels.push_back(static_cast<IncrementLevel>(level));
  return levels;
}

}  // namespace

TEST_CASE("a hand-checked ranking funds packages in score order down to the envelope",
          "[ranking]") {
  const auto policy = default_policies().current();
  auto result = review::rank_lines(hand_checked_lines(), 300 * kYuan, policy);
  REQUIRE(result.ok());
  CHECK(order_of(*result) == std::vector<std::string>{"A:minimum", "B:minimum", "C:minimum",
                                                      "A:current", "B:current-", "A:enhancement-"});
  CHECK(result->funded_total() == 290 * kYuan);
  CHECK(result->unallocated() == 10 * kYuan);
  CHECK(result->unfunded_total() == 70 * kYuan);
  REQUIRE(result->has_cut());
  CHECK(result->cut().line_id() == "B");
  CHECK(result->cut().level() == zbb::v1::INCREMENT_LEVEL_CURRENT);
  CHECK(result->cut().rank() == 5);
  REQUIRE(result->lines_size() == 3);
  CHECK(result->lines(0).line_id() == "A");
  CHECK(result->lines(0).funded() == 150 * kYuan);
  CHECK(levels_of(result->lines(0)) ==
        std::vector<IncrementLevel>{zbb::v1::INCREMENT_LEVEL_MINIMUM,
                                    zbb::v1::INCREMENT_LEVEL_CURRENT});
  CHECK(result->lines(1).line_id() == "B");
  CHECK(result->lines(1).funded() == 80 * kYuan);
  CHECK(result->lines(2).line_id() == "C");
  CHECK(result->lines(2).funded() == 60 * kYuan);
  CHECK(result->packages(2).score_hundredths() == 8000);
  CHECK(result->packages(3).score_hundredths() == 7200);
}

TEST_CASE("the cut is strict: nothing below it is funded, even a package that would fit",
          "[ranking]") {
  const auto policy = default_policies().current();
  // 280: A-min, B-min, C fit (240); A-cur 50 does not; B-cur 40 would, but lies below the cut.
  auto result = review::rank_lines(hand_checked_lines(), 280 * kYuan, policy);
  REQUIRE(result.ok());
  CHECK(result->funded_total() == 240 * kYuan);
  CHECK(result->cut().line_id() == "A");
  CHECK(result->unallocated() == 40 * kYuan);
  CHECK(std::none_of(result->packages().begin() + 3, result->packages().end(),
                     [](const RankedPackage& p) { return p.funded(); }));
}

TEST_CASE("a ranking is reproducible whatever order the lines are read in", "[ranking]") {
  const auto policy = default_policies().current();
  auto lines = hand_checked_lines();
  const auto first = review::rank_lines(lines, 300 * kYuan, policy);
  std::mt19937 shuffle(7);
  for (int i = 0; i < 10; ++i) {
    std::shuffle(lines.begin(), lines.end(), shuffle);
    CHECK(same_message(review::rank_lines(lines, 300 * kYuan, policy).value(), first.value()));
  }
}

TEST_CASE("an envelope of zero funds nothing and one above the total funds everything",
          "[ranking]") {
  const auto policy = default_policies().current();
  auto none = review::rank_lines(hand_checked_lines(), 0, policy);
  REQUIRE(none.ok());
  CHECK(none->funded_total() == 0);
  CHECK(none->cut().rank() == 1);
  auto all = review::rank_lines(hand_checked_lines(), 1'000 * kYuan, policy);
  REQUIRE(all.ok());
  CHECK(all->funded_total() == 360 * kYuan);
  CHECK(all->unallocated() == 640 * kYuan);
  CHECK_FALSE(all->has_cut());
  CHECK(review::rank_lines(hand_checked_lines(), -1, policy).status().field() == "envelope");
}

TEST_CASE("lines nobody has scored are named, and nothing is ranked", "[ranking]") {
  auto lines = hand_checked_lines();
  lines[1].clear_priority();
  auto refused = review::rank_lines(lines, 300 * kYuan, default_policies().current());
  CHECK(refused.status().code() == Code::kFailedPrecondition);
  CHECK_THAT(refused.status().message(), Catch::Contains("B"));
}

namespace {

// Three transport lines awaiting ranking (as the hand-checked ranking above, envelope 300).
void three_scored_lines(County& county) {
  const std::vector<std::tuple<std::string, std::int64_t, Fen, Fen, Fen>> lines = {
      {"A", 90, 100 * kYuan, 50 * kYuan, 30 * kYuan},
      {"B", 80, 80 * kYuan, 40 * kYuan, 0},
      {"C", 80, 60 * kYuan, 0, 0}};
  for (const auto& [id, score, minimum, current, enhancement] : lines) {
    county.create(id, packaged_request(kTransport, "P-" + id, minimum, current, enhancement));
    county.clock.advance(std::chrono::hours(1));
    county.score_for_ranking(id, score);
  }
}

// What a ranking could write: events, reports, the department's pool.
struct Written {
  std::size_t events;
  std::size_t reports;
  Fen pool;
  bool operator==(const Written&) const = default;
};

Written written(County& county) {
  return {county.store->events_after(0, 10'000)->size(),
          county.store->list_reports({}, std::nullopt, 1000)->size(),
          county.store->pool_balance(2027, kTransport).value()};
}

}  // namespace

TEST_CASE("a ranking run funds every line as ranked in one command and keeps its report",
          "[ranking][engine]") {
  County county;
  three_scored_lines(county);
  review::RankRequest request{"rank-2027-transport", principal_of(actor::kRankingOffice), 2027,
                              kTransport, 300 * kYuan};
  auto run = review::run_ranking(county.engine, county.workflow.policies(), request);
  INFO(run.status().to_string());
  REQUIRE(run.ok());
  CHECK_FALSE(run->replayed);
  CHECK(run->result.funded_total() == 290 * kYuan);

  const BudgetLine a = county.line("A");
  CHECK(a.state() == s::kAwaitingDecision);
  CHECK(a.funded_amount() == 150 * kYuan);
  CHECK(a.granted_amount() == 150 * kYuan);
  REQUIRE(a.has_placement());
  CHECK(a.placement().ranking_id() == "rank-2027-transport");
  CHECK(a.placement().rank() == 1);
  CHECK(county.line("B").funded_amount() == 80 * kYuan);
  CHECK(county.line("C").funded_amount() == 60 * kYuan);
  // What the envelope left unallocated is the department's pool for adjustments.
  CHECK(county.store->pool_balance(2027, kTransport).value() == 10 * kYuan);

  SECTION("a retry returns the stored result and writes nothing") {
    const auto events = county.store->events_after(0, 10'000)->size();
    auto again = review::run_ranking(county.engine, county.workflow.policies(), request);
    REQUIRE(again.ok());
    CHECK(again->replayed);
    CHECK(same_message(again->result, run->result));
    CHECK(county.store->events_after(0, 10'000)->size() == events);
  }
  SECTION("nothing is left to rank") {
    request.request_id = "rank-again";
    auto empty = review::run_ranking(county.engine, county.workflow.policies(), request);
    CHECK(empty.status().code() == Code::kFailedPrecondition);
  }
}

TEST_CASE(
    "a ranking whose line changed before its commit is ranked again on the lines as they stand",
    "[ranking][engine]") {
  County county;
  for (const auto& [id, score] :
       std::vector<std::pair<std::string, std::int64_t>>{{"A", 90}, {"B", 80}, {"C", 70}}) {
    county.create(id, packaged_request(kTransport, "P-" + id, 100 * kYuan, 0, 0));
    county.score_for_ranking(id, score);
  }
  // C is scored again between the ranking's reading and its commit: first now, not last.
  bool rescored = false;
  ChangedBeforeCommit store(*county.store, [&] {
    REQUIRE(county.act(actor::kReviewer, "C", county.typed_scores(95)).ok());
    rescored = true;
  });
  Engine engine(store, county.workflow, county.clock);
  review::RankRequest request{"rank-2027-transport", principal_of(actor::kRankingOffice), 2027,
                              kTransport, 200 * kYuan};
  request.still_wanted = [] { return true; };
  auto run = review::run_ranking(engine, county.workflow.policies(), request);
  INFO(run.status().to_string());
  REQUIRE(run.ok());
  CHECK(rescored);
  REQUIRE(run->result.lines_size() == 3);
  CHECK(run->result.lines(0).line_id() == "C");
  CHECK(county.line("C").state() == s::kAwaitingDecision);
  CHECK(county.line("A").state() == s::kAwaitingDecision);
  CHECK(county.line("B").state() == s::kUnfunded);
}

TEST_CASE("a dry run ranks as the command would and writes nothing", "[ranking][engine]") {
  County county;
  three_scored_lines(county);
  const Written before = written(county);
  review::RankRequest request{"what-if-1", principal_of(actor::kRankingOffice), 2027, kTransport,
                              300 * kYuan};
  request.dry_run = true;
  auto preview = review::run_ranking(county.engine, county.workflow.policies(), request);
  INFO(preview.status().to_string());
  REQUIRE(preview.ok());
  CHECK(preview->dry_run);
  CHECK_FALSE(preview->replayed);
  CHECK(order_of(preview->result) == std::vector<std::string>{"A:minimum", "B:minimum", "C:minimum",
                                                              "A:current", "B:current-",
                                                              "A:enhancement-"});
  CHECK(preview->result.funded_total() == 290 * kYuan);
  for (const auto& line : preview->result.lines())
    CHECK(line.version() == county.line(line.line_id()).version());
  CHECK(written(county) == before);
  for (const char* id : {"A", "B", "C"}) CHECK(county.state(id) == s::kAwaitingRanking);

  SECTION("another envelope previews another cut, still writing nothing") {
    request.envelope = 200 * kYuan;
    auto smaller = review::run_ranking(county.engine, county.workflow.policies(), request);
    REQUIRE(smaller.ok());
    CHECK(smaller->result.funded_total() == 180 * kYuan);  // A-min 100, B-min 80; C-min 60 cut
    CHECK(smaller->result.cut().line_id() == "C");
    CHECK(written(county) == before);
  }
  SECTION("the request id of a dry run is not kept: the same id ranks for real afterwards") {
    request.dry_run = false;
    auto run = review::run_ranking(county.engine, county.workflow.policies(), request);
    REQUIRE(run.ok());
    CHECK_FALSE(run->replayed);
    CHECK_FALSE(run->dry_run);
    CHECK(same_message(run->result, preview->result));
    CHECK(county.state("A") == s::kAwaitingDecision);
  }
  SECTION("a dry run under the id of a ranking done answers that ranking, replayed") {
    request.dry_run = false;
    REQUIRE(review::run_ranking(county.engine, county.workflow.policies(), request).ok());
    const Written after = written(county);
    request.dry_run = true;
    auto again = review::run_ranking(county.engine, county.workflow.policies(), request);
    REQUIRE(again.ok());
    CHECK(again->replayed);
    CHECK(written(county) == after);
  }
  SECTION("a dry run refuses what the command would refuse") {
    county.create("D", packaged_request(kTransport, "P-D", 100 * kYuan, 0, 0));
    county.drive_to("D", s::kAwaitingRanking);  // not scored
    auto refused = review::run_ranking(county.engine, county.workflow.policies(), request);
    CHECK(refused.status().code() == Code::kFailedPrecondition);
    CHECK(refused.status().message().find("D") != std::string::npos);
  }
}

TEST_CASE("a ranking applied at the versions previewed is refused when a line moved since",
          "[ranking][engine]") {
  County county;
  three_scored_lines(county);
  review::RankRequest request{"what-if-1", principal_of(actor::kRankingOffice), 2027, kTransport,
                              300 * kYuan};
  request.dry_run = true;
  auto preview = review::run_ranking(county.engine, county.workflow.policies(), request);
  REQUIRE(preview.ok());
  review::RankRequest apply{"rank-2027-transport", principal_of(actor::kRankingOffice), 2027,
                            kTransport, 300 * kYuan};
  apply.still_wanted = [] { return true; };  // even a waiting caller is not ranked again
  for (const auto& line : preview->result.lines())
    apply.expected_versions[line.line_id()] = line.version();

  SECTION("unchanged: applied as previewed") {
    auto run = review::run_ranking(county.engine, county.workflow.policies(), apply);
    REQUIRE(run.ok());
    CHECK(same_message(run->result, preview->result));
    CHECK(county.state("A") == s::kAwaitingDecision);
  }
  SECTION("a line scored again since: ABORTED, nothing written") {
    const std::int64_t previewed = apply.expected_versions.at("C");
    REQUIRE(county.act(actor::kReviewer, "C", county.typed_scores(95)).ok());
    const Written before = written(county);
    auto refused = review::run_ranking(county.engine, county.workflow.policies(), apply);
    CHECK(refused.status().code() == Code::kAborted);
    CHECK(refused.status().message() ==
          fmt::format("line C is at version {}, not the expected {}; preview again", previewed + 1,
                      previewed));
    CHECK(written(county) == before);
  }
  SECTION("a line awaiting ranking since the preview: ABORTED") {
    county.create("D", packaged_request(kTransport, "P-D", 100 * kYuan, 0, 0));
    county.score_for_ranking("D", 70);
    auto refused = review::run_ranking(county.engine, county.workflow.policies(), apply);
    CHECK(refused.status().code() == Code::kAborted);
    CHECK(refused.status().message() ==
          "line D awaits ranking but is not among the expected versions; preview again");
  }
  SECTION("every line ranked since by another reviewer: ABORTED, not a refusal on its merits") {
    review::RankRequest other{"rank-by-another", principal_of(actor::kRankingOffice), 2027,
                              kTransport, 100 * kYuan};
    REQUIRE(review::run_ranking(county.engine, county.workflow.policies(), other).ok());
    auto refused = review::run_ranking(county.engine, county.workflow.policies(), apply);
    CHECK(refused.status().code() == Code::kAborted);
    CHECK(refused.status().message() == "no line of fiscal year 2027 in " +
                                            std::string(kTransport) +
                                            " awaits ranking any more; preview again");
  }
  SECTION("applied twice under one request id: the second answers the first's ranking") {
    REQUIRE(review::run_ranking(county.engine, county.workflow.policies(), apply).ok());
    auto again = review::run_ranking(county.engine, county.workflow.policies(), apply);
    REQUIRE(again.ok());
    CHECK(again->replayed);
  }
  SECTION("a line previewed that no longer awaits ranking: ABORTED") {
    apply.expected_versions["Z"] = 3;
    auto refused = review::run_ranking(county.engine, county.workflow.policies(), apply);
    CHECK(refused.status().code() == Code::kAborted);
    CHECK(refused.status().message() == "line Z no longer awaits ranking in fiscal year 2027 in " +
                                            std::string(kTransport) + "; preview again");
  }
}

TEST_CASE("a ranking with an unscored line writes nothing", "[ranking][engine]") {
  County county;
  county.create("A", packaged_request(kTransport, "P-A", 100 * kYuan, 0, 0));
  county.score_for_ranking("A", 70);
  county.create("B", packaged_request(kTransport, "P-B", 100 * kYuan, 0, 0));
  county.drive_to("B", s::kAwaitingRanking);
  const auto events = county.store->events_after(0, 10'000)->size();
  auto refused = review::run_ranking(
      county.engine, county.workflow.policies(),
      {"rank-1", principal_of(actor::kRankingOffice), 2027, kTransport, 100 * kYuan});
  CHECK(refused.status().code() == Code::kFailedPrecondition);
  CHECK(county.state("A") == s::kAwaitingRanking);
  CHECK(county.store->events_after(0, 10'000)->size() == events);
}

// 12 departments, 204 lines, each with two or three packages, scored 40..99 (ties included),
// ranked per department against envelopes of 55 % of what the department asks for.
TEST_CASE("a county of twelve departments and two hundred lines is ranked within its envelopes",
          "[ranking][county]") {
  County county;
  std::mt19937 random(2027);
  std::map<std::string, Fen> requested_by_department;
  std::map<std::string, LineContent> contents;
  int n = 0;
  for (const auto& department : county_departments()) {
    for (int i = 0; i < 17; ++i) {
      const std::string id = "L" + std::to_string(1000 + n++);
      const Fen minimum = (200 + random() % 800) * 1'000 * kYuan / 10;
      const Fen current = (50 + random() % 300) * 1'000 * kYuan / 10;
      const Fen enhancement = i % 3 == 0 ? 0 : (20 + random() % 200) * 1'000 * kYuan / 10;
      LineContent content = packaged_request(department, "PG-" + id, minimum, current, enhancement);
      county.create(id, content, unit_of(department));
      county.clock.advance(std::chrono::minutes(7));
      county.score_for_ranking(id, 40 + static_cast<std::int64_t>(random() % 60));
      requested_by_department[department] += content.requested_amount();
      contents[id] = content;
    }
  }
  REQUIRE(n == 204);

  int partly_funded = 0;
  for (const auto& [department, requested] : requested_by_department) {
    const Fen envelope = requested * 55 / 100;
    auto run =
        review::run_ranking(county.engine, county.workflow.policies(),
                            {"rank-" + unit_of(department), principal_of(actor::kRankingOffice),
                             2027, department, envelope});
    INFO(department << ": " << run.status().to_string());
    REQUIRE(run.ok());
    const auto& result = run->result;
    CHECK(result.funded_total() <= envelope);
    CHECK(result.funded_total() + result.unallocated() == envelope);
    CHECK(result.funded_total() + result.unfunded_total() == requested);
    REQUIRE(result.has_cut());
    for (const auto& ranked : result.lines()) {
      const BudgetLine line = county.line(ranked.line_id());
      CHECK(line.funded_amount() == ranked.funded());
      CHECK(line.state() == (ranked.funded() > 0 ? s::kAwaitingDecision : s::kUnfunded));
      // What is funded is a run of the line's packages from the lowest level up.
      Fen prefix = 0;
      for (int k = 0; k < ranked.funded_levels_size(); ++k) {
        const Increment& package = contents[ranked.line_id()].increments(k);
        CHECK(ranked.funded_levels(k) == package.level());
        prefix += package.amount();
      }
      CHECK(prefix == ranked.funded());
      if (ranked.funded() > 0 && ranked.funded() < line.content().requested_amount())
        ++partly_funded;
    }
  }
  // The envelopes cut through the middle of lines' packages, not only between lines.
  CHECK(partly_funded > 0);
}

TEST_CASE("a whole fiscal year is ranked across departments against one envelope",
          "[ranking][county]") {
  County county;
  Fen requested = 0;
  int n = 0;
  for (const auto& department : county_departments()) {
    for (int i = 0; i < 2; ++i) {
      const std::string id = "Y" + std::to_string(n++);
      county.create(id, packaged_request(department, "PY-" + id, 300 * kYuan, 200 * kYuan, 0),
                    unit_of(department));
      county.score_for_ranking(id, 50 + n);
      requested += 500 * kYuan;
    }
  }
  auto run = review::run_ranking(
      county.engine, county.workflow.policies(),
      {"rank-2027", principal_of(actor::kRankingOffice), 2027, "", requested / 2});
  REQUIRE(run.ok());
  CHECK(run->result.lines_size() == 24);
  CHECK(run->result.funded_total() <= requested / 2);
  CHECK(run->result.lines(0).line_id() == "Y23");  // the highest score ranks first
}

}  // namespace zbb::testing

namespace zbb::testing {

TEST_CASE("a ranking request id reused with another envelope is refused, not replayed",
          "[ranking][engine]") {
  County county;
  county.create("A", packaged_request(kTransport, "P-A", 100 * kYuan, 0, 0));
  county.score_for_ranking("A", 70);
  review::RankRequest request{"rank-1", principal_of(actor::kRankingOffice), 2027, kTransport,
                              100 * kYuan};
  REQUIRE(review::run_ranking(county.engine, county.workflow.policies(), request).ok());
  request.envelope = 50 * kYuan;
  auto reused = review::run_ranking(county.engine, county.workflow.policies(), request);
  CHECK(reused.status().field() == "request_id");
  request.envelope = 2'000'000'000'000'000;
  request.request_id = "rank-2";
  CHECK(review::run_ranking(county.engine, county.workflow.policies(), request).status().field() ==
        "envelope");
}

}  // namespace zbb::testing
