#include "adapters/sql/backend.h"

#include <libpq-fe.h>
#include <soci/soci.h>

#include <map>
#include <utility>

namespace zbb::sql {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Backend backend_of(soci::session& session) {
  return session.get_backend_name() == "postgresql" ? Backend::kPostgresql : Backend::kSqlite;
}

std::string postgresql_connect_string(const std::string& database) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(database.c_str(), &error);
  if (options == nullptr) {
    PQfreemem(error);
    return database;  // libpq says why when it is given it to connect
  }
  // zbbd notices a database host gone without a word (power, network) within half a minute,
  // rather than the system's two hours, unless the connection string says otherwise.
  std::map<std::string, std::string> settings = {
      {"connect_timeout", "10"}, {"keepalives_idle", "10"},     {"keepalives_interval", "5"},
      {"keepalives_count", "3"}, {"tcp_user_timeout", "30000"},
  };
  for (const PQconninfoOption* option = options; option->keyword != nullptr; ++option)
    if (option->val != nullptr) settings[option->keyword] = option->val;
  PQconninfoFree(options);
  std::string pairs;
  for (const auto& [keyword, value] : settings) {
    if (!pairs.empty()) pairs += ' ';
    pairs += keyword;
    pairs += "='";
    for (const char c : value) {
      if (c == '\'' || c == '\\') pairs += '\\';
      pairs += c;
    }
    pairs += '\'';
  }
  return pairs;
}

std::optional<std::string> setting_soci_would_alter(const std::string& database) {
  PQconninfoOption* options = PQconninfoParse(database.c_str(), nullptr);
  if (options == nullptr) return std::nullopt;  // libpq says what is wrong when connecting
  std::optional<std::string> altered;
  for (const PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (option->val == nullptr) continue;
    const std::string_view value = option->val;
    const bool blanks = value.find("  ") != std::string_view::npos ||
                        value.find('\t') != std::string_view::npos ||
                        value.find('\n') != std::string_view::npos;
    if (blanks || value.find('\'') != std::string_view::npos ||
        value.find('\\') != std::string_view::npos) {
      altered = option->keyword;
      break;
    }
  }
  PQconninfoFree(options);
  return altered;
}

std::string blob_parameter(Backend backend, std::string_view bytes) {
  if (backend == Backend::kSqlite) return std::string(bytes);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(2 + 2 * bytes.size());
  text += "\\x";
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    text += kDigits[byte >> 4];
    text += kDigits[byte & 0xf];
  }
  return text;
}

std::string blob_column(Backend backend, std::string text) {
  if (backend == Backend::kSqlite || text.size() < 2 || text[0] != '\\' || text[1] != 'x' ||
      text.size() % 2 != 0)
    return text;
  std::string bytes;
  bytes.reserve((text.size() - 2) / 2);
  for (std::size_t i = 2; i < text.size(); i += 2) {
    const int high = hex_value(text[i]);
    const int low = hex_value(text[i + 1]);
    if (high < 0 || low < 0) return text;
    bytes += static_cast<char>(high << 4 | low);
  }
  return bytes;
}

}  // namespace zbb::sql
