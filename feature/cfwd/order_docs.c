/* feature/cfwd/order_docs.c - identity document uploads: validate what the operator
 * recorded, copy the image into "<db>.docs/<order>/<doc>-<side>.<ext>" (sha256 while
 * copying, fsync'd before the commit), and delete the images when verification ends.
 * File removal always runs under the store's write lock, so an upload in progress in
 * another process (its row not yet committed) is never mistaken for an orphan.
 * A refused upload (e.g. a My Number card back) is recorded but its image not kept. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/util.h"
#include "feature/cfwd/order_int.h"

static int parse_opt_date(const char *s, int32_t *d)
{
	*d = DOC_DATE_NONE;
	return s ? doc_date_parse(s, d) : 0;
}

/* Validate the upload into a record (no I/O but stat). */
static int upload_check(const struct order_doc_upload *u, struct doc_record *rec,
			off_t *size)
{
	struct stat sb;

	memset(rec, 0, sizeof(*rec));
	rec->type = u->type ? doc_type_find(u->type) : NULL;
	if (!rec->type || !u->side || doc_side_parse(u->side, &rec->side))
		return -EINVAL;
	if (!(rec->type->allowed_sides & (1u << rec->side)))
		return -EINVAL;
	if (parse_opt_date(u->issued, &rec->issued) || parse_opt_date(u->expires, &rec->expires))
		return -EINVAL;
	if (!order_text_ok(u->name, ORDER_NAME_SIZE, true) ||
	    !order_text_ok(u->address, ORDER_ADDR_SIZE, true))
		return -EINVAL;
	rec->name = u->name;
	rec->address = u->address;
	rec->masked = u->masked;
	rec->changes = u->changes;
	rec->shows_domicile = u->shows_domicile;
	rec->shows_mynumber = u->shows_mynumber;
	rec->unclear = u->unclear;
	rec->altered = u->altered;
	if (!u->file || stat(u->file, &sb) != 0)
		return u->file ? -errno : -EINVAL;
	if (!S_ISREG(sb.st_mode))
		return -EINVAL;
	if (sb.st_size > ORDER_DOC_MAX_BYTES)
		return -EFBIG;
	*size = sb.st_size;
	return 0;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Copy src to a new file dst (mode 0600), hashing it; fsync file and directory. */
static int copy_hashed(const char *src, const char *dst, const char *dir, char hex[65],
		       int64_t *size)
{
	unsigned char buf[65536], h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state st;
	int in, out, rc = 0, dfd;
	ssize_t n;

	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0) {
		rc = -errno;
		close(in);
		return rc;
	}
	crypto_hash_sha256_init(&st);
	*size = 0;
	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || (*size += n) > ORDER_DOC_MAX_BYTES) {
			rc = n < 0 ? -errno : -EFBIG;
			break;
		}
		crypto_hash_sha256_update(&st, buf, (unsigned long long)n);
		if ((rc = write_all(out, buf, (size_t)n)))
			break;
	}
	if (!rc && fsync(out) != 0)
		rc = -errno;
	close(in);
	if (close(out) != 0 && !rc)
		rc = -errno;
	if (rc) {
		unlink(dst);
		return rc;
	}
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(hex, 65, h, sizeof(h));
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

static const char *file_ext(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *dot = strrchr(base ? base : path, '.');

	if (!dot || strlen(dot) < 2 || strlen(dot) > 6)
		return ".bin";
	for (const char *p = dot + 1; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9')))
			return ".bin";
	return dot;
}

static int doc_insert(struct orders *o, int64_t id, int round, const struct order_doc_upload *u,
		      const struct doc_record *rec, int64_t *doc_id)
{
	sqlite3_stmt *s = order_prepare(o,
		"INSERT INTO documents(order_id, round, type, side, issued, expires, name, "
		"address, masked, changes, shows_domicile, shows_mynumber, unclear, altered, "
		"added, added_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
		"?13, ?14, ?15, ?16)");
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, round);
	sqlite3_bind_text(s, 3, rec->type->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, doc_side_name(rec->side), -1, SQLITE_STATIC);
	order_bind_date(s, 5, rec->issued);
	order_bind_date(s, 6, rec->expires);
	sqlite3_bind_text(s, 7, u->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, u->address, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 9, rec->masked);
	sqlite3_bind_int(s, 10, rec->changes);
	sqlite3_bind_int(s, 11, rec->shows_domicile);
	sqlite3_bind_int(s, 12, rec->shows_mynumber);
	sqlite3_bind_int(s, 13, rec->unclear);
	sqlite3_bind_int(s, 14, rec->altered);
	sqlite3_bind_int64(s, 15, (sqlite3_int64)clock_wall_s());
	sqlite3_bind_text(s, 16, o->op, -1, SQLITE_STATIC);
	rc = order_done(o, s, "add document");
	*doc_id = sqlite3_last_insert_rowid(o->db);
	return rc;
}

static int doc_store_image(struct orders *o, int64_t id, int64_t doc_id, const char *file,
			   enum doc_side side, char *dst, size_t dstlen)
{
	char dir[PATH_MAX], hex[65];
	int64_t size = 0;
	sqlite3_stmt *s;
	int rc;

	if (!o->docs_dir[0])
		return -EINVAL;	/* an in-memory store has nowhere to keep images */
	snprintf(dir, sizeof(dir), "%s/%lld", o->docs_dir, (long long)id);
	if ((mkdir(o->docs_dir, 0700) && errno != EEXIST) || (mkdir(dir, 0700) && errno != EEXIST))
		return -errno;
	if (snprintf(dst, dstlen, "%s/%lld-%s%s", dir, (long long)doc_id, doc_side_name(side),
		     file_ext(file)) >= (int)dstlen)
		return -ENAMETOOLONG;
	rc = copy_hashed(file, dst, dir, hex, &size);
	if (rc)
		return rc;
	s = order_prepare(o, "UPDATE documents SET path = ?2, sha256 = ?3, size = ?4 "
			     "WHERE id = ?1");
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, doc_id);
	sqlite3_bind_text(s, 2, dst, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, hex, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, size);
	return order_done(o, s, "record document image");
}

int orders_doc_add(struct orders *o, int64_t id, const struct order_doc_upload *u,
		   int64_t *doc_id, bool *image_kept)
{
	struct doc_record rec;
	struct order r;
	enum order_state to;
	char dst[PATH_MAX] = "", why[96];
	off_t size;
	bool keep;
	int rc;

	rc = upload_check(u, &rec, &size);
	if (rc)
		return rc;
	keep = !doc_record_refused(&rec);
	if ((rc = order_exec(o, "BEGIN IMMEDIATE")))
		return rc;
	if ((rc = orders_get(o, id, &r)) || (rc = order_fsm_step(o, id, r.state,
								 ORDER_EV_DOC_ADDED, &to)))
		goto fail;
	if ((rc = doc_insert(o, id, r.round, u, &rec, doc_id)))
		goto fail;
	if (keep && (rc = doc_store_image(o, id, *doc_id, u->file, rec.side, dst, sizeof(dst))))
		goto fail;
	snprintf(why, sizeof(why), "document %lld: %s %s%s", (long long)*doc_id, rec.type->id,
		 doc_side_name(rec.side), keep ? "" : " (refused, image not kept)");
	if ((rc = order_event_add(o, id, ORDER_EV_DOC_ADDED, r.state, to, why)))
		goto fail;
	if ((rc = order_exec(o, "COMMIT")))
		goto fail;
	if (image_kept)
		*image_kept = keep;
	LOGP(DORDER, LOGL_INFO, "order=%lld: %s", (long long)id, why);
	return 0;
fail:
	sqlite3_exec(o->db, "ROLLBACK", NULL, NULL, NULL);
	if (dst[0])
		unlink(dst);
	return rc;
}

int order_docs_mark_deleted(struct orders *o, int64_t id)
{
	sqlite3_stmt *s = order_prepare(o, "UPDATE documents SET deleted = ?2, deleted_by = ?3 "
					   "WHERE order_id = ?1 AND deleted IS NULL");

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)clock_wall_s());
	sqlite3_bind_text(s, 3, o->op, -1, SQLITE_STATIC);
	return order_done(o, s, "record document deletion");
}

/* Is this file one whose row is kept? (Under the write lock.) */
static bool file_is_live(struct orders *o, int64_t id, const char *fname)
{
	sqlite3_stmt *s;
	char *end;
	long long doc = strtoll(fname, &end, 10);
	bool live = false;

	if (end == fname || *end != '-')
		return false;
	s = order_prepare(o, "SELECT 1 FROM documents WHERE id = ?1 AND order_id = ?2 "
			     "AND deleted IS NULL");
	if (!s)
		return true;	/* in doubt, keep it */
	sqlite3_bind_int64(s, 1, doc);
	sqlite3_bind_int64(s, 2, id);
	live = sqlite3_step(s) != SQLITE_DONE;
	sqlite3_finalize(s);
	return live;
}

static int unlink_dir_locked(struct orders *o, int64_t id)
{
	char dir[PATH_MAX], path[PATH_MAX + 256];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(dir, sizeof(dir), "%s/%lld", o->docs_dir, (long long)id);
	d = opendir(dir);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || file_is_live(o, id, de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (unlink(path) == 0)
			n++;
		else
			LOGP(DORDER, LOGL_ERROR, "unlink %s: %s", path, strerror(errno));
	}
	closedir(d);
	rmdir(dir);	/* only succeeds when empty */
	return n;
}

int order_docs_unlink(struct orders *o, int64_t id)
{
	int n;

	if (!o->docs_dir[0] || order_exec(o, "BEGIN IMMEDIATE"))
		return 0;	/* busy: the next sweep removes them */
	n = unlink_dir_locked(o, id);
	sqlite3_exec(o->db, "COMMIT", NULL, NULL, NULL);
	if (n)
		LOGP(DORDER, LOGL_INFO, "order=%lld: %d document image(s) deleted",
		     (long long)id, n);
	return n;
}

int orders_sweep(struct orders *o)
{
	struct dirent *de;
	DIR *d;
	int n = 0, rc;

	if (!o->docs_dir[0] || !(d = opendir(o->docs_dir)))
		return 0;	/* no image was ever kept: no lock taken */
	if ((rc = order_exec(o, "BEGIN IMMEDIATE"))) {
		closedir(d);
		return rc;
	}
	while ((de = readdir(d))) {
		char *end;
		long long id = strtoll(de->d_name, &end, 10);

		if (end != de->d_name && !*end)
			n += unlink_dir_locked(o, id);
	}
	closedir(d);
	sqlite3_exec(o->db, "COMMIT", NULL, NULL, NULL);
	return n;
}

#define DOC_COLS                                                                        \
	"id, round, type, side, issued, expires, name, address, masked, changes, "     \
	"shows_domicile, shows_mynumber, unclear, altered, path, sha256, size, added, " \
	"deleted"

static void doc_from_row(sqlite3_stmt *s, struct order_doc *d)
{
	char side[16];

	memset(d, 0, sizeof(*d));
	d->rec.id = sqlite3_column_int64(s, 0);
	d->round = sqlite3_column_int(s, 1);
	order_col_text(s, 2, d->type, sizeof(d->type));
	d->rec.type = doc_type_find(d->type);
	order_col_text(s, 3, side, sizeof(side));
	if (doc_side_parse(side, &d->rec.side))
		d->rec.side = DOC_SIDE_FRONT;
	d->rec.issued = order_col_date(s, 4);
	d->rec.expires = order_col_date(s, 5);
	order_col_text(s, 6, d->name, sizeof(d->name));
	order_col_text(s, 7, d->address, sizeof(d->address));
	d->rec.masked = sqlite3_column_int(s, 8);
	d->rec.changes = sqlite3_column_int(s, 9);
	d->rec.shows_domicile = sqlite3_column_int(s, 10);
	d->rec.shows_mynumber = sqlite3_column_int(s, 11);
	d->rec.unclear = sqlite3_column_int(s, 12);
	d->rec.altered = sqlite3_column_int(s, 13);
	order_col_text(s, 14, d->path, sizeof(d->path));
	order_col_text(s, 15, d->sha256, sizeof(d->sha256));
	d->size = sqlite3_column_int64(s, 16);
	d->added = (time_t)sqlite3_column_int64(s, 17);
	d->deleted = (time_t)sqlite3_column_int64(s, 18);
}

/* rec.name/address point into the struct: set them where it finally lives. */
static void doc_fix_pointers(struct order_doc *d, sqlite3_stmt *s)
{
	d->rec.name = sqlite3_column_type(s, 6) == SQLITE_NULL ? NULL : d->name;
	d->rec.address = sqlite3_column_type(s, 7) == SQLITE_NULL ? NULL : d->address;
}

int orders_docs_foreach(struct orders *o, int64_t id,
			int (*cb)(void *u, const struct order_doc *d), void *user)
{
	sqlite3_stmt *s = order_prepare(o, "SELECT " DOC_COLS " FROM documents "
					   "WHERE order_id = ?1 ORDER BY id");
	struct order_doc d;
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		doc_from_row(s, &d);
		doc_fix_pointers(&d, s);
		if ((rc = cb(user, &d))) {
			sqlite3_finalize(s);
			return rc;
		}
	}
	rc = rc == SQLITE_DONE ? 0 : order_sql_err(o, rc, "list documents");
	sqlite3_finalize(s);
	return rc;
}

int order_docs_load(struct orders *o, int64_t id, struct order_doc **docs, size_t *n)
{
	sqlite3_stmt *s = order_prepare(o, "SELECT " DOC_COLS " FROM documents "
					   "WHERE order_id = ?1 AND deleted IS NULL ORDER BY id");
	struct order_doc *v = NULL, *nv;
	size_t cap = 0;
	int rc;

	*n = 0;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				rc = -ENOMEM;
				goto out;
			}
			v = nv;
		}
		doc_from_row(s, &v[*n]);
		doc_fix_pointers(&v[*n], s);
		if (!v[*n].rec.type) {	/* a type no longer in the table */
			rc = -EBADMSG;
			goto out;
		}
		(*n)++;
	}
	rc = rc == SQLITE_DONE ? 0 : order_sql_err(o, rc, "load documents");
out:
	sqlite3_finalize(s);
	if (rc) {
		free(v);
		v = NULL;
		*n = 0;
	}
	*docs = v;
	return rc;
}

int orders_checks_foreach(struct orders *o, int64_t id,
			  int (*cb)(void *u, int round, const struct doc_finding *f),
			  void *user)
{
	sqlite3_stmt *s = order_prepare(o, "SELECT round, document_id, rule, outcome, detail "
					   "FROM document_checks WHERE order_id = ?1 ORDER BY id");
	struct doc_finding f;
	char outcome[16];
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&f, 0, sizeof(f));
		f.doc_id = sqlite3_column_int64(s, 1);
		order_col_text(s, 2, f.rule, sizeof(f.rule));
		order_col_text(s, 3, outcome, sizeof(outcome));
		f.outcome = !strcmp(outcome, "reject") ? DOC_REJECT :
			    !strcmp(outcome, "return") ? DOC_RETURN : DOC_PASS;
		order_col_text(s, 4, f.detail, sizeof(f.detail));
		if ((rc = cb(user, sqlite3_column_int(s, 0), &f))) {
			sqlite3_finalize(s);
			return rc;
		}
	}
	rc = rc == SQLITE_DONE ? 0 : order_sql_err(o, rc, "list checks");
	sqlite3_finalize(s);
	return rc;
}
