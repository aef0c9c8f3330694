#include "adapters/cli/zbbctl_import.h"

#include <fmt/format.h>
#include <google/protobuf/descriptor.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <variant>

#include "adapters/cli/text_table.h"
#include "adapters/cli/yuan_amount.h"
#include "engine/money.h"

namespace zbb::cli {
namespace {

namespace v1 = zbb::v1;

// zbbd takes calls of up to 4 MiB (gRPC's default); a batch stays below this many bytes.
constexpr std::size_t kMaxCallBytes = 3 * 1024 * 1024;

// ---- sheet layouts -------------------------------------------------------------------------

struct RowType {
  std::string_view name;
  std::vector<std::string_view> columns;  // besides row_type and line_id
};

struct Layout {
  std::string_view noun;  // what one item is, for messages: "line", "record"
  std::vector<RowType> row_types;
};

const Layout& line_layout() {
  static const Layout layout{
      "line",
      {{"line",
        {"fiscal_year", "department", "programme_code", "title", "category",
         "necessity_statement"}},
       {"cost_item", {"name", "quantity", "unit_price"}},
       // With a level, the indicator is that decision package's; without, the line's.
       {"indicator",
        {"name", "level1", "level2", "unit", "target", "direction", "qualitative", "level"}},
       {"increment", {"level", "amount", "justification"}},
       {"plan", {"month", "amount"}}}};
  return layout;
}

const Layout& execution_layout() {
  static const Layout layout{"record",
                             {{"spending", {"amount", "payment_ref", "comment"}},
                              {"indicator_progress", {"indicator", "actual"}}}};
  return layout;
}

std::string row_type_names(const Layout& layout) {
  std::string names;
  for (std::size_t i = 0; i < layout.row_types.size(); ++i) {
    if (i > 0) names += i + 1 == layout.row_types.size() ? " or " : ", ";
    names += layout.row_types[i].name;
  }
  return names;
}

// The header's column positions, once checked against the layout.
using Columns = std::map<std::string, std::size_t, std::less<>>;

// Every column of the header must be one the layout knows, once; row_type and line_id are
// required. The refusal names the header row.
std::variant<Columns, RefusedRow> open_sheet(const CsvTable& table, const Layout& layout) {
  std::vector<std::string_view> known = {"row_type", "line_id"};
  for (const auto& type : layout.row_types)
    for (auto column : type.columns)
      if (std::find(known.begin(), known.end(), column) == known.end()) known.push_back(column);
  Columns columns;
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < table.header.size(); ++i) {
    const std::string& name = table.header[i];
    if (name.empty()) {
      problems.push_back(fmt::format("column {} has no name", i + 1));
    } else if (std::find(known.begin(), known.end(), name) == known.end()) {
      problems.push_back(fmt::format("unknown column \"{}\"", name));
    } else if (!columns.emplace(name, i).second) {
      problems.push_back(fmt::format("column \"{}\" appears twice", name));
    }
  }
  for (std::string_view required : {"row_type", "line_id"})
    if (!columns.contains(required))
      problems.push_back(fmt::format("the header has no \"{}\" column", required));
  if (problems.empty()) return columns;
  std::string known_list;
  for (auto column : known) known_list += (known_list.empty() ? "" : ", ") + std::string(column);
  return RefusedRow{
      table.header_row, "",
      fmt::format("header: {} (the columns are {})", fmt::join(problems, "; "), known_list)};
}

// ---- cells ---------------------------------------------------------------------------------

// Digits, optionally grouped by commas in threes ("12,000"), as the digits alone.
std::optional<std::string> ungrouped(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::string digits;
  std::size_t group = 0;  // digits since the last comma (or the start)
  bool grouped = false;
  for (char c : text) {
    if (c == ',') {
      if (group == 0 || (grouped ? group != 3 : group > 3)) return std::nullopt;
      grouped = true;
      group = 0;
    } else if (c >= '0' && c <= '9') {
      digits += c;
      ++group;
    } else {
      return std::nullopt;
    }
  }
  if (grouped && group != 3) return std::nullopt;
  return digits;
}

// One row being read: its cells by column name, and every problem found in it.
class RowReader {
 public:
  RowReader(const Columns& columns, const CsvRow& row) : columns_(columns), row_(row) {}

  // The cell of `column`; empty when the header lacks the column or the row is short.
  std::string_view cell(std::string_view column) const {
    const auto found = columns_.find(column);
    if (found == columns_.end() || found->second >= row_.fields.size()) return {};
    return row_.fields[found->second];
  }
  std::string text(std::string_view column) const { return std::string(cell(column)); }

  void problem(std::string reason) { problems_.push_back(std::move(reason)); }
  bool ok() const { return problems_.empty(); }
  std::string reason() const { return fmt::format("{}", fmt::join(problems_, "; ")); }

  // A cell that must hold something: nullopt (and a problem) when it is empty.
  std::optional<std::string_view> required(std::string_view column) {
    const std::string_view value = cell(column);
    if (!value.empty()) return value;
    problem(columns_.contains(column)
                ? fmt::format("{} is empty", column)
                : fmt::format("{} is required (the header has no {} column)", column, column));
    return std::nullopt;
  }

  // A whole number, grouped or not ("1,200").
  std::optional<std::int64_t> whole(std::string_view column) {
    const auto value = required(column);
    if (!value) return std::nullopt;
    const auto digits = ungrouped(*value);
    std::int64_t number = 0;
    if (!digits || std::from_chars(digits->data(), digits->data() + digits->size(), number).ec !=
                       std::errc()) {
      problem(fmt::format("{} \"{}\" is not a whole number", column, *value));
      return std::nullopt;
    }
    return number;
  }

  // A decimal number such as "1,200", "95.5" or "-3"; finite.
  std::optional<double> decimal(std::string_view column) {
    const auto value = required(column);
    if (!value) return std::nullopt;
    std::string_view rest = *value;
    const bool negative = rest.starts_with('-');
    if (negative) rest.remove_prefix(1);
    const auto point = rest.find('.');
    const auto whole = ungrouped(rest.substr(0, point));
    const std::string_view fraction =
        point == std::string_view::npos ? std::string_view() : rest.substr(point + 1);
    const bool fraction_ok =
        point == std::string_view::npos ||
        (!fraction.empty() && std::all_of(fraction.begin(), fraction.end(),
                                          [](char c) { return c >= '0' && c <= '9'; }));
    double number = 0;
    if (whole && fraction_ok) {
      const std::string plain =
          (negative ? "-" : "") + *whole + (fraction.empty() ? "" : "." + std::string(fraction));
      const auto parsed = std::from_chars(plain.data(), plain.data() + plain.size(), number);
      if (parsed.ec == std::errc() && std::isfinite(number)) return number;
    }
    problem(fmt::format("{} \"{}\" is not a number (like 1,200 or 95.5)", column, *value));
    return std::nullopt;
  }

  // Yuan, exactly (parse_yuan); a leading '-' for a refund when `signed_amount`.
  std::optional<Fen> yuan(std::string_view column, bool signed_amount = false) {
    const auto value = required(column);
    if (!value) return std::nullopt;
    const bool negative = signed_amount && value->starts_with('-');
    const auto fen = parse_yuan(negative ? value->substr(1) : *value);
    if (!fen.ok()) {
      problem(fmt::format("{} {}", column, fen.status().message()));
      return std::nullopt;
    }
    return negative ? -*fen : *fen;
  }

  // One of an enum's values, named by the lower-case rest of its proto name after `prefix`
  // ("CATEGORY_PROJECT" → "project"); letter case does not matter.
  std::optional<int> choice(std::string_view column, const google::protobuf::EnumDescriptor& type,
                            std::string_view prefix) {
    const auto value = required(column);
    std::string names;
    for (int i = 0; i < type.value_count(); ++i) {
      const auto& name = type.value(i)->name();
      if (type.value(i)->number() == 0) continue;
      std::string lower = name.substr(prefix.size());
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      names += (names.empty() ? "" : "|") + lower;
      if (value && lower.size() == value->size() &&
          std::equal(lower.begin(), lower.end(), value->begin(), [](char a, char b) {
            return a == std::tolower(static_cast<unsigned char>(b));
          }))
        return type.value(i)->number();
    }
    if (value)
      problem(fmt::format("{} \"{}\" is not one of {}", column, *value, names));
    else
      problems_.back() += fmt::format(" (one of {})", names);
    return std::nullopt;
  }

  // Empty, "false" or "true" (any letter case: spreadsheets write TRUE and FALSE).
  std::optional<bool> flag(std::string_view column) {
    std::string value(cell(column));
    for (char& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (value.empty() || value == "false") return false;
    if (value == "true") return true;
    problem(fmt::format("{} \"{}\" is not true, false or empty", column, cell(column)));
    return std::nullopt;
  }

 private:
  const Columns& columns_;
  const CsvRow& row_;
  std::vector<std::string> problems_;
};

// The checks every row gets before its type's own: as many fields as the header, a known
// row_type, a line_id, and nothing in the columns its type does not use. The row's type, or
// nullptr when the row cannot be read further.
const RowType* begin_row(RowReader& reader, const CsvTable& table, const CsvRow& row,
                         const Layout& layout) {
  // With fields missing or extra, the cells are not where the header says.
  if (row.fields.size() != table.header.size()) {
    reader.problem(
        fmt::format("has {} fields but the header has {}", row.fields.size(), table.header.size()));
    return nullptr;
  }
  if (reader.cell("line_id").empty()) reader.problem("line_id is empty");
  const std::string_view name = reader.cell("row_type");
  const auto found = std::find_if(layout.row_types.begin(), layout.row_types.end(),
                                  [&](const RowType& type) { return type.name == name; });
  if (found == layout.row_types.end()) {
    reader.problem(name.empty()
                       ? fmt::format("row_type is empty; it is {}", row_type_names(layout))
                       : fmt::format("row_type \"{}\" is not {}", name, row_type_names(layout)));
    return nullptr;
  }
  for (std::size_t i = 0; i < table.header.size() && i < row.fields.size(); ++i) {
    const std::string& column = table.header[i];
    if (column == "row_type" || column == "line_id" || row.fields[i].empty()) continue;
    if (std::find(found->columns.begin(), found->columns.end(), column) == found->columns.end())
      reader.problem(fmt::format("{} is not used by {} rows; leave it empty", column, name));
  }
  return &*found;
}

void sort_by_row(std::vector<RefusedRow>& refused) {
  std::stable_sort(refused.begin(), refused.end(),
                   [](const RefusedRow& a, const RefusedRow& b) { return a.row < b.row; });
}

// ---- lines ---------------------------------------------------------------------------------

void read_line(RowReader& row, v1::LineContent* content) {
  if (const auto year = row.whole("fiscal_year")) {
    if (*year > 9999)
      row.problem(fmt::format("fiscal_year {} is not a year", *year));
    else
      content->set_fiscal_year(static_cast<std::int32_t>(*year));
  }
  content->set_department(row.text("department"));
  content->set_programme_code(row.text("programme_code"));
  content->set_title(row.text("title"));
  if (const auto category = row.choice("category", *v1::Category_descriptor(), "CATEGORY_"))
    content->set_category(static_cast<v1::Category>(*category));
  content->set_necessity_statement(row.text("necessity_statement"));
}

void read_cost_item(RowReader& row, v1::CostItem* item) {
  item->set_name(row.text("name"));
  const auto quantity = row.whole("quantity");
  const auto unit_price = row.yuan("unit_price");
  if (quantity && *quantity == 0) row.problem("quantity must be 1 or more");
  if (!quantity || *quantity == 0 || !unit_price) return;
  item->set_quantity(*quantity);
  item->set_unit_price(*unit_price);
  if (const auto amount = checked_mul(*quantity, *unit_price))
    item->set_amount(*amount);
  else
    row.problem("quantity × unit_price is too large");
}

void read_indicator(RowReader& row, v1::Indicator* indicator) {
  indicator->set_name(row.text("name"));
  if (const auto level1 =
          row.choice("level1", *v1::IndicatorLevel1_descriptor(), "INDICATOR_LEVEL1_"))
    indicator->set_level1(static_cast<v1::IndicatorLevel1>(*level1));
  if (const auto level2 =
          row.choice("level2", *v1::IndicatorLevel2_descriptor(), "INDICATOR_LEVEL2_"))
    indicator->set_level2(static_cast<v1::IndicatorLevel2>(*level2));
  indicator->set_unit(row.text("unit"));
  const auto qualitative = row.flag("qualitative");
  if (qualitative) indicator->set_qualitative(*qualitative);
  // A qualitative indicator has no numeric target: an empty one is 0.
  if (!(qualitative.value_or(false) && row.cell("target").empty()))
    if (const auto target = row.decimal("target")) indicator->set_target(*target);
  if (const auto direction = row.choice("direction", *v1::Direction_descriptor(), "DIRECTION_"))
    indicator->set_direction(static_cast<v1::Direction>(*direction));
}

void read_increment(RowReader& row, v1::Increment* increment) {
  if (const auto level = row.choice("level", *v1::IncrementLevel_descriptor(), "INCREMENT_LEVEL_"))
    increment->set_level(static_cast<v1::IncrementLevel>(*level));
  if (const auto amount = row.yuan("amount")) increment->set_amount(*amount);
  increment->set_justification(row.text("justification"));
}

// A plan row: the amount planned for one month (1..12) of the line's spending plan.
struct PlanMonth {
  int row = 0;
  Fen amount = 0;
};

void read_plan_month(RowReader& row, int row_number, std::map<int, PlanMonth>& plan) {
  const auto month = row.whole("month");
  const auto amount = row.yuan("amount");
  if (month && (*month < 1 || *month > 12)) {
    row.problem(fmt::format("month {} is not a month: 1 to 12", *month));
    return;
  }
  if (!month || !amount) return;
  const auto [at, added] = plan.emplace(static_cast<int>(*month), PlanMonth{row_number, *amount});
  if (!added)
    row.problem(fmt::format("month {} is already planned (row {})", *month, at->second.row));
}

// An indicator row of a decision package, kept until the line's increment rows are all read.
struct PackageIndicatorRow {
  int row = 0;
  v1::IncrementLevel level = v1::INCREMENT_LEVEL_UNSPECIFIED;
  std::string level_text;  // as the row wrote it
  v1::Indicator indicator;
};

// The rows of one line_id as they are read.
struct LineDraft {
  int line_row = 0;  // its `line` row; 0 while none was seen
  ImportItem item;
  bool refused = false;  // a row of the line was refused: the line is not sent
  std::vector<std::pair<int, std::string_view>> good_rows;  // row, row type
  std::vector<PackageIndicatorRow> package_indicators;
  std::map<int, PlanMonth> plan;  // by month; months not given plan nothing
};

// Each package indicator row goes to the increment of its level, which the line must have.
std::optional<RefusedRow> attach_package_indicators(const std::string& line_id, LineDraft& draft) {
  auto* increments =
      draft.item.item.mutable_event()->mutable_create()->mutable_content()->mutable_increments();
  draft.item.package_indicator_rows.assign(static_cast<std::size_t>(increments->size()), {});
  for (auto& [row, level, level_text, indicator] : draft.package_indicators) {
    const auto found =
        std::find_if(increments->begin(), increments->end(),
                     [level = level](const v1::Increment& i) { return i.level() == level; });
    if (found == increments->end())
      return RefusedRow{
          row, line_id,
          fmt::format("an indicator of the {} package, but line {} has no increment row of that "
                      "level",
                      level_text, line_id)};
    *found->add_indicators() = std::move(indicator);
    draft.item.package_indicator_rows[static_cast<std::size_t>(found - increments->begin())]
        .push_back(row);
  }
  return std::nullopt;
}

// A line whose rows are all good becomes an item, unless it is incomplete.
std::optional<RefusedRow> finish_line(const std::string& line_id, LineDraft& draft) {
  auto* content = draft.item.item.mutable_event()->mutable_create()->mutable_content();
  if (content->cost_items().empty())
    return RefusedRow{draft.line_row, line_id,
                      fmt::format("line {} has no cost_item rows; its requested amount is their "
                                  "sum",
                                  line_id)};
  Fen requested = 0;
  for (const auto& item : content->cost_items()) {
    const auto sum = checked_add(requested, item.amount());
    if (!sum)
      return RefusedRow{draft.line_row, line_id,
                        fmt::format("the cost items of line {} add up to too much", line_id)};
    requested = *sum;
  }
  content->set_requested_amount(requested);
  if (auto refused = attach_package_indicators(line_id, draft)) return refused;
  // A spending plan is twelve months: those without a row plan nothing (zbbd checks the sum).
  if (!draft.plan.empty()) {
    draft.item.plan_rows.assign(12, draft.line_row);
    for (int month = 1; month <= 12; ++month) {
      const auto found = draft.plan.find(month);
      content->add_monthly_plan(found == draft.plan.end() ? 0 : found->second.amount);
      if (found != draft.plan.end())
        draft.item.plan_rows[static_cast<std::size_t>(month - 1)] = found->second.row;
    }
  }
  draft.item.item.set_line_id(line_id);
  draft.item.row = draft.line_row;
  return std::nullopt;
}

// ---- execution -----------------------------------------------------------------------------

void read_spending(RowReader& row, v1::RecordSpending* spending) {
  if (const auto amount = row.yuan("amount", true)) spending->set_amount(*amount);
  spending->set_payment_ref(row.text("payment_ref"));
  spending->set_comment(row.text("comment"));
}

void read_progress(RowReader& row, v1::RecordIndicatorProgress* progress) {
  progress->set_indicator(row.text("indicator"));
  if (const auto actual = row.decimal("actual")) progress->set_actual(*actual);
}

// ---- sending -------------------------------------------------------------------------------

struct Done {
  int row = 0;
  std::string line_id;
  bool replayed = false;  // applied by an earlier run under the same request id
};

struct Report {
  std::vector<Done> done;
  std::vector<RefusedRow> refused;
  std::string note;  // what else the reader must know: nothing sent, rows not sent
};

// "INVALID_ARGUMENT: event.create.content.cost_items[1].quantity: must be positive (row 7)".
RefusedRow server_refusal(const ImportItem& item, std::string_view code, const std::string& field,
                          const std::string& message) {
  std::string reason(code);
  if (!field.empty()) reason += ": " + field;
  reason += ": " + message;
  if (const int at = row_of_field(item, field); at != item.row)
    reason += fmt::format(" (row {})", at);
  return {item.row, item.item.line_id(), reason};
}

// An outcome's field is "items[<index>].event…"; the row is already named, the item is not.
std::string field_within_item(const std::string& field, int index) {
  const std::string prefix = fmt::format("items[{}].", index);
  return field.starts_with(prefix) ? field.substr(prefix.size()) : field;
}

// An atomic call's refusal names its item: "items[3].event…: reason" (field trailer
// "items[3].event…") or "item 3 (line X): reason". The refused row, if the item is named.
std::optional<RefusedRow> atomic_refusal(const std::vector<ImportItem>& items,
                                         const grpc::Status& status, const std::string& field) {
  const std::string& message = status.error_message();
  std::size_t index = 0;
  std::string item_field;
  std::string reason;
  const auto number_at = [](std::string_view text, std::size_t at, std::size_t* value) {
    const auto parsed = std::from_chars(text.data() + at, text.data() + text.size(), *value);
    return parsed.ec == std::errc() ? static_cast<std::size_t>(parsed.ptr - text.data()) : 0;
  };
  if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT && field.starts_with("items[")) {
    const std::size_t end = number_at(field, 6, &index);
    if (end == 0 || field.compare(end, 1, "]") != 0) return std::nullopt;
    if (field.compare(end, 2, "].") == 0) item_field = field.substr(end + 2);
    reason = message.starts_with(field + ": ") ? message.substr(field.size() + 2) : message;
  } else if (message.starts_with("item ")) {
    const std::size_t end = number_at(message, 5, &index);
    const auto close = message.find("): ", end);
    if (end == 0 || close == std::string::npos) return std::nullopt;
    reason = message.substr(close + 3);
  } else {
    return std::nullopt;
  }
  if (index >= items.size()) return std::nullopt;
  return server_refusal(items[index], status_code_name(status.error_code()), item_field, reason);
}

// A call whose outcome is unknown (it may have been applied) says how to retry it once.
Failure with_retry_hint(Failure failure, const std::string& request_id) {
  if (outcome_unknown(failure))
    failure.message += fmt::format(
        " (to retry safely, run the same import again with --request-id {})", request_id);
  return failure;
}

grpc::Status push_events(Client& client, const v1::PushEventsRequest& request,
                         v1::PushEventsResponse* response, std::string* field) {
  auto context = client.call_context(true);
  grpc::Status status = client.workflow().PushEvents(context.get(), request, response);
  if (!status.ok()) {
    const auto& trailers = context->GetServerTrailingMetadata();
    if (const auto it = trailers.find("zbb-field"); it != trailers.end())
      field->assign(it->second.data(), it->second.size());
  }
  return status;
}

// All or nothing: one call for the whole file.
Outcome send_atomic(Client& client, const std::vector<ImportItem>& items,
                    const std::string& request_id, const std::string& file, const Layout& layout,
                    Report* report) {
  if (items.size() > static_cast<std::size_t>(kMaxAtomicItems))
    return Failure::usage(fmt::format(
        "{} holds {} {}s; --all-or-nothing sends a file in one call of at most {}: split the "
        "file, or import it without --all-or-nothing (in batches of {})",
        file, items.size(), layout.noun, kMaxAtomicItems, kImportBatchItems));
  v1::PushEventsRequest request;
  request.set_request_id(request_id);
  request.set_all_or_nothing(true);
  for (const auto& item : items) *request.add_items() = item.item;
  if (request.ByteSizeLong() > kMaxCallBytes)
    return Failure::usage(fmt::format(
        "{} makes a call of {:.1f} MiB; --all-or-nothing sends a file in one call of at most {} "
        "MiB: split the file, or import it without --all-or-nothing",
        file, static_cast<double>(request.ByteSizeLong()) / (1024 * 1024),
        kMaxCallBytes / (1024 * 1024)));

  v1::PushEventsResponse response;
  std::string field;
  const grpc::Status status = push_events(client, request, &response, &field);
  if (!status.ok()) {
    auto refused = atomic_refusal(items, status, field);
    if (!refused) return with_retry_hint(server_failure(status, field), request_id);
    report->refused.push_back(std::move(*refused));
    report->note = fmt::format("nothing was {} (--all-or-nothing)",
                               layout.noun == "line" ? "created" : "recorded");
    return std::nullopt;
  }
  for (const auto& outcome : response.outcomes()) {
    const auto& item = items.at(static_cast<std::size_t>(outcome.index()));
    report->done.push_back({item.row, item.item.line_id(), outcome.replayed()});
  }
  return std::nullopt;
}

// Item by item, in batches of at most kImportBatchItems items and kMaxCallBytes bytes; batch k
// under "<request id>/<k>", so that running the same import again applies nothing twice.
Outcome send_batches(Client& client, const std::vector<ImportItem>& items,
                     const std::string& request_id, Report* report) {
  std::size_t next = 0;
  for (int batch = 0; next < items.size(); ++batch) {
    v1::PushEventsRequest request;
    request.set_request_id(fmt::format("{}/{}", request_id, batch));
    const std::size_t first = next;
    while (next < items.size() && request.items_size() < kImportBatchItems) {
      const std::size_t bytes = items[next].item.ByteSizeLong() + 16;  // tag and length
      if (request.items_size() > 0 && request.ByteSizeLong() + bytes > kMaxCallBytes) break;
      *request.add_items() = items[next++].item;
    }
    v1::PushEventsResponse response;
    std::string field;
    const grpc::Status status = push_events(client, request, &response, &field);
    if (!status.ok()) {
      report->note = fmt::format("rows from row {} on were not sent", items[first].row);
      return with_retry_hint(server_failure(status, field), request_id);
    }
    for (const auto& outcome : response.outcomes()) {
      const auto& item = items.at(first + static_cast<std::size_t>(outcome.index()));
      if (outcome.code() == 0) {
        report->done.push_back({item.row, item.item.line_id(), outcome.replayed()});
      } else {
        report->refused.push_back(
            server_refusal(item, status_code_name(static_cast<grpc::StatusCode>(outcome.code())),
                           field_within_item(outcome.field(), outcome.index()), outcome.message()));
      }
    }
  }
  return std::nullopt;
}

std::string plural(std::size_t count, std::string_view noun) {
  return fmt::format("{} {}{}", count, noun, count == 1 ? "" : "s");
}

// "3 lines created, 1 refused; 2 already created by an earlier run with this request id".
std::string summary(const Report& report, bool lines) {
  const auto replayed = static_cast<std::size_t>(std::count_if(
      report.done.begin(), report.done.end(), [](const Done& d) { return d.replayed; }));
  std::string text = fmt::format("{} {}, {} refused",
                                 plural(report.done.size() - replayed, lines ? "line" : "row"),
                                 lines ? "created" : "recorded", report.refused.size());
  if (replayed > 0)
    text += fmt::format("; {} already {} by an earlier run with this request id", replayed,
                        lines ? "created" : "recorded");
  if (!report.note.empty()) text += "; " + report.note;
  return text;
}

void print(const Report& report, bool lines, const Output& output) {
  if (output.json) {
    nlohmann::ordered_json done = nlohmann::ordered_json::array();
    nlohmann::ordered_json replayed = nlohmann::ordered_json::array();
    for (const auto& d : report.done) {
      nlohmann::ordered_json entry =
          lines ? nlohmann::ordered_json(d.line_id)
                : nlohmann::ordered_json{{"row", d.row}, {"line_id", d.line_id}};
      (d.replayed ? replayed : done).push_back(std::move(entry));
    }
    nlohmann::ordered_json refused = nlohmann::ordered_json::array();
    for (const auto& r : report.refused)
      refused.push_back({{"row", r.row}, {"line_id", r.line_id}, {"reason", r.reason}});
    nlohmann::ordered_json document = {{lines ? "created" : "recorded", done},
                                       {lines ? "already_created" : "already_recorded", replayed},
                                       {"refused", refused}};
    if (!report.note.empty()) document["note"] = report.note;
    output.out << document.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
               << '\n';
    return;
  }
  if (!report.refused.empty()) {
    TextTable table({{"row", TextTable::Align::kRight}, {"line"}, {"reason"}});
    for (const auto& r : report.refused)
      table.add_row({std::to_string(r.row), r.line_id, r.reason});
    output.out << table.render();
  }
  output.out << summary(report, lines) << '\n';
}

Outcome run_import(Client& client, const ImportOptions& options, const Output& output, bool lines) {
  const Layout& layout = lines ? line_layout() : execution_layout();
  Report report;
  ImportPlan plan;
  CsvResult read = read_csv_file(options.file);
  if (const auto* error = std::get_if<CsvError>(&read)) {
    if (error->row == 0) return Failure::usage(fmt::format("{}: {}", options.file, error->reason));
    // Past a syntax error the rows cannot be trusted: nothing is sent.
    plan.refused.push_back({error->row, "", "CSV: " + error->reason});
    report.note = "the file cannot be read as CSV; nothing was sent";
  } else {
    const auto& table = std::get<CsvTable>(read);
    plan = lines ? plan_line_import(table) : plan_execution_import(table);
  }
  report.refused = plan.refused;

  const std::string request_id =
      options.request_id.empty() ? fresh_request_id() : options.request_id;
  Outcome failure;
  if (report.note.empty() && options.all_or_nothing && !plan.refused.empty()) {
    report.note = fmt::format("nothing was sent (--all-or-nothing): {} not {}",
                              plural(plan.items.size(), fmt::format("good {}", layout.noun)),
                              lines ? "created" : "recorded");
  } else if (report.note.empty() && !plan.items.empty()) {
    failure = options.all_or_nothing
                  ? send_atomic(client, plan.items, request_id, options.file, layout, &report)
                  : send_batches(client, plan.items, request_id, &report);
    if (failure && failure->exit_code == Failure::kUsageExit) return failure;
  }
  sort_by_row(report.refused);
  print(report, lines, output);
  if (failure) return failure;
  if (report.refused.empty()) return std::nullopt;
  return Failure{"REFUSED", fmt::format("{}: {}", options.file, summary(report, lines)),
                 Failure::kServerExit};
}

}  // namespace

ImportPlan plan_line_import(const CsvTable& table) {
  ImportPlan plan;
  const Layout& layout = line_layout();
  auto opened = open_sheet(table, layout);
  if (auto* refused = std::get_if<RefusedRow>(&opened)) {
    plan.refused.push_back(std::move(*refused));
    return plan;
  }
  const Columns& columns = std::get<Columns>(opened);

  std::map<std::string, LineDraft> drafts;
  for (const CsvRow& row : table.rows) {
    RowReader reader(columns, row);
    const RowType* type = begin_row(reader, table, row, layout);
    const std::string line_id = reader.text("line_id");
    LineDraft* draft = line_id.empty() ? nullptr : &drafts[line_id];
    if (type != nullptr && draft != nullptr) {
      auto* content = draft->item.item.mutable_event()->mutable_create()->mutable_content();
      if (type->name == "line") {
        if (draft->line_row != 0)
          reader.problem(
              fmt::format("line {} already has its line row (row {})", line_id, draft->line_row));
        else
          draft->line_row = row.number;
        read_line(reader, content);
      } else if (type->name == "cost_item") {
        read_cost_item(reader, content->add_cost_items());
        draft->item.cost_item_rows.push_back(row.number);
      } else if (type->name == "indicator") {
        v1::Indicator indicator;
        read_indicator(reader, &indicator);
        if (reader.cell("level").empty()) {
          *content->add_indicators() = std::move(indicator);
          draft->item.indicator_rows.push_back(row.number);
        } else if (const auto level = reader.choice("level", *v1::IncrementLevel_descriptor(),
                                                    "INCREMENT_LEVEL_")) {
          draft->package_indicators.push_back({row.number, static_cast<v1::IncrementLevel>(*level),
                                               reader.text("level"), std::move(indicator)});
        }
      } else if (type->name == "plan") {
        read_plan_month(reader, row.number, draft->plan);
      } else {
        read_increment(reader, content->add_increments());
        draft->item.increment_rows.push_back(row.number);
      }
    }
    if (!reader.ok()) {
      plan.refused.push_back({row.number, line_id, reader.reason()});
      if (draft != nullptr) draft->refused = true;
    } else if (draft != nullptr) {
      draft->good_rows.emplace_back(row.number, type->name);
    }
  }

  for (auto& [line_id, draft] : drafts) {
    if (draft.line_row == 0) {
      for (const auto& [row, type] : draft.good_rows)
        plan.refused.push_back(
            {row, line_id,
             fmt::format("{} of line {}, which has no line row (row_type line)", type, line_id)});
      continue;
    }
    if (draft.refused) continue;
    if (auto refused = finish_line(line_id, draft)) {
      plan.refused.push_back(std::move(*refused));
      continue;
    }
    plan.items.push_back(std::move(draft.item));
  }
  std::sort(plan.items.begin(), plan.items.end(),
            [](const ImportItem& a, const ImportItem& b) { return a.row < b.row; });
  sort_by_row(plan.refused);
  return plan;
}

ImportPlan plan_execution_import(const CsvTable& table) {
  ImportPlan plan;
  const Layout& layout = execution_layout();
  auto opened = open_sheet(table, layout);
  if (auto* refused = std::get_if<RefusedRow>(&opened)) {
    plan.refused.push_back(std::move(*refused));
    return plan;
  }
  const Columns& columns = std::get<Columns>(opened);

  for (const CsvRow& row : table.rows) {
    RowReader reader(columns, row);
    const RowType* type = begin_row(reader, table, row, layout);
    ImportItem item;
    item.row = row.number;
    item.item.set_line_id(reader.text("line_id"));
    if (type != nullptr && type->name == "spending")
      read_spending(reader, item.item.mutable_event()->mutable_record_spending());
    else if (type != nullptr)
      read_progress(reader, item.item.mutable_event()->mutable_record_indicator_progress());
    if (reader.ok())
      plan.items.push_back(std::move(item));
    else
      plan.refused.push_back({row.number, item.item.line_id(), reader.reason()});
  }
  return plan;
}

int row_of_field(const ImportItem& item, const std::string& field) {
  // "content.increments[K].indicators[J]…": a package's indicator row.
  std::size_t package = 0;
  std::size_t indicator = 0;
  if (const auto at = field.find("increments["); at != std::string::npos) {
    const char* start = field.data() + at + std::string_view("increments[").size();
    const char* end = field.data() + field.size();
    const auto [after, error] = std::from_chars(start, end, package);
    constexpr std::string_view kInner = "].indicators[";
    if (error == std::errc() && std::string_view(after, end - after).starts_with(kInner) &&
        std::from_chars(after + kInner.size(), end, indicator).ec == std::errc()) {
      if (package < item.package_indicator_rows.size() &&
          indicator < item.package_indicator_rows[package].size())
        return item.package_indicator_rows[package][indicator];
      return item.row;
    }
  }
  const std::pair<std::string_view, const std::vector<int>*> lists[] = {
      {"cost_items[", &item.cost_item_rows},
      {"indicators[", &item.indicator_rows},
      {"increments[", &item.increment_rows},
      {"monthly_plan[", &item.plan_rows}};
  for (const auto& [name, rows] : lists) {
    const auto at = field.find(name);
    if (at == std::string::npos) continue;
    std::size_t index = 0;
    const char* start = field.data() + at + name.size();
    if (std::from_chars(start, field.data() + field.size(), index).ec != std::errc()) break;
    if (index < rows->size()) return (*rows)[index];
    break;
  }
  return item.row;
}

Outcome run_import_lines(Client& client, const ImportOptions& options, const Output& output) {
  return run_import(client, options, output, true);
}

Outcome run_import_execution(Client& client, const ImportOptions& options, const Output& output) {
  return run_import(client, options, output, false);
}

}  // namespace zbb::cli
