#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/principal.h"
#include "engine/recorded_event.h"
#include "engine/status.h"
#include "zbb/v1/programme.pb.h"

namespace zbb {

// The project library's entities and events, as the zbb.v1 messages (proto/zbb/v1/programme.proto).
using Programme = zbb::v1::Programme;
using ProgrammeEvent = zbb::v1::ProgrammeEvent;

// One event on one programme, sent by a client under a request id (a retry returns the first
// outcome).
struct ProgrammeCommand {
  std::string request_id;
  Principal principal;
  std::string code;
  std::optional<std::int64_t> expected_version;  // ABORTED when the programme moved on
  ProgrammeEvent event;
};

// A programme as stored, with the hash of its last event so the next event can chain to it.
struct StoredProgramme {
  std::shared_ptr<const Programme> programme;
  std::string last_hash;
};

// Which programmes a listing returns; an empty or unset criterion matches every one.
struct ProgrammeFilter {
  std::string department = {};
  zbb::v1::ProgrammeStatus status = zbb::v1::PROGRAMME_STATUS_UNSPECIFIED;
};

// What the library's rules decided: the programme after the event and the event to record,
// which the engine stamps, numbers and chains like a line's. Its payload is a
// zbb.v1.ProgrammeEventPayload, protobuf binary.
struct ProgrammeChange {
  Programme programme;  // version not yet advanced
  std::string type;     // "propose", "admit", "retire"
  std::string from_status;
  std::string to_status;
  std::string payload;
  // The revision of the department's library (ProgrammeLog::library_revision) the change was
  // decided on, when it read the department's other programmes (a proposal's titles): the
  // commit refuses it, to be decided again, if the library changed since.
  std::optional<std::int64_t> compared_revision = std::nullopt;
};

// One programme written by a commit: its events go to the programme's own chain.
struct ProgrammeWrite {
  std::shared_ptr<const Programme> programme;  // its version is the new one
  std::int64_t previous_version = 0;           // 0: a new programme
  std::string last_hash;
  std::string document;                                          // the programme, protobuf binary
  std::optional<std::int64_t> compared_revision = std::nullopt;  // ProgrammeChange's
};

// The status as events and errors name it: "candidate", "admitted", "retired".
std::string status_name(zbb::v1::ProgrammeStatus status);

// The event's field name in zbb.v1.ProgrammeEvent ("propose", "admit", "retire"); empty for none.
std::string programme_event_type(const ProgrammeEvent& event);

}  // namespace zbb
