#include "tests/test_database.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>

#include <unistd.h>

#include "adapters/sql/backend.h"

namespace zbb::testing {
namespace {

// The server's URL, read once; "" when the tests run on SQLite.
const std::string& postgresql_url() {
  static const std::string url = [] {
    const char* file = std::getenv("ZBB_TEST_POSTGRESQL_URL_FILE");
    if (file == nullptr || *file == '\0') return std::string();
    std::ifstream in(file);
    std::string line;
    if (!std::getline(in, line) || line.empty())
      throw std::runtime_error(std::string("no PostgreSQL URL in ") + file);
    return line;
  }();
  return url;
}

std::string unique_suffix() {
  static std::atomic<int> counter{0};
  return std::to_string(::getpid()) + "_" + std::to_string(counter++);
}

// A new schema on the test server, and the URL whose connections use it.
std::string new_postgresql_schema() {
  const std::string schema = "zbb_test_" + unique_suffix();
  soci::session admin(soci::postgresql, sql::postgresql_connect_string(postgresql_url()));
  admin << "CREATE SCHEMA " + schema;
  return postgresql_url() + "?options=-csearch_path%3D" + schema;
}

}  // namespace

bool testing_postgresql() { return !postgresql_url().empty(); }

std::string fresh_database() {
  return testing_postgresql() ? new_postgresql_schema() : std::string(":memory:");
}

TempDatabase::TempDatabase() {
  if (testing_postgresql()) {
    name_ = new_postgresql_schema();
    return;
  }
  file_ = true;
  name_ = (std::filesystem::temp_directory_path() / ("zbb-store-test-" + unique_suffix() + ".db"))
              .string();
  std::error_code ignored;
  std::filesystem::remove(name_, ignored);
}

TempDatabase::~TempDatabase() {
  if (!file_) return;  // a schema of the throw-away server goes with the server
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"})
    std::filesystem::remove(name_ + suffix, ignored);
}

std::unique_ptr<soci::session> TempDatabase::raw_session() const {
  if (file_) return std::make_unique<soci::session>(soci::sqlite3, name_);
  return std::make_unique<soci::session>(soci::postgresql, sql::postgresql_connect_string(name_));
}

}  // namespace zbb::testing
