#include <unistd.h>
#include <xlsxwriter.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "adapters/export/table_files.h"

namespace zbb::exporting {
namespace {

// libxlsxwriter (1.1.4, Debian 12) writes a workbook to a file only: a file of its own in the
// system's temporary directory, read back and removed.
class TemporaryFile {
 public:
  TemporaryFile() {
    std::string pattern = (std::filesystem::temp_directory_path() / "zbb-export-XXXXXX").string();
    const int fd = mkstemp(pattern.data());
    if (fd >= 0) {
      close(fd);
      path_ = pattern;
    }
  }
  ~TemporaryFile() {
    if (!path_.empty()) std::filesystem::remove(path_);
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

Result<std::string> table_xlsx(const review::DisclosureTable& table,
                               const std::string& sheet_name) {
  using Kind = review::DisclosureCell::Kind;
  TemporaryFile file;
  if (file.path().empty()) return Status::Internal("export: no temporary file for the workbook");
  lxw_workbook* workbook = workbook_new(file.path().c_str());
  if (workbook == nullptr) return Status::Internal("export: the workbook cannot be created");
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, sheet_name.c_str());
  lxw_format* header = workbook_add_format(workbook);
  format_set_bold(header);
  lxw_format* yuan = workbook_add_format(workbook);
  format_set_num_format(yuan, "#,##0.00");
  lxw_format* decimals[3] = {workbook_add_format(workbook), workbook_add_format(workbook),
                             workbook_add_format(workbook)};
  format_set_num_format(decimals[0], "0");
  format_set_num_format(decimals[1], "0.0");
  format_set_num_format(decimals[2], "0.00");

  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), table.columns[c].header.c_str(),
                           header);
    worksheet_set_column(
        sheet, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
        table.columns[c].key == "targets" || table.columns[c].key == "title" ? 40 : 16, nullptr);
  }
  worksheet_freeze_panes(sheet, 1, 0);
  bool too_long = false;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto row = static_cast<lxw_row_t>(r + 1);
    for (std::size_t c = 0; c < table.rows[r].size(); ++c) {
      const review::DisclosureCell& cell = table.rows[r][c];
      const auto col = static_cast<lxw_col_t>(c);
      switch (cell.kind) {
        case Kind::kMoney:
          worksheet_write_number(sheet, row, col, static_cast<double>(cell.fen) / 100, yuan);
          break;
        case Kind::kNumber:
          worksheet_write_number(sheet, row, col, cell.number,
                                 decimals[std::clamp(cell.decimals, 0, 2)]);
          break;
        case Kind::kText:
          // A string cell is never read as a formula; one beyond a cell's 32,767 characters
          // is refused rather than left empty.
          if (!cell.text.empty() &&
              worksheet_write_string(sheet, row, col, cell.text.c_str(), nullptr) != LXW_NO_ERROR)
            too_long = true;
          break;
      }
    }
  }
  if (lxw_error closed = workbook_close(workbook); closed != LXW_NO_ERROR)
    return Status::Internal(std::string("export: the workbook cannot be written: ") +
                            lxw_strerror(closed));
  if (too_long) return Status::Internal("export: a cell's text is longer than a workbook holds");
  std::ifstream in(file.path(), std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) return Status::Internal("export: the workbook cannot be read back");
  return bytes.str();
}

}  // namespace zbb::exporting
