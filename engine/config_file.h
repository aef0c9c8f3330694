#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/status.h"

namespace zbb {

// Reads a small configuration file (a policy, a token file) whole. INVALID_ARGUMENT naming the
// path for a missing, unreadable or oversized file, e.g.
// "tokens.json: cannot read token file: No such file or directory".
// `kind` names the file for people: "policy file", "token file".
Result<std::string> read_config_file(const std::string& path, std::string_view kind,
                                     std::uintmax_t max_bytes = 1 << 20);

}  // namespace zbb
