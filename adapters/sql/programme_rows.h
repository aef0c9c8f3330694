#pragma once

// The project library's rows: `programmes` (each programme's current document) and
// `programme_events` (its append-only, hash-chained log), read and written on a SOCI session
// the store holds. Programmes change seldom: plain statements, prepared on each use.

#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "engine/commit_log.h"
#include "engine/programme.h"
#include "engine/store.h"

namespace zbb::sql {

// What write_programmes() would refuse, before anything is written: a new programme whose code
// is taken (kLineTaken), one not at the version the batch was made from (kLineMoved,
// kLineMissing). nullopt: nothing to refuse.
std::optional<BatchAnswer> check_programmes(soci::session& session, const CommitBatch& batch);

// Writes the batch's programmes and their events in the open transaction. The global sequence
// of the last programme event in `last_sequence`, or the refusal.
std::optional<BatchAnswer> write_programmes(soci::session& session, const CommitBatch& batch,
                                            long long& last_sequence);

Result<std::vector<RecordedEvent>> programme_events_after(soci::session& session,
                                                          std::int64_t after, std::size_t limit);
Result<std::int64_t> library_revision(soci::session& session, const std::string& department);
Result<StoredProgramme> load_programme(soci::session& session, const std::string& code);
Result<std::vector<Programme>> list_programmes(soci::session& session,
                                               const ProgrammeFilter& filter,
                                               const std::string& after_code, std::size_t limit);
Result<std::vector<RecordedEvent>> programme_history(soci::session& session,
                                                     const std::string& code);

}  // namespace zbb::sql
