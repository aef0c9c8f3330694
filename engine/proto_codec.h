#pragma once

#include <string>
#include <string_view>

#include "engine/budget_line.h"
#include "engine/commands.h"
#include "engine/model.pb.h"
#include "engine/status.h"
#include "zbb/v1/budget_line.pb.h"
#include "zbb/v1/events.pb.h"

namespace zbb {

// What the store keeps, as protobuf binary: line documents, event payloads, request outcomes.
// The line, the actions and the follow-ups are zbb.v1 messages already (README: design notes).

// What one level of an approval chain decided, as a line keeps it.
ApprovalRecord approval_record(const std::string& level, const std::string& actor,
                               Decision decision, Fen amount, const std::string& comment,
                               Timestamp at);

// --- what the store keeps, as protobuf binary ---
std::string line_document(const BudgetLine& line);
// DATA_LOSS naming the line when the bytes are not a line document.
Result<BudgetLine> line_from_document(std::string_view bytes, std::string_view line_id);

// The event's data as its payload holds it: a client's action as `event` (with what zbb
// completed it with in `decided`), zbb's follow-up as `follow_up`; the rest of `decided` is the
// workflow's to fill.
void to_proto(const Action& action, const AddedByZbb& added, zbb::v1::EventPayload* out);
void to_proto(const FollowUp& follow_up, zbb::v1::EventPayload* out);
// The same for the message of an action (an alternative of Action) or of a follow-up, without
// wrapping it in its variant first.
void action_payload(const google::protobuf::Message& action, const AddedByZbb& added,
                    zbb::v1::EventPayload* out);
void follow_up_payload(const google::protobuf::Message& follow_up, zbb::v1::EventPayload* out);

std::string outcome_document(const CommandOutcome& outcome);
Result<CommandOutcome> outcome_from_document(std::string_view bytes);

}  // namespace zbb
