#include "workflows/ranking_report.h"

#include <nlohmann/json.hpp>

namespace zbb::review {
namespace {

using nlohmann::json;

json package_json(const RankedPackage& p) {
  return {{"line_id", p.line_id}, {"level", to_string(p.level)},
          {"amount", p.amount},   {"score_hundredths", p.score_hundredths},
          {"rank", p.rank},       {"funded", p.funded}};
}

RankedPackage package_of(const json& j) {
  return {j.at("line_id").get<std::string>(),
          parse_enum<IncrementLevel>(j.at("level").get<std::string>()).value(),
          j.at("amount").get<Fen>(),
          j.at("score_hundredths").get<std::int64_t>(),
          j.at("rank").get<std::int64_t>(),
          j.at("funded").get<bool>()};
}

}  // namespace

std::string ranking_to_json(const RankingResult& r) {
  json packages = json::array();
  for (const auto& p : r.packages) packages.push_back(package_json(p));
  json lines = json::array();
  for (const auto& l : r.lines) {
    json levels = json::array();
    for (auto level : l.funded_levels) levels.push_back(to_string(level));
    lines.push_back({{"line_id", l.line_id},
                     {"department", l.department},
                     {"rank", l.rank},
                     {"score_hundredths", l.score_hundredths},
                     {"requested", l.requested},
                     {"funded", l.funded},
                     {"funded_levels", levels}});
  }
  json document = {{"envelope", r.envelope},
                   {"funded_total", r.funded_total},
                   {"unfunded_total", r.unfunded_total},
                   {"unallocated", r.unallocated},
                   {"capped_total", r.capped_total},
                   {"packages", packages},
                   {"lines", lines}};
  if (r.cut) document["cut"] = package_json(*r.cut);
  return document.dump();
}

Result<RankingResult> ranking_from_json(const std::string& text) {
  // Written by ranking_to_json; anything else is a damaged report.
  try {
    const json j = json::parse(text);
    RankingResult r;
    r.envelope = j.at("envelope").get<Fen>();
    r.funded_total = j.at("funded_total").get<Fen>();
    r.unfunded_total = j.at("unfunded_total").get<Fen>();
    r.unallocated = j.at("unallocated").get<Fen>();
    r.capped_total = j.value("capped_total", Fen{0});
    for (const auto& p : j.at("packages")) r.packages.push_back(package_of(p));
    for (const auto& l : j.at("lines")) {
      LineRanking line{l.at("line_id").get<std::string>(),
                       l.at("department").get<std::string>(),
                       l.at("rank").get<std::int64_t>(),
                       l.at("score_hundredths").get<std::int64_t>(),
                       l.at("requested").get<Fen>(),
                       l.at("funded").get<Fen>(),
                       {}};
      for (const auto& level : l.at("funded_levels"))
        line.funded_levels.push_back(parse_enum<IncrementLevel>(level.get<std::string>()).value());
      r.lines.push_back(std::move(line));
    }
    if (j.contains("cut")) r.cut = package_of(j.at("cut"));
    return r;
  } catch (const std::exception& error) {
    return Status::Internal(std::string("ranking report unreadable: ") + error.what());
  }
}

}  // namespace zbb::review
