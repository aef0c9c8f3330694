#include "tests/county_fixture.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>

#include "engine/recorded_event.h"
#include "workflows/issued_indicators.h"
#include "workflows/legacy_reports.h"
#include "workflows/result_use.h"
#include "workflows/state_ids.h"

namespace zbb::testing {
namespace {

namespace v1 = zbb::v1;

std::unique_ptr<sql::SqlStore> open_store(const std::string& database) {
  // As zbbd opens it: a database of an earlier zbb is upgraded, its reports by the review.
  auto store = sql::SqlStore::open(database, review::report_body_from_v7_json);
  if (!store.ok()) FAIL("cannot open " << database << ": " << store.status().to_string());
  return std::move(store).value();
}

template <typename A>
void step(County& county, const std::string& actor, const std::string& line_id, A action) {
  auto outcome = county.act(actor, line_id, Action{std::move(action)});
  INFO("line " << line_id << " " << event_type<A>() << " by " << actor);
  REQUIRE(outcome.status().to_string() == "OK");
}

}  // namespace

Timestamp at(int year, unsigned month, unsigned day, int hour) {
  using namespace std::chrono;
  return time_point_cast<milliseconds>(sys_days(std::chrono::year(year) / month / day) +
                                       hours(hour));
}

LineContent road_maintenance_request(int fiscal_year) {
  LineContent c;
  c.set_fiscal_year(fiscal_year);
  c.set_department(kTransport);
  c.set_programme_code("JT-ROAD-001");
  c.set_title("农村公路日常养护");
  c.set_category(v1::CATEGORY_PROJECT);
  assign(c.mutable_cost_items(),
         {
             cost_item("路面修补（平方米）", 5000, 150'00, 750'000'00),
             cost_item("边沟清理（公里）", 200, 1'500'00, 300'000'00),
             cost_item("养护巡查人员劳务（人月）", 40, 5'000'00, 200'000'00),
         });
  c.set_requested_amount(1'250'000'00);
  c.set_necessity_statement(
      "全县农村公路 412 公里，其中 96 "
      "公里路面破损，雨季边沟淤塞影响通行安全，需按养护规范逐段修复。");
  assign(c.mutable_indicators(),
         {
             quantitative("养护里程", v1::INDICATOR_LEVEL1_OUTPUT, v1::INDICATOR_LEVEL2_QUANTITY,
                          "公里", 96, v1::DIRECTION_AT_LEAST),
             quantitative("完工及时率", v1::INDICATOR_LEVEL1_OUTPUT,
                          v1::INDICATOR_LEVEL2_TIMELINESS, "%", 95, v1::DIRECTION_AT_LEAST),
             quantitative("路况优良率", v1::INDICATOR_LEVEL1_EFFECT, v1::INDICATOR_LEVEL2_SOCIAL,
                          "%", 85, v1::DIRECTION_AT_LEAST),
             quantitative("沿线群众满意度", v1::INDICATOR_LEVEL1_SATISFACTION,
                          v1::INDICATOR_LEVEL2_SERVICE_OBJECT_SATISFACTION, "%", 90,
                          v1::DIRECTION_AT_LEAST),
         });
  return c;
}

LineContent school_meals_request(int fiscal_year) {
  LineContent c;
  c.set_fiscal_year(fiscal_year);
  c.set_department(kEducation);
  c.set_programme_code("JY-MEAL-003");
  c.set_title("农村义务教育学生营养餐补助");
  c.set_category(v1::CATEGORY_PROJECT);
  assign(c.mutable_cost_items(), {cost_item("营养餐补助（人·学期）", 4300, 200'00, 860'000'00)});
  c.set_requested_amount(860'000'00);
  c.set_necessity_statement("全县 4,300 名农村义务教育阶段学生需按国家标准每日补助营养餐。");
  assign(c.mutable_indicators(),
         {
             quantitative("受益学生人数", v1::INDICATOR_LEVEL1_OUTPUT,
                          v1::INDICATOR_LEVEL2_QUANTITY, "人", 4300, v1::DIRECTION_AT_LEAST),
             quantitative("学生营养改善率", v1::INDICATOR_LEVEL1_EFFECT,
                          v1::INDICATOR_LEVEL2_SOCIAL, "%", 80, v1::DIRECTION_AT_LEAST),
         });
  return c;
}

const std::vector<std::string>& county_departments() {
  static const std::vector<std::string> departments = {
      kTransport,     kEducation,           kHealth,        kAgriculture,   "县水利局",
      "县民政局",     "县住房和城乡建设局", "县自然资源局", "县生态环境局", "县文化和旅游局",
      "县应急管理局", "县市场监督管理局"};
  return departments;
}

Principal principal_of(const std::string& actor) {
  if (actor == Principal::zbb().name) return Principal::zbb();
  if (actor == actor::kTransportUnit) return {actor, {"unit:" + kTransport}};
  if (actor == actor::kEducationUnit) return {actor, {"unit:" + kEducation}};
  const auto& departments = county_departments();
  for (const auto& department : departments)
    if (actor == unit_of(department)) return {actor, {"unit:" + department}};
  if (actor.starts_with("reviewer.") || actor == actor::kRankingOffice ||
      actor == actor::kEvaluationOffice)
    return {actor, {"reviewer"}};
  if (actor.starts_with("approver.")) {
    const std::string level = actor.substr(9, actor.find('.', 9) - 9);
    return {actor, {"approver:" + level}};
  }
  if (actor.starts_with("integrator.")) return {actor, {"integrator"}};
  if (actor.starts_with("evaluator.")) return {actor, {"evaluator"}};
  if (actor.starts_with("unit.transport.")) return {actor, {"unit:" + kTransport}};
  if (actor.starts_with("unit.education.")) return {actor, {"unit:" + kEducation}};
  return {actor, {}};
}

Principal with_every_role(const std::string& name) {
  static const std::vector<std::string> every_role = [] {
    std::vector<std::string> roles = {"reviewer", "integrator", "evaluator"};
    for (const auto& department : county_departments()) roles.push_back("unit:" + department);
    const auto policies = default_policies();
    const auto& policy = policies.current();
    for (const auto& chain : {policy.approval_chain(), policy.adjustment_chain()})
      for (const auto& level : chain)
        if (std::find(roles.begin(), roles.end(), level.role()) == roles.end())
          roles.push_back(level.role());
    return roles;
  }();
  return {name, every_role};
}

std::string unit_of(const std::string& department) {
  const auto& all = county_departments();
  const auto at = std::find(all.begin(), all.end(), department);
  return "unit." + std::to_string(at - all.begin());
}

LineContent packaged_request(const std::string& department, const std::string& programme_code,
                             Fen minimum, Fen current, Fen enhancement, int fiscal_year) {
  LineContent c = road_maintenance_request(fiscal_year);
  c.set_department(department);
  c.set_programme_code(programme_code);
  c.set_title(department + "重点项目 " + programme_code);
  assign(c.mutable_increments(),
         {increment(v1::INCREMENT_LEVEL_MINIMUM, minimum, "维持基本运转的最低保障")});
  if (current > 0)
    *c.add_increments() = increment(v1::INCREMENT_LEVEL_CURRENT, current, "恢复到现有服务水平");
  if (enhancement > 0)
    *c.add_increments() = increment(v1::INCREMENT_LEVEL_ENHANCEMENT, enhancement, "提升服务覆盖面");
  c.set_requested_amount(minimum + current + enhancement);
  assign(c.mutable_cost_items(),
         {cost_item("项目支出（项）", 1, c.requested_amount(), c.requested_amount())});
  return c;
}

std::string default_policy_path() {
  return std::string(ZBB_SOURCE_DIR) + "/workflows/zero_based_review.textproto";
}

review::PolicySet default_policies() {
  auto policies = review::load_policy_files({default_policy_path()}, "");
  if (!policies.ok()) FAIL(policies.status().to_string());
  return std::move(policies).value();
}

review::PolicySet policies_with_library(bool required) {
  auto policy = default_policies().current();
  policy.mutable_library()->set_require_library(required);
  auto policies = review::PolicySet::from_policies({policy}, policy.version());
  if (!policies.ok()) FAIL(policies.status().to_string());
  return std::move(policies).value();
}

County::County(const std::string& database, Library library)
    : clock(at(2027, 1, 4)),
      store(open_store(database)),
      workflow(policies_with_library(library == Library::kRequired)),
      engine(*store, workflow, clock) {}

Result<CommandOutcome> County::programme(const std::string& actor, const std::string& code,
                                         ProgrammeEvent event,
                                         std::optional<std::int64_t> expected_version) {
  ProgrammeCommand command{.request_id = next_request_id(),
                           .principal = principal_of(actor),
                           .code = code,
                           .expected_version = expected_version,
                           .event = std::move(event)};
  auto done = engine.execute_programme(command);
  if (!done.ok()) return done.status();
  return done->outcome;
}

void County::admit_programme_of(const LineContent& content) {
  if (engine.get_programme(content.programme_code()).ok()) return;
  // A title of the code's own hash: no two programmes of the county look alike.
  const std::string title = "programme " + sha256_hex(content.programme_code()).substr(0, 24);
  auto proposed = programme(unit_of(content.department()), content.programme_code(),
                            propose_programme(content.department(), title, content.category()));
  REQUIRE(proposed.ok());
  REQUIRE(programme(actor::kReviewer, content.programme_code(), admit_programme()).ok());
}

Result<CommandOutcome> County::act(const std::string& actor, const std::string& line_id,
                                   Action action, std::optional<std::int64_t> expected_version) {
  return act_as(principal_of(actor), line_id, std::move(action), expected_version);
}

Result<CommandOutcome> County::act_as(const Principal& principal, const std::string& line_id,
                                      Action action, std::optional<std::int64_t> expected_version) {
  Command command;
  command.request_id = next_request_id();
  command.principal = principal;
  command.items.push_back({line_id, expected_version, std::move(action)});
  return engine.execute(command);
}

Result<CommandOutcome> County::record(const std::string& line_id, FollowUp follow_up,
                                      std::optional<std::int64_t> expected_version) {
  Command command;
  command.request_id = next_request_id();
  command.principal = Principal::zbb();
  command.follow_ups.push_back({line_id, expected_version, std::move(follow_up)});
  return engine.execute(command);
}

void County::create(const std::string& line_id, const LineContent& content, const std::string& by) {
  step(*this, by, line_id, create_line(content));
}

void County::drive_to(const std::string& line_id, std::string_view target) {
  namespace s = review::state;
  const std::string unit = line(line_id).created_by();
  // Each pass takes one step from the current state toward `target`.
  for (int guard = 0; guard < 32; ++guard) {
    const std::string current = state(line_id);
    if (current == target) return;
    if (target == s::kWithdrawn) {
      step(*this, unit, line_id, withdraw_line("不再需要"));
    } else if (current == s::kDraft || current == s::kReturnedForRevision) {
      step(*this, unit, line_id, submit_line());
    } else if (current == s::kSubmitted) {
      step(*this, actor::kReviewer, line_id, start_target_review());
    } else if (current == s::kUnderTargetReview) {
      const bool send_back = target == s::kReturnedForRevision;
      // A line the policy selects for a prior assessment is assessed before it goes on.
      const BudgetLine l = line(line_id);
      if (!send_back && !l.assessment_due().empty() && !l.assessment().approved())
        step(*this, actor::kReviewer, line_id, record_assessment(true, "同意立项"));
      step(*this, actor::kReviewer, line_id,
           review_targets(!send_back, send_back ? "绩效目标不够具体" : "目标明确可衡量"));
    } else if (current == s::kAwaitingRanking) {
      // A programme graded poor before answers with a rectification report, accepted, and is
      // funded up to the ceiling its grade sets (result use).
      const BudgetLine l = line(line_id);
      if (target != s::kUnfunded && review::awaits_rectification(l)) {
        step(*this, unit, line_id, submit_rectification("整改措施：按月督办进度"));
        step(*this, actor::kReviewer, line_id, review_rectification(true, "同意"));
      }
      Fen amount = target == s::kUnfunded ? 0 : l.content().requested_amount();
      if (l.prior().has_ceiling()) amount = std::min(amount, l.prior().ceiling());
      // Only a line approved below its request restates its targets.
      if (target == s::kRestatingTargets || target == s::kReviewingRestatedTargets)
        amount = amount * 8 / 10;
      step(*this, actor::kRankingOffice, line_id, fund_line(amount, "排序在控制数以内"));
    } else if (current == s::kAwaitingDecision) {
      const BudgetLine l = line(line_id);
      const auto& level = workflow.policies().current().approval_chain(l.approval_step());
      DecideApproval decision =
          decide_approval(level.name(), zbb::v1::DECISION_APPROVE, l.granted_amount(), "同意");
      if (target == s::kRejected)
        decision = decide_approval(level.name(), zbb::v1::DECISION_REJECT, 0, "不符合政策");
      step(*this, approval_chain().at(static_cast<std::size_t>(l.approval_step())).approver,
           line_id, decision);
    } else if (current == s::kRestatingTargets) {
      // Approved below the request: each quantitative target cut in proportion to the money.
      step(*this, unit, line_id, restated_in_proportion(line(line_id)));
    } else if (current == s::kReviewingRestatedTargets) {
      step(*this, actor::kReviewer, line_id, review_restated_targets(true, "目标与资金匹配"));
    } else if (current == s::kExecuting) {
      const int year = line(line_id).content().fiscal_year();
      if (target == s::kRedWarning) {
        // Nothing spent by the checkpoint: execution lags time progress by 50 points.
        clock.set(std::max(clock.now(), at(year, 7, 1)));
        step(*this, actor::kTreasury, line_id,
             run_checkpoint(std::chrono::year(year) / std::chrono::June / 30));
      } else if (target == s::kAdjustmentProposed) {
        step(*this, unit, line_id,
             propose_adjustment(zbb::v1::ADJUSTMENT_KIND_REDUCE, 100'000'00, "", 0,
                                "部分路段由省级资金覆盖"));
      } else if (!line(line_id).has_monitoring()) {
        hold_green_checkpoint(line_id);
      } else {
        clock.set(std::max(clock.now(), at(year + 1, 1, 20)));
        step(*this, unit, line_id, begin_evaluation());
      }
    } else if (current == s::kSelfEvaluation) {
      // A good year: every target reached.
      SubmitSelfEvaluation evaluation = submit_self_evaluation({}, 92, "按计划完成养护任务");
      const BudgetLine executed = line(line_id);
      for (const Indicator* indicator : review::issued_indicators(executed)) {
        if (!indicator->qualitative()) {
          *evaluation.add_final_actuals() = indicator_value(indicator->name(), indicator->target());
        } else {
          QualitativeGrade& grade = *evaluation.add_qualitative();
          grade.set_indicator(indicator->name());
          grade.set_band("achieved");
          grade.set_percent(100);
        }
      }
      step(*this, unit, line_id, evaluation);
    } else if (current == s::kFocusedEvaluation) {
      // The third party finds what the unit reported.
      const BudgetLine scored = line(line_id);
      const zbb::Evaluation& self = scored.evaluation();
      SubmitFocusedEvaluation focused;
      focused.set_satisfaction_percent(static_cast<int>(self.satisfaction_percent()));
      focused.set_summary("第三方核查：与单位自评一致");
      *focused.mutable_qualitative() = self.qualitative();
      step(*this, actor::kThirdParty, line_id, focused);
    } else if (current == s::kScored && target == s::kFocusedEvaluation) {
      SelectFocusedEvaluation pick;
      pick.set_reason("群众反映较多，抽取重点评价");
      step(*this, actor::kReviewer, line_id, pick);
    } else if (current == s::kScored) {
      // Money left unspent is settled once the final accounts have closed (01-31): the line is
      // closed on 1 February, and the clock goes back to where it was, so that the county's other
      // lines of the year can still take their payments in the tests that follow.
      const Timestamp was = clock.now();
      const int year = line(line_id).content().fiscal_year();
      clock.set(std::max(was, at(year + 1, 2, 1)));
      step(*this, actor::kEvaluationOffice, line_id, close_line("评价结果已归档"));
      clock.set(was);
    } else {
      FAIL("no path from " << current << " to " << target);
    }
  }
  FAIL("did not reach " << target);
}

const std::vector<ApprovalLevel>& approval_chain() {
  static const std::vector<ApprovalLevel> kChain = {
      {actor::kDepartmentHead, "department_head"},
      {actor::kBudgetSection, "budget_section"},
      {actor::kPerformanceSection, "performance_section"},
      {actor::kBureauHead, "bureau_head"}};
  return kChain;
}

std::string County::next_request_id() {
  static std::atomic<int> counter{0};
  return "req-" + std::to_string(++counter);
}

void County::hold_green_checkpoint(const std::string& line_id) {
  BudgetLine l = line(line_id);
  const int year = l.content().fiscal_year();
  clock.set(std::max(clock.now(), at(year, 7, 1)));
  // On time progress: half the money spent, and outputs as far along as the money.
  const Fen half = l.approved_amount() / 2;
  if (l.spent_amount() < half)
    step(*this, actor::kTreasury, line_id, record_spending(half - l.spent_amount(), "GK-Q2", ""));
  l = line(line_id);
  const double progress =
      static_cast<double>(l.spent_amount()) / static_cast<double>(l.approved_amount());
  for (const Indicator* indicator : review::issued_indicators(l))
    if (!indicator->qualitative() && indicator->level1() == v1::INDICATOR_LEVEL1_OUTPUT &&
        !indicator->has_actual())
      step(*this, actor::kTreasury, line_id,
           record_indicator_progress(indicator->name(), indicator->target() * progress));
  step(*this, actor::kTreasury, line_id,
       run_checkpoint(std::chrono::year(year) / std::chrono::June / 30));
  REQUIRE(line(line_id).monitoring().level() == zbb::v1::WARNING_LEVEL_GREEN);
}

ScorePriority County::typed_scores(std::int64_t score) {
  const auto& policy = workflow.policies().current();
  ScorePriority scoring;
  for (const auto& criterion : policy.ranking_criteria())
    if (criterion.name() != policy.result_use().history_criterion())
      *scoring.add_scores() = criterion_score(criterion.name(), score);
  return scoring;
}

void County::score_for_ranking(const std::string& line_id, std::int64_t score) {
  drive_to(line_id, review::state::kAwaitingRanking);
  step(*this, actor::kReviewer, line_id, typed_scores(score));
}

BudgetLine County::line(const std::string& line_id) {
  auto line = engine.get_line(line_id);
  REQUIRE(line.ok());
  return *line;
}

std::vector<RecordedEvent> County::history(const std::string& line_id) {
  auto events = engine.history(line_id);
  REQUIRE(events.ok());
  return *events;
}

zbb::v1::EventPayload payload_of(const RecordedEvent& event) {
  zbb::v1::EventPayload payload;
  INFO("event " << event.line_id << " #" << event.line_sequence << " (" << event.type << ")");
  CHECK(event.payload_encoding == PayloadEncoding::kProtobuf);
  CHECK(payload.ParseFromString(event.payload));
  return payload;
}

}  // namespace zbb::testing
