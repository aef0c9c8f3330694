#include "adapters/cli/zbbctl_programmes.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "adapters/cli/text_table.h"
#include "adapters/cli/zbbctl_format.h"
#include "adapters/cli/zbbctl_json.h"

namespace zbb::cli {
namespace {

namespace v1 = zbb::v1;

std::string status_text(v1::ProgrammeStatus status) {
  switch (status) {
    case v1::PROGRAMME_STATUS_CANDIDATE:
      return "candidate";
    case v1::PROGRAMME_STATUS_ADMITTED:
      return "admitted";
    case v1::PROGRAMME_STATUS_RETIRED:
      return "retired";
    default:
      return "-";
  }
}

std::optional<v1::ProgrammeStatus> status_from_name(const std::string& name) {
  for (auto status : {v1::PROGRAMME_STATUS_CANDIDATE, v1::PROGRAMME_STATUS_ADMITTED,
                      v1::PROGRAMME_STATUS_RETIRED})
    if (status_text(status) == name) return status;
  return std::nullopt;
}

std::string per_mille_text(std::int32_t per_mille) {
  return fmt::format("{}.{} %", per_mille / 10, per_mille % 10);
}

// "alike JT-002 94.8 %, JT-007 81.0 %": the titles flagged when it was proposed.
std::string alike_text(const v1::Programme& programme) {
  std::string out;
  for (const auto& other : programme.similar())
    out += fmt::format("{}{} {}", out.empty() ? "alike " : ", ", other.code(),
                       per_mille_text(other.similarity_per_mille()));
  return out;
}

// "who on when: text", or who and when alone.
std::string by_on(const std::string& who, const google::protobuf::Timestamp& at,
                  const std::string& text) {
  if (who.empty()) return "-";
  std::string out = who;
  if (const auto when = format_time(at); !when.empty()) out += " on " + when;
  if (!text.empty()) out += ": " + text;
  return out;
}

Outcome act(Client& client, const ProgrammeOptions& options, v1::ProgrammeEvent event,
            const Output& output) {
  v1::ProgrammeRequest request;
  request.set_request_id(options.request_id.empty() ? fresh_request_id() : options.request_id);
  request.set_code(options.code);
  *request.mutable_event() = std::move(event);
  v1::ProgrammeResponse response;
  if (auto failure = client.unary([&](grpc::ClientContext* context) {
        return client.workflow().ActOnProgramme(context, request, &response);
      }))
    return failure;
  if (output.json) {
    output.out << to_json(response) << '\n';
    return std::nullopt;
  }
  output.out << fmt::format("programme {}: {}, version {}", response.programme().code(),
                            status_text(response.status()), response.version());
  if (response.replayed()) output.out << "; already done by an earlier request with this id";
  output.out << '\n';
  // A proposal says at once which titles it was found alike; the reviewer sees them in show.
  if (const auto alike = alike_text(response.programme());
      !alike.empty() && request.event().has_propose())
    output.out << "flagged: titles " << alike << '\n';
  return std::nullopt;
}

}  // namespace

std::string programme_details(const v1::Programme& programme) {
  std::vector<std::pair<std::string, std::string>> fields = {
      {"programme", programme.code()},
      {"department", programme.department()},
      {"title", programme.title()},
      {"category", category_name(programme.category())},
      {"status", status_text(programme.status())},
      {"version", std::to_string(programme.version())},
      {"proposed by", by_on(programme.proposed_by(), programme.proposed_at(), "")},
      {"admitted by",
       by_on(programme.admitted_by(), programme.admitted_at(), programme.admission_comment())},
      {"retired by",
       by_on(programme.retired_by(), programme.retired_at(), programme.retirement_reason())},
  };
  if (!programme.description().empty()) fields.emplace_back("description", programme.description());
  const auto alike = alike_text(programme);
  fields.emplace_back("flags", alike.empty() ? "-" : "titles " + alike);
  std::size_t width = 0;
  for (const auto& field : fields) width = std::max(width, field.first.size());
  std::string out;
  for (const auto& [name, value] : fields) out += fmt::format("{:<{}}  {}\n", name, width, value);
  return out;
}

std::string programmes_table(const v1::ListProgrammesResponse& programmes) {
  TextTable table({{"programme"}, {"department"}, {"status"}, {"category"}, {"title"}, {"flags"}});
  for (const auto& p : programmes.programmes()) {
    const auto alike = alike_text(p);
    table.add_row({p.code(), p.department(), status_text(p.status()), category_name(p.category()),
                   p.title(), alike.empty() ? "-" : alike});
  }
  return table.render();
}

Outcome run_propose_programme(Client& client, const ProgrammeOptions& options,
                              const Output& output) {
  const auto category = category_from_name(options.category);
  if (!category)
    return Failure::usage(fmt::format("--category {}: must be basic, project or department_overall",
                                      options.category));
  v1::ProgrammeEvent event;
  auto* propose = event.mutable_propose();
  propose->set_department(options.department);
  propose->set_title(options.title);
  propose->set_category(*category);
  propose->set_description(options.description);
  return act(client, options, std::move(event), output);
}

Outcome run_admit_programme(Client& client, const ProgrammeOptions& options, const Output& output) {
  v1::ProgrammeEvent event;
  event.mutable_admit()->set_comment(options.comment);
  return act(client, options, std::move(event), output);
}

Outcome run_retire_programme(Client& client, const ProgrammeOptions& options,
                             const Output& output) {
  v1::ProgrammeEvent event;
  event.mutable_retire()->set_reason(options.reason);
  return act(client, options, std::move(event), output);
}

Outcome run_show_programme(Client& client, const std::string& code, const Output& output) {
  v1::GetProgrammeRequest request;
  request.set_code(code);
  v1::GetProgrammeResponse response;
  if (auto failure = client.unary([&](grpc::ClientContext* context) {
        return client.query().GetProgramme(context, request, &response);
      }))
    return failure;
  if (output.json) {
    output.out << to_json(response) << '\n';
    return std::nullopt;
  }
  TextTable history({{"#"}, {"when"}, {"actor"}, {"event"}, {"status"}});
  for (const auto& event : response.events())
    history.add_row({std::to_string(event.line_sequence()), format_time(event.at()), event.actor(),
                     event.type(),
                     event.from_state().empty() ? event.to_state()
                                                : event.from_state() + " → " + event.to_state()});
  output.out << programme_details(response.programme()) << '\n' << history.render();
  return std::nullopt;
}

Outcome run_list_programmes(Client& client, const ProgrammeListOptions& options,
                            const Output& output) {
  v1::ListProgrammesRequest request;
  request.set_department(options.department);
  if (!options.status.empty()) {
    const auto status = status_from_name(options.status);
    if (!status)
      return Failure::usage(
          fmt::format("--status {}: must be candidate, admitted or retired", options.status));
    request.set_status(*status);
  }
  request.set_page_size(options.page_size);
  request.set_page_token(options.page_token);
  v1::ListProgrammesResponse result;
  if (auto failure = client.pages<v1::ListProgrammesResponse>(
          request, options.all,
          [&](grpc::ClientContext* context, const auto& page_request, auto* page) {
            return client.query().ListProgrammes(context, page_request, page);
          },
          [&](v1::ListProgrammesResponse& page) {
            for (auto& p : *page.mutable_programmes()) *result.add_programmes() = std::move(p);
            result.set_next_page_token(page.next_page_token());
          }))
    return failure;
  if (output.json) {
    output.out << to_json(result) << '\n';
  } else {
    output.out << programmes_table(result);
    if (!result.next_page_token().empty())
      output.out << "more: --page-token " << result.next_page_token() << " (or --all)\n";
  }
  return std::nullopt;
}

}  // namespace zbb::cli
