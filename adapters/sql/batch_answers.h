#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "engine/commit_log.h"
#include "engine/status.h"

// The answers a store gives a batch of a group commit it did not write, in the same words
// whichever way the group was written.
namespace zbb::sql {

inline BatchAnswer failed(Status status) { return {BatchVerdict::kFailed, 0, std::move(status)}; }

inline BatchAnswer refusal(BatchVerdict verdict, Status status) {
  return {verdict, 0, std::move(status)};
}

inline Status moved(const std::string& id, std::int64_t expected, long long stored) {
  return Status::Aborted("line " + id + " was changed by someone else: expected version " +
                         std::to_string(expected) + ", stored version " + std::to_string(stored));
}

inline BatchAnswer request_recorded(const std::string& request_id) {
  return refusal(BatchVerdict::kRequestRecorded,
                 Status::AlreadyExists("request " + request_id + " already recorded"));
}

inline BatchAnswer line_taken(const std::string& id) {
  return refusal(BatchVerdict::kLineTaken, Status::AlreadyExists("line " + id + " already exists"));
}

inline BatchAnswer line_missing(const std::string& id) {
  return refusal(BatchVerdict::kLineMissing, Status::NotFound("line " + id + " not found"));
}

}  // namespace zbb::sql
