#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/store.h"

namespace zbb::sql {

// A batch with the work that needs no database done on the committing thread: one writer
// thread commits for every client, so whatever it does per batch bounds the whole server.
struct PreparedCommit {
  const CommitBatch* batch = nullptr;
  std::vector<std::string> documents;      // each line's document (protobuf), as batch->lines
  std::vector<bool> same_indexed_columns;  // per line: the update may leave every index alone
  // Shared by the batches of one commit_each() call: set once one of them failed, after which
  // the later ones are refused unwritten (they may rest on what the failed one would have
  // written). Read and set on the writer thread only. Null for the batches of
  // SqliteStore::commit_group, which stand each on its own.
  std::shared_ptr<bool> call_failed;
};

PreparedCommit prepare_commit(const CommitBatch& batch);

}  // namespace zbb::sql
