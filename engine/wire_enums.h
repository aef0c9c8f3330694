#pragma once

#include <string>

#include <fmt/format.h>
#include <google/protobuf/generated_enum_reflection.h>

#include "engine/budget_line.h"
#include "engine/status.h"

namespace zbb {

// A wire enum holds any number a client sends: OK for one the proto defines, except
// UNSPECIFIED unless it means something (a qualitative indicator's direction, no filter).
// Otherwise INVALID_ARGUMENT on `field`, listing the names it may take ("is unspecified; must
// be one of basic, project, department_overall", "must be one of …, not 9").
template <typename Enum>
Status check_enum(const std::string& field, Enum value, bool unspecified_allowed = false) {
  const auto* descriptor = google::protobuf::GetEnumDescriptor<Enum>();
  const int number = static_cast<int>(value);
  if ((number != 0 || unspecified_allowed) && descriptor->FindValueByNumber(number) != nullptr)
    return Status::Ok();
  std::string choices;
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const int defined = descriptor->value(i)->number();
    if (defined == 0 && !unspecified_allowed) continue;
    if (!choices.empty()) choices += ", ";
    choices += to_string(static_cast<Enum>(defined));
  }
  if (number == 0)
    return Status::InvalidArgument(field, "is unspecified; must be one of " + choices);
  return Status::InvalidArgument(field, fmt::format("must be one of {}, not {}", choices, number));
}

// Every enum of a request's content, in the order of its fields: what a request is refused
// for before anything else about it is looked at (at the edge, and first by the line's rules).
Status check_content_enums(const LineContent& content);

}  // namespace zbb
