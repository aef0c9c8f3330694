#include "engine/config_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace zbb {
namespace {

Status file_error(const std::string& path, const std::string& what) {
  return Status(Code::kInvalidArgument, path + ": " + what);
}

}  // namespace

Result<std::string> read_config_file(const std::string& path, std::string_view kind,
                                     std::uintmax_t max_bytes) {
  namespace fs = std::filesystem;
  const std::string name(kind);
  if (path.empty()) return Status(Code::kInvalidArgument, name + " path is empty");
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (error || !fs::exists(status)) {
    const std::string cause = error ? error.message() : "No such file or directory";
    return file_error(path, "cannot read " + name + ": " + cause);
  }
  if (!fs::is_regular_file(status)) return file_error(path, "is not a regular file");
  const std::uintmax_t size = fs::file_size(path, error);
  if (!error && size > max_bytes)
    return file_error(path, "is " + std::to_string(size) + " bytes; a " + name +
                                " is at most 1 MiB, is this the right file?");
  std::ifstream in(path, std::ios::binary);
  if (!in) return file_error(path, "cannot open " + name + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return file_error(path, "read error");
  return text.str();
}

}  // namespace zbb
