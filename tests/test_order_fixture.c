/* tests/test_order_fixture.c - the order tests' fixture (see the header): real store
 * file, real document directory, fake clock. Asserts with cmocka on every setup step. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/log.h"
#include "tests/test_order_fixture.h"

void ofix_step(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	print_message("  -- %s\n", buf);
}

int32_t ofix_day(const char *iso)
{
	int32_t d = 0;

	assert_int_equal(doc_date_parse(iso, &d), 0);
	return d;
}

static void ofix_open(struct ofix *f)
{
	char err[256] = "";

	f->st = store_open(f->db, err, sizeof(err));
	if (!f->st)
		fail_msg("store_open: %s", err);
	f->o = orders_open(store_db(f->st), err, sizeof(err));
	if (!f->o)
		fail_msg("orders_open: %s", err);
	orders_set_operator(f->o, "tester");
}

void ofix_reopen(struct ofix *f)
{
	orders_close(f->o);
	store_close(f->st);
	ofix_open(f);
}

int ofix_setup(void **state)
{
	struct ofix *f = calloc(1, sizeof(*f));
	struct tm tm = { .tm_year = 126, .tm_mon = 10, .tm_mday = 25, .tm_hour = 10,
			 .tm_isdst = -1 };
	FILE *img;

	assert_non_null(f);
	setenv("TZ", "Asia/Tokyo", 1);
	tzset();
	fake_clock_enable(1000000, mktime(&tm));
	log_set_all(LOGL_NOTICE);
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_order.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->db, sizeof(f->db), "%s/cfwd.db", f->dir);
	snprintf(f->image, sizeof(f->image), "%s/scan.jpg", f->dir);
	img = fopen(f->image, "w");
	assert_non_null(img);
	fputs("\xff\xd8\xff\xe0 not really a jpeg, but bytes to copy and hash\n", img);
	fclose(img);
	ofix_open(f);
	*state = f;
	return 0;
}

int ofix_teardown(void **state)
{
	struct ofix *f = *state;
	char cmd[128];

	orders_close(f->o);
	store_close(f->st);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		print_message("could not remove %s\n", f->dir);
	fake_clock_disable();
	free(f);
	return 0;
}

int64_t ofix_new(struct ofix *f, const char *number, bool corporate)
{
	struct order_application a = { .number = number, .address = OFIX_ADDR,
				       .name = corporate ? OFIX_CORP : OFIX_NAME,
				       .corporate = corporate };
	int64_t id = 0;

	assert_int_equal(orders_new(f->o, &a, &id), 0);
	return id;
}

int64_t ofix_doc_full(struct ofix *f, int64_t id, const struct order_doc_upload *u)
{
	struct order_doc_upload up = *u;
	int64_t doc = 0;
	bool kept;

	if (!up.file)
		up.file = f->image;
	assert_int_equal(orders_doc_add(f->o, id, &up, &doc, &kept), 0);
	return doc;
}

int64_t ofix_doc(struct ofix *f, int64_t id, const char *type, const char *side,
		 const char *expires, const char *issued, const char *address)
{
	struct order r;

	assert_int_equal(orders_get(f->o, id, &r), 0);
	return ofix_doc_full(f, id, &(struct order_doc_upload){
			.type = type, .side = side, .expires = expires, .issued = issued,
			.name = r.name, .address = address ? address : r.address });
}

bool ofix_image_kept(struct ofix *f, int64_t doc)
{
	sqlite3_stmt *s;
	bool kept = false;

	assert_int_equal(sqlite3_prepare_v2(store_db(f->st), "SELECT path FROM documents "
					    "WHERE id = ?1 AND deleted IS NULL", -1, &s, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(s, 1, doc);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		kept = access((const char *)sqlite3_column_text(s, 0), F_OK) == 0;
	sqlite3_finalize(s);
	return kept;
}

int ofix_files(struct ofix *f)
{
	char cmd[256];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "find '%s.docs' -type f 2>/dev/null | wc -l", f->db);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%d", &n), 1);
	pclose(p);
	return n;
}

int ofix_count(struct ofix *f, const char *sql)
{
	sqlite3_stmt *s;
	int n;

	assert_int_equal(sqlite3_prepare_v2(store_db(f->st), sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return n;
}
