#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace zbb::api {

// Who is calling, as the token file says: a name (the engine's actor) and roles.
// Roles: "unit:<department>" (creates and submits its own department's lines), "reviewer",
// "approver:<level>", "supervisor" (reads everything), "integrator" (finance systems).
struct Principal {
  std::string name;
  std::vector<std::string> roles;

  bool has_role(std::string_view role) const {
    for (const auto& r : roles)
      if (r == role) return true;
    return false;
  }
};

}  // namespace zbb::api
