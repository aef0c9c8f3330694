#pragma once

#include <string>
#include <string_view>

#include "engine/status.h"

namespace zbb::sql {

// Readers of the JSON documents schema v7 (and v6) stored, for the upgrade to protobuf binary.
// The old shapes are described once, as messages in adapters/sql/legacy_v7.proto, and parsed
// by protobuf's JSON parser; each message is then mapped to its zbb.v1 / zbb.model counterpart.
// A document is refused (DATA_LOSS naming what is wrong) when it is not JSON, has a member of
// the wrong type, a member the old format did not have, a member the old reader required
// missing or null, an enum name the old format did not write, or a time outside the calendar.

// A line document as schema v7 stored it (JSON) → the same line as protobuf binary
// (zbb.v1.BudgetLine): the line document zbb keeps today, field for field, with its preparers.
Result<std::string> line_document_from_v7_json(std::string_view json_text);

// A request outcome as schema v7 stored it → zbb.model.CommandOutcome binary.
Result<std::string> command_outcome_from_v7_json(std::string_view json_text);

}  // namespace zbb::sql
