// Normalised text similarity: what the copy rules compare.

#include <catch2/catch.hpp>

#include <string>

#include "workflows/text_similarity.h"

namespace zbb::review {
namespace {

Similarity between(const std::string& a, const std::string& b) {
  return similarity(TextFingerprint(a), TextFingerprint(b));
}

}  // namespace

TEST_CASE("the same text is wholly similar, and spacing, punctuation and case do not count",
          "[similarity]") {
  const std::string text = "全县农村公路养护里程1200公里，路况优良率须达到85%。";
  CHECK(between(text, text).permille() == 1000);
  CHECK(between(text, "全县 农村公路养护里程 1200 公里 路况优良率须达到 85 ％").permille() == 1000);
  // Full-width digits and letters are the ASCII ones (NFKC), capitals the small ones.
  CHECK(between("Road Repair 2027", "ｒｏａｄ　ｒｅｐａｉｒ　２０２７").permille() == 1000);
  CHECK(between("Café", "cafe").permille() == 1000);
}

TEST_CASE("texts with nothing in common score zero, and an empty text resembles nothing",
          "[similarity]") {
  CHECK(between("道路养护", "校舍维修").permille() == 0);
  CHECK(between("", "道路养护").permille() == 0);
  CHECK(between("，。！", "").permille() == 0);
  CHECK_FALSE(between("", "道路养护").at_least_percent(1));
  CHECK(TextFingerprint("，。 ！").empty());
}

TEST_CASE("similarity is Dice's coefficient over character bigrams, counted with multiplicity",
          "[similarity]") {
  // 道路养护 → 道路 路养 养护; 道路维护 → 道路 路维 维护: one bigram of three shared.
  const auto one_of_three = between("道路养护", "道路维护");
  CHECK(one_of_three.numerator == 2);
  CHECK(one_of_three.denominator == 6);
  CHECK(one_of_three.permille() == 333);
  // A repeated bigram is shared only as often as both texts hold it.
  const auto repeated = between("aaaa", "aa");  // {aa, aa, aa} and {aa}
  CHECK(repeated.numerator == 2);
  CHECK(repeated.denominator == 4);
  // A single character is its own token.
  CHECK(between("路", "路").permille() == 1000);
  CHECK(between("路", "道").permille() == 0);
}

TEST_CASE("a threshold is judged exactly, without rounding", "[similarity]") {
  // 9 of 10 bigrams shared on each side: exactly 90 %.
  const Similarity ninety{18, 20};
  CHECK(ninety.at_least_percent(90));
  CHECK_FALSE(ninety.at_least_percent(91));
  const Similarity just_under{1799, 2000};  // 89.95 %
  CHECK_FALSE(just_under.at_least_percent(90));
  CHECK(just_under.permille() == 899);
  CHECK(Similarity{1, 1}.at_least_percent(100));

  // Eleven characters make ten bigrams; changing the last one leaves nine shared: 90 %.
  const auto last_changed = between("abcdefghijk", "abcdefghijz");
  CHECK(last_changed.numerator == 18);
  CHECK(last_changed.denominator == 20);
  CHECK(last_changed.at_least_percent(90));
  CHECK_FALSE(last_changed.at_least_percent(91));
}

TEST_CASE("fields stay apart: the digits of one do not run into the next", "[similarity]") {
  const TextFingerprint ten_at_350({"水泥", "10", "350"});
  const TextFingerprint hundred_and_three_at_50({"水泥", "103", "50"});
  CHECK(similarity(ten_at_350, hundred_and_three_at_50).permille() < 1000);
  CHECK(similarity(ten_at_350, TextFingerprint({"水泥", "10", "350"})).permille() == 1000);
  // Within a field, normalisation applies as to any text.
  CHECK(similarity(ten_at_350, TextFingerprint({"水 泥", "１０", "350"})).permille() == 1000);
}

}  // namespace zbb::review
