#include "engine/escalation.h"

#include <fmt/format.h>

#include <set>

#include "engine/recorded_event.h"

namespace zbb {
namespace {

// Read a page of due lines at a time: a backlog (a server down for a week) is worked through
// without holding a million rows at once.
constexpr std::size_t kPage = 500;
constexpr std::size_t kMaxRequestIdBytes = 128;

}  // namespace

std::string Escalator::request_id(const std::string& line_id, std::int64_t version) {
  std::string id = fmt::format("sla/{}/{}", version, line_id);
  // A line id near the length limit leaves no room for the prefix: name it by its hash.
  if (id.size() > kMaxRequestIdBytes)
    id = fmt::format("sla/{}/#{}", version, sha256_hex(line_id).substr(0, 40));
  return id;
}

Result<EscalationRound> Escalator::run() {
  const Timestamp now = clock_.now();
  EscalationRound round;
  // Lines that failed this round stay due; they are skipped so the round ends.
  std::set<std::string> failed;
  for (;;) {
    auto due = engine_.store().lines_due(now, kPage + failed.size());
    if (!due.ok()) return due.status();
    bool progressed = false;
    for (const DueLine& line : *due) {
      if (failed.contains(line.line_id)) continue;
      Command command{.request_id = request_id(line.line_id, line.version),
                      .actor = std::string(kActor),
                      .items = {{line.line_id, line.version, RecordSlaBreach{line.state}}}};
      auto outcome = engine_.execute(command);
      if (outcome.ok()) {
        if (!outcome->replayed) ++round.escalated;
        progressed = true;
        continue;
      }
      failed.insert(line.line_id);
      // ABORTED: the line moved on since it was read; its new visit has its own due time.
      if (outcome.status().code() != Code::kAborted) round.failures.push_back(outcome.status());
    }
    if (!progressed) break;
  }
  auto next = engine_.store().next_due();
  if (!next.ok()) return next.status();
  round.next_due = *next;
  // A line that failed is still due now; the caller retries it after its usual wait.
  return round;
}

}  // namespace zbb
