#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace zbb::cli {

// The number of terminal columns `text` takes: a CJK character is two columns wide.
std::size_t display_width(std::string_view utf8);

// A plain-text table whose columns line up with Chinese text. Numbers align right.
class TextTable {
 public:
  enum class Align { kLeft, kRight };
  struct Column {
    std::string title;
    Align align = Align::kLeft;
  };

  explicit TextTable(std::vector<Column> columns) : columns_(std::move(columns)) {}

  // REQUIRES: as many cells as columns.
  void add_row(std::vector<std::string> cells);
  std::string render() const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace zbb::cli
