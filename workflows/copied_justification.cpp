#include "workflows/copied_justification.h"

#include <fmt/format.h>

#include <array>
#include <optional>
#include <string>

#include "workflows/text_similarity.h"

namespace zbb::review {
namespace {

// A department's lines of one year are read a page at a time.
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

// a/b against c/d, for non-negative numerators and positive denominators: <0, 0 or >0.
std::int64_t compare(const Similarity& a, const Similarity& b) {
  const std::int64_t left = a.numerator * b.denominator;
  const std::int64_t right = b.numerator * a.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}

// Compares every line of `filter` but `line` with `own`, keeping for each part the closest line
// at or above the threshold. Of equally close ones the programme's own line is named, then the
// first in id order (lines are listed in id order).
Status compare_with(const BudgetLine& line, LineLog& lines, const LineFilter& filter,
                    const std::array<TextFingerprint, 2>& own, std::uint32_t threshold_percent,
                    std::array<std::optional<CopiedText>, 2>& closest,
                    std::array<Similarity, 2>& closest_similarity) {
  const std::string& programme = line.content().programme_code();
  std::string after;
  for (;;) {
    auto page = lines.list_lines(filter, after, kPage);
    if (!page.ok()) return page.status();
    for (const BudgetLine& other : *page) {
      if (other.id() == line.id()) continue;
      const auto theirs = fingerprints(other.content());
      const bool same_programme = other.content().programme_code() == programme;
      for (std::size_t part = 0; part < kParts.size(); ++part) {
        const Similarity found = similarity(own[part], theirs[part]);
        if (!found.at_least_percent(threshold_percent)) continue;
        if (closest[part]) {
          const auto order = compare(found, closest_similarity[part]);
          const bool closer = order > 0 || (order == 0 && same_programme &&
                                            closest[part]->programme_code() != programme);
          if (!closer) continue;
        }
        CopiedText copied;
        copied.set_part(kParts[part]);
        copied.set_line_id(other.id());
        copied.set_fiscal_year(other.content().fiscal_year());
        copied.set_programme_code(other.content().programme_code());
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

LineFilter department_lines_of_year_before(const LineContent& content) {
  LineFilter filter;
  filter.department = content.department();
  filter.fiscal_year = content.fiscal_year() - 1;
  return filter;
}

Result<std::vector<CopiedText>> copied_parts(const BudgetLine& line, LineLog& lines,
                                             const zbb::policy::CopiedJustification& rule) {
  std::vector<CopiedText> copied;
  if (rule.threshold_percent() == 0) return copied;
  const LineContent& content = line.content();
  const auto own = fingerprints(content);
  std::array<std::optional<CopiedText>, 2> closest;
  std::array<Similarity, 2> closest_similarity;

  ZBB_RETURN_IF_ERROR(compare_with(line, lines, department_lines_of_year_before(content), own,
                                   rule.threshold_percent(), closest, closest_similarity));
  for (auto& part : closest)
    if (part) copied.push_back(std::move(*part));
  return copied;
}

Status JustificationNotCopied(const BudgetLine& line, const zbb::policy::CopiedJustification& rule,
                              const std::vector<CopiedText>& copied) {
  if (!rule.refuse_copied() || copied.empty()) return Status::Ok();
  const CopiedText& first = copied.front();
  const std::string programme = first.programme_code() == line.content().programme_code()
                                    ? ""
                                    : " (programme " + first.programme_code() + ")";
  return Status::InvalidArgument(
      "content." + first.part(),
      fmt::format("is {}.{} % similar to that of line {}{} of {}: a request argues its need "
                  "afresh, it does not restate another line's",
                  first.similarity_permille() / 10, first.similarity_permille() % 10,
                  first.line_id(), programme, first.fiscal_year()));
}

}  // namespace zbb::review
