#include "engine/recorded_event.h"

#include <openssl/evp.h>

#include <array>
#include <memory>
#include <stdexcept>

namespace zbb {
namespace {

void append_field(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xF];
  }
  return hex;
}

std::string compute_event_hash(const RecordedEvent& e) {
  std::string input;
  input.reserve(256 + e.payload.size());
  append_field(input, e.prev_hash);
  append_field(input, e.line_id);
  append_field(input, std::to_string(e.line_sequence));
  append_field(input, e.type);
  append_field(input, e.from_state);
  append_field(input, e.to_state);
  append_field(input, e.payload);
  append_field(input, e.actor);
  append_field(input, std::to_string(to_millis(e.at)));
  append_field(input, e.request_id);
  if (e.payload_encoding == PayloadEncoding::kProtobuf) append_field(input, "protobuf");
  return sha256_hex(input);
}

}  // namespace zbb
