// The engine's promises: idempotent retries, optimistic concurrency, all-or-nothing commands,
// bad input refused with the field named and nothing written, a hash-chained event log.

#include <catch2/catch.hpp>

#include <atomic>
#include <functional>
#include <future>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/audit.h"
#include "engine/proto_codec.h"
#include "tests/changed_before_commit.h"
#include "tests/county_fixture.h"
#include "workflows/state_ids.h"

namespace zbb::testing {
namespace {

namespace s = review::state;

// Everything the store holds, to prove that a refused command wrote nothing.
std::vector<RecordedEvent> all_events(County& county) {
  auto events = county.store->events_after(0, 1'000'000);
  REQUIRE(events.ok());
  return *events;
}

Command single(const std::string& request_id, const std::string& actor, const std::string& line_id,
               Action action, std::optional<std::int64_t> expected_version = std::nullopt) {
  return Command{request_id, principal_of(actor), {{line_id, expected_version, std::move(action)}}};
}

// Each command's answer as a comparable text: the error code, or the line, version and state of
// each item and whether it was a replay.
std::string answer_of(const Result<CommandOutcome>& result) {
  if (!result.ok()) return std::string(code_name(result.status().code()));
  std::string text = result->replayed ? "replayed" : "applied";
  for (const auto& item : result->items)
    text += " " + item.line_id + "@" + std::to_string(item.version) + ":" + item.state;
  return text;
}

}  // namespace

TEST_CASE("a retried request id returns the first outcome and writes nothing new", "[engine]") {
  County county;
  const Command create =
      single("create-JT-1", actor::kTransportUnit, "JT-1", create_line(road_maintenance_request()));
  auto first = county.engine.execute(create);
  REQUIRE(first.ok());
  CHECK_FALSE(first->replayed);
  const auto events_after_first = all_events(county);

  county.clock.advance(std::chrono::hours(1));
  auto retry = county.engine.execute(create);
  REQUIRE(retry.ok());
  CHECK(retry->replayed);
  CHECK(retry->items == first->items);
  CHECK(retry->last_sequence == first->last_sequence);
  CHECK(all_events(county) == events_after_first);

  // The line moves on; a late retry of the creation still answers as the first time did.
  county.drive_to("JT-1", s::kSubmitted);
  auto late_retry = county.engine.execute(create);
  REQUIRE(late_retry.ok());
  CHECK(late_retry->items[0].state == s::kDraft);
  CHECK(late_retry->items[0].version == 1);
}

TEST_CASE("a request id reused for a different command is refused", "[engine]") {
  County county;
  REQUIRE(county.engine
              .execute(single("r-1", actor::kTransportUnit, "JT-1",
                              create_line(road_maintenance_request())))
              .ok());
  auto reused = county.engine.execute(
      single("r-1", actor::kTransportUnit, "JT-2", create_line(road_maintenance_request())));
  CHECK(reused.status().code() == Code::kInvalidArgument);
  CHECK(reused.status().field() == "request_id");
  CHECK(county.engine.get_line("JT-2").status().code() == Code::kNotFound);
}

TEST_CASE("a derived line id is the same on a retry", "[engine]") {
  County county;
  const Command create =
      single("bulk-7", actor::kTransportUnit, "", create_line(road_maintenance_request()));
  auto first = county.engine.execute(create);
  REQUIRE(first.ok());
  CHECK(first->items[0].line_id == derived_line_id(request_key(create), 0));
  auto retry = county.engine.execute(create);
  REQUIRE(retry.ok());
  CHECK(retry->items[0].line_id == first->items[0].line_id);
  CHECK(all_events(county).size() == 1);
}

TEST_CASE("a stale expected version is refused with ABORTED and changes nothing", "[engine]") {
  County county;
  county.create("JT-1", road_maintenance_request());
  REQUIRE(county.act(actor::kTransportUnit, "JT-1", submit_line(), 1).ok());  // version 1 → 2
  auto stale = county.act(actor::kReviewer, "JT-1", start_target_review(), 1);
  CHECK(stale.status().code() == Code::kAborted);
  CHECK_THAT(stale.status().message(), Catch::Contains("version 2"));
  CHECK(county.state("JT-1") == s::kSubmitted);
  CHECK(county.act(actor::kReviewer, "JT-1", start_target_review(), 2).ok());
}

TEST_CASE("a multi-line command whose second line fails leaves the first untouched", "[engine]") {
  County county;
  county.create("JT-1", road_maintenance_request());
  county.create("JY-1", school_meals_request(), actor::kEducationUnit);
  const auto events_before = all_events(county);

  // Both the transport unit and a reviewer: the first item is its to send, the second not now.
  Command batch{"batch-1", {"office.transport.review", {"unit:" + kTransport, "reviewer"}}, {}};
  batch.items.push_back({"JT-1", std::nullopt, submit_line()});
  batch.items.push_back({"JY-1", std::nullopt, start_target_review()});  // JY-1 is still a draft
  auto outcome = county.engine.execute(batch);
  CHECK(outcome.status().code() == Code::kFailedPrecondition);
  CHECK_THAT(outcome.status().message(), Catch::StartsWith("item 1 (line JY-1)"));
  CHECK(county.state("JT-1") == s::kDraft);
  CHECK(county.line("JT-1").version() == 1);
  CHECK(all_events(county) == events_before);
  CHECK_FALSE(county.store->find_request("batch-1")->has_value());
}

TEST_CASE("a multi-line command commits all its lines at once", "[engine]") {
  County county;
  Command batch{"bulk-create", principal_of(actor::kTransportUnit), {}};
  batch.items.push_back({"JT-1", std::nullopt, create_line(road_maintenance_request())});
  batch.items.push_back({"JT-1", std::nullopt, submit_line()});  // the same line, twice
  batch.items.push_back({"JT-2", std::nullopt, create_line(road_maintenance_request())});
  auto outcome = county.engine.execute(batch);
  REQUIRE(outcome.ok());
  REQUIRE(outcome->items.size() == 3);
  CHECK(outcome->items[1].state == s::kSubmitted);
  CHECK(county.line("JT-1").version() == 2);
  CHECK(county.state("JT-2") == s::kDraft);
  CHECK(outcome->last_sequence == 3);
}

TEST_CASE("bad input is refused with INVALID_ARGUMENT naming the field, and nothing is written",
          "[engine][validation]") {
  struct Case {
    std::string name;
    std::function<void(LineContent&)> spoil;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"negative amount", [](LineContent& c) { c.set_requested_amount(-1); },
       "content.requested_amount"},
      {"negative unit price",
       [](LineContent& c) { c.mutable_cost_items(0)->set_unit_price(-150'00); },
       "content.cost_items[0].unit_price"},
      {"overflowing amount",
       [](LineContent& c) {
         c.mutable_cost_items(0)->set_quantity(4'000'000'000);
         c.mutable_cost_items(0)->set_unit_price(4'000'000'000);
       },
       "content.cost_items[0].amount"},
      {"amount above one trillion yuan",
       [](LineContent& c) {
         *c.mutable_cost_items(0) = cost_item("a", 1, INT64_MAX, INT64_MAX);
         *c.mutable_cost_items(1) = cost_item("b", 1, INT64_MAX, INT64_MAX);
       },
       "content.cost_items[0].unit_price"},
      {"cost items that do not sum",
       [](LineContent& c) { c.set_requested_amount(c.requested_amount() + 1); },
       "content.cost_items"},
      {"no output indicator", [](LineContent& c) { c.mutable_indicators()->DeleteSubrange(0, 2); },
       "content.indicators"},
      {"no outcome indicator",
       [](LineContent& c) { c.mutable_indicators()->DeleteSubrange(2, c.indicators_size() - 2); },
       "content.indicators"},
      {"empty justification", [](LineContent& c) { c.set_necessity_statement(" \n "); },
       "content.necessity_statement"},
      {"unknown category", [](LineContent& c) { c.set_category(static_cast<Category>(17)); },
       "content.category"},
      {"unknown indicator level",
       [](LineContent& c) { c.mutable_indicators(2)->set_level1(static_cast<IndicatorLevel1>(9)); },
       "content.indicators[2].level1"},
      {"oversized title", [](LineContent& c) { c.set_title(std::string(301, 'x')); },
       "content.title"},
      {"oversized statement",
       [](LineContent& c) { c.set_necessity_statement(std::string(20'001, 'x')); },
       "content.necessity_statement"},
      {"text that is not UTF-8", [](LineContent& c) { c.set_title("\xE5\x85"); }, "content.title"},
  };
  for (const auto& c : cases) {
    County county;
    LineContent content = road_maintenance_request();
    c.spoil(content);
    auto outcome = county.act(actor::kTransportUnit, "JT-1", create_line(content));
    INFO(c.name << ": " << outcome.status().to_string());
    CHECK(outcome.status().code() == Code::kInvalidArgument);
    CHECK(outcome.status().field() == c.field);
    CHECK(all_events(county).empty());
    CHECK(county.engine.get_line("JT-1").status().code() == Code::kNotFound);
  }
}

TEST_CASE("bad input on an existing line writes nothing either", "[engine][validation]") {
  County county;
  county.create("JT-1", road_maintenance_request());
  county.drive_to("JT-1", s::kExecuting);
  const auto before = all_events(county);
  CHECK(county.act(actor::kTreasury, "JT-1", record_spending(0, "PAY", "")).status().field() ==
        "amount");
  CHECK(county.act(actor::kTreasury, "JT-1", record_spending(1'00, "", "")).status().field() ==
        "payment_ref");
  CHECK(county.act(actor::kTreasury, "JT-1", record_spending(1'00, "P", std::string(4001, 'x')))
            .status()
            .field() == "comment");
  CHECK(all_events(county) == before);
}

TEST_CASE("the envelope of a command is checked before anything is read", "[engine][validation]") {
  County county;
  CHECK(county.engine.execute(single("", "a", "L", submit_line())).status().field() ==
        "request_id");
  CHECK(county.engine.execute(single("r", "", "L", submit_line())).status().field() == "actor");
  CHECK(county.engine.execute(single("r", "a", "bad id", submit_line())).status().field() ==
        "line_id");
  CHECK(county.engine.execute(single(std::string(129, 'r'), "a", "L", submit_line()))
            .status()
            .field() == "request_id");
  CHECK(county.engine.execute(Command{"r", {"a", {}}, {}}).status().field() == "items");
}

TEST_CASE("each event chains to the previous event of its line by hash", "[engine][audit]") {
  County county;
  county.create("JT-1", road_maintenance_request());
  county.drive_to("JT-1", s::kExecuting);
  const auto history = county.history("JT-1");
  REQUIRE(history.size() == 10);
  std::string previous;
  for (std::size_t i = 0; i < history.size(); ++i) {
    INFO("event " << i);
    CHECK(history[i].line_sequence == static_cast<std::int64_t>(i + 1));
    CHECK(history[i].prev_hash == previous);
    CHECK(history[i].hash == compute_event_hash(history[i]));
    previous = history[i].hash;
  }
  CHECK(county.store->load_line("JT-1")->last_hash == previous);

  RecordedEvent edited = history[4];
  edited.payload += '\0';
  CHECK(compute_event_hash(edited) != edited.hash);
}

TEST_CASE("the engine stamps events with the injected clock and restarts the wait per level",
          "[engine]") {
  County county;
  county.create("JT-1", road_maintenance_request());
  county.drive_to("JT-1", s::kAwaitingDecision);
  const Timestamp entered = from_proto(county.line("JT-1").state_entered_at());
  CHECK(entered == county.clock.now());

  county.clock.set(at(2027, 2, 1));
  REQUIRE(county
              .act(actor::kDepartmentHead, "JT-1",
                   decide_approval("department_head", zbb::v1::DECISION_APPROVE, 1'250'000'00, ""))
              .ok());
  const BudgetLine line = county.line("JT-1");
  CHECK(line.state() == s::kAwaitingDecision);
  CHECK(from_proto(line.state_entered_at()) == at(2027, 2, 1));
  CHECK(from_proto(line.updated_at()) == at(2027, 2, 1));
  CHECK(county.history("JT-1").back().at == at(2027, 2, 1));
}

}  // namespace zbb::testing

namespace zbb::testing {

TEST_CASE("derived line ids of two actors with the same request id do not collide", "[engine]") {
  County county;
  auto transport = county.engine.execute(
      single("bulk-1", actor::kTransportUnit, "", create_line(road_maintenance_request())));
  auto school = county.engine.execute(
      single("bulk-1", actor::kEducationUnit, "", create_line(school_meals_request())));
  REQUIRE(transport.ok());
  REQUIRE(school.ok());
  CHECK(transport->items[0].line_id != school->items[0].line_id);
}

}  // namespace zbb::testing

namespace zbb::testing {

TEST_CASE("the audit of an untouched log finds every chain intact", "[engine][audit]") {
  County county;
  county.create("JT-1", road_maintenance_request());
  county.drive_to("JT-1", s::kExecuting);
  county.create("JY-1", school_meals_request(), actor::kEducationUnit);
  auto all = verify_audit(*county.store, "");
  REQUIRE(all.ok());
  CHECK_FALSE(all->first_broken);
  CHECK(all->lines_checked == 2);
  CHECK(all->events_checked == static_cast<std::int64_t>(all_events(county).size()));
  auto one = verify_audit(*county.store, "JY-1");
  REQUIRE(one.ok());
  CHECK(one->events_checked == 1);
  CHECK(verify_audit(*county.store, "NOPE").status().code() == Code::kNotFound);
}

}  // namespace zbb::testing

namespace zbb::testing {

TEST_CASE(
    "commands executed each on their own but committed together answer as one after the other",
    "[engine][each]") {
  const std::string unit = actor::kTransportUnit;
  LineContent revised = road_maintenance_request();
  revised.set_title(revised.title() + "（修订）");
  const std::vector<Command> commands = {
      single("a", unit, "JT-1", create_line(road_maintenance_request())),
      single("b", unit, "JT-2", create_line(road_maintenance_request())),
      single("c", unit, "JT-1", submit_line()),         // on the line created just before
      single("d", unit, "JT-1", submit_line()),         // refused: submitted by "c"
      single("e", unit, "JT-MISSING", submit_line()),   // refused: no such line
      single("a", unit, "JT-2", revise_line(revised)),  // "a" names another command already
      single("b", unit, "JT-2", create_line(road_maintenance_request())),  // "b" itself: replayed
      single("f", unit, "JT-2", revise_line(revised)),
      single("g", unit, "JT-2", submit_line(), 1),  // stale: "f" took JT-2 to version 2
      single("h", unit, "JT-2", submit_line()),
  };
  County together;
  County one_by_one;
  const auto answers = together.engine.execute_each(commands);
  REQUIRE(answers.size() == commands.size());
  std::vector<std::string> expected;
  for (const Command& command : commands)
    expected.push_back(answer_of(one_by_one.engine.execute(command)));
  for (std::size_t i = 0; i < commands.size(); ++i) {
    INFO("command " << i << " (" << commands[i].request_id << ")");
    CHECK(answer_of(answers[i]) == expected[i]);
  }
  CHECK(expected[3] == "FAILED_PRECONDITION");
  CHECK(expected[5] == "INVALID_ARGUMENT");
  CHECK(expected[6] == "replayed JT-2@1:draft");
  CHECK(expected[8] == "ABORTED");
  for (const char* line : {"JT-1", "JT-2"}) {
    CHECK(same_line(together.line(line), one_by_one.line(line)));
    CHECK(together.history(line) == one_by_one.history(line));
  }

  // The same command twice in one call: the second is its replay, as a retry would be.
  County retried;
  const Command create = single("r", unit, "JT-9", create_line(road_maintenance_request()));
  const auto twice = retried.engine.execute_each({create, create});
  REQUIRE(twice.size() == 2);
  CHECK(answer_of(twice[0]) == "applied JT-9@1:draft");
  CHECK(answer_of(twice[1]) == "replayed JT-9@1:draft");

  // Every command that was applied is recorded under its request id.
  const auto again = together.engine.execute_each(commands);
  for (std::size_t i = 0; i < commands.size(); ++i) {
    if (!answers[i].ok()) continue;
    REQUIRE(again[i].ok());
    CHECK(again[i]->replayed);
    CHECK(again[i]->items == answers[i]->items);
  }
}

TEST_CASE("a line filter matches in memory the lines the store lists for it", "[engine]") {
  County county;
  county.create("JT-2026", road_maintenance_request(2026));
  county.create("JT-2027", road_maintenance_request(2027));
  county.drive_to("JT-2027", review::state::kSubmitted);
  LineContent other = road_maintenance_request(2027);
  other.set_programme_code("JT-OTHER-001");
  county.create("JT-OTHER", other);
  county.create("JY-2027", school_meals_request(2027), actor::kEducationUnit);

  std::vector<LineFilter> filters(8);
  filters[1].fiscal_year = 2027;
  filters[2].department = kTransport;
  filters[3].programme_code = "JT-ROAD-001";
  filters[3].department = kTransport;
  filters[3].fiscal_year = 2026;
  filters[4].state = std::string(review::state::kSubmitted);
  filters[5].category = zbb::v1::CATEGORY_PROJECT;
  filters[6].waiting_on = {"reviewer", "unit:" + kEducation};
  filters[7].fiscal_year = 2030;
  for (std::size_t f = 0; f < filters.size(); ++f) {
    auto listed = county.store->list_lines(filters[f], "", 100);
    REQUIRE(listed.ok());
    std::set<std::string> by_store;
    for (const auto& line : *listed) by_store.insert(line.id());
    std::set<std::string> in_memory;
    for (const char* id : {"JT-2026", "JT-2027", "JT-OTHER", "JY-2027"})
      if (matches(filters[f], county.line(id))) in_memory.insert(id);
    INFO("filter " << f);
    CHECK(in_memory == by_store);
  }
}

TEST_CASE(
    "a submission committed together with a change to last year's line of its programme reads "
    "that line as changed",
    "[engine][each]") {
  const std::string unit = actor::kTransportUnit;
  // The submission compares its justification with last year's lines of its programme, which
  // the store holds only once the creation before it in the same call is committed.
  const std::vector<Command> commands = {
      single("a", unit, "JT-2026", create_line(road_maintenance_request(2026))),
      single("b", unit, "JT-2027", submit_line()),
  };
  County together;
  County one_by_one;
  for (County* county : {&together, &one_by_one})
    county->create("JT-2027", road_maintenance_request(2027));

  const auto answers = together.engine.execute_each(commands);
  for (const Command& command : commands) REQUIRE(one_by_one.engine.execute(command).ok());

  REQUIRE(answers.size() == 2);
  REQUIRE(answers[1].ok());
  const BudgetLine line = together.line("JT-2027");
  REQUIRE(line.copied_size() == 2);
  CHECK(line.copied(0).line_id() == "JT-2026");
  CHECK(same_line(line, one_by_one.line("JT-2027")));
}

TEST_CASE(
    "a command whose line another writer changed after it was planned runs again on the "
    "line as stored",
    "[engine][each]") {
  County county;
  county.create("JT-1", road_maintenance_request());
  county.create("JT-2", road_maintenance_request());
  LineContent revised = road_maintenance_request();
  revised.set_title(revised.title() + "（修订）");
  ChangedBeforeCommit store(*county.store, [&] {
    REQUIRE(county.act(actor::kTransportUnit, "JT-1", revise_line(revised)).ok());
  });
  Engine engine(store, county.workflow, county.clock);
  const std::string unit = actor::kTransportUnit;

  const auto answers = engine.execute_each({
      single("s-1", unit, "JT-1", submit_line()),  // planned at version 1, stored at 2
      single("s-2", unit, "JT-1", submit_line()),  // planned after "s-1": refused either way
      single("s-3", unit, "JT-2", submit_line()),  // another line: refused after "s-1", run again
      single("s-4", unit, "JT-2", revise_line(revised), 1),  // planned after "s-3": stale
  });

  REQUIRE(answers.size() == 4);
  CHECK(answer_of(answers[0]) == "applied JT-1@3:justification.submitted");
  CHECK(answer_of(answers[1]) == "FAILED_PRECONDITION");
  CHECK(answer_of(answers[2]) == "applied JT-2@2:justification.submitted");
  CHECK(answer_of(answers[3]) == "ABORTED");
  const BudgetLine line = county.line("JT-1");
  CHECK(line.content().title() == revised.title());
  CHECK(line.state() == "justification.submitted");
  CHECK(line.version() == 3);
}

TEST_CASE("commands planned after one that could not commit run again on the lines as stored",
          "[engine][each]") {
  County county;
  county.create("JT-1", road_maintenance_request());
  county.create("JT-2", road_maintenance_request());
  const std::string unit = actor::kTransportUnit;
  LineContent revised = road_maintenance_request();
  revised.set_title(revised.title() + "（修订）");
  // Another server records the request id "s-1" for another command before ours commits.
  ChangedBeforeCommit store(*county.store, [&] {
    REQUIRE(county.engine.execute(single("s-1", unit, "JT-2", revise_line(revised))).ok());
  });
  Engine engine(store, county.workflow, county.clock);

  const auto answers = engine.execute_each({
      single("s-1", unit, "JT-1", submit_line()),  // its request id is taken when it commits
      single("s-2", unit, "JT-1", submit_line()),  // planned as a second submission: refused ...
  });

  REQUIRE(answers.size() == 2);
  CHECK(answer_of(answers[0]) == "INVALID_ARGUMENT");
  // ... but "s-1" never happened: "s-2" submits the draft, as it would have alone.
  CHECK(answer_of(answers[1]) == "applied JT-1@2:justification.submitted");
  CHECK(county.state("JT-1") == "justification.submitted");
}

TEST_CASE(
    "a command planned on a copy in memory that another server changed runs on the stored line",
    "[engine]") {
  County county;
  county.create("JT-1", road_maintenance_request());  // in the engine's memory at version 1
  county.create("JT-2", road_maintenance_request());
  Engine other(*county.store, county.workflow, county.clock);
  const std::string unit = actor::kTransportUnit;
  const std::string reviewer = actor::kReviewer;
  REQUIRE(other.execute(single("o-1", unit, "JT-1", submit_line())).ok());
  REQUIRE(other.execute(single("o-2", unit, "JT-2", submit_line())).ok());

  // Refused on the copy (a draft takes no review), planned again on the line as stored.
  const auto review = county.engine.execute(single("r-1", reviewer, "JT-1", start_target_review()));
  REQUIRE(review.ok());
  CHECK(review->items.back().version == 3);
  // The client's expected version is the stored one, not the copy's.
  const auto expected =
      county.engine.execute(single("r-2", reviewer, "JT-2", start_target_review(), 2));
  REQUIRE(expected.ok());
  CHECK(expected->items.back().version == 3);
  // A version older than the stored one is refused, whatever the copy says.
  REQUIRE(other.execute(single("o-3", unit, "JT-1", withdraw_line("重复申报"))).ok());
  const auto stale = county.engine.execute(single("r-3", reviewer, "JT-1", close_line(), 3));
  CHECK(stale.status().code() == Code::kAborted);
  CHECK(county.state("JT-1") == "withdrawn");
}

namespace {

// A real store that counts the engine's commits and its reads of a line or its stored version.
class CountingStore : public ChangedBeforeCommit {
 public:
  // `before_commit` runs on the writer before each commit.
  explicit CountingStore(
      Store& inner, std::function<void()> before_commit = [] {})
      : ChangedBeforeCommit(inner, std::move(before_commit), When::kEveryCommit), inner_(inner) {}
  Result<std::int64_t> line_version(const std::string& id) override {
    ++version_reads;
    return inner_.line_version(id);
  }
  Result<StoredLine> load_line(const std::string& id) override {
    ++line_reads;
    return inner_.load_line(id);
  }
  int commits() const { return changes(); }
  std::atomic<int> version_reads = 0;  // replans read on the engine's workers
  std::atomic<int> line_reads = 0;

 private:
  Store& inner_;
};

}  // namespace

TEST_CASE("once a copy in memory proved stale, the plans after it read their lines as stored",
          "[engine]") {
  County county;
  for (const char* id : {"JT-1", "JT-2", "JT-3"}) county.create(id, road_maintenance_request());
  CountingStore counted(*county.store);
  Engine ours(counted, county.workflow, county.clock);
  Engine other(*county.store, county.workflow, county.clock);
  for (const char* id : {"JT-1", "JT-2", "JT-3"}) REQUIRE(ours.get_line(id).ok());  // in memory
  const std::string unit = actor::kTransportUnit;
  const auto revise = [&](Engine& engine, const std::string& request, const std::string& line) {
    return engine.execute(single(request, unit, line, revise_line(road_maintenance_request())));
  };

  // Alone on its lines, the engine plans on its copies: one commit, no read.
  counted.version_reads = 0;
  counted.line_reads = 0;
  REQUIRE(revise(ours, "ours-1", "JT-3").ok());
  CHECK(counted.commits() == 1);
  CHECK(counted.version_reads == 0);
  CHECK(counted.line_reads == 0);

  // Another server moves JT-1 and JT-2 on. The plan on the stale copy of JT-1 is refused at
  // commit and made again on the stored line: two commits.
  REQUIRE(revise(other, "other-1", "JT-1").ok());
  REQUIRE(revise(other, "other-2", "JT-2").ok());
  const auto first = revise(ours, "ours-2", "JT-1");
  REQUIRE(first.ok());
  CHECK(first->items.back().version == 3);
  CHECK(counted.commits() == 3);

  // From then on the lines are read as stored, in one read (not their version first): JT-2
  // commits at once.
  counted.version_reads = 0;
  counted.line_reads = 0;
  const auto checked = revise(ours, "ours-3", "JT-2");
  REQUIRE(checked.ok());
  CHECK(checked->items.back().version == 3);
  CHECK(counted.commits() == 4);
  CHECK(counted.line_reads == 1);
  CHECK(counted.version_reads == 0);
}

TEST_CASE("a race between one server's own commands leaves its copies in memory trusted",
          "[engine]") {
  County county;
  for (const char* id : {"JT-1", "JT-2"}) county.create(id, road_maintenance_request());
  // The first commit waits until the second command is planned: both are planned on JT-1 at
  // version 1, and the second is refused at commit for the line the first moved on.
  std::promise<void> second_planned;
  std::shared_future<void> planned = second_planned.get_future().share();
  bool first_commit = true;  // the writer's alone
  CountingStore counted(*county.store, [&first_commit, planned] {
    if (std::exchange(first_commit, false)) planned.wait();
  });
  Engine ours(counted, county.workflow, county.clock);
  for (const char* id : {"JT-1", "JT-2"}) REQUIRE(ours.get_line(id).ok());  // in memory
  const std::string unit = actor::kTransportUnit;
  const auto revision = [&](const std::string& request, const std::string& line) {
    return single(request, unit, line, revise_line(road_maintenance_request()));
  };

  std::promise<Result<CommandOutcome>> first;
  std::promise<Result<CommandOutcome>> second;
  auto first_answer = first.get_future();
  auto second_answer = second.get_future();
  ours.execute_async(revision("race-1", "JT-1"),
                     [&first](Result<CommandOutcome> outcome) { first.set_value(outcome); });
  ours.execute_async(revision("race-2", "JT-1"),
                     [&second](Result<CommandOutcome> outcome) { second.set_value(outcome); });
  second_planned.set_value();
  const auto won = first_answer.get();
  const auto lost_then_won = second_answer.get();
  REQUIRE(won.ok());
  REQUIRE(lost_then_won.ok());
  CHECK(won->items.back().version == 2);
  CHECK(lost_then_won->items.back().version == 3);  // planned again on version 2

  // The copy of JT-2 was never stale: the next command plans on it, reading nothing.
  counted.version_reads = 0;
  counted.line_reads = 0;
  const auto next = ours.execute(revision("after-race", "JT-2"));
  REQUIRE(next.ok());
  CHECK(next->items.back().version == 2);
  CHECK(counted.line_reads == 0);
  CHECK(counted.version_reads == 0);
}

TEST_CASE("get_line answers the stored line, never an older copy in memory", "[engine]") {
  County county;
  county.create("JT-1", road_maintenance_request());
  REQUIRE(county.engine.get_line("JT-1").ok());  // now in the engine's memory at version 1
  // Another server on the same database submits the line.
  Engine other(*county.store, county.workflow, county.clock);
  REQUIRE(other.execute(single("elsewhere", actor::kTransportUnit, "JT-1", submit_line())).ok());

  auto current = county.engine.get_line("JT-1");
  REQUIRE(current.ok());
  CHECK(current->version() == 2);
  CHECK(county.engine.get_line("JT-404").status().code() == Code::kNotFound);
}

TEST_CASE(
    "commands planned on one that lost its line to another writer are refused, then run "
    "again: nothing lost, nothing twice, the chain intact",
    "[engine][each][audit]") {
  County county;
  county.create("JT-1", road_maintenance_request());
  const std::string unit = actor::kTransportUnit;
  LineContent theirs = road_maintenance_request();
  theirs.set_title("另一台服务器的修订");
  LineContent ours = road_maintenance_request();
  ours.set_title("本批次的修订");
  // Another server adds one event to JT-1 — the very version the first command is planned to
  // reach — before ours commit.
  ChangedBeforeCommit store(*county.store, [&] {
    REQUIRE(county.engine.execute(single("theirs", unit, "JT-1", revise_line(theirs))).ok());
  });
  Engine engine(store, county.workflow, county.clock);

  const auto answers = engine.execute_each({
      single("ours-1", unit, "JT-1", revise_line(ours)),  // planned 1 → 2: stored is at 2 already
      single("ours-2", unit, "JT-1", submit_line()),      // planned 2 → 3 on top of "ours-1"
  });

  REQUIRE(answers.size() == 2);
  CHECK(answer_of(answers[0]) == "applied JT-1@3:draft");
  CHECK(answer_of(answers[1]) == "applied JT-1@4:justification.submitted");
  const BudgetLine line = county.line("JT-1");
  CHECK(line.version() == 4);
  CHECK(line.content().title() == ours.title());
  const auto history = county.history("JT-1");
  REQUIRE(history.size() == 4);
  CHECK(history[1].request_id == "theirs");
  CHECK(history[2].request_id == "ours-1");
  CHECK(history[3].request_id == "ours-2");
  auto audit = verify_audit(*county.store, "JT-1");
  REQUIRE(audit.ok());
  CHECK_FALSE(audit->first_broken);
}

TEST_CASE("a creation waits for the planned change of its programme's last-year line",
          "[engine][each]") {
  const std::string unit = actor::kTransportUnit;
  County together;
  County one_by_one;
  for (County* county : {&together, &one_by_one}) {
    county->create("JT-2026", road_maintenance_request(2026));
    county->drive_to("JT-2026", s::kScored);
    // The final accounts of 2026 closed: the line, with money unspent, may be closed.
    county->clock.set(std::max(county->clock.now(), at(2027, 2, 1)));
  }
  // Last year's evaluation is closed in the same call that creates this year's line: the
  // creation must see the closed evaluation, as it would sent after it.
  REQUIRE(together.line("JT-2026").prior().line_id().empty());
  const std::vector<Command> commands = {
      single("close", actor::kEvaluationOffice, "JT-2026", close_line("评价结果已归档")),
      single("create", unit, "JT-2027", create_line(road_maintenance_request(2027))),
  };
  const auto answers = together.engine.execute_each(commands);
  for (std::size_t i = 0; i < commands.size(); ++i)
    CHECK(answer_of(answers[i]) == answer_of(one_by_one.engine.execute(commands[i])));
  const BudgetLine together_line = together.line("JT-2027");
  const BudgetLine one_by_one_line = one_by_one.line("JT-2027");
  REQUIRE(one_by_one_line.prior().line_id() == "JT-2026");
  CHECK(same_message(together_line.prior(), one_by_one_line.prior()));
}

}  // namespace zbb::testing

namespace zbb::testing {

TEST_CASE("a command's outcome carries the line as it committed it — a replay does not",
          "[engine]") {
  County county;
  county.create("JT-1", road_maintenance_request());
  const Command submit = single("submit-1", actor::kTransportUnit, "JT-1", submit_line());
  auto outcome = county.engine.execute(submit);
  REQUIRE(outcome.ok());
  REQUIRE(outcome->last_line != nullptr);
  CHECK(same_line(*outcome->last_line, county.line("JT-1")));
  CHECK(outcome->last_line->state() == outcome->items.back().state);
  // With the document its commit stored, for an answer to carry as it is.
  REQUIRE(outcome->last_line_document != nullptr);
  CHECK(*outcome->last_line_document == line_document(*outcome->last_line));
  auto replayed = county.engine.execute(submit);
  REQUIRE(replayed.ok());
  CHECK(replayed->replayed);
  CHECK(replayed->last_line == nullptr);
  CHECK(replayed->last_line_document == nullptr);
}

}  // namespace zbb::testing

namespace zbb::testing {

TEST_CASE("a retried payment the line would take again is answered, not paid twice", "[engine]") {
  County county;
  county.create("JT-1", road_maintenance_request());
  county.drive_to("JT-1", s::kExecuting);
  const Command pay = single("pay-1", actor::kTreasury, "JT-1", record_spending(5'00, "GK-1", ""));
  auto first = county.engine.execute(pay);
  REQUIRE(first.ok());
  const auto events_after_first = all_events(county);

  // Planned afresh it would be allowed: the store's verdict on its request id answers it.
  auto retry = county.engine.execute(pay);
  REQUIRE(retry.ok());
  CHECK(retry->replayed);
  CHECK(retry->items == first->items);
  CHECK(county.line("JT-1").spent_amount() == 5'00);
  CHECK(all_events(county) == events_after_first);
}

}  // namespace zbb::testing
