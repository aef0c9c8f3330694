#include "bench/load/bench_principals.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "bench/load/bench_error.h"

namespace zbb::bench {
namespace {

constexpr std::string_view kUnitPrefix = "unit:";
constexpr std::string_view kApproverPrefix = "approver:";

struct Candidate {
  BenchPrincipal principal;
  std::vector<std::string> roles;
};

std::vector<Candidate> read_candidates(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw BenchError(fmt::format("token file {}: cannot open", path));
  nlohmann::json document;
  try {
    in >> document;
  } catch (const nlohmann::json::exception& error) {
    throw BenchError(fmt::format("token file {}: {}", path, error.what()));
  }
  std::vector<Candidate> candidates;
  for (const auto& entry : document.value("principals", nlohmann::json::array())) {
    if (!entry.contains("token") || !entry.contains("name")) continue;
    Candidate c{{entry["name"].get<std::string>(), entry["token"].get<std::string>()}, {}};
    for (const auto& role : entry.value("roles", nlohmann::json::array()))
      c.roles.push_back(role.get<std::string>());
    candidates.push_back(std::move(c));
  }
  return candidates;
}

std::optional<BenchPrincipal> holder_of(const std::vector<Candidate>& candidates,
                                        std::string_view role) {
  for (const auto& c : candidates)
    for (const auto& r : c.roles)
      if (r == role) return c.principal;
  return std::nullopt;
}

}  // namespace

BenchPrincipals load_principals(const std::string& path) {
  const std::vector<Candidate> candidates = read_candidates(path);
  BenchPrincipals p;
  bool have_unit = false;
  for (const auto& c : candidates) {
    for (const auto& role : c.roles) {
      if (!have_unit && role.starts_with(kUnitPrefix)) {
        p.unit = c.principal;
        p.department = role.substr(kUnitPrefix.size());
        have_unit = true;
      }
      if (role.starts_with(kApproverPrefix))
        p.approvers.emplace(role.substr(kApproverPrefix.size()), c.principal);
    }
  }
  auto required = [&](std::string_view role) {
    auto found = holder_of(candidates, role);
    if (!found)
      throw BenchError(fmt::format("token file {}: no principal with role {} and a plaintext token",
                                   path, role));
    return *found;
  };
  if (!have_unit)
    throw BenchError(
        fmt::format("token file {}: no principal with a unit:<department> role", path));
  p.reviewer = required("reviewer");
  p.integrator = required("integrator");
  p.reader = holder_of(candidates, "supervisor").value_or(p.reviewer);
  for (const auto& [level, approver] : p.approvers)
    if (approver.name == p.unit.name)
      throw BenchError(fmt::format(
          "token file {}: {} is both the unit and an approver; segregation of duties would refuse "
          "its decisions",
          path, approver.name));
  return p;
}

}  // namespace zbb::bench
