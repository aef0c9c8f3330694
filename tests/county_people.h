#pragma once

// The people of the test county as principals, named and with the roles the token file would
// grant them, and a line of the transport bureau for rules that judge a line.

#include <vector>

#include "engine/budget_line.h"
#include "engine/principal.h"
#include "tests/county_fixture.h"

namespace zbb::testing::people {

inline const Principal kTransportUnit{actor::kTransportUnit, {"unit:" + kTransport}};
inline const Principal kEducationUnit{actor::kEducationUnit, {"unit:" + kEducation}};
// A county office that is the unit of two departments at once.
inline const Principal kTwoDepartments{"unit.shared.office",
                                       {"unit:" + kTransport, "unit:" + kEducation}};
inline const Principal kReviewer{actor::kReviewer, {"reviewer"}};
inline const Principal kDepartmentHead{actor::kDepartmentHead, {"approver:department_head"}};
inline const Principal kBudgetSection{actor::kBudgetSection, {"approver:budget_section"}};
inline const Principal kSupervisor{actor::kEvaluationOffice, {"supervisor"}};
inline const Principal kTreasury{actor::kTreasury, {"integrator"}};
inline const Principal kThirdParty{actor::kThirdParty, {"evaluator"}};

// Everyone a token file may name (zbb itself is not among them).
inline const std::vector<Principal> kEveryone = {kTransportUnit, kEducationUnit,  kTwoDepartments,
                                                 kReviewer,      kDepartmentHead, kBudgetSection,
                                                 kSupervisor,    kTreasury,       kThirdParty};

// A draft of the transport bureau.
inline BudgetLine transport_line() {
  BudgetLine line;
  line.set_id("2027-transport-roads");
  line.mutable_content()->set_department(kTransport);
  line.set_state("draft");
  return line;
}

}  // namespace zbb::testing::people
