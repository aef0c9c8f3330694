#include "adapters/cli/csv_table.h"

#include <csv.h>
#include <fmt/format.h>
#include <utf8proc.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

namespace zbb::cli {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// The byte offset of the first byte that is not part of valid UTF-8, if any.
std::optional<std::size_t> invalid_utf8_at(std::string_view text) {
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  std::size_t at = 0;
  while (at < text.size()) {
    utf8proc_int32_t code_point = 0;
    const utf8proc_ssize_t length =
        utf8proc_iterate(bytes + at, static_cast<utf8proc_ssize_t>(text.size() - at), &code_point);
    if (length <= 0) return at;
    at += static_cast<std::size_t>(length);
  }
  return std::nullopt;
}

// What libcsv hands over, gathered into rows numbered as a spreadsheet numbers them.
class Collector {
 public:
  static void on_field(void* data, std::size_t length, void* self) {
    static_cast<Collector*>(self)->field(static_cast<const char*>(data), length);
  }
  static void on_row_end(int terminator, void* self) {
    static_cast<Collector*>(self)->row_end(terminator);
  }

  // The row being read: the one a syntax error is in.
  int current_row() const { return row_; }
  const std::optional<CsvError>& error() const { return error_; }
  CsvTable take_table() { return std::move(table_); }
  bool has_header() const { return header_seen_; }

 private:
  void field(const char* data, std::size_t length) {
    if (error_) return;
    std::string_view text(data == nullptr ? "" : data, data == nullptr ? 0 : length);
    if (invalid_utf8_at(text)) {
      const std::size_t column = fields_.size();
      const std::string name = header_seen_ && column < table_.header.size()
                                   ? "column " + table_.header[column]
                                   : fmt::format("field {}", column + 1);
      error_ = CsvError{row_, name +
                                  " is not UTF-8 text (an export in GBK or another code page? "
                                  "save the sheet as \"CSV UTF-8\")"};
      return;
    }
    fields_.emplace_back(text);
  }

  void row_end(int terminator) {
    if (error_) return;
    // libcsv (reporting every line break) ends an empty row at the LF of a CRLF: not a row.
    if (fields_.empty() && terminator == '\n' && after_cr_) {
      after_cr_ = false;
      return;
    }
    after_cr_ = terminator == '\r';
    const int number = row_++;
    const bool blank =
        std::all_of(fields_.begin(), fields_.end(), [](const auto& f) { return f.empty(); });
    if (blank) {
      fields_.clear();
      return;
    }
    if (!header_seen_) {
      header_seen_ = true;
      table_.header_row = number;
      table_.header = std::move(fields_);
    } else {
      table_.rows.push_back(CsvRow{number, std::move(fields_)});
    }
    fields_.clear();
  }

  CsvTable table_;
  std::vector<std::string> fields_;
  int row_ = 1;
  bool after_cr_ = false;
  bool header_seen_ = false;
  std::optional<CsvError> error_;
};

// libcsv's strict mode stops at the offending byte: a quote in an unquoted field, or anything
// but a comma or a line break after a closing quote.
std::string syntax_reason(std::string_view text, std::size_t at) {
  if (at < text.size() && text[at] == '"')
    return "a quote inside an unquoted field (quote the whole field and double the quote: "
           "\"say \"\"yes\"\"\")";
  return "text after a closing quote (a quoted field must end at a comma or a line break)";
}

}  // namespace

CsvResult parse_csv(std::string_view text) {
  if (text.starts_with(kUtf8Bom)) text.remove_prefix(kUtf8Bom.size());
  if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF"))
    return CsvError{0, "the file is UTF-16 text; save the sheet as \"CSV UTF-8\""};

  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0)
    return CsvError{0, "cannot start the CSV parser"};
  Collector collector;
  const std::size_t parsed = csv_parse(&parser, text.data(), text.size(), &Collector::on_field,
                                       &Collector::on_row_end, &collector);
  std::optional<CsvError> error = collector.error();
  if (!error && parsed != text.size()) {
    error = csv_error(&parser) == CSV_EPARSE
                ? CsvError{collector.current_row(), syntax_reason(text, parsed)}
                : CsvError{collector.current_row(), csv_strerror(csv_error(&parser))};
  }
  // After an error the parser holds a partial row that must not be delivered: fini only when
  // everything was read.
  if (!error && csv_fini(&parser, &Collector::on_field, &Collector::on_row_end, &collector) != 0)
    error = CsvError{collector.current_row(),
                     "a quoted field is not closed (its closing quote is missing)"};
  csv_free(&parser);
  if (!error) error = collector.error();
  if (error) return *error;
  if (!collector.has_header()) return CsvError{0, "the file is empty; it needs a header row"};
  return collector.take_table();
}

CsvResult read_csv_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return CsvError{0, fmt::format("cannot read {}: {}", path, std::strerror(errno))};
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return CsvError{0, fmt::format("cannot read {}", path)};
  return parse_csv(buffer.str());
}

}  // namespace zbb::cli
