/* tests/test_order.c - the order workflow of SERVICE.md §8 on a real store file: the
 * happy path of an individual and of a corporation with a differing head office, a
 * return-for-reupload loop, refused transitions that change nothing, document images
 * deleted when verification ends, and the service becoming active with the order.
 * The kill -9 cases are in tests/test_order_crash.c. Fake wall clock, TZ=Asia/Tokyo. */
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
#include "core/loop.h"
#include "feature/cfwd/order.h"
#include "feature/cfwd/store.h"
#include "tests/test_order_fixture.h"

static void test_individual_happy_path_to_active_service(void **state)
{
	struct ofix *f = *state;
	struct order_verify_result res;
	struct order r;
	struct cfwd_sub sub;
	int64_t id;

	step("0312345678 applies as an individual");
	id = ofix_new(f, "0312345678", false);
	assert_int_equal(orders_get(f->o, id, &r), 0);
	assert_int_equal(r.state, ORDER_ST_APPLIED);

	step("The acknowledgement mail is sent; the customer uploads a driver's licence");
	assert_int_equal(orders_ack(f->o, id), 0);
	int64_t doc = ofix_doc(f, id, "drivers-licence", "front", "2030-01-31", NULL, NULL);
	assert_true(ofix_image_kept(f, doc));

	step("Upload complete: verification passes, work date is the next day");
	assert_int_equal(orders_submit(f->o, id), 0);
	assert_int_equal(orders_verify(f->o, id, &res), 0);
	assert_int_equal(res.verdict, DOC_PASS);
	assert_int_equal(res.nfindings, 0);
	assert_int_equal(res.state, ORDER_ST_SCHEDULED);
	assert_int_equal(res.work_date, ofix_day("2026-11-26"));

	step("The image is gone, its row records the deletion and the hash stays");
	assert_false(ofix_image_kept(f, doc));
	assert_int_equal(ofix_count(f, "SELECT count(*) FROM documents WHERE deleted IS NOT NULL "
				       "AND sha256 IS NOT NULL AND length(sha256) = 64"), 1);
	assert_int_equal(ofix_files(f), 0);

	step("Activation before the work date is refused, nothing changes");
	assert_int_equal(orders_activate(f->o, id), -ERANGE);
	assert_int_equal(store_sub_get(f->st, "0312345678", &sub), -ENOENT);

	step("On the work date the order and the service become active together");
	fake_time_passes(24 * 3600 * 1000ull);
	assert_int_equal(orders_activate(f->o, id), 0);
	assert_int_equal(orders_get(f->o, id, &r), 0);
	assert_int_equal(r.state, ORDER_ST_ACTIVE);
	assert_int_equal(r.active_on, ofix_day("2026-11-26"));
	assert_int_equal(store_sub_get(f->st, "0312345678", &sub), 0);
	assert_true(sub.active);
	assert_int_equal(ofix_count(f, "SELECT count(*) FROM audit WHERE number = '0312345678' "
				       "AND what LIKE 'service activated (order %'"), 1);

	step("Every transition is in the history with time and operator");
	assert_int_equal(ofix_count(f, "SELECT count(*) FROM order_events "
				       "WHERE operator = 'tester'"), 6);	/* apply ack doc-added submit verified activate */
}

static void test_corporation_with_differing_head_office_and_tax_receipt(void **state)
{
	struct ofix *f = *state;
	struct order_verify_result res;
	int64_t id;

	step("0612345678 applies as a corporation, head office registered elsewhere");
	id = ofix_new(f, "0612345678", true);
	assert_int_equal(orders_ack(f->o, id), 0);
	ofix_doc_full(f, id, &(struct order_doc_upload){ .type = "registry-certificate",
			.side = "front", .issued = "2026-10-01", .name = OFIX_CORP,
			.address = "東京都千代田区丸の内1-1" });
	assert_int_equal(orders_submit(f->o, id), 0);

	step("Without a receipt showing the application address it goes back");
	assert_int_equal(orders_verify(f->o, id, &res), 0);
	assert_int_equal(res.state, ORDER_ST_RETURNED);
	assert_int_equal(res.nfindings, 1);
	assert_string_equal(res.findings[0].rule, "corporate-address-differs-needs-receipt");

	step("Re-upload with a tax receipt dated within six months: accepted");
	ofix_doc_full(f, id, &(struct order_doc_upload){ .type = "registry-certificate",
			.side = "front", .issued = "2026-10-01", .name = OFIX_CORP,
			.address = "東京都千代田区丸の内1-1" });
	ofix_doc_full(f, id, &(struct order_doc_upload){ .type = "tax-receipt", .side = "front",
			.issued = "2026-09-15", .name = OFIX_CORP, .address = OFIX_ADDR });
	assert_int_equal(orders_submit(f->o, id), 0);
	assert_int_equal(orders_verify(f->o, id, &res), 0);
	assert_int_equal(res.verdict, DOC_PASS);
	assert_int_equal(res.state, ORDER_ST_SCHEDULED);
	assert_int_equal(ofix_files(f), 0);
}

static void test_return_for_reupload_loop_until_accepted(void **state)
{
	struct ofix *f = *state;
	struct order_verify_result res;
	struct order r;
	int64_t id;

	step("An individual uploads a masked insurance card only");
	id = ofix_new(f, "0312340001", false);
	assert_int_equal(orders_ack(f->o, id), 0);
	ofix_doc_full(f, id, &(struct order_doc_upload){ .type = "health-insurance-card",
			.side = "front", .name = OFIX_NAME, .masked = true });
	assert_int_equal(orders_submit(f->o, id), 0);

	step("Verification reports both failed rules by name and returns the order");
	assert_int_equal(orders_verify(f->o, id, &res), 0);
	assert_int_equal(res.verdict, DOC_RETURN);
	assert_int_equal(res.nfindings, 2);
	assert_string_equal(res.findings[0].rule, "insurance-needs-supplementary");
	assert_string_equal(res.findings[1].rule, "address-not-shown");
	assert_int_equal(orders_get(f->o, id, &r), 0);
	assert_int_equal(r.state, ORDER_ST_RETURNED);
	assert_int_equal(r.round, 2);
	assert_string_equal(r.reason, "insurance-needs-supplementary, address-not-shown");
	assert_int_equal(ofix_files(f), 0);

	step("Submitting again without a new upload is refused");
	assert_int_equal(orders_submit(f->o, id), -ENODATA);

	step("Second round: an unmasked card and an old utility receipt");
	ofix_doc_full(f, id, &(struct order_doc_upload){ .type = "health-insurance-card",
			.side = "front", .name = OFIX_NAME });
	ofix_doc_full(f, id, &(struct order_doc_upload){ .type = "utility-receipt",
			.side = "front", .issued = "2026-04-01", .address = OFIX_ADDR });
	assert_int_equal(orders_submit(f->o, id), 0);
	assert_int_equal(orders_verify(f->o, id, &res), 0);
	assert_int_equal(res.state, ORDER_ST_RETURNED);
	assert_int_equal(res.nfindings, 2);
	assert_string_equal(res.findings[0].rule, "insurance-not-masked");
	assert_string_equal(res.findings[1].rule, "issued-over-6-months");

	step("Third round: masked card and a fresh receipt pass");
	ofix_doc_full(f, id, &(struct order_doc_upload){ .type = "health-insurance-card",
			.side = "front", .name = OFIX_NAME, .masked = true });
	ofix_doc_full(f, id, &(struct order_doc_upload){ .type = "utility-receipt",
			.side = "front", .issued = "2026-11-01", .address = OFIX_ADDR });
	assert_int_equal(orders_submit(f->o, id), 0);
	assert_int_equal(orders_verify(f->o, id, &res), 0);
	assert_int_equal(res.state, ORDER_ST_SCHEDULED);
	assert_int_equal(ofix_count(f, "SELECT count(*) FROM document_checks "
				       "WHERE rule = 'verdict'"), 3);
	assert_int_equal(ofix_count(f, "SELECT count(*) FROM documents WHERE deleted IS NULL"), 0);
}

static void test_refused_transitions_change_nothing(void **state)
{
	struct ofix *f = *state;
	struct order_verify_result res;
	int64_t id, doc;
	bool kept;

	id = ofix_new(f, "0312340002", false);
	int events = ofix_count(f, "SELECT count(*) FROM order_events");

	step("Applied: no activation, no verification, no upload, no schedule");
	assert_int_equal(orders_activate(f->o, id), -EPERM);
	assert_int_equal(orders_verify(f->o, id, &res), -EPERM);
	assert_int_equal(orders_doc_add(f->o, id, &(struct order_doc_upload){
				.type = "passport", .side = "photo-page", .file = f->image },
				&doc, &kept), -EPERM);
	assert_int_equal(orders_schedule(f->o, id, "2026-12-24"), -EPERM);
	assert_int_equal(ofix_count(f, "SELECT count(*) FROM order_events"), events);
	assert_int_equal(ofix_count(f, "SELECT count(*) FROM documents"), 0);
	assert_int_equal(ofix_files(f), 0);

	step("Unknown order, missing file, unparsable date, side not on that document");
	assert_int_equal(orders_ack(f->o, 999), -ENOENT);
	assert_int_equal(orders_ack(f->o, id), 0);
	assert_int_equal(orders_doc_add(f->o, id, &(struct order_doc_upload){
				.type = "passport", .side = "photo-page", .file = "/nonexistent" },
				&doc, &kept), -ENOENT);
	assert_int_equal(orders_doc_add(f->o, id, &(struct order_doc_upload){
				.type = "passport", .side = "photo-page", .file = f->image,
				.expires = "2030-02-30" }, &doc, &kept), -EINVAL);
	assert_int_equal(orders_doc_add(f->o, id, &(struct order_doc_upload){
				.type = "passport", .side = "front", .file = f->image },
				&doc, &kept), -EINVAL);
	assert_int_equal(orders_doc_add(f->o, id, &(struct order_doc_upload){
				.type = "notification-card", .side = "front", .file = f->image },
				&doc, &kept), -EINVAL);
	assert_int_equal(ofix_count(f, "SELECT count(*) FROM documents"), 0);

	step("A second order for the same line, a bad number, a bad date");
	struct order_application a = { .number = "0312340002", .name = OFIX_NAME,
				       .address = OFIX_ADDR };
	int64_t id2;

	assert_int_equal(orders_new(f->o, &a, &id2), -EEXIST);
	a.number = "031234";
	assert_int_equal(orders_new(f->o, &a, &id2), -EINVAL);
	a.number = "0312340003";
	a.want_date = "next week";
	assert_int_equal(orders_new(f->o, &a, &id2), -EINVAL);
	assert_int_equal(ofix_count(f, "SELECT count(*) FROM orders"), 1);

	step("Cancelled: final, and the line may apply again");
	assert_int_equal(orders_cancel(f->o, id, ""), -EINVAL);
	assert_int_equal(orders_cancel(f->o, id, "customer withdrew"), 0);
	assert_int_equal(orders_ack(f->o, id), -EPERM);
	a.number = "0312340002";
	a.want_date = NULL;
	assert_int_equal(orders_new(f->o, &a, &id2), 0);
}

static void test_mynumber_back_recorded_but_image_never_kept(void **state)
{
	struct ofix *f = *state;
	struct order_verify_result res;
	int64_t id, back;

	id = ofix_new(f, "0312340004", false);
	assert_int_equal(orders_ack(f->o, id), 0);
	ofix_doc(f, id, "mynumber-card", "front", "2031-05-05", NULL, NULL);

	step("The customer also uploads the back: recorded, image not kept");
	back = ofix_doc(f, id, "mynumber-card", "back", NULL, NULL, NULL);
	assert_false(ofix_image_kept(f, back));
	assert_int_equal(ofix_files(f), 1);

	step("Verification refuses it by name");
	assert_int_equal(orders_submit(f->o, id), 0);
	assert_int_equal(orders_verify(f->o, id, &res), 0);
	assert_int_equal(res.nfindings, 1);
	assert_string_equal(res.findings[0].rule, "mynumber-back-refused");
	assert_int_equal(res.findings[0].doc_id, back);
	assert_int_equal(res.state, ORDER_ST_RETURNED);
}

static void test_name_mismatch_rejects_the_order(void **state)
{
	struct ofix *f = *state;
	struct order_verify_result res;
	int64_t id;

	id = ofix_new(f, "0312340005", false);
	assert_int_equal(orders_ack(f->o, id), 0);
	ofix_doc_full(f, id, &(struct order_doc_upload){ .type = "drivers-licence",
			.side = "front", .expires = "2029-01-01", .name = "鈴木 一郎",
			.address = OFIX_ADDR });
	assert_int_equal(orders_submit(f->o, id), 0);
	assert_int_equal(orders_verify(f->o, id, &res), 0);
	assert_int_equal(res.verdict, DOC_REJECT);
	assert_int_equal(res.state, ORDER_ST_REJECTED);
	assert_int_equal(ofix_files(f), 0);
	assert_int_equal(orders_submit(f->o, id), -EPERM);
	assert_int_equal(orders_cancel(f->o, id, "too late"), -EPERM);
}

static void test_work_date_never_before_verification(void **state)
{
	struct ofix *f = *state;
	struct order_verify_result res;
	struct order r;
	int64_t id;

	step("The customer wished for a date three weeks away");
	struct order_application a = { .number = "0312340006", .name = OFIX_NAME,
				       .address = OFIX_ADDR, .want_date = "2026-12-16" };

	assert_int_equal(orders_new(f->o, &a, &id), 0);
	assert_int_equal(orders_ack(f->o, id), 0);
	ofix_doc(f, id, "drivers-licence", "front", "2030-01-31", NULL, NULL);
	assert_int_equal(orders_submit(f->o, id), 0);
	assert_int_equal(orders_verify(f->o, id, &res), 0);
	assert_int_equal(res.work_date, ofix_day("2026-12-16"));

	step("Moving it to today or before is refused; the day after is the earliest");
	assert_int_equal(orders_schedule(f->o, id, "2026-11-25"), -ERANGE);
	assert_int_equal(orders_schedule(f->o, id, "2026-11-2"), -EINVAL);
	assert_int_equal(orders_schedule(f->o, id, "2026-11-26"), 0);
	assert_int_equal(orders_get(f->o, id, &r), 0);
	assert_int_equal(r.work_date, ofix_day("2026-11-26"));
	assert_int_equal(r.verified_on, ofix_day("2026-11-25"));
}

static void test_fsm_table_allows_exactly_the_workflow(void **state)
{
	static const struct {
		enum order_state from;
		enum order_event ev;
		enum order_state to;
	} allowed[] = {
		{ ORDER_ST_NEW, ORDER_EV_APPLY, ORDER_ST_APPLIED },
		{ ORDER_ST_APPLIED, ORDER_EV_ACK, ORDER_ST_AWAITING_DOCUMENTS },
		{ ORDER_ST_APPLIED, ORDER_EV_CANCEL, ORDER_ST_CANCELLED },
		{ ORDER_ST_AWAITING_DOCUMENTS, ORDER_EV_DOC_ADDED, ORDER_ST_AWAITING_DOCUMENTS },
		{ ORDER_ST_AWAITING_DOCUMENTS, ORDER_EV_SUBMIT, ORDER_ST_VERIFYING },
		{ ORDER_ST_AWAITING_DOCUMENTS, ORDER_EV_CANCEL, ORDER_ST_CANCELLED },
		{ ORDER_ST_VERIFYING, ORDER_EV_VERIFIED, ORDER_ST_SCHEDULED },
		{ ORDER_ST_VERIFYING, ORDER_EV_RETURN, ORDER_ST_RETURNED },
		{ ORDER_ST_VERIFYING, ORDER_EV_REJECT, ORDER_ST_REJECTED },
		{ ORDER_ST_VERIFYING, ORDER_EV_CANCEL, ORDER_ST_CANCELLED },
		{ ORDER_ST_RETURNED, ORDER_EV_DOC_ADDED, ORDER_ST_RETURNED },
		{ ORDER_ST_RETURNED, ORDER_EV_SUBMIT, ORDER_ST_VERIFYING },
		{ ORDER_ST_RETURNED, ORDER_EV_CANCEL, ORDER_ST_CANCELLED },
		{ ORDER_ST_SCHEDULED, ORDER_EV_RESCHEDULE, ORDER_ST_SCHEDULED },
		{ ORDER_ST_SCHEDULED, ORDER_EV_ACTIVATE, ORDER_ST_ACTIVE },
		{ ORDER_ST_SCHEDULED, ORDER_EV_CANCEL, ORDER_ST_CANCELLED },
	};
	struct loop *l = loop_alloc();
	unsigned refused = 0;

	assert_non_null(l);
	log_set_level(DORDER, LOGL_ERROR);
	for (int st = 0; st < ORDER_ST_COUNT; st++) {
		for (int ev = 0; ev < ORDER_EV_COUNT; ev++) {
			enum order_state to;
			int want = -1;

			for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
				if (allowed[i].from == (enum order_state)st &&
				    allowed[i].ev == (enum order_event)ev)
					want = (int)allowed[i].to;
			int rc = order_fsm_run(l, "table", st, ev, &to);

			if (want < 0) {
				assert_int_equal(rc, -EPERM);
				assert_int_equal(to, st);
				refused++;
			} else {
				print_message("  %s --%s--> %s\n", order_state_name(st),
					      order_event_name(ev), order_state_name(to));
				assert_int_equal(rc, 0);
				assert_int_equal(to, want);
			}
		}
	}
	assert_int_equal(refused, ORDER_ST_COUNT * ORDER_EV_COUNT - 16);
	assert_int_equal(fsm_inst_live_count(), 0);
	log_set_level(DORDER, LOGL_NOTICE);
	loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fsm_table_allows_exactly_the_workflow),
		cmocka_unit_test_setup_teardown(test_individual_happy_path_to_active_service,
						ofix_setup, ofix_teardown),
		cmocka_unit_test_setup_teardown(
			test_corporation_with_differing_head_office_and_tax_receipt, ofix_setup,
			ofix_teardown),
		cmocka_unit_test_setup_teardown(test_return_for_reupload_loop_until_accepted,
						ofix_setup, ofix_teardown),
		cmocka_unit_test_setup_teardown(test_refused_transitions_change_nothing,
						ofix_setup, ofix_teardown),
		cmocka_unit_test_setup_teardown(test_mynumber_back_recorded_but_image_never_kept,
						ofix_setup, ofix_teardown),
		cmocka_unit_test_setup_teardown(test_name_mismatch_rejects_the_order, ofix_setup,
						ofix_teardown),
		cmocka_unit_test_setup_teardown(test_work_date_never_before_verification,
						ofix_setup, ofix_teardown),
	};

	return cmocka_run_group_tests_name("order", tests, NULL, NULL);
}
