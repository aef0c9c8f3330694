#include "engine/audit.h"

#include <fmt/format.h>

#include <map>

namespace zbb {
namespace {

constexpr std::size_t kPage = 1000;

// Where each line's chain has got to while the log is read in order.
struct ChainEnd {
  std::int64_t line_sequence = 0;
  std::string hash;
};

std::optional<BrokenEvent> check(const RecordedEvent& event, ChainEnd& end) {
  auto broken = [&](std::string reason) {
    return BrokenEvent{event.sequence, event.line_id, event.line_sequence, std::move(reason)};
  };
  if (event.line_sequence != end.line_sequence + 1)
    return broken(
        fmt::format("line sequence {} follows {}", event.line_sequence, end.line_sequence));
  if (event.prev_hash != end.hash)
    return broken("its previous hash is not the hash of the line's event before it");
  if (compute_event_hash(event) != event.hash)
    return broken("its fields do not match its hash: the record was changed");
  end = {event.line_sequence, event.hash};
  return std::nullopt;
}

// The chain must end where the line's projection says it does.
std::optional<BrokenEvent> check_end(Store& store, const std::string& line_id, const ChainEnd& end,
                                     std::int64_t sequence) {
  auto line = store.load_line(line_id);
  if (!line.ok())
    return BrokenEvent{sequence, line_id, end.line_sequence, "the line has events but no record"};
  if (line->last_hash != end.hash || line->line->version() != end.line_sequence)
    return BrokenEvent{sequence, line_id, end.line_sequence,
                       "the line's record does not end where its events do"};
  return std::nullopt;
}

// Every programme's chain, read in the order of the library's log as the lines' are, and where
// its record says it ends: a record gone or out of step with its events is found.
Status verify_programmes(Store& store, AuditResult& result) {
  std::map<std::string, ChainEnd> ends;
  std::map<std::string, std::int64_t> last_sequence;
  const auto broken = [&result](BrokenEvent event) {
    event.programme = true;
    result.first_broken = std::move(event);
    return Status::Ok();
  };
  std::int64_t after = 0;
  for (;;) {
    auto page = store.programme_events_after(after, kPage);
    if (!page.ok()) return page.status();
    for (const auto& event : *page) {
      ++result.programme_events_checked;
      if (auto found = check(event, ends[event.line_id])) return broken(std::move(*found));
      last_sequence[event.line_id] = event.sequence;
      after = event.sequence;
    }
    if (page->size() < kPage) break;
  }
  for (const auto& [code, end] : ends) {
    ++result.programmes_checked;
    auto stored = store.load_programme(code);
    if (!stored.ok() && stored.status().code() != Code::kNotFound) return stored.status();
    if (!stored.ok())
      return broken(
          {last_sequence[code], code, end.line_sequence, "the programme has events but no record"});
    if (stored->last_hash != end.hash || stored->programme->version() != end.line_sequence)
      return broken({last_sequence[code], code, end.line_sequence,
                     "the programme's record does not end where its events do"});
  }
  return Status::Ok();
}

}  // namespace

Result<AuditResult> verify_audit(Store& store, const std::string& line_id) {
  AuditResult result;
  if (!line_id.empty()) {
    auto events = store.line_history(line_id);
    if (!events.ok()) return events.status();
    ChainEnd end;
    for (const auto& event : *events) {
      ++result.events_checked;
      if ((result.first_broken = check(event, end))) return result;
    }
    result.lines_checked = 1;
    result.first_broken =
        check_end(store, line_id, end, events->empty() ? 0 : events->back().sequence);
    return result;
  }

  std::map<std::string, ChainEnd> ends;
  std::map<std::string, std::int64_t> last_sequence;
  std::int64_t after = 0;
  for (;;) {
    auto page = store.events_after(after, kPage);
    if (!page.ok()) return page.status();
    for (const auto& event : *page) {
      ++result.events_checked;
      if ((result.first_broken = check(event, ends[event.line_id]))) return result;
      last_sequence[event.line_id] = event.sequence;
      after = event.sequence;
    }
    if (page->size() < kPage) break;
  }
  for (const auto& [id, end] : ends) {
    ++result.lines_checked;
    if ((result.first_broken = check_end(store, id, end, last_sequence[id]))) return result;
  }
  ZBB_RETURN_IF_ERROR(verify_programmes(store, result));
  return result;
}

}  // namespace zbb
