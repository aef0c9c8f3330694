// The project library's commands: one event on one programme, planned, chained and committed
// through the engine's group commit like a line's, its request id kept in the same log.

#include <fmt/format.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "engine/engine.h"
#include "engine/proto_codec.h"

namespace zbb {

std::string status_name(zbb::v1::ProgrammeStatus status) {
  switch (status) {
    case zbb::v1::PROGRAMME_STATUS_CANDIDATE:
      return "candidate";
    case zbb::v1::PROGRAMME_STATUS_ADMITTED:
      return "admitted";
    case zbb::v1::PROGRAMME_STATUS_RETIRED:
      return "retired";
    default:
      return "";
  }
}

std::string programme_event_type(const ProgrammeEvent& event) {
  const auto* field = ProgrammeEvent::descriptor()->FindFieldByNumber(event.event_case());
  return field == nullptr ? std::string() : field->name();
}

namespace {

// A change that ran into another command's (the programme moved on, its code was taken) is
// decided again on the programme as committed; every conflict means another command committed,
// and programmes change seldom, so a few rounds settle it.
constexpr int kPlanRounds = 16;

Status check_programme_envelope(const ProgrammeCommand& command) {
  ZBB_RETURN_IF_ERROR(validate_id("request_id", command.request_id));
  ZBB_RETURN_IF_ERROR(validate_id("actor", command.principal.name));
  ZBB_RETURN_IF_ERROR(validate_id("code", command.code));
  if (command.expected_version && *command.expected_version < 0)
    return Status::InvalidArgument("expected_version", "must not be negative");
  if (command.event.event_case() == ProgrammeEvent::EVENT_NOT_SET)
    return Status::InvalidArgument("event", "must hold propose, admit or retire");
  return Status::Ok();
}

// Tells a retry from a reused request id, as a line command's fingerprint does; "programme"
// first, so that no line command shares it.
std::string programme_fingerprint(const ProgrammeCommand& command) {
  std::string input;
  const auto append = [&input](std::string_view field) {
    input += std::to_string(field.size());
    input += ':';
    input += field;
  };
  append("programme");
  append(command.principal.name);
  append(command.code);
  append(std::to_string(command.expected_version.value_or(-1)));
  std::string event;
  google::protobuf::io::StringOutputStream stream(&event);
  {
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    command.event.SerializeToCodedStream(&coded);
  }
  append(event);
  return sha256_hex(input);
}

}  // namespace

Result<Programme> Engine::get_programme(const std::string& code) {
  auto stored = store_.load_programme(code);
  if (!stored.ok()) return stored.status();
  return *stored->programme;
}

Result<ProgrammeOutcome> Engine::execute_programme(const ProgrammeCommand& command) {
  ZBB_RETURN_IF_ERROR(check_programme_envelope(command));
  Command envelope;  // what request ids are kept under, as for lines
  envelope.request_id = command.request_id;
  envelope.principal = command.principal;
  const std::string key = request_key(envelope);
  const std::string fingerprint = programme_fingerprint(command);
  // A replay answers with the programme as it is now.
  const auto replayed = [&]() -> Result<ProgrammeOutcome> {
    auto outcome = replay(envelope, fingerprint);
    if (!outcome.ok()) return outcome.status();
    auto programme = get_programme(command.code);
    if (!programme.ok()) return programme.status();
    return ProgrammeOutcome{std::move(outcome).value(), std::move(programme).value()};
  };
  for (int round = 0; round < kPlanRounds; ++round) {
    auto recorded = store_.find_request(key);
    if (!recorded.ok()) return recorded.status();
    if (recorded->has_value()) return replayed();

    StoredProgramme current;
    if (auto stored = store_.load_programme(command.code); stored.ok()) {
      current = std::move(stored).value();
    } else if (stored.status().code() != Code::kNotFound) {
      return stored.status();
    }
    // As for a line: whether the caller may send the event at all, then the version, then what
    // the event changes.
    ZBB_RETURN_IF_ERROR(workflow_.admit_programme(current.programme.get(), command));
    const std::int64_t version = current.programme ? current.programme->version() : 0;
    if (command.expected_version && *command.expected_version != version)
      return Status::Aborted(fmt::format("programme {} is at version {}, not the expected {}",
                                         command.code, version, *command.expected_version));

    const Timestamp now = clock_.now();
    auto change = workflow_.decide_programme(current.programme.get(), command, store_, now);
    if (!change.ok()) return change.status();

    auto programme = std::make_shared<Programme>(std::move(change->programme));
    programme->set_code(command.code);
    programme->set_version(version + 1);

    RecordedEvent event;
    event.line_id = command.code;
    event.line_sequence = programme->version();
    event.type = change->type;
    event.from_state = change->from_status;
    event.to_state = change->to_status;
    event.payload = std::move(change->payload);
    event.actor = command.principal.name;
    event.at = now;
    event.request_id = command.request_id;
    event.prev_hash = current.last_hash;
    event.hash = compute_event_hash(event);

    auto batch = std::make_shared<CommitBatch>();
    batch->request_id = key;
    batch->fingerprint = fingerprint;
    batch->at = now;
    batch->programmes.push_back(ProgrammeWrite{.programme = programme,
                                               .previous_version = version,
                                               .last_hash = event.hash,
                                               .document = programme->SerializeAsString(),
                                               .compared_revision = change->compared_revision});
    batch->programme_events.push_back(std::move(event));
    batch->outcome.items.push_back(
        {command.code, programme->version(), status_name(programme->status())});

    BatchAnswer answer = commits_.commit({batch}).front();
    switch (answer.verdict) {
      case BatchVerdict::kWritten: {
        CommandOutcome outcome = batch->outcome;
        outcome.last_sequence = answer.last_sequence;
        return ProgrammeOutcome{std::move(outcome), *programme};
      }
      case BatchVerdict::kRequestRecorded:
        return replayed();
      case BatchVerdict::kLineTaken:
      case BatchVerdict::kLineMoved:
      case BatchVerdict::kLineMissing:
        continue;  // decided again on the library as committed
      default:
        return answer.status;
    }
  }
  return Status::Unavailable(fmt::format(
      "request {}: programme {} kept changing under it; nothing was written, a retry with the "
      "same request id is safe",
      command.request_id, command.code));
}

}  // namespace zbb
