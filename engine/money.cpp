#include "engine/money.h"

#include <fmt/format.h>

namespace zbb {

std::string format_yuan(Fen amount) {
  const bool negative = amount < 0;
  // Work in unsigned to survive INT64_MIN.
  const auto magnitude =
      negative ? static_cast<std::uint64_t>(-(amount + 1)) + 1 : static_cast<std::uint64_t>(amount);
  const std::string digits = std::to_string(magnitude / 100);
  std::string grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return fmt::format("{}{}.{:02d}", negative ? "-" : "", grouped, magnitude % 100);
}

}  // namespace zbb
