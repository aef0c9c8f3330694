#include "engine/wire_enums.h"

namespace zbb {

Status check_content_enums(const LineContent& c) {
  ZBB_RETURN_IF_ERROR(check_enum("category", c.category()));
  for (int i = 0; i < c.indicators_size(); ++i) {
    const Indicator& indicator = c.indicators(i);
    const std::string at = fmt::format("indicators[{}].", i);
    ZBB_RETURN_IF_ERROR(check_enum(at + "level1", indicator.level1()));
    ZBB_RETURN_IF_ERROR(check_enum(at + "level2", indicator.level2()));
    // Unset is a qualitative indicator's: the line's rules refuse it to a quantitative one.
    ZBB_RETURN_IF_ERROR(check_enum(at + "direction", indicator.direction(), true));
  }
  for (int i = 0; i < c.increments_size(); ++i)
    ZBB_RETURN_IF_ERROR(
        check_enum(fmt::format("increments[{}].level", i), c.increments(i).level()));
  return Status::Ok();
}

}  // namespace zbb
