#pragma once

// zbbctl export: a disclosure table (预决算公开, 绩效目标公开) as a CSV or XLSX file.

#include <string>

#include "adapters/cli/zbbctl_client.h"
#include "adapters/cli/zbbctl_commands.h"

namespace zbb::cli {

struct ExportOptions {
  std::string table;  // lines, ranking, monitoring or evaluation
  int fiscal_year = 0;
  std::string department;      // empty: every department (a unit: its own)
  std::string format = "csv";  // csv or xlsx
  std::string output;          // the file to write; empty: the server's file name, here
};

// Writes the file and says what it holds: "wrote 2027-全县-lines.csv: 12 rows (department, …)".
Outcome run_export(Client& client, const ExportOptions& options, const Output& output);

}  // namespace zbb::cli
