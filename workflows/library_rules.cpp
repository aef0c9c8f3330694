#include "workflows/library_rules.h"

#include <fmt/format.h>

#include <algorithm>

#include "workflows/line_rules.h"
#include "workflows/programme_machine.h"
#include "workflows/text_similarity.h"

namespace zbb::review {
namespace {

constexpr std::size_t kProgrammePage = 500;

Status holds_role_for(const ProgrammeCommand& command, const std::string& department) {
  const Principal& who = command.principal;
  const std::string type = programme_event_type(command.event);
  if (type == "propose") {
    if (who.has_role("reviewer") || who.has_role("integrator") ||
        (!department.empty() && who.has_role("unit:" + department)))
      return Status::Ok();
    return Status::PermissionDenied(
        fmt::format("{} may not propose programme {}: needs role unit:{}, reviewer or integrator",
                    who.name, command.code, department));
  }
  if (who.has_role("reviewer")) return Status::Ok();
  return Status::PermissionDenied(
      fmt::format("{} may not {} programme {}: needs role reviewer", who.name, type, command.code));
}

Status check_proposal(const ProgrammeCommand& command) {
  const auto& proposal = command.event.propose();
  ZBB_RETURN_IF_ERROR(validate_programme_code("code", command.code));
  ZBB_RETURN_IF_ERROR(
      validate_text("event.propose.department", proposal.department(), kMaxNameBytes, true));
  ZBB_RETURN_IF_ERROR(validate_text("event.propose.title", proposal.title(), kMaxTitleBytes, true));
  if (proposal.category() == zbb::v1::CATEGORY_UNSPECIFIED ||
      !zbb::v1::Category_IsValid(proposal.category()))
    return Status::InvalidArgument("event.propose.category",
                                   "must be basic, project or department_overall");
  return validate_text("event.propose.description", proposal.description(), kMaxCommentBytes,
                       false);
}

// The department's candidate and admitted programmes whose titles are at least
// `rule.similar_title_percent` like `title`, most alike first (then by code); ALREADY_EXISTS
// naming the most alike when it reaches `rule.duplicate_title_percent`.
struct TitlesAlike {
  std::vector<zbb::v1::SimilarProgramme> similar;
  std::int64_t revision = 0;  // of the department's library, read before its programmes
};

Result<TitlesAlike> titles_alike(const zbb::policy::Library& rule, const std::string& code,
                                 const std::string& department, const std::string& title,
                                 Store& store) {
  TitlesAlike result;
  auto& alike = result.similar;
  // Read first: a programme of the department written after it moves it on, and the commit then
  // refuses this decision, to be taken again with that programme in view.
  auto revision = store.library_revision(department);
  if (!revision.ok()) return revision.status();
  result.revision = *revision;
  const std::uint32_t flag_at = rule.similar_title_percent();
  const std::uint32_t refuse_at = rule.duplicate_title_percent();
  if (flag_at == 0 && refuse_at == 0) return result;
  const TextFingerprint proposed(title);
  std::optional<std::pair<Similarity, zbb::v1::SimilarProgramme>> duplicate;
  std::string after;
  for (;;) {
    auto page = store.list_programmes({.department = department}, after, kProgrammePage);
    if (!page.ok()) return page.status();
    for (const Programme& other : *page) {
      if (other.status() == zbb::v1::PROGRAMME_STATUS_RETIRED) continue;
      const Similarity s = similarity(proposed, TextFingerprint(other.title()));
      zbb::v1::SimilarProgramme found;
      found.set_code(other.code());
      found.set_title(other.title());
      found.set_similarity_per_mille(s.permille());
      if (refuse_at != 0 && s.at_least_percent(refuse_at) &&
          (!duplicate || found.similarity_per_mille() > duplicate->second.similarity_per_mille()))
        duplicate.emplace(s, found);
      if (flag_at != 0 && s.at_least_percent(flag_at)) alike.push_back(std::move(found));
    }
    if (page->size() < kProgrammePage) break;
    after = page->back().code();
  }
  if (duplicate) {
    const auto& other = duplicate->second;
    return Status::AlreadyExists(fmt::format(
        "programme {} would duplicate programme {} of {} (\"{}\"): the titles are {}.{} % alike; "
        "library.duplicate_title_percent refuses from {} %",
        code, other.code(), department, other.title(), other.similarity_per_mille() / 10,
        other.similarity_per_mille() % 10, refuse_at));
  }
  std::sort(alike.begin(), alike.end(), [](const auto& a, const auto& b) {
    if (a.similarity_per_mille() != b.similarity_per_mille())
      return a.similarity_per_mille() > b.similarity_per_mille();
    return a.code() < b.code();
  });
  return result;
}

}  // namespace

bool library_required(const zbb::policy::Library& rule) {
  return !rule.has_require_library() || rule.require_library();
}

Status admit_programme_event(const Programme* current, const ProgrammeCommand& command) {
  const std::string type = programme_event_type(command.event);
  if (type.empty()) return Status::InvalidArgument("event", "must hold propose, admit or retire");
  const bool proposing = command.event.has_propose();
  // What can never be right, whatever the programme's status.
  if (proposing) {
    ZBB_RETURN_IF_ERROR(check_proposal(command));
  } else if (command.event.has_admit()) {
    ZBB_RETURN_IF_ERROR(validate_text("event.admit.comment", command.event.admit().comment(),
                                      kMaxCommentBytes, false));
  } else {
    ZBB_RETURN_IF_ERROR(validate_text("event.retire.reason", command.event.retire().reason(),
                                      kMaxCommentBytes, false));
  }
  if (current == nullptr && !proposing)
    return Status::NotFound("programme " + command.code + " not found");
  // A proposal is judged by the department it names, whoever holds the code already.
  const std::string department =
      proposing ? command.event.propose().department() : current->department();
  ZBB_RETURN_IF_ERROR(holds_role_for(command, department));
  if (current != nullptr && proposing)
    return Status::AlreadyExists(fmt::format("programme {} already exists ({} of {})", command.code,
                                             status_name(current->status()),
                                             current->department()));
  return Status::Ok();
}

Result<ProgrammeChange> decide_programme_event(const zbb::policy::Library& rule,
                                               const Programme* current,
                                               const ProgrammeCommand& command, Store& store,
                                               Timestamp now) {
  Programme programme = current != nullptr ? *current : Programme();
  const std::string from = status_name(programme.status());
  // The machine first: an event the status does not accept is refused as such, whoever sends it.
  ZBB_RETURN_IF_ERROR(library::run_programme_machine(programme, command.code, command.event,
                                                     command.principal.name, now));
  ProgrammeChange change;
  change.type = programme_event_type(command.event);
  zbb::v1::ProgrammeEventPayload payload;
  *payload.mutable_event() = command.event;
  if (command.event.has_propose()) {
    auto alike = titles_alike(rule, command.code, programme.department(), programme.title(), store);
    if (!alike.ok()) return alike.status();
    change.compared_revision = alike->revision;
    for (const auto& found : alike->similar) {
      *programme.add_similar() = found;
      *payload.add_similar() = found;
    }
  } else if (command.event.has_admit()) {
    // Segregation of duties: a programme is admitted by someone other than who proposed it.
    if (programme.proposed_by() == command.principal.name)
      return Status::PermissionDenied(fmt::format("{} proposed programme {} and may not admit it",
                                                  command.principal.name, command.code));
  } else {
    ZBB_RETURN_IF_ERROR(validate_text("event.retire.reason", command.event.retire().reason(),
                                      kMaxCommentBytes, true));
  }
  change.from_status = from;
  change.to_status = status_name(programme.status());
  change.programme = std::move(programme);
  change.payload = payload.SerializeAsString();
  return change;
}

Result<std::shared_ptr<const Programme>> programme_of(const LineContent& content, Store& store) {
  auto stored = store.load_programme(content.programme_code());
  if (stored.ok()) return std::shared_ptr<const Programme>(stored->programme);
  if (stored.status().code() == Code::kNotFound) return std::shared_ptr<const Programme>();
  return stored.status();
}

Status NamesAdmittedProgramme(const LineContent& content,
                              const std::optional<std::shared_ptr<const Programme>>& programme,
                              bool creating) {
  if (!programme) return Status::Ok();
  const std::string& code = content.programme_code();
  const auto refuse = [creating](const char* field, std::string reason) {
    return creating ? Status::InvalidArgument(field, std::move(reason))
                    : Status::FailedPrecondition(fmt::format("{}: {}", field, reason));
  };
  const Programme* p = programme->get();
  if (p == nullptr)
    return refuse("content.programme_code",
                  fmt::format("programme {} is not in the project library: it is proposed and "
                              "admitted there first",
                              code));
  if (p->department() != content.department())
    return refuse("content.programme_code",
                  fmt::format("programme {} belongs to {}, not to {}", code, p->department(),
                              content.department()));
  if (p->category() != content.category())
    return refuse("content.category",
                  fmt::format("programme {} is of category {}, not {}", code,
                              to_string(p->category()), to_string(content.category())));
  if (p->status() != zbb::v1::PROGRAMME_STATUS_ADMITTED)
    return Status::FailedPrecondition(
        fmt::format("programme {} is {}: a line is {} only under an admitted programme", code,
                    status_name(p->status()), creating ? "created" : "submitted"));
  return Status::Ok();
}

}  // namespace zbb::review
