#pragma once

// What stops a benchmark before it can measure anything (a bad flag, a token file without the
// roles it needs, a step of the set-up that zbbd refused). main prints it and exits 2; failures
// while measuring are counted instead, never thrown.

#include <stdexcept>

namespace zbb::bench {

class BenchError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace zbb::bench
