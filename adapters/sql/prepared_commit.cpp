#include "adapters/sql/prepared_commit.h"

#include <optional>

#include "engine/proto_codec.h"

namespace zbb::sql {
namespace {

// Whether every column an index or trigger of `lines` keys on is the same in both lines (see
// schema.cpp; category and the amounts are not keys, the amounts only feed the totals).
bool same_indexed_columns(const BudgetLine& a, const BudgetLine& b) {
  const auto warning = [](const BudgetLine& l) {
    return l.monitoring ? std::optional<WarningLevel>(l.monitoring->level) : std::nullopt;
  };
  return a.id == b.id && a.content.fiscal_year == b.content.fiscal_year &&
         a.content.department == b.content.department &&
         a.content.programme_code == b.content.programme_code && a.state == b.state &&
         a.waiting_on == b.waiting_on && a.state_entered_at == b.state_entered_at &&
         a.due_at == b.due_at && a.sla_breached == b.sla_breached && warning(a) == warning(b);
}

}  // namespace

PreparedCommit prepare_commit(const CommitBatch& batch) {
  PreparedCommit prepared;
  prepared.batch = &batch;
  prepared.documents.reserve(batch.lines.size());
  prepared.same_indexed_columns.reserve(batch.lines.size());
  for (const LineWrite& write : batch.lines) {
    prepared.documents.push_back(line_document(write.line));
    // The line the change started from is only known to be the stored one when the versions
    // agree; the update checks the version again.
    prepared.same_indexed_columns.push_back(write.previous != nullptr &&
                                            write.previous->version == write.previous_version &&
                                            same_indexed_columns(*write.previous, write.line));
  }
  return prepared;
}

}  // namespace zbb::sql
