// zbb-demo: drives a small county's budget lines through the whole zero-based review on a
// SQLite file and prints where each line ended and the history that took it there.

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>

#include "adapters/cli/event_summary.h"
#include "adapters/cli/text_table.h"
#include "adapters/sql/sqlite_store.h"
#include "engine/engine.h"
#include "workflows/zero_based_review.h"

namespace zbb::demo {
namespace {

using std::chrono::year;

Timestamp day(unsigned month, unsigned d) {
  using namespace std::chrono;
  return time_point_cast<milliseconds>(sys_days(year(2027) / month / d) + hours(9));
}

Indicator indicator(std::string name, IndicatorLevel1 l1, IndicatorLevel2 l2, std::string unit,
                    double target) {
  return {std::move(name), l1, l2, true, std::move(unit), target, Direction::kAtLeast, {}};
}

LineContent request(std::string department, std::string code, std::string title,
                    std::vector<CostItem> items, std::string why, std::vector<Indicator> targets) {
  LineContent c{2027, std::move(department), std::move(code), std::move(title),  Category::kProject,
                0,    std::move(items),      std::move(why),  std::move(targets)};
  for (const auto& item : c.cost_items) c.requested_amount += item.amount;
  return c;
}

// The scenario's actors and an engine; every step must succeed or the demo stops and says why.
class Scenario {
 public:
  Scenario(Engine& engine, ManualClock& clock) : engine_(engine), clock_(clock) {}

  void at(Timestamp t) { clock_.set(t); }

  void act(const std::string& actor, const std::string& line_id, Action action) {
    Command command{fmt::format("demo-{}", ++requests_), actor, {{line_id, std::nullopt, action}}};
    auto outcome = engine_.execute(command);
    if (!outcome.ok())
      throw std::runtime_error(fmt::format("{} on {} by {} failed: {}", action_type(action),
                                           line_id, actor, outcome.status().to_string()));
  }

 private:
  Engine& engine_;
  ManualClock& clock_;
  int requests_ = 0;
};

const std::vector<std::string> kApprovers = {"zhao.dept_head", "qian.budget", "sun.performance",
                                             "zhou.bureau_head"};

void approve_all(Scenario& s, const std::string& line, Fen amount, unsigned month) {
  const char* levels[] = {"department_head", "budget_section", "performance_section",
                          "bureau_head"};
  for (int i = 0; i < 4; ++i) {
    s.at(day(month, 10 + i));
    s.act(kApprovers[i], line, DecideApproval{levels[i], Decision::kApprove, amount, "同意"});
  }
}

void justify(Scenario& s, const std::string& unit, const std::string& line, unsigned month) {
  s.at(day(month, 6));
  s.act(unit, line, SubmitLine{});
  s.at(day(month, 7));
  s.act("wang.reviewer", line, StartTargetReview{});
  s.at(day(month, 8));
  s.act("wang.reviewer", line, ReviewTargets{true, "目标明确、可衡量"});
}

void run(Engine& engine, ManualClock& clock) {
  Scenario s(engine, clock);
  using L1 = IndicatorLevel1;
  using L2 = IndicatorLevel2;

  s.at(day(1, 4));
  s.act("li.transport", "JT-2027-001",
        CreateLine{request("县交通运输局", "JT-ROAD-001", "农村公路日常养护",
                           {{"路面修补（平方米）", 5000, 150'00, 750'000'00},
                            {"边沟清理（公里）", 200, 1'500'00, 300'000'00},
                            {"养护巡查劳务（人月）", 40, 5'000'00, 200'000'00}},
                           "96 公里农村公路路面破损，雨季边沟淤塞影响通行安全。",
                           {indicator("养护里程", L1::kOutput, L2::kQuantity, "公里", 96),
                            indicator("路况优良率", L1::kEffect, L2::kSocial, "%", 85)})});
  s.act("liu.education", "JY-2027-003",
        CreateLine{request("县教育局", "JY-MEAL-003", "农村学生营养餐补助",
                           {{"营养餐补助（人·学期）", 4300, 200'00, 860'000'00}},
                           "4,300 名农村义务教育学生需按国家标准补助营养餐。",
                           {indicator("受益学生人数", L1::kOutput, L2::kQuantity, "人", 4300),
                            indicator("家长满意度", L1::kSatisfaction,
                                      L2::kServiceObjectSatisfaction, "%", 90)})});
  s.act("chen.health", "WJ-2027-002",
        CreateLine{request("县卫生健康局", "WJ-CLINIC-002", "村卫生室设备更新",
                           {{"基本诊疗设备（套）", 30, 12'000'00, 360'000'00}},
                           "30 个村卫生室设备超过使用年限。",
                           {indicator("更新村卫生室", L1::kOutput, L2::kQuantity, "个", 30),
                            indicator("村民就诊满意度", L1::kSatisfaction,
                                      L2::kServiceObjectSatisfaction, "%", 85)})});
  s.act(
      "zhang.agriculture", "NY-2027-004",
      CreateLine{request("县农业农村局", "NY-FESTIVAL-004", "农民丰收节活动",
                         {{"活动组织（场）", 2, 90'000'00, 180'000'00}}, "举办农民丰收节庆祝活动。",
                         {indicator("活动场次", L1::kOutput, L2::kQuantity, "场", 2),
                          indicator("参与群众满意度", L1::kSatisfaction,
                                    L2::kServiceObjectSatisfaction, "%", 80)})});

  // Road maintenance: the whole cycle, green at the checkpoint, graded at year end.
  justify(s, "li.transport", "JT-2027-001", 1);
  s.at(day(2, 20));
  s.act("he.ranking", "JT-2027-001", FundLine{1'200'000'00, "控制数内按优先级排序"});
  approve_all(s, "JT-2027-001", 1'200'000'00, 3);
  s.at(day(5, 31));
  s.act("treasury", "JT-2027-001", RecordSpending{600'000'00, "GK-2027-05-0193", "国库集中支付"});
  s.act("treasury", "JT-2027-001", RecordIndicatorProgress{"养护里程", 48});
  s.at(day(7, 1));
  s.act("treasury", "JT-2027-001", RunCheckpoint{year(2027) / 6 / 30});
  s.at(day(11, 30));
  s.act("treasury", "JT-2027-001", RecordSpending{590'000'00, "GK-2027-11-0877", "国库集中支付"});
  s.at(day(12, 20));
  s.act("li.transport", "JT-2027-001", BeginEvaluation{});
  s.act("li.transport", "JT-2027-001",
        SubmitSelfEvaluation{{{"养护里程", 96}, {"路况优良率", 83}}, 91, "全年养护任务完成"});
  s.at(day(12, 28));
  s.act("chen.performance", "JT-2027-001", CloseLine{"评价结果归档，结果用于下年预算"});

  // School meals: spending lags, red at the checkpoint, cut by an adjustment, then closed.
  justify(s, "liu.education", "JY-2027-003", 1);
  s.at(day(2, 20));
  s.act("he.ranking", "JY-2027-003", FundLine{860'000'00, ""});
  approve_all(s, "JY-2027-003", 860'000'00, 3);
  s.at(day(6, 15));
  s.act("treasury", "JY-2027-003", RecordSpending{150'000'00, "GK-2027-06-0412", ""});
  s.at(day(7, 1));
  s.act("treasury", "JY-2027-003", RunCheckpoint{year(2027) / 6 / 30});
  s.at(day(7, 8));
  s.act(
      "liu.education", "JY-2027-003",
      ProposeAdjustment{AdjustmentKind::kReduce, 200'000'00, "", 0, "受益人数少于预期，压减结余"});
  s.at(day(7, 12));
  s.act("qian.budget", "JY-2027-003", DecideAdjustment{"budget_section", Decision::kApprove, ""});
  s.act("zhou.bureau_head", "JY-2027-003", DecideAdjustment{"bureau_head", Decision::kApprove, ""});
  s.at(day(12, 10));
  s.act("treasury", "JY-2027-003", RecordSpending{480'000'00, "GK-2027-12-0033", ""});
  s.at(day(12, 20));
  s.act("liu.education", "JY-2027-003", BeginEvaluation{});
  s.act("liu.education", "JY-2027-003",
        SubmitSelfEvaluation{{{"受益学生人数", 3900}, {"家长满意度", 88}}, 88, "补助按时发放"});
  s.at(day(12, 28));
  s.act("chen.performance", "JY-2027-003", CloseLine{""});

  // Clinic equipment: returned for revision once, then rejected at approval.
  s.at(day(1, 5));
  s.act("chen.health", "WJ-2027-002", SubmitLine{});
  s.act("wang.reviewer", "WJ-2027-002", StartTargetReview{});
  s.at(day(1, 6));
  s.act("wang.reviewer", "WJ-2027-002", ReviewTargets{false, "请补充设备清单与报废依据"});
  justify(s, "chen.health", "WJ-2027-002", 2);
  s.at(day(2, 20));
  s.act("he.ranking", "WJ-2027-002", FundLine{360'000'00, ""});
  s.at(day(3, 10));
  s.act(kApprovers[0], "WJ-2027-002",
        DecideApproval{"department_head", Decision::kReject, 0, "已由省级专项资金安排"});

  // Harvest festival: below the funding cut.
  justify(s, "zhang.agriculture", "NY-2027-004", 1);
  s.at(day(2, 20));
  s.act("he.ranking", "NY-2027-004", FundLine{0, "排序在控制数以外"});
}

void print(Engine& engine) {
  const std::vector<std::string> ids = {"JT-2027-001", "JY-2027-003", "WJ-2027-002", "NY-2027-004"};
  using Align = cli::TextTable::Align;
  cli::TextTable lines({{"line"},
                        {"department"},
                        {"title"},
                        {"state"},
                        {"requested", Align::kRight},
                        {"approved", Align::kRight},
                        {"spent", Align::kRight},
                        {"grade"}});
  for (const auto& id : ids) {
    const BudgetLine l = engine.get_line(id).value();
    lines.add_row({id, l.content.department, l.content.title, l.state,
                   format_yuan(l.content.requested_amount), format_yuan(l.approved_amount),
                   format_yuan(l.spent_amount), l.evaluation ? l.evaluation->grade : ""});
  }
  std::cout << "Budget lines of fiscal year 2027 (yuan)\n\n" << lines.render();

  for (const auto& id : ids) {
    cli::TextTable history(
        {{"#", Align::kRight}, {"when"}, {"actor"}, {"event"}, {"state"}, {"what"}});
    for (const auto& e : engine.history(id).value())
      history.add_row({std::to_string(e.line_sequence), format_timestamp(e.at).substr(0, 10),
                       e.actor, e.type, e.to_state, cli::summarize_event(e)});
    std::cout << "\nHistory of " << id << "\n\n" << history.render();
  }
}

}  // namespace
}  // namespace zbb::demo

int main(int argc, char** argv) {
  CLI::App app{"Drives a small county's budget lines through zero-based review on SQLite."};
  std::string database = "zbb-demo.db";
  std::string policy = "workflows/zero_based_review.textproto";
  bool fresh = false;
  app.add_option("--database", database, "SQLite file to write")->capture_default_str();
  app.add_option("--policy", policy, "workflow policy file")->capture_default_str();
  app.add_flag("--fresh", fresh, "remove the database file first");
  CLI11_PARSE(app, argc, argv);

  if (fresh)
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(database + suffix);

  auto policies = zbb::review::load_policy_files({policy}, "");
  if (!policies.ok()) {
    std::cerr << "zbb-demo: " << policies.status().message() << "\n";
    return 2;
  }
  auto store = zbb::sql::SqliteStore::open(database);
  if (!store.ok()) {
    std::cerr << "zbb-demo: " << store.status().to_string() << "\n";
    return 2;
  }
  zbb::review::ZeroBasedReview workflow(std::move(policies).value());
  zbb::ManualClock clock(zbb::demo::day(1, 4));
  zbb::Engine engine(**store, workflow, clock);
  try {
    zbb::demo::run(engine, clock);
  } catch (const std::exception& error) {
    std::cerr << "zbb-demo: " << error.what()
              << "\n(a database from an earlier run? use --fresh)\n";
    return 1;
  }
  zbb::demo::print(engine);
  std::cout << "\nThe database is in " << database << "\n";
  return 0;
}
