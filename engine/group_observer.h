#pragma once

#include <chrono>
#include <cstddef>

namespace zbb {

// Told of each group the group commit writes, e.g. for metrics: how many batches it held and
// how long the store took to write it and make it durable (the transaction and its sync). Called
// on the group commit's writer thread, which every command waits on: quick, and never throws.
class GroupObserver {
 public:
  virtual ~GroupObserver() = default;
  virtual void group_written(std::size_t batches, std::chrono::nanoseconds took) noexcept = 0;
};

}  // namespace zbb
