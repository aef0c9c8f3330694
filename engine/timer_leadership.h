#pragma once

namespace zbb {

// Which one of the servers sharing a database runs the timers (SLA escalation, the checkpoint
// scheduler). Each timer asks before every round and skips the round when another server leads:
// when the leader dies, the next server to ask takes over, within a timer's own interval.
// A round run twice by two servers that both believe they lead (a leader cut off from the
// database and not yet aware of it) still changes each line once: every write is checked
// against the line's version. Implementations must be safe to call from several threads.
class TimerLeadership {
 public:
  virtual ~TimerLeadership() = default;
  // Whether this server leads now: takes the lead when no server holds it, keeps it while held.
  virtual bool leads() = 0;
};

// A server alone on its database (SQLite's default) always leads.
class SoleServer final : public TimerLeadership {
 public:
  bool leads() override { return true; }
};

}  // namespace zbb
