#include "engine/store.h"

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

}  // namespace zbb
