#pragma once

#include <memory>
#include <string>

namespace soci {
class session;
}

namespace zbb::testing {

// Which database the store's contract tests run on. By default SQLite; when the environment
// names the file holding the URL of a PostgreSQL server (ZBB_TEST_POSTGRESQL_URL_FILE, written by
// scripts/postgres-server.sh through CTest's fixture), PostgreSQL: each database a test asks for
// is then a schema of its own on that server.
bool testing_postgresql();

// A new empty database: SQLite's ":memory:", or a new PostgreSQL schema.
std::string fresh_database();

// A new empty database that outlives the store on it (a test reopens it, or opens a second
// store on it): a SQLite file under the temp directory, removed with its WAL afterwards, or a
// new PostgreSQL schema.
class TempDatabase {
 public:
  TempDatabase();
  ~TempDatabase();
  TempDatabase(const TempDatabase&) = delete;
  TempDatabase& operator=(const TempDatabase&) = delete;

  // What SqlStore::open takes.
  const std::string& path() const { return name_; }

  // A plain SOCI session on the database, for what a test does behind the store's back.
  std::unique_ptr<soci::session> raw_session() const;

 private:
  std::string name_;
  bool file_ = false;
};

}  // namespace zbb::testing
