#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace zbb {

// Who sends a command: a name (the actor the events record, whom segregation of duties judges)
// and the roles the workflow's rules grant actions to. Clients' principals come from the token
// file: "unit:<department>", "reviewer", "approver:<level>", "supervisor", "integrator",
// "expert", "evaluator".
struct Principal {
  std::string name;
  std::vector<std::string> roles;

  bool has_role(std::string_view role) const {
    for (const auto& r : roles)
      if (r == role) return true;
    return false;
  }

  // zbb itself, for what it records on its own clock (escalations, scheduled rounds): the role
  // "zbb", which no token file may grant (adapters/grpc/token_authenticator.cpp).
  static Principal zbb() { return {"zbbd", {std::string(kZbbRole)}}; }
  static constexpr std::string_view kZbbRole = "zbb";
};

}  // namespace zbb
