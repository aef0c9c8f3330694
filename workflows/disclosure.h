#pragma once

// The disclosure tables (预决算公开, 绩效目标公开): what finance publishes of a fiscal year — its
// lines with a budget, a ranking, a monitoring round, its evaluations — each row a line, with the
// table's own columns and the line's columns the policy names public (disclosure.public_columns).
// The tables are text and numbers only; adapters write them as CSV or XLSX.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/budget_line.h"
#include "engine/status.h"
#include "workflows/policy.pb.h"
#include "workflows/ranking.h"
#include "zbb/v1/workflow.pb.h"

namespace zbb::review {

struct DisclosureCell {
  enum class Kind { kText, kMoney, kNumber };
  Kind kind = Kind::kText;
  std::string text = {};  // kText
  std::int64_t fen = 0;   // kMoney: written in yuan
  double number = 0;      // kNumber: a rank, points, a percent
  int decimals = 0;       // kNumber: as many shown
};

struct DisclosureColumn {
  std::string key;     // "approved"
  std::string header;  // "批复金额（元）"
};

struct DisclosureTable {
  std::string name;  // "lines", "ranking", "monitoring" or "evaluation"
  std::vector<DisclosureColumn> columns;
  std::vector<std::vector<DisclosureCell>> rows;
};

// The line columns a policy may name public, in no particular order.
const std::vector<std::string>& line_columns();

// INVALID_ARGUMENT on `disclosure.public_columns[i]` for a column that is not a line column or
// is named twice.
Status check_public_columns(const zbb::policy::Disclosure& disclosure);

// The policy's public columns; the default (department, programme, title, approved, targets,
// grade) when it names none.
std::vector<std::string> public_columns(const zbb::policy::WorkflowPolicy& policy);

// The lines with a budget among `lines`, by department, then id.
DisclosureTable lines_table(const std::vector<BudgetLine>& lines,
                            const std::vector<std::string>& columns);

// The ranking's lines in rank order, with their rank and the money funded; a line the ranking
// names that `lines` lacks shows its id alone.
DisclosureTable ranking_table(const RankingResult& ranking,
                              const std::map<std::string, BudgetLine>& lines,
                              const std::vector<std::string>& columns);

// The round's lines, by line id, with the checkpoint's date, the warning level, the execution
// and the time progress.
DisclosureTable monitoring_table(const zbb::v1::MonitoringReport& round,
                                 const std::map<std::string, BudgetLine>& lines,
                                 const std::vector<std::string>& columns);

// The lines with an evaluation in force, by department, then id, with their score.
DisclosureTable evaluation_table(const std::vector<BudgetLine>& lines,
                                 const std::vector<std::string>& columns);

}  // namespace zbb::review
