#pragma once

// A programme of the project library as a Boost.Statechart machine, the only place that decides
// which event it accepts in which status. Like a line's, a machine lives for one event: restored
// into the programme's stored status, fed the event, and read back.
//
//   (new) ─propose→ candidate ─admit→ admitted ─retire→ retired
//                   candidate ─retire→ retired

#include <string>

#include "engine/clock.h"
#include "engine/programme.h"
#include "engine/status.h"

namespace zbb::library {

// Feeds `event` to the machine of `programme` (a default Programme before it is proposed) and
// leaves in `programme` what it changes: its status and who did what when. FAILED_PRECONDITION
// "programme <code> is <status>; accepts: …" when its status does not accept the event.
Status run_programme_machine(Programme& programme, const std::string& code,
                             const ProgrammeEvent& event, const std::string& actor, Timestamp now);

}  // namespace zbb::library
