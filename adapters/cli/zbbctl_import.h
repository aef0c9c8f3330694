#pragma once

// zbbctl import: bulk intake from CSV sheets. The conversion of rows into PushEvents items is
// pure (tested without a server); the commands send the items in batches and report, row by
// row, what was refused and why.

#include <string>
#include <vector>

#include "adapters/cli/csv_table.h"
#include "adapters/cli/zbbctl_client.h"
#include "adapters/cli/zbbctl_commands.h"
#include "zbb/v1/workflow.pb.h"

namespace zbb::cli {

// A row that was not imported: its number as a spreadsheet shows it (the header is row 1),
// the line it belongs to (empty when it names none) and why.
struct RefusedRow {
  int row = 0;
  std::string line_id;
  std::string reason;
};

// One PushEvents item and the rows it came from.
struct ImportItem {
  zbb::v1::PushEventsItem item;
  int row = 0;  // a line's `line` row; an execution record's own row
  // A line's cost_item, indicator and increment rows in file order: the row of
  // content.cost_items[i] is cost_item_rows[i], so a refusal can name the row to fix.
  std::vector<int> cost_item_rows;
  std::vector<int> indicator_rows;
  std::vector<int> increment_rows;
  // A package's indicator rows (indicator rows with a level): content.increments[k].indicators[j]
  // came from package_indicator_rows[k][j].
  std::vector<std::vector<int>> package_indicator_rows;
  // A line's plan rows: content.monthly_plan[m] came from plan_rows[m] (the line row for a
  // month without a row); empty for a line without a plan.
  std::vector<int> plan_rows;
};

// What a sheet asks for: the items of its good lines (or records), in the order of their rows,
// and every row refused before anything is sent, in row order.
struct ImportPlan {
  std::vector<ImportItem> items;
  std::vector<RefusedRow> refused;
};

// A `lines` sheet → one create item per line whose rows are all good. Columns: row_type, line_id
// and the columns of the row types line, cost_item, indicator, increment and plan (README).
ImportPlan plan_line_import(const CsvTable& table);

// An `execution` sheet → one record_spending or record_indicator_progress item per good row.
ImportPlan plan_execution_import(const CsvTable& table);

// For a line's item: the row that the field of a refusal points at ("…cost_items[2]…" → that
// cost item's row), or the item's own row.
int row_of_field(const ImportItem& item, const std::string& field);

struct ImportOptions {
  std::string file;
  bool all_or_nothing = false;  // one atomic call for the file; nothing sent if a row is bad
  std::string request_id;       // empty: a fresh one; batch k is sent as "<request id>/<k>"
};

// At most this many items per PushEvents call (item by item); an all-or-nothing file at most
// kMaxAtomicItems.
inline constexpr int kImportBatchItems = 1000;
inline constexpr int kMaxAtomicItems = 10000;

// zbbctl import lines FILE / zbbctl import execution FILE: send the sheet, print the refused
// rows and a summary (or a JSON report). Fails (exit 1) when any row was refused.
Outcome run_import_lines(Client& client, const ImportOptions& options, const Output& output);
Outcome run_import_execution(Client& client, const ImportOptions& options, const Output& output);

}  // namespace zbb::cli
