#!/usr/bin/env bash
# What both parts of the demo scenario share: zbbctl as a named principal of the demo's token
# file, headings, refusals that must happen, and reading amounts back. Sourced with
# ZBBCTL SERVER as the script's arguments.
set -euo pipefail
zbbctl="$1"
export ZBB_SERVER="$2"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

token_of() {  # principal name → its demo token
  grep -o "\"name\": \"$1\".*\"token\": \"[^\"]*\"" "$here/tokens.json" | sed 's/.*"token": "\([^"]*\)"/\1/'
}
as() {  # as PRINCIPAL zbbctl-arguments…
  local who="$1"
  shift
  "$zbbctl" --token "$(token_of "$who")" "$@"
}
say() { printf '\n== %s\n' "$*"; }
must_refuse() {  # must_refuse WHAT-WOULD-BE-WRONG PRINCIPAL zbbctl-arguments…: zbbd must refuse it
  local wrong="$1"
  shift
  if as "$@"; then
    echo "unexpected: $wrong" >&2
    exit 1
  fi
  echo "(refused, as it must be)"
}
json_number() {  # json_number FIELD < json → the first value of FIELD (an int64 string)
  grep -o "\"$1\": *\"\{0,1\}-\{0,1\}[0-9]*" | head -1 | grep -o -- '-\{0,1\}[0-9]*$'
}
yuan() { printf '%d.%02d' $(($1 / 100)) $(($1 % 100)); }  # fen → yuan text
approved_of() { as lin.audit --json show "$1" | json_number approved_amount; }
spent_of() { as lin.audit --json show "$1" | json_number spent_amount; }
