#pragma once

// zbbctl's --json output and its JSON inputs: protobuf's own JSON mapping, field names as the
// proto spells them ("line_id", not "lineId").

#include <string>
#include <string_view>

#include <google/protobuf/message.h>

#include "engine/status.h"
#include "wire/json_mapping.h"

namespace zbb::cli {

// One line of JSON; every field printed, zero values included, so scripts need no defaults.
using wire::to_json;

// Fills `message` from protobuf JSON; unknown fields are refused. INVALID_ARGUMENT with the
// parser's reason otherwise.
Status from_json(std::string_view json, google::protobuf::Message* message);

}  // namespace zbb::cli
