#include "bench/load/line_requests.h"

#include <fmt/format.h>

namespace zbb::bench {
namespace {

void add_cost_item(zbb::v1::LineContent& c, const std::string& name, std::int64_t quantity,
                   std::int64_t unit_price) {
  auto* item = c.add_cost_items();
  item->set_name(name);
  item->set_quantity(quantity);
  item->set_unit_price(unit_price);
  item->set_amount(quantity * unit_price);
}

void add_indicator(zbb::v1::LineContent& c, const std::string& name, zbb::v1::IndicatorLevel1 l1,
                   zbb::v1::IndicatorLevel2 l2, const std::string& unit, double target) {
  auto* i = c.add_indicators();
  i->set_name(name);
  i->set_level1(l1);
  i->set_level2(l2);
  i->set_unit(unit);
  i->set_target(target);
  i->set_direction(zbb::v1::DIRECTION_AT_LEAST);
}

}  // namespace

zbb::v1::LineContent bench_line_content(const std::string& department,
                                        const std::string& programme_code, int fiscal_year) {
  zbb::v1::LineContent c;
  c.set_fiscal_year(fiscal_year);
  c.set_department(department);
  c.set_programme_code(programme_code);
  c.set_title("农村公路日常养护（负载测试）");
  c.set_category(zbb::v1::CATEGORY_PROJECT);
  add_cost_item(c, "路面修补（平方米）", 5000, 150'00);
  add_cost_item(c, "边沟清理（公里）", 200, 1'500'00);
  add_cost_item(c, "养护巡查人员劳务（人月）", 40, 5'000'00);
  c.set_requested_amount(1'250'000'00);
  c.set_necessity_statement(
      "全县农村公路 412 公里，其中 96 公里路面破损，雨季边沟淤塞影响通行安全，"
      "需按养护规范逐段修复，并安排巡查人员全年值守。");
  add_indicator(c, "养护里程", zbb::v1::INDICATOR_LEVEL1_OUTPUT, zbb::v1::INDICATOR_LEVEL2_QUANTITY,
                "公里", 96);
  add_indicator(c, "完工及时率", zbb::v1::INDICATOR_LEVEL1_OUTPUT,
                zbb::v1::INDICATOR_LEVEL2_TIMELINESS, "%", 95);
  add_indicator(c, "路况优良率", zbb::v1::INDICATOR_LEVEL1_EFFECT, zbb::v1::INDICATOR_LEVEL2_SOCIAL,
                "%", 85);
  add_indicator(c, "沿线群众满意度", zbb::v1::INDICATOR_LEVEL1_SATISFACTION,
                zbb::v1::INDICATOR_LEVEL2_SERVICE_OBJECT_SATISFACTION, "%", 90);
  return c;
}

std::string checkpoint_date(int fiscal_year) { return fmt::format("{:04}-06-30", fiscal_year); }

zbb::v1::LineEvent create_event(const zbb::v1::LineContent& content) {
  zbb::v1::LineEvent e;
  *e.mutable_create()->mutable_content() = content;
  return e;
}

zbb::v1::LineEvent submit_event() {
  zbb::v1::LineEvent e;
  e.mutable_submit();
  return e;
}

zbb::v1::LineEvent start_target_review_event() {
  zbb::v1::LineEvent e;
  e.mutable_start_target_review();
  return e;
}

zbb::v1::LineEvent approving_assessment_event() {
  zbb::v1::LineEvent e;
  auto* assessment = e.mutable_record_assessment();
  for (const char* part :
       {"necessity", "feasibility", "cost_reasonableness", "funding_compliance"}) {
    auto* conclusion = assessment->add_parts();
    conclusion->set_part(part);
    conclusion->set_conclusion("论证充分");
    conclusion->set_passed(true);
  }
  assessment->set_approve(true);
  return e;
}

zbb::v1::LineEvent accept_targets_event() {
  zbb::v1::LineEvent e;
  e.mutable_review_targets()->set_accept(true);
  e.mutable_review_targets()->set_comment("目标明确可衡量");
  return e;
}

zbb::v1::LineEvent fund_event(std::int64_t amount) {
  zbb::v1::LineEvent e;
  e.mutable_fund()->set_amount(amount);
  e.mutable_fund()->set_comment("排序在控制数以内");
  return e;
}

zbb::v1::LineEvent approve_event(const std::string& level, std::int64_t amount) {
  zbb::v1::LineEvent e;
  auto* d = e.mutable_decide();
  d->set_level(level);
  d->set_decision(zbb::v1::DECISION_APPROVE);
  d->set_amount(amount);
  d->set_comment("同意");
  return e;
}

zbb::v1::LineEvent spending_event(std::int64_t amount, const std::string& payment_ref) {
  zbb::v1::LineEvent e;
  auto* s = e.mutable_record_spending();
  s->set_amount(amount);
  s->set_payment_ref(payment_ref);
  s->set_comment("国库集中支付");
  return e;
}

zbb::v1::LineEvent indicator_progress_event(const std::string& indicator, double actual) {
  zbb::v1::LineEvent e;
  e.mutable_record_indicator_progress()->set_indicator(indicator);
  e.mutable_record_indicator_progress()->set_actual(actual);
  return e;
}

zbb::v1::LineEvent checkpoint_event(const std::string& as_of) {
  zbb::v1::LineEvent e;
  e.mutable_run_checkpoint()->set_as_of(as_of);
  return e;
}

zbb::v1::LineEvent begin_evaluation_event() {
  zbb::v1::LineEvent e;
  e.mutable_begin_evaluation();
  return e;
}

zbb::v1::LineEvent self_evaluation_event(const zbb::v1::LineContent& content) {
  zbb::v1::LineEvent e;
  auto* s = e.mutable_submit_self_evaluation();
  for (const auto& indicator : content.indicators()) {
    if (indicator.qualitative()) continue;
    auto* actual = s->add_final_actuals();
    actual->set_indicator(indicator.name());
    actual->set_actual(indicator.target());
  }
  s->set_satisfaction_percent(92);
  s->set_summary("按计划完成全年养护任务");
  return e;
}

zbb::v1::LineEvent close_event() {
  zbb::v1::LineEvent e;
  e.mutable_close()->set_comment("评价结果已归档");
  return e;
}

}  // namespace zbb::bench
