/* tests/test_order_fixture.h - a fresh store file with orders in a temp directory, a
 * fake wall clock at 2026-11-25 10:00 Asia/Tokyo, a sample image, and helpers to apply,
 * upload and look into the tables. Shared by test_order.c and test_order_crash.c. */
#ifndef TESTS_TEST_ORDER_FIXTURE_H
#define TESTS_TEST_ORDER_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "feature/cfwd/order.h"
#include "feature/cfwd/store.h"

#define OFIX_NAME "山田 太郎"
#define OFIX_CORP "株式会社テスト"
#define OFIX_ADDR "東京都港区芝5-1-1"

struct ofix {
	char dir[64];
	char db[128];
	char image[128];
	struct store *st;
	struct orders *o;
};

int ofix_setup(void **state);
int ofix_teardown(void **state);
/* Close and reopen the store (after a crash of another process, say). */
void ofix_reopen(struct ofix *f);

void ofix_step(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define step ofix_step

int32_t ofix_day(const char *iso);
int64_t ofix_new(struct ofix *f, const char *number, bool corporate);
/* Upload the sample image; name and address as on the application. */
int64_t ofix_doc(struct ofix *f, int64_t id, const char *type, const char *side,
		 const char *expires, const char *issued, const char *address);
int64_t ofix_doc_full(struct ofix *f, int64_t id, const struct order_doc_upload *u);
bool ofix_image_kept(struct ofix *f, int64_t doc);
int ofix_files(struct ofix *f);			/* image files under <db>.docs */
int ofix_count(struct ofix *f, const char *sql);	/* first column of the first row */

#endif
