#include "bench/load/run_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace zbb::bench {
namespace {

struct RatioDefinition {
  const char* numerator;
  const char* denominator;
};

constexpr RatioDefinition kRatios[] = {
    {"unary", "echo-unary"},
    {"unary", "echo-process-unary"},
    {"batch", "echo-batch"},
    {"batch", "echo-process-batch"},
    {"batch", "sqlite"},
    {"batch-atomic", "echo-batch"},
    {"batch-atomic", "echo-process-batch"},
    {"batch-atomic", "sqlite"},
    {"echo-unary", "echo-process-unary"},  // how much the in-process floor loses
};

std::string ratio_name(const RatioDefinition& r) {
  return fmt::format("{} / {}", r.numerator, r.denominator);
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// scenario → figure → one value per run.
using Figures = std::map<std::string, std::map<std::string, std::vector<double>>>;

struct Runs {
  Figures figures;
  std::map<std::string, std::string> units;           // scenario → unit
  std::map<std::string, std::vector<double>> ratios;  // ratio → one value per run
  std::map<std::string, std::vector<std::string>> first_failures;
  int count = 0;
};

bool read_run(const std::string& path, Runs& runs) {
  std::ifstream in(path);
  if (!in) {
    std::cerr << "zbb-bench report: cannot open " << path << "\n";
    return false;
  }
  std::map<std::string, double> units_per_second;
  std::string text;
  while (std::getline(in, text)) {
    if (text.empty() || text.front() != '{') continue;
    const auto line = nlohmann::json::parse(text, nullptr, false);
    if (line.is_discarded() || !line.contains("scenario")) continue;
    const std::string scenario = line["scenario"].get<std::string>();
    for (const auto& [name, value] : line.items())
      if (value.is_number()) runs.figures[scenario][name].push_back(value.get<double>());
    if (line.contains("unit")) runs.units[scenario] = line["unit"].get<std::string>();
    if (line.contains("units_per_s"))
      units_per_second[scenario] = line["units_per_s"].get<double>();
    if (line.contains("first_failure"))
      runs.first_failures[scenario].push_back(line["first_failure"].get<std::string>());
  }
  for (const auto& [name, value] : ratios_of(units_per_second)) runs.ratios[name].push_back(value);
  ++runs.count;
  return true;
}

std::optional<double> median_of(const Runs& runs, const std::string& scenario,
                                const std::string& figure) {
  auto s = runs.figures.find(scenario);
  if (s == runs.figures.end()) return std::nullopt;
  auto f = s->second.find(figure);
  if (f == s->second.end() || f->second.empty()) return std::nullopt;
  return median(f->second);
}

std::optional<double> median_ratio(const Runs& runs, const std::string& name) {
  auto r = runs.ratios.find(name);
  if (r == runs.ratios.end() || r->second.empty()) return std::nullopt;
  return median(r->second);
}

std::string with_thousands(double value) {
  auto n = static_cast<long long>(value + 0.5);
  std::string digits = std::to_string(n);
  std::string text;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
    text += digits[i];
  }
  return text;
}

void print_target(const std::string& what, std::optional<double> value, bool at_least, double limit,
                  const std::string& shown) {
  if (!value) {
    fmt::print("  {:<62} not measured\n", what);
    return;
  }
  const bool met = at_least ? *value >= limit : *value <= limit;
  fmt::print("  {:<62} {:<22} {}\n", what, shown, met ? "met" : "NOT MET");
}

}  // namespace

std::map<std::string, double> ratios_of(const std::map<std::string, double>& units_per_second) {
  std::map<std::string, double> ratios;
  for (const auto& r : kRatios) {
    auto n = units_per_second.find(r.numerator);
    auto d = units_per_second.find(r.denominator);
    if (n != units_per_second.end() && d != units_per_second.end() && d->second > 0)
      ratios[ratio_name(r)] = n->second / d->second;
  }
  return ratios;
}

std::vector<std::string> ratio_lines(const std::vector<ScenarioResult>& results) {
  std::map<std::string, double> units_per_second;
  for (const auto& r : results) units_per_second[r.scenario] = r.units_per_second;
  std::vector<std::string> lines;
  for (const auto& [name, value] : ratios_of(units_per_second))
    lines.push_back(fmt::format("  {:<36} {:.3f} ({:.1f} %)", name, value, value * 100));
  return lines;
}

int print_report(const std::vector<std::string>& run_files) {
  Runs runs;
  for (const auto& path : run_files)
    if (!read_run(path, runs)) return 2;

  fmt::print("== medians over {} run{}\n", runs.count, runs.count == 1 ? "" : "s");
  fmt::print("  {:<18} {:>4}  {:>26}  {:>24}  {:>9} {:>9} {:>9}  {}\n", "scenario", "runs",
             "throughput (median)", "(min – max)", "p50 ms", "p99 ms", "p99.9 ms", "failures");
  for (const auto& [scenario, figures] : runs.figures) {
    if (!figures.contains("units_per_s")) continue;
    const auto& values = figures.at("units_per_s");
    const auto [low, high] = std::minmax_element(values.begin(), values.end());
    const std::string unit = runs.units.contains(scenario) ? runs.units.at(scenario) : "units";
    fmt::print("  {:<18} {:>4}  {:>26}  {:>24}  {:>9.3f} {:>9.3f} {:>9.3f}  {}\n", scenario,
               values.size(), fmt::format("{} {}/s", with_thousands(median(values)), unit),
               fmt::format("({} – {})", with_thousands(*low), with_thousands(*high)),
               median_of(runs, scenario, "p50_ms").value_or(0),
               median_of(runs, scenario, "p99_ms").value_or(0),
               median_of(runs, scenario, "p999_ms").value_or(0),
               with_thousands(median_of(runs, scenario, "failures").value_or(0)));
  }
  for (const auto& [scenario, failures] : runs.first_failures)
    fmt::print("  {}: first failure of a run: {}\n", scenario, failures.front());

  for (const auto& [scenario, figures] : runs.figures) {
    if (figures.contains("units_per_s")) continue;
    fmt::print("== {} (median of {}; max)\n", scenario, figures.begin()->second.size());
    for (const auto& [name, values] : figures) {
      if (name == "clients") continue;
      fmt::print("  {:<28} {:>12.1f}   {:>12.1f}\n", name, median(values),
                 *std::max_element(values.begin(), values.end()));
    }
  }

  fmt::print("== ratios to the floors measured in the same run (median of the runs' ratios)\n");
  for (const auto& [name, values] : runs.ratios) {
    const auto [low, high] = std::minmax_element(values.begin(), values.end());
    fmt::print("  {:<36} {:.3f} ({:.1f} %), runs {:.3f} – {:.3f}\n", name, median(values),
               median(values) * 100, *low, *high);
  }

  fmt::print("== targets (medians)\n");
  auto percent = [](std::optional<double> v) {
    return v ? fmt::format("{:.1f} %", *v * 100) : std::string();
  };
  auto per_second = [](std::optional<double> v, const char* unit) {
    return v ? fmt::format("{} {}/s", with_thousands(*v), unit) : std::string();
  };
  // Against the faster echo floor (DESIGN: throughput claims compare against the faster one).
  for (const char* floor : {"echo-unary", "echo-process-unary"}) {
    const auto ratio = median_ratio(runs, fmt::format("unary / {}", floor));
    print_target(fmt::format("unary PushEvent, 16 clients >= 50 % of {}", floor), ratio, true, 0.5,
                 percent(ratio));
  }
  for (const char* batch : {"batch", "batch-atomic"}) {
    const auto events = median_of(runs, batch, "units_per_s");
    print_target(fmt::format("{}: PushEvents of 1,000 >= 50,000 events/s", batch), events, true,
                 50000, per_second(events, "events"));
    const auto floor = median_ratio(runs, std::string(batch) + " / sqlite");
    print_target(fmt::format("{}: >= 25 % of the SQLite batched-insert floor", batch), floor, true,
                 0.25, percent(floor));
  }
  for (const char* lifecycle :
       {"lifecycle", "lifecycle-batch", "lifecycle-batch-atomic", "lifecycle-unary"}) {
    const auto lines = median_of(runs, lifecycle, "units_per_s");
    if (!lines && std::string_view(lifecycle) != "lifecycle") continue;  // not run
    print_target(fmt::format("{}: >= 1,000 lines created to closed per second", lifecycle), lines,
                 true, 1000, per_second(lines, "lines"));
  }
  const auto p99 = median_of(runs, "paced", "p99_ms");
  print_target("paced unary at 1,000/s: p99 <= 10 ms", p99, false, 10,
               p99 ? fmt::format("{:.2f} ms", *p99) : "");
  const auto rss = median_of(runs, "zbbd-1m", "vmhwm_mb");
  print_target("zbbd on 1,000,000 lines: peak resident memory <= 256 MB", rss, false, 256,
               rss ? fmt::format("{:.1f} MB", *rss) : "");
  const auto first = median_of(runs, "startup-1m", "first_answer_ms");
  print_target("zbbd on 1,000,000 lines: first answer <= 1 s from exec", first, false, 1000,
               first ? fmt::format("{:.0f} ms", *first) : "");
  return 0;
}

}  // namespace zbb::bench
