#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "engine/timer_leadership.h"

namespace soci {
class session;
}

namespace zbb::sql {

// Timer leadership among the servers of one PostgreSQL database: the leader is the server whose
// session holds the advisory lock kTimerLeaderLockClass (postgresql_schema.h). PostgreSQL lets
// go of the lock when that session ends — the server died, or its connection was cut — and the
// next server to ask takes it. A session that fails is dropped (its lock goes with it) and
// opened again at the next question.
class PostgresqlLeadership final : public TimerLeadership {
 public:
  explicit PostgresqlLeadership(std::string database);
  ~PostgresqlLeadership() override;

  bool leads() override;

 private:
  const std::string database_;
  std::mutex mutex_;
  std::unique_ptr<soci::session> session_;
  bool held_ = false;
};

}  // namespace zbb::sql
