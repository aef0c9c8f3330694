// zbbctl's pure parts: yuan typed by people → fen exactly, spans of time typed and printed
// ("20d", "3d 4h"), the one-line error report, and the text and JSON it prints.

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <limits>
#include <string>

#include "adapters/cli/duration_text.h"
#include "adapters/cli/yuan_amount.h"
#include "adapters/cli/zbbctl_commands.h"
#include "adapters/cli/zbbctl_failure.h"
#include "adapters/cli/zbbctl_format.h"
#include "adapters/cli/zbbctl_json.h"
#include "adapters/cli/zbbctl_programmes.h"
#include "adapters/cli/zbbctl_supervision.h"
#include "zbb/v1/query.pb.h"

namespace zbb::cli {
namespace {

namespace v1 = zbb::v1;

// An event as zbbd sends it: since schema 8 an EventPayload, before it the JSON text.
void set_protobuf_payload(v1::RecordedEvent& event, const v1::EventPayload& payload) {
  event.set_payload(payload.SerializeAsString());
  event.set_payload_encoding(v1::PAYLOAD_ENCODING_PROTOBUF);
}
void set_json_payload(v1::RecordedEvent& event, const std::string& json) {
  event.set_payload(json);
  event.set_payload_json(json);
  event.set_payload_encoding(v1::PAYLOAD_ENCODING_JSON);
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// 2027-06-10T01:00:00Z, 09:00 in Beijing.
constexpr std::int64_t kJune10At1Utc = 1'812'589'200;

google::protobuf::Timestamp at_seconds(std::int64_t seconds) {
  google::protobuf::Timestamp at;
  at.set_seconds(seconds);
  return at;
}

// Times print in the local zone; the tests fix it to UTC.
void use_utc() {
  setenv("TZ", "UTC", 1);
  tzset();
}

v1::BudgetLine approved_road_line() {
  v1::BudgetLine line;
  line.set_id("JT-2027-001");
  auto* content = line.mutable_content();
  content->set_fiscal_year(2027);
  content->set_department("县交通运输局");
  content->set_programme_code("JT-ROAD");
  content->set_title("农村公路养护");
  content->set_category(v1::CATEGORY_PROJECT);
  content->set_requested_amount(1'250'000'00);
  line.set_state("approval.awaiting_decision");
  line.set_waiting_on("approver:budget_section");
  line.set_version(7);
  line.set_funded_amount(1'200'000'00);
  line.set_granted_amount(1'150'000'50);
  *line.mutable_state_entered_at() = at_seconds(kJune10At1Utc);
  return line;
}

}  // namespace

// --- parse_yuan ---

TEST_CASE("yuan with grouping commas and one decimal become fen exactly", "[zbbctl]") {
  const auto fen = parse_yuan("1,234.5");

  REQUIRE(fen.ok());
  CHECK(*fen == 123'450);
}

TEST_CASE("one fen is 0.01 yuan", "[zbbctl]") {
  const auto fen = parse_yuan("0.01");

  REQUIRE(fen.ok());
  CHECK(*fen == 1);
}

TEST_CASE("yuan without commas or decimals and with two decimals are read", "[zbbctl]") {
  CHECK(*parse_yuan("1250000") == 1'250'000'00);
  CHECK(*parse_yuan("1,250,000.50") == 1'250'000'50);
  CHECK(*parse_yuan("0") == 0);
  CHECK(*parse_yuan("12.30") == 1'230);
}

TEST_CASE("a negative amount is refused", "[zbbctl]") {
  const auto fen = parse_yuan("-3");

  REQUIRE_FALSE(fen.ok());
  CHECK(fen.status().code() == Code::kInvalidArgument);
  CHECK(contains(fen.status().message(), "negative"));
}

TEST_CASE("a third decimal is refused rather than rounded", "[zbbctl]") {
  const auto fen = parse_yuan("1.234");

  REQUIRE_FALSE(fen.ok());
  CHECK(contains(fen.status().message(), "two decimals"));
}

TEST_CASE("the largest int64 of fen is read and one fen more is refused", "[zbbctl]") {
  CHECK(*parse_yuan("92,233,720,368,547,758.07") == std::numeric_limits<Fen>::max());
  CHECK_FALSE(parse_yuan("92233720368547758.08").ok());
  CHECK_FALSE(parse_yuan("92233720368547759").ok());
  CHECK_FALSE(parse_yuan("99999999999999999999999999").ok());
}

TEST_CASE("text that is not an amount is refused", "[zbbctl]") {
  for (const char* text : {"abc", "", "1.", ".5", "+1", " 1", "1 ", "1e3", "¥100", "1.2.3", "1,5"})
    CHECK_FALSE(parse_yuan(text).ok());
}

TEST_CASE("commas must group the whole yuan in threes", "[zbbctl]") {
  for (const char* text : {"1,23", ",123", "1234,567", "1,234,56", "1,,234", "1,234,", "1,2345"})
    CHECK_FALSE(parse_yuan(text).ok());
  CHECK(*parse_yuan("12,345,678") == 12'345'678'00);
}

// --- failures ---

TEST_CASE("a server error is one line with its code and the zbb-field trailer", "[zbbctl]") {
  const auto failure = server_failure(
      grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "must equal quantity × unit_price\nsee"),
      "content.cost_items[1].amount");

  CHECK(failure.exit_code == 1);
  CHECK(failure_line(failure) ==
        "zbbctl: INVALID_ARGUMENT: must equal quantity × unit_price see "
        "(field content.cost_items[1].amount)");
}

TEST_CASE("a field the message already names is not repeated", "[zbbctl]") {
  const auto failure = server_failure(
      grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "content.title: required"), "content.title");

  CHECK(failure_line(failure) == "zbbctl: INVALID_ARGUMENT: content.title: required");
}

TEST_CASE("a server error without a field carries the message alone", "[zbbctl]") {
  const auto failure =
      server_failure(grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused"), "");

  CHECK(failure_line(failure) == "zbbctl: UNAVAILABLE: connection refused");
}

TEST_CASE("usage errors exit with 2", "[zbbctl]") {
  const auto failure = Failure::usage("no token");

  CHECK(failure.exit_code == 2);
  CHECK(failure_line(failure) == "zbbctl: USAGE: no token");
}

TEST_CASE("gRPC codes are named as the gRPC spec spells them", "[zbbctl]") {
  CHECK(status_code_name(grpc::StatusCode::FAILED_PRECONDITION) == "FAILED_PRECONDITION");
  CHECK(status_code_name(grpc::StatusCode::DEADLINE_EXCEEDED) == "DEADLINE_EXCEEDED");
  CHECK(status_code_name(grpc::StatusCode::UNAUTHENTICATED) == "UNAUTHENTICATED");
}

// --- request ids ---

TEST_CASE("each invocation gets its own request id of 16 hex digits", "[zbbctl]") {
  const std::string first = fresh_request_id();
  const std::string second = fresh_request_id();

  CHECK(first.size() == std::string("zbbctl-").size() + 16);
  CHECK(first.rfind("zbbctl-", 0) == 0);
  CHECK(first.find_first_not_of("0123456789abcdef", 7) == std::string::npos);
  CHECK(first != second);
}

// --- text for people ---

TEST_CASE("categories are named as the list command takes them", "[zbbctl]") {
  CHECK(category_from_name("department_overall") == v1::CATEGORY_DEPARTMENT_OVERALL);
  CHECK(category_from_name("basic") == v1::CATEGORY_BASIC);
  CHECK_FALSE(category_from_name("CATEGORY_BASIC").has_value());
  CHECK(category_name(v1::CATEGORY_PROJECT) == "project");
}

TEST_CASE("times print to the minute in the local zone — unset prints nothing", "[zbbctl]") {
  use_utc();

  CHECK(format_time(at_seconds(kJune10At1Utc)) == "2027-06-10 01:00");
  CHECK(format_time(google::protobuf::Timestamp()).empty());
}

TEST_CASE("a table of lines shows the granted amount in yuan and the days waited", "[zbbctl]") {
  use_utc();
  Lines lines;
  *lines.Add() = approved_road_line();
  const Timestamp twelve_days_later = from_millis((kJune10At1Utc + 12 * 86400 + 3600) * 1000);

  const std::string table = lines_table(lines, twelve_days_later);

  CHECK(contains(table, "JT-2027-001"));
  CHECK(contains(table, "农村公路养护"));
  CHECK(contains(table, "approver:budget_section"));
  CHECK(contains(table, "1,150,000.50"));
  CHECK(contains(table, "2027-06-10 01:00"));
  CHECK(contains(table, " 12\n"));
}

TEST_CASE("a line not yet granted shows its requested amount", "[zbbctl]") {
  Lines lines;
  auto& line = *lines.Add() = approved_road_line();
  line.set_granted_amount(0);

  CHECK(contains(lines_table(lines, Timestamp()), "1,250,000.00"));
}

TEST_CASE("a line approved and then adjusted shows its approved amount", "[zbbctl]") {
  Lines lines;
  auto& line = *lines.Add() = approved_road_line();
  line.set_approved_amount(1'200'000'00);  // an increase after the chain granted 1,150,000.50

  CHECK(contains(lines_table(lines, Timestamp()), "1,200,000.00"));
  CHECK_FALSE(contains(lines_table(lines, Timestamp()), "1,150,000.50"));
}

TEST_CASE("a line's details give its amounts in yuan, its warning and its grade", "[zbbctl]") {
  auto line = approved_road_line();
  line.set_approved_amount(1'150'000'50);
  line.set_spent_amount(3'000'00);
  line.mutable_monitoring()->set_level(v1::WARNING_LEVEL_RED);
  line.mutable_monitoring()->set_as_of("2027-06-30");
  line.mutable_monitoring()->set_execution_rate_bp(26);
  line.mutable_monitoring()->set_time_progress_bp(5000);
  line.mutable_monitoring()->add_reasons("execution lags time progress by 49.74 points");
  line.mutable_evaluation()->set_grade("good");
  line.mutable_evaluation()->set_score_tenths(855);

  const std::string details = line_details(line);

  CHECK(contains(details, "department    县交通运输局\n"));
  CHECK(contains(details, "programme     JT-ROAD (project)\n"));
  CHECK(contains(details, "approved      1,150,000.50 yuan\n"));
  CHECK(contains(details, "spent             3,000.00 yuan\n"));
  CHECK(contains(details, "red as of 2027-06-30 (execution 0.26%, time 50.00%); execution lags"));
  CHECK(contains(details, "grade         good (score 85.5)\n"));

  // A verdict names the checkpoint that gave it.
  line.mutable_monitoring()->set_checkpoint("06-30");
  line.mutable_monitoring()->set_dual(true);
  CHECK(
      contains(line_details(line),
               "red as of 2027-06-30 at the 06-30 checkpoint (dual monitoring) (execution 0.26%"));
  line.mutable_monitoring()->set_as_of("2027-07-15");
  line.mutable_monitoring()->set_checkpoint("03-31");
  line.mutable_monitoring()->set_dual(false);
  CHECK(contains(line_details(line), "red as of 2027-07-15 at the 03-31 checkpoint (execution"));
}

TEST_CASE("a line's flags: a grade result use flags and a copied justification", "[zbbctl]") {
  auto line = approved_road_line();
  Lines lines;
  *lines.Add() = line;
  CHECK(contains(line_details(line), "flags         -\n"));
  CHECK(contains(lines_table(lines, Timestamp()), "  -  "));

  auto& prior = *line.mutable_prior();
  prior.set_line_id("JT-2026");
  prior.set_fiscal_year(2026);
  prior.set_grade("poor");
  prior.set_flagged(true);
  prior.set_cut_percent(30);
  prior.set_ceiling(875'000'00);
  prior.set_rectification_required(true);
  auto& copied = *line.add_copied();
  copied.set_part("necessity_statement");
  copied.set_line_id("JT-2026");
  copied.set_fiscal_year(2026);
  copied.set_programme_code(line.content().programme_code());
  copied.set_similarity_permille(952);
  *line.add_copied() = copied;
  // The cost breakdown is another programme's of last year: the flag says whose.
  line.mutable_copied(1)->set_part("cost_items");
  line.mutable_copied(1)->set_line_id("JT-OTHER-2026");
  line.mutable_copied(1)->set_programme_code("JT-OTHER-001");
  line.mutable_copied(1)->set_similarity_permille(981);
  *lines.Mutable(0) = line;

  CHECK(contains(line_details(line),
                 "flags         graded poor in 2026 (line JT-2026), cut 30 %: funded at most "
                 "875,000.00 yuan, rectification report due; necessity statement 95.2 % like line "
                 "JT-2026 of 2026; cost items 98.1 % like line JT-OTHER-2026 of 2026 (programme "
                 "JT-OTHER-001)\n"));
  // A table says the grade, the report awaited and the most similar part.
  CHECK(contains(lines_table(lines, Timestamp()), "poor 2026, rectification, copied 98.1 %"));

  auto& report = *line.mutable_rectification();
  report.set_evaluated_line("JT-2026");
  report.set_report("整改措施");
  report.set_submitted_by("li.transport");
  report.set_status(zbb::v1::RECTIFICATION_STATUS_ACCEPTED);
  report.set_reviewed_by("wang.reviewer");
  report.set_comment("同意");
  *lines.Mutable(0) = line;
  CHECK(contains(line_details(line), "rectification report accepted; necessity"));
  CHECK(contains(line_details(line),
                 "accepted by li.transport: 整改措施 (reviewed by wang.reviewer: 同意)\n"));
  CHECK(contains(lines_table(lines, Timestamp()), "poor 2026, copied 98.1 %"));
}

TEST_CASE("a line's details give its programme's record as result use read it", "[zbbctl]") {
  auto line = approved_road_line();
  CHECK(contains(line_details(line), "no evaluation or monitoring of the programme\n"));
  auto& prior = *line.mutable_prior();
  prior.set_history_points(60);
  auto& monitoring = *prior.mutable_monitoring();
  monitoring.set_line_id("JT-2026");
  monitoring.set_level(zbb::v1::WARNING_LEVEL_YELLOW);
  monitoring.set_as_of("2026-06-30");
  CHECK(contains(line_details(line),
                 "no closed evaluation; monitoring yellow as of 2026-06-30 "
                 "(line JT-2026); history points 60\n"));
  prior.set_line_id("JT-2025");
  prior.set_fiscal_year(2025);
  prior.set_grade("good");
  prior.set_score_tenths(853);
  prior.set_history_points(80);
  CHECK(contains(line_details(line), "good in 2025 (line JT-2025, score 85.3); monitoring"));
  CHECK(contains(line_details(line), "history points 80\n"));
  CHECK(contains(line_details(line), "flags         -\n"));  // a good grade flags nothing
}

TEST_CASE("a line's details and tables say whether a prior assessment is due, and its verdict",
          "[zbbctl]") {
  auto line = approved_road_line();
  CHECK_FALSE(contains(line_details(line), "assessment"));
  line.set_assessment_due("a line of a new programme above 1,000,000.00 yuan");
  Lines lines;
  *lines.Add() = line;
  CHECK(contains(line_details(line),
                 "assessment    due, none recorded (required: a line of a new programme above "
                 "1,000,000.00 yuan)\n"));
  CHECK(contains(lines_table(lines, Timestamp()), "assessment due"));
  auto& assessment = *line.mutable_assessment();
  for (const char* part :
       {"necessity", "feasibility", "cost_reasonableness", "funding_compliance"}) {
    auto* conclusion = assessment.add_parts();
    conclusion->set_part(part);
    conclusion->set_passed(true);
  }
  assessment.mutable_parts(1)->set_passed(false);
  assessment.set_assessed_by("expert.zhou");
  assessment.set_comment("可行性不足");
  *lines.Mutable(0) = line;
  CHECK(contains(line_details(line),
                 "against by expert.zhou, 3 of 4 parts passed: 可行性不足 "
                 "(required: a line of a new"));
  CHECK(contains(lines_table(lines, Timestamp()), "assessment due"));
  assessment.set_approved(true);
  *lines.Mutable(0) = line;
  CHECK(contains(line_details(line), "approved by expert.zhou"));
  CHECK_FALSE(contains(lines_table(lines, Timestamp()), "assessment due"));
}

TEST_CASE("a line's details give its due time and whether it was escalated", "[zbbctl]") {
  auto line = approved_road_line();
  CHECK_FALSE(contains(line_details(line), "due "));
  line.mutable_due_at()->set_seconds(1'811'203'200);  // 2027-05-25 00:00 UTC
  CHECK(contains(line_details(line), "2027-05-25"));
  CHECK_FALSE(contains(line_details(line), "escalated"));
  line.set_sla_breached(true);
  CHECK(contains(line_details(line), "(overdue, escalated)"));
}

TEST_CASE("history rows summarise each event from its payload", "[zbbctl]") {
  Events events;
  auto& event = *events.Add();
  event.set_line_sequence(7);
  event.set_type("decide");
  event.set_actor("zhao.dept_head");
  event.set_from_state("approval.awaiting_decision");
  event.set_to_state("approval.awaiting_decision");
  v1::EventPayload payload;
  auto* decide = payload.mutable_event()->mutable_decide();
  decide->set_level("department_head");
  decide->set_decision(v1::DECISION_APPROVE);
  decide->set_amount(115000050);
  decide->set_comment("同意");
  set_protobuf_payload(event, payload);

  const std::string table = history_table(events);

  CHECK(contains(table, "zhao.dept_head"));
  CHECK(contains(table, "department_head; approve; 1,150,000.50 yuan; 同意"));
}

TEST_CASE("history rows summarise an event recorded before schema 8 from its JSON", "[zbbctl]") {
  Events events;
  auto& event = *events.Add();
  event.set_line_sequence(7);
  event.set_type("decide");
  event.set_actor("zhao.dept_head");
  event.set_from_state("approval.awaiting_decision");
  event.set_to_state("approval.awaiting_decision");
  set_json_payload(
      event,
      R"({"level":"department_head","decision":"approve","amount":115000050,"comment":"同意"})");

  const std::string table = history_table(events);

  CHECK(contains(table, "zhao.dept_head"));
  CHECK(contains(table, "department_head; approve; 1,150,000.50 yuan; 同意"));
}

TEST_CASE("an escalation in a history says whom the line waits on and how late it is", "[zbbctl]") {
  Events events;
  auto& event = *events.Add();
  event.set_line_sequence(3);
  event.set_type("sla_breached");
  event.set_actor("zbbd");
  event.set_from_state("justification.submitted");
  event.set_to_state("justification.submitted");
  v1::EventPayload payload;
  payload.mutable_follow_up()->mutable_sla_breached()->set_state("justification.submitted");
  payload.mutable_decided()->set_waiting_on("reviewer");
  payload.mutable_decided()->set_overdue_ms(273600000);
  set_protobuf_payload(event, payload);

  const std::string table = history_table(events);

  CHECK(contains(table, "sla_breached"));
  CHECK(contains(table, "waiting on reviewer; overdue 3d 4h"));
}

TEST_CASE("history rows say the grade result use acted on and the rectification", "[zbbctl]") {
  Events events;
  v1::EventPayload payload;
  auto& submitted = *events.Add();
  submitted.set_type("submit");
  payload.mutable_event()->mutable_submit();
  auto& prior = *payload.mutable_decided()->mutable_prior();
  prior.set_line_id("JT-2026");
  prior.set_fiscal_year(2026);
  prior.set_grade("poor");
  prior.set_flagged(true);
  prior.set_cut_percent(30);
  prior.set_rectification_required(true);
  set_protobuf_payload(submitted, payload);
  payload.Clear();
  auto& report = *events.Add();
  report.set_type("submit_rectification");
  payload.mutable_event()->mutable_submit_rectification()->set_report("按月督办");
  set_protobuf_payload(report, payload);
  payload.Clear();
  auto& review = *events.Add();
  review.set_type("review_rectification");
  payload.mutable_event()->mutable_review_rectification()->set_comment("缺少时间表");
  set_protobuf_payload(review, payload);

  const std::string table = history_table(events);
  CHECK(contains(table, "poor in 2026 (line JT-2026): cut 30 %, rectification report required"));
  CHECK(contains(table, "按月督办"));
  CHECK(contains(table, "report returned; 缺少时间表"));
}

TEST_CASE("an escalation recorded before schema 8 says the same from its JSON", "[zbbctl]") {
  Events events;
  auto& event = *events.Add();
  event.set_line_sequence(3);
  event.set_type("sla_breached");
  event.set_actor("zbbd");
  event.set_from_state("justification.submitted");
  event.set_to_state("justification.submitted");
  set_json_payload(event,
                   R"({"state":"justification.submitted","waiting_on":"reviewer","due_at_ms":1,)"
                   R"("state_entered_at_ms":0,"overdue_ms":273600000})");

  const std::string table = history_table(events);

  CHECK(contains(table, "sla_breached"));
  CHECK(contains(table, "waiting on reviewer; overdue 3d 4h"));
}

TEST_CASE("a watched event is one line from sequence to summary", "[zbbctl]") {
  use_utc();
  v1::RecordedEvent event;
  event.set_sequence(42);
  event.set_line_id("JT-2027-001");
  event.set_actor("wang.reviewer");
  event.set_type("review_targets");
  event.set_from_state("justification.under_target_review");
  event.set_to_state("ranking.awaiting_ranking");
  set_json_payload(event, R"({"accept":true,"comment":"目标明确"})");
  *event.mutable_at() = at_seconds(kJune10At1Utc);

  CHECK(watch_line(event) ==
        "42  2027-06-10 01:00  JT-2027-001  wang.reviewer  review_targets  "
        "justification.under_target_review → ranking.awaiting_ranking  targets accepted; 目标明确");
}

TEST_CASE("a wire event keeps its fields on the way to the engine's type", "[zbbctl]") {
  v1::RecordedEvent event;
  event.set_sequence(9);
  set_json_payload(event, R"({"amount":1})");
  event.set_request_id("zbbctl-1");
  *event.mutable_at() = at_seconds(1);

  const RecordedEvent converted = to_engine_event(event);

  CHECK(converted.sequence == 9);
  CHECK(converted.payload == R"({"amount":1})");
  CHECK(converted.payload_encoding == PayloadEncoding::kJson);
  CHECK(converted.request_id == "zbbctl-1");
  CHECK(to_millis(converted.at) == 1000);
}

TEST_CASE("a command's result names the state, whom it waits on and the version", "[zbbctl]") {
  v1::CommandResponse response;
  *response.mutable_line() = approved_road_line();
  response.set_state("approval.awaiting_decision");
  response.set_version(8);
  response.set_sequence(120);

  CHECK(command_result_line(response) ==
        "JT-2027-001: approval.awaiting_decision, waiting on approver:budget_section, version 8 "
        "(event #120)");
  response.set_replayed(true);
  CHECK(contains(command_result_line(response), "already done by an earlier request"));
}

// --- JSON ---

TEST_CASE("JSON output keeps the proto's field names and prints zero values", "[zbbctl]") {
  v1::ListLinesRequest request;
  request.set_waiting_on_me(true);

  const std::string json = to_json(request);

  CHECK(contains(json, R"("waiting_on_me":true)"));
  CHECK(contains(json, R"("fiscal_year":0)"));
  CHECK(json.find('\n') == std::string::npos);
}

TEST_CASE("a LineEvent is read from protobuf JSON, amounts as strings", "[zbbctl]") {
  v1::LineEvent event;

  REQUIRE(from_json(R"({"fund":{"amount":"120000000"}})", &event).ok());
  CHECK(event.fund().amount() == 120'000'000);
}

TEST_CASE("JSON with an unknown field is refused with the parser's reason", "[zbbctl]") {
  v1::LineEvent event;

  const Status status = from_json(R"({"sumbit":{}})", &event);

  CHECK(status.code() == Code::kInvalidArgument);
  CHECK(contains(status.message(), "zbb.v1.LineEvent"));
  CHECK(contains(status.message(), "sumbit"));
}

// --- supervision: spans, stuck lines, summaries, escalations ---

TEST_CASE("spans are typed as days, hours, minutes or seconds", "[zbbctl]") {
  using std::chrono::seconds;
  CHECK(*parse_span("20d") == seconds(20 * 86400));
  CHECK(*parse_span("36h") == seconds(36 * 3600));
  CHECK(*parse_span("90m") == seconds(90 * 60));
  CHECK(*parse_span("45s") == seconds(45));
  CHECK(*parse_span("0d") == seconds(0));
}

TEST_CASE("a span may combine units from days down to seconds", "[zbbctl]") {
  CHECK(*parse_span("1d12h") == std::chrono::seconds(36 * 3600));
  CHECK(*parse_span("2h30m15s") == std::chrono::seconds(2 * 3600 + 30 * 60 + 15));
  CHECK(contains(parse_span("1h2d").status().message(), "from days down to seconds"));
  CHECK(contains(parse_span("1d1d").status().message(), "from days down to seconds"));
}

TEST_CASE("a span without a unit, with a sign or a fraction, or in words is refused", "[zbbctl]") {
  for (const char* text : {"", "20", "d", "-3d", "+3d", "3.5d", "20x", "20 d", "twenty days"}) {
    INFO(text);
    const auto parsed = parse_span(text);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.status().code() == Code::kInvalidArgument);
  }
  CHECK(contains(parse_span("20").status().message(), "20 needs a unit: d, h, m or s"));
  CHECK(contains(parse_span("20x").status().message(), "unknown unit \"x\""));
  CHECK(contains(parse_span("20x").status().message(), "e.g. 20d, 36h, 90m"));
}

TEST_CASE("a span beyond ten years is refused, however many digits it has", "[zbbctl]") {
  CHECK(*parse_span("3660d") == std::chrono::seconds(std::int64_t{3660} * 86400));
  CHECK(contains(parse_span("3661d").status().message(), "longer than ten years"));
  CHECK(contains(parse_span("3660d1s").status().message(), "longer than ten years"));
  CHECK(
      contains(parse_span("99999999999999999999999d").status().message(), "longer than ten years"));
}

TEST_CASE("a span prints in its two largest units, truncated", "[zbbctl]") {
  using namespace std::chrono_literals;
  CHECK(format_span(3 * 24h + 4h + 59min + 59s) == "3d 4h");
  CHECK(format_span(24h) == "1d 0h");
  CHECK(format_span(5h + 12min + 30s) == "5h 12m");
  CHECK(format_span(12min + 59s) == "12m");
  CHECK(format_span(45s + 999ms) == "45s");
  CHECK(format_span(0ms) == "0s");
  CHECK(format_span(-(2 * 24h + 3h)) == "-2d 3h");
}

namespace {

google::protobuf::Duration duration_of(std::int64_t seconds) {
  google::protobuf::Duration span;
  span.set_seconds(seconds);
  return span;
}

v1::StuckLine stuck_road_line() {
  v1::StuckLine line;
  line.set_line_id("JT-2027-001");
  line.set_fiscal_year(2027);
  line.set_department("县交通运输局");
  line.set_state("justification.submitted");
  line.set_waiting_on("reviewer");
  *line.mutable_state_entered_at() = at_seconds(kJune10At1Utc);
  *line.mutable_due_at() = at_seconds(kJune10At1Utc + 3 * 86400);
  *line.mutable_overdue() = duration_of(3 * 86400 + 4 * 3600 + 120);
  *line.mutable_waiting() = duration_of(6 * 86400 + 4 * 3600 + 120);
  line.set_requested_amount(1'250'000'00);
  line.set_escalated(true);
  return line;
}

}  // namespace

TEST_CASE("a stuck line shows when it entered, when it was due and how long overdue", "[zbbctl]") {
  use_utc();
  v1::FindStuckResponse response;
  *response.add_lines() = stuck_road_line();

  const std::string table = stuck_table(response);

  CHECK(contains(table, "line         department    state                    waiting on"));
  CHECK(contains(table, "JT-2027-001  县交通运输局  justification.submitted  reviewer"));
  CHECK(contains(table, "2027-06-10 01:00  2027-06-13 01:00"));
  CHECK(contains(table, "3d 4h"));
  CHECK(contains(table, "1,250,000.00  yes\n"));
}

TEST_CASE("a stuck line not yet due says when it will be — an approved one shows approved money",
          "[zbbctl]") {
  v1::FindStuckResponse response;
  auto& line = *response.add_lines() = stuck_road_line();
  *line.mutable_overdue() = duration_of(-(2 * 86400 + 3600));
  line.set_approved_amount(1'100'000'00);
  line.set_escalated(false);

  const std::string table = stuck_table(response);

  CHECK(contains(table, "due in 2d 1h"));
  CHECK(contains(table, "1,100,000.00  no\n"));
  CHECK_FALSE(contains(table, "1,250,000.00"));
}

namespace {

v1::SummaryGroup summary_group(const std::string& key, std::int64_t lines, std::int64_t escalated,
                               Fen requested) {
  v1::SummaryGroup group;
  group.set_key(key);
  group.set_lines(lines);
  group.set_escalated(escalated);
  group.set_requested_amount(requested);
  return group;
}

void set_oldest(v1::SummaryGroup& group, const std::string& line, const std::string& state,
                std::int64_t waited_seconds) {
  auto* oldest = group.mutable_oldest();
  oldest->set_line_id(line);
  oldest->set_state(state);
  *oldest->mutable_waiting() = duration_of(waited_seconds);
}

}  // namespace

TEST_CASE("a summary by state has a row per state, its oldest line and a total", "[zbbctl]") {
  v1::SummarizeResponse response;
  response.set_group_by(v1::SUMMARY_GROUPING_STATE);
  auto& draft = *response.add_groups() = summary_group("draft", 2, 1, 2'000'000'00);
  set_oldest(draft, "JT-1", "draft", 40 * 86400 + 1800);
  auto& executing = *response.add_groups() = summary_group("execution.executing", 1, 0, 500'00);
  executing.set_approved_amount(400'00);
  executing.set_spent_amount(100'50);
  set_oldest(executing, "JT-6", "execution.executing", 3 * 3600);
  *response.add_groups() = summary_group("withdrawn", 1, 0, 7'00);

  const std::string table = summary_table(response);

  CHECK(table ==
        "state                lines  escalated  requested     approved  spent   oldest  waiting\n"
        "-------------------  -----  ---------  ------------  --------  ------  ------  -------\n"
        "draft                    2          1  2,000,000.00      0.00    0.00  JT-1     40d 0h\n"
        "execution.executing      1          0        500.00    400.00  100.50  JT-6      3h 0m\n"
        "withdrawn                1          0          7.00      0.00    0.00  -              \n"
        "total                    4          1  2,000,507.00    400.00  100.50  JT-1     40d 0h\n");
}

TEST_CASE("a summary by role names lines waiting on no one (none) and the oldest line's state",
          "[zbbctl]") {
  v1::SummarizeResponse response;
  response.set_group_by(v1::SUMMARY_GROUPING_WAITING_ON);
  *response.add_groups() = summary_group("", 3, 0, 300'00);
  auto& reviewer = *response.add_groups() = summary_group("reviewer", 1, 1, 100'00);
  set_oldest(reviewer, "JT-2", "justification.submitted", 37 * 86400);

  const std::string table = summary_table(response);

  CHECK(contains(table, "waiting on  lines"));
  CHECK(contains(table, "in state"));
  CHECK(contains(table, "(none)"));
  CHECK(contains(table, "JT-2    justification.submitted   37d 0h\n"));
  CHECK(contains(table, "total           4"));
}

TEST_CASE("an escalation is one line: the state, whom it waits on, how long overdue", "[zbbctl]") {
  use_utc();
  v1::RecordedEvent event;
  event.set_sequence(17);
  event.set_line_id("JT-2027-001");
  event.set_actor("zbbd");
  event.set_type("sla_breached");
  event.set_from_state("justification.submitted");
  event.set_to_state("justification.submitted");
  set_json_payload(
      event,
      R"({"state":"justification.submitted","waiting_on":"reviewer","state_entered_at_ms":1,)"
      R"("due_at_ms":2,"overdue_ms":3196800000})");
  *event.mutable_at() = at_seconds(kJune10At1Utc);

  CHECK(escalation_line(event) ==
        "17  2027-06-10 01:00  JT-2027-001  justification.submitted  waiting on reviewer  "
        "overdue 37d 0h");
  set_json_payload(event, "not JSON");
  CHECK(escalation_line(event) == "17  2027-06-10 01:00  JT-2027-001  justification.submitted");
}

}  // namespace zbb::cli

namespace zbb::cli {

TEST_CASE("zbbctl shows a programme, the titles flagged alike and a table of programmes",
          "[zbbctl]") {
  zbb::v1::Programme programme;
  programme.set_code("JT-ROAD-013");
  programme.set_department("县交通运输局");
  programme.set_title("农村公路日常养护工程");
  programme.set_category(zbb::v1::CATEGORY_PROJECT);
  programme.set_status(zbb::v1::PROGRAMME_STATUS_RETIRED);
  programme.set_version(2);
  programme.set_proposed_by("li.transport");
  programme.set_retired_by("wang.reviewer");
  programme.set_retirement_reason("重复建设");
  auto* alike = programme.add_similar();
  alike->set_code("JT-ROAD-001");
  alike->set_similarity_per_mille(875);
  const std::string details = programme_details(programme);
  CHECK_THAT(details, Catch::Contains("status       retired"));
  CHECK_THAT(details, Catch::Contains("retired by   wang.reviewer: 重复建设"));
  CHECK_THAT(details, Catch::Contains("admitted by  -"));
  CHECK_THAT(details, Catch::Contains("flags        titles alike JT-ROAD-001 87.5 %"));

  zbb::v1::ListProgrammesResponse list;
  *list.add_programmes() = programme;
  const std::string table = programmes_table(list);
  CHECK_THAT(table, Catch::StartsWith("programme"));
  CHECK_THAT(table, Catch::Contains("JT-ROAD-013") && Catch::Contains("retired") &&
                        Catch::Contains("alike JT-ROAD-001 87.5 %"));
}

}  // namespace zbb::cli
