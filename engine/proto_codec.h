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

// The engine's plain types as the zbb.v1 messages that store them and that the API shows: one
// mapping, used by the store (protobuf binary documents, payloads, outcomes) and at the edge.

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

std::string outcome_document(const CommandOutcome& outcome);
Result<CommandOutcome> outcome_from_document(std::string_view bytes);

}  // namespace zbb
