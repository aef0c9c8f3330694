#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// How alike two texts are, for the rules that look for copies: a justification restated from
// another line, a programme proposed twice under near-identical titles.
namespace zbb::review {

// A text as the comparison sees it. Normalised first — Unicode NFKC (full-width letters and
// digits become ASCII), case folded, accents stripped, and only letters and digits kept, so
// that spacing, punctuation and symbols make no difference — then taken as the multiset of
// its bigrams, pairs of adjacent characters. A text of a single character is that character;
// one with no letter or digit is empty.
class TextFingerprint {
 public:
  explicit TextFingerprint(std::string_view utf8);
  // Fields of a record (a cost item's name, quantity and price, item after item) as one text
  // whose fields stay apart: "10" then "350" is not "103" then "50".
  explicit TextFingerprint(const std::vector<std::string>& fields);

  bool empty() const { return bigrams_.empty(); }
  std::size_t size() const { return bigrams_.size(); }

  // Shared bigrams, counted with multiplicity.
  std::size_t common_with(const TextFingerprint& other) const;

 private:
  std::vector<std::uint64_t> bigrams_;  // two code points each, sorted
};

// Dice's coefficient 2·|A ∩ B| / (|A| + |B|) as an exact fraction, so that a threshold is
// judged without rounding: 1 for the same text, 0 when nothing is shared or a side is empty.
struct Similarity {
  std::int64_t numerator = 0;    // 2·|A ∩ B|
  std::int64_t denominator = 0;  // |A| + |B|; 0 when both are empty

  bool at_least_percent(std::uint32_t percent) const;  // numerator/denominator ≥ percent/100
  std::int32_t permille() const;                       // rounded down, 0..1000
};

Similarity similarity(const TextFingerprint& a, const TextFingerprint& b);

}  // namespace zbb::review
