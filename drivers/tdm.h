/* drivers/tdm.h - TDM backends behind one ops struct (redis ae's shape): spans of
 * timeslots carrying 20 ms G.711 bearer blocks, and signalling links whose MTP2 signal
 * units are relayed to an fd that libss7 uses in SS7_TRANSPORT_DAHDIMTP2 mode (a socketpair
 * end, or served in process: drivers/tdm_vfd.h).
 * Every SU passes a hook (validator + pcap tap) in both directions. Backends: "sim"
 * (UDP on loopback, docs/sim-span.md) and later "dahdi". Knows nothing of ISUP. */
#ifndef DRIVERS_TDM_H
#define DRIVERS_TDM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct loop;
struct conf;

#define TDM_BLOCK_BYTES 160	/* one 20 ms G.711 block (8 kHz, 1 byte/sample) */
#define TDM_BLOCK_MS 20
#define TDM_TIMESLOTS_MAX 31	/* E1 1..31; T1/J1 use 1..24 */
#define TDM_SU_MAX 280		/* largest SU without FCS: 3 header + SIO + 272 SIF, + slack */
#define TDM_TXQ_BLOCKS 8	/* bearer blocks queued per timeslot (160 ms) before drops */

enum tdm_law { TDM_LAW_ULAW, TDM_LAW_ALAW };
const char *tdm_law_name(enum tdm_law law);
uint8_t tdm_law_idle(enum tdm_law law);	/* silence byte: 0xFF (u-law), 0xD5 (A-law) */

/* One [span NAME] section. Keys: backend = sim|dahdi, law = ulaw|alaw, channels = 1..31,
 * sim: local_port, remote_port (127.0.0.1), hello_ms (200), dead_ms (1000);
 * dahdi: base_channel (DAHDI channel number of timeslot 1). */
struct tdm_span_cfg {
	char name[32];
	char backend[8];
	enum tdm_law law;
	unsigned channels;
	uint16_t local_port;
	uint16_t remote_port;
	unsigned hello_ms;
	unsigned dead_ms;
	unsigned base_channel;
};

/* Read section "span NAME" (section is the full section name, e.g. "span local"). Marks the
 * keys used. 0 or -EINVAL with "file:line: ..." in err. */
int tdm_span_cfg_parse(struct conf *c, const char *section, struct tdm_span_cfg *cfg,
		       char *err, size_t errlen);
void tdm_span_cfg_default(struct tdm_span_cfg *cfg, const char *name);	/* sim, ulaw, 31 */

struct tdm_span;
struct tdm_link;

struct tdm_span_events {
	/* Span came up (peer heard / no alarm) or went down (peer silent / alarm). */
	void (*span_state)(void *user, struct tdm_span *s, bool up);
	/* One received 160-byte block of an enabled timeslot, every 20 ms while up. */
	void (*bearer_rx)(void *user, struct tdm_span *s, unsigned ts, const uint8_t *blk);
};

/* Open a span on the loop. NULL with a message in err (bad backend, port in use...). */
struct tdm_span *tdm_span_open(struct loop *l, const struct tdm_span_cfg *cfg,
			       const struct tdm_span_events *ev, void *user, char *err,
			       size_t errlen);
void tdm_span_close(struct tdm_span *s);	/* NULL-safe; closes its links too */
const char *tdm_span_name(const struct tdm_span *s);
enum tdm_law tdm_span_law(const struct tdm_span *s);
unsigned tdm_span_channels(const struct tdm_span *s);
bool tdm_span_is_up(const struct tdm_span *s);

/* Bearer I/O. An enabled timeslot exchanges one block per 20 ms: the backend sends the
 * oldest queued block (or idle when the queue is empty) and delivers each received block
 * to bearer_rx. write queues one block: -ENOBUFS when TDM_TXQ_BLOCKS are waiting. */
int tdm_bearer_enable(struct tdm_span *s, unsigned ts, bool on);
int tdm_bearer_write(struct tdm_span *s, unsigned ts, const uint8_t *blk);
/* Cross-connect two timeslots both ways (received blocks of one are sent on the other;
 * bearer_rx is not called for them); NULL b disconnects a. Spans of different laws are
 * relayed in userspace, each block transcoded with tdm_law_convert(); two dahdi spans of
 * the same law are cross-connected in the kernel. */
int tdm_bearer_bridge(struct tdm_span *a, unsigned ts_a, struct tdm_span *b, unsigned ts_b);
/* G.711 transcoding of n bytes (drivers/tdm_law.c): each A-law/µ-law code becomes the
 * same-signed code of the other law with the nearest decoded value; from == to copies.
 * out may be in. */
void tdm_law_convert(enum tdm_law from, enum tdm_law to, uint8_t *out, const uint8_t *in,
		     size_t n);

/* SU hook: called for every SU, FCS stripped, before it moves on. dir RX = from the
 * network towards libss7, TX = written by libss7 towards the network. The hook may
 * rewrite su in place (up to cap bytes; update *len), e.g. msu_neutralize() a rejected MSU
 * so libss7's MTP2 sequence numbers stay intact; return false to discard the SU. */
enum tdm_su_dir { TDM_SU_RX, TDM_SU_TX };
typedef bool (*tdm_su_hook)(void *user, struct tdm_link *lk, enum tdm_su_dir dir, uint8_t *su,
			    size_t *len, size_t cap);
typedef void (*tdm_link_state_cb)(void *user, struct tdm_link *lk, bool up);

/* Open the signalling link on timeslot ts. tdm_link_fd() is the fd to give to
 * ss7_add_link(ss7, SS7_TRANSPORT_DAHDIMTP2, fd, ...): a SOCK_SEQPACKET socketpair end
 * where each read() is one SU + 2 FCS bytes and each write() one SU + 2 spare bytes, as on
 * a DAHDI MTP2 channel. state_cb reports later span up/down changes for this link (call
 * ss7_link_alarm / ss7_link_noalarm); the state at open is tdm_span_is_up(). id is the
 * link number written to pcap. The timeslot must not be an enabled bearer. */
struct tdm_link *tdm_link_open(struct tdm_span *s, unsigned ts, uint16_t id, tdm_su_hook hook,
			       tdm_link_state_cb state_cb, void *user);
/* The same, with libss7's fd served in process where the backend allows it (sim; dahdi
 * keeps the socketpair, through which it paces libss7): libss7's read() and write() on
 * tdm_link_fd() then never enter the kernel, and nothing polls the fd. An SU from the
 * network passes the hook and is queued for libss7 (TDM_VFD_QLEN deep; beyond, counted in
 * rx_discarded): the owner calls ss7_read while tdm_link_rx_pending() (the hook saw every
 * SU first, so it knows when). Each ss7_write is relayed (hook, backend) before it
 * returns: the owner writes while ss7_pollflags() asks for POLLOUT. tdm_link_is_inproc()
 * tells which kind the link got. */
struct tdm_link *tdm_link_open_inproc(struct tdm_span *s, unsigned ts, uint16_t id,
				      tdm_su_hook hook, tdm_link_state_cb state_cb, void *user);
void tdm_link_close(struct tdm_link *lk);	/* NULL-safe; closes libss7's fd (and ours) */
bool tdm_link_is_inproc(const struct tdm_link *lk);
unsigned tdm_link_rx_pending(const struct tdm_link *lk);	/* 0 on a socketpair */
/* Relay now what libss7 has written to tdm_link_fd() (hook, then to the network) instead
 * of at the next poll round: for an owner that just called ss7_write(). Both socketpair
 * ends are non-blocking. Nothing to do in process. */
void tdm_link_take_tx(struct tdm_link *lk);
/* Queue an SU for libss7's next read that did not come from the network: no hook, no
 * pcap (isup/link.c makes libss7 forget the last LSSU it saw this way). 0, or -1 when
 * the queue is full or len is not an SU's. */
int tdm_link_inject(struct tdm_link *lk, const uint8_t *su, size_t len);
int tdm_link_fd(const struct tdm_link *lk);
uint16_t tdm_link_id(const struct tdm_link *lk);
struct tdm_span *tdm_link_span(const struct tdm_link *lk);
unsigned tdm_link_ts(const struct tdm_link *lk);

struct tdm_link_stats {
	uint64_t rx_sus, tx_sus;	/* SUs relayed network->libss7 and libss7->network */
	uint64_t rx_discarded, tx_discarded;	/* hook said false, or span down */
};
void tdm_link_get_stats(const struct tdm_link *lk, struct tdm_link_stats *st);

/* The backend contract (drivers/tdm_priv.h has the span body). How each backend fills it:
 * - sim: one UDP socket per span; a 20 ms loop timer sends BEARER datagrams of enabled
 *   timeslots; SU datagrams carry the timeslot; HELLO keepalives give span up/down.
 * - dahdi: one fd per timeslot (/dev/dahdi/channel + DAHDI_SPECIFY(base_channel+ts-1),
 *   DAHDI_SET_BLOCKSIZE 160, DAHDI_AUDIOMODE 1); bearer_rx on POLLIN read() of 160 bytes,
 *   write() per block; the MTP2 channel fd is the network side of the same SU relay
 *   (read = SU + FCS, write = SU + 2); alarms via POLLPRI/DAHDI_GETEVENT -> span_state;
 *   bridge = DAHDI_SETCONF with DAHDI_CONF_DIGITALMON on both channels when both spans
 *   are dahdi of one law, else the userspace relay of drivers/tdm.c. */
struct tdm_ops {
	const char *name;
	int (*span_open)(struct tdm_span *s, char *err, size_t errlen);
	void (*span_close)(struct tdm_span *s);
	int (*bearer_enable)(struct tdm_span *s, unsigned ts, bool on);
	int (*link_open)(struct tdm_span *s, struct tdm_link *lk);	/* start SU I/O on ts */
	void (*link_close)(struct tdm_span *s, struct tdm_link *lk);
	int (*link_send)(struct tdm_span *s, struct tdm_link *lk, const uint8_t *su, size_t len);
};
extern const struct tdm_ops tdm_sim_ops;

#endif
