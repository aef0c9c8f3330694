#include "adapters/cli/zbbctl_audit.h"

#include <fmt/format.h>

#include "adapters/cli/zbbctl_json.h"

namespace zbb::cli {

Outcome run_verify(Client& client, const std::string& line_id, const Output& output) {
  zbb::v1::VerifyAuditRequest request;
  request.set_line_id(line_id);
  zbb::v1::VerifyAuditResponse response;
  auto failure = client.unary([&](grpc::ClientContext* context) {
    return client.query().VerifyAudit(context, request, &response);
  });
  if (failure) return failure;
  if (output.json) {
    output.out << to_json(response) << '\n';
  } else if (response.intact()) {
    output.out << fmt::format("audit trail intact: {} events of {} lines checked",
                              response.events_checked(), response.lines_checked());
    if (line_id.empty())
      output.out << fmt::format(", {} events of {} programmes", response.programme_events_checked(),
                                response.programmes_checked());
    output.out << '\n';
  }
  if (response.intact()) return std::nullopt;
  return Failure{
      "TAMPERED",
      fmt::format("event {} ({} {}, #{}): {}", response.broken_sequence(),
                  response.broken_in_programme() ? "programme" : "line", response.broken_line_id(),
                  response.broken_line_sequence(), response.reason()),
      Failure::kServerExit};
}

}  // namespace zbb::cli
