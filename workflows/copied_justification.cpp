#include "workflows/copied_justification.h"

#include <fmt/format.h>

#include <array>
#include <optional>
#include <string>

#include "workflows/result_use.h"
#include "workflows/text_similarity.h"

namespace zbb::review {
namespace {

// The lines of one programme in one year are few; they are still read a page at a time.
constexpr std::size_t kPage = 100;

// The parts compared, named as LineContent's fields.
constexpr std::array<const char*, 2> kParts = {"necessity_statement", "cost_items"};

// The cost breakdown as fields: what each item buys, how many and at what price, item after item.
std::vector<std::string> cost_breakdown(const LineContent& content) {
  std::vector<std::string> fields;
  for (const CostItem& item : content.cost_items()) {
    fields.push_back(item.name());
    fields.push_back(std::to_string(item.quantity()));
    fields.push_back(std::to_string(item.unit_price()));
  }
  return fields;
}

std::array<TextFingerprint, 2> fingerprints(const LineContent& content) {
  return {TextFingerprint(content.necessity_statement()), TextFingerprint(cost_breakdown(content))};
}

// a/b > c/d, for non-negative numerators and positive denominators.
bool more_similar(const Similarity& a, const Similarity& b) {
  return a.numerator * b.denominator > b.numerator * a.denominator;
}

// Compares every line of `filter` with `own`, keeping for each part the closest line at or
// above the threshold (of equally close ones, the first in id order).
Status compare_with(LineLog& lines, const LineFilter& filter,
                    const std::array<TextFingerprint, 2>& own, std::uint32_t threshold_percent,
                    std::array<std::optional<CopiedText>, 2>& closest,
                    std::array<Similarity, 2>& closest_similarity) {
  std::string after;
  for (;;) {
    auto page = lines.list_lines(filter, after, kPage);
    if (!page.ok()) return page.status();
    for (const BudgetLine& other : *page) {
      const auto theirs = fingerprints(other.content());
      for (std::size_t part = 0; part < kParts.size(); ++part) {
        const Similarity found = similarity(own[part], theirs[part]);
        if (!found.at_least_percent(threshold_percent)) continue;
        if (closest[part] && !more_similar(found, closest_similarity[part])) continue;
        CopiedText copied;
        copied.set_part(kParts[part]);
        copied.set_line_id(other.id());
        copied.set_fiscal_year(other.content().fiscal_year());
        copied.set_similarity_permille(found.permille());
        closest[part] = std::move(copied);
        closest_similarity[part] = found;
      }
    }
    if (page->size() < kPage) return Status::Ok();
    after = page->back().id();
  }
}

}  // namespace

Result<std::vector<CopiedText>> copied_parts(const BudgetLine& line, LineLog& lines,
                                             const zbb::policy::CopiedJustification& rule) {
  std::vector<CopiedText> copied;
  if (rule.threshold_percent() == 0) return copied;
  const LineContent& content = line.content();
  const auto own = fingerprints(content);
  std::array<std::optional<CopiedText>, 2> closest;
  std::array<Similarity, 2> closest_similarity;

  ZBB_RETURN_IF_ERROR(compare_with(lines, programme_lines_of_year_before(content), own,
                                   rule.threshold_percent(), closest, closest_similarity));
  for (auto& part : closest)
    if (part) copied.push_back(std::move(*part));
  return copied;
}

Status JustificationNotCopied(const zbb::policy::CopiedJustification& rule,
                              const std::vector<CopiedText>& copied) {
  if (!rule.refuse_copied() || copied.empty()) return Status::Ok();
  const CopiedText& first = copied.front();
  return Status::InvalidArgument(
      "content." + first.part(),
      fmt::format("is {}.{} % similar to that of line {} of {}: a request argues its need afresh, "
                  "it does not restate another line's",
                  first.similarity_permille() / 10, first.similarity_permille() % 10,
                  first.line_id(), first.fiscal_year()));
}

}  // namespace zbb::review
