#include "adapters/sql/sqlite_backup.h"

#include <sqlite3.h>

#include <cerrno>
#include <cstring>
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

// A file's bytes, or a directory's entries, on disk.
bool sync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags);
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
  // A name of this run's own, created here (O_EXCL), removed whatever happens.
  const std::string partial = target + ".partial-" + std::to_string(::getpid());
  const int created = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (created < 0)
    return Status::Internal("back up " + source + ": cannot create " + partial + ": " +
                            std::strerror(errno));
  ::close(created);
  struct RemovePartial {
    const std::string& path;
    ~RemovePartial() {
      std::error_code ignored;
      std::filesystem::remove(path, ignored);
    }
  } remove_partial{partial};

  auto from = open(source, SQLITE_OPEN_READONLY);
  if (!from.ok()) return from.status();
  {
    auto to = open(partial, SQLITE_OPEN_READWRITE);
    if (!to.ok()) return to.status();
    sqlite3_backup* backup = sqlite3_backup_init(to->get(), "main", from->get(), "main");
    if (backup == nullptr)
      return failure(sqlite3_errcode(to->get()), "back up " + source, to->get());
    // -1: every page in this one step, under one read transaction of the source.
    const int stepped = sqlite3_backup_step(backup, -1);
    const int finished = sqlite3_backup_finish(backup);
    if (stepped != SQLITE_DONE || finished != SQLITE_OK)
      return failure(stepped != SQLITE_DONE ? stepped : finished, "back up " + source, to->get());
  }
  if (!sync_path(partial, O_RDONLY))
    return Status::Internal("back up " + source + ": cannot sync " + partial);
  // link() never replaces a file: one made at the target meanwhile is kept, and said so.
  if (::link(partial.c_str(), target.c_str()) != 0) {
    if (errno == EEXIST)
      return Status::AlreadyExists(target + " exists: a backup never overwrites a file");
    return Status::Internal("back up " + source + ": cannot name the copy " + target + ": " +
                            std::strerror(errno));
  }
  // The new name durable too.
  const std::filesystem::path parent = std::filesystem::absolute(target).parent_path();
  if (!sync_path(parent.string(), O_RDONLY | O_DIRECTORY))
    return Status::Internal("back up " + source + ": cannot sync " + parent.string());
  return Status::Ok();
}

}  // namespace zbb::sql
