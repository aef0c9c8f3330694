#pragma once

// Bearer tokens → principals, from the token file zbbd is started with.
//
// The file is JSON:
//   {"principals": [
//     {"name": "wang.reviewer", "roles": ["reviewer"], "token": "<at least 16 characters>"},
//     {"name": "treasury", "roles": ["integrator"], "token_sha256": "<64 hex digits>"}
//   ]}
// An entry gives the token itself or only its SHA-256, so the file need not hold secrets.
// Only digests are kept in memory; a presented token is hashed and looked up by its digest.

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "adapters/grpc/principal.h"
#include "engine/status.h"

namespace zbb::api {

// Checks that `role` has one of the seven shapes: "unit:<department>", "reviewer",
// "approver:<level>", "supervisor", "integrator", "expert", "evaluator" (suffixes non-empty, no
// whitespace).
// Returns OK or an INVALID_ARGUMENT reason (field left empty).
Status check_role_shape(std::string_view role);

// Immutable once built, so one instance may be shared by every server thread.
class TokenAuthenticator {
 public:
  // Reads and validates the token file. Every error is INVALID_ARGUMENT with a message that
  // stands on its own: "<path>: principals[2].token: must be at least 16 characters".
  static Result<TokenAuthenticator> load_file(const std::string& path);
  // Same for text already read; `source` names it in error messages.
  static Result<TokenAuthenticator> from_json(const std::string& text, const std::string& source);

  // `authorization_metadata` is the value of the "authorization" header: "Bearer <token>", the
  // scheme case-insensitive. UNAUTHENTICATED "missing bearer token" when absent, empty or of
  // another scheme; "unknown token" when no principal has it. Never echoes the token.
  Result<Principal> authenticate(std::string_view authorization_metadata) const;

  std::size_t size() const { return by_digest_.size(); }

 private:
  TokenAuthenticator() = default;

  std::unordered_map<std::string, Principal> by_digest_;  // SHA-256 (lower-case hex) → who
};

}  // namespace zbb::api
