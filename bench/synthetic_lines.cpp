#include "bench/synthetic_lines.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include "engine/commands.h"
#include "engine/proto_codec.h"
#include "workflows/checkpoints.h"
#include "workflows/line_rules.h"
#include "workflows/performance.h"
#include "workflows/sla.h"
#include "workflows/state_ids.h"
#include "workflows/waiting_on.h"

namespace zbb::bench {
namespace {

// A quantitative indicator to reach or exceed, not yet measured.
Indicator at_least(std::string name, IndicatorLevel1 level1, IndicatorLevel2 level2,
                   std::string unit, double target) {
  Indicator indicator;
  indicator.set_name(std::move(name));
  indicator.set_level1(level1);
  indicator.set_level2(level2);
  indicator.set_unit(std::move(unit));
  indicator.set_target(target);
  indicator.set_direction(zbb::v1::DIRECTION_AT_LEAST);
  return indicator;
}

namespace state = review::state;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

// splitmix64: small, fast, and the same numbers on every platform (the standard library's
// distributions are not), so a seed names one data set.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // In [0, 1).
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double between(double low, double high) { return low + (high - low) * unit(); }
  // In [low, high], both included.
  std::int64_t integer(std::int64_t low, std::int64_t high) {
    return low + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(high - low + 1));
  }
  bool chance(double probability) { return unit() < probability; }
  template <typename T, std::size_t N>
  const T& pick(const std::array<T, N>& items) {
    return items[static_cast<std::size_t>(next() % N)];
  }

 private:
  std::uint64_t state_;
};

// A day of the calendar relative to the as-of year; kAsOf stands for the as-of instant itself.
struct Day {
  int year_offset = 0;
  unsigned month = 0;  // 0: the as-of instant
  unsigned day = 0;
};
constexpr Day kAsOf{};

// Where a share of the lines stands: fiscal year (relative to the as-of year), state, when
// they entered it, and how many of those in an active state have outlived their SLA.
struct Placement {
  int fiscal_year_offset;
  std::string_view state;
  int per_mille;
  Day entered_from;
  Day entered_to;  // through the end of that day
  int overdue_percent;
};

// A bureau in early September: next year's budget in preparation, this year's executing since
// its approval in the spring (with the Q2 checkpoint's warnings, adjustments and mid-year
// requests), last year's mostly closed. Per mille of all lines.
constexpr Placement kPlacements[] = {
    {+1, state::kDraft, 20, {0, 7, 1}, kAsOf, 6},
    {+1, state::kSubmitted, 8, {0, 8, 1}, kAsOf, 10},
    {+1, state::kUnderTargetReview, 12, {0, 8, 1}, kAsOf, 8},
    {+1, state::kReturnedForRevision, 6, {0, 8, 10}, kAsOf, 10},
    {+1, state::kWithdrawn, 1, {0, 7, 15}, kAsOf, 0},
    {0, state::kAwaitingRanking, 10, {0, 6, 1}, kAsOf, 10},
    {0, state::kAwaitingDecision, 14, {0, 7, 1}, kAsOf, 8},
    {0, state::kExecuting, 520, {0, 1, 4}, {0, 4, 30}, 0},
    // Moved there by the Q2 round on the checkpoint day; still there two months on: all late.
    {0, state::kRedWarning, 3, {0, 6, 30}, {0, 6, 30}, 100},
    {0, state::kAdjustmentProposed, 15, {0, 3, 1}, kAsOf, 12},
    {0, state::kWithdrawn, 15, {-1, 8, 1}, {0, 2, 28}, 0},
    {0, state::kRejected, 10, {-1, 12, 1}, {0, 3, 15}, 0},
    {0, state::kUnfunded, 60, {-1, 11, 1}, {0, 2, 28}, 0},
    {-1, state::kClosed, 240, {0, 1, 10}, {0, 7, 31}, 0},
    {-1, state::kSelfEvaluation, 10, {-1, 12, 1}, kAsOf, 30},
    {-1, state::kScored, 8, {0, 1, 15}, kAsOf, 30},
    {-1, state::kExecuting, 5, {-1, 1, 5}, {-1, 5, 31}, 100},
    {-1, state::kAdjustmentProposed, 1, {-1, 7, 1}, {-1, 11, 30}, 100},
    {-1, state::kWithdrawn, 4, {-2, 8, 1}, {-1, 2, 28}, 0},
    {-1, state::kRejected, 4, {-2, 12, 1}, {-1, 3, 15}, 0},
    {-1, state::kUnfunded, 20, {-2, 11, 1}, {-1, 2, 28}, 0},
};

constexpr int total_per_mille() {
  int total = 0;
  for (const Placement& p : kPlacements) total += p.per_mille;
  return total;
}

// Executing lines of this year that came back from a decided adjustment after the checkpoint.
constexpr double kReenteredShare = 0.06;

// Department names: the bureaus of a prefecture-level city's counties (Yulin has twelve).
constexpr std::array<std::string_view, 12> kCounties = {"榆阳区", "横山区", "神木市", "府谷县",
                                                        "靖边县", "定边县", "绥德县", "米脂县",
                                                        "佳县",   "吴堡县", "清涧县", "子洲县"};
constexpr std::array<std::string_view, 20> kBureaus = {
    "教育局", "卫生健康局",       "交通运输局", "农业农村局",     "水利局",
    "民政局", "住房和城乡建设局", "自然资源局", "文化和旅游局",   "人力资源和社会保障局",
    "公安局", "司法局",           "应急管理局", "市场监督管理局", "林业局",
    "科技局", "退役军人事务局",   "统计局",     "生态环境分局",   "财政局"};

constexpr std::array<std::string_view, 16> kProgrammes = {
    "日常运转经费", "信息化系统运维",   "专项业务经费",     "基础设施维护",
    "干部职工培训", "专用设备购置",     "政府购买服务",     "课题研究",
    "政策宣传教育", "安全生产检查",     "应急物资储备",     "业务用房租赁",
    "农村公路养护", "义务教育营养改善", "基层医疗能力提升", "乡村振兴示范点建设"};
constexpr std::array<std::string_view, 8> kCostItems = {
    "设备购置费", "劳务费", "材料费", "委托业务费", "差旅费", "印刷费", "维修费", "培训费"};
constexpr std::array<std::string_view, 6> kUnits = {"个", "项", "次", "公里", "人次", "台"};

Timestamp on(int year, unsigned month, unsigned day) {
  return Timestamp(std::chrono::sys_days(std::chrono::year(year) / std::chrono::month(month) /
                                         std::chrono::day(day)));
}

Timestamp between(Random& rng, Timestamp low, Timestamp high) {
  if (high <= low) return low;
  return from_millis(rng.integer(to_millis(low), to_millis(high)));
}

// Office hours in China (08:30–18:00, UTC+8) on the day of `t`; any time within [low, high]
// when those hours fall outside it (`high` when the range is empty).
Timestamp office_time(Random& rng, Timestamp t, Timestamp low, Timestamp high) {
  if (high <= low) return high;
  const Timestamp day = std::chrono::floor<days>(t);
  const Timestamp at = day + minutes(30) + milliseconds(rng.integer(0, 570 * 60 * 1000 - 1));
  return at < low || at > high ? between(rng, low, high) : at;
}

Fen whole_hundreds_of_yuan(double fen) {
  return std::max<Fen>(10000, static_cast<Fen>(fen / 10000) * 10000);
}

Fen share_of(Fen amount, double share) {
  return std::clamp<Fen>(std::llround(static_cast<double>(amount) * share), 0, amount);
}

// How far along the lifecycle a line got before it came to rest.
enum class Stage {
  kDraft,
  kSubmitted,
  kTargetReview,
  kRanking,
  kApproval,
  kExecution,
  kSelfEvaluation,
  kScored,
  kClosed
};

// Builds one line: its content, the decisions that brought it to its state, and its events.
class LineBuilder {
 public:
  LineBuilder(const zbb::policy::WorkflowPolicy& policy, const PopulationOptions& options,
              Random& rng)
      : policy_(policy), options_(options), rng_(rng) {
    as_of_year_ = static_cast<int>(date_of(options.as_of).year());
  }

  SyntheticLine build(std::int64_t index, const Placement& placement, const std::string& department,
                      std::size_t department_index, const std::string& request_id);

 private:
  Timestamp resolve(Day day, bool end_of_day) const {
    if (day.month == 0) return options_.as_of;
    const Timestamp start = on(as_of_year_ + day.year_offset, day.month, day.day);
    return end_of_day ? start + days(1) - milliseconds(1) : start;
  }
  Timestamp pick_entered(const Placement& placement, bool reentered);
  LineContent make_content(int fiscal_year, const std::string& department,
                           std::size_t department_index);
  void fund_and_approve(Stage stage, Timestamp last_decision);
  void execute(Timestamp approved_at, bool reentered);
  void evaluate();
  void propose_adjustment();
  void chain_events(const std::string& request_id);
  // A ranker's scores of every criterion of the policy (the history criterion as zbb fills it)
  // and their weighted sum; the caller says when.
  PriorityScore scored_priority();

  Indicator& output() { return *line_.mutable_content()->mutable_indicators(0); }

  const zbb::policy::WorkflowPolicy& policy_;
  const PopulationOptions& options_;
  Random& rng_;
  int as_of_year_ = 0;
  BudgetLine line_;
  std::vector<RecordedEvent> events_;
};

Timestamp LineBuilder::pick_entered(const Placement& placement, bool reentered) {
  Timestamp low = resolve(placement.entered_from, false);
  Timestamp high = std::min(resolve(placement.entered_to, true), options_.as_of);
  if (reentered) {
    low = on(as_of_year_, 7, 5);
    high = options_.as_of;
  }
  // Entering before the deadline means being past due at the as-of instant (exactly so for
  // calendar days; near enough for working days, and the due time itself is always exact).
  if (const auto due = review::sla_due(policy_, placement.state, low)) {
    const Timestamp deadline = options_.as_of - (*due - low);
    if (rng_.chance(placement.overdue_percent / 100.0) && low < deadline)
      high = std::min(high, deadline - hours(1));
    else if (deadline < high)
      low = std::max(low, deadline + hours(1));
  }
  return office_time(rng_, between(rng_, low, high), low, high);
}

LineContent LineBuilder::make_content(int fiscal_year, const std::string& department,
                                      std::size_t department_index) {
  LineContent c;
  c.set_fiscal_year(fiscal_year);
  c.set_department(department);
  const auto programme = rng_.integer(1, 400);
  c.set_programme_code(fmt::format("P{:03d}-{:04d}", department_index + 1, programme));
  const std::string_view kind = kProgrammes[static_cast<std::size_t>(programme) % 16];
  c.set_title(fmt::format("{}{}年度{}", department, fiscal_year, kind));
  const double category = rng_.unit();
  c.set_category(category < 0.35   ? zbb::v1::CATEGORY_BASIC
                 : category < 0.95 ? zbb::v1::CATEGORY_PROJECT
                                   : zbb::v1::CATEGORY_DEPARTMENT_OVERALL);

  // Amounts spread over three orders of magnitude, from thousands to millions of yuan.
  const auto items = rng_.integer(1, 4);
  for (std::int64_t i = 0; i < items; ++i) {
    CostItem& item = *c.add_cost_items();
    item.set_name(std::string(kCostItems[static_cast<std::size_t>((programme + i) % 8)]));
    item.set_quantity(rng_.integer(1, 60));
    const auto yuan = static_cast<Fen>(std::exp(rng_.between(std::log(200.0), std::log(200000.0))));
    item.set_unit_price(yuan * 100);  // whole yuan
    item.set_amount(item.quantity() * item.unit_price());
    c.set_requested_amount(c.requested_amount() + item.amount());
  }
  c.set_necessity_statement(fmt::format(
      "{}是{}的法定职责，{}年度需从零开始测算：按服务对象数量和标准单价核定，不参照上年基数。"
      "（基准测试生成的数据）",
      kind, department, fiscal_year));

  *c.add_indicators() =
      (at_least("完成数量", zbb::v1::INDICATOR_LEVEL1_OUTPUT, zbb::v1::INDICATOR_LEVEL2_QUANTITY,
                std::string(rng_.pick(kUnits)), static_cast<double>(rng_.integer(10, 500))));
  if (rng_.chance(0.4))
    *c.add_indicators() = (at_least("按期完成率", zbb::v1::INDICATOR_LEVEL1_OUTPUT,
                                    zbb::v1::INDICATOR_LEVEL2_TIMELINESS, "%", 100));
  if (rng_.chance(0.6))
    *c.add_indicators() = (at_least("服务对象覆盖率", zbb::v1::INDICATOR_LEVEL1_EFFECT,
                                    zbb::v1::INDICATOR_LEVEL2_SOCIAL, "%",
                                    static_cast<double>(rng_.integer(85, 100))));
  else
    *c.add_indicators() = (at_least("服务对象满意度", zbb::v1::INDICATOR_LEVEL1_SATISFACTION,
                                    zbb::v1::INDICATOR_LEVEL2_SERVICE_OBJECT_SATISFACTION, "%",
                                    static_cast<double>(rng_.integer(85, 95))));

  // Some requests come as decision packages: minimum, current and enhancement levels.
  if (rng_.chance(0.2)) {
    const Fen minimum = c.requested_amount() * 60 / 100;
    const Fen current = c.requested_amount() * 25 / 100;
    const auto add = [&c](IncrementLevel level, Fen amount, const char* justification) {
      Increment& increment = *c.add_increments();
      increment.set_level(level);
      increment.set_amount(amount);
      increment.set_justification(justification);
    };
    add(zbb::v1::INCREMENT_LEVEL_MINIMUM, minimum, "维持基本运转");
    add(zbb::v1::INCREMENT_LEVEL_CURRENT, current, "保持现有服务水平");
    add(zbb::v1::INCREMENT_LEVEL_ENHANCEMENT, c.requested_amount() - minimum - current,
        "扩大服务覆盖面");
  }
  return c;
}

// Ranking, funding and the approval chain, up to `stage`; the last decision at `last_decision`.
void LineBuilder::fund_and_approve(Stage stage, Timestamp last_decision) {
  const bool unfunded = line_.state() == state::kUnfunded;
  const bool rejected = line_.state() == state::kRejected;
  const auto& chain = policy_.approval_chain();
  const auto levels = static_cast<std::size_t>(chain.size());
  // How many levels approved: all of them once executing; some while awaiting a decision.
  std::size_t approved_levels = levels;
  if (stage == Stage::kApproval) approved_levels = static_cast<std::size_t>(rng_.integer(0, 3));
  if (unfunded) approved_levels = 0;

  // Three days per level; the line entered its state at its last decision.
  const auto decisions = static_cast<int>(approved_levels) + (rejected ? 1 : 0);
  const Timestamp funded_at =
      decisions == 0 ? last_decision
                     : last_decision - days(3 * decisions) - hours(rng_.integer(1, 48));
  PriorityScore& priority = *line_.mutable_priority();
  priority = scored_priority();
  *priority.mutable_scored_at() = to_proto(funded_at - days(rng_.integer(1, 15)));
  if (unfunded) return;

  const Fen requested = line_.content().requested_amount();
  line_.set_funded_amount(
      rng_.chance(0.5)
          ? requested
          : std::min(requested, whole_hundreds_of_yuan(requested * rng_.between(0.7, 1.0))));
  line_.set_granted_amount(line_.funded_amount());
  line_.set_approval_step(0);
  Timestamp at = funded_at;
  for (std::size_t step = 0; step < approved_levels; ++step) {
    at = step + 1 == approved_levels && !rejected ? last_decision : at + days(3);
    Fen granted = line_.granted_amount();
    if (step + 1 == levels && rng_.chance(0.2))
      granted = std::min(granted, whole_hundreds_of_yuan(granted * rng_.between(0.85, 1.0)));
    *line_.add_approvals() =
        approval_record(chain[static_cast<int>(step)].name(),
                        fmt::format("bench.approver-{}-{:02d}",
                                    chain[static_cast<int>(step)].name(), rng_.integer(1, 6)),
                        zbb::v1::DECISION_APPROVE, granted, "", at);
    line_.set_granted_amount(granted);
    line_.set_approval_step(static_cast<std::int32_t>(step + 1));
  }
  if (rejected) {
    const std::size_t step = std::min<std::size_t>(approved_levels, levels - 1);
    line_.set_approval_step(static_cast<std::int32_t>(step));
    *line_.add_approvals() =
        approval_record(chain[static_cast<int>(step)].name(),
                        fmt::format("bench.approver-{}-{:02d}",
                                    chain[static_cast<int>(step)].name(), rng_.integer(1, 6)),
                        zbb::v1::DECISION_REJECT, 0, "绩效目标与预算规模不匹配", last_decision);
  }
  if (approved_levels == levels) line_.set_approved_amount(line_.granted_amount());
}

// Spending and indicator progress, and the Q2 checkpoint as the round judged it.
void LineBuilder::execute(Timestamp approved_at, bool reentered) {
  const int year = line_.content().fiscal_year();
  // The generated year is judged at its dual-monitoring checkpoint (the last when none is marked).
  const auto& checkpoints = policy_.monitoring().checkpoints();
  const auto dual =
      std::find_if(checkpoints.begin(), checkpoints.end(), [](const auto& c) { return c.dual(); });
  const auto checkpoint_day =
      review::checkpoint_day(dual != checkpoints.end() ? *dual : *checkpoints.rbegin(), year);
  const Timestamp checkpoint = Timestamp(std::chrono::sys_days(checkpoint_day));
  const std::string_view s = line_.state();
  const bool monitored = approved_at < checkpoint && options_.as_of > checkpoint &&
                         (s != state::kAdjustmentProposed || year < as_of_year_ ||
                          from_proto(line_.state_entered_at()) > checkpoint);

  // The warning the line got at the checkpoint must agree with where it went from there.
  enum class Verdict { kGreen, kYellow, kRed } wanted = Verdict::kGreen;
  const double draw = rng_.unit();
  if (s == state::kRedWarning)
    wanted = Verdict::kRed;
  else if (reentered || (s == state::kAdjustmentProposed && year == as_of_year_))
    wanted = draw < 0.5 ? Verdict::kRed : draw < 0.8 ? Verdict::kYellow : Verdict::kGreen;
  else
    wanted = draw < 0.78 ? Verdict::kGreen : Verdict::kYellow;

  const Fen approved = line_.approved_amount();
  double rate = 0.5;
  double completion = 0.5;
  auto judged = [&] {
    BudgetLine at_checkpoint = line_;
    at_checkpoint.set_spent_amount(share_of(approved, rate));
    for (Indicator& indicator : *at_checkpoint.mutable_content()->mutable_indicators())
      if (indicator.level1() == zbb::v1::INDICATOR_LEVEL1_OUTPUT)
        indicator.set_actual(indicator.target() * completion);
    return review::assess_checkpoint(at_checkpoint, policy_.monitoring(), checkpoint_day);
  };
  if (monitored) {
    // The policy's own judgement of the numbers drawn for the verdict wanted.
    for (int attempt = 0; attempt < 8 && !line_.has_monitoring(); ++attempt) {
      switch (wanted) {
        case Verdict::kGreen:
          rate = rng_.between(0.42, 0.60);
          completion = std::min(1.0, rate + rng_.between(-0.05, 0.2));
          break;
        case Verdict::kYellow:
          rate = rng_.chance(0.5) ? rng_.between(0.31, 0.39) : rng_.between(0.42, 0.6);
          completion = rate > 0.4 ? rate - rng_.between(0.21, 0.33)
                                  : std::min(1.0, rate + rng_.between(-0.05, 0.15));
          break;
        case Verdict::kRed:
          rate = rng_.between(0.05, 0.29);
          completion = std::min(1.0, rate + rng_.between(0.0, 0.2));
          break;
      }
      MonitoringResult result = judged();
      if ((result.level() == zbb::v1::WARNING_LEVEL_RED) == (wanted == Verdict::kRed))
        *line_.mutable_monitoring() = std::move(result);
    }
    if (!line_.has_monitoring()) {
      rate = 0.5;
      completion = 0.5;
      *line_.mutable_monitoring() = judged();
    }
  } else {
    rate = rng_.between(0.1, 0.4);
    completion = rate;
  }

  // From the checkpoint on: red lines and lines awaiting an adjustment spend nothing more.
  double rate_now = rate;
  double completion_now = completion;
  const bool spending = s == state::kExecuting || s == state::kSelfEvaluation ||
                        s == state::kScored || s == state::kClosed;
  if (spending) {
    const Timestamp until = std::min(options_.as_of, on(year, 12, 31));
    const double year_left =
        std::chrono::duration<double, days::period>(until - checkpoint).count() / 365;
    rate_now = std::min(1.0, rate + std::max(0.0, year_left) * rng_.between(0.5, 1.1));
    completion_now = std::min(1.0, completion + (rate_now - rate) * rng_.between(0.8, 1.2));
  }
  if (reentered) {
    // Back from an adjustment decided when the line entered its state again.
    zbb::Adjustment adjustment;
    const double kind = rng_.unit();
    adjustment.set_kind(kind < 0.5   ? zbb::v1::ADJUSTMENT_KIND_REDUCE
                        : kind < 0.8 ? zbb::v1::ADJUSTMENT_KIND_REVISE_TARGET
                                     : zbb::v1::ADJUSTMENT_KIND_INCREASE);
    adjustment.set_reason("第二季度监控预警后调整");
    adjustment.set_proposed_by(std::string(kActor));
    *adjustment.mutable_proposed_at() =
        to_proto(from_proto(line_.state_entered_at()) - days(rng_.integer(4, 12)));
    const bool accepted = rng_.chance(0.8);
    const auto& chain = policy_.adjustment_chain();
    Timestamp at = from_proto(adjustment.proposed_at());
    for (int step = 0; step < chain.size(); ++step) {
      const bool last = step + 1 == chain.size() || !accepted;
      at = last ? from_proto(line_.state_entered_at()) : at + days(2);
      *adjustment.add_decisions() = approval_record(
          chain[step].name(), fmt::format("bench.approver-{}-{:02d}", chain[step].name(), step + 1),
          last && !accepted ? zbb::v1::DECISION_REJECT : zbb::v1::DECISION_APPROVE, 0,
          last && !accepted ? "理由不充分" : "", at);
      if (last) break;
    }
    if (adjustment.kind() == zbb::v1::ADJUSTMENT_KIND_REVISE_TARGET) {
      adjustment.set_indicator(output().name());
      adjustment.set_new_target(std::round(output().target() * 0.8));
    } else {
      adjustment.set_amount(
          std::min(approved / 2, whole_hundreds_of_yuan(approved * rng_.between(0.05, 0.2))));
    }
    adjustment.set_outcome(accepted ? zbb::v1::ADJUSTMENT_OUTCOME_APPROVED
                                    : zbb::v1::ADJUSTMENT_OUTCOME_REJECTED);
    if (accepted && adjustment.kind() == zbb::v1::ADJUSTMENT_KIND_REDUCE)
      line_.set_approved_amount(line_.approved_amount() - adjustment.amount());
    if (accepted && adjustment.kind() == zbb::v1::ADJUSTMENT_KIND_INCREASE)
      line_.set_approved_amount(line_.approved_amount() + adjustment.amount());
    if (accepted && adjustment.kind() == zbb::v1::ADJUSTMENT_KIND_REVISE_TARGET)
      output().set_target(adjustment.new_target());
    for (auto& decision : *adjustment.mutable_decisions())
      if (decision.decision() == zbb::v1::DECISION_APPROVE)
        decision.set_amount(adjustment.amount());
    *line_.add_adjustments() = std::move(adjustment);
  }
  line_.set_spent_amount(std::min(line_.approved_amount(), share_of(approved, rate_now)));
  for (Indicator& indicator : *line_.mutable_content()->mutable_indicators()) {
    if (indicator.level1() == zbb::v1::INDICATOR_LEVEL1_OUTPUT)
      indicator.set_actual(std::round(indicator.target() * completion_now * 10) / 10);
  }
}

PriorityScore LineBuilder::scored_priority() {
  PriorityScore priority;
  for (const auto& criterion : policy_.ranking_criteria()) {
    // The history criterion is zbb's: a programme without a record gets the policy's base
    // points. (Drawn all the same, so that a seed makes the same county as before.)
    const auto drawn = rng_.integer(50, 100);
    const auto score = criterion.name() == policy_.result_use().history_criterion()
                           ? std::int64_t{policy_.result_use().base_points()}
                           : drawn;
    CriterionScore& scored = *priority.add_scores();
    scored.set_criterion(criterion.name());
    scored.set_score(static_cast<std::int32_t>(score));
    priority.set_score_hundredths(priority.score_hundredths() +
                                  score * std::int64_t{criterion.weight()});
  }
  priority.set_scored_by(fmt::format("bench.ranker-{:02d}", rng_.integer(1, 12)));
  return priority;
}

// The year-end self-evaluation as the policy scores it.
void LineBuilder::evaluate() {
  const double completion = rng_.between(0.75, 1.05);
  for (Indicator& indicator : *line_.mutable_content()->mutable_indicators()) {
    if (indicator.level1() == zbb::v1::INDICATOR_LEVEL1_OUTPUT)
      indicator.set_actual(std::round(indicator.target() * completion * 10) / 10);
    else
      indicator.set_actual(std::round(indicator.target() * rng_.between(0.8, 1.05) * 10) / 10);
  }
  line_.set_spent_amount(
      std::max(line_.spent_amount(), share_of(line_.approved_amount(), rng_.between(0.85, 1.0))));
  if (line_.state() == state::kSelfEvaluation) return;
  // Its indicators are all quantitative: no grades to give.
  zbb::Evaluation evaluation = review::score_evaluation(line_, policy_, rng_.integer(75, 98), {});
  evaluation.set_summary("年度目标基本完成（基准测试生成的数据）");
  evaluation.set_submitted_by(std::string(kActor));
  *line_.mutable_evaluation() = std::move(evaluation);
}

void LineBuilder::propose_adjustment() {
  zbb::Adjustment adjustment;
  const double kind = rng_.unit();
  adjustment.set_kind(kind < 0.4   ? zbb::v1::ADJUSTMENT_KIND_REDUCE
                      : kind < 0.7 ? zbb::v1::ADJUSTMENT_KIND_INCREASE
                                   : zbb::v1::ADJUSTMENT_KIND_REVISE_TARGET);
  if (adjustment.kind() == zbb::v1::ADJUSTMENT_KIND_REVISE_TARGET) {
    adjustment.set_indicator(output().name());
    adjustment.set_new_target(std::round(output().target() * 0.8));
  } else {
    const Fen room = line_.approved_amount() - line_.spent_amount();
    adjustment.set_amount(
        adjustment.kind() == zbb::v1::ADJUSTMENT_KIND_REDUCE
            ? std::max<Fen>(100, share_of(room, rng_.between(0.1, 0.5)) / 100 * 100)
            : whole_hundreds_of_yuan(line_.approved_amount() * rng_.between(0.05, 0.2)));
  }
  adjustment.set_reason("执行进度与绩效目标偏离，申请调整");
  adjustment.set_proposed_by(std::string(kActor));
  // Waiting on the first level, or on the second since the first approved.
  const auto& chain = policy_.adjustment_chain();
  if (chain.size() > 1 && rng_.chance(0.3)) {
    *adjustment.mutable_proposed_at() =
        to_proto(from_proto(line_.state_entered_at()) - days(rng_.integer(1, 8)));
    *adjustment.add_decisions() = approval_record(
        chain[0].name(), fmt::format("bench.approver-{}-01", chain[0].name()),
        zbb::v1::DECISION_APPROVE, adjustment.amount(), "", from_proto(line_.state_entered_at()));
  } else {
    *adjustment.mutable_proposed_at() = line_.state_entered_at();
  }
  *line_.mutable_pending_adjustment() = std::move(adjustment);
}

// create → (bench_placed) → (sla_breached), each chained to the one before.
void LineBuilder::chain_events(const std::string& request_id) {
  std::string last_hash;
  auto add = [&](std::string_view type, std::string from, std::string to,
                 const zbb::v1::EventPayload& payload, Timestamp at) {
    RecordedEvent event;
    event.line_id = line_.id();
    event.line_sequence = static_cast<std::int64_t>(events_.size()) + 1;
    event.type = std::string(type);
    event.from_state = std::move(from);
    event.to_state = std::move(to);
    event.payload = payload.SerializeAsString();
    event.actor = std::string(kActor);
    event.at = at;
    event.request_id = request_id;
    event.prev_hash = last_hash;
    event.hash = compute_event_hash(event);
    last_hash = event.hash;
    events_.push_back(std::move(event));
  };

  // The request as the unit wrote it: before any progress was reported on it.
  zbb::v1::EventPayload created;
  LineContent& requested = *created.mutable_event()->mutable_create()->mutable_content();
  requested = line_.content();
  for (Indicator& indicator : *requested.mutable_indicators()) indicator.clear_actual();
  created.mutable_decided()->set_policy_version(line_.policy_version());
  add(event_type<CreateLine>(), "", std::string(state::kDraft), created,
      from_proto(line_.created_at()));

  if (line_.state() != state::kDraft) {
    // Placed in its state by this generator, not taken there by the workflow: an event of a
    // type of its own, with no event data.
    add(kPlacedEventType, std::string(state::kDraft), line_.state(), zbb::v1::EventPayload(),
        from_proto(line_.state_entered_at()));
  }

  if (line_.sla_breached()) {
    // As zbbd's timer records it: within its round after the due time.
    const Timestamp due = *due_at(line_);
    const Timestamp at = std::min(due + milliseconds(rng_.integer(0, 60000)), options_.as_of);
    zbb::v1::EventPayload payload;
    payload.mutable_follow_up()->mutable_sla_breached()->set_state(line_.state());
    auto* decided = payload.mutable_decided();
    decided->set_waiting_on(line_.waiting_on());
    *decided->mutable_state_entered_at() = line_.state_entered_at();
    *decided->mutable_due_at() = line_.due_at();
    decided->set_overdue_ms((at - due).count());
    add(event_type<RecordSlaBreach>(), line_.state(), line_.state(), payload, at);
  }
  line_.set_version(static_cast<std::int64_t>(events_.size()));
  *line_.mutable_updated_at() = to_proto(events_.back().at);
}

Stage stage_of(std::string_view s, Random& rng) {
  if (s == state::kDraft) return Stage::kDraft;
  if (s == state::kSubmitted) return Stage::kSubmitted;
  if (s == state::kUnderTargetReview || s == state::kReturnedForRevision)
    return Stage::kTargetReview;
  if (s == state::kAwaitingRanking || s == state::kUnfunded) return Stage::kRanking;
  if (s == state::kAwaitingDecision || s == state::kRejected) return Stage::kApproval;
  if (s == state::kSelfEvaluation) return Stage::kSelfEvaluation;
  if (s == state::kScored) return Stage::kScored;
  if (s == state::kClosed) return Stage::kClosed;
  if (s == state::kWithdrawn) {
    const double draw = rng.unit();
    return draw < 0.4    ? Stage::kDraft
           : draw < 0.6  ? Stage::kSubmitted
           : draw < 0.75 ? Stage::kTargetReview
           : draw < 0.9  ? Stage::kRanking
                         : Stage::kApproval;
  }
  return Stage::kExecution;  // executing, red warning, adjustment proposed
}

SyntheticLine LineBuilder::build(std::int64_t index, const Placement& placement,
                                 const std::string& department, std::size_t department_index,
                                 const std::string& request_id) {
  const int fiscal_year = as_of_year_ + placement.fiscal_year_offset;
  line_.set_id(fmt::format("bench-{:07d}", index + 1));
  *line_.mutable_content() = make_content(fiscal_year, department, department_index);
  if (Status valid = review::validate_content(line_.content()); !valid.ok())
    throw std::logic_error("generated content is invalid: " + valid.to_string());
  line_.set_state(std::string(placement.state));
  line_.set_policy_version(policy_.version());
  line_.set_created_by(std::string(kActor));
  line_.clear_preparers();
  line_.add_preparers(std::string(kActor));

  const bool reentered = placement.state == state::kExecuting && fiscal_year == as_of_year_ &&
                         rng_.chance(kReenteredShare);
  *line_.mutable_state_entered_at() = to_proto(pick_entered(placement, reentered));
  const Stage stage = stage_of(placement.state, rng_);
  const bool supplementary = fiscal_year == as_of_year_ && stage < Stage::kExecution &&
                             placement.state != state::kWithdrawn &&
                             placement.state != state::kRejected &&
                             placement.state != state::kUnfunded;

  // When the unit wrote and submitted the request: during last summer's preparation round,
  // or shortly before for mid-year requests and next year's.
  const Timestamp entered = from_proto(line_.state_entered_at());
  Timestamp created = entered;
  if (placement.state != state::kDraft) {
    Timestamp low = on(fiscal_year - 1, 7, 1);
    Timestamp high = on(fiscal_year - 1, 9, 30);
    if (supplementary) {
      low = entered - days(90);
      high = entered - days(20);
    }
    high = std::min(high, entered);
    created = office_time(rng_, between(rng_, low, high), std::min(low, high), high);
  }
  *line_.mutable_created_at() = to_proto(created);
  if (stage >= Stage::kSubmitted) {
    line_.set_submitted_by(std::string(kActor));
    *line_.mutable_submitted_at() =
        to_proto(std::min(created + hours(rng_.integer(2, 24 * 20)), entered));
  }
  if (stage >= Stage::kTargetReview)
    line_.set_review_claimed_by(fmt::format("bench.reviewer-{:02d}", rng_.integer(1, 20)));

  // The last approval, which started execution: when the line entered its state if it is still
  // executing since, else in the spring of its fiscal year, a week at least before it moved on.
  Timestamp approved_at = entered;
  if (placement.state != state::kExecuting || reentered)
    approved_at =
        std::min(office_time(rng_, between(rng_, on(fiscal_year, 1, 4), on(fiscal_year, 4, 30)),
                             on(fiscal_year, 1, 4), on(fiscal_year, 4, 30)),
                 entered - days(7));
  const std::string_view s = placement.state;
  if (s == state::kAwaitingRanking) {
    if (rng_.chance(0.5)) {
      PriorityScore& priority = *line_.mutable_priority();
      priority = scored_priority();
      *priority.mutable_scored_at() = to_proto(between(rng_, entered, options_.as_of));
    }
  } else if (s == state::kUnfunded || s == state::kAwaitingDecision || s == state::kRejected) {
    fund_and_approve(stage, entered);
  } else if (s == state::kWithdrawn) {
    // Withdrawn while awaiting a decision: the levels that had approved stay on record.
    if (stage == Stage::kApproval)
      fund_and_approve(stage, entered - hours(rng_.integer(24, 24 * 5)));
  } else if (stage >= Stage::kExecution) {
    fund_and_approve(stage, approved_at);
    execute(approved_at, reentered);
    if (placement.state == state::kAdjustmentProposed) propose_adjustment();
    if (stage >= Stage::kSelfEvaluation) evaluate();
  }

  line_.set_waiting_on(review::waiting_on(line_, policy_));
  set_due_at(line_, review::sla_due(policy_, line_.state(), entered));
  line_.set_sla_breached(line_.has_due_at() && *due_at(line_) <= options_.as_of);
  chain_events(request_id);
  return SyntheticLine{std::move(line_), std::move(events_)};
}

}  // namespace

Result<LinePopulation> LinePopulation::create(const zbb::policy::WorkflowPolicy& policy,
                                              const PopulationOptions& options) {
  const auto date = date_of(options.as_of);
  if (date.month() < std::chrono::July || date.month() > std::chrono::November)
    return Status::InvalidArgument(
        "as_of",
        "must fall between 1 July and 30 November: the population is that of a bureau "
        "between the Q2 checkpoint and the year-end evaluation");
  if (options.departments < 1 || options.departments > 100000)
    return Status::InvalidArgument("departments", "must be 1 to 100000");
  return LinePopulation(policy, options);
}

LinePopulation::LinePopulation(const zbb::policy::WorkflowPolicy& policy,
                               const PopulationOptions& options)
    : policy_(&policy), options_(options) {
  // County after county, bureau after bureau; beyond 240 departments, numbered offices.
  const std::size_t named = kCounties.size() * kBureaus.size();
  double total = 0;
  for (int i = 0; i < options.departments; ++i) {
    const auto n = static_cast<std::size_t>(i);
    std::string name = fmt::format("{}{}", kCounties[n % kCounties.size()],
                                   kBureaus[(n / kCounties.size()) % kBureaus.size()]);
    if (n >= named) name += fmt::format("第{}所", n / named + 1);
    departments_.push_back(std::move(name));
    // A few big departments (education, health in the large counties), many small ones.
    total += 1.0 / std::pow(static_cast<double>(i + 1), 0.6);
    department_cumulative_.push_back(total);
  }
  for (double& cumulative : department_cumulative_) cumulative /= total;
}

SyntheticLine LinePopulation::line(std::int64_t index, const std::string& request_id) const {
  Random rng(options_.seed * 0x9e3779b97f4a7c15ULL + static_cast<std::uint64_t>(index));
  rng.next();

  auto draw = rng.integer(0, total_per_mille() - 1);
  const Placement* placement = &kPlacements[0];
  for (const Placement& p : kPlacements) {
    placement = &p;
    if (draw < p.per_mille) break;
    draw -= p.per_mille;
  }
  const auto found =
      std::upper_bound(department_cumulative_.begin(), department_cumulative_.end(), rng.unit());
  const auto department = static_cast<std::size_t>(
      std::min<std::ptrdiff_t>(found - department_cumulative_.begin(),
                               static_cast<std::ptrdiff_t>(departments_.size()) - 1));

  LineBuilder builder(*policy_, options_, rng);
  return builder.build(index, *placement, departments_[department], department, request_id);
}

}  // namespace zbb::bench
