#include "adapters/grpc/token_authenticator.h"

#include <fmt/format.h>

#include "engine/config_file.h"

#include "engine/engine.h"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/recorded_event.h"

namespace zbb::api {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::size_t kMinTokenLength = 16;
constexpr std::size_t kDigestLength = 64;
constexpr std::uintmax_t kMaxTokenFileBytes = 1 << 20;

constexpr std::string_view kUnitPrefix = "unit:";
constexpr std::string_view kApproverPrefix = "approver:";

// An INVALID_ARGUMENT whose message stands on its own: "<source>: <what>".
Status file_error(const std::string& source, const std::string& what) {
  return Status(Code::kInvalidArgument, source + ": " + what);
}

std::string indexed(const std::string& field, std::size_t index) {
  return field + "[" + std::to_string(index) + "]";
}

std::string in_quotes(std::string_view text) { return "\"" + std::string(text) + "\""; }

bool has_space_or_control(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f) return true;
  }
  return false;
}

// gRPC metadata values are printable ASCII; a token must also survive "Bearer <token>".
bool is_token_text(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x21 || byte > 0x7e) return false;
  }
  return true;
}

bool is_hex_digest(std::string_view text) {
  if (text.size() != kDigestLength) return false;
  for (const char c : text) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

std::string lower_ascii(std::string_view text) {
  std::string lower(text);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return lower;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && lower_ascii(a) == lower_ascii(b);
}

std::string_view trimmed(std::string_view text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

// nlohmann::json keeps the last of two equal keys silently; a token file with "token" twice in
// one entry would then authenticate with a token its author may not have meant. This parser
// callback remembers the path of the first repeated key so that the file can be refused.
class DuplicateKeyFinder {
 public:
  bool operator()(int /*depth*/, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        frames_.push_back(Frame{event == json::parse_event_t::array_start, 0, {}, {}});
        break;
      case json::parse_event_t::key:
        if (!frames_.empty()) {
          Frame& top = frames_.back();
          top.key = parsed.is_string() ? parsed.get<std::string>() : std::string();
          if (!top.keys.insert(top.key).second && first_duplicate_.empty()) {
            first_duplicate_ = path();
          }
        }
        break;
      case json::parse_event_t::value:
        element_done();
        break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        if (!frames_.empty()) frames_.pop_back();
        element_done();
        break;
    }
    return true;
  }

  // The path of the first repeated key ("principals[1].token"), empty when there is none.
  const std::string& first_duplicate() const { return first_duplicate_; }

 private:
  struct Frame {
    bool is_array = false;
    std::size_t next_index = 0;  // arrays: the index of the element being read
    std::string key;             // objects: the key being read
    std::set<std::string> keys;
  };

  void element_done() {
    if (!frames_.empty() && frames_.back().is_array) ++frames_.back().next_index;
  }

  std::string path() const {
    std::string text;
    for (const Frame& frame : frames_) {
      if (frame.is_array) {
        text += "[" + std::to_string(frame.next_index) + "]";
      } else {
        text += (text.empty() ? "" : ".") + frame.key;
      }
    }
    return text;
  }

  std::vector<Frame> frames_;
  std::string first_duplicate_;
};

Result<json> parse_json(const std::string& text, const std::string& source) {
  // The finder is shared by reference: nlohmann copies the callback it is given.
  auto finder = std::make_shared<DuplicateKeyFinder>();
  json document;
  try {
    document = json::parse(text, [finder](int depth, json::parse_event_t event, json& parsed) {
      return (*finder)(depth, event, parsed);
    });
  } catch (const json::parse_error& e) {
    // e.what() reads "[json.exception.parse_error.101] parse error at line 1, column 2: ...".
    std::string what = e.what();
    if (const auto bracket = what.find("] "); what.starts_with("[json.") && bracket != what.npos) {
      what.erase(0, bracket + 2);
    }
    // "; last read: '<text>'" would quote the file, and the text may be a token.
    if (const auto quote = what.find("; last read:"); quote != what.npos) what.erase(quote);
    return file_error(source, "not valid JSON: " + what);
  }
  if (!finder->first_duplicate().empty()) {
    return file_error(source, finder->first_duplicate() + ": key appears twice");
  }
  return document;
}

Result<std::string> read_token_file(const std::string& path) {
  return read_config_file(path, "token file", kMaxTokenFileBytes);
}

// ---- one entry of "principals" -------------------------------------------------------------

// A principal as read from the file, with the digest of its token and the field it came from.
struct Entry {
  Principal principal;
  std::string digest;
  std::string token_field;  // "token" or "token_sha256"
};

Status check_known_fields(const json& entry) {
  static const std::set<std::string> kKnown = {"name", "roles", "token", "token_sha256"};
  for (const auto& [key, value] : entry.items()) {
    if (!kKnown.contains(key)) {
      return Status::InvalidArgument(key,
                                     "unknown field; an entry has name, roles and token or "
                                     "token_sha256");
    }
  }
  return Status::Ok();
}

Result<std::string> read_name(const json& entry) {
  const auto it = entry.find("name");
  if (it == entry.end()) return Status::InvalidArgument("name", "missing");
  if (!it->is_string()) return Status::InvalidArgument("name", "must be a string");
  std::string name = it->get<std::string>();
  // The name becomes the engine's actor (segregation of duties compares it exactly): refuse
  // at start-up a name every command would be refused for.
  if (Status valid = validate_id("name", name); !valid.ok())
    return Status::InvalidArgument("name", valid.message() + " (got " + in_quotes(name) + ")");
  if (name == "zbbd")
    return Status::InvalidArgument("name",
                                   "\"zbbd\" is the server's own name (its scheduled rounds)");
  return name;
}

Result<std::vector<std::string>> read_roles(const json& entry) {
  const auto it = entry.find("roles");
  if (it == entry.end()) return Status::InvalidArgument("roles", "missing");
  if (!it->is_array()) return Status::InvalidArgument("roles", "must be an array of strings");
  if (it->empty()) return Status::InvalidArgument("roles", "must name at least one role");
  std::vector<std::string> roles;
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& role = (*it)[i];
    const std::string field = indexed("roles", i);
    if (!role.is_string()) return Status::InvalidArgument(field, "must be a string");
    std::string text = role.get<std::string>();
    if (Status status = check_role_shape(text); !status.ok()) {
      return Status::InvalidArgument(field, status.message());
    }
    for (std::size_t j = 0; j < roles.size(); ++j) {
      if (roles[j] == text) {
        return Status::InvalidArgument(
            field, in_quotes(text) + " is already listed at roles[" + std::to_string(j) + "]");
      }
    }
    roles.push_back(std::move(text));
  }
  return roles;
}

// The token's digest; the token itself is dropped here. Messages never quote a token.
Result<std::pair<std::string, std::string>> read_digest(const json& entry) {
  const auto token = entry.find("token");
  const auto hashed = entry.find("token_sha256");
  if (token != entry.end() && hashed != entry.end()) {
    return Status::InvalidArgument("token", "give either token or token_sha256, not both");
  }
  if (token != entry.end()) {
    if (!token->is_string()) return Status::InvalidArgument("token", "must be a string");
    const auto& text = token->get_ref<const std::string&>();
    if (text.size() < kMinTokenLength) {
      return Status::InvalidArgument(
          "token", "must be at least " + std::to_string(kMinTokenLength) + " characters");
    }
    if (!is_token_text(text)) {
      return Status::InvalidArgument("token",
                                     "must be printable ASCII without spaces (it is sent in the "
                                     "authorization header)");
    }
    return std::pair{sha256_hex(text), std::string("token")};
  }
  if (hashed != entry.end()) {
    if (!hashed->is_string()) return Status::InvalidArgument("token_sha256", "must be a string");
    const auto& text = hashed->get_ref<const std::string&>();
    if (!is_hex_digest(text)) {
      return Status::InvalidArgument("token_sha256",
                                     "must be 64 hexadecimal digits (the SHA-256 of the token)");
    }
    return std::pair{lower_ascii(text), std::string("token_sha256")};
  }
  return Status::InvalidArgument("token", "missing (give \"token\" or \"token_sha256\")");
}

Result<Entry> read_entry(const json& entry) {
  if (!entry.is_object()) {
    return Status::InvalidArgument("", "must be an object with name, roles and token");
  }
  ZBB_RETURN_IF_ERROR(check_known_fields(entry));
  Result<std::string> name = read_name(entry);
  if (!name.ok()) return name.status();
  Result<std::vector<std::string>> roles = read_roles(entry);
  if (!roles.ok()) return roles.status();
  Result<std::pair<std::string, std::string>> digest = read_digest(entry);
  if (!digest.ok()) return digest.status();
  return Entry{Principal{std::move(name).value(), std::move(roles).value()},
               std::move(digest->first), std::move(digest->second)};
}

// Turns an INVALID_ARGUMENT from read_entry into "<source>: principals[i].<field>: <reason>".
Status entry_error(const Status& status, const std::string& source, std::size_t index) {
  const Status located = status.within(indexed("principals", index));
  return file_error(source, located.field() + ": " + located.message());
}

template <typename Body>
auto guarded(const std::string& what, Body body) -> decltype(body()) {
  try {
    return body();
  } catch (const std::exception& e) {
    return Status::Internal(what + ": " + e.what());
  } catch (...) {
    return Status::Internal(what + ": unknown exception");
  }
}

}  // namespace

Status check_role_shape(std::string_view role) {
  static constexpr std::string_view kExpected =
      "expected unit:<department>, reviewer, approver:<level>, supervisor, integrator, expert or "
      "evaluator";
  if (role.empty())
    return Status::InvalidArgument("", std::string("must not be empty; ") + std::string(kExpected));
  if (has_space_or_control(role)) {
    return Status::InvalidArgument(
        "", "must not contain whitespace or control characters (got " + in_quotes(role) + ")");
  }
  if (role == "reviewer" || role == "supervisor" || role == "integrator" || role == "expert" ||
      role == "evaluator")
    return Status::Ok();
  for (const std::string_view prefix : {kUnitPrefix, kApproverPrefix}) {
    if (role.starts_with(prefix)) {
      if (role.size() == prefix.size()) {
        return Status::InvalidArgument(
            "", in_quotes(role) + " names no " +
                    (prefix == kUnitPrefix ? "department" : "approval level") + " after the " +
                    in_quotes(prefix));
      }
      return Status::Ok();
    }
  }
  return Status::InvalidArgument("",
                                 "unknown role " + in_quotes(role) + "; " + std::string(kExpected));
}

Result<TokenAuthenticator> TokenAuthenticator::load_file(const std::string& path) {
  Result<std::string> text = read_token_file(path);
  if (!text.ok()) return text.status();
  return from_json(*text, path);
}

Result<TokenAuthenticator> TokenAuthenticator::from_json(const std::string& text,
                                                         const std::string& source) {
  return guarded(source, [&]() -> Result<TokenAuthenticator> {
    Result<json> parsed = parse_json(text, source);
    if (!parsed.ok()) return parsed.status();
    const json& document = *parsed;
    if (!document.is_object()) {
      return file_error(source, "must be a JSON object with a \"principals\" array");
    }
    for (const auto& [key, value] : document.items()) {
      if (key != "principals") {
        return file_error(source, key + ": unknown field; the file has only \"principals\"");
      }
    }
    const auto principals = document.find("principals");
    if (principals == document.end()) return file_error(source, "principals: missing");
    if (!principals->is_array()) return file_error(source, "principals: must be an array");
    if (principals->empty()) {
      return file_error(source, "principals: must list at least one principal");
    }

    TokenAuthenticator authenticator;
    std::map<std::string, std::size_t> index_of_name;
    std::map<std::string, std::size_t> index_of_digest;
    for (std::size_t i = 0; i < principals->size(); ++i) {
      Result<Entry> entry = read_entry((*principals)[i]);
      if (!entry.ok()) return entry_error(entry.status(), source, i);
      const std::string here = indexed("principals", i);
      const auto [name_at, new_name] = index_of_name.emplace(entry->principal.name, i);
      if (!new_name) {
        return file_error(source, here + ".name: " + in_quotes(entry->principal.name) +
                                      " is already used by " +
                                      indexed("principals", name_at->second));
      }
      const auto [digest_at, new_digest] = index_of_digest.emplace(entry->digest, i);
      if (!new_digest) {
        return file_error(source, here + "." + entry->token_field + ": the same token as " +
                                      indexed("principals", digest_at->second) +
                                      "; every principal needs its own token");
      }
      authenticator.by_digest_.emplace(std::move(entry->digest), std::move(entry->principal));
    }
    return authenticator;
  });
}

Result<Principal> TokenAuthenticator::authenticate(std::string_view authorization_metadata) const {
  static constexpr std::string_view kScheme = "bearer";
  const std::string_view header = trimmed(authorization_metadata);
  // Each refusal says where the token goes: clients cannot guess the header from the code.
  static constexpr std::string_view kHow =
      "send the token as the gRPC metadata (header) \"authorization: Bearer <token>\"";
  if (header.empty())
    return Status(Code::kUnauthenticated, fmt::format("missing bearer token: {}", kHow));
  const std::size_t space = header.find_first_of(" \t");
  const std::string_view scheme = header.substr(0, space);
  if (!equals_ignoring_case(scheme, kScheme)) {
    return Status(Code::kUnauthenticated,
                  fmt::format("missing bearer token: the authorization header must read "
                              "\"Bearer <token>\"; {}",
                              kHow));
  }
  const std::string_view token =
      space == std::string_view::npos ? std::string_view() : trimmed(header.substr(space));
  if (token.empty())
    return Status(Code::kUnauthenticated, fmt::format("missing bearer token: {}", kHow));
  const auto it = by_digest_.find(sha256_hex(token));
  if (it == by_digest_.end())
    return Status(Code::kUnauthenticated,
                  "unknown token: the bearer token in the \"authorization\" metadata is not "
                  "in zbbd's token file");
  return it->second;
}

}  // namespace zbb::api
