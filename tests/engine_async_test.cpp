// Engine::execute_async: a command answered through a callback, on the thread that learns its
// outcome, with no thread waiting for it in between.

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/changed_before_commit.h"
#include "tests/county_fixture.h"

namespace zbb::testing {
namespace {

Command single(const std::string& request_id, const std::string& line_id, Action action) {
  return Command{
      request_id, principal_of(actor::kTransportUnit), {{line_id, std::nullopt, action}}};
}

// An answer of execute_async with the thread it came on.
struct Answer {
  Result<CommandOutcome> outcome = Status::Internal("not answered");
  std::thread::id thread;
};

// Sends the command and waits for its answer; the answer must come exactly once.
Answer answer_to(Engine& engine, Command command) {
  auto calls = std::make_shared<std::atomic<int>>(0);
  std::promise<Answer> answered;
  auto answer = answered.get_future();
  engine.execute_async(std::move(command), [&answered, calls](Result<CommandOutcome> outcome) {
    if (calls->fetch_add(1) == 0)
      answered.set_value({std::move(outcome), std::this_thread::get_id()});
  });
  Answer got = answer.get();
  CHECK(calls->load() == 1);
  return got;
}

}  // namespace

TEST_CASE("a command refused before its commit is answered on the calling thread",
          "[engine][async]") {
  County county;
  const Answer missing = answer_to(county.engine, single("a-1", "JT-MISSING", submit_line()));
  REQUIRE_FALSE(missing.outcome.ok());
  CHECK(missing.outcome.status().code() == Code::kNotFound);
  CHECK(missing.thread == std::this_thread::get_id());

  const Answer bad_envelope = answer_to(county.engine, single("", "JT-1", submit_line()));
  REQUIRE_FALSE(bad_envelope.outcome.ok());
  CHECK(bad_envelope.outcome.status().field() == "request_id");
  CHECK(bad_envelope.thread == std::this_thread::get_id());
}

TEST_CASE(
    "a command that commits is answered by the group commit's answering thread, as execute "
    "answers",
    "[engine][async]") {
  County county;
  const Answer created =
      answer_to(county.engine, single("a-1", "JT-1", create_line(road_maintenance_request())));
  REQUIRE(created.outcome.ok());
  CHECK(created.thread != std::this_thread::get_id());
  CHECK_FALSE(created.outcome->replayed);
  REQUIRE(created.outcome->last_line != nullptr);
  CHECK(same_line(*created.outcome->last_line, county.line("JT-1")));

  // The retry is answered with the first outcome, as execute() answers it.
  const auto retried =
      county.engine.execute(single("a-1", "JT-1", create_line(road_maintenance_request())));
  REQUIRE(retried.ok());
  CHECK(retried->replayed);
  CHECK(retried->items == created.outcome->items);
}

TEST_CASE("many commands sent from one thread without waiting are each answered once",
          "[engine][async]") {
  County county;
  constexpr int kCommands = 200;
  std::mutex mutex;
  std::vector<int> answers(kCommands, 0);
  std::vector<std::string> failures;
  std::promise<void> all_answered;
  int remaining = kCommands;
  for (int i = 0; i < kCommands; ++i)
    county.engine.execute_async(single("c-" + std::to_string(i), "JT-" + std::to_string(i),
                                       create_line(road_maintenance_request())),
                                [&, i](Result<CommandOutcome> outcome) {
                                  std::lock_guard lock(mutex);
                                  ++answers[static_cast<std::size_t>(i)];
                                  if (!outcome.ok())
                                    failures.push_back(outcome.status().to_string());
                                  if (--remaining == 0) all_answered.set_value();
                                });
  all_answered.get_future().get();
  CHECK(failures.empty());
  CHECK(std::count(answers.begin(), answers.end(), 1) == kCommands);
  for (int i = 0; i < kCommands; i += 37) CHECK(county.state("JT-" + std::to_string(i)) == "draft");
}

TEST_CASE("a command whose line moved before its commit is planned again and answered once",
          "[engine][async]") {
  County county;
  county.create("JT-1", road_maintenance_request());
  LineContent revised = road_maintenance_request();
  revised.set_title(revised.title() + "（修订）");
  ChangedBeforeCommit store(*county.store, [&] {
    REQUIRE(county.act(actor::kTransportUnit, "JT-1", revise_line(revised)).ok());
  });
  Engine engine(store, county.workflow, county.clock);

  const Answer submitted = answer_to(engine, single("s-1", "JT-1", submit_line()));

  REQUIRE(submitted.outcome.ok());
  // Planned at version 1, stored at 2 by the other writer, planned again and committed at 3.
  CHECK(submitted.outcome->items.back().version == 3);
  CHECK(store.changes() == 1);
  const BudgetLine line = county.line("JT-1");
  CHECK(line.content().title() == revised.title());
  CHECK(line.state() == "justification.submitted");
}

TEST_CASE(
    "a command whose line keeps moving is answered UNAVAILABLE once its caller stops waiting, "
    "with nothing written",
    "[engine][async]") {
  County county;
  county.create("JT-1", road_maintenance_request());
  ChangedBeforeCommit store(
      *county.store,
      [&] {
        LineContent revised = road_maintenance_request();
        revised.set_title(revised.title() + "（修订 " + County::next_request_id() + "）");
        REQUIRE(county.act(actor::kTransportUnit, "JT-1", revise_line(revised)).ok());
      },
      ChangedBeforeCommit::When::kEveryCommit);
  Engine engine(store, county.workflow, county.clock);
  Command submit = single("s-1", "JT-1", submit_line());
  int asked = 0;
  submit.still_wanted = [&asked] { return ++asked < 3; };

  const Answer answer = answer_to(engine, std::move(submit));

  REQUIRE_FALSE(answer.outcome.ok());
  CHECK(answer.outcome.status().code() == Code::kUnavailable);
  CHECK_THAT(answer.outcome.status().message(), Catch::Contains("a retry with the same request"));
  CHECK(store.changes() == 3);
  CHECK(county.state("JT-1") == "draft");
  auto recorded = county.store->find_request(request_key(single("s-1", "JT-1", submit_line())));
  REQUIRE(recorded.ok());
  CHECK_FALSE(recorded->has_value());
}

TEST_CASE("an engine destroyed with commands in flight writes and answers each of them first",
          "[engine][async]") {
  County county;
  // The first commit waits until the test lets it go, so that a second command is queued
  // behind it when the engine is destroyed.
  std::promise<void> entered;
  std::promise<void> release;
  auto released = release.get_future().share();
  ChangedBeforeCommit store(*county.store, [&entered, released] {
    entered.set_value();
    released.wait();
  });
  auto engine = std::make_unique<Engine>(store, county.workflow, county.clock);
  std::promise<Result<CommandOutcome>> first;
  std::promise<Result<CommandOutcome>> second;
  engine->execute_async(single("d-1", "JT-1", create_line(road_maintenance_request())),
                        [&first](Result<CommandOutcome> outcome) { first.set_value(outcome); });
  entered.get_future().wait();
  engine->execute_async(single("d-2", "JT-2", create_line(road_maintenance_request())),
                        [&second](Result<CommandOutcome> outcome) { second.set_value(outcome); });

  std::thread destroy([&engine] { engine.reset(); });
  release.set_value();
  destroy.join();

  const auto first_outcome = first.get_future().get();
  const auto second_outcome = second.get_future().get();
  CHECK(first_outcome.ok());
  CHECK(second_outcome.ok());
  CHECK(county.state("JT-1") == "draft");
  CHECK(county.state("JT-2") == "draft");
}

}  // namespace zbb::testing
