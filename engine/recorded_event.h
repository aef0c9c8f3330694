#pragma once

#include <cstdint>
#include <string>

#include "engine/clock.h"

namespace zbb {

// How an event's payload is written: protobuf binary (a zbb.v1.EventPayload), or the JSON text
// of events recorded before schema version 8, kept as they were hashed.
enum class PayloadEncoding { kProtobuf, kJson };

// One row of the append-only event log. `hash` chains to the previous event of the same line
// (`prev_hash`, empty for the first), so any edit of history is detectable.
struct RecordedEvent {
  std::int64_t sequence = 0;  // global, assigned by the store on commit
  std::string line_id;
  std::int64_t line_sequence = 0;  // 1, 2, 3… per line; the line's version after this event
  std::string type;
  std::string from_state;
  std::string to_state;
  std::string payload;  // the event's data and what it decided, as stored and hashed
  PayloadEncoding payload_encoding = PayloadEncoding::kProtobuf;
  std::string actor;
  Timestamp at;
  std::string request_id;
  std::string prev_hash;
  std::string hash;

  bool operator==(const RecordedEvent&) const = default;
};

// SHA-256 (hex) over every field but `sequence` and `hash`, each length-prefixed; the encoding
// is named only for protobuf, so that the hashes of JSON events stay what they were.
std::string compute_event_hash(const RecordedEvent& event);

// SHA-256 of arbitrary bytes, lower-case hex.
std::string sha256_hex(std::string_view bytes);

}  // namespace zbb
