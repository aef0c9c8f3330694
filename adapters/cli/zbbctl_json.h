#pragma once

// zbbctl's --json output and its JSON inputs: protobuf's own JSON mapping, field names as the
// proto spells them ("line_id", not "lineId").

#include <string>
#include <string_view>

#include <google/protobuf/message.h>

#include "engine/status.h"

namespace zbb::cli {

// One line of JSON; every field printed, zero values included, so scripts need no defaults.
std::string to_json(const google::protobuf::Message& message);

// Fills `message` from protobuf JSON; unknown fields are refused. INVALID_ARGUMENT with the
// parser's reason otherwise.
Status from_json(std::string_view json, google::protobuf::Message* message);

}  // namespace zbb::cli
