#include "engine/budget_line.h"

#include <array>
#include <utility>

namespace zbb {
namespace {

template <typename Enum, std::size_t N>
using NameTable = std::array<std::pair<Enum, std::string_view>, N>;

constexpr NameTable<Category, 3> kCategoryNames{{
    {Category::kBasic, "basic"},
    {Category::kProject, "project"},
    {Category::kDepartmentOverall, "department_overall"},
}};
constexpr NameTable<IndicatorLevel1, 4> kLevel1Names{{
    {IndicatorLevel1::kOutput, "output"},
    {IndicatorLevel1::kEffect, "effect"},
    {IndicatorLevel1::kSatisfaction, "satisfaction"},
    {IndicatorLevel1::kCost, "cost"},
}};
constexpr NameTable<IndicatorLevel2, 9> kLevel2Names{{
    {IndicatorLevel2::kQuantity, "quantity"},
    {IndicatorLevel2::kQuality, "quality"},
    {IndicatorLevel2::kTimeliness, "timeliness"},
    {IndicatorLevel2::kCost, "cost"},
    {IndicatorLevel2::kEconomic, "economic"},
    {IndicatorLevel2::kSocial, "social"},
    {IndicatorLevel2::kEcological, "ecological"},
    {IndicatorLevel2::kSustainability, "sustainability"},
    {IndicatorLevel2::kServiceObjectSatisfaction, "service_object_satisfaction"},
}};
constexpr NameTable<Direction, 4> kDirectionNames{{
    {Direction::kAtLeast, "at_least"},
    {Direction::kAtMost, "at_most"},
    {Direction::kEqual, "equal"},
    {Direction::kNone, "none"},
}};
constexpr NameTable<WarningLevel, 4> kWarningNames{{
    {WarningLevel::kNone, "none"},
    {WarningLevel::kGreen, "green"},
    {WarningLevel::kYellow, "yellow"},
    {WarningLevel::kRed, "red"},
}};
constexpr NameTable<Decision, 3> kDecisionNames{{
    {Decision::kApprove, "approve"},
    {Decision::kReject, "reject"},
    {Decision::kReturn, "return"},
}};
constexpr NameTable<AdjustmentKind, 4> kAdjustmentKindNames{{
    {AdjustmentKind::kReduce, "reduce"},
    {AdjustmentKind::kIncrease, "increase"},
    {AdjustmentKind::kReviseTarget, "revise_target"},
    {AdjustmentKind::kReallocate, "reallocate"},
}};
constexpr NameTable<AdjustmentOutcome, 3> kAdjustmentOutcomeNames{{
    {AdjustmentOutcome::kPending, "pending"},
    {AdjustmentOutcome::kApproved, "approved"},
    {AdjustmentOutcome::kRejected, "rejected"},
}};

constexpr NameTable<IncrementLevel, 3> kIncrementLevelNames{{
    {IncrementLevel::kMinimum, "minimum"},
    {IncrementLevel::kCurrent, "current"},
    {IncrementLevel::kEnhancement, "enhancement"},
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

template <>
std::optional<IncrementLevel> parse_enum(std::string_view n) {
  return value_of(kIncrementLevelNames, n);
}

}  // namespace zbb
