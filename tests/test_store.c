/* tests/test_store.c - the cfwd SQLite store on real files in a temp dir: every change
 * function and its audit row, the forward-to rules (-ENXIO without a selected number),
 * PIN hashing (a crypto_pwhash string, never the digits) and lockout on a fake clock,
 * per-component migrations. Failure cases (disk full, busy, kill -9) are in
 * test_store_fail.c. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/clock.h"
#include "core/log.h"
#include "feature/cfwd/store.h"
#include "tests/test_store_fixture.h"

#define SUB "0312345678"
#define FWD "0398765432"

static void test_new_subscriber_has_the_initial_state(void **state)
{
	struct fx *fx = *state;
	struct cfwd_sub sub;

	step("cfwdctl adds 0312345678; nothing is set yet");
	assert_int_equal(store_sub_add(fx->st, STORE_WHO_CFWDCTL, SUB, true), 0);
	assert_int_equal(store_sub_get(fx->st, SUB, &sub), 0);
	assert_string_equal(sub.number, SUB);
	assert_true(sub.active);
	assert_int_equal(sub.condition, CFWD_COND_OFF);
	assert_int_equal(sub.last_condition, CFWD_COND_UNCONDITIONAL);
	assert_int_equal(sub.selected, -1);
	for (int e = 0; e < CFWD_LIST_ENTRIES; e++)
		assert_false(sub.registered[e]);
	assert_int_equal(sub.ring_time_s, 20);
	assert_false(sub.number_request);
	assert_false(sub.remote_enabled);
	assert_false(sub.has_pin);

	step("Adding it twice is refused; an unknown number is -ENOENT");
	assert_int_equal(store_sub_add(fx->st, STORE_WHO_CFWDCTL, SUB, true), -EEXIST);
	assert_int_equal(store_sub_get(fx->st, "0311110000", &sub), -ENOENT);
	assert_int_equal(store_set_ring_time(fx->st, STORE_WHO_142, "0311110000", 30), -ENOENT);
	assert_int_equal(store_sub_get(fx->st, "03-1234", &sub), -EINVAL);
	assert_int_equal(audit_count(fx, SUB), 1);
	assert_int_equal(store_schema_version(store_db(fx->st), "cfwd"), 1);
}

static void test_start_without_a_forward_to_number_is_refused(void **state)
{
	struct fx *fx = *state;
	struct cfwd_sub sub;

	add_sub(fx, SUB);
	step("142: 1 1 with no number registered: error, no change");
	assert_int_equal(store_set_condition(fx->st, STORE_WHO_142, SUB, CFWD_COND_UNCONDITIONAL),
			 -ENXIO);
	assert_int_equal(store_sub_get(fx->st, SUB, &sub), 0);
	assert_int_equal(sub.condition, CFWD_COND_OFF);
	assert_int_equal(audit_count(fx, SUB), 1);

	step("142: 2 0398765432 # registers entry 0 and selects it");
	assert_int_equal(store_set_forward_to(fx->st, STORE_WHO_142, SUB, FWD), 0);
	step("142: 1 2 starts no-reply forwarding");
	assert_int_equal(store_set_condition(fx->st, STORE_WHO_142, SUB, CFWD_COND_NO_REPLY), 0);
	assert_int_equal(store_sub_get(fx->st, SUB, &sub), 0);
	assert_string_equal(sub.list[0], FWD);
	assert_true(sub.registered[0]);
	assert_int_equal(sub.selected, 0);
	assert_int_equal(sub.condition, CFWD_COND_NO_REPLY);
	assert_int_equal(sub.last_condition, CFWD_COND_NO_REPLY);

	step("142: 0 stops; the last condition is remembered for remote start");
	assert_int_equal(store_set_condition(fx->st, STORE_WHO_142, SUB, CFWD_COND_OFF), 0);
	assert_int_equal(store_sub_get(fx->st, SUB, &sub), 0);
	assert_int_equal(sub.condition, CFWD_COND_OFF);
	assert_int_equal(sub.last_condition, CFWD_COND_NO_REPLY);
	assert_int_equal(store_start_last(fx->st, STORE_WHO_REMOTE, SUB, -1), 0);
	assert_int_equal(store_sub_get(fx->st, SUB, &sub), 0);
	assert_int_equal(sub.condition, CFWD_COND_NO_REPLY);
	assert_int_equal(store_set_condition(fx->st, STORE_WHO_142, SUB, 9), -EINVAL);
	assert_true(audit_has(fx, SUB, "142", "condition no-reply -> off"));
	assert_true(audit_has(fx, SUB, "remote", "condition off -> no-reply"));
}

static void test_remote_start_without_any_condition_is_unconditional(void **state)
{
	struct fx *fx = *state;
	struct cfwd_sub sub;

	add_sub(fx, SUB);
	step("List entry 3 registered, never any condition set");
	assert_int_equal(store_set_list_entry(fx->st, STORE_WHO_142, SUB, 3, FWD), 0);
	step("Remote: # PIN 2 3 selects entry 3 and starts unconditional forwarding");
	assert_int_equal(store_start_last(fx->st, STORE_WHO_REMOTE, SUB, 2), -ENXIO);
	assert_int_equal(store_start_last(fx->st, STORE_WHO_REMOTE, SUB, 3), 0);
	assert_int_equal(store_sub_get(fx->st, SUB, &sub), 0);
	assert_int_equal(sub.selected, 3);
	assert_int_equal(sub.condition, CFWD_COND_UNCONDITIONAL);
}

static void test_list_entries_and_selection(void **state)
{
	struct fx *fx = *state;
	struct cfwd_sub sub;

	add_sub(fx, SUB);
	step("4 0 1 0398765432 #, 4 0 4 0611112222 #");
	assert_int_equal(store_set_list_entry(fx->st, STORE_WHO_142, SUB, 1, FWD), 0);
	assert_int_equal(store_set_list_entry(fx->st, STORE_WHO_142, SUB, 4, "0611112222"), 0);
	assert_int_equal(store_set_list_entry(fx->st, STORE_WHO_142, SUB, 5, FWD), -EINVAL);
	assert_int_equal(store_set_list_entry(fx->st, STORE_WHO_142, SUB, 2, "06-1111"), -EINVAL);
	step("4 1 2 selects an empty entry: refused; 4 1 4 selects 0611112222");
	assert_int_equal(store_select_entry(fx->st, STORE_WHO_142, SUB, 2), -ENXIO);
	assert_int_equal(store_select_entry(fx->st, STORE_WHO_142, SUB, 4), 0);
	assert_int_equal(store_sub_get(fx->st, SUB, &sub), 0);
	assert_int_equal(sub.selected, 4);
	assert_string_equal(sub.list[1], FWD);
	assert_string_equal(sub.list[4], "0611112222");
	assert_false(sub.registered[0]);
	step("The selected entry cannot be cleared; another one can");
	assert_int_equal(store_set_list_entry(fx->st, STORE_WHO_CFWDCTL, SUB, 4, NULL), -EBUSY);
	assert_int_equal(store_set_list_entry(fx->st, STORE_WHO_CFWDCTL, SUB, 1, NULL), 0);
	assert_int_equal(store_sub_get(fx->st, SUB, &sub), 0);
	assert_false(sub.registered[1]);
	assert_string_equal(sub.list[1], "");
	assert_true(audit_has(fx, SUB, "142", "entry 4 := 0611112222"));
	assert_true(audit_has(fx, SUB, "cfwdctl", "entry 1 cleared"));

	step("cfwdctl forward set: entry 0, selection and condition in one change");
	assert_int_equal(store_forward_set(fx->st, STORE_WHO_CFWDCTL, SUB, FWD, CFWD_COND_BUSY), 0);
	assert_int_equal(store_sub_get(fx->st, SUB, &sub), 0);
	assert_int_equal(sub.selected, 0);
	assert_int_equal(sub.condition, CFWD_COND_BUSY);
	assert_true(audit_has(fx, SUB, "cfwdctl",
			      "entry 0 := 0398765432, selected, condition off -> busy"));
}

static void test_ring_time_number_request_and_service_state(void **state)
{
	struct fx *fx = *state;
	struct cfwd_sub sub;

	add_sub(fx, SUB);
	step("3 05 # .. 3 60 # accepted, 04 and 61 refused");
	assert_int_equal(store_set_ring_time(fx->st, STORE_WHO_142, SUB, 4), -EINVAL);
	assert_int_equal(store_set_ring_time(fx->st, STORE_WHO_142, SUB, 61), -EINVAL);
	assert_int_equal(store_set_ring_time(fx->st, STORE_WHO_142, SUB, 5), 0);
	assert_int_equal(store_set_ring_time(fx->st, STORE_WHO_142, SUB, 60), 0);
	step("Number Request on, service suspended");
	assert_int_equal(store_set_number_request(fx->st, STORE_WHO_CFWDCTL, SUB, true), 0);
	assert_int_equal(store_set_active(fx->st, STORE_WHO_CFWDCTL, SUB, false), 0);
	assert_int_equal(store_sub_get(fx->st, SUB, &sub), 0);
	assert_int_equal(sub.ring_time_s, 60);
	assert_true(sub.number_request);
	assert_false(sub.active);
	assert_true(audit_has(fx, SUB, "142", "ring time 5 -> 60 s"));
	assert_true(audit_has(fx, SUB, "cfwdctl", "number request on"));
	assert_true(audit_has(fx, SUB, "cfwdctl", "service suspended"));
	assert_int_equal(audit_count(fx, SUB), 5);
}

static int count_cb(void *user, const struct cfwd_sub *sub)
{
	(*(int *)user)++;
	return 0;
}

static void test_remove_forgets_lists_keeps_the_audit(void **state)
{
	struct fx *fx = *state;
	int n = 0;

	add_sub(fx, SUB);
	add_sub(fx, "0311112222");
	assert_int_equal(store_set_forward_to(fx->st, STORE_WHO_142, SUB, FWD), 0);
	assert_int_equal(store_reject_add(fx->st, STORE_WHO_CFWDCTL, SUB, "0355556666"), 0);
	assert_int_equal(store_sub_foreach(fx->st, count_cb, &n), 0);
	assert_int_equal(n, 2);
	step("subscriber remove 0312345678");
	assert_int_equal(store_sub_remove(fx->st, STORE_WHO_CFWDCTL, SUB), 0);
	assert_int_equal(store_sub_remove(fx->st, STORE_WHO_CFWDCTL, SUB), -ENOENT);
	assert_int_equal(sql_int(fx, "SELECT count(*) FROM forward_entry"), 0);
	assert_int_equal(sql_int(fx, "SELECT count(*) FROM reject"), 0);
	assert_true(audit_has(fx, SUB, "cfwdctl", "subscriber removed"));
	n = 0;
	assert_int_equal(store_sub_foreach(fx->st, count_cb, &n), 0);
	assert_int_equal(n, 1);
}

static int reject_cb(void *user, const char *caller)
{
	strcat(user, caller);
	strcat(user, ";");
	return 0;
}

static void test_call_rejection_list(void **state)
{
	struct fx *fx = *state;
	char seen[128] = "";

	add_sub(fx, SUB);
	step("0355556666 and 0899990000 are put on the rejection list");
	assert_int_equal(store_reject_add(fx->st, STORE_WHO_CFWDCTL, SUB, "0899990000"), 0);
	assert_int_equal(store_reject_add(fx->st, STORE_WHO_CFWDCTL, SUB, "0355556666"), 0);
	assert_int_equal(store_reject_add(fx->st, STORE_WHO_CFWDCTL, SUB, "0355556666"), -EEXIST);
	assert_int_equal(store_reject_add(fx->st, STORE_WHO_CFWDCTL, "0300000000", "0355556666"),
			 -ENOENT);
	assert_int_equal(store_reject_add(fx->st, STORE_WHO_CFWDCTL, SUB, "035x"), -EINVAL);
	assert_int_equal(store_reject_contains(fx->st, SUB, "0355556666"), 1);
	assert_int_equal(store_reject_contains(fx->st, SUB, "0311112222"), 0);
	assert_int_equal(store_reject_foreach(fx->st, SUB, reject_cb, seen), 0);
	assert_string_equal(seen, "0355556666;0899990000;");
	step("One is removed again; removing it twice is -ESRCH");
	assert_int_equal(store_reject_remove(fx->st, STORE_WHO_CFWDCTL, SUB, "0355556666"), 0);
	assert_int_equal(store_reject_remove(fx->st, STORE_WHO_CFWDCTL, SUB, "0355556666"),
			 -ESRCH);
	assert_int_equal(store_reject_contains(fx->st, SUB, "0355556666"), 0);
	assert_true(audit_has(fx, SUB, "cfwdctl", "rejection list remove 0355556666"));
	assert_int_equal(audit_count(fx, SUB), 4);
}

static void test_pin_is_stored_as_a_pwhash_string_only(void **state)
{
	struct fx *fx = *state;
	struct cfwd_sub sub;
	char hash[crypto_pwhash_STRBYTES];
	enum store_pin_result res;

	add_sub(fx, SUB);
	step("142: 4 3 1 with a 3-digit PIN: refused; 4 3 1 4791: remote enabled");
	assert_int_equal(store_set_remote(fx->st, STORE_WHO_142, SUB, true, "479"), -EINVAL);
	assert_int_equal(store_set_remote(fx->st, STORE_WHO_142, SUB, true, "47a1"), -EINVAL);
	assert_int_equal(store_set_remote(fx->st, STORE_WHO_142, SUB, true, "4791"), 0);
	assert_int_equal(store_sub_get(fx->st, SUB, &sub), 0);
	assert_true(sub.remote_enabled);
	assert_true(sub.has_pin);

	step("The column holds an argon2id string that verifies, not the digits");
	sql_text(fx, "SELECT pin_hash FROM subscriber", hash, sizeof(hash));
	assert_int_equal(strncmp(hash, "$argon2id$", 10), 0);
	assert_null(strstr(hash, "4791"));
	assert_int_equal(crypto_pwhash_str_verify(hash, "4791", 4), 0);
	assert_int_not_equal(crypto_pwhash_str_verify(hash, "4792", 4), 0);
	assert_int_equal(sql_int(fx, "SELECT count(*) FROM audit WHERE what LIKE '%4791%'"), 0);

	step("Remote verifies 4791; the PIN is never in the audit log");
	assert_int_equal(store_pin_verify(fx->st, SUB, "4791", &res), 0);
	assert_int_equal(res, STORE_PIN_OK);
	step("4 3 0 disables remote control and forgets the hash");
	assert_int_equal(store_set_remote(fx->st, STORE_WHO_142, SUB, false, NULL), 0);
	assert_int_equal(sql_int(fx, "SELECT pin_hash IS NULL FROM subscriber"), 1);
	assert_int_equal(store_pin_verify(fx->st, SUB, "4791", &res), 0);
	assert_int_equal(res, STORE_PIN_DISABLED);
	assert_true(audit_has(fx, SUB, "142", "remote control enabled, PIN set"));
	assert_true(audit_has(fx, SUB, "142", "remote control disabled"));
}

static void test_three_wrong_pins_lock_remote_control_for_an_hour(void **state)
{
	struct fx *fx = *state;
	enum store_pin_result res;
	struct cfwd_sub sub;

	fake_clock_enable(1000000, 1764064800);	/* 2025-11-25T10:00:00Z */
	add_sub(fx, SUB);
	assert_int_equal(store_set_remote(fx->st, STORE_WHO_142, SUB, true, "4791"), 0);

	step("Two wrong PINs, then the right one: the count is reset");
	assert_int_equal(store_pin_verify(fx->st, SUB, "0000", &res), 0);
	assert_int_equal(res, STORE_PIN_WRONG);
	assert_int_equal(store_pin_verify(fx->st, SUB, "1111", &res), 0);
	assert_int_equal(res, STORE_PIN_WRONG);
	assert_int_equal(store_pin_verify(fx->st, SUB, "4791", &res), 0);
	assert_int_equal(res, STORE_PIN_OK);
	assert_int_equal(store_sub_get(fx->st, SUB, &sub), 0);
	assert_int_equal(sub.pin_failures, 0);

	step("Three wrong PINs in a row: locked until 11:00");
	for (int i = 0; i < 3; i++) {
		assert_int_equal(store_pin_verify(fx->st, SUB, "0000", &res), 0);
		assert_int_equal(res, STORE_PIN_WRONG);
	}
	assert_int_equal(store_sub_get(fx->st, SUB, &sub), 0);
	assert_int_equal(sub.locked_until, 1764064800 + 3600);
	assert_true(audit_has(fx, SUB, "remote",
			      "remote PIN wrong (3/3), locked until 2025-11-25T11:00:00Z"));

	step("59 minutes later the right PIN is still refused, and logged");
	fake_time_passes(59 * 60 * 1000);
	assert_int_equal(store_pin_verify(fx->st, SUB, "4791", &res), 0);
	assert_int_equal(res, STORE_PIN_LOCKED);
	assert_true(audit_has(fx, SUB, "remote", "remote access refused: locked out"));

	step("After the hour the right PIN works and clears the lock");
	fake_time_passes(60 * 1000);
	assert_int_equal(store_pin_verify(fx->st, SUB, "4791", &res), 0);
	assert_int_equal(res, STORE_PIN_OK);
	assert_int_equal(store_sub_get(fx->st, SUB, &sub), 0);
	assert_int_equal(sub.locked_until, 0);
	assert_int_equal(sub.pin_failures, 0);
	fake_clock_disable();
}

static void test_pin_rejections_look_alike_to_the_caller(void **state)
{
	struct fx *fx = *state;
	enum store_pin_result res;

	add_sub(fx, SUB);
	add_sub(fx, "0311112222");
	assert_int_equal(store_set_remote(fx->st, STORE_WHO_142, "0311112222", true, "4791"), 0);
	assert_int_equal(store_set_active(fx->st, STORE_WHO_CFWDCTL, "0311112222", false), 0);

	step("Unknown number, remote disabled, suspended: all refused, none counted");
	assert_int_equal(store_pin_verify(fx->st, "0399999999", "4791", &res), 0);
	assert_int_equal(res, STORE_PIN_UNKNOWN);
	assert_int_equal(store_pin_verify(fx->st, "03#", "4791", &res), 0);
	assert_int_equal(res, STORE_PIN_UNKNOWN);
	assert_int_equal(store_pin_verify(fx->st, SUB, "4791", &res), 0);
	assert_int_equal(res, STORE_PIN_DISABLED);
	assert_int_equal(store_pin_verify(fx->st, "0311112222", "4791", &res), 0);
	assert_int_equal(res, STORE_PIN_INACTIVE);
	assert_int_equal(sql_int(fx, "SELECT sum(pin_failures) FROM subscriber"), 0);
	assert_string_equal(store_pin_result_name(STORE_PIN_LOCKED), "locked");
}

static int bump_fn(sqlite3 *db)
{
	return sqlite3_exec(db, "INSERT INTO order_doc(kind) VALUES ('passport')", NULL, NULL,
			    NULL) == SQLITE_OK ? 0 : -EIO;
}

static void test_a_component_owns_its_own_migrations(void **state)
{
	struct fx *fx = *state;
	sqlite3 *db = store_db(fx->st);
	const struct store_migration v2[] = {
		{ .sql = "CREATE TABLE orders(id INTEGER PRIMARY KEY, state TEXT)" },
		{ .sql = "CREATE TABLE order_doc(id INTEGER PRIMARY KEY, kind TEXT)",
		  .fn = bump_fn },
	};
	const struct store_migration bad[] = {
		v2[0], v2[1],
		{ .sql = "CREATE TABLE order_x(id INTEGER); SELECT no_such_function()" },
	};

	step("The orders component migrates 0 -> 2; running again does nothing");
	assert_int_equal(store_schema_version(db, "orders"), 0);
	assert_int_equal(store_migrate(db, "orders", v2, 2), 0);
	assert_int_equal(store_schema_version(db, "orders"), 2);
	assert_int_equal(store_migrate(db, "orders", v2, 2), 0);
	assert_int_equal(sql_int(fx, "SELECT count(*) FROM order_doc"), 1);
	assert_int_equal(store_schema_version(db, "cfwd"), 1);

	step("A failing step 3 leaves version 2 and no half-made table");
	assert_int_not_equal(store_migrate(db, "orders", bad, 3), 0);
	assert_int_equal(store_schema_version(db, "orders"), 2);
	assert_int_equal(sql_int(fx, "SELECT count(*) FROM sqlite_master WHERE name='order_x'"),
			 0);
	step("A file newer than the program is refused (forward-only)");
	assert_int_equal(store_migrate(db, "orders", v2, 1), -EPROTO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new_subscriber_has_the_initial_state, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_start_without_a_forward_to_number_is_refused,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
			test_remote_start_without_any_condition_is_unconditional, fx_setup,
			fx_teardown),
		cmocka_unit_test_setup_teardown(test_list_entries_and_selection, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_ring_time_number_request_and_service_state,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_remove_forgets_lists_keeps_the_audit,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_call_rejection_list, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_pin_is_stored_as_a_pwhash_string_only,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_three_wrong_pins_lock_remote_control_for_an_hour,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_pin_rejections_look_alike_to_the_caller,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_a_component_owns_its_own_migrations, fx_setup,
						fx_teardown),
	};

	log_set_all(LOGL_ERROR);
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
