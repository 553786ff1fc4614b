# lab/module.mk - shared by engineers "wire" (liblabwire: ladder printer, --json,
# --expect) and "isup" (the cfwd-lab main program). Append-only: each owner adds lines.

# --- wire: liblabwire (depends on isupwire core)
$(eval $(call lib,labwire,lab/ladder.c))
$(eval $(call test,test_msu_ladder,tests/test_msu_ladder.c,labwire isupwire core,))
