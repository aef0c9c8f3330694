#include "engine/budget_line.h"

#include <array>
#include <utility>

#include <google/protobuf/util/time_util.h>

namespace zbb {
namespace {

template <typename Enum, std::size_t N>
using NameTable = std::array<std::pair<Enum, std::string_view>, N>;

constexpr NameTable<Category, 3> kCategoryNames{{
    {zbb::v1::CATEGORY_BASIC, "basic"},
    {zbb::v1::CATEGORY_PROJECT, "project"},
    {zbb::v1::CATEGORY_DEPARTMENT_OVERALL, "department_overall"},
}};
constexpr NameTable<IndicatorLevel1, 4> kLevel1Names{{
    {zbb::v1::INDICATOR_LEVEL1_OUTPUT, "output"},
    {zbb::v1::INDICATOR_LEVEL1_EFFECT, "effect"},
    {zbb::v1::INDICATOR_LEVEL1_SATISFACTION, "satisfaction"},
    {zbb::v1::INDICATOR_LEVEL1_COST, "cost"},
}};
constexpr NameTable<IndicatorLevel2, 9> kLevel2Names{{
    {zbb::v1::INDICATOR_LEVEL2_QUANTITY, "quantity"},
    {zbb::v1::INDICATOR_LEVEL2_QUALITY, "quality"},
    {zbb::v1::INDICATOR_LEVEL2_TIMELINESS, "timeliness"},
    {zbb::v1::INDICATOR_LEVEL2_COST, "cost"},
    {zbb::v1::INDICATOR_LEVEL2_ECONOMIC, "economic"},
    {zbb::v1::INDICATOR_LEVEL2_SOCIAL, "social"},
    {zbb::v1::INDICATOR_LEVEL2_ECOLOGICAL, "ecological"},
    {zbb::v1::INDICATOR_LEVEL2_SUSTAINABILITY, "sustainability"},
    {zbb::v1::INDICATOR_LEVEL2_SERVICE_OBJECT_SATISFACTION, "service_object_satisfaction"},
}};
constexpr NameTable<Direction, 4> kDirectionNames{{
    {zbb::v1::DIRECTION_AT_LEAST, "at_least"},
    {zbb::v1::DIRECTION_AT_MOST, "at_most"},
    {zbb::v1::DIRECTION_EQUAL, "equal"},
    {zbb::v1::DIRECTION_UNSPECIFIED, "none"},
}};
constexpr NameTable<WarningLevel, 4> kWarningNames{{
    {zbb::v1::WARNING_LEVEL_UNSPECIFIED, "none"},
    {zbb::v1::WARNING_LEVEL_GREEN, "green"},
    {zbb::v1::WARNING_LEVEL_YELLOW, "yellow"},
    {zbb::v1::WARNING_LEVEL_RED, "red"},
}};
constexpr NameTable<Decision, 3> kDecisionNames{{
    {zbb::v1::DECISION_APPROVE, "approve"},
    {zbb::v1::DECISION_REJECT, "reject"},
    {zbb::v1::DECISION_RETURN, "return"},
}};
constexpr NameTable<AdjustmentKind, 4> kAdjustmentKindNames{{
    {zbb::v1::ADJUSTMENT_KIND_REDUCE, "reduce"},
    {zbb::v1::ADJUSTMENT_KIND_INCREASE, "increase"},
    {zbb::v1::ADJUSTMENT_KIND_REVISE_TARGET, "revise_target"},
    {zbb::v1::ADJUSTMENT_KIND_REALLOCATE, "reallocate"},
}};
constexpr NameTable<AdjustmentOutcome, 3> kAdjustmentOutcomeNames{{
    {zbb::v1::ADJUSTMENT_OUTCOME_PENDING, "pending"},
    {zbb::v1::ADJUSTMENT_OUTCOME_APPROVED, "approved"},
    {zbb::v1::ADJUSTMENT_OUTCOME_REJECTED, "rejected"},
}};

constexpr NameTable<IncrementLevel, 3> kIncrementLevelNames{{
    {zbb::v1::INCREMENT_LEVEL_MINIMUM, "minimum"},
    {zbb::v1::INCREMENT_LEVEL_CURRENT, "current"},
    {zbb::v1::INCREMENT_LEVEL_ENHANCEMENT, "enhancement"},
}};

template <typename Enum, std::size_t N>
std::string_view name_of(const NameTable<Enum, N>& table, Enum value) {
  for (const auto& [v, name] : table)
    if (v == value) return name;
  return "invalid";
}

template <typename Enum, std::size_t N>
std::optional<Enum> value_of(const NameTable<Enum, N>& table, std::string_view name) {
  for (const auto& [v, n] : table)
    if (n == name) return v;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(Category v) { return name_of(kCategoryNames, v); }
std::string_view to_string(IndicatorLevel1 v) { return name_of(kLevel1Names, v); }
std::string_view to_string(IndicatorLevel2 v) { return name_of(kLevel2Names, v); }
std::string_view to_string(Direction v) { return name_of(kDirectionNames, v); }
std::string_view to_string(WarningLevel v) { return name_of(kWarningNames, v); }
std::string_view to_string(Decision v) { return name_of(kDecisionNames, v); }
std::string_view to_string(AdjustmentKind v) { return name_of(kAdjustmentKindNames, v); }
std::string_view to_string(AdjustmentOutcome v) { return name_of(kAdjustmentOutcomeNames, v); }
std::string_view to_string(IncrementLevel v) { return name_of(kIncrementLevelNames, v); }

template <>
std::optional<Category> parse_enum(std::string_view n) {
  return value_of(kCategoryNames, n);
}
template <>
std::optional<IndicatorLevel1> parse_enum(std::string_view n) {
  return value_of(kLevel1Names, n);
}
template <>
std::optional<IndicatorLevel2> parse_enum(std::string_view n) {
  return value_of(kLevel2Names, n);
}
template <>
std::optional<Direction> parse_enum(std::string_view n) {
  return value_of(kDirectionNames, n);
}
template <>
std::optional<WarningLevel> parse_enum(std::string_view n) {
  return value_of(kWarningNames, n);
}
template <>
std::optional<Decision> parse_enum(std::string_view n) {
  return value_of(kDecisionNames, n);
}
template <>
std::optional<AdjustmentKind> parse_enum(std::string_view n) {
  return value_of(kAdjustmentKindNames, n);
}
template <>
std::optional<AdjustmentOutcome> parse_enum(std::string_view n) {
  return value_of(kAdjustmentOutcomeNames, n);
}

google::protobuf::Timestamp to_proto(Timestamp at) {
  return google::protobuf::util::TimeUtil::MillisecondsToTimestamp(to_millis(at));
}

Timestamp from_proto(const google::protobuf::Timestamp& at) {
  return from_millis(google::protobuf::util::TimeUtil::TimestampToMilliseconds(at));
}

std::optional<Timestamp> due_at(const BudgetLine& line) {
  if (!line.has_due_at()) return std::nullopt;
  return from_proto(line.due_at());
}

void set_due_at(BudgetLine& line, std::optional<Timestamp> due) {
  if (due)
    *line.mutable_due_at() = to_proto(*due);
  else
    line.clear_due_at();
}

template <>
std::optional<IncrementLevel> parse_enum(std::string_view n) {
  return value_of(kIncrementLevelNames, n);
}

}  // namespace zbb
