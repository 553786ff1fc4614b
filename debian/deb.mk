# debian/deb.mk - `make deb`: the Debian packages cfwd and cfwd-lab, built with
# dpkg-buildpackage -us -uc -b from a clean copy of the committed tree (git archive HEAD;
# DEB_TREE=worktree takes the work tree's tracked files plus debian/ and man/ instead), then
# checked with lintian (errors fail). Output: $(BUILD)/deb/*.deb. `make deb-test` also
# installs, runs, upgrades and purges them in a fresh bookworm chroot (scripts/deb-test).
# Included from the root Makefile: include debian/deb.mk
DEB_OUT = $(BUILD)/deb
DEB_TREE ?= head

.PHONY: deb deb-test
deb:
	scripts/install-deps --deb
	rm -rf $(DEB_OUT) && mkdir -p $(DEB_OUT)/src
ifeq ($(DEB_TREE),worktree)
	{ git ls-files; find debian man -type f; } | sort -u | \
		while read -r f; do [ -e "$$f" ] && echo "$$f"; done | \
		tar -cf - -T - | tar -xf - -C $(DEB_OUT)/src
else
	git archive HEAD | tar -xf - -C $(DEB_OUT)/src
endif
	cd $(DEB_OUT)/src && dpkg-buildpackage -us -uc -b -j2 >../build.log 2>&1 || \
		{ tail -30 ../build.log; exit 1; }
	lintian --fail-on error \
		$(DEB_OUT)/*.changes
	@ls -1 $(DEB_OUT)/*.deb

deb-test: deb
	scripts/deb-test $(DEB_OUT)
