#include "adapters/sql/sqlite_backup.h"

#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

namespace zbb::sql {
namespace {

struct CloseDatabase {
  void operator()(sqlite3* database) const { sqlite3_close_v2(database); }
};
using Database = std::unique_ptr<sqlite3, CloseDatabase>;

Status failure(int code, const std::string& what, sqlite3* database) {
  std::string message =
      what + ": " + (database != nullptr ? sqlite3_errmsg(database) : sqlite3_errstr(code));
  const int primary = code & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    return Status::Unavailable(std::move(message));
  return Status::Internal(std::move(message));
}

Result<Database> open(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  const int opened = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Database database(raw);
  if (opened != SQLITE_OK) return failure(opened, "open " + path, raw);
  sqlite3_busy_timeout(raw, 5000);
  return database;
}

// The copy's bytes on disk before it takes the target's name.
bool sync_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return false;
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  return synced;
}

}  // namespace

Status backup_sqlite(const std::string& source, const std::string& target) {
  std::error_code error;
  if (!std::filesystem::exists(source, error))
    return Status::NotFound("database file " + source + " not found");
  if (std::filesystem::exists(target, error))
    return Status::AlreadyExists(target + " exists: a backup never overwrites a file");
  const std::string partial = target + ".partial";
  std::filesystem::remove(partial, error);
  auto from = open(source, SQLITE_OPEN_READONLY);
  if (!from.ok()) return from.status();
  {
    auto to = open(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!to.ok()) return to.status();
    sqlite3_backup* backup = sqlite3_backup_init(to->get(), "main", from->get(), "main");
    if (backup == nullptr)
      return failure(sqlite3_errcode(to->get()), "back up " + source, to->get());
    // -1: every page in this one step, under one read transaction of the source.
    const int stepped = sqlite3_backup_step(backup, -1);
    const int finished = sqlite3_backup_finish(backup);
    if (stepped != SQLITE_DONE || finished != SQLITE_OK) {
      Status failed =
          failure(stepped != SQLITE_DONE ? stepped : finished, "back up " + source, to->get());
      to->reset();
      std::filesystem::remove(partial, error);
      return failed;
    }
  }
  if (!sync_file(partial)) {
    std::filesystem::remove(partial, error);
    return Status::Internal("back up " + source + ": cannot sync " + partial);
  }
  std::filesystem::rename(partial, target, error);
  if (error) return Status::Internal("back up " + source + ": " + error.message());
  return Status::Ok();
}

}  // namespace zbb::sql
