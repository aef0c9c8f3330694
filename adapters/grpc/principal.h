#pragma once

#include "engine/principal.h"

namespace zbb::api {

// Who is calling, as the token file says (engine/principal.h).
using Principal = zbb::Principal;

}  // namespace zbb::api
