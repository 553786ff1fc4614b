/* feature/cfwd/store_pin.c - remote-control PINs in the store: set (crypto_pwhash_str,
 * salted argon2id), verify with lockout bookkeeping (N wrong in a row lock remote control
 * for a while; a success resets). Verification does the same hashing work whether or not
 * the subscriber exists. A PIN is never logged, audited or stored in plain text. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/util.h"
#include "feature/cfwd/numbers.h"
#include "feature/cfwd/store_int.h"

static const struct value_string pin_result_names[] = {
	{ STORE_PIN_OK, "ok" },
	{ STORE_PIN_WRONG, "wrong" },
	{ STORE_PIN_LOCKED, "locked" },
	{ STORE_PIN_UNKNOWN, "unknown" },
	{ STORE_PIN_DISABLED, "disabled" },
	{ STORE_PIN_INACTIVE, "inactive" },
	{ 0, NULL }
};

const char *store_pin_result_name(enum store_pin_result r)
{
	return get_value_string(pin_result_names, r);
}

static int pin_hash(struct store *st, const char *pin, char out[crypto_pwhash_STRBYTES])
{
	if (crypto_pwhash_str(out, pin, strlen(pin), st->o.pwhash_opslimit,
			      st->o.pwhash_memlimit) != 0) {
		LOGP(DSTORE, LOGL_ERROR, "crypto_pwhash_str failed (out of memory?)");
		return -ENOMEM;
	}
	return 0;
}

/* A hash of random bytes, so that unknown numbers cost the same as known ones. */
static const char *dummy_hash(struct store *st)
{
	char junk[16];

	if (!st->dummy_hash[0]) {
		randombytes_buf(junk, sizeof(junk));
		for (size_t i = 0; i < sizeof(junk) - 1; i++)
			junk[i] = (char)('a' + (junk[i] & 15));
		junk[sizeof(junk) - 1] = '\0';
		if (pin_hash(st, junk, st->dummy_hash))
			st->dummy_hash[0] = '\0';
	}
	return st->dummy_hash;
}

struct remote_arg {
	bool enabled;
	const char *hash;
};

static int edit_remote(struct store *st, struct cfwd_sub *sub, const void *arg, char *what,
		       size_t len)
{
	const struct remote_arg *a = arg;
	sqlite3_stmt *s = store_stmt(st, ST_PIN_SET);

	store_bind_text(s, 1, sub->number);
	store_bind_text(s, 2, a->hash);
	sub->remote_enabled = a->enabled;
	sub->pin_failures = 0;
	sub->locked_until = 0;
	snprintf(what, len, "remote control %s", a->enabled ? "enabled, PIN set" : "disabled");
	return store_step(st, ST_PIN_SET);
}

int store_set_remote(struct store *st, enum store_who who, const char *num, bool enabled,
		     const char *pin)
{
	char hash[crypto_pwhash_STRBYTES];
	struct remote_arg a = { .enabled = enabled };
	int rc;

	if (enabled) {
		if (!cfwd_pin_valid(pin))
			return -EINVAL;
		rc = pin_hash(st, pin, hash);
		if (rc)
			return rc;
		a.hash = hash;
	}
	rc = store_sub_change(st, who, num, edit_remote, &a);
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

struct verdict_arg {
	enum store_pin_result res;
	time_t now;
};

/* Lockout bookkeeping, inside the transaction on a fresh read of the record. */
static int edit_pin_outcome(struct store *st, struct cfwd_sub *sub, const void *arg,
			    char *what, size_t len)
{
	const struct verdict_arg *a = arg;
	char when[32];
	struct tm tm;

	if (sub->locked_until && sub->locked_until <= a->now) {
		sub->locked_until = 0;	/* the lock ran out: start counting afresh */
		sub->pin_failures = 0;
	}
	switch (a->res) {
	case STORE_PIN_OK:
		sub->pin_failures = 0;
		snprintf(what, len, "remote PIN accepted, failure count reset");
		return 0;
	case STORE_PIN_LOCKED:
		snprintf(what, len, "remote access refused: locked out");
		return 0;
	case STORE_PIN_WRONG:
		break;
	default:
		return -EINVAL;
	}
	sub->pin_failures++;
	metric_inc(METRIC_PIN_FAILURES, NULL);
	snprintf(what, len, "remote PIN wrong (%d/%d)", sub->pin_failures,
		 st->o.lockout_attempts);
	if (sub->pin_failures >= st->o.lockout_attempts) {
		sub->locked_until = a->now + st->o.lockout_s;
		metric_inc(METRIC_LOCKOUTS, NULL);
		gmtime_r(&sub->locked_until, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		snprintf(what + strlen(what), len - strlen(what), ", locked until %s", when);
	}
	return 0;
}

static enum store_pin_result classify(const struct cfwd_sub *sub, time_t now, bool match)
{
	if (!sub->active)
		return STORE_PIN_INACTIVE;
	if (!sub->remote_enabled || !sub->has_pin)
		return STORE_PIN_DISABLED;
	if (sub->locked_until > now)
		return STORE_PIN_LOCKED;
	return match ? STORE_PIN_OK : STORE_PIN_WRONG;
}

/* The stored hash of num, or -ENOENT/-EINVAL/-errno; hash[0] == 0 when none. */
static int pin_hash_get(struct store *st, const char *num, char hash[crypto_pwhash_STRBYTES],
			struct cfwd_sub *sub)
{
	sqlite3_stmt *s;
	int rc;

	hash[0] = '\0';
	rc = store_sub_read(st, num, sub);
	if (rc || !sub->has_pin)
		return rc;
	s = store_stmt(st, ST_PIN_GET);
	store_bind_text(s, 1, num);
	rc = store_step(st, ST_PIN_GET);
	if (rc == 1 && sqlite3_column_text(s, 0))
		str_copy(hash, (const char *)sqlite3_column_text(s, 0), crypto_pwhash_STRBYTES);
	store_reset(st, ST_PIN_GET);
	return rc < 0 ? rc : 0;
}

int store_pin_prepare(struct store *st, const char *num, const char *pin,
		      struct store_pin_ticket *t)
{
	struct cfwd_sub sub;
	int rc;

	memset(t, 0, sizeof(*t));
	rc = pin_hash_get(st, num, t->hash, &sub);
	if (rc && rc != -ENOENT && rc != -EINVAL)
		return rc;
	t->real = t->hash[0] != '\0';
	t->pin_valid = cfwd_pin_valid(pin);
	/* the dummy is made on the first verification of any kind, so that the first
	 * unknown number does not cost more than a known one */
	if (!t->real)
		str_copy(t->hash, dummy_hash(st), sizeof(t->hash));
	return 0;
}

bool store_pin_hash_verify(const struct store_pin_ticket *t, const char *pin)
{
	/* always one verification, whatever we know about the number */
	return crypto_pwhash_str_verify(t->hash, pin ? pin : "", pin ? strlen(pin) : 0) == 0;
}

int store_pin_settle(struct store *st, const char *num, struct store_pin_ticket *t,
		     bool verified, enum store_pin_result *res)
{
	char hash[crypto_pwhash_STRBYTES];
	struct verdict_arg a = { .now = clock_wall_s() };
	struct cfwd_sub sub;
	bool known, match;
	int rc;

	/* a fresh read: the record (or the PIN) may have changed while we hashed */
	rc = pin_hash_get(st, num, hash, &sub);
	if (rc && rc != -ENOENT && rc != -EINVAL)
		goto out;
	known = rc == 0;
	match = verified && t->real && t->pin_valid && strcmp(hash, t->hash) == 0;
	a.res = known ? classify(&sub, a.now, match) : STORE_PIN_UNKNOWN;
	*res = a.res;
	rc = 0;
	if (a.res != STORE_PIN_OK)
		LOGP(DREMOTE, LOGL_NOTICE, "remote access for %s refused: %s", num ? num : "-",
		     store_pin_result_name(a.res));
	if (a.res == STORE_PIN_WRONG || a.res == STORE_PIN_LOCKED ||
	    (a.res == STORE_PIN_OK && (sub.pin_failures || sub.locked_until))) {
		rc = store_sub_change(st, STORE_WHO_REMOTE, num, edit_pin_outcome, &a);
		if (rc == -ENOENT) {
			*res = STORE_PIN_UNKNOWN;	/* removed meanwhile */
			rc = 0;
		}
	}
out:
	sodium_memzero(hash, sizeof(hash));
	sodium_memzero(t, sizeof(*t));
	return rc;
}

int store_pin_verify(struct store *st, const char *num, const char *pin,
		     enum store_pin_result *res)
{
	struct store_pin_ticket t;
	int rc;

	rc = store_pin_prepare(st, num, pin, &t);
	if (rc) {
		sodium_memzero(&t, sizeof(t));
		return rc;
	}
	return store_pin_settle(st, num, &t, store_pin_hash_verify(&t, pin), res);
}

_Static_assert(sizeof(((struct store_pin_ticket *)0)->hash) >= crypto_pwhash_STRBYTES,
	       "ticket hash too small");
