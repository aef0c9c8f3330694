#include "workflows/issued_indicators.h"

#include <fmt/format.h>

#include <algorithm>

#include "engine/wire_enums.h"

namespace zbb::review {
namespace {

bool among(const std::vector<IncrementLevel>& levels, IncrementLevel level) {
  return std::find(levels.begin(), levels.end(), level) != levels.end();
}

// Where an indicator is in the content: the line's own (package −1) or a package's.
struct Place {
  int package = -1;  // index into content.increments
  int index = 0;     // into that package's (or the line's) indicators
};

// The quantitative indicator `name` among those issued with `line`.
Result<Place> locate(const BudgetLine& line, const std::string& name, const std::string& field) {
  const auto usable = [&](const Indicator& indicator, Place place) -> Result<Place> {
    if (indicator.qualitative())
      return Status::InvalidArgument(field,
                                     fmt::format("indicator {} is qualitative", quote_cut(name)));
    return place;
  };
  const LineContent& content = line.content();
  for (int i = 0; i < content.indicators_size(); ++i)
    if (content.indicators(i).name() == name) return usable(content.indicators(i), {-1, i});
  const auto levels = issued_levels(line);
  for (int p = 0; p < content.increments_size(); ++p) {
    const Increment& increment = content.increments(p);
    for (int i = 0; i < increment.indicators_size(); ++i) {
      if (increment.indicators(i).name() != name) continue;
      if (!among(levels, increment.level()))
        return Status::InvalidArgument(
            field, fmt::format("indicator {} is the {} package's, which was not funded in the "
                               "budget issued: its targets were not issued",
                               quote_cut(name), to_string(increment.level())));
      return usable(increment.indicators(i), {p, i});
    }
  }
  return Status::InvalidArgument(field,
                                 fmt::format("the line has no indicator {}", quote_cut(name)));
}

}  // namespace

std::vector<IncrementLevel> funded_levels(const BudgetLine& line) {
  std::vector<IncrementLevel> levels;
  const auto& increments = line.content().increments();
  if (increments.empty()) return levels;
  if (line.has_placement()) {
    for (int level : line.placement().funded_levels())
      levels.push_back(static_cast<IncrementLevel>(level));
    return levels;
  }
  if (line.funded_amount() <= 0) return levels;
  // The line runs on its minimum package whatever it was funded; each next package is funded
  // when the money covers it with those below it.
  Fen covered = 0;
  for (const Increment& increment : increments) {
    covered += increment.amount();  // no overflow: the packages add up to the request
    if (!levels.empty() && covered > line.funded_amount()) break;
    levels.push_back(increment.level());
  }
  return levels;
}

std::vector<IncrementLevel> levels_covered(const BudgetLine& line, Fen approved) {
  std::vector<IncrementLevel> covered;
  Fen cumulative = 0;
  for (IncrementLevel level : funded_levels(line)) {
    for (const Increment& increment : line.content().increments())
      if (increment.level() == level) cumulative += increment.amount();
    if (!covered.empty() && cumulative > approved) break;
    covered.push_back(level);
  }
  return covered;
}

std::vector<IncrementLevel> issued_levels(const BudgetLine& line) {
  if (line.issued_levels().empty()) return funded_levels(line);
  std::vector<IncrementLevel> levels;
  for (int level : line.issued_levels()) levels.push_back(static_cast<IncrementLevel>(level));
  return levels;
}

std::vector<PackageTargets> issued_package_targets(const BudgetLine& line) {
  std::vector<PackageTargets> packages;
  const auto levels = issued_levels(line);
  for (const Increment& increment : line.content().increments()) {
    if (increment.indicators().empty() || !among(levels, increment.level())) continue;
    PackageTargets& package = packages.emplace_back();
    package.set_level(increment.level());
    *package.mutable_indicators() = increment.indicators();
  }
  return packages;
}

std::vector<const Indicator*> issued_indicators(const BudgetLine& line) {
  std::vector<const Indicator*> issued;
  for (const Indicator& indicator : line.content().indicators()) issued.push_back(&indicator);
  const auto levels = issued_levels(line);
  for (const Increment& increment : line.content().increments()) {
    if (!among(levels, increment.level())) continue;
    for (const Indicator& indicator : increment.indicators()) issued.push_back(&indicator);
  }
  return issued;
}

Result<Indicator*> find_issued_indicator(BudgetLine& line, const std::string& name,
                                         const std::string& field) {
  auto place = locate(line, name, field);
  if (!place.ok()) return place.status();
  LineContent& content = *line.mutable_content();
  if (place->package < 0) return content.mutable_indicators(place->index);
  return content.mutable_increments(place->package)->mutable_indicators(place->index);
}

Result<const Indicator*> find_issued_indicator(const BudgetLine& line, const std::string& name,
                                               const std::string& field) {
  auto place = locate(line, name, field);
  if (!place.ok()) return place.status();
  const LineContent& content = line.content();
  if (place->package < 0) return &content.indicators(place->index);
  return &content.increments(place->package).indicators(place->index);
}

}  // namespace zbb::review
