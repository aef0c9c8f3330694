#include "adapters/cli/zbbctl_rounds.h"

#include <fmt/format.h>

#include "adapters/cli/text_table.h"
#include "adapters/cli/yuan_amount.h"
#include "adapters/cli/zbbctl_json.h"
#include "engine/money.h"

namespace zbb::cli {
namespace {

namespace v1 = zbb::v1;
using Align = TextTable::Align;

std::string level_name(int level) {
  switch (level) {
    case v1::INCREMENT_LEVEL_MINIMUM:
      return "minimum";
    case v1::INCREMENT_LEVEL_CURRENT:
      return "current";
    case v1::INCREMENT_LEVEL_ENHANCEMENT:
      return "enhancement";
    default:
      return "?";
  }
}

std::string warning_name(int level) {
  switch (level) {
    case v1::WARNING_LEVEL_GREEN:
      return "green";
    case v1::WARNING_LEVEL_YELLOW:
      return "yellow";
    case v1::WARNING_LEVEL_RED:
      return "red";
    default:
      return "-";
  }
}

std::string points(std::int64_t hundredths) {
  return fmt::format("{}.{:02d}", hundredths / 100, hundredths % 100);
}

}  // namespace

std::string rank_text(const v1::RankResponse& r) {
  TextTable lines({{"rank", Align::kRight},
                   {"line"},
                   {"department"},
                   {"score", Align::kRight},
                   {"requested", Align::kRight},
                   {"funded", Align::kRight},
                   {"packages funded"}});
  for (const auto& l : r.lines()) {
    std::string levels;
    for (int level : l.funded_levels()) levels += (levels.empty() ? "" : ", ") + level_name(level);
    lines.add_row({std::to_string(l.rank()), l.line_id(), l.department(),
                   points(l.score_hundredths()), format_yuan(l.requested()),
                   format_yuan(l.funded()), levels.empty() ? "-" : levels});
  }
  std::string text = lines.render();
  text += fmt::format("\nranking {}{}: envelope {} yuan, funded {}, unfunded {}, unallocated {}",
                      r.ranking_id(), r.replayed() ? " (already done: the stored result)" : "",
                      format_yuan(r.envelope()), format_yuan(r.funded_total()),
                      format_yuan(r.unfunded_total()), format_yuan(r.unallocated()));
  if (r.has_cut())
    text += fmt::format("\ncut at package {}: {} {} ({} yuan)", r.cut().rank(), r.cut().line_id(),
                        level_name(r.cut().level()), format_yuan(r.cut().amount()));
  if (r.dry_run()) text += "\npreview only: nothing was written";
  return text;
}

std::string monitor_text(const v1::MonitoringReport& r) {
  TextTable groups({{"department"},
                    {"warning"},
                    {"lines", Align::kRight},
                    {"approved", Align::kRight},
                    {"spent", Align::kRight}});
  for (const auto& g : r.groups())
    groups.add_row({g.department(), warning_name(g.level()), std::to_string(g.lines()),
                    format_yuan(g.approved()), format_yuan(g.spent())});
  TextTable lines({{"line"},
                   {"department"},
                   {"warning"},
                   {"execution", Align::kRight},
                   {"outputs", Align::kRight},
                   {"why"}});
  for (const auto& l : r.lines())
    lines.add_row({l.line_id(), l.department(), warning_name(l.result().level()),
                   points(l.result().execution_rate_bp()) + "%",
                   points(l.result().indicator_completion_bp()) + "%",
                   l.result().reasons().empty() ? "" : l.result().reasons(0)});
  // The checkpoint the lines were judged at, when they all were at the same one (lines under
  // other policy versions may have had others).
  std::string checkpoint;
  for (const auto& l : r.lines()) {
    const std::string at = l.result().checkpoint().empty()
                               ? ""
                               : fmt::format(" at the {} checkpoint{}", l.result().checkpoint(),
                                             l.result().dual() ? " (dual monitoring)" : "");
    if (&l != &r.lines(0) && at != checkpoint) {
      checkpoint = " at each line's checkpoint";
      break;
    }
    checkpoint = at;
  }
  return fmt::format("Monitoring round {} as of {}{}{}\n\n{}\n{}", r.report_id(), r.as_of(),
                     checkpoint, r.replayed() ? " (already done: the stored report)" : "",
                     groups.render(), lines.render());
}

Outcome run_rank(Client& client, const RankOptions& options, const Output& output) {
  auto envelope = parse_yuan(options.envelope);
  if (!envelope.ok()) return Failure::usage("--envelope: " + envelope.status().message());
  v1::RankRequest request;
  request.set_request_id(options.request_id.empty() ? fresh_request_id() : options.request_id);
  request.set_fiscal_year(options.fiscal_year);
  request.set_department(options.department);
  request.set_envelope(*envelope);
  request.set_dry_run(options.dry_run);
  v1::RankResponse response;
  auto failure = client.unary([&](grpc::ClientContext* context) {
    return options.department.empty()
               ? client.workflow().RankFiscalYear(context, request, &response)
               : client.workflow().RankDepartment(context, request, &response);
  });
  if (failure) return failure;
  output.out << (output.json ? to_json(response) : rank_text(response)) << '\n';
  return std::nullopt;
}

Outcome run_monitor(Client& client, const MonitorOptions& options, const Output& output) {
  v1::RunMonitoringRequest request;
  request.set_request_id(options.request_id.empty() ? fresh_request_id() : options.request_id);
  request.set_fiscal_year(options.fiscal_year);
  request.set_as_of(options.as_of);
  request.set_department(options.department);
  v1::MonitoringReport response;
  auto failure = client.unary([&](grpc::ClientContext* context) {
    return client.workflow().RunMonitoring(context, request, &response);
  });
  if (failure) return failure;
  output.out << (output.json ? to_json(response) : monitor_text(response)) << '\n';
  return std::nullopt;
}

}  // namespace zbb::cli
