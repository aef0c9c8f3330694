#pragma once

#include <string>

#include "adapters/cli/zbbctl_client.h"
#include "adapters/cli/zbbctl_commands.h"

namespace zbb::cli {

// zbbctl verify [LINE]: recompute the audit trail's hash chains on the server; fails (exit 1)
// naming the first event that does not match.
Outcome run_verify(Client& client, const std::string& line_id, const Output& output);

}  // namespace zbb::cli
