#include "engine/line_cache.h"

namespace zbb {

std::optional<StoredLine> LineCache::find(const std::string& line_id) {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(line_id);
  if (found == entries_.end()) return std::nullopt;
  order_.splice(order_.begin(), order_, found->second.position);
  return found->second.stored;
}

void LineCache::put(const StoredLine& stored) {
  if (capacity_ == 0) return;
  std::lock_guard lock(mutex_);
  auto found = entries_.find(stored.line->id());
  if (found != entries_.end()) {
    // Commands answered out of order (a chain concluded on a worker after a later command
    // committed) must not bring an older copy back.
    if (found->second.stored.line->version() > stored.line->version()) return;
    found->second.stored = stored;
    order_.splice(order_.begin(), order_, found->second.position);
    return;
  }
  order_.push_front(stored.line->id());
  entries_.emplace(stored.line->id(), Entry{stored, order_.begin()});
  if (entries_.size() > capacity_) {
    entries_.erase(order_.back());
    order_.pop_back();
  }
}

void LineCache::forget(const std::string& line_id) {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(line_id);
  if (found == entries_.end()) return;
  order_.erase(found->second.position);
  entries_.erase(found);
}

}  // namespace zbb
