#pragma once

// Who the load generator acts as: the principals of a zbbd token file (plaintext tokens),
// chosen by the role each step of the lifecycle needs.

#include <map>
#include <string>
#include <vector>

namespace zbb::bench {

struct BenchPrincipal {
  std::string name;
  std::string token;
};

// One principal per role the workflow needs, so segregation of duties holds: the unit that
// creates and submits never reviews, funds, decides or closes; each approval level has its
// own approver.
struct BenchPrincipals {
  BenchPrincipal unit;
  std::string department;  // the unit's department: every bench line belongs to it
  BenchPrincipal reviewer;
  BenchPrincipal integrator;
  std::map<std::string, BenchPrincipal> approvers;  // by level, e.g. "budget_section"
  BenchPrincipal reader;  // anyone who may read every line (supervisor, else the reviewer)
};

// Reads a token file in zbbd's format ({"principals": [{"name", "roles", "token"}]}) and picks
// the first principal holding each role; only principals with a plaintext "token" count.
// Throws BenchError naming what is missing.
BenchPrincipals load_principals(const std::string& path);

}  // namespace zbb::bench
