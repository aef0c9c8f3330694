#include "workflows/line_rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <set>

#include "engine/wire_enums.h"
#include "workflows/prior_assessment.h"

namespace zbb::review {
namespace {

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); });
}

// Free text: valid UTF-8, within its limit, and present when required.
Status check_text(const std::string& field, const std::string& value, std::size_t max_bytes,
                  bool required) {
  if (required && is_blank(value)) return Status::InvalidArgument(field, "must not be empty");
  if (value.size() > max_bytes)
    return Status::InvalidArgument(
        field, fmt::format("is {} bytes long; at most {} allowed", value.size(), max_bytes));
  if (!is_valid_utf8(value)) return Status::InvalidArgument(field, "is not valid UTF-8");
  return Status::Ok();
}

// Identifiers that travel across systems: programme codes, indicator units.
Status check_code(const std::string& field, const std::string& value, std::size_t max_bytes) {
  if (value.empty()) return Status::InvalidArgument(field, "must not be empty");
  if (value.size() > max_bytes)
    return Status::InvalidArgument(field, fmt::format("is longer than {} bytes", max_bytes));
  const bool ok = std::all_of(value.begin(), value.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_' || c == '.';
  });
  if (!ok) return Status::InvalidArgument(field, "may hold only letters, digits, '-', '_' and '.'");
  return Status::Ok();
}

// One trillion yuan: far above any single budget line (a whole province's budget is a few
// trillion), and low enough that the sums supervisors read over a hundred thousand lines stay
// within int64.
constexpr Fen kMaxAmount = 100'000'000'000'000;

Status check_amount(const std::string& field, Fen amount, bool allow_zero) {
  if (amount < 0) return Status::InvalidArgument(field, "must not be negative");
  if (amount > kMaxAmount)
    return Status::InvalidArgument(field, "must be at most 1,000,000,000,000.00 yuan");
  if (amount == 0 && !allow_zero) return Status::InvalidArgument(field, "must be positive");
  return Status::Ok();
}

Status check_finite(const std::string& field, double value) {
  if (!std::isfinite(value)) return Status::InvalidArgument(field, "must be a finite number");
  return Status::Ok();
}

bool level2_belongs_to(IndicatorLevel1 level1, IndicatorLevel2 level2) {
  namespace v1 = zbb::v1;
  switch (level1) {
    case v1::INDICATOR_LEVEL1_OUTPUT:
      return level2 == v1::INDICATOR_LEVEL2_QUANTITY || level2 == v1::INDICATOR_LEVEL2_QUALITY ||
             level2 == v1::INDICATOR_LEVEL2_TIMELINESS || level2 == v1::INDICATOR_LEVEL2_COST;
    case v1::INDICATOR_LEVEL1_EFFECT:
      return level2 == v1::INDICATOR_LEVEL2_ECONOMIC || level2 == v1::INDICATOR_LEVEL2_SOCIAL ||
             level2 == v1::INDICATOR_LEVEL2_ECOLOGICAL ||
             level2 == v1::INDICATOR_LEVEL2_SUSTAINABILITY;
    case v1::INDICATOR_LEVEL1_SATISFACTION:
      return level2 == v1::INDICATOR_LEVEL2_SERVICE_OBJECT_SATISFACTION;
    case v1::INDICATOR_LEVEL1_COST:
      return level2 == v1::INDICATOR_LEVEL2_COST || level2 == v1::INDICATOR_LEVEL2_ECONOMIC ||
             level2 == v1::INDICATOR_LEVEL2_SOCIAL || level2 == v1::INDICATOR_LEVEL2_ECOLOGICAL;
    default:
      return false;
  }
}

Status check_cost_item(const CostItem& item) {
  ZBB_RETURN_IF_ERROR(check_text("name", item.name(), kMaxNameBytes, true));
  if (item.quantity() <= 0) return Status::InvalidArgument("quantity", "must be positive");
  ZBB_RETURN_IF_ERROR(check_amount("unit_price", item.unit_price(), true));
  ZBB_RETURN_IF_ERROR(check_amount("amount", item.amount(), true));
  const auto product = checked_mul(item.quantity(), item.unit_price());
  if (!product) return Status::InvalidArgument("amount", "quantity × unit_price overflows");
  if (*product != item.amount())
    return Status::InvalidArgument(
        "amount",
        fmt::format("is {} fen but quantity × unit_price is {} fen", item.amount(), *product));
  return Status::Ok();
}

// Its enums are checked by check_content_enums.
Status check_indicator(const Indicator& indicator) {
  ZBB_RETURN_IF_ERROR(check_text("name", indicator.name(), kMaxNameBytes, true));
  if (!level2_belongs_to(indicator.level1(), indicator.level2()))
    return Status::InvalidArgument(
        "level2", fmt::format("\"{}\" is not a level-2 category of \"{}\"",
                              to_string(indicator.level2()), to_string(indicator.level1())));
  if (indicator.has_actual())
    return Status::InvalidArgument("actual", "is reported only while executing");
  // Even a qualitative indicator's target is stored: it must be a number.
  ZBB_RETURN_IF_ERROR(check_finite("target", indicator.target()));
  if (!indicator.qualitative()) {
    if (indicator.direction() == zbb::v1::DIRECTION_UNSPECIFIED)
      return Status::InvalidArgument("direction", "is required for a quantitative indicator");
    ZBB_RETURN_IF_ERROR(check_text("unit", indicator.unit(), 32, true));
    if (indicator.target() < 0) return Status::InvalidArgument("target", "must not be negative");
    // "At least nothing" is reached by doing nothing: such a target measures nothing.
    if (indicator.direction() == zbb::v1::DIRECTION_AT_LEAST && indicator.target() == 0)
      return Status::InvalidArgument("target", "an at-least target must be above zero");
  } else {
    ZBB_RETURN_IF_ERROR(check_text("unit", indicator.unit(), 32, false));
  }
  return Status::Ok();
}

template <typename Items, typename Check>
Status check_each(const std::string& field, const Items& items, Check check) {
  std::size_t i = 0;
  for (const auto& item : items)
    ZBB_RETURN_IF_ERROR(check(item).within(fmt::format("{}[{}]", field, i++)));
  return Status::Ok();
}

// Decision packages: at most one per level, lowest level first, adding up to the request.
// Their levels are checked by check_content_enums.
Status check_increments(const LineContent& c) {
  if (c.increments().empty()) return Status::Ok();
  if (c.increments(0).level() != zbb::v1::INCREMENT_LEVEL_MINIMUM)
    return Status::InvalidArgument("increments[0].level", "the first package is the minimum level");
  Fen sum = 0;
  for (int i = 0; i < c.increments_size(); ++i) {
    const Increment& increment = c.increments(i);
    const std::string at = fmt::format("increments[{}]", i);
    if (i > 0 && increment.level() <= c.increments(i - 1).level())
      return Status::InvalidArgument(at + ".level",
                                     "levels go minimum, current, enhancement, each at most once");
    ZBB_RETURN_IF_ERROR(check_amount(at + ".amount", increment.amount(), false));
    ZBB_RETURN_IF_ERROR(
        check_text(at + ".justification", increment.justification(), kMaxStatementBytes, true));
    ZBB_RETURN_IF_ERROR(check_each(at + ".indicators", increment.indicators(), check_indicator));
    const auto next = checked_add(sum, increment.amount());
    if (!next) return Status::InvalidArgument("increments", "the amounts overflow when added");
    sum = *next;
  }
  if (sum != c.requested_amount())
    return Status::InvalidArgument(
        "increments",
        fmt::format("add up to {} fen but {} fen is requested", sum, c.requested_amount()));
  return Status::Ok();
}

// The spending plan (用款计划): none, or twelve months of fen, January first, adding up to the
// request.
Status check_monthly_plan(const LineContent& c) {
  if (c.monthly_plan().empty()) return Status::Ok();
  if (c.monthly_plan_size() != 12)
    return Status::InvalidArgument(
        "monthly_plan",
        fmt::format("has twelve months, January first (got {})", c.monthly_plan_size()));
  Fen sum = 0;
  for (int i = 0; i < c.monthly_plan_size(); ++i) {
    ZBB_RETURN_IF_ERROR(check_amount(fmt::format("monthly_plan[{}]", i), c.monthly_plan(i), true));
    const auto next = checked_add(sum, c.monthly_plan(i));
    if (!next) return Status::InvalidArgument("monthly_plan", "the amounts overflow when added");
    sum = *next;
  }
  if (sum != c.requested_amount())
    return Status::InvalidArgument(
        "monthly_plan",
        fmt::format("adds up to {} fen but {} fen is requested", sum, c.requested_amount()));
  return Status::Ok();
}

Status check_comment(const std::string& comment) {
  return check_text("comment", comment, kMaxCommentBytes, false);
}

// Shape checks per action; the state-dependent rules are the machine's guards.
Status check(const CreateLine& a) { return validate_content(a.content()).within("content"); }
Status check(const ReviseLine& a) { return validate_content(a.content()).within("content"); }
Status check(const SubmitLine&) { return Status::Ok(); }
Status check(const StartTargetReview&) { return Status::Ok(); }
Status check(const ReviewTargets& a) { return check_comment(a.comment()); }
Status check(const ScorePriority& a) {
  if (a.scores().empty() || a.scores_size() > 20)
    return Status::InvalidArgument("scores", "must score 1 to 20 criteria");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < static_cast<std::size_t>(a.scores_size()); ++i) {
    const std::string at = fmt::format("scores[{}]", i);
    const CriterionScore& score = a.scores(static_cast<int>(i));
    ZBB_RETURN_IF_ERROR(check_text(at + ".criterion", score.criterion(), kMaxNameBytes, true));
    if (!seen.insert(score.criterion()).second)
      return Status::InvalidArgument(at + ".criterion", "scores a criterion twice");
    if (score.score() < 0 || score.score() > 100)
      return Status::InvalidArgument(at + ".score", "must be 0 to 100");
  }
  return check_comment(a.comment());
}
Status check(const FundLine& a) {
  ZBB_RETURN_IF_ERROR(check_amount("amount", a.amount(), true));
  return check_comment(a.comment());
}
Status check(const DecideApproval& a) {
  ZBB_RETURN_IF_ERROR(check_text("level", a.level(), kMaxNameBytes, false));
  ZBB_RETURN_IF_ERROR(check_enum("decision", a.decision()));
  if (a.decision() == zbb::v1::DECISION_APPROVE && a.has_amount())
    ZBB_RETURN_IF_ERROR(check_amount("amount", a.amount(), false));
  else if (a.decision() != zbb::v1::DECISION_APPROVE && a.amount() != 0)
    return Status::InvalidArgument("amount", "only an approval grants an amount");
  return check_comment(a.comment());
}
Status check(const RecordSpending& a) {
  if (a.amount() == 0) return Status::InvalidArgument("amount", "must not be zero");
  // Its magnitude must exist: -INT64_MIN does not.
  if (a.amount() == std::numeric_limits<Fen>::min())
    return Status::InvalidArgument("amount", "is out of range");
  if (a.amount() > kMaxAmount || a.amount() < -kMaxAmount)
    return Status::InvalidArgument("amount",
                                   "must be at most 1,000,000,000,000.00 yuan either way");
  ZBB_RETURN_IF_ERROR(check_text("payment_ref", a.payment_ref(), kMaxNameBytes, true));
  return check_comment(a.comment());
}
Status check(const RecordIndicatorProgress& a) {
  ZBB_RETURN_IF_ERROR(check_text("indicator", a.indicator(), kMaxNameBytes, true));
  return check_finite("actual", a.actual());
}
Status check(const RunCheckpoint& a) { return parse_date(a.as_of()).status().within("as_of"); }
Status check(const ProposeAdjustment& a) {
  ZBB_RETURN_IF_ERROR(check_enum("kind", a.kind()));
  const bool revise = a.kind() == zbb::v1::ADJUSTMENT_KIND_REVISE_TARGET;
  const bool reallocate = a.kind() == zbb::v1::ADJUSTMENT_KIND_REALLOCATE;
  if (revise) {
    ZBB_RETURN_IF_ERROR(check_text("indicator", a.indicator(), kMaxNameBytes, true));
    ZBB_RETURN_IF_ERROR(check_finite("new_target", a.new_target()));
    if (a.new_target() < 0) return Status::InvalidArgument("new_target", "must not be negative");
    if (a.amount() != 0)
      return Status::InvalidArgument("amount", "a revised target moves no money");
  } else {
    ZBB_RETURN_IF_ERROR(check_amount("amount", a.amount(), false));
    if (!a.indicator().empty() || a.new_target() != 0)
      return Status::InvalidArgument(a.indicator().empty() ? "new_target" : "indicator",
                                     "only a revised target names an indicator");
  }
  if (reallocate) {
    if (a.target_line().empty())
      return Status::InvalidArgument("target_line", "names the line that receives the money");
    ZBB_RETURN_IF_ERROR(check_text("target_line", a.target_line(), kMaxNameBytes, true));
  } else if (!a.target_line().empty()) {
    return Status::InvalidArgument("target_line", "only a reallocation names a target line");
  }
  return check_text("reason", a.reason(), kMaxCommentBytes, true);
}
// Written by the engine on a reallocation's receiving line: shape is the proposal's.
Status check(const ExpectReallocation& a) { return check_amount("amount", a.amount(), false); }
Status check(const ReceiveReallocation& a) { return check_amount("amount", a.amount(), false); }
Status check(const CancelReallocation&) { return Status::Ok(); }
Status check(const ReceiveCarryOver& a) { return check_amount("amount", a.amount(), false); }

Status check(const RecordSlaBreach& a) {
  if (a.state().empty()) return Status::InvalidArgument("state", "is required");
  return Status::Ok();
}
Status check(const DecideAdjustment& a) {
  ZBB_RETURN_IF_ERROR(check_text("level", a.level(), kMaxNameBytes, false));
  if (a.decision() != zbb::v1::DECISION_APPROVE && a.decision() != zbb::v1::DECISION_REJECT)
    return Status::InvalidArgument("decision", "an adjustment is approved or rejected");
  return check_comment(a.comment());
}
Status check(const BeginEvaluation&) { return Status::Ok(); }
Status check_grade(const QualitativeGrade& g) {
  ZBB_RETURN_IF_ERROR(check_text("indicator", g.indicator(), kMaxNameBytes, true));
  ZBB_RETURN_IF_ERROR(check_text("band", g.band(), kMaxNameBytes, true));
  if (g.percent() < 0 || g.percent() > 100)
    return Status::InvalidArgument("percent",
                                   fmt::format("must be between 0 and 100 (got {})", g.percent()));
  return Status::Ok();
}

// A self-evaluation and a focused evaluation answer the same questions.
template <typename Evaluation>
Status check_evaluation(const Evaluation& a) {
  ZBB_RETURN_IF_ERROR(check_each("final_actuals", a.final_actuals(), [](const IndicatorValue& v) {
    ZBB_RETURN_IF_ERROR(check_text("indicator", v.indicator(), kMaxNameBytes, true));
    return check_finite("actual", v.actual());
  }));
  if (a.satisfaction_percent() < 0 || a.satisfaction_percent() > 100)
    return Status::InvalidArgument("satisfaction_percent", "must be between 0 and 100");
  ZBB_RETURN_IF_ERROR(check_each("qualitative", a.qualitative(), check_grade));
  return check_text("summary", a.summary(), kMaxStatementBytes, true);
}
Status check(const SubmitSelfEvaluation& a) { return check_evaluation(a); }
Status check(const SubmitFocusedEvaluation& a) { return check_evaluation(a); }
Status check(const SelectFocusedEvaluation& a) {
  return check_text("reason", a.reason(), kMaxCommentBytes, true);
}
Status check(const ReviewEvaluation& a) {
  if (a.parts_size() == 0 && a.regrades_size() == 0)
    return Status::InvalidArgument(
        "parts",
        "a review changes at least one part or grade; to confirm the score, close the "
        "line");
  ZBB_RETURN_IF_ERROR(check_each("parts", a.parts(), [](const zbb::v1::PartScore& p) {
    ZBB_RETURN_IF_ERROR(check_text("part", p.part(), kMaxNameBytes, true));
    if (p.tenths() < 0)
      return Status::InvalidArgument("tenths",
                                     fmt::format("must not be negative (got {})", p.tenths()));
    return check_text("reason", p.reason(), kMaxCommentBytes, true);
  }));
  ZBB_RETURN_IF_ERROR(check_each("regrades", a.regrades(), [](const zbb::v1::Regrade& r) {
    ZBB_RETURN_IF_ERROR(check_grade(r.grade()).within("grade"));
    return check_text("reason", r.reason(), kMaxCommentBytes, true);
  }));
  return check_comment(a.comment());
}
Status check(const CloseLine& a) {
  ZBB_RETURN_IF_ERROR(check_text("carry_over_to", a.carry_over_to(), kMaxNameBytes, false));
  return check_comment(a.comment());
}
Status check(const SubmitRectification& a) {
  return check_text("report", a.report(), kMaxCommentBytes, true);
}
Status check(const ReviewRectification& a) { return check_comment(a.comment()); }
Status check(const RecordAssessment& a) {
  for (int i = 0; i < a.parts_size(); ++i)
    ZBB_RETURN_IF_ERROR(check_text(fmt::format("parts[{}].conclusion", i), a.parts(i).conclusion(),
                                   kMaxCommentBytes, true));
  ZBB_RETURN_IF_ERROR(check_comment(a.comment()));
  return check_assessment(a);
}
Status check(const RestateTargets& a) {
  ZBB_RETURN_IF_ERROR(check_each("indicators", a.indicators(), check_indicator));
  for (int p = 0; p < a.packages_size(); ++p) {
    const std::string at = fmt::format("packages[{}]", p);
    ZBB_RETURN_IF_ERROR(check_enum(at + ".level", a.packages(p).level()));
    ZBB_RETURN_IF_ERROR(
        check_each(at + ".indicators", a.packages(p).indicators(), check_indicator));
  }
  return check_comment(a.comment());
}
Status check(const ReviewRestatedTargets& a) { return check_comment(a.comment()); }
Status check(const AnswerCorrection& a) {
  ZBB_RETURN_IF_ERROR(check_text("measures", a.measures(), kMaxStatementBytes, true));
  // Whether the day has come is the machine's to judge, against the engine's clock.
  if (auto deadline = parse_date(a.deadline()); !deadline.ok())
    return deadline.status().within("deadline");
  return Status::Ok();
}
Status check(const ReviewCorrection& a) { return check_comment(a.comment()); }
Status check(const WithdrawLine& a) {
  return check_text("reason", a.reason(), kMaxCommentBytes, false);
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t extra;
    std::uint32_t code;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1, code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2, code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3, code = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;  // truncated sequence
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    // Overlong forms, surrogates and code points beyond Unicode are not UTF-8.
    static constexpr std::uint32_t kMinimum[] = {0, 0x80, 0x800, 0x10000};
    if (code < kMinimum[extra] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
      return false;
    i += extra + 1;
  }
  return true;
}

Status validate_programme_code(const std::string& field, const std::string& code) {
  return check_code(field, code, 64);
}

Status validate_text(const std::string& field, const std::string& value, std::size_t max_bytes,
                     bool required) {
  return check_text(field, value, max_bytes, required);
}

Status validate_content(const LineContent& c) {
  ZBB_RETURN_IF_ERROR(check_content_enums(c));
  if (c.fiscal_year() < 2000 || c.fiscal_year() > 2100)
    return Status::InvalidArgument("fiscal_year", "must be between 2000 and 2100");
  ZBB_RETURN_IF_ERROR(check_text("department", c.department(), kMaxNameBytes, true));
  ZBB_RETURN_IF_ERROR(validate_programme_code("programme_code", c.programme_code()));
  ZBB_RETURN_IF_ERROR(check_text("title", c.title(), kMaxTitleBytes, true));
  ZBB_RETURN_IF_ERROR(check_amount("requested_amount", c.requested_amount(), false));
  if (static_cast<std::size_t>(c.cost_items_size()) > kMaxCostItems)
    return Status::InvalidArgument("cost_items", fmt::format("at most {} allowed", kMaxCostItems));
  ZBB_RETURN_IF_ERROR(check_each("cost_items", c.cost_items(), check_cost_item));
  ZBB_RETURN_IF_ERROR(
      check_text("necessity_statement", c.necessity_statement(), kMaxStatementBytes, false));
  // The line's indicators and its packages' count together: they are all reported on by name.
  std::size_t indicators = static_cast<std::size_t>(c.indicators_size());
  for (const auto& increment : c.increments())
    indicators += static_cast<std::size_t>(increment.indicators_size());
  if (indicators > kMaxIndicators)
    return Status::InvalidArgument(
        "indicators", fmt::format("at most {} allowed, the packages' included", kMaxIndicators));
  ZBB_RETURN_IF_ERROR(check_each("indicators", c.indicators(), check_indicator));
  ZBB_RETURN_IF_ERROR(check_increments(c));
  ZBB_RETURN_IF_ERROR(check_monthly_plan(c));
  std::set<std::string> names;
  for (int i = 0; i < c.indicators_size(); ++i)
    if (!names.insert(c.indicators(i).name()).second)
      return Status::InvalidArgument(fmt::format("indicators[{}].name", i),
                                     "repeats the name of an earlier indicator");
  for (int p = 0; p < c.increments_size(); ++p)
    for (int i = 0; i < c.increments(p).indicators_size(); ++i)
      if (!names.insert(c.increments(p).indicators(i).name()).second)
        return Status::InvalidArgument(
            fmt::format("increments[{}].indicators[{}].name", p, i),
            "repeats the name of an earlier indicator, the line's or a package's");
  return ReadyForReview(c);
}

Status validate_action(const Action& action, const AddedByZbb& added) {
  ZBB_RETURN_IF_ERROR(std::visit([](const auto& a) { return check(a); }, action));
  if (const auto& placement = added.placement) {
    ZBB_RETURN_IF_ERROR(
        check_text("placement.ranking_id", placement->ranking_id(), kMaxNameBytes, true));
    if (placement->rank() < 1) return Status::InvalidArgument("placement.rank", "must be positive");
  }
  return Status::Ok();
}

Status validate_follow_up(const FollowUp& follow_up) {
  return std::visit([](const auto& f) { return check(f); }, follow_up);
}

Status RevisionKeepsOwner(const LineContent& before, const LineContent& after) {
  if (after.fiscal_year() != before.fiscal_year())
    return Status::InvalidArgument("content.fiscal_year", "a revision cannot change the year");
  if (after.department() != before.department())
    return Status::InvalidArgument("content.department",
                                   "a revision cannot move the line to another department");
  // The programme links the line to its record of earlier years (result use, prior assessment):
  // it stays what it was.
  if (after.programme_code() != before.programme_code())
    return Status::InvalidArgument("content.programme_code",
                                   "a revision cannot change the programme");
  return Status::Ok();
}

Status CostItemsSumToRequest(const LineContent& c) {
  if (c.cost_items().empty())
    return Status::InvalidArgument("cost_items", "a request is broken down into cost items");
  Fen sum = 0;
  for (const auto& item : c.cost_items()) {
    const auto next = checked_add(sum, item.amount());
    if (!next) return Status::InvalidArgument("cost_items", "the amounts overflow when added");
    sum = *next;
  }
  if (sum != c.requested_amount())
    return Status::InvalidArgument(
        "cost_items",
        fmt::format("add up to {} fen but {} fen is requested", sum, c.requested_amount()));
  return Status::Ok();
}

Status HasOutputAndOutcomeIndicators(const LineContent& c) {
  const auto& all = c.indicators();
  const bool has_output = std::any_of(all.begin(), all.end(), [](const Indicator& i) {
    return i.level1() == zbb::v1::INDICATOR_LEVEL1_OUTPUT && !i.qualitative();
  });
  const bool has_outcome = std::any_of(all.begin(), all.end(), [](const Indicator& i) {
    return i.level1() == zbb::v1::INDICATOR_LEVEL1_EFFECT ||
           i.level1() == zbb::v1::INDICATOR_LEVEL1_SATISFACTION;
  });
  if (!has_output)
    return Status::InvalidArgument("indicators",
                                   "needs at least one quantitative output indicator");
  if (!has_outcome)
    return Status::InvalidArgument("indicators",
                                   "needs at least one effect or satisfaction indicator");
  return Status::Ok();
}

Status NecessityStated(const LineContent& c) {
  if (is_blank(c.necessity_statement()))
    return Status::InvalidArgument("necessity_statement", "must explain why the money is needed");
  return Status::Ok();
}

Status ReadyForReview(const LineContent& c) {
  ZBB_RETURN_IF_ERROR(CostItemsSumToRequest(c));
  ZBB_RETURN_IF_ERROR(NecessityStated(c));
  return HasOutputAndOutcomeIndicators(c);
}

Status SubmitterNeverDecides(const BudgetLine& line, const std::string& actor) {
  const bool prepared =
      actor == line.submitted_by() || actor == line.created_by() ||
      std::find(line.preparers().begin(), line.preparers().end(), actor) != line.preparers().end();
  if (prepared)
    return Status::PermissionDenied(fmt::format(
        "{} prepared line {} and may not decide on it (segregation of duties)", actor, line.id()));
  return Status::Ok();
}

Status OneActorOneLevel(const ApprovalRecord& earlier, const std::string& level,
                        const std::string& actor) {
  if (earlier.actor() == actor && earlier.level() != level)
    return Status::PermissionDenied(
        fmt::format("{} already decided at level {}; one actor decides at one level only", actor,
                    earlier.level()));
  return Status::Ok();
}

Status DecisionForCurrentLevel(std::string_view awaited_level, const std::string& level) {
  if (level != awaited_level)
    return Status::InvalidArgument(
        "level", fmt::format("the line waits on level {} (role approver:{}), not {}", awaited_level,
                             awaited_level, quote_cut(level)));
  return Status::Ok();
}

Status FundedWithinRequest(const BudgetLine& line, Fen amount) {
  if (amount > line.content().requested_amount())
    return Status::InvalidArgument("amount",
                                   fmt::format("{} fen exceeds the {} fen requested", amount,
                                               line.content().requested_amount()));
  return Status::Ok();
}

std::optional<Fen> packages_amount(const LineContent& content,
                                   const std::vector<IncrementLevel>& levels) {
  const auto& increments = content.increments();
  if (increments.empty()) {
    if (levels.empty()) return Fen{0};
    if (levels.size() == 1 && levels.front() == zbb::v1::INCREMENT_LEVEL_MINIMUM)
      return content.requested_amount();
    return std::nullopt;
  }
  Fen sum = 0;
  for (IncrementLevel level : levels) {
    const auto found = std::find_if(increments.begin(), increments.end(),
                                    [&](const Increment& i) { return i.level() == level; });
    if (found == increments.end()) return std::nullopt;
    sum += found->amount();  // no overflow: the packages add up to the request
  }
  return sum;
}

Status FundedMatchesPackages(const BudgetLine& line, const FundLine& fund,
                             const std::optional<RankingPlacement>& placement) {
  if (!placement) return Status::Ok();
  // The line's package levels, lowest first; a line without packages is one minimum package.
  std::vector<IncrementLevel> own;
  for (const auto& increment : line.content().increments()) own.push_back(increment.level());
  if (own.empty()) own.push_back(zbb::v1::INCREMENT_LEVEL_MINIMUM);
  std::vector<IncrementLevel> levels;
  for (int level : placement->funded_levels()) levels.push_back(static_cast<IncrementLevel>(level));
  if (levels.size() > own.size() || !std::equal(levels.begin(), levels.end(), own.begin()))
    return Status::InvalidArgument("placement.funded_levels",
                                   "a ranking funds a line's packages lowest level first");
  const auto expected = packages_amount(line.content(), levels);
  if (!expected || *expected != fund.amount())
    return Status::InvalidArgument(
        "amount", fmt::format("is {} fen but the funded packages come to {} fen", fund.amount(),
                              expected.value_or(0)));
  return Status::Ok();
}

Status ApprovedWithinFunded(const BudgetLine& line, Fen amount) {
  if (amount > line.granted_amount())
    return Status::InvalidArgument(
        "amount", fmt::format("{} fen exceeds the {} fen funded or granted so far", amount,
                              line.granted_amount()));
  return Status::Ok();
}

Status SpendingWithinApproved(const BudgetLine& line, Fen amount) {
  const auto total = checked_add(line.spent_amount(), amount);
  if (!total) return Status::InvalidArgument("amount", "overflows the total spent");
  if (*total > line.approved_amount())
    return Status::FailedPrecondition(
        fmt::format("spending {} fen would take the total to {} fen, above the {} fen approved",
                    amount, *total, line.approved_amount()));
  if (*total < 0)
    return Status::FailedPrecondition(fmt::format(
        "a refund of {} fen exceeds the {} fen spent so far", -amount, line.spent_amount()));
  return Status::Ok();
}

Status ReductionKeepsSpending(const BudgetLine& line, Fen amount) {
  if (line.approved_amount() - amount < line.spent_amount())
    return Status::FailedPrecondition(fmt::format(
        "a reduction of {} fen would leave {} fen approved, below the {} fen already spent", amount,
        line.approved_amount() - amount, line.spent_amount()));
  return Status::Ok();
}

Status IncreaseFits(const BudgetLine& line, Fen amount) {
  if (!checked_add(line.approved_amount(), amount))
    return Status::InvalidArgument("amount", "overflows the approved amount");
  return Status::Ok();
}

Status PoolCovers(const BudgetLine& line, Fen amount, std::optional<Fen> pool_balance) {
  if (!pool_balance || amount <= *pool_balance) return Status::Ok();
  const std::string& department = line.content().department();
  return Status::FailedPrecondition(fmt::format(
      "the pool of {} for {} holds {} fen; an increase of {} fen cannot be drawn from it",
      department.empty() ? "the county" : department, line.content().fiscal_year(), *pool_balance,
      amount));
}

Status ReasonGiven(Decision decision, const std::string& comment) {
  if (decision != zbb::v1::DECISION_APPROVE && is_blank(comment))
    return Status::InvalidArgument(
        "comment", fmt::format("a decision to {} must say why", to_string(decision)));
  return Status::Ok();
}

}  // namespace zbb::review
