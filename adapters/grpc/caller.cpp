#include "adapters/grpc/caller.h"

namespace zbb::api {

Result<Principal> authenticate_caller(const grpc::ServerContextBase& context,
                                      const TokenAuthenticator& tokens) {
  const auto& metadata = context.client_metadata();
  const auto found = metadata.find("authorization");
  const std::string_view header =
      found == metadata.end() ? std::string_view()
                              : std::string_view(found->second.data(), found->second.size());
  return tokens.authenticate(header);
}

}  // namespace zbb::api
