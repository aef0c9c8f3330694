#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/store.h"

namespace zbb::sql {

// The JSON text of the content of recently written lines. Content is most of a line's document
// and few commands change it (creation, revision, indicator progress): a command that leaves
// it as it was has only the rest of its document serialized. Thread-safe.
class ContentTexts {
 public:
  // The document of the line, as to_json_text(line) but reusing the content's text when the
  // line's content is the one last seen for its id.
  std::string document_of(const BudgetLine& line);

 private:
  struct Entry {
    LineContent content;
    std::shared_ptr<const std::string> text;
  };
  // A few thousand lines' contents (a few kilobytes each); forgotten all at once beyond that.
  static constexpr std::size_t kMaxEntries = 4096;

  std::mutex mutex_;
  std::unordered_map<std::string, Entry> by_line_;
};

// A batch with the work that needs no database done on the committing thread: one writer
// thread commits for every client, so whatever it does per batch bounds the whole server.
struct PreparedCommit {
  const CommitBatch* batch = nullptr;
  std::vector<std::string> documents;      // each line's JSON document, as batch->lines
  std::vector<bool> same_indexed_columns;  // per line: the update may leave every index alone
  // Shared by the batches of one commit_each() call: set once one of them failed, after which
  // the later ones are refused unwritten (they may rest on what the failed one would have
  // written). Read and set on the writer thread only. Null for the batches of
  // SqliteStore::commit_group, which stand each on its own.
  std::shared_ptr<bool> call_failed;
};

PreparedCommit prepare_commit(const CommitBatch& batch, ContentTexts& contents);

}  // namespace zbb::sql
