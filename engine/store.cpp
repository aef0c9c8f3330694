#include "engine/store.h"

#include <algorithm>

namespace zbb {

Result<std::vector<BudgetLine>> list_all_lines(Store& store, const LineFilter& filter) {
  constexpr std::size_t kPage = 500;
  std::vector<BudgetLine> lines;
  std::string after;
  for (;;) {
    auto page = store.list_lines(filter, after, kPage);
    if (!page.ok()) return page.status();
    for (auto& line : *page) lines.push_back(std::move(line));
    if (page->size() < kPage) return lines;
    after = lines.back().id();
  }
}

bool matches(const LineFilter& filter, const BudgetLine& line) {
  const LineContent& content = line.content();
  if (filter.fiscal_year && content.fiscal_year() != *filter.fiscal_year) return false;
  if (!filter.department.empty() && content.department() != filter.department) return false;
  if (!filter.programme_code.empty() && content.programme_code() != filter.programme_code)
    return false;
  if (!filter.state.empty() && line.state() != filter.state) return false;
  if (filter.category && content.category() != *filter.category) return false;
  if (!filter.waiting_on.empty() && std::find(filter.waiting_on.begin(), filter.waiting_on.end(),
                                              line.waiting_on()) == filter.waiting_on.end())
    return false;
  return true;
}

}  // namespace zbb
