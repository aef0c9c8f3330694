#include "workflows/disclosure.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "workflows/evaluation_rules.h"
#include "workflows/issued_indicators.h"
#include "workflows/monthly_execution.h"

namespace zbb::review {
namespace {

using Kind = DisclosureCell::Kind;

// The headers are those of the published tables, in Chinese.
const std::map<std::string, std::string>& line_headers() {
  static const std::map<std::string, std::string> headers = {
      {"line_id", "预算项目编号"},    {"department", "部门"},      {"programme", "项目代码"},
      {"title", "项目名称"},          {"category", "支出类别"},    {"requested", "申请金额（元）"},
      {"approved", "批复金额（元）"}, {"spent", "支出金额（元）"}, {"targets", "绩效目标"},
      {"score", "评价得分"},          {"grade", "评价等级"},       {"state", "状态"},
  };
  return headers;
}

DisclosureCell text(std::string value) { return {Kind::kText, std::move(value)}; }
DisclosureCell money(std::int64_t fen) { return {Kind::kMoney, {}, fen}; }
DisclosureCell number(double value, int decimals) {
  return {Kind::kNumber, {}, 0, value, decimals};
}

std::string_view direction_sign(Direction direction) {
  switch (direction) {
    case zbb::v1::DIRECTION_AT_LEAST:
      return "≥";
    case zbb::v1::DIRECTION_AT_MOST:
      return "≤";
    case zbb::v1::DIRECTION_EQUAL:
      return "=";
    default:
      return "";
  }
}

// "养护里程 ≥ 96 公里；群众满意度 ≥ 90 %": every target issued with the budget (before it is
// issued, those the line asks for), a qualitative one by its name.
std::string targets_text(const BudgetLine& line) {
  std::vector<const Indicator*> indicators = issued_indicators(line);
  std::vector<std::string> parts;
  for (const Indicator* indicator : indicators) {
    if (indicator->qualitative()) {
      parts.push_back(indicator->name() + "（定性）");
      continue;
    }
    parts.push_back(fmt::format("{} {} {} {}", indicator->name(),
                                direction_sign(indicator->direction()), indicator->target(),
                                indicator->unit()));
  }
  return fmt::format("{}", fmt::join(parts, "；"));
}

DisclosureCell line_cell(const BudgetLine& line, const std::string& column) {
  const LineContent& content = line.content();
  if (column == "line_id") return text(line.id());
  if (column == "department") return text(content.department());
  if (column == "programme") return text(content.programme_code());
  if (column == "title") return text(content.title());
  if (column == "category") return text(std::string(to_string(content.category())));
  if (column == "requested") return money(content.requested_amount());
  if (column == "approved") return money(line.approved_amount());
  if (column == "spent") return money(line.spent_amount());
  if (column == "targets") return text(targets_text(line));
  if (column == "score")
    return evaluation_in_force(line)
               ? number(static_cast<double>(line.evaluation().score_tenths()) / 10, 1)
               : text("");
  if (column == "grade") return text(evaluation_in_force(line) ? line.evaluation().grade() : "");
  if (column == "state") return text(line.state());
  return text("");  // not reached: the policy loader admits line columns only
}

// The table's own columns, then the public line columns.
DisclosureTable table_of(std::string name, std::vector<DisclosureColumn> own,
                         const std::vector<std::string>& columns) {
  DisclosureTable table{std::move(name), std::move(own), {}};
  for (const std::string& column : columns)
    table.columns.push_back({column, line_headers().at(column)});
  return table;
}

void add_line_cells(std::vector<DisclosureCell>& row, const BudgetLine* line,
                    const std::string& line_id, const std::vector<std::string>& columns) {
  for (const std::string& column : columns) {
    if (line != nullptr)
      row.push_back(line_cell(*line, column));
    else
      row.push_back(text(column == "line_id" ? line_id : ""));
  }
}

const BudgetLine* find_line(const std::map<std::string, BudgetLine>& lines, const std::string& id) {
  const auto found = lines.find(id);
  return found == lines.end() ? nullptr : &found->second;
}

std::vector<const BudgetLine*> by_department_then_id(const std::vector<BudgetLine>& lines,
                                                     bool (*keep)(const BudgetLine&)) {
  std::vector<const BudgetLine*> kept;
  for (const BudgetLine& line : lines)
    if (keep(line)) kept.push_back(&line);
  std::sort(kept.begin(), kept.end(), [](const BudgetLine* a, const BudgetLine* b) {
    return std::tie(a->content().department(), a->id()) <
           std::tie(b->content().department(), b->id());
  });
  return kept;
}

double percent(std::int64_t basis_points) { return static_cast<double>(basis_points) / 100; }

}  // namespace

const std::vector<std::string>& line_columns() {
  static const std::vector<std::string> columns = [] {
    std::vector<std::string> keys;
    for (const auto& [key, header] : line_headers()) keys.push_back(key);
    return keys;
  }();
  return columns;
}

Status check_public_columns(const zbb::policy::Disclosure& disclosure) {
  std::set<std::string> seen;
  for (int i = 0; i < disclosure.public_columns_size(); ++i) {
    const std::string& column = disclosure.public_columns(i);
    const std::string field = fmt::format("disclosure.public_columns[{}]", i);
    if (!line_headers().contains(column))
      return Status::InvalidArgument(field, fmt::format("\"{}\" is not a line column; one of {}",
                                                        column, fmt::join(line_columns(), ", ")));
    if (!seen.insert(column).second)
      return Status::InvalidArgument(field, fmt::format("\"{}\" is named twice", column));
  }
  return Status::Ok();
}

std::vector<std::string> public_columns(const zbb::policy::WorkflowPolicy& policy) {
  const auto& named = policy.disclosure().public_columns();
  if (!named.empty()) return {named.begin(), named.end()};
  return {"department", "programme", "title", "approved", "targets", "grade"};
}

DisclosureTable lines_table(const std::vector<BudgetLine>& lines,
                            const std::vector<std::string>& columns) {
  DisclosureTable table = table_of("lines", {}, columns);
  for (const BudgetLine* line :
       by_department_then_id(lines, [](const BudgetLine& l) { return has_budget(l.state()); })) {
    auto& row = table.rows.emplace_back();
    add_line_cells(row, line, line->id(), columns);
  }
  return table;
}

DisclosureTable ranking_table(const RankingResult& ranking,
                              const std::map<std::string, BudgetLine>& lines,
                              const std::vector<std::string>& columns) {
  DisclosureTable table =
      table_of("ranking", {{"rank", "排序"}, {"funded", "安排金额（元）"}}, columns);
  for (const auto& ranked : ranking.lines()) {
    auto& row = table.rows.emplace_back();
    row.push_back(number(static_cast<double>(ranked.rank()), 0));
    row.push_back(money(ranked.funded()));
    add_line_cells(row, find_line(lines, ranked.line_id()), ranked.line_id(), columns);
  }
  return table;
}

DisclosureTable monitoring_table(const zbb::v1::MonitoringReport& round,
                                 const std::map<std::string, BudgetLine>& lines,
                                 const std::vector<std::string>& columns) {
  DisclosureTable table = table_of("monitoring",
                                   {{"as_of", "监控日期"},
                                    {"level", "预警等级"},
                                    {"execution", "执行进度（%）"},
                                    {"time_progress", "时间进度（%）"}},
                                   columns);
  for (const auto& monitored : round.lines()) {
    auto& row = table.rows.emplace_back();
    row.push_back(text(monitored.result().as_of()));
    row.push_back(text(std::string(to_string(monitored.result().level()))));
    row.push_back(number(percent(monitored.result().execution_rate_bp()), 2));
    row.push_back(number(percent(monitored.result().time_progress_bp()), 2));
    add_line_cells(row, find_line(lines, monitored.line_id()), monitored.line_id(), columns);
  }
  return table;
}

DisclosureTable evaluation_table(const std::vector<BudgetLine>& lines,
                                 const std::vector<std::string>& columns) {
  // The score is the table's own; the grade comes with the public columns when named.
  std::vector<std::string> rest;
  for (const std::string& column : columns)
    if (column != "score") rest.push_back(column);
  DisclosureTable table = table_of("evaluation", {{"score", "评价得分"}}, rest);
  for (const BudgetLine* line : by_department_then_id(lines, evaluation_in_force)) {
    auto& row = table.rows.emplace_back();
    row.push_back(number(static_cast<double>(line->evaluation().score_tenths()) / 10, 1));
    add_line_cells(row, line, line->id(), rest);
  }
  return table;
}

}  // namespace zbb::review
