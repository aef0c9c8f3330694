#include "bench/load/scenario_result.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace zbb::bench {

std::string describe(const ScenarioResult& r) {
  std::string text = fmt::format("== {} — {}, {} client{}\n", r.scenario, r.target, r.clients,
                                 r.clients == 1 ? "" : "s");
  if (!r.unit.empty()) {
    text += fmt::format("  measured        {:.2f} s\n", r.seconds);
    text += fmt::format("  throughput      {:.0f} {}/s", r.units_per_second, r.unit);
    if (r.unit != "calls") text += fmt::format("  ({:.1f} calls/s)", r.calls_per_second);
    text += fmt::format("  ({} {} in {} calls)\n", r.units, r.unit, r.calls);
  }
  if (r.calls > 0)
    text += fmt::format(
        "  latency         p50 {:.3f} ms  p99 {:.3f} ms  p99.9 {:.3f} ms  max {:.3f} ms\n",
        r.latency.p50_ms, r.latency.p99_ms, r.latency.p999_ms, r.latency.max_ms);
  text += fmt::format("  failures        {}\n", r.failures.summary());
  if (!r.failures.first.empty()) text += fmt::format("  first failure   {}\n", r.failures.first);
  for (const auto& [name, value] : r.figures) text += fmt::format("  {:<15} {}\n", name, value);
  for (const auto& note : r.notes) text += fmt::format("  {}\n", note);
  return text;
}

std::string json_line(const ScenarioResult& r) {
  nlohmann::json j;
  j["scenario"] = r.scenario;
  j["target"] = r.target;
  j["clients"] = r.clients;
  if (!r.unit.empty()) {  // a throughput scenario
    j["seconds"] = r.seconds;
    j["calls"] = r.calls;
    j["calls_per_s"] = r.calls_per_second;
    j["unit"] = r.unit;
    j["units"] = r.units;
    j["units_per_s"] = r.units_per_second;
  }
  j["p50_ms"] = r.latency.p50_ms;
  j["p99_ms"] = r.latency.p99_ms;
  j["p999_ms"] = r.latency.p999_ms;
  j["max_ms"] = r.latency.max_ms;
  j["failures"] = r.failures.total();
  if (!r.failures.first.empty()) j["first_failure"] = r.failures.first;
  for (const auto& [name, value] : r.figures) j[name] = value;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace zbb::bench
