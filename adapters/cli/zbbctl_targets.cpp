#include "adapters/cli/zbbctl_targets.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <map>

#include "adapters/cli/zbbctl_format.h"
#include "adapters/cli/zbbctl_json.h"

namespace zbb::cli {
namespace {

namespace v1 = zbb::v1;

// "养护里程=60" → {"养护里程", 60}; a usage failure for anything else.
Outcome parse_target(const std::string& text, std::map<std::string, double>& targets) {
  const auto at = text.rfind('=');
  if (at == std::string::npos || at == 0 || at + 1 == text.size())
    return Failure::usage(fmt::format("--target {}: write NAME=VALUE", text));
  const std::string name = text.substr(0, at);
  const std::string value = text.substr(at + 1);
  // Plain decimal notation, whatever the locale: from_chars, as every number zbbctl reads.
  double target = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), target);
  if (error != std::errc() || end != value.data() + value.size() || !std::isfinite(target) ||
      target < 0)
    return Failure::usage(
        fmt::format("--target {}: {} is not a target (a number ≥ 0)", text, value));
  if (!targets.emplace(name, target).second)
    return Failure::usage(fmt::format("--target {}: {} is named twice", text, name));
  return std::nullopt;
}

}  // namespace

Outcome run_restate(Client& client, const RestateOptions& options, const Output& output) {
  std::map<std::string, double> targets;
  for (const auto& text : options.targets)
    if (auto failure = parse_target(text, targets)) return failure;

  v1::GetLineResponse read;
  if (auto failure = client.get_line(options.line_id, &read)) return failure;

  // The indicators the restatement is due for — the request's and its issued packages', in their
  // order — the named targets replaced.
  v1::PushEventRequest request;
  request.set_request_id(options.request_id.empty() ? fresh_request_id() : options.request_id);
  request.set_line_id(options.line_id);
  auto* restate = request.mutable_event()->mutable_restate_targets();
  restate->set_comment(options.comment);
  const auto restated = [&](v1::Indicator indicator, v1::Indicator* into) -> Outcome {
    indicator.clear_actual();
    if (auto named = targets.find(indicator.name()); named != targets.end()) {
      if (indicator.qualitative())
        return Failure::usage(
            fmt::format("--target {}: a qualitative indicator has no target", indicator.name()));
      indicator.set_target(named->second);
      targets.erase(named);
    }
    *into = std::move(indicator);
    return std::nullopt;
  };
  const v1::RestatedTargets& due = read.line().restated_targets();
  for (const v1::Indicator& indicator : due.requested())
    if (auto failure = restated(indicator, restate->add_indicators())) return failure;
  for (const v1::PackageTargets& requested : due.requested_packages()) {
    v1::PackageTargets& package = *restate->add_packages();
    package.set_level(requested.level());
    for (const v1::Indicator& indicator : requested.indicators())
      if (auto failure = restated(indicator, package.add_indicators())) return failure;
  }
  // Out of that state the server's refusal says why; in it, a name not due is a typing error.
  if (!targets.empty() && read.line().state() == "approval.restating_targets")
    return Failure::usage(fmt::format("--target {}: line {} restates no such indicator",
                                      targets.begin()->first, options.line_id));
  v1::CommandResponse response;
  if (auto failure = client.unary([&](grpc::ClientContext* context) {
        return client.workflow().PushEvent(context, request, &response);
      }))
    return failure;
  output.out << (output.json ? to_json(response) : command_result_line(response)) << '\n';
  return std::nullopt;
}

}  // namespace zbb::cli
