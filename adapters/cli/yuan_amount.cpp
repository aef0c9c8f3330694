#include "adapters/cli/yuan_amount.h"

#include <fmt/format.h>

namespace zbb::cli {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

Status refused(std::string_view text, std::string_view reason) {
  return {Code::kInvalidArgument, fmt::format("\"{}\" {}", text, reason)};
}

// Whole yuan: plain digits, or a first group of one to three digits and then groups of three,
// each after a comma.
bool well_grouped(std::string_view whole) {
  if (whole.find(',') == std::string_view::npos) return true;
  std::size_t group_start = 0;
  bool first = true;
  while (true) {
    const auto comma = whole.find(',', group_start);
    const auto length = (comma == std::string_view::npos ? whole.size() : comma) - group_start;
    if (first ? (length < 1 || length > 3) : length != 3) return false;
    if (comma == std::string_view::npos) return true;
    group_start = comma + 1;
    first = false;
  }
}

}  // namespace

Result<Fen> parse_yuan(std::string_view text) {
  if (text.empty()) return refused(text, "is not an amount in yuan");
  if (text.front() == '-') return refused(text, "is negative; amounts are in yuan, 0 or more");
  const auto point = text.find('.');
  const std::string_view whole = text.substr(0, point);
  const std::string_view decimals =
      point == std::string_view::npos ? std::string_view() : text.substr(point + 1);

  for (char c : whole)
    if (!is_digit(c) && c != ',')
      return refused(text, "is not an amount in yuan (like 1,250,000.50)");
  for (char c : decimals)
    if (!is_digit(c)) return refused(text, "is not an amount in yuan (like 1,250,000.50)");
  if (whole.empty() || (point != std::string_view::npos && decimals.empty()))
    return refused(text, "is not an amount in yuan (like 1,250,000.50)");
  if (decimals.size() > 2)
    return refused(text, "has more than two decimals; the smallest amount is 0.01 yuan (1 fen)");
  if (!well_grouped(whole))
    return refused(text, "groups its digits wrongly; write 1250000 or 1,250,000");

  Fen fen = 0;
  for (char c : whole) {
    if (c == ',') continue;
    if (__builtin_mul_overflow(fen, Fen{10}, &fen) ||
        __builtin_add_overflow(fen, Fen{c - '0'}, &fen))
      return refused(text, "is too large");
  }
  Fen cents = 0;
  for (std::size_t i = 0; i < 2; ++i)
    cents = cents * 10 + (i < decimals.size() ? decimals[i] - '0' : 0);
  if (__builtin_mul_overflow(fen, Fen{100}, &fen) || __builtin_add_overflow(fen, cents, &fen))
    return refused(text, "is too large");
  return fen;
}

}  // namespace zbb::cli
