#!/usr/bin/python3
"""Reads a scrape of zbbd's /metrics with the Prometheus client's own text parser (Debian's
python3-prometheus-client) and checks the families zbbd promises are there, typed as promised,
with the values the test's requests must have left."""
import sys

from prometheus_client.parser import text_string_to_metric_families

EXPECTED = {
    "zbb_requests": "counter",
    "zbb_request_duration_seconds": "histogram",
    "zbb_commit_group_batches": "histogram",
    "zbb_commit_seconds": "histogram",
    "zbb_commit_queue_depth": "gauge",
    "zbb_lines": "gauge",
    "zbb_lines_escalated": "gauge",
    "zbb_stuck_lines": "gauge",
    "zbb_escalations": "counter",
    "zbb_watch_streams": "gauge",
    "zbb_store_readable": "gauge",
}


def main(path):
    with open(path, encoding="utf-8") as scrape:
        families = {f.name: f for f in text_string_to_metric_families(scrape.read())}
    failures = []
    for name, kind in EXPECTED.items():
        if name not in families:
            failures.append(f"{name} is missing")
        elif families[name].type != kind:
            failures.append(f"{name} is a {families[name].type}, not a {kind}")
    if failures:
        print("\n".join(failures), file=sys.stderr)
        return 1

    def samples(family, sample_name):
        return [s for s in families[family].samples if s.name == sample_name]

    requests = {(s.labels["method"], s.labels["code"]): s.value
                for s in samples("zbb_requests", "zbb_requests_total")}
    checks = [
        (requests.get(("CreateLine", "OK"), 0) >= 2, "CreateLine OK counted"),
        (requests.get(("GetLine", "UNAUTHENTICATED"), 0) >= 2, "GetLine UNAUTHENTICATED counted"),
        (requests.get(("GetLine", "NOT_FOUND"), 0) >= 2, "GetLine NOT_FOUND counted"),
        (any(s.labels.get("method") == "GetLine" and s.labels.get("le") == "+Inf" and s.value > 0
             for s in samples("zbb_request_duration_seconds",
                              "zbb_request_duration_seconds_bucket")),
         "GetLine's latency observed"),
        (sum(s.value for s in samples("zbb_commit_group_batches",
                                      "zbb_commit_group_batches_count")) >= 3,
         "the commits of the programme and the line counted"),
        (sum(s.value for s in samples("zbb_commit_seconds", "zbb_commit_seconds_sum")) > 0,
         "commit time measured"),
        ({s.labels["state"]: s.value for s in families["zbb_lines"].samples}.get("draft") == 1,
         "one line in draft"),
        (samples("zbb_store_readable", "zbb_store_readable")[0].value == 1, "the store read"),
    ]
    failures = [what for ok, what in checks if not ok]
    if failures:
        print("not as expected: " + "; ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
