#pragma once

#include <google/protobuf/message.h>

#include <cstddef>
#include <string_view>

#include "engine/status.h"

namespace zbb::api {

// What a text field of a request may hold: at most `max_bytes` of UTF-8, and line breaks and
// tabs only in free text (comments, reasons, statements).
struct TextLimit {
  std::size_t max_bytes = 0;
  bool free_text = false;
};

// The limit of a request's text field, by its name: the same name means the same thing in
// every request (`department`, `comment`, `line_id`).
TextLimit text_limit(std::string_view field_name);

// Every text field of a request, however deep, checked against its limit before anything
// uses it: INVALID_ARGUMENT naming the field as the request spells it
// (`items[2].event.decide.level`) when it is too long or holds a control character (U+0000–
// U+001F, U+007F–U+009F; tab and line breaks allowed in free text). Run on every request, so
// that no value of any size reaches a refusal message, a log line or the store.
Status check_request_text(const google::protobuf::Message& request);

}  // namespace zbb::api
