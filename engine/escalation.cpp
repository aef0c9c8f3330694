#include "engine/escalation.h"

#include <fmt/format.h>

#include <set>

#include "engine/recorded_event.h"

namespace zbb {
namespace {

constexpr std::size_t kMaxRequestIdBytes = 128;

}  // namespace

std::string Escalator::request_id(const std::string& line_id, std::int64_t version) {
  std::string id = fmt::format("sla/{}/{}", version, line_id);
  // A line id near the length limit leaves no room for the prefix: name it by its hash, under
  // a prefix of its own so it can never equal the id of another line.
  if (id.size() > kMaxRequestIdBytes)
    id = fmt::format("sla-hashed/{}/{}", version, sha256_hex(line_id));
  return id;
}

Result<EscalationRound> Escalator::run(const std::atomic<bool>* stop) {
  const Timestamp now = clock_.now();
  EscalationRound round;
  // Lines that failed this round stay due; they are skipped, and the page read grows by them,
  // so the lines due after them are still reached and the round ends.
  std::set<std::string> failed;
  for (;;) {
    auto due = engine_.store().lines_due(now, page_ + failed.size());
    if (!due.ok()) return due.status();
    bool tried = false;
    for (const DueLine& line : *due) {
      if (failed.contains(line.line_id)) continue;
      if (stop != nullptr && stop->load()) return round;
      tried = true;
      RecordSlaBreach breach;
      breach.set_state(line.state);
      Command command{.request_id = request_id(line.line_id, line.version),
                      .principal = Principal::zbb(),
                      .items = {},
                      .follow_ups = {{line.line_id, line.version, std::move(breach)}}};
      auto outcome = engine_.execute(command);
      if (outcome.ok()) {
        if (!outcome->replayed) ++round.escalated;
        continue;
      }
      failed.insert(line.line_id);
      // ABORTED: the line moved on since it was read; its new visit has its own due time.
      if (outcome.status().code() != Code::kAborted) round.failures.push_back(outcome.status());
    }
    if (!tried) break;
  }
  auto next = engine_.store().next_due();
  if (!next.ok()) return next.status();
  round.next_due = *next;
  // A line that failed is still due now; the caller retries it after its usual wait.
  return round;
}

}  // namespace zbb
