#pragma once

// A CSV file read whole (RFC 4180, with libcsv): the header and the data rows, each with the
// row number a spreadsheet shows for it.

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace zbb::cli {

struct CsvRow {
  int number = 0;  // as a spreadsheet counts rows: the header is row 1, blank rows count
  std::vector<std::string> fields;
};

struct CsvTable {
  int header_row = 1;
  std::vector<std::string> header;
  std::vector<CsvRow> rows;  // the data rows after the header; blank rows left out
};

// Why a CSV text cannot be read; row 0 when the text as a whole is at fault (empty, unreadable).
struct CsvError {
  int row = 0;
  std::string reason;
};

using CsvResult = std::variant<CsvTable, CsvError>;

// Reads RFC 4180 CSV: fields separated by commas, quoted fields holding commas, doubled quotes
// and line breaks; rows end with LF, CRLF or CR. A leading UTF-8 byte order mark is skipped;
// spaces and tabs around unquoted fields are dropped. A row whose fields are all empty is
// blank: counted, not returned. Refuses, with the row, a quote inside an unquoted field, text
// after a closing quote, an unclosed quote, text that is not UTF-8, and a text with no header.
CsvResult parse_csv(std::string_view text);

// parse_csv on the contents of the file at `path`; a file that cannot be read is a CsvError
// of row 0 naming the file.
CsvResult read_csv_file(const std::string& path);

}  // namespace zbb::cli
