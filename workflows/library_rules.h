#pragma once

// The project library's rules (policy `library`): who may propose, admit and retire a programme,
// what a proposal must hold, titles too much alike, and the guard that keeps lines to admitted
// programmes of their own department and category.

#include <memory>
#include <optional>

#include "engine/budget_line.h"
#include "engine/programme.h"
#include "engine/status.h"
#include "engine/store.h"
#include "workflows/policy.pb.h"

namespace zbb::review {

// Workflow::admit_programme: the shape of the event (INVALID_ARGUMENT naming the field), a code
// no programme has but to propose it (NOT_FOUND), the caller's role (propose: the unit of the
// programme's department, a reviewer or an integrator; admit, retire: a reviewer), a code taken
// (ALREADY_EXISTS).
Status admit_programme_event(const Programme* current, const ProgrammeCommand& command);

// Workflow::decide_programme under `rule`: the programme's machine, then the rules of the step —
// who proposed a programme does not admit it, a retirement says why, a proposal's title against
// those of the department's candidate and admitted programmes (flagged, or refused as a
// duplicate; the decision carries the library revision it compared with).
Result<ProgrammeChange> decide_programme_event(const zbb::policy::Library& rule,
                                               const Programme* current,
                                               const ProgrammeCommand& command, Store& store,
                                               Timestamp now);

// Whether lines need an admitted programme under `rule` (unset: they do).
bool library_required(const zbb::policy::Library& rule);

// What the library holds under the line's programme code, read when the line is created or
// submitted: nullptr when no programme has the code.
Result<std::shared_ptr<const Programme>> programme_of(const LineContent& content, Store& store);

// Guard: the line names an admitted programme of its own department and category. At creation
// (`creating`) a code outside the library, of another department or of another category is
// INVALID_ARGUMENT on content.programme_code or content.category; anything else — and anything
// at all at a later submission, whose request names no programme — is FAILED_PRECONDITION.
// Nothing to check when `programme` is unset (the policy does not require the library).
Status NamesAdmittedProgramme(const LineContent& content,
                              const std::optional<std::shared_ptr<const Programme>>& programme,
                              bool creating);

}  // namespace zbb::review
