/* tests/test_doc_rules.c - every accepted and refused document case of SERVICE.md §8,
 * run through the pure doc_rules_check() with "today" = 2026-11-25. Each test is one
 * applicant handing in one set, and names the rules that must fail (or none). */
#include <errno.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "feature/cfwd/doc_rules.h"

#define NAME "山田 太郎"
#define ADDR "東京都港区芝5-1-1"
#define CORP_NAME "株式会社テスト"
#define CORP_ADDR "大阪府大阪市北区梅田1-1-1"

static int32_t day(const char *iso)
{
	int32_t d = 0;

	assert_int_equal(doc_date_parse(iso, &d), 0);
	return d;
}

struct set {
	struct doc_application app;
	struct doc_record docs[8];
	size_t n;
	struct doc_finding f[32];
	size_t nf;
	enum doc_outcome verdict;
};

static struct set individual(void)
{
	struct set s = { .app = { .corporate = false, .name = NAME, .address = ADDR } };

	s.app.today = day("2026-11-25");
	return s;
}

static struct set corporation(void)
{
	struct set s = { .app = { .corporate = true, .name = CORP_NAME, .address = CORP_ADDR } };

	s.app.today = day("2026-11-25");
	return s;
}

/* Add a document as read: name/address as on the application unless changed after. */
static struct doc_record *add(struct set *s, const char *type, enum doc_side side)
{
	struct doc_record *d = &s->docs[s->n];

	memset(d, 0, sizeof(*d));
	d->id = (int64_t)++s->n;
	d->type = doc_type_find(type);
	assert_non_null(d->type);
	d->side = side;
	d->issued = DOC_DATE_NONE;
	d->expires = DOC_DATE_NONE;
	d->name = s->app.name;
	d->address = s->app.address;
	return d;
}

static struct doc_record *add_id(struct set *s, const char *type, enum doc_side side)
{
	struct doc_record *d = add(s, type, side);

	d->expires = day("2030-03-31");
	return d;
}

static struct doc_record *add_dated(struct set *s, const char *type, const char *issued)
{
	struct doc_record *d = add(s, type, DOC_SIDE_FRONT);

	d->issued = day(issued);
	return d;
}

/* Check the set; the failed rules must be exactly those listed (any order). */
static void expect_rules(struct set *s, enum doc_outcome verdict, ...)
{
	const char *want[16];
	size_t nwant = 0;
	va_list ap;

	s->nf = doc_rules_check(&s->app, s->docs, s->n, s->f, 32, &s->verdict);
	va_start(ap, verdict);
	for (const char *r; (r = va_arg(ap, const char *));)
		want[nwant++] = r;
	va_end(ap);
	for (size_t i = 0; i < s->nf; i++)
		print_message("    failed: %s (%s)\n", s->f[i].rule, s->f[i].detail);
	for (size_t i = 0; i < nwant; i++) {
		bool found = false;

		for (size_t j = 0; j < s->nf && !found; j++)
			found = !strcmp(s->f[j].rule, want[i]);
		if (!found)
			fail_msg("rule %s did not fail", want[i]);
	}
	assert_int_equal(s->nf, nwant);
	assert_int_equal(s->verdict, verdict);
}

#define PASSES(s) expect_rules(s, DOC_PASS, NULL)

static void test_drivers_licence_front_is_enough(void **state)
{
	struct set s = individual();

	add_id(&s, "drivers-licence", DOC_SIDE_FRONT);
	PASSES(&s);
}

static void test_drivers_licence_with_changes_needs_its_back(void **state)
{
	struct set s = individual();

	add_id(&s, "drivers-licence", DOC_SIDE_FRONT)->changes = true;
	expect_rules(&s, DOC_RETURN, "licence-needs-back", NULL);

	add(&s, "drivers-licence", DOC_SIDE_BACK);
	PASSES(&s);
}

static void test_passport_needs_photo_page_and_holder_page(void **state)
{
	struct set s = individual();

	add_id(&s, "passport", DOC_SIDE_PHOTO_PAGE)->address = NULL;
	expect_rules(&s, DOC_RETURN, "passport-needs-holder-page", "address-not-shown", NULL);

	add(&s, "passport", DOC_SIDE_HOLDER_PAGE);
	PASSES(&s);
}

static void test_resident_register_card_front_and_back_if_changed(void **state)
{
	struct set s = individual();

	add_id(&s, "resident-register-card", DOC_SIDE_FRONT);
	PASSES(&s);
	s.docs[0].changes = true;
	expect_rules(&s, DOC_RETURN, "juki-card-needs-back", NULL);
}

static void test_residence_card_and_permanent_certificate_need_both_sides(void **state)
{
	struct set s = individual(), p = individual();

	add_id(&s, "residence-card", DOC_SIDE_FRONT);
	expect_rules(&s, DOC_RETURN, "residence-card-needs-back", NULL);
	add(&s, "residence-card", DOC_SIDE_BACK);
	PASSES(&s);

	add(&p, "special-permanent-resident-certificate", DOC_SIDE_BACK);
	expect_rules(&p, DOC_RETURN, "permanent-resident-cert-needs-front",
		     "expiry-date-missing", NULL);
	add_id(&p, "special-permanent-resident-certificate", DOC_SIDE_FRONT);
	PASSES(&p);

	struct set a = individual();

	add_id(&a, "alien-registration-certificate", DOC_SIDE_FRONT);
	expect_rules(&a, DOC_RETURN, "alien-registration-cert-needs-back", NULL);
	add(&a, "alien-registration-certificate", DOC_SIDE_BACK);
	PASSES(&a);
}

static void test_mynumber_card_front_only_back_refused(void **state)
{
	struct set s = individual();

	add_id(&s, "mynumber-card", DOC_SIDE_FRONT);
	PASSES(&s);

	struct doc_record *back = add(&s, "mynumber-card", DOC_SIDE_BACK);

	assert_true(doc_record_refused(back));
	assert_false(doc_record_refused(&s.docs[0]));
	expect_rules(&s, DOC_RETURN, "mynumber-back-refused", NULL);
}

static void test_insurance_card_masked_with_utility_receipt(void **state)
{
	struct set s = individual();

	add(&s, "health-insurance-card", DOC_SIDE_FRONT)->masked = true;
	s.docs[0].address = NULL;	/* the card shows name and birth date */
	add_dated(&s, "utility-receipt", "2026-09-30")->name = NULL;
	PASSES(&s);
}

static void test_insurance_card_alone_needs_supplementary(void **state)
{
	struct set s = individual();

	add(&s, "health-insurance-card", DOC_SIDE_FRONT)->masked = true;
	expect_rules(&s, DOC_RETURN, "insurance-needs-supplementary", NULL);
}

static void test_insurance_card_not_masked(void **state)
{
	struct set s = individual();

	add(&s, "health-insurance-card", DOC_SIDE_FRONT);
	add_dated(&s, "resident-record", "2026-11-01");
	expect_rules(&s, DOC_RETURN, "insurance-not-masked", NULL);
}

static void test_mutual_aid_cards_follow_the_insurance_rules(void **state)
{
	static const char *const cards[] = {
		"national-civil-servant-mutual-aid-card", "local-civil-servant-mutual-aid-card",
		"private-school-mutual-aid-card", "sdf-medical-card",
	};

	for (size_t i = 0; i < 4; i++) {
		struct set s = individual();

		print_message("  %s\n", cards[i]);
		add(&s, cards[i], DOC_SIDE_FRONT)->masked = true;
		expect_rules(&s, DOC_RETURN, "insurance-needs-supplementary", NULL);
		add_dated(&s, "utility-receipt", "2026-06-01");
		PASSES(&s);
		s.docs[0].masked = false;
		expect_rules(&s, DOC_RETURN, "insurance-not-masked", NULL);
	}
}

static void test_resident_record_showing_domicile_or_mynumber_refused(void **state)
{
	struct set s = individual();

	add(&s, "health-insurance-card", DOC_SIDE_FRONT)->masked = true;
	struct doc_record *rr = add_dated(&s, "resident-record", "2026-10-01");

	rr->shows_domicile = true;
	assert_true(doc_record_refused(rr));
	expect_rules(&s, DOC_RETURN, "resident-record-shows-domicile", NULL);
	rr->shows_domicile = false;
	rr->shows_mynumber = true;
	expect_rules(&s, DOC_RETURN, "resident-record-shows-mynumber", NULL);
	rr->shows_mynumber = false;
	PASSES(&s);
}

static void test_supplementary_dated_within_six_months(void **state)
{
	struct set s = individual();

	add(&s, "health-insurance-card", DOC_SIDE_FRONT)->masked = true;
	struct doc_record *r = add_dated(&s, "utility-receipt", "2026-05-25");

	PASSES(&s);		/* exactly six months: still within */
	r->issued = day("2026-05-24");
	expect_rules(&s, DOC_RETURN, "issued-over-6-months", NULL);
	r->issued = day("2026-11-26");
	expect_rules(&s, DOC_RETURN, "issued-in-future", NULL);
	r->issued = DOC_DATE_NONE;
	expect_rules(&s, DOC_RETURN, "issue-date-missing", NULL);
}

static void test_expired_or_undated_identity_document(void **state)
{
	struct set s = individual();
	struct doc_record *d = add(&s, "drivers-licence", DOC_SIDE_FRONT);

	expect_rules(&s, DOC_RETURN, "expiry-date-missing", NULL);
	d->expires = day("2026-11-25");
	PASSES(&s);		/* valid through its last day */
	d->expires = day("2026-11-24");
	expect_rules(&s, DOC_RETURN, "expired", NULL);
}

static void test_name_and_address_must_match_the_application(void **state)
{
	struct set s = individual();
	struct doc_record *d = add_id(&s, "mynumber-card", DOC_SIDE_FRONT);

	d->name = "山田　太郎";	/* ideographic space: the same name */
	PASSES(&s);
	d->name = "山田 次郎";
	expect_rules(&s, DOC_REJECT, "name-mismatch", "name-not-shown", NULL);
	d->name = NAME;
	d->address = "東京都港区芝5-1-2";
	expect_rules(&s, DOC_REJECT, "address-mismatch", "address-not-shown", NULL);
	d->address = NULL;
	expect_rules(&s, DOC_RETURN, "address-not-shown", NULL);
}

static void test_hidden_altered_or_unclear_documents(void **state)
{
	struct set s = individual();
	struct doc_record *d = add_id(&s, "drivers-licence", DOC_SIDE_FRONT);

	d->masked = true;
	expect_rules(&s, DOC_RETURN, "partly-hidden", NULL);
	d->masked = false;
	d->unclear = true;
	expect_rules(&s, DOC_RETURN, "image-unclear", NULL);
	d->unclear = false;
	d->altered = true;
	expect_rules(&s, DOC_REJECT, "altered", NULL);
}

static void test_one_set_of_the_right_kind(void **state)
{
	struct set s = individual();

	expect_rules(&s, DOC_RETURN, "no-documents", NULL);
	add_dated(&s, "utility-receipt", "2026-10-01");
	expect_rules(&s, DOC_RETURN, "no-primary-document", "name-not-shown", NULL);
	add_id(&s, "drivers-licence", DOC_SIDE_FRONT);
	PASSES(&s);		/* an extra supplementary does no harm */
	add_id(&s, "mynumber-card", DOC_SIDE_FRONT);
	expect_rules(&s, DOC_RETURN, "several-primary-documents", NULL);
}

static void test_individual_cannot_use_corporate_documents(void **state)
{
	struct set s = individual();

	add_dated(&s, "registry-certificate", "2026-10-01");
	expect_rules(&s, DOC_RETURN, "not-for-individuals", "no-primary-document",
		     "name-not-shown", NULL);
}

static void test_corporation_registry_or_seal_certificate_within_six_months(void **state)
{
	struct set s = corporation(), t = corporation();
	struct doc_record *d = add_dated(&s, "registry-certificate", "2026-06-01");

	PASSES(&s);
	d->issued = day("2026-05-01");
	expect_rules(&s, DOC_RETURN, "issued-over-6-months", NULL);

	add_dated(&t, "seal-certificate", "2026-11-20");
	PASSES(&t);
}

static void test_corporation_head_office_differs_needs_receipt(void **state)
{
	static const char *const receipts[] = {
		"tax-receipt", "social-insurance-receipt", "utility-receipt",
	};

	for (size_t i = 0; i < 3; i++) {
		struct set s = corporation();

		print_message("  head office elsewhere, %s\n", receipts[i]);
		add_dated(&s, "registry-certificate", "2026-10-01")->address = "東京都千代田区丸の内1-1";
		expect_rules(&s, DOC_RETURN, "corporate-address-differs-needs-receipt", NULL);
		struct doc_record *r = add_dated(&s, receipts[i], "2026-08-31");

		PASSES(&s);
		r->issued = day("2026-04-30");
		expect_rules(&s, DOC_RETURN, "issued-over-6-months", NULL);
		r->issued = day("2026-08-31");
		r->address = "京都府京都市";
		expect_rules(&s, DOC_REJECT, "address-mismatch",
			     "corporate-address-differs-needs-receipt", NULL);
	}
}

static void test_corporation_cannot_use_personal_documents(void **state)
{
	struct set s = corporation();

	add_id(&s, "drivers-licence", DOC_SIDE_FRONT);
	expect_rules(&s, DOC_RETURN, "not-for-corporations", "no-primary-document",
		     "name-not-shown", NULL);
}

static void test_dates_parse_strictly(void **state)
{
	static const char *const bad[] = {
		"2026-02-29", "2026-2-03", "20261125", "2026-11-25x", "2026/11/25",
		"2026-13-01", "2026-00-10", "2026-11-00", "", "yesterday", "1899-12-31",
	};
	int32_t d;
	char buf[16];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("  '%s' refused\n", bad[i]);
		assert_int_equal(doc_date_parse(bad[i], &d), -EINVAL);
	}
	assert_int_equal(doc_date_parse("2028-02-29", &d), 0);
	doc_date_format(doc_date_minus_months(day("2026-08-31"), 6), buf, sizeof(buf));
	assert_string_equal(buf, "2026-02-28");
	doc_date_format(doc_date_minus_months(day("2026-03-15"), 6), buf, sizeof(buf));
	assert_string_equal(buf, "2025-09-15");
	assert_int_equal(doc_date_month(day("2028-02-10"), &d), 29);
	doc_date_format(d, buf, sizeof(buf));
	assert_string_equal(buf, "2028-02-01");
}

static void test_type_table_is_consistent(void **state)
{
	for (size_t i = 0; i < doc_type_count(); i++) {
		const struct doc_type *t = doc_type_at(i);

		print_message("  %s\n", t->id);
		assert_ptr_equal(doc_type_find(t->id), t);
		assert_true(t->required_sides != 0);
		assert_int_equal(t->required_sides & ~t->allowed_sides, 0);
		assert_int_equal(t->refused_sides & ~t->allowed_sides, 0);
		assert_int_equal(t->refused_sides & t->required_sides, 0);
		assert_true(t->for_mask != 0);
	}
	assert_null(doc_type_find("notification-card"));	/* 通知カード: not accepted */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drivers_licence_front_is_enough),
		cmocka_unit_test(test_drivers_licence_with_changes_needs_its_back),
		cmocka_unit_test(test_passport_needs_photo_page_and_holder_page),
		cmocka_unit_test(test_resident_register_card_front_and_back_if_changed),
		cmocka_unit_test(test_residence_card_and_permanent_certificate_need_both_sides),
		cmocka_unit_test(test_mynumber_card_front_only_back_refused),
		cmocka_unit_test(test_insurance_card_masked_with_utility_receipt),
		cmocka_unit_test(test_insurance_card_alone_needs_supplementary),
		cmocka_unit_test(test_insurance_card_not_masked),
		cmocka_unit_test(test_mutual_aid_cards_follow_the_insurance_rules),
		cmocka_unit_test(test_resident_record_showing_domicile_or_mynumber_refused),
		cmocka_unit_test(test_supplementary_dated_within_six_months),
		cmocka_unit_test(test_expired_or_undated_identity_document),
		cmocka_unit_test(test_name_and_address_must_match_the_application),
		cmocka_unit_test(test_hidden_altered_or_unclear_documents),
		cmocka_unit_test(test_one_set_of_the_right_kind),
		cmocka_unit_test(test_individual_cannot_use_corporate_documents),
		cmocka_unit_test(test_corporation_registry_or_seal_certificate_within_six_months),
		cmocka_unit_test(test_corporation_head_office_differs_needs_receipt),
		cmocka_unit_test(test_corporation_cannot_use_personal_documents),
		cmocka_unit_test(test_dates_parse_strictly),
		cmocka_unit_test(test_type_table_is_consistent),
	};

	return cmocka_run_group_tests_name("doc_rules", tests, NULL, NULL);
}
