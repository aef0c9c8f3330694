#pragma once

#include <string>
#include <vector>

namespace zbb::api {

// How zbbd is started: from flags or a config file (the same names, TOML or INI).
struct ServerOptions {
  std::string listen = "127.0.0.1:50051";
  std::string database = "zbb.db";
  std::vector<std::string> policies = {"workflows/zero_based_review.textproto"};
  std::string current_policy;  // empty: the only policy loaded
  std::string tokens;
  std::string tls_certificate;  // PEM; with tls_key, serve TLS instead of plaintext
  std::string tls_key;
};

}  // namespace zbb::api
