#pragma once

#include <string>
#include <vector>

#include "engine/store.h"

namespace zbb::sql {

// A batch with the work that needs no database done on the committing thread: one writer
// thread commits for every client, so whatever it does per batch bounds the whole server.
struct PreparedCommit {
  const CommitBatch* batch = nullptr;
  std::vector<std::string> documents;      // each line's JSON document, as batch->lines
  std::vector<bool> same_indexed_columns;  // per line: the update may leave every index alone
};

PreparedCommit prepare_commit(const CommitBatch& batch);

}  // namespace zbb::sql
