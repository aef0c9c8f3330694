#include <csv.h>
#include <fmt/format.h>

#include <string_view>

#include "adapters/export/table_files.h"

namespace zbb::exporting {
namespace {

// RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled
// (libcsv's csv_write); any other as it is.
void append_field(std::string& out, const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) {
    out += field;
    return;
  }
  const std::size_t size = csv_write(nullptr, 0, field.data(), field.size());
  const std::size_t at = out.size();
  out.resize(at + size);
  csv_write(out.data() + at, size, field.data(), field.size());
}

// A text cell a spreadsheet would take for a formula ("=…", "+…", "-…", "@…", or after a tab or
// a carriage return) is written with a leading apostrophe, as spreadsheets show text: titles
// and names are written by units, and a published table must not run what they wrote.
std::string as_text(const std::string& text) {
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos)
    return "'" + text;
  return text;
}

std::string cell_text(const review::DisclosureCell& cell) {
  using Kind = review::DisclosureCell::Kind;
  switch (cell.kind) {
    case Kind::kMoney: {
      const bool negative = cell.fen < 0;
      const auto magnitude = negative ? static_cast<std::uint64_t>(-(cell.fen + 1)) + 1
                                      : static_cast<std::uint64_t>(cell.fen);
      return fmt::format("{}{}.{:02d}", negative ? "-" : "", magnitude / 100, magnitude % 100);
    }
    case Kind::kNumber:
      return fmt::format("{:.{}f}", cell.number, cell.decimals);
    case Kind::kText:
      break;
  }
  return as_text(cell.text);
}

}  // namespace

std::string table_csv(const review::DisclosureTable& table) {
  std::string out = "\xEF\xBB\xBF";  // the byte-order mark
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    if (i > 0) out += ',';
    append_field(out, table.columns[i].header);
  }
  out += "\r\n";
  for (const auto& row : table.rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out += ',';
      append_field(out, cell_text(row[i]));
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace zbb::exporting
