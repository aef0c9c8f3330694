#pragma once

#include <string>

#include "engine/status.h"
#include "workflows/disclosure.h"

namespace zbb::exporting {

// A disclosure table as a CSV file for spreadsheets: UTF-8 with a byte-order mark (which Excel
// needs to read it as UTF-8), a header row, RFC 4180 quoting, CRLF line ends, amounts in yuan
// with two decimals and no thousands separators (so that a spreadsheet reads them as numbers).
std::string table_csv(const review::DisclosureTable& table);

// The same as an XLSX workbook of one worksheet (libxlsxwriter): the header row bold and frozen,
// amounts as numbers in yuan shown "#,##0.00". INTERNAL when the file cannot be written.
Result<std::string> table_xlsx(const review::DisclosureTable& table, const std::string& sheet_name);

}  // namespace zbb::exporting
