#pragma once

#include <atomic>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/clock.h"
#include "engine/engine.h"
#include "engine/status.h"

namespace zbb {

// What one escalation round did.
struct EscalationRound {
  std::size_t escalated = 0;
  std::vector<Status> failures;  // lines that could not be escalated now (retried next round)
  // The earliest due time still ahead, for the timer to sleep until; nullopt when no active
  // line waits to be escalated.
  std::optional<Timestamp> next_due;
};

// Records `sla_breached` on every line past the due time of its state visit, once per visit:
// one command per line, sent as zbb itself (Principal::zbb()) with the version read as expected
// version, so
// a line that moves on meanwhile is left alone. Lines are found through the store's due-time
// index, never by reading every line.
class Escalator {
 public:
  // `page`: how many due lines are read at a time, so a backlog (a server down for a week) is
  // worked through without holding a million rows at once.
  Escalator(Engine& engine, const Clock& clock, std::size_t page = 500)
      : engine_(engine), clock_(clock), page_(page) {}

  // Escalates everything due at the clock's now. A failure on one line (e.g. INTERNAL) is
  // reported in the round and does not stop the others; the error status is for the store
  // failing to answer at all.
  // `stop`, when given and set, ends the round early (the server is shutting down).
  Result<EscalationRound> run(const std::atomic<bool>* stop = nullptr);

  // The request id of the escalation of `line_id` at `version`: the same for every server and
  // every retry, so it is recorded at most once.
  static std::string request_id(const std::string& line_id, std::int64_t version);

 private:
  Engine& engine_;
  const Clock& clock_;
  const std::size_t page_;
};

}  // namespace zbb
