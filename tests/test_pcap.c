/* tests/test_pcap.c - the pcap tap, read back by tshark: a forwarded IAM written as DLT
 * 139 decodes with its called/calling/OCN/RGN/redirection fields, direction and link
 * number survive, FISUs are not captured, LSSUs are. Skips when tshark is missing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "isup/msu_enc.h"
#include "isup/pcap.h"

struct fixture {
	char path[64];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	int fd;

	snprintf(f->path, sizeof(f->path), "/tmp/test_pcap_XXXXXX");
	fd = mkstemp(f->path);
	if (fd < 0)
		return -1;
	close(fd);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	unlink(f->path);
	free(f);
	return 0;
}

/* First line of `tshark -r path -Y filter -T fields -e field` (all occurrences). */
static void tshark_field(const char *path, const char *filter, const char *field, char *out,
			 size_t len)
{
	char cmd[512];
	FILE *p;

	snprintf(cmd, sizeof(cmd),
		 "tshark -r '%s' -Y '%s' -T fields -E occurrence=a -E aggregator=, -e %s "
		 "2>/dev/null", path, filter, field);
	p = popen(cmd, "r");
	assert_non_null(p);
	out[0] = '\0';
	if (!fgets(out, (int)len, p))
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	pclose(p);
}

static bool have_tshark(void)
{
	return system("command -v tshark >/dev/null 2>&1") == 0;
}

static void test_forwarded_iam_in_the_capture_decodes_with_tshark(void **state)
{
	struct fixture *f = *state;
	struct msu_iam_spec s = {
		.opc = 1001, .dpc = 1002, .cic = 2,
		.called = "0398765432", .calling = "0311112222",
		.ocn = "0312345678", .ocn_pres = 1, .rgn = "0312345678", .rgn_pres = 1,
		.ri = true, .ri_ind = 4, .ri_orig_reason = 3, .ri_counter = 2, .ri_reason = 1,
	};
	uint8_t iam[300], rel[64];
	uint8_t fisu[3] = { 0xff, 0xff, 0 }, lssu[4] = { 0xff, 0xff, 1, 2 };
	size_t iam_len = msu_enc_iam(iam, sizeof(iam), &s);
	size_t rel_len = msu_enc_rel(rel, sizeof(rel), 1002, 1001, 2, 17);
	/* what tshark reads back: the IAM we sent, the REL we received, the LSSU */
	static const struct {
		const char *filter, *field, *value;
	} want[] = {
		{ "isup.message_type == 1", "isup.called", "0398765432" },
		{ "isup.message_type == 1", "isup.calling", "0311112222" },
		{ "isup.message_type == 1", "isup.original_called_number", "0312345678" },
		{ "isup.message_type == 1", "isup.redirecting", "0312345678" },
		{ "isup.message_type == 1", "isup.redirecting_ind", "4" },
		{ "isup.message_type == 1", "isup.redirection_counter", "2" },
		{ "isup.message_type == 1", "isup.redirection_reason", "1" },
		{ "isup.message_type == 1", "isup.address_presentation_restricted_indicator",
		  "0,1,1" },
		/* sent = 1 in the pseudo-header: "sent" by us */
		{ "isup.message_type == 1", "frame.p2p_dir", "0" },
		{ "isup.message_type == 12", "isup.cause_indicator", "17" },
		{ "isup.message_type == 12", "mtp3.opc", "1002" },
		{ "mtp2.li == 1", "mtp2.sf", "2" },
	};
	struct pcap_tap *t;
	char v[256];

	if (!have_tshark())
		skip();
	t = pcap_tap_open(f->path);
	assert_non_null(t);
	assert_int_equal(pcap_tap_write(t, false, 0, lssu, sizeof(lssu)), 0);
	assert_int_equal(pcap_tap_write(t, false, 0, fisu, sizeof(fisu)), 0);
	assert_int_equal(pcap_tap_write(t, true, 3, iam, iam_len), 0);
	assert_int_equal(pcap_tap_write(t, false, 3, rel, rel_len), 0);
	assert_int_equal(pcap_tap_packets(t), 3);	/* the FISU is skipped */
	pcap_tap_close(t);

	for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
		tshark_field(f->path, want[k].filter, want[k].field, v, sizeof(v));
		if (strcmp(v, want[k].value))
			fail_msg("%s in '%s': got '%s', want '%s'", want[k].field, want[k].filter, v,
				 want[k].value);
	}
}

static void test_open_fails_on_a_missing_directory(void **state)
{
	assert_null(pcap_tap_open("/nonexistent-dir/x.pcap"));
	pcap_tap_close(NULL);
	assert_int_equal(pcap_tap_write(NULL, true, 0, (const uint8_t *)"abc", 3), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_forwarded_iam_in_the_capture_decodes_with_tshark,
						setup, teardown),
		cmocka_unit_test(test_open_fails_on_a_missing_directory),
	};

	return cmocka_run_group_tests_name("pcap", tests, NULL, NULL);
}
