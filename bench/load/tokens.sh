# Sourced by the load benchmarks: write_tokens FILE writes the principals every scenario uses,
# with tokens made up for this invocation. zbb-bench needs the tokens themselves, so the file
# holds them in plaintext: it is readable by its owner only.
token() { head -c 24 /dev/urandom | base64 | tr -d '/+='; }
write_tokens() {
  local previous
  previous="$(umask)"
  umask 077
  cat >"$1" <<JSON
{"principals": [
  {"name": "bench.unit", "roles": ["unit:县交通运输局"], "token": "$(token)"},
  {"name": "bench.reviewer", "roles": ["reviewer"], "token": "$(token)"},
  {"name": "bench.department_head", "roles": ["approver:department_head"], "token": "$(token)"},
  {"name": "bench.budget_section", "roles": ["approver:budget_section"], "token": "$(token)"},
  {"name": "bench.performance_section", "roles": ["approver:performance_section"], "token": "$(token)"},
  {"name": "bench.bureau_head", "roles": ["approver:bureau_head"], "token": "$(token)"},
  {"name": "bench.treasury", "roles": ["integrator"], "token": "$(token)"},
  {"name": "bench.supervisor", "roles": ["supervisor"], "token": "$(token)"}
]}
JSON
  umask "$previous"
}
