#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>

#include <google/protobuf/util/message_differencer.h>

#include "engine/budget_line.h"
#include "engine/proto_codec.h"

// Short builders of a request's parts (zbb.v1 messages), so that a test reads as the request.
namespace zbb::testing {

inline CostItem cost_item(std::string name, std::int64_t quantity, Fen unit_price, Fen amount) {
  CostItem item;
  item.set_name(std::move(name));
  item.set_quantity(quantity);
  item.set_unit_price(unit_price);
  item.set_amount(amount);
  return item;
}

inline Indicator quantitative(std::string name, IndicatorLevel1 level1, IndicatorLevel2 level2,
                              std::string unit, double target, Direction direction) {
  Indicator indicator;
  indicator.set_name(std::move(name));
  indicator.set_level1(level1);
  indicator.set_level2(level2);
  indicator.set_unit(std::move(unit));
  indicator.set_target(target);
  indicator.set_direction(direction);
  return indicator;
}

inline Increment increment(IncrementLevel level, Fen amount, std::string justification) {
  Increment out;
  out.set_level(level);
  out.set_amount(amount);
  out.set_justification(std::move(justification));
  return out;
}

// Replaces a repeated field's items: `assign(c.mutable_cost_items(), {cost_item(…), …})`.
template <typename Message>
void assign(google::protobuf::RepeatedPtrField<Message>* field,
            std::initializer_list<Message> items) {
  field->Clear();
  for (const Message& item : items) *field->Add() = item;
}

// Field-by-field equality of two requests, and of two lines (as the store keeps them).
inline bool same_content(const LineContent& a, const LineContent& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}
inline bool same_line(const BudgetLine& a, const BudgetLine& b) {
  zbb::v1::BudgetLine wire_a;
  zbb::v1::BudgetLine wire_b;
  to_proto(a, &wire_a);
  to_proto(b, &wire_b);
  return google::protobuf::util::MessageDifferencer::Equals(wire_a, wire_b);
}

}  // namespace zbb::testing
