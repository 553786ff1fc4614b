/* tests/test_store_fixture.c - the store tests' fixture: temp dir, open store with
 * crypto_pwhash at its minimum cost (tests stay fast; production uses "interactive"),
 * narration and read-only SQL probes through the store's own connection. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "tests/test_store_fixture.h"

void step(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("  -- ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
}

void fx_rmdir(const char *dir)
{
	struct dirent *d;
	char p[512];
	DIR *dh = opendir(dir);

	if (!dh)
		return;
	while ((d = readdir(dh))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, d->d_name);
		unlink(p);
	}
	closedir(dh);
	rmdir(dir);
}

int fx_setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	char err[256];

	assert_non_null(fx);
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/cfwd-store-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->path, sizeof(fx->path), "%s/cfwd.db", fx->dir);
	store_opts_default(&fx->o);
	fx->o.pwhash_opslimit = crypto_pwhash_OPSLIMIT_MIN;
	fx->o.pwhash_memlimit = crypto_pwhash_MEMLIMIT_MIN;
	fx->st = store_open_opts(fx->path, &fx->o, err, sizeof(err));
	if (!fx->st)
		fail_msg("store_open: %s", err);
	*state = fx;
	return 0;
}

int fx_teardown(void **state)
{
	struct fx *fx = *state;

	store_close(fx->st);
	fx_rmdir(fx->dir);
	free(fx);
	return 0;
}

void add_sub(struct fx *fx, const char *num)
{
	assert_int_equal(store_sub_add(fx->st, STORE_WHO_CFWDCTL, num, true), 0);
}

int sql_int(struct fx *fx, const char *sql)
{
	sqlite3_stmt *s;
	int v;

	assert_int_equal(sqlite3_prepare_v2(store_db(fx->st), sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

void sql_text(struct fx *fx, const char *sql, char *out, size_t len)
{
	sqlite3_stmt *s;

	assert_int_equal(sqlite3_prepare_v2(store_db(fx->st), sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	snprintf(out, len, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
}

struct audit_probe {
	const char *who, *what;
	int count;
	bool found;
};

static int audit_cb(void *user, const struct store_audit *a)
{
	struct audit_probe *p = user;

	p->count++;
	if (p->what && !strcmp(store_who_name(a->who), p->who) && !strcmp(a->what, p->what))
		p->found = true;
	return 0;
}

int audit_count(struct fx *fx, const char *num)
{
	struct audit_probe p = { 0 };

	assert_int_equal(store_audit_foreach(fx->st, num, audit_cb, &p), 0);
	return p.count;
}

bool audit_has(struct fx *fx, const char *num, const char *who, const char *what)
{
	struct audit_probe p = { .who = who, .what = what };

	assert_int_equal(store_audit_foreach(fx->st, num, audit_cb, &p), 0);
	if (!p.found)
		print_message("audit for %s has no '%s: %s'\n", num, who, what);
	return p.found;
}
