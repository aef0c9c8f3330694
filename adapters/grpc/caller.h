#pragma once

#include <grpcpp/server_context.h>

#include "adapters/grpc/principal.h"
#include "adapters/grpc/token_authenticator.h"
#include "engine/status.h"

namespace zbb::api {

// The principal behind a call, from its "authorization: Bearer <token>" metadata.
Result<Principal> authenticate_caller(const grpc::ServerContextBase& context,
                                      const TokenAuthenticator& tokens);

}  // namespace zbb::api
