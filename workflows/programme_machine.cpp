#include "workflows/programme_machine.h"

#include <fmt/format.h>
#include <boost/mpl/list.hpp>
#include <boost/statechart/custom_reaction.hpp>
#include <boost/statechart/event.hpp>
#include <boost/statechart/simple_state.hpp>
#include <boost/statechart/state_machine.hpp>

#include <string_view>

#include "engine/budget_line.h"

namespace zbb::library {
namespace {

namespace sc = boost::statechart;
namespace mpl = boost::mpl;

struct Propose : sc::event<Propose> {
  explicit Propose(const zbb::v1::ProposeProgramme& p) : proposal(p) {}
  const zbb::v1::ProposeProgramme& proposal;
};
struct Admit : sc::event<Admit> {
  explicit Admit(const zbb::v1::AdmitProgramme& a) : admission(a) {}
  const zbb::v1::AdmitProgramme& admission;
};
struct Retire : sc::event<Retire> {
  explicit Retire(const zbb::v1::RetireProgramme& r) : retirement(r) {}
  const zbb::v1::RetireProgramme& retirement;
};
// Sent first: moves the fresh machine into the programme's stored status.
struct Restore : sc::event<Restore> {
  explicit Restore(zbb::v1::ProgrammeStatus s) : status(s) {}
  zbb::v1::ProgrammeStatus status;
};

struct Unproposed;

struct ProgrammeMachine : sc::state_machine<ProgrammeMachine, Unproposed> {
  ProgrammeMachine(Programme& programme, const std::string& actor, Timestamp now)
      : programme(programme), actor(actor), now(now) {}

  // Called by Boost.Statechart for an event no active state reacts to.
  void unconsumed_event(const sc::event_base&) { consumed = false; }

  Programme& programme;
  const std::string& actor;
  Timestamp now;
  bool consumed = true;
};

struct Candidate;
struct Admitted;
struct Retired;

// Each state names its status and the events it accepts, for the refusal.
struct Unproposed : sc::simple_state<Unproposed, ProgrammeMachine> {
  static constexpr std::string_view kStatus = "not proposed";
  static constexpr std::string_view kAccepts = "propose";
  using reactions = mpl::list<sc::custom_reaction<Restore>, sc::custom_reaction<Propose>>;
  sc::result react(const Restore& e);
  sc::result react(const Propose& e) {
    Programme& p = outermost_context().programme;
    p.set_department(e.proposal.department());
    p.set_title(e.proposal.title());
    p.set_category(e.proposal.category());
    p.set_description(e.proposal.description());
    p.set_proposed_by(outermost_context().actor);
    *p.mutable_proposed_at() = to_proto(outermost_context().now);
    p.set_status(zbb::v1::PROGRAMME_STATUS_CANDIDATE);
    return transit<Candidate>();
  }
};

// Retires the programme of the machine: a candidate or an admitted one.
void retire(ProgrammeMachine& m, const Retire& e) {
  m.programme.set_retired_by(m.actor);
  *m.programme.mutable_retired_at() = to_proto(m.now);
  m.programme.set_retirement_reason(e.retirement.reason());
  m.programme.set_status(zbb::v1::PROGRAMME_STATUS_RETIRED);
}

struct Candidate : sc::simple_state<Candidate, ProgrammeMachine> {
  static constexpr std::string_view kStatus = "candidate";
  static constexpr std::string_view kAccepts = "admit, retire";
  using reactions = mpl::list<sc::custom_reaction<Admit>, sc::custom_reaction<Retire>>;
  sc::result react(const Admit& e) {
    Programme& p = outermost_context().programme;
    p.set_admitted_by(outermost_context().actor);
    *p.mutable_admitted_at() = to_proto(outermost_context().now);
    p.set_admission_comment(e.admission.comment());
    p.set_status(zbb::v1::PROGRAMME_STATUS_ADMITTED);
    return transit<Admitted>();
  }
  sc::result react(const Retire& e) {
    retire(outermost_context(), e);
    return transit<Retired>();
  }
};

struct Admitted : sc::simple_state<Admitted, ProgrammeMachine> {
  static constexpr std::string_view kStatus = "admitted";
  static constexpr std::string_view kAccepts = "retire";
  using reactions = mpl::list<sc::custom_reaction<Retire>>;
  sc::result react(const Retire& e) {
    retire(outermost_context(), e);
    return transit<Retired>();
  }
};

struct Retired : sc::simple_state<Retired, ProgrammeMachine> {
  static constexpr std::string_view kStatus = "retired";
  static constexpr std::string_view kAccepts = "";
};

sc::result Unproposed::react(const Restore& e) {
  switch (e.status) {
    case zbb::v1::PROGRAMME_STATUS_CANDIDATE:
      return transit<Candidate>();
    case zbb::v1::PROGRAMME_STATUS_ADMITTED:
      return transit<Admitted>();
    case zbb::v1::PROGRAMME_STATUS_RETIRED:
      return transit<Retired>();
    default:
      return discard_event();
  }
}

template <typename State>
bool describe(const ProgrammeMachine& m, std::string_view& status, std::string_view& accepts) {
  if (m.state_cast<const State*>() == nullptr) return false;
  status = State::kStatus;
  accepts = State::kAccepts;
  return true;
}

}  // namespace

Status run_programme_machine(Programme& programme, const std::string& code,
                             const ProgrammeEvent& event, const std::string& actor, Timestamp now) {
  ProgrammeMachine machine(programme, actor, now);
  machine.initiate();
  if (programme.status() != zbb::v1::PROGRAMME_STATUS_UNSPECIFIED) {
    machine.process_event(Restore(programme.status()));
    if (machine.state_cast<const Unproposed*>() != nullptr)
      return Status::Internal(fmt::format("programme {} has an unknown stored status {}", code,
                                          static_cast<int>(programme.status())));
  }
  switch (event.event_case()) {
    case ProgrammeEvent::kPropose:
      machine.process_event(Propose(event.propose()));
      break;
    case ProgrammeEvent::kAdmit:
      machine.process_event(Admit(event.admit()));
      break;
    case ProgrammeEvent::kRetire:
      machine.process_event(Retire(event.retire()));
      break;
    default:
      return Status::InvalidArgument("event", "must hold propose, admit or retire");
  }
  if (machine.consumed) return Status::Ok();
  std::string_view status;
  std::string_view accepts;
  describe<Unproposed>(machine, status, accepts) || describe<Candidate>(machine, status, accepts) ||
      describe<Admitted>(machine, status, accepts) || describe<Retired>(machine, status, accepts);
  return Status::FailedPrecondition(fmt::format(
      "programme {} is {}; {}", code, status,
      accepts.empty() ? std::string("it accepts no event") : fmt::format("accepts: {}", accepts)));
}

}  // namespace zbb::library
