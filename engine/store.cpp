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
    after = lines.back().id;
  }
}

Status Store::refused_after_failure(const CommitBatch& batch) {
  return Status::Aborted("request " + batch.request_id +
                         " not written: a command before it in the same call was not committed");
}

std::vector<Result<std::int64_t>> Store::commit_each(
    const std::vector<const CommitBatch*>& batches) {
  std::vector<Result<std::int64_t>> results;
  results.reserve(batches.size());
  for (const CommitBatch* batch : batches) {
    if (!results.empty() && !results.back().ok()) {
      results.push_back(refused_after_failure(*batch));
      continue;
    }
    results.push_back(commit(*batch));
  }
  return results;
}

}  // namespace zbb
