// Supervision end to end: a real zbbd records `sla_breached` once a line's state visit passes
// its SLA due time by zbbd's own clock — moved forward by starting zbbd again over the same
// SQLite file with a later --clock-start, never by sleeping — and supervisors read the stuck
// lines and the summary over gRPC and with zbbctl (stuck, summary, watch --stuck).

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/api_client.h"
#include "tests/county_fixture.h"
#include "tests/server_process.h"

namespace zbb::testing {
namespace {

namespace v1 = zbb::v1;
using google::protobuf::util::TimeUtil;
using std::chrono::milliseconds;
using namespace std::chrono_literals;

const std::string kSupervisor = "audit.supervisor.lin";

// zbbd #1 runs early in fiscal year 2027; zbbd #2 over the same file 40 days (and half an hour)
// later, zbbd #3 ten days after that. The half hour keeps the spans zbbctl prints to the hour
// ("10d 0h") clear of the second or so the servers and the requests take.
const std::string kStart = "2027-01-04T09:00:00Z";
const std::string kFortyDaysLater = "2027-02-13T09:30:00Z";
const std::string kFiftyDaysLater = "2027-02-23T09:30:00Z";
constexpr milliseconds kClockGap = 40 * 24h + 30min;
// How far an overdue time may stray from the clock gap's figure: the real time that passed.
constexpr milliseconds kTolerance = 1min;

struct ExpectedLine {
  std::string id;
  std::string department;
  std::string state;
  std::chrono::days sla;  // the state's sla_days in workflows/zero_based_review.textproto
};

// The lines zbbd #1 leaves in states whose SLA has passed at zbbd #2's clock, most overdue
// first: each entered its state at zbbd #1's start, give or take the second the requests took.
const std::vector<ExpectedLine> kStuck = {
    {"JT-2", kTransport, "justification.submitted", std::chrono::days(3)},
    {"JT-5", kTransport, "approval.awaiting_decision", std::chrono::days(5)},
    {"JT-3", kTransport, "justification.under_target_review", std::chrono::days(10)},
    {"JY-2", kEducation, "ranking.awaiting_ranking", std::chrono::days(20)},
    {"JT-1", kTransport, "draft", std::chrono::days(30)},
    {"JY-1", kEducation, "draft", std::chrono::days(30)},
};
// Executing for 400 days: not due. Withdrawn: terminal, no SLA.
const ExpectedLine kExecuting = {"JT-6", kTransport, "execution.executing", std::chrono::days(400)};
const std::string kWithdrawn = "JT-4";

std::vector<std::string> ids_of(const std::vector<ExpectedLine>& lines) {
  std::vector<std::string> ids;
  for (const auto& line : lines) ids.push_back(line.id);
  return ids;
}

milliseconds millis(const google::protobuf::Timestamp& at) {
  return milliseconds(TimeUtil::TimestampToMilliseconds(at));
}
milliseconds millis(const google::protobuf::Duration& span) {
  return milliseconds(TimeUtil::DurationToMilliseconds(span));
}

bool near(milliseconds actual, milliseconds expected) {
  return actual > expected - kTolerance && actual < expected + kTolerance;
}

v1::LineContent content_of(const std::string& department) {
  v1::LineContent content = road_maintenance_content();  // 1,250,000.00 yuan requested
  content.set_department(department);
  return content;
}

// The county across zbbd's restarts: one SQLite file, the lines as zbbd #1 left them and the
// sequence numbers to watch from.
class SupervisedCounty {
 public:
  // Runs zbbd #1 at kStart, leaves the lines in their states and stops it.
  SupervisedCounty() {
    start(kStart);
    build();
    REQUIRE(server->terminate() == 0);
  }

  void start(const std::string& clock_start) {
    server.reset();
    server = std::make_unique<ServerProcess>(
        directory.path(), database, std::vector<std::string>{"--clock-start", clock_start});
  }

  // zbbd #2, 40 days on: returns once its first escalation round has recorded every stuck line.
  std::vector<v1::RecordedEvent> start_forty_days_later() {
    start(kFortyDaysLater);
    auto escalations = watch(first_sequence, kStuck.size());
    REQUIRE(escalations.size() == kStuck.size());
    return escalations;
  }

  ApiClient as(const std::string& principal) const {
    return ApiClient(server->channel(), token_of(principal));
  }

  // Pushes one event as `principal`; REQUIREs success.
  void step(const std::string& principal, const std::string& line, const v1::LineEvent& event) {
    v1::CommandResponse response;
    auto result = as(principal).push("req-" + std::to_string(++requests_), line, event, &response);
    INFO(principal << " on " << line << ": " << result.status.error_message());
    REQUIRE(result.status.ok());
    last_sequence = response.sequence();
  }

  // Every event after `after`, `limit` of them: blocks until they are committed (30 s deadline).
  std::vector<v1::RecordedEvent> watch(std::int64_t after, std::size_t limit) const {
    ApiClient client = as(kSupervisor);
    v1::WatchRequest request;
    request.set_after_sequence(after);
    request.set_limit(static_cast<std::int64_t>(limit));
    auto context = client.context();
    auto reader = client.query().Watch(context.get(), request);
    std::vector<v1::RecordedEvent> events;
    v1::RecordedEvent event;
    while (reader->Read(&event)) events.push_back(event);
    const auto status = reader->Finish();
    INFO(status.error_message());
    CHECK(status.ok());
    return events;
  }

  std::vector<v1::RecordedEvent> history(const std::string& line) const {
    v1::GetHistoryResponse response;
    REQUIRE(as(kSupervisor).history(line, &response).status.ok());
    return {response.events().begin(), response.events().end()};
  }

  TemporaryDirectory directory;
  std::string database = directory.path() + "/zbb.db";
  std::unique_ptr<ServerProcess> server;
  std::map<std::string, v1::BudgetLine> lines;  // as zbbd #1 left them
  std::int64_t first_sequence = 0;              // the last event of zbbd #1
  std::int64_t last_sequence = 0;               // the last event pushed so far

 private:
  void create(const std::string& line, const std::string& department,
              const std::string& principal) {
    v1::CommandResponse response;
    auto result = as(principal).create("create-" + line, line, content_of(department), &response);
    INFO(result.status.error_message());
    REQUIRE(result.status.ok());
    last_sequence = response.sequence();
  }
  void submit(const std::string& line, const std::string& unit) {
    step(unit, line, event_of([](auto& e) { e.mutable_submit(); }));
  }
  void to_ranking(const std::string& line, const std::string& unit) {
    submit(line, unit);
    step(actor::kReviewer, line, event_of([](auto& e) { e.mutable_start_target_review(); }));
    step(actor::kReviewer, line, approving_assessment());
    step(actor::kReviewer, line,
         event_of([](auto& e) { e.mutable_review_targets()->set_accept(true); }));
  }
  void to_approval(const std::string& line) {
    to_ranking(line, actor::kTransportUnit);
    step(actor::kRankingOffice, line,
         event_of([](auto& e) { e.mutable_fund()->set_amount(1'250'000'00); }));
  }

  void build() {
    create("JT-1", kTransport, actor::kTransportUnit);
    create("JT-2", kTransport, actor::kTransportUnit);
    submit("JT-2", actor::kTransportUnit);
    create("JT-3", kTransport, actor::kTransportUnit);
    submit("JT-3", actor::kTransportUnit);
    step(actor::kReviewer, "JT-3", event_of([](auto& e) { e.mutable_start_target_review(); }));
    create("JY-2", kEducation, actor::kEducationUnit);
    to_ranking("JY-2", actor::kEducationUnit);
    create("JT-5", kTransport, actor::kTransportUnit);
    to_approval("JT-5");
    create("JT-6", kTransport, actor::kTransportUnit);
    to_approval("JT-6");
    for (const auto& [approver, level] : approval_chain())
      step(approver, "JT-6", event_of([&](auto& e) {
             auto* d = e.mutable_decide();
             d->set_level(level);
             d->set_decision(v1::DECISION_APPROVE);
             d->set_amount(1'250'000'00);
           }));
    create(kWithdrawn, kTransport, actor::kTransportUnit);
    step(actor::kTransportUnit, kWithdrawn,
         event_of([](auto& e) { e.mutable_withdraw()->set_reason("merged into JT-1"); }));
    create("JY-1", kEducation, actor::kEducationUnit);

    for (const auto& id : {"JT-1", "JT-2", "JT-3", "JT-4", "JT-5", "JT-6", "JY-1", "JY-2"})
      REQUIRE(as(kSupervisor).get(id, &lines[id]).status.ok());
    for (const auto& expected : kStuck) REQUIRE(lines[expected.id].state() == expected.state);
    REQUIRE(lines[kExecuting.id].state() == kExecuting.state);
    REQUIRE(lines[kWithdrawn].state() == "withdrawn");
    first_sequence = last_sequence;
  }

  int requests_ = 0;
};

// Every page of FindStuck for `request`, the page size given; REQUIREs each call to succeed.
std::vector<v1::FindStuckResponse> stuck_pages(ApiClient& client, v1::FindStuckRequest request) {
  std::vector<v1::FindStuckResponse> pages;
  do {
    v1::FindStuckResponse page;
    auto context = client.context();
    const auto status = client.query().FindStuck(context.get(), request, &page);
    INFO(status.error_message());
    REQUIRE(status.ok());
    pages.push_back(page);
    request.set_page_token(page.next_page_token());
    REQUIRE(pages.size() <= 20);
  } while (!request.page_token().empty());
  return pages;
}

std::vector<std::string> ids_in(const std::vector<v1::FindStuckResponse>& pages) {
  std::vector<std::string> ids;
  for (const auto& page : pages)
    for (const auto& line : page.lines()) ids.push_back(line.line_id());
  return ids;
}

std::vector<std::string> stuck_ids(ApiClient& client, v1::FindStuckRequest request) {
  return ids_in(stuck_pages(client, std::move(request)));
}

v1::SummarizeResponse summarize(ApiClient client, v1::SummaryGrouping group_by) {
  v1::SummarizeRequest request;
  request.set_group_by(group_by);
  v1::SummarizeResponse response;
  auto context = client.context();
  const auto status = client.query().Summarize(context.get(), request, &response);
  INFO(status.error_message());
  REQUIRE(status.ok());
  return response;
}

std::size_t count_escalations(const std::vector<v1::RecordedEvent>& events) {
  return static_cast<std::size_t>(std::count_if(
      events.begin(), events.end(), [](const auto& e) { return e.type() == "sla_breached"; }));
}

// The rows of a zbbctl table (after its title and rule), each split into its cells: cells are
// separated by two spaces or more, so an empty cell leaves no trace.
std::vector<std::vector<std::string>> table_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string row;
  bool in_table = false;
  while (std::getline(in, row)) {
    if (!in_table) {
      in_table = row.starts_with("--");
      continue;
    }
    if (row.empty() || row.find("  ") == std::string::npos) break;  // the text after the table
    std::vector<std::string> cells;
    std::size_t at = 0;
    while (at < row.size()) {
      const auto gap = row.find("  ", at);
      const auto cell = row.substr(at, gap == std::string::npos ? std::string::npos : gap - at);
      if (!cell.empty()) cells.push_back(cell.substr(cell.find_first_not_of(' ')));
      if (gap == std::string::npos) break;
      at = row.find_first_not_of(' ', gap);
      if (at == std::string::npos) break;
    }
    rows.push_back(cells);
  }
  return rows;
}

std::vector<std::string> first_cells(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::string> firsts;
  for (const auto& row : rows) firsts.push_back(row.empty() ? "" : row.front());
  return firsts;
}

std::vector<std::string> text_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("zbbd escalates each line past the SLA of its state once per state visit",
          "[e2e][supervision]") {
  SupervisedCounty county;
  const auto escalations = county.start_forty_days_later();

  // One escalation per stuck line, in the order they fell due, each saying what was late.
  std::vector<std::string> escalated;
  for (std::size_t i = 0; i < escalations.size(); ++i) {
    const auto& event = escalations[i];
    const auto& expected = kStuck[i];
    const auto& line = county.lines[expected.id];
    INFO(expected.id << ": " << event.payload_json());
    escalated.push_back(event.line_id());
    CHECK(event.type() == "sla_breached");
    CHECK(event.actor() == "zbbd");
    CHECK(event.from_state() == expected.state);
    CHECK(event.to_state() == expected.state);
    zbb::v1::EventPayload payload;
    REQUIRE(event.payload_encoding() == zbb::v1::PAYLOAD_ENCODING_PROTOBUF);
    REQUIRE(payload.ParseFromString(event.payload()));
    const auto& decided = payload.decided();
    CHECK(payload.follow_up().sla_breached().state() == expected.state);
    CHECK(decided.waiting_on() == line.waiting_on());
    CHECK(millis(decided.state_entered_at()) == millis(line.state_entered_at()));
    CHECK(millis(decided.due_at()) == millis(line.state_entered_at()) + expected.sla);
    CHECK(near(milliseconds(decided.overdue_ms()), kClockGap - expected.sla));
    // The same as JSON, for clients that read payload_json.
    CHECK_THAT(event.payload_json(), Catch::Contains("\"waiting_on\":\"" + line.waiting_on()));
  }
  CHECK(escalated == ids_of(kStuck));

  // The line says so too: its due time and that it was escalated in this visit.
  v1::BudgetLine line;
  REQUIRE(county.as(kSupervisor).get("JT-2", &line).status.ok());
  CHECK(line.sla_breached());
  CHECK(millis(line.due_at()) == millis(line.state_entered_at()) + std::chrono::days(3));
  REQUIRE(county.as(kSupervisor).get(kExecuting.id, &line).status.ok());
  CHECK_FALSE(line.sla_breached());

  // JY-1 starts a new state visit; then zbbd #3 starts ten days later with nothing else changed.
  county.step(actor::kEducationUnit, "JY-1", event_of([](auto& e) { e.mutable_submit(); }));
  const std::int64_t before_third_start = county.last_sequence;
  REQUIRE(county.server->terminate() == 0);
  county.start(kFiftyDaysLater);

  // Its first round escalates the new visit only: were an old visit escalated again, it would
  // come first (the round goes by due time, and the new visit is due last).
  const auto third = county.watch(before_third_start, 1);
  REQUIRE(third.size() == 1);
  CHECK(third[0].type() == "sla_breached");
  CHECK(third[0].line_id() == "JY-1");
  CHECK(third[0].to_state() == "justification.submitted");

  for (const auto& expected : kStuck) {
    INFO(expected.id);
    CHECK(count_escalations(county.history(expected.id)) == (expected.id == "JY-1" ? 2 : 1));
  }
  CHECK(count_escalations(county.history(kExecuting.id)) == 0);
  CHECK(count_escalations(county.history(kWithdrawn)) == 0);
}

TEST_CASE("FindStuck lists the lines past due, most overdue first, by filter and page by page",
          "[e2e][supervision]") {
  SupervisedCounty county;
  county.start_forty_days_later();
  ApiClient supervisor = county.as(kSupervisor);
  // Every check below only reads, so they share one county rather than build one each.

  const auto pages = stuck_pages(supervisor, {});
  REQUIRE(pages.size() == 1);
  const auto& page = pages[0];
  CHECK(ids_in(pages) == ids_of(kStuck));
  CHECK(page.next_page_token().empty());
  REQUIRE(page.lines_size() == static_cast<int>(kStuck.size()));
  for (std::size_t i = 0; i < kStuck.size(); ++i) {
    const auto& stuck = page.lines(static_cast<int>(i));
    const auto& expected = kStuck[i];
    const auto& line = county.lines[expected.id];
    INFO(expected.id);
    CHECK(stuck.fiscal_year() == 2027);
    CHECK(stuck.department() == expected.department);
    CHECK(stuck.state() == expected.state);
    CHECK(stuck.waiting_on() == line.waiting_on());
    CHECK(millis(stuck.state_entered_at()) == millis(line.state_entered_at()));
    CHECK(millis(stuck.due_at()) == millis(line.state_entered_at()) + expected.sla);
    CHECK(millis(stuck.overdue()) == millis(page.as_of()) - millis(stuck.due_at()));
    CHECK(millis(stuck.waiting()) == millis(page.as_of()) - millis(stuck.state_entered_at()));
    CHECK(near(millis(stuck.overdue()), kClockGap - expected.sla));
    CHECK(stuck.requested_amount() == 1'250'000'00);
    CHECK(stuck.approved_amount() == 0);
    CHECK(stuck.escalated());
  }

  // Each filter narrows the list and keeps its order.
  {
    v1::FindStuckRequest request;
    request.set_department(kEducation);
    CHECK(stuck_ids(supervisor, request) == std::vector<std::string>{"JY-2", "JY-1"});
    request = {};
    request.set_state("draft");
    CHECK(stuck_ids(supervisor, request) == std::vector<std::string>{"JT-1", "JY-1"});
    request = {};
    request.set_waiting_on("reviewer");
    CHECK(stuck_ids(supervisor, request) == std::vector<std::string>{"JT-2", "JT-3", "JY-2"});
    request = {};
    request.set_waiting_on("approver:department_head");
    CHECK(stuck_ids(supervisor, request) == std::vector<std::string>{"JT-5"});
    request = {};
    request.set_department(kTransport);
    request.set_state("draft");
    CHECK(stuck_ids(supervisor, request) == std::vector<std::string>{"JT-1"});
    request = {};
    request.set_fiscal_year(2028);
    CHECK(stuck_ids(supervisor, request).empty());
  }

  // An age query lists every active line in its state that long, due or not.
  {
    v1::FindStuckRequest request;
    *request.mutable_min_age() = TimeUtil::SecondsToDuration(20 * 86400);
    const auto by_age = stuck_pages(supervisor, request);
    // Oldest first: in the order zbbd #1 moved them into their states.
    CHECK(ids_in(by_age) ==
          std::vector<std::string>{"JT-1", "JT-2", "JT-3", "JY-2", "JT-5", "JT-6", "JY-1"});
    REQUIRE(by_age[0].lines_size() == 7);
    const auto& executing = by_age[0].lines(5);
    CHECK(executing.line_id() == kExecuting.id);
    CHECK_FALSE(executing.escalated());
    CHECK(executing.approved_amount() == 1'250'000'00);
    CHECK(near(millis(executing.overdue()), kClockGap - kExecuting.sla));  // negative: not due

    *request.mutable_min_age() = TimeUtil::SecondsToDuration(41 * 86400);
    CHECK(stuck_ids(supervisor, request).empty());
  }

  // Pages of one line give every line once, in order.
  {
    v1::FindStuckRequest request;
    request.set_page_size(1);
    const auto one_by_one = stuck_pages(supervisor, request);
    CHECK(one_by_one.size() == kStuck.size());
    CHECK(ids_in(one_by_one) == ids_of(kStuck));

    *request.mutable_min_age() = TimeUtil::SecondsToDuration(20 * 86400);
    request.set_page_size(3);
    const auto by_age = stuck_pages(supervisor, request);
    CHECK(by_age.size() == 3);
    CHECK(ids_in(by_age) ==
          std::vector<std::string>{"JT-1", "JT-2", "JT-3", "JY-2", "JT-5", "JT-6", "JY-1"});
  }

  // A unit sees its own department's stuck lines only.
  {
    ApiClient unit = county.as(actor::kTransportUnit);
    CHECK(stuck_ids(unit, {}) == std::vector<std::string>{"JT-2", "JT-5", "JT-3", "JT-1"});
    v1::FindStuckRequest request;
    request.set_department(kEducation);
    v1::FindStuckResponse response;
    auto context = unit.context();
    CHECK(unit.query().FindStuck(context.get(), request, &response).error_code() ==
          grpc::PERMISSION_DENIED);
  }

  // A page token the server did not give is refused, naming page_token.
  {
    v1::FindStuckRequest request;
    request.set_page_token("not-a-token");
    v1::FindStuckResponse response;
    auto context = supervisor.context();
    const auto status = supervisor.query().FindStuck(context.get(), request, &response);
    CHECK(status.error_code() == grpc::INVALID_ARGUMENT);
    CHECK_THAT(status.error_message(), Catch::Contains("page_token"));
    const auto& trailers = context->GetServerTrailingMetadata();
    const auto field = trailers.find("zbb-field");
    REQUIRE(field != trailers.end());
    CHECK(std::string(field->second.data(), field->second.size()) == "page_token");
  }
}

TEST_CASE("Summarize counts the lines, escalations and money of each group with its oldest line",
          "[e2e][supervision]") {
  SupervisedCounty county;
  county.start_forty_days_later();

  const auto by_state = summarize(county.as(kSupervisor), v1::SUMMARY_GROUPING_STATE);
  CHECK(by_state.group_by() == v1::SUMMARY_GROUPING_STATE);
  struct Row {
    std::string key;
    std::int64_t lines;
    std::int64_t escalated;
    Fen requested;
    Fen approved;
    std::string oldest;  // empty: none (no active line)
  };
  const std::vector<Row> expected = {
      {"approval.awaiting_decision", 1, 1, 1'250'000'00, 0, "JT-5"},
      {"draft", 2, 2, 2'500'000'00, 0, "JT-1"},
      {"execution.executing", 1, 0, 1'250'000'00, 1'250'000'00, "JT-6"},
      {"justification.submitted", 1, 1, 1'250'000'00, 0, "JT-2"},
      {"justification.under_target_review", 1, 1, 1'250'000'00, 0, "JT-3"},
      {"ranking.awaiting_ranking", 1, 1, 1'250'000'00, 0, "JY-2"},
      {"withdrawn", 1, 0, 1'250'000'00, 0, ""},
  };
  REQUIRE(by_state.groups_size() == static_cast<int>(expected.size()));
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& group = by_state.groups(static_cast<int>(i));
    INFO(expected[i].key);
    CHECK(group.key() == expected[i].key);
    CHECK(group.lines() == expected[i].lines);
    CHECK(group.escalated() == expected[i].escalated);
    CHECK(group.requested_amount() == expected[i].requested);
    CHECK(group.approved_amount() == expected[i].approved);
    CHECK(group.spent_amount() == 0);
    CHECK(group.has_oldest() == !expected[i].oldest.empty());
    if (!group.has_oldest()) continue;
    const auto& line = county.lines[expected[i].oldest];
    CHECK(group.oldest().line_id() == expected[i].oldest);
    CHECK(group.oldest().state() == line.state());
    CHECK(millis(group.oldest().state_entered_at()) == millis(line.state_entered_at()));
    CHECK(millis(group.oldest().waiting()) ==
          millis(by_state.as_of()) - millis(line.state_entered_at()));
  }

  const auto by_role = summarize(county.as(kSupervisor), v1::SUMMARY_GROUPING_WAITING_ON);
  std::vector<std::string> roles;
  for (const auto& group : by_role.groups())
    roles.push_back(group.key() + "=" + std::to_string(group.lines()));
  // By key as SQLite orders text: byte by byte, so 县交通运输局 comes before 县教育局.
  CHECK(roles == std::vector<std::string>{"=1", "approver:department_head=1", "reviewer=3",
                                          "unit:" + kTransport + "=2",
                                          "unit:" + kEducation + "=1"});

  // A unit's summary covers its own department only.
  const auto own = summarize(county.as(actor::kTransportUnit), v1::SUMMARY_GROUPING_DEPARTMENT);
  REQUIRE(own.groups_size() == 1);
  CHECK(own.groups(0).key() == kTransport);
  CHECK(own.groups(0).lines() == 6);
  CHECK(own.groups(0).escalated() == 4);
  CHECK(own.groups(0).oldest().line_id() == "JT-1");
}

TEST_CASE("zbbctl stuck, summary and watch --stuck show supervisors what is late",
          "[e2e][supervision][zbbctl]") {
  SupervisedCounty county;
  county.start_forty_days_later();
  const Ctl ctl{county.server->address()};
  // Every check below only reads, so they share one county rather than build one each.

  // Stuck: a table, most overdue first, with how long each line is overdue.
  {
    const auto stuck = ctl(kSupervisor, {"stuck"});
    INFO(stuck.out << stuck.err);
    REQUIRE(stuck.exit_code == 0);
    const auto rows = table_rows(stuck.out);
    CHECK(first_cells(rows) == ids_of(kStuck));
    const std::vector<std::string> overdue = {"37d 0h", "35d 0h", "30d 0h",
                                              "20d 0h", "10d 0h", "10d 0h"};
    for (std::size_t i = 0; i < rows.size() && i < kStuck.size(); ++i) {
      INFO(kStuck[i].id);
      REQUIRE(rows[i].size() == 9);
      CHECK(rows[i][1] == kStuck[i].department);
      CHECK(rows[i][2] == kStuck[i].state);
      CHECK(rows[i][3] == county.lines[kStuck[i].id].waiting_on());
      CHECK(rows[i][6] == overdue[i]);
      CHECK(rows[i][7] == "1,250,000.00");
      CHECK(rows[i][8] == "yes");
    }
    CHECK_THAT(stuck.out, Catch::Contains("\n6 stuck lines as of "));
    CHECK_THAT(stuck.out, !Catch::Contains("more:"));
  }

  // Stuck: filters, pages and an age.
  {
    CHECK(first_cells(table_rows(ctl(kSupervisor, {"stuck", "--department", kEducation}).out)) ==
          std::vector<std::string>{"JY-2", "JY-1"});
    CHECK(first_cells(table_rows(ctl(kSupervisor, {"stuck", "--state", "draft"}).out)) ==
          std::vector<std::string>{"JT-1", "JY-1"});
    CHECK(first_cells(table_rows(ctl(kSupervisor, {"stuck", "--waiting-on", "reviewer"}).out)) ==
          std::vector<std::string>{"JT-2", "JT-3", "JY-2"});
    CHECK(first_cells(table_rows(
              ctl(kSupervisor, {"stuck", "--fiscal-year", "2027", "--department", kTransport})
                  .out)) == std::vector<std::string>{"JT-2", "JT-5", "JT-3", "JT-1"});

    const auto first = ctl(kSupervisor, {"stuck", "--page-size", "4"});
    CHECK(first_cells(table_rows(first.out)) ==
          std::vector<std::string>{"JT-2", "JT-5", "JT-3", "JY-2"});
    const auto hint = first.out.find("more: --page-token ");
    REQUIRE(hint != std::string::npos);
    const auto token_at = hint + std::string("more: --page-token ").size();
    const auto token = first.out.substr(token_at, first.out.find(' ', token_at) - token_at);
    const auto second = ctl(kSupervisor, {"stuck", "--page-size", "4", "--page-token", token});
    CHECK(first_cells(table_rows(second.out)) == std::vector<std::string>{"JT-1", "JY-1"});
    CHECK_THAT(second.out, !Catch::Contains("more:"));
    CHECK(first_cells(table_rows(ctl(kSupervisor, {"stuck", "--page-size", "1", "--all"}).out)) ==
          ids_of(kStuck));

    const auto aged = ctl(kSupervisor, {"stuck", "--older-than", "20d"});
    const auto aged_rows = table_rows(aged.out);
    CHECK(first_cells(aged_rows) ==
          std::vector<std::string>{"JT-1", "JT-2", "JT-3", "JY-2", "JT-5", "JT-6", "JY-1"});
    REQUIRE(aged_rows.size() == 7);
    REQUIRE(aged_rows[5].size() == 9);
    CHECK(aged_rows[5][6] == "due in 359d 23h");  // 400 days from entering execution
    CHECK(aged_rows[5][8] == "no");
    CHECK_THAT(aged.out, Catch::Contains("7 stuck lines in their state for 20d or more as of "));
    const auto none = ctl(kSupervisor, {"stuck", "--older-than", "41d"});
    CHECK(none.exit_code == 0);
    CHECK(none.out == "no stuck lines in their state for 41d or more\n");
    const auto none_due = ctl(kSupervisor, {"stuck", "--fiscal-year", "2028"});
    CHECK(none_due.out == "no stuck lines\n");
  }

  // Stuck: JSON for scripts, a unit's own lines, and refusals.
  {
    const auto json = ctl(kSupervisor, {"--json", "stuck", "--page-size", "2", "--all"});
    REQUIRE(json.exit_code == 0);
    const auto document = nlohmann::json::parse(json.out);
    std::vector<std::string> ids;
    for (const auto& line : document["lines"]) ids.push_back(line["line_id"]);
    CHECK(ids == ids_of(kStuck));
    CHECK(document["lines"][0]["escalated"] == true);
    CHECK(document["lines"][0]["requested_amount"] == "125000000");
    CHECK(document["next_page_token"] == "");

    CHECK(first_cells(table_rows(ctl(actor::kTransportUnit, {"stuck"}).out)) ==
          std::vector<std::string>{"JT-2", "JT-5", "JT-3", "JT-1"});
    const auto other = ctl(actor::kTransportUnit, {"stuck", "--department", kEducation});
    CHECK(other.exit_code == 1);
    CHECK_THAT(other.err, Catch::StartsWith("zbbctl: PERMISSION_DENIED: "));

    const auto bad_age = ctl(kSupervisor, {"stuck", "--older-than", "20x"});
    CHECK(bad_age.exit_code == 2);
    CHECK(bad_age.out.empty());
    CHECK(bad_age.err ==
          "zbbctl: USAGE: --older-than \"20x\": unknown unit \"x\": use d, h, m or s "
          "(e.g. 20d, 36h, 90m, 1d12h)\n");
    const auto no_unit = ctl(kSupervisor, {"stuck", "--older-than", "20"});
    CHECK(no_unit.exit_code == 2);
    CHECK_THAT(no_unit.err, Catch::Contains("20 needs a unit"));
    const auto bad_token = ctl(kSupervisor, {"stuck", "--page-token", "nonsense"});
    CHECK(bad_token.exit_code == 1);
    CHECK_THAT(bad_token.err,
               Catch::StartsWith("zbbctl: INVALID_ARGUMENT: ") && Catch::Contains("page_token"));
  }

  // Summary: a row per state with counts, escalations, money and the oldest line.
  {
    const auto summary = ctl(kSupervisor, {"summary", "--by", "state"});
    INFO(summary.out << summary.err);
    REQUIRE(summary.exit_code == 0);
    const std::vector<std::vector<std::string>> expected = {
        {"approval.awaiting_decision", "1", "1", "1,250,000.00", "0.00", "0.00", "JT-5", "40d 0h"},
        {"draft", "2", "2", "2,500,000.00", "0.00", "0.00", "JT-1", "40d 0h"},
        {"execution.executing", "1", "0", "1,250,000.00", "1,250,000.00", "0.00", "JT-6", "40d 0h"},
        {"justification.submitted", "1", "1", "1,250,000.00", "0.00", "0.00", "JT-2", "40d 0h"},
        {"justification.under_target_review", "1", "1", "1,250,000.00", "0.00", "0.00", "JT-3",
         "40d 0h"},
        {"ranking.awaiting_ranking", "1", "1", "1,250,000.00", "0.00", "0.00", "JY-2", "40d 0h"},
        {"withdrawn", "1", "0", "1,250,000.00", "0.00", "0.00", "-"},
        {"total", "8", "6", "10,000,000.00", "1,250,000.00", "0.00", "JT-1", "40d 0h"},
    };
    CHECK(table_rows(summary.out) == expected);
    CHECK_THAT(summary.out, Catch::Contains("\nas of "));

    const auto json = ctl(kSupervisor, {"--json", "summary"});
    REQUIRE(json.exit_code == 0);
    const auto document = nlohmann::json::parse(json.out);
    CHECK(document["group_by"] == "SUMMARY_GROUPING_STATE");
    REQUIRE(document["groups"].size() == 7);
    CHECK(document["groups"][1]["key"] == "draft");
    CHECK(document["groups"][1]["lines"] == "2");
    CHECK(document["groups"][1]["escalated"] == "2");
    CHECK(document["groups"][1]["requested_amount"] == "250000000");
    CHECK(document["groups"][1]["oldest"]["line_id"] == "JT-1");
    CHECK(document["groups"][2]["approved_amount"] == "125000000");

    const auto by_role = ctl(kSupervisor, {"summary", "--by", "waiting-on"});
    CHECK(first_cells(table_rows(by_role.out)) ==
          std::vector<std::string>{"(none)", "approver:department_head", "reviewer",
                                   "unit:" + kTransport, "unit:" + kEducation, "total"});
    const auto own = ctl(actor::kTransportUnit, {"summary", "--by", "department"});
    CHECK(first_cells(table_rows(own.out)) == std::vector<std::string>{kTransport, "total"});
    const auto bad_grouping = ctl(kSupervisor, {"summary", "--by", "colour"});
    CHECK(bad_grouping.exit_code == 2);
  }

  // Watch --stuck: one line per escalation, counting escalations only.
  {
    const auto watched = ctl(kSupervisor, {"watch", "--stuck", "--count", "6"});
    INFO(watched.out << watched.err);
    REQUIRE(watched.exit_code == 0);
    const auto lines = text_lines(watched.out);
    REQUIRE(lines.size() == kStuck.size());
    const std::vector<std::string> overdue = {"37d 0h", "35d 0h", "30d 0h",
                                              "20d 0h", "10d 0h", "10d 0h"};
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const auto& expected = kStuck[i];
      CHECK_THAT(
          lines[i],
          Catch::Contains("  " + expected.id + "  " + expected.state + "  waiting on " +
                          county.lines[expected.id].waiting_on() + "  overdue " + overdue[i]) &&
              Catch::EndsWith(overdue[i]));
    }
    // The count is of escalations shown, not of the events before them that were skipped.
    const auto two = ctl(kSupervisor, {"watch", "--stuck", "--count", "2"});
    CHECK(text_lines(two.out) == std::vector<std::string>(lines.begin(), lines.begin() + 2));
    // Resumed after the first escalation: the next ones.
    const auto first_sequence = lines[0].substr(0, lines[0].find(' '));
    const auto resumed =
        ctl(kSupervisor, {"watch", "--stuck", "--after", first_sequence, "--count", "1"});
    CHECK(text_lines(resumed.out) == std::vector<std::string>{lines[1]});
    const auto json = ctl(kSupervisor, {"--json", "watch", "--stuck", "--count", "1"});
    CHECK(nlohmann::json::parse(json.out)["type"] == "sla_breached");
  }
}

}  // namespace zbb::testing
