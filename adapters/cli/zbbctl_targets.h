#pragma once

// zbbctl restate: a unit restates the indicator targets of a line approved below its request,
// for the money approved (README: targets follow the money).

#include <string>
#include <vector>

#include "adapters/cli/zbbctl_commands.h"

namespace zbb::cli {

struct RestateOptions {
  std::string line_id;
  // "NAME=VALUE": the new target of the quantitative indicator NAME; the others keep the
  // request's.
  std::vector<std::string> targets;
  std::string comment;
  std::string request_id;
};
Outcome run_restate(Client& client, const RestateOptions& options, const Output& output);

}  // namespace zbb::cli
