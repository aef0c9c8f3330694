#include "adapters/cli/text_table.h"

#include <utf8proc.h>

#include <algorithm>
#include <cassert>

namespace zbb::cli {

std::size_t display_width(std::string_view utf8) {
  std::size_t width = 0;
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(utf8.data());
  utf8proc_ssize_t remaining = static_cast<utf8proc_ssize_t>(utf8.size());
  while (remaining > 0) {
    utf8proc_int32_t code_point = 0;
    const utf8proc_ssize_t length = utf8proc_iterate(bytes, remaining, &code_point);
    if (length <= 0) {  // not UTF-8: count the byte as one column and go on
      ++width;
      ++bytes;
      --remaining;
      continue;
    }
    width += static_cast<std::size_t>(std::max(0, utf8proc_charwidth(code_point)));
    bytes += length;
    remaining -= length;
  }
  return width;
}

void TextTable::add_row(std::vector<std::string> cells) {
  assert(cells.size() == columns_.size());
  rows_.push_back(std::move(cells));
}

std::string TextTable::render() const {
  std::vector<std::size_t> widths;
  for (const auto& column : columns_) widths.push_back(display_width(column.title));
  for (const auto& row : rows_)
    for (std::size_t i = 0; i < row.size(); ++i)
      widths[i] = std::max(widths[i], display_width(row[i]));

  std::string out;
  auto append_row = [&](const std::vector<std::string>& cells, bool header) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const std::string padding(widths[i] - display_width(cells[i]), ' ');
      const bool right = !header && columns_[i].align == Align::kRight;
      if (i > 0) out += "  ";
      if (right) out += padding;
      out += cells[i];
      if (!right && i + 1 < cells.size()) out += padding;
    }
    out += '\n';
  };
  std::vector<std::string> titles;
  for (const auto& column : columns_) titles.push_back(column.title);
  append_row(titles, true);
  std::vector<std::string> rules;
  for (std::size_t w : widths) rules.push_back(std::string(w, '-'));
  append_row(rules, true);
  for (const auto& row : rows_) append_row(row, false);
  return out;
}

}  // namespace zbb::cli
