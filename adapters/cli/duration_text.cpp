#include "adapters/cli/duration_text.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cstdint>

namespace zbb::cli {
namespace {

using std::chrono::seconds;

struct Unit {
  char letter;
  std::int64_t seconds;
};
// Largest first: the order a span is written in.
constexpr std::array<Unit, 4> kUnits = {{{'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}}};
constexpr std::int64_t kMaxSeconds = std::int64_t{3660} * 86400;  // ten years of 366 days

Status refused(std::string_view text, const std::string& reason) {
  return {Code::kInvalidArgument,
          fmt::format("\"{}\": {} (e.g. 20d, 36h, 90m, 1d12h)", text, reason)};
}

}  // namespace

Result<seconds> parse_span(std::string_view text) {
  if (text.empty()) return refused(text, "is empty");
  std::int64_t total = 0;
  std::size_t next_unit = 0;  // units must come largest first, each once
  std::size_t at = 0;
  while (at < text.size()) {
    std::int64_t number = 0;
    const char* begin = text.data() + at;
    const char* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(begin, end, number);
    if (stop == begin || *begin == '-' || *begin == '+')
      return refused(text, "must be whole numbers, each followed by d, h, m or s");
    if (error == std::errc::result_out_of_range || number > kMaxSeconds)
      return refused(text, "is longer than ten years");
    at = static_cast<std::size_t>(stop - text.data());
    if (at == text.size())
      return refused(text, fmt::format("{} needs a unit: d, h, m or s", number));
    const char letter = text[at++];
    std::size_t unit = 0;
    while (unit < kUnits.size() && kUnits[unit].letter != letter) ++unit;
    if (unit == kUnits.size())
      return refused(text, fmt::format("unknown unit \"{}\": use d, h, m or s", letter));
    if (unit < next_unit) return refused(text, "units go from days down to seconds, each once");
    next_unit = unit + 1;
    total += number * kUnits[unit].seconds;  // both bounded: no overflow
    if (total > kMaxSeconds) return refused(text, "is longer than ten years");
  }
  return seconds(total);
}

std::string format_span(std::chrono::milliseconds span) {
  if (span < std::chrono::milliseconds::zero()) return "-" + format_span(-span);
  const std::int64_t total = std::chrono::duration_cast<seconds>(span).count();
  const std::int64_t days = total / 86400;
  const std::int64_t hours = total % 86400 / 3600;
  const std::int64_t minutes = total % 3600 / 60;
  if (days > 0) return fmt::format("{}d {}h", days, hours);
  if (hours > 0) return fmt::format("{}h {}m", hours, minutes);
  if (minutes > 0) return fmt::format("{}m", minutes);
  return fmt::format("{}s", total);
}

}  // namespace zbb::cli
