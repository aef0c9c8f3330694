#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace zbb {

// Money is a whole number of fen (0.01 yuan). Never a floating type.
using Fen = std::int64_t;

// Overflow-checked arithmetic: nullopt instead of undefined behaviour.
inline std::optional<Fen> checked_add(Fen a, Fen b) {
  Fen sum;
  if (__builtin_add_overflow(a, b, &sum)) return std::nullopt;
  return sum;
}

inline std::optional<Fen> checked_mul(std::int64_t a, Fen b) {
  Fen product;
  if (__builtin_mul_overflow(a, b, &product)) return std::nullopt;
  return product;
}

// Wide enough for the product of two amounts; a GCC extension, hence the marker.
__extension__ using WideFen = __int128;

// part / whole in basis points (1/100 of a percent), rounded toward zero; 0 when whole is 0.
inline std::int64_t basis_points(Fen part, Fen whole) {
  if (whole == 0) return 0;
  return static_cast<std::int64_t>(static_cast<WideFen>(part) * 10000 / whole);
}

// "1,234.56" yuan, for people.
std::string format_yuan(Fen amount);

}  // namespace zbb
