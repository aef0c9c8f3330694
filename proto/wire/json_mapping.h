#pragma once

#include <google/protobuf/message.h>

#include <string>

namespace zbb::wire {

// A message in protobuf's JSON mapping as zbb prints it, in zbbctl --json and zbbd's JSON calls
// alike: the .proto's field names ("line_id", not "lineId"), every scalar and repeated field
// present even when empty, on one line.
std::string to_json(const google::protobuf::Message& message);

}  // namespace zbb::wire
