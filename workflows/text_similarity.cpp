#include "workflows/text_similarity.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

namespace zbb::review {
namespace {

bool letter_or_digit(utf8proc_int32_t code_point) {
  switch (utf8proc_category(code_point)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

// The letters and digits of `utf8` once normalised. Text that is not UTF-8 (protobuf refuses
// it in a message, so only a caller's own bytes), or that utf8proc has no memory to map, is
// taken a byte at a time.
std::vector<utf8proc_int32_t> normalised_characters(std::string_view utf8) {
  std::vector<utf8proc_int32_t> characters;
  utf8proc_uint8_t* mapped = nullptr;
  const auto length = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(utf8.data()),
      static_cast<utf8proc_ssize_t>(utf8.size()), &mapped,
      static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
                                     UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK));
  const std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(mapped, &std::free);
  if (length < 0) {
    for (const char byte : utf8) characters.push_back(static_cast<unsigned char>(byte));
    return characters;
  }
  for (utf8proc_ssize_t at = 0; at < length;) {
    utf8proc_int32_t code_point = 0;
    const auto read = utf8proc_iterate(mapped + at, length - at, &code_point);
    if (read <= 0) break;  // utf8proc_map wrote valid UTF-8: not reached
    at += read;
    if (letter_or_digit(code_point)) characters.push_back(code_point);
  }
  return characters;
}

// Code points take 21 bits: two of them in one word, so bigrams never collide.
std::uint64_t pair_of(utf8proc_int32_t first, utf8proc_int32_t second) {
  return (static_cast<std::uint64_t>(first) << 21) | static_cast<std::uint64_t>(second);
}

// Between two fields: above every code point (0x10FFFF), still within 21 bits.
constexpr utf8proc_int32_t kFieldBreak = 0x110000;

std::vector<std::uint64_t> bigrams_of(const std::vector<utf8proc_int32_t>& characters) {
  std::vector<std::uint64_t> bigrams;
  if (characters.size() == 1) bigrams.push_back(pair_of(characters[0], 0));
  for (std::size_t i = 1; i < characters.size(); ++i)
    bigrams.push_back(pair_of(characters[i - 1], characters[i]));
  std::sort(bigrams.begin(), bigrams.end());
  return bigrams;
}

}  // namespace

TextFingerprint::TextFingerprint(std::string_view utf8)
    : bigrams_(bigrams_of(normalised_characters(utf8))) {}

TextFingerprint::TextFingerprint(const std::vector<std::string>& fields) {
  std::vector<utf8proc_int32_t> characters;
  for (const std::string& field : fields) {
    if (!characters.empty()) characters.push_back(kFieldBreak);
    const auto normalised = normalised_characters(field);
    characters.insert(characters.end(), normalised.begin(), normalised.end());
  }
  bigrams_ = bigrams_of(characters);
}

std::size_t TextFingerprint::common_with(const TextFingerprint& other) const {
  std::size_t common = 0;
  auto a = bigrams_.begin();
  auto b = other.bigrams_.begin();
  while (a != bigrams_.end() && b != other.bigrams_.end()) {
    if (*a < *b) {
      ++a;
    } else if (*b < *a) {
      ++b;
    } else {
      ++common;
      ++a;
      ++b;
    }
  }
  return common;
}

bool Similarity::at_least_percent(std::uint32_t percent) const {
  if (denominator == 0) return percent == 0;
  return numerator * 100 >= static_cast<std::int64_t>(percent) * denominator;
}

std::int32_t Similarity::permille() const {
  if (denominator == 0) return 0;
  return static_cast<std::int32_t>(numerator * 1000 / denominator);
}

Similarity similarity(const TextFingerprint& a, const TextFingerprint& b) {
  return {2 * static_cast<std::int64_t>(a.common_with(b)),
          static_cast<std::int64_t>(a.size() + b.size())};
}

}  // namespace zbb::review
