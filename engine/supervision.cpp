#include "engine/supervision.h"

namespace zbb {

std::string_view to_string(SummaryGrouping grouping) {
  switch (grouping) {
    case SummaryGrouping::kState:
      return "state";
    case SummaryGrouping::kDepartment:
      return "department";
    case SummaryGrouping::kWaitingOn:
      return "waiting_on";
    case SummaryGrouping::kWarningLevel:
      return "warning_level";
  }
  return "state";
}

}  // namespace zbb
