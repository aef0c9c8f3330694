#include "workflows/restated_targets.h"

#include <fmt/format.h>

namespace zbb::review {

bool restates_targets(const BudgetLine& line, Fen approved) {
  return approved < line.content().requested_amount();
}

void open_restatement(BudgetLine& line, Fen approved) {
  zbb::v1::RestatedTargets& r = *line.mutable_restated_targets();
  r.Clear();
  r.set_requested_amount(line.content().requested_amount());
  r.set_approved_amount(approved);
  *r.mutable_requested() = line.content().indicators();
  r.set_status(zbb::v1::RESTATEMENT_STATUS_DUE);
}

Status RestatedLikeRequested(const BudgetLine& line, const RestateTargets& restated) {
  const auto& requested = line.content().indicators();
  if (restated.indicators_size() != requested.size())
    return Status::InvalidArgument(
        "indicators", fmt::format("restates the request's {} indicators, in their order (got {})",
                                  requested.size(), restated.indicators_size()));
  for (int i = 0; i < requested.size(); ++i) {
    const Indicator& was = requested[i];
    const Indicator& now = restated.indicators(i);
    const auto differs = [&](const char* field, const std::string& expected) {
      return Status::InvalidArgument(fmt::format("indicators[{}].{}", i, field),
                                     fmt::format("must be the request's: {}", expected));
    };
    if (now.name() != was.name()) return differs("name", was.name());
    if (now.level1() != was.level1())
      return differs("level1", std::string(to_string(was.level1())));
    if (now.level2() != was.level2())
      return differs("level2", std::string(to_string(was.level2())));
    if (now.qualitative() != was.qualitative())
      return differs("qualitative", was.qualitative() ? "true" : "false");
    if (now.unit() != was.unit()) return differs("unit", was.unit());
    if (now.direction() != was.direction())
      return differs("direction", std::string(to_string(was.direction())));
    // A qualitative indicator has no number to follow the money.
    if (now.qualitative() && now.target() != was.target())
      return differs("target", fmt::format("{} (a qualitative indicator's)", was.target()));
  }
  return Status::Ok();
}

}  // namespace zbb::review
