// SLAs per state visit: due times, one escalation per visit driven by the injected clock, and
// the supervisors' FindStuck and Summarize figures, checked against the lines themselves.

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "engine/escalation.h"
#include "engine/proto_codec.h"
#include "tests/county_fixture.h"
#include "workflows/correction.h"
#include "workflows/state_ids.h"

namespace zbb::testing {
namespace {

namespace s = review::state;
using namespace std::chrono_literals;

constexpr Fen kRequest = 100'000'000;  // 1,000,000.00 yuan

// One line in every state of the lifecycle, "S15".."S01", alternating two departments.
struct Lifecycle {
  County county;
  std::vector<std::string> ids;

  Lifecycle() {
    std::vector<std::string_view> states(review::kActiveStates.begin(),
                                         review::kActiveStates.end());
    states.insert(states.end(), review::kTerminalStates.begin(), review::kTerminalStates.end());
    for (std::size_t i = 0; i < states.size(); ++i) {
      // Ids fall as the lines are created, so id order is not the order of waiting.
      const std::size_t number = states.size() - i;
      const std::string id = (number < 10 ? "S0" : "S") + std::to_string(number);
      const std::string& department = i % 2 == 0 ? kTransport : kEducation;
      LineContent content = packaged_request(department, "PM-" + id, kRequest, 0, 0);
      content.clear_increments();
      county.create(id, content, unit_of(department));
      county.drive_to(id, states[i]);
      ids.push_back(id);
    }
  }

  std::vector<BudgetLine> lines() {
    auto all = list_all_lines(*county.store, {});
    REQUIRE(all.ok());
    return *all;
  }

  std::size_t breaches(const std::string& id) {
    const auto events = county.history(id);
    return static_cast<std::size_t>(std::count_if(
        events.begin(), events.end(), [](const auto& e) { return e.type == "sla_breached"; }));
  }

  // Sets the clock to the middle due time: some lines are past due and some are not.
  void half_way_through_the_due_times() {
    std::vector<Timestamp> dues;
    for (const auto& line : lines())
      if (line.has_due_at()) dues.push_back(*due_at(line));
    std::sort(dues.begin(), dues.end());
    county.clock.set(dues[dues.size() / 2]);
  }

  EscalationRound escalate() {
    Escalator escalator(county.engine, county.clock);
    auto round = escalator.run();
    REQUIRE(round.ok());
    return *round;
  }
};

std::int64_t sla_days(County& county, std::string_view state) {
  return county.workflow.policies().current().sla_days().at(std::string(state));
}

// What FindStuck must answer, worked out from the lines' own documents.
std::vector<std::string> expected_stuck(const std::vector<BudgetLine>& lines, const StuckQuery& q) {
  std::vector<const BudgetLine*> matching;
  for (const auto& line : lines) {
    if (!line.has_due_at()) continue;
    const Timestamp key = q.min_age ? from_proto(line.state_entered_at()) : *due_at(line);
    const Timestamp cutoff = q.min_age ? q.now - *q.min_age : q.now;
    if (key > cutoff) continue;
    if (q.fiscal_year && line.content().fiscal_year() != *q.fiscal_year) continue;
    if (!q.department.empty() && line.content().department() != q.department) continue;
    if (!q.state.empty() && line.state() != q.state) continue;
    if (!q.waiting_on.empty() && line.waiting_on() != q.waiting_on) continue;
    matching.push_back(&line);
  }
  const auto key = [&](const BudgetLine* l) {
    return std::pair(q.min_age ? from_proto(l->state_entered_at()) : *due_at(*l), l->id());
  };
  std::sort(matching.begin(), matching.end(),
            [&](const auto* a, const auto* b) { return key(a) < key(b); });
  std::vector<std::string> ids;
  for (const auto* line : matching) ids.push_back(line->id());
  return ids;
}

std::vector<std::string> ids_of(const std::vector<StuckLine>& lines) {
  std::vector<std::string> ids;
  for (const auto& line : lines) ids.push_back(line.line_id);
  return ids;
}

std::string group_key(const BudgetLine& line, SummaryGrouping grouping) {
  switch (grouping) {
    case SummaryGrouping::kState:
      return line.state();
    case SummaryGrouping::kDepartment:
      return line.content().department();
    case SummaryGrouping::kWaitingOn:
      return line.waiting_on();
    case SummaryGrouping::kWarningLevel:
      return line.has_monitoring() ? std::string(to_string(line.monitoring().level())) : "";
  }
  return "";
}

// What Summarize must answer, worked out from the lines' own documents.
std::vector<SummaryGroup> expected_summary(const std::vector<BudgetLine>& lines,
                                           const SummaryQuery& q) {
  std::map<std::string, SummaryGroup> groups;
  for (const auto& line : lines) {
    if (q.fiscal_year && line.content().fiscal_year() != *q.fiscal_year) continue;
    if (!q.department.empty() && line.content().department() != q.department) continue;
    SummaryGroup& group = groups[group_key(line, q.group_by)];
    group.key = group_key(line, q.group_by);
    ++group.lines;
    group.escalated += line.sla_breached() ? 1 : 0;
    group.requested += line.content().requested_amount();
    group.approved += line.approved_amount();
    group.spent += line.spent_amount();
    if (!line.has_due_at()) continue;
    const bool older =
        !group.oldest || std::pair(from_proto(line.state_entered_at()), line.id()) <
                             std::pair(group.oldest->state_entered_at, group.oldest->line_id);
    if (older)
      group.oldest =
          OldestItem{line.id(), line.state(), from_proto(line.state_entered_at()), *due_at(line)};
  }
  std::vector<SummaryGroup> out;
  for (auto& [key, group] : groups) out.push_back(group);
  return out;
}

TEST_CASE("every active state has a due time from its SLA and terminal states have none", "[sla]") {
  Lifecycle life;
  for (const auto& line : life.lines()) {
    INFO(line.id() << " in " << line.state());
    const bool active = std::find(review::kActiveStates.begin(), review::kActiveStates.end(),
                                  line.state()) != review::kActiveStates.end();
    REQUIRE(line.has_due_at() == active);
    if (active) {
      // A line whose red verdict opened a correction: the unit's answer is due first.
      const auto& monitoring = life.county.workflow.policies().current().monitoring();
      const std::int64_t days = review::correction_awaits_answer(line)
                                    ? monitoring.correction_answer_days()
                                    : sla_days(life.county, line.state());
      CHECK(*due_at(line) == from_proto(line.state_entered_at()) + std::chrono::days(days));
    }
    CHECK_FALSE(line.sla_breached());
  }
}

TEST_CASE("lines in every active state pass their SLAs and are escalated once per visit", "[sla]") {
  Lifecycle life;
  const auto before = life.lines();
  Timestamp last_due = life.county.clock.now();
  for (const auto& line : before)
    if (line.has_due_at()) last_due = std::max(last_due, *due_at(line));

  // The timer's index names the earliest due line.
  Timestamp first_due = last_due;
  for (const auto& line : before)
    if (line.has_due_at()) first_due = std::min(first_due, *due_at(line));
  auto next = life.county.store->next_due();
  REQUIRE(next.ok());
  CHECK(*next == first_due);

  life.county.clock.set(last_due + 1h);
  const EscalationRound round = life.escalate();
  CHECK(round.escalated == review::kActiveStates.size());
  CHECK(round.failures.empty());
  CHECK_FALSE(round.next_due.has_value());  // every active line escalated

  const Timestamp now = life.county.clock.now();
  for (const auto& line : life.lines()) {
    INFO(line.id() << " in " << line.state());
    const bool active = line.has_due_at();
    CHECK(line.sla_breached() == active);
    CHECK(life.breaches(line.id()) == (active ? 1u : 0u));
    if (!active) continue;
    const auto events = life.county.history(line.id());
    const RecordedEvent& breach = events.back();
    REQUIRE(breach.type == "sla_breached");
    CHECK(breach.actor == "zbbd");
    CHECK(breach.from_state == line.state());
    CHECK(breach.to_state == line.state());
    const auto payload = payload_of(breach);
    CHECK(payload.follow_up().sla_breached().state() == line.state());
    CHECK(payload.decided().waiting_on() == line.waiting_on());
    CHECK(from_proto(payload.decided().due_at()) == *due_at(line));
    CHECK(from_proto(payload.decided().state_entered_at()) == from_proto(line.state_entered_at()));
    CHECK(payload.decided().overdue_ms() == (now - *due_at(line)).count());
    // The escalation is not a move: the state visit and its clock go on.
    CHECK(from_proto(line.state_entered_at()) ==
          from_proto(std::find_if(before.begin(), before.end(), [&](const auto& b) {
                       return b.id() == line.id();
                     })->state_entered_at()));
  }

  // Later rounds find nothing more to escalate in the same visits.
  life.county.clock.advance(std::chrono::days(30));
  CHECK(life.escalate().escalated == 0);
  for (const auto& id : life.ids) CHECK(life.breaches(id) <= 1u);
}

TEST_CASE("a new state visit, and each approval level, gets its own SLA and escalation", "[sla]") {
  County county;
  LineContent content = packaged_request(kTransport, "PM-V", kRequest, 0, 0);
  content.clear_increments();
  county.create("V1", content, unit_of(kTransport));
  county.drive_to("V1", s::kAwaitingDecision);
  const auto escalate = [&] {
    Escalator escalator(county.engine, county.clock);
    auto round = escalator.run();
    REQUIRE(round.ok());
    return round->escalated;
  };

  BudgetLine line = county.line("V1");
  REQUIRE(line.approval_step() == 0);
  county.clock.set(*due_at(line) - 1ms);
  CHECK(escalate() == 0);  // not yet due
  county.clock.set(*due_at(line));
  CHECK(escalate() == 1);  // due exactly now
  CHECK(county.line("V1").sla_breached());

  // The first level approves: the line waits on the next level, with a fresh clock.
  county.drive_to("V1", s::kExecuting);  // approves level after level
  line = county.line("V1");
  CHECK_FALSE(line.sla_breached());
  CHECK(*due_at(line) ==
        from_proto(line.state_entered_at()) + std::chrono::days(sla_days(county, s::kExecuting)));

  const auto events = county.history("V1");
  const auto breaches = std::count_if(events.begin(), events.end(),
                                      [](const auto& e) { return e.type == "sla_breached"; });
  CHECK(breaches == 1);

  // A line approved level by level, each level late: one escalation per level.
  county.create("V2", content, unit_of(kTransport));
  county.drive_to("V2", s::kAwaitingDecision);
  const std::string approvers[] = {actor::kDepartmentHead, actor::kBudgetSection,
                                   actor::kPerformanceSection, actor::kBureauHead};
  const auto& chain = county.workflow.policies().current().approval_chain();
  for (int level = 0; level < chain.size(); ++level) {
    line = county.line("V2");
    REQUIRE(line.approval_step() == level);
    CHECK(line.waiting_on() == chain[level].role());
    county.clock.set(*due_at(line) + 1h);
    CHECK(escalate() == 1);
    REQUIRE(county
                .act(approvers[level], "V2",
                     decide_approval(chain[level].name(), zbb::v1::DECISION_APPROVE,
                                     line.granted_amount(), "同意"))
                .ok());
  }
  const auto v2 = county.history("V2");
  std::vector<std::string> escalated_roles;
  for (const auto& event : v2)
    if (event.type == "sla_breached")
      escalated_roles.push_back(payload_of(event).decided().waiting_on());
  std::vector<std::string> roles;
  for (const auto& level : chain) roles.push_back(level.role());
  CHECK(escalated_roles == roles);
}

TEST_CASE(
    "an escalation is refused before the due time, twice, in a terminal state and for a "
    "line that moved on",
    "[sla]") {
  County county;
  LineContent content = packaged_request(kTransport, "PM-R", kRequest, 0, 0);
  content.clear_increments();
  county.create("R1", content, unit_of(kTransport));
  const BudgetLine draft = county.line("R1");

  auto early = county.record("R1", sla_breach(std::string(s::kDraft)));
  CHECK(early.status().code() == Code::kFailedPrecondition);
  CHECK_THAT(early.status().message(), Catch::Contains("not due until"));

  county.clock.set(*due_at(draft) + 1h);
  auto other_state = county.record("R1", sla_breach(std::string(s::kSubmitted)));
  CHECK(other_state.status().code() == Code::kFailedPrecondition);
  CHECK_THAT(other_state.status().message(), Catch::Contains("visit is over"));

  auto stale = county.record("R1", sla_breach(std::string(s::kDraft)), 0);
  CHECK(stale.status().code() == Code::kAborted);

  REQUIRE(county.record("R1", sla_breach(std::string(s::kDraft))).ok());
  auto twice = county.record("R1", sla_breach(std::string(s::kDraft)));
  CHECK(twice.status().code() == Code::kFailedPrecondition);
  CHECK_THAT(twice.status().message(), Catch::Contains("already escalated"));

  county.drive_to("R1", s::kWithdrawn);
  auto terminal = county.record("R1", sla_breach(std::string(s::kWithdrawn)));
  CHECK(terminal.status().code() == Code::kFailedPrecondition);
  CHECK_THAT(terminal.status().message(), Catch::Contains("withdrawn"));
}

TEST_CASE("the escalator leaves alone a line that moved on after it was read", "[sla]") {
  County county;
  LineContent content = packaged_request(kTransport, "PM-M", kRequest, 0, 0);
  content.clear_increments();
  county.create("M1", content, unit_of(kTransport));
  county.clock.set(*due_at(county.line("M1")) + 1h);
  auto due = county.store->lines_due(county.clock.now(), 10);
  REQUIRE(due.ok());
  REQUIRE(due->size() == 1);

  // The unit submits between the read and the escalation.
  county.drive_to("M1", s::kSubmitted);
  Command late{.request_id = Escalator::request_id("M1", due->front().version),
               .principal = Principal::zbb(),
               .items = {},
               .follow_ups = {{"M1", due->front().version, sla_breach(due->front().state)}}};
  CHECK(county.engine.execute(late).status().code() == Code::kAborted);

  // The new visit is not due for days: the timer sleeps until then.
  Escalator escalator(county.engine, county.clock);
  auto round = escalator.run();
  REQUIRE(round.ok());
  CHECK(round->escalated == 0);
  CHECK(round->failures.empty());
  CHECK(round->next_due == due_at(county.line("M1")));
}

TEST_CASE("lines that cannot be escalated do not hold back the lines due after them", "[sla]") {
  County county;
  // Three lines run under a policy this server no longer loads, with a one-day draft SLA: they
  // are due first and every escalation of them fails.
  auto retired = county.workflow.policies().current();
  retired.set_version("2026.9");
  (*retired.mutable_sla_days())[std::string(s::kDraft)] = 1;
  auto retired_set = review::PolicySet::from_policies({retired}, "2026.9");
  REQUIRE(retired_set.ok());
  review::ZeroBasedReview retired_workflow(std::move(retired_set).value());
  Engine retired_engine(*county.store, retired_workflow, county.clock);
  for (const char* id : {"OLD-1", "OLD-2", "OLD-3"}) {
    LineContent content = packaged_request(kTransport, std::string("PM-") + id, kRequest, 0, 0);
    content.clear_increments();
    Command create{
        id, principal_of(unit_of(kTransport)), {{id, std::nullopt, create_line(content)}}};
    REQUIRE(retired_engine.execute(create).ok());
  }
  for (const char* id : {"NEW-1", "NEW-2"}) {
    LineContent content = packaged_request(kEducation, std::string("PM-") + id, kRequest, 0, 0);
    content.clear_increments();
    county.create(id, content, unit_of(kEducation));
  }
  county.clock.advance(std::chrono::days(31));

  // Two due lines a page: the failing ones fill the first page and more.
  Escalator escalator(county.engine, county.clock, 2);
  auto round = escalator.run();
  REQUIRE(round.ok());
  CHECK(round->escalated == 2);
  REQUIRE(round->failures.size() == 3);
  for (const auto& failure : round->failures) {
    CHECK(failure.code() == Code::kFailedPrecondition);
    CHECK_THAT(failure.message(), Catch::Contains("2026.9"));
  }
  CHECK(county.line("NEW-1").sla_breached());
  CHECK(county.line("NEW-2").sla_breached());
}

TEST_CASE("a line with an id of the longest length is escalated under a request id of its own",
          "[sla]") {
  County county;
  const std::string long_id(128, 'L');
  const std::string other_id = std::string(127, 'L') + "M";
  for (const auto& id : {long_id, other_id}) {
    LineContent content = packaged_request(kTransport, "PM-" + id.substr(120), kRequest, 0, 0);
    content.clear_increments();
    county.create(id, content, unit_of(kTransport));
  }
  CHECK(validate_id("request_id", Escalator::request_id(long_id, 1)).ok());
  CHECK(Escalator::request_id(long_id, 1) != Escalator::request_id(other_id, 1));
  county.clock.advance(std::chrono::days(31));
  Escalator escalator(county.engine, county.clock);
  auto round = escalator.run();
  REQUIRE(round.ok());
  CHECK(round->failures.empty());
  CHECK(round->escalated == 2);
  CHECK(county.line(long_id).sla_breached());
}

TEST_CASE("a round stops at once when the server is shutting down", "[sla]") {
  County county;
  LineContent content = packaged_request(kTransport, "PM-STOP", kRequest, 0, 0);
  content.clear_increments();
  county.create("STOP-1", content, unit_of(kTransport));
  county.clock.advance(std::chrono::days(31));
  const std::atomic<bool> stopping{true};
  Escalator escalator(county.engine, county.clock);
  auto round = escalator.run(&stopping);
  REQUIRE(round.ok());
  CHECK(round->escalated == 0);
  CHECK_FALSE(county.line("STOP-1").sla_breached());
}

TEST_CASE("FindStuck returns exactly the lines past due, most overdue first, by every filter",
          "[sla][supervision]") {
  Lifecycle life;
  life.half_way_through_the_due_times();
  life.escalate();
  const auto lines = life.lines();
  const Timestamp now = life.county.clock.now();

  std::vector<StuckQuery> queries;
  queries.push_back({.now = now});
  queries.push_back({.now = now, .department = kTransport});
  queries.push_back({.now = now, .department = kEducation});
  queries.push_back({.now = now, .fiscal_year = 2027});
  queries.push_back({.now = now, .fiscal_year = 2026});
  queries.push_back({.now = now, .state = std::string(s::kDraft)});
  queries.push_back({.now = now, .waiting_on = "reviewer"});
  queries.push_back({.now = now, .department = kTransport, .waiting_on = "unit:" + kTransport});
  queries.push_back({.now = now, .min_age = std::chrono::days(30)});
  queries.push_back({.now = now, .min_age = std::chrono::days(200), .department = kEducation});
  std::size_t non_empty = 0;
  for (const auto& query : queries) {
    INFO("department " << query.department << " state " << query.state << " waiting on "
                       << query.waiting_on << " age "
                       << (query.min_age ? query.min_age->count() : -1));
    auto found = life.county.store->find_stuck(query);
    REQUIRE(found.ok());
    CHECK(ids_of(*found) == expected_stuck(lines, query));
    if (!found->empty()) ++non_empty;
  }
  CHECK(non_empty >= 6);  // the filters are tried on real answers, not only on empty ones

  // Each row carries what a supervisor needs, as stored on the line.
  auto all = life.county.store->find_stuck({.now = now});
  REQUIRE(all.ok());
  REQUIRE(all->size() >= 3);
  for (const auto& row : *all) {
    const BudgetLine line = life.county.line(row.line_id);
    CHECK(row.state == line.state());
    CHECK(row.waiting_on == line.waiting_on());
    CHECK(row.department == line.content().department());
    CHECK(row.fiscal_year == line.content().fiscal_year());
    CHECK(row.state_entered_at == from_proto(line.state_entered_at()));
    CHECK(row.due_at == *due_at(line));
    CHECK(row.requested_amount == line.content().requested_amount());
    CHECK(row.approved_amount == line.approved_amount());
    CHECK(row.escalated);  // the round ran at this very clock
  }

  // Paged one line at a time, every stuck line comes once, in order.
  std::vector<std::string> paged;
  StuckQuery page{.now = now, .limit = 1};
  for (int guard = 0; guard < 50; ++guard) {
    auto rows = life.county.store->find_stuck(page);
    REQUIRE(rows.ok());
    if (rows->empty()) break;
    paged.push_back(rows->front().line_id);
    page.after = StuckCursor{to_millis(rows->front().due_at), rows->front().line_id};
  }
  CHECK(paged == ids_of(*all));
}

TEST_CASE("Summarize gives the counts, money and oldest line of every group",
          "[sla][supervision]") {
  Lifecycle life;
  life.half_way_through_the_due_times();
  const EscalationRound round = life.escalate();
  REQUIRE(round.escalated > 0);
  const auto lines = life.lines();

  for (SummaryGrouping grouping : {SummaryGrouping::kState, SummaryGrouping::kDepartment,
                                   SummaryGrouping::kWaitingOn, SummaryGrouping::kWarningLevel}) {
    for (const SummaryQuery& query :
         {SummaryQuery{grouping}, SummaryQuery{grouping, 2027, kTransport},
          SummaryQuery{grouping, std::nullopt, kEducation}, SummaryQuery{grouping, 2026}}) {
      INFO("by " << to_string(grouping) << " department " << query.department);
      auto summary = life.county.store->summarize(query);
      REQUIRE(summary.ok());
      CHECK(*summary == expected_summary(lines, query));
    }
  }

  // By hand, the figures a dashboard shows for the whole county.
  auto by_state = life.county.store->summarize({SummaryGrouping::kState});
  REQUIRE(by_state.ok());
  CHECK(by_state->size() == 18);  // one line in each state
  std::int64_t total = 0;
  std::int64_t escalated = 0;
  for (const auto& group : *by_state) {
    CHECK(group.lines == 1);
    CHECK(group.requested == kRequest);
    total += group.lines;
    escalated += group.escalated;
  }
  CHECK(total == 18);
  CHECK(escalated == static_cast<std::int64_t>(round.escalated));
}

}  // namespace
}  // namespace zbb::testing
