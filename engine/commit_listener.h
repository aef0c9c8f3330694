#pragma once

#include <cstdint>

namespace zbb {

// Told after each successful commit, e.g. to wake subscribers that follow the event log.
// Called on the thread that answers the commit (the group commit's answering thread, or an
// engine worker): implementations must be quick and must not throw.
class CommitListener {
 public:
  virtual ~CommitListener() = default;
  virtual void committed(std::int64_t last_sequence) noexcept = 0;
};

}  // namespace zbb
