#include "adapters/cli/zbbctl_json.h"

#include <google/protobuf/util/json_util.h>

namespace zbb::cli {

Status from_json(std::string_view json, google::protobuf::Message* message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), message, options);
  if (status.ok()) return Status::Ok();
  return {Code::kInvalidArgument, "not a " + message->GetDescriptor()->full_name() +
                                      " in JSON: " + std::string(status.message())};
}

}  // namespace zbb::cli
