#pragma once

#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "engine/store.h"

namespace zbb {

// The most recently used lines as the engine last committed or loaded them, so a command on a
// busy line does not read and parse its stored document again. A copy may be older than the
// stored line (another server may share the database): commands are planned on it and the
// commit's version check is the final word; reads check the stored version first. Thread-safe;
// holds at most `capacity` lines.
class LineCache {
 public:
  explicit LineCache(std::size_t capacity) : capacity_(capacity) {}

  std::optional<StoredLine> find(const std::string& line_id);
  // Keeps `stored` unless a newer version of the line is kept already.
  void put(const StoredLine& stored);
  void forget(const std::string& line_id);

 private:
  using Order = std::list<std::string>;  // most recently used first
  struct Entry {
    StoredLine stored;
    Order::iterator position;
  };

  const std::size_t capacity_;
  std::mutex mutex_;
  Order order_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace zbb
