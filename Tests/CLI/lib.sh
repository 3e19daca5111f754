# Shared by the CLI test scripts (source it after setting $work): one line per check, a tally.
passed=0; failed=0
check() {  # check NAME EXPECTED_EXIT COMMAND... ; output in $work/out
    local name=$1 expected=$2; shift 2
    "$@" >"$work/out" 2>&1
    local code=$?
    if [ "$code" -eq "$expected" ]; then passed=$((passed + 1)); echo "ok   $name"
    else failed=$((failed + 1)); echo "FAIL $name (exit $code, expected $expected)"; sed 's/^/     /' "$work/out" | head -5; fi
}
contains() {  # contains NAME TEXT  (in the last command's output)
    if grep -q -- "$2" "$work/out"; then passed=$((passed + 1)); echo "ok   $1"
    else failed=$((failed + 1)); echo "FAIL $1: output lacks '$2'"; sed 's/^/     /' "$work/out" | head -5; fi
}
pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }
