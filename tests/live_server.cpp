#include "tests/live_server.h"

#include <catch2/catch.hpp>

namespace zbb::testing {

std::vector<std::string> args_with_library() {
  std::vector<std::string> args = kServerArgs;
  const auto shipped = shipped_policy_args();
  args.insert(args.end(), shipped.begin(), shipped.end());
  return args;
}

void admit_programme_of(const LiveServer& live, const zbb::v1::LineContent& content,
                        const std::string& title) {
  const auto send = [&](const std::string& principal, const zbb::v1::ProgrammeEvent& event) {
    ApiClient client = live.as(principal);
    zbb::v1::ProgrammeRequest request;
    request.set_request_id(next_id("programme"));
    request.set_code(content.programme_code());
    *request.mutable_event() = event;
    zbb::v1::ProgrammeResponse response;
    auto context = client.context();
    const grpc::Status status = client.workflow().ActOnProgramme(context.get(), request, &response);
    INFO(status.error_message());
    REQUIRE(status.ok());
  };
  send(actor::kReviewer, propose_programme(content.department(), title, content.category()));
  send(actor::kSecondReviewer, admit_programme());
}

std::string next_id(const std::string& prefix) {
  static int counter = 0;
  return prefix + "-" + std::to_string(++counter);
}

zbb::v1::LineEvent spending(std::int64_t amount) {
  return event_of([&](auto& e) {
    e.mutable_record_spending()->set_amount(amount);
    e.mutable_record_spending()->set_payment_ref(next_id("GK"));
  });
}

zbb::v1::LineEvent progress(const std::string& indicator, double actual) {
  return event_of([&](auto& e) {
    e.mutable_record_indicator_progress()->set_indicator(indicator);
    e.mutable_record_indicator_progress()->set_actual(actual);
  });
}

zbb::v1::CommandResponse step(const LiveServer& live, const std::string& principal,
                              const std::string& line, const zbb::v1::LineEvent& event) {
  zbb::v1::CommandResponse response;
  auto result = live.as(principal).push(next_id("req"), line, event, &response);
  INFO(principal << " on " << line << ": " << result.status.error_message());
  REQUIRE(result.status.ok());
  return response;
}

void create_line(const LiveServer& live, const std::string& line, const std::string& principal) {
  auto result = live.as(principal).create(next_id("create"), line, road_maintenance_content());
  INFO(result.status.error_message());
  REQUIRE(result.status.ok());
}

void assess_if_due(const LiveServer& live, const std::string& line) {
  zbb::v1::BudgetLine current;
  REQUIRE(live.as(actor::kReviewer).get(line, &current).status.ok());
  if (current.assessment_due().empty()) return;
  step(live, actor::kReviewer, line, approving_assessment());
}

void score_line(const LiveServer& live, const std::string& line, int score) {
  step(live, actor::kTransportUnit, line, event_of([](auto& e) { e.mutable_submit(); }));
  step(live, actor::kReviewer, line, event_of([](auto& e) { e.mutable_start_target_review(); }));
  assess_if_due(live, line);
  step(live, actor::kReviewer, line,
       event_of([](auto& e) { e.mutable_review_targets()->set_accept(true); }));
  step(live, actor::kReviewer, line, event_of([&](auto& e) {
         for (const char* criterion :
              {"necessity", "urgency", "expected_effect", "public_attention"}) {
           auto* s = e.mutable_score_priority()->add_scores();
           s->set_criterion(criterion);
           s->set_score(score);
         }
       }));
}

zbb::v1::CommandResponse approve_line(const LiveServer& live, const std::string& line,
                                      std::int64_t amount) {
  step(live, actor::kTransportUnit, line, event_of([](auto& e) { e.mutable_submit(); }));
  step(live, actor::kReviewer, line, event_of([](auto& e) { e.mutable_start_target_review(); }));
  assess_if_due(live, line);
  step(live, actor::kReviewer, line,
       event_of([](auto& e) { e.mutable_review_targets()->set_accept(true); }));
  step(live, actor::kRankingOffice, line,
       event_of([&](auto& e) { e.mutable_fund()->set_amount(amount); }));
  zbb::v1::CommandResponse last;
  for (const auto& [approver, level] : approval_chain())
    last = step(live, approver, line, event_of([&](auto& e) {
                  auto* d = e.mutable_decide();
                  d->set_level(level);
                  d->set_decision(zbb::v1::DECISION_APPROVE);
                  d->set_amount(amount);
                }));
  return last;
}

}  // namespace zbb::testing
