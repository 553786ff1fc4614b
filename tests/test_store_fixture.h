/* tests/test_store_fixture.h - shared fixture of the store tests: a fresh store file in
 * a temp dir (cheap PIN hashing), ladder narration and small SQL probes of the file. */
#ifndef TESTS_TEST_STORE_FIXTURE_H
#define TESTS_TEST_STORE_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>

#include "feature/cfwd/store.h"

struct fx {
	char dir[64];
	char path[96];
	struct store_opts o;
	struct store *st;
};

int fx_setup(void **state);	/* cmocka setup: *state = struct fx with an open store */
int fx_teardown(void **state);
void fx_rmdir(const char *dir);	/* the store file and its -wal/-shm, then the dir */

void step(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void add_sub(struct fx *fx, const char *num);
int sql_int(struct fx *fx, const char *sql);
void sql_text(struct fx *fx, const char *sql, char *out, size_t len);
int audit_count(struct fx *fx, const char *num);
bool audit_has(struct fx *fx, const char *num, const char *who, const char *what);

#endif
