#include "engine/wire_enums.h"

namespace zbb {

namespace {

Status check_indicator_enums(const Indicator& indicator, const std::string& at) {
  ZBB_RETURN_IF_ERROR(check_enum(at + "level1", indicator.level1()));
  ZBB_RETURN_IF_ERROR(check_enum(at + "level2", indicator.level2()));
  // Unset is a qualitative indicator's: the line's rules refuse it to a quantitative one.
  return check_enum(at + "direction", indicator.direction(), true);
}

}  // namespace

Status check_content_enums(const LineContent& c) {
  ZBB_RETURN_IF_ERROR(check_enum("category", c.category()));
  for (int i = 0; i < c.indicators_size(); ++i)
    ZBB_RETURN_IF_ERROR(check_indicator_enums(c.indicators(i), fmt::format("indicators[{}].", i)));
  for (int i = 0; i < c.increments_size(); ++i) {
    const Increment& increment = c.increments(i);
    ZBB_RETURN_IF_ERROR(check_enum(fmt::format("increments[{}].level", i), increment.level()));
    for (int k = 0; k < increment.indicators_size(); ++k)
      ZBB_RETURN_IF_ERROR(check_indicator_enums(
          increment.indicators(k), fmt::format("increments[{}].indicators[{}].", i, k)));
  }
  return Status::Ok();
}

}  // namespace zbb
