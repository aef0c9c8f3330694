#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/status.h"
#include "engine/store.h"

namespace zbb {

// The first event whose record does not match its hash chain, and why.
struct BrokenEvent {
  std::int64_t sequence = 0;
  std::string line_id;
  std::int64_t line_sequence = 0;
  std::string reason;
  // Set when the event is a programme's: line_id then holds its code, sequence is in the
  // project library's own log.
  bool programme = false;
};

struct AuditResult {
  std::int64_t events_checked = 0;
  std::int64_t lines_checked = 0;
  // The project library's chains, checked with every line's (an empty line id).
  std::int64_t programme_events_checked = 0;
  std::int64_t programmes_checked = 0;
  std::optional<BrokenEvent> first_broken;  // none: every chain holds
};

// Recomputes the hash chain of one line (`line_id`) or of every line (empty): each event's hash
// over its fields, each event's link to the one before it on its line, the per-line sequence
// without gaps, and the line's stored last hash; for every line, the programmes' chains of the
// project library too, each the same way. Stops at the first event that does not match.
Result<AuditResult> verify_audit(Store& store, const std::string& line_id);

}  // namespace zbb
