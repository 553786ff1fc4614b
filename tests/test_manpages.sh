#!/bin/sh
# tests/test_manpages.sh - the man pages match the programs: every --option and -x
# option that a program's --help (or usage) prints is documented in its page, every
# cfwdctl command word has an entry, and man(1) renders each page without warnings.
# Needs BUILD in the environment (built programs); no ports, no temp files.
set -u
BUILD=${BUILD:-build}
fail=0
pass=0

# check PAGE HELP-TEXT: each option of the help text is in the page (troff: \-\-name)
check() {
	page=$1
	opts=$(printf '%s\n' "$2" | grep -oE '(^|[ [|])--?[a-z][a-z0-9-]*' | sed 's/^[ [|]//' | sort -u)
	for o in $opts; do
		t=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
		if grep -q -- "$t" "$page"; then
			pass=$((pass + 1))
		else
			echo "FAIL: $page does not document $o"
			fail=$((fail + 1))
		fi
	done
}

echo "  -- options of cfwdd, cfwd-lab, cfwd-dtmf and cfwdctl are in their pages"
check man/cfwdd.8 "$("$BUILD/cfwdd" --help 2>&1)"
check man/cfwd-lab.1 "$("$BUILD/cfwd-lab" --help 2>&1)"
check man/cfwd-dtmf.1 "$("$BUILD/cfwd-dtmf" 2>&1)"
help=$("$BUILD/cfwdctl" --help 2>&1)
check man/cfwdctl.8 "$help"

echo "  -- every cfwdctl command word has an entry (.B WORD ...)"
for w in $(printf '%s\n' "$help" | sed -n '/^commands:/,$p' | awk '/^  [a-z]/ {print $1}' | sort -u); do
	t=$(printf '%s' "$w" | sed 's/-/\\-/g')
	if grep -qF -e ".B $t " -e ".B $t\\" man/cfwdctl.8 || grep -qxF ".B $t" man/cfwdctl.8; then
		pass=$((pass + 1))
	else
		echo "FAIL: cfwdctl command '$w' has no entry in man/cfwdctl.8"
		fail=$((fail + 1))
	fi
done

echo "  -- man renders every page without warnings"
for p in man/*.[158]; do
	w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$p" 2>&1 >/dev/null)
	if [ -z "$w" ]; then pass=$((pass + 1)); else echo "FAIL: $p: $w"; fail=$((fail + 1)); fi
done

echo "test_manpages: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
