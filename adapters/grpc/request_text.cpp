#include "adapters/grpc/request_text.h"

#include <fmt/format.h>

#include <array>
#include <optional>
#include <string>
#include <utility>

#include "workflows/line_rules.h"

namespace zbb::api {
namespace {

namespace pb = google::protobuf;

// Ids are checked for their characters by the engine (validate_id); their length here.
constexpr std::size_t kMaxIdBytes = 128;
// A page token carries a sort key, an id and a check; a report's id is "<actor>|<request id>",
// both ids.
constexpr std::size_t kMaxTokenBytes = 512;
constexpr std::size_t kMaxReportIdBytes = 2 * kMaxIdBytes + 1;

constexpr std::array<std::pair<std::string_view, TextLimit>, 15> kLimits{{
    {"report_id", {kMaxReportIdBytes, false}},
    {"request_id", {kMaxIdBytes, false}},
    {"line_id", {kMaxIdBytes, false}},
    {"target_line", {kMaxIdBytes, false}},
    {"page_token", {kMaxTokenBytes, false}},
    {"title", {review::kMaxTitleBytes, false}},
    {"necessity_statement", {review::kMaxStatementBytes, true}},
    {"justification", {review::kMaxStatementBytes, true}},
    {"summary", {review::kMaxStatementBytes, true}},
    {"comment", {review::kMaxCommentBytes, true}},
    {"reason", {review::kMaxCommentBytes, true}},
    {"report", {review::kMaxCommentBytes, true}},
    {"conclusion", {review::kMaxCommentBytes, true}},
    {"description", {review::kMaxCommentBytes, true}},
    {"id", {kMaxIdBytes, false}},
}};

// The code point starting at text[at] and its length in bytes; nullopt when the bytes there
// are not UTF-8 (the wire's parser has refused those already; this keeps the walk safe).
std::optional<std::pair<char32_t, std::size_t>> code_point_at(std::string_view text,
                                                              std::size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  if (lead < 0x80) return std::pair<char32_t, std::size_t>{lead, 1};
  const std::size_t length = (lead & 0xE0) == 0xC0   ? 2
                             : (lead & 0xF0) == 0xE0 ? 3
                             : (lead & 0xF8) == 0xF0 ? 4
                                                     : 0;
  if (length == 0 || at + length > text.size()) return std::nullopt;
  char32_t code = lead & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(text[at + k]);
    if ((next & 0xC0) != 0x80) return std::nullopt;
    code = (code << 6) | (next & 0x3F);
  }
  return std::pair<char32_t, std::size_t>{code, length};
}

bool is_control(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

bool allowed_in_free_text(char32_t c) { return c == '\t' || c == '\n' || c == '\r'; }

Status check_text(const std::string& path, std::string_view name, std::string_view value) {
  const TextLimit limit = text_limit(name);
  if (value.size() > limit.max_bytes)
    return Status::InvalidArgument(
        path, fmt::format("is {} bytes long; at most {} allowed", value.size(), limit.max_bytes));
  for (std::size_t at = 0; at < value.size();) {
    const auto code_point = code_point_at(value, at);
    if (!code_point) return Status::InvalidArgument(path, "is not valid UTF-8");
    const char32_t c = code_point->first;
    if (is_control(c) && !(limit.free_text && allowed_in_free_text(c)))
      return Status::InvalidArgument(
          path, fmt::format("holds the control character U+{:04X} at byte {}{}",
                            static_cast<std::uint32_t>(c), at,
                            limit.free_text ? " (only tab and line breaks are allowed)"
                                            : " (no control characters, tabs or line breaks)"));
    at += code_point->second;
  }
  return Status::Ok();
}

Status check_message(const pb::Message& message, const std::string& prefix) {
  const pb::Reflection* reflection = message.GetReflection();
  std::vector<const pb::FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  std::string scratch;
  for (const pb::FieldDescriptor* field : fields) {
    const std::string path = prefix.empty() ? field->name() : prefix + "." + field->name();
    const bool text = field->cpp_type() == pb::FieldDescriptor::CPPTYPE_STRING &&
                      field->type() == pb::FieldDescriptor::TYPE_STRING;
    const bool nested = field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE;
    if (!text && !nested) continue;
    if (!field->is_repeated()) {
      if (text) {
        ZBB_RETURN_IF_ERROR(check_text(path, field->name(),
                                       reflection->GetStringReference(message, field, &scratch)));
      } else {
        ZBB_RETURN_IF_ERROR(check_message(reflection->GetMessage(message, field), path));
      }
      continue;
    }
    const int size = reflection->FieldSize(message, field);
    for (int i = 0; i < size; ++i) {
      const std::string element = fmt::format("{}[{}]", path, i);
      if (text) {
        ZBB_RETURN_IF_ERROR(
            check_text(element, field->name(),
                       reflection->GetRepeatedStringReference(message, field, i, &scratch)));
      } else {
        ZBB_RETURN_IF_ERROR(
            check_message(reflection->GetRepeatedMessage(message, field, i), element));
      }
    }
  }
  return Status::Ok();
}

}  // namespace

TextLimit text_limit(std::string_view field_name) {
  for (const auto& [name, limit] : kLimits)
    if (name == field_name) return limit;
  // Names, codes, roles, levels, units, references: one short line.
  return {review::kMaxNameBytes, false};
}

Status check_request_text(const google::protobuf::Message& request) {
  return check_message(request, "");
}

}  // namespace zbb::api
