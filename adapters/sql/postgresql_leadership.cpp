#include "adapters/sql/postgresql_leadership.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <spdlog/spdlog.h>

#include <fmt/format.h>

#include <utility>

#include "adapters/sql/backend.h"
#include "adapters/sql/postgresql_schema.h"

namespace zbb::sql {

PostgresqlLeadership::PostgresqlLeadership(std::string database) : database_(std::move(database)) {}

PostgresqlLeadership::~PostgresqlLeadership() = default;

bool PostgresqlLeadership::leads() {
  std::lock_guard lock(mutex_);
  try {
    if (!session_) {
      session_ =
          std::make_unique<soci::session>(soci::postgresql, postgresql_connect_string(database_));
      // A question never holds the timers up for long, whatever the network does.
      *session_ << "SET statement_timeout = '10s'";
      held_ = false;
    }
    if (held_) {
      // Still connected means still held: the lock lives as long as this session.
      *session_ << "SELECT 1";
      return true;
    }
    int taken = 0;
    *session_ << fmt::format(
        "SELECT CASE WHEN pg_try_advisory_lock({}, hashtext(current_schema())) "
        "THEN 1 ELSE 0 END",
        kTimerLeaderLockClass),
        soci::into(taken);
    held_ = taken == 1;
    if (held_) spdlog::info("this server now runs the timers (SLA escalation, checkpoints)");
    return held_;
  } catch (const soci::soci_error& error) {
    if (held_) spdlog::warn("timer leadership lost: {}", error.what());
    session_.reset();
    held_ = false;
    return false;
  }
}

}  // namespace zbb::sql
