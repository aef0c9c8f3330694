#include "adapters/grpc/report_convert.h"

namespace zbb::api {

void to_proto(const review::RankingRun& run, zbb::v1::RankResponse* out) {
  *out = run.result;
  out->set_ranking_id(run.ranking_id);
  out->set_replayed(run.replayed);
  out->set_dry_run(run.dry_run);
}

}  // namespace zbb::api
