#include "adapters/cli/zbbctl_export.h"

#include <fmt/format.h>

#include <fstream>

#include "adapters/cli/zbbctl_json.h"
#include "zbb/v1/query.grpc.pb.h"

namespace zbb::cli {
namespace {

namespace v1 = zbb::v1;

v1::DisclosureTable table_of(const std::string& name) {
  if (name == "lines") return v1::DISCLOSURE_TABLE_LINES;
  if (name == "ranking") return v1::DISCLOSURE_TABLE_RANKING;
  if (name == "monitoring") return v1::DISCLOSURE_TABLE_MONITORING;
  if (name == "evaluation") return v1::DISCLOSURE_TABLE_EVALUATION;
  return v1::DISCLOSURE_TABLE_UNSPECIFIED;  // refused by the command line's check
}

}  // namespace

Outcome run_export(Client& client, const ExportOptions& options, const Output& output) {
  v1::ExportDisclosureRequest request;
  request.set_table(table_of(options.table));
  request.set_fiscal_year(options.fiscal_year);
  request.set_department(options.department);
  request.set_format(options.format == "xlsx" ? v1::EXPORT_FORMAT_XLSX : v1::EXPORT_FORMAT_CSV);
  v1::ExportDisclosureResponse response;
  if (auto failure = client.unary([&](grpc::ClientContext* context) {
        return client.query().ExportDisclosure(context, request, &response);
      }))
    return failure;
  const std::string path = options.output.empty() ? response.file_name() : options.output;
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(response.content().data(), static_cast<std::streamsize>(response.content().size()));
  file.close();
  if (!file) return Failure::usage(fmt::format("cannot write {}", path));
  if (output.json) {
    response.clear_content();  // the file holds it
    output.out << to_json(response) << '\n';
  } else {
    output.out << fmt::format("wrote {}: {} rows ({})\n", path, response.rows(),
                              fmt::join(response.columns(), ", "));
  }
  return std::nullopt;
}

}  // namespace zbb::cli
