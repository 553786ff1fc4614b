/* tests/dahdi/dahdi_loc.c - the DAHDI test VM's span switch: destroy a dahdi_dynamic_loc
 * span (its peer then hears nothing and goes into red alarm, as a cut E1 would), or
 * create it again with its channels configured as system.conf has them (timeslot 16 the
 * mtp2 or dchan channel, the rest clear). Usage: dahdi-loc destroy|create ADDR [SIG].
 * Only for tests inside the VM; a real card needs none of this. */
#include <dahdi/user.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define LOC_CHANNELS 31
#define LOC_SIGCHAN 16

static int configure(int fd, int spanno, const char *sig)
{
	struct dahdi_spaninfo si = { .spanno = spanno };
	int ts;

	if (ioctl(fd, DAHDI_SPANSTAT, &si)) {
		perror("dahdi-loc: DAHDI_SPANSTAT");
		return -1;
	}
	for (ts = 1; ts <= LOC_CHANNELS; ts++) {
		struct dahdi_chanconfig cc = { .chan = (spanno - 1) * LOC_CHANNELS + ts };

		cc.sigtype = ts != LOC_SIGCHAN	   ? DAHDI_SIG_CLEAR :
			     !strcmp(sig, "dchan") ? DAHDI_SIG_HDLCFCS :
						     DAHDI_SIG_MTP2;
		if (ioctl(fd, DAHDI_CHANCONFIG, &cc)) {
			fprintf(stderr, "dahdi-loc: channel %d: %s\n", cc.chan, strerror(errno));
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct dahdi_dynamic_span ds = { .numchans = LOC_CHANNELS };
	int create, fd, rc;

	if (argc < 3 || (strcmp(argv[1], "create") && strcmp(argv[1], "destroy"))) {
		fprintf(stderr, "usage: dahdi-loc destroy|create ADDR [mtp2|dchan]\n");
		return 2;
	}
	create = !strcmp(argv[1], "create");
	fd = open("/dev/dahdi/ctl", O_RDWR);
	if (fd < 0) {
		perror("dahdi-loc: /dev/dahdi/ctl");
		return 1;
	}
	memcpy(ds.driver, "loc", 4);
	snprintf(ds.addr, sizeof(ds.addr), "%s", argv[2]);
	rc = ioctl(fd, create ? DAHDI_DYNAMIC_CREATE : DAHDI_DYNAMIC_DESTROY, &ds);
	if (rc) {
		fprintf(stderr, "dahdi-loc: %s loc %s: %s\n", argv[1], argv[2], strerror(errno));
		return 1;
	}
	if (create) {
		/* auto_assign_spans numbers the span; ds.spanno has it */
		printf("dahdi-loc: loc %s is span %d\n", argv[2], ds.spanno);
		if (configure(fd, ds.spanno, argc > 3 ? argv[3] : "mtp2"))
			return 1;
	}
	close(fd);
	return 0;
}
