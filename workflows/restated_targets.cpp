#include "workflows/restated_targets.h"

#include <fmt/format.h>

#include "workflows/issued_indicators.h"

namespace zbb::review {
namespace {

// `now` restates `was` at `at` (e.g. "indicators[2]"): the same indicator, its target changed
// only if it is quantitative.
Status restates(const Indicator& was, const Indicator& now, const std::string& at) {
  const auto differs = [&](const char* field, const std::string& expected) {
    return Status::InvalidArgument(fmt::format("{}.{}", at, field),
                                   fmt::format("must be the request's: {}", expected));
  };
  if (now.name() != was.name()) return differs("name", was.name());
  if (now.level1() != was.level1()) return differs("level1", std::string(to_string(was.level1())));
  if (now.level2() != was.level2()) return differs("level2", std::string(to_string(was.level2())));
  if (now.qualitative() != was.qualitative())
    return differs("qualitative", was.qualitative() ? "true" : "false");
  if (now.unit() != was.unit()) return differs("unit", was.unit());
  if (now.direction() != was.direction())
    return differs("direction", std::string(to_string(was.direction())));
  // A qualitative indicator has no number to follow the money.
  if (now.qualitative() && now.target() != was.target())
    return differs("target", fmt::format("{} (a qualitative indicator's)", was.target()));
  return Status::Ok();
}

// Each of `restated` restates the indicator of `requested` at its place; `field` names the list.
template <typename Indicators>
Status restate_each(const Indicators& requested, const Indicators& restated,
                    const std::string& field) {
  if (restated.size() != requested.size())
    return Status::InvalidArgument(
        field, fmt::format("restates the {} indicators requested, in their order (got {})",
                           requested.size(), restated.size()));
  for (int i = 0; i < requested.size(); ++i)
    ZBB_RETURN_IF_ERROR(restates(requested[i], restated[i], fmt::format("{}[{}]", field, i)));
  return Status::Ok();
}

}  // namespace

bool restates_targets(const BudgetLine& line, Fen approved) {
  return approved < line.content().requested_amount();
}

void open_restatement(BudgetLine& line, Fen approved) {
  zbb::v1::RestatedTargets& r = *line.mutable_restated_targets();
  r.Clear();
  r.set_requested_amount(line.content().requested_amount());
  r.set_approved_amount(approved);
  *r.mutable_requested() = line.content().indicators();
  for (auto& package : issued_package_targets(line))
    *r.add_requested_packages() = std::move(package);
  r.set_status(zbb::v1::RESTATEMENT_STATUS_DUE);
}

Status RestatedLikeRequested(const BudgetLine& line, const RestateTargets& restated) {
  const zbb::v1::RestatedTargets& r = line.restated_targets();
  ZBB_RETURN_IF_ERROR(restate_each(r.requested(), restated.indicators(), "indicators"));
  const auto& packages = r.requested_packages();
  if (restated.packages_size() != packages.size())
    return Status::InvalidArgument(
        "packages", fmt::format("restates the {} issued packages with indicators, lowest first "
                                "(got {})",
                                packages.size(), restated.packages_size()));
  for (int p = 0; p < packages.size(); ++p) {
    const std::string at = fmt::format("packages[{}]", p);
    if (restated.packages(p).level() != packages[p].level())
      return Status::InvalidArgument(
          at + ".level", fmt::format("must be the {} package", to_string(packages[p].level())));
    ZBB_RETURN_IF_ERROR(restate_each(packages[p].indicators(), restated.packages(p).indicators(),
                                     at + ".indicators"));
  }
  return Status::Ok();
}

void issue_restated_targets(BudgetLine& line) {
  const zbb::v1::RestatedTargets& r = line.restated_targets();
  LineContent& content = *line.mutable_content();
  *content.mutable_indicators() = r.restated();
  for (const auto& package : r.restated_packages())
    for (auto& increment : *content.mutable_increments())
      if (increment.level() == package.level())
        *increment.mutable_indicators() = package.indicators();
}

}  // namespace zbb::review
