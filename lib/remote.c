#include "remote.h"

/*
 * uc3.remote: pull before a write, push after it (DESIGN section 7), and
 * fetch before a read once the last fetch is older than the policy's
 * central.fetch_after, by running git itself, which knows the user's
 * transports and credentials.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "error.h"
#include "i18n.h"
#include "run.h"
#include "store_int.h"

/*
 * With uc3.remote set, the central repository is the truth: before a
 * write the branch is brought up to it (fast-forward only), and a commit
 * is pushed before the local branch moves to it, so a write is either on
 * both or on neither. A push refused as not a fast-forward means somebody
 * else wrote first: the edit is done again on their tip.
 */
int
uc3_store__git(struct uc3_store *st, struct uc3_buf *out, struct uc3_buf *err,
	       const char *const *args)
{
	struct uc3_buf where = UC3_BUF_INIT;
	const char *argv[24];
	int status = 0, k = 0, rc;

	argv[k++] = "git";
	argv[k++] = "-c";
	argv[k++] = "advice.pushNonFFCurrent=false";
	if (st->workdir) {
		argv[k++] = "-C";
		argv[k++] = st->workdir;
	} else {
		uc3_buf_addf(&where, "--git-dir=%s", st->gitdir);
		argv[k++] = where.ptr;
	}
	while (*args && k < 23)
		argv[k++] = *args++;
	argv[k] = NULL;
	/*
	 * git in English, whatever the reader's language: its messages are
	 * read here ("couldn't find remote ref", the "fatal: " stripped from
	 * a reason), and git has catalogues of its own (LANGUAGE=id would
	 * reach it).
	 */
	uc3_i18n_push("en");
	rc = uc3_run(&status, argv, NULL, 0, out, err);
	uc3_i18n_pop();
	uc3_buf_release(&where);
	return rc < 0 ? rc : status;
}

static int
git_in(struct uc3_store *st, struct uc3_buf *err, const char *a1, const char *a2, const char *a3,
       const char *a4, const char *a5)
{
	const char *args[] = { a1, a2, a3, a4, a5, NULL };

	return uc3_store__git(st, NULL, err, args);
}

static const char *
short_branch(const struct uc3_store *st)
{
	return strncmp(st->refname, "refs/heads/", 11) ? st->refname : st->refname + 11;
}

static void
first_line_of(char *dst, size_t n, const struct uc3_buf *b)
{
	const char *p = b->ptr;

	while (*p == '\n')
		p++;
	snprintf(dst, n, "%.*s", (int)strcspn(p, "\n"), p);
}

/*
 * What the tools know of the central repository between commands, in
 * $GIT_DIR/uc3/fetch, one "key value" a line:
 *
 *   remote origin         the uc3.remote it is about (another: not known)
 *   tried 1764208800      when a command last asked the central (a read's
 *                         fetch or a write's pull)
 *   level 1764208800      when the branch was last found to hold all the
 *                         central had (0: never)
 *   tip 0123abcd...       the branch tip after that last try
 *   stale 1               the last try left the branch without what the
 *                         central has
 *   problem TEXT          what went wrong at the last try, for the warning
 *   hint TEXT             and the way out, when there is one
 *
 * A read within fetch_after of the last try does not ask again: it says
 * again what went wrong then, while the tip is still the one it left,
 * so that a dead central is not waited for by every command and the
 * warning that the records are old is never lost.
 */
#define FETCH_CACHE "fetch"
#define TEXT_MAX    600

struct fetch_state {
	long long tried, level;
	char tip[GIT_OID_HEXSZ + 1];
	bool stale;
	char problem[TEXT_MAX], hint[TEXT_MAX];
};

/* The state kept for remote, or all zero when there is none (or for another remote). */
static void
fetch_state_read(struct fetch_state *fs, const struct uc3_store *st, const char *remote)
{
	char *path = uc3_store_cache_path(st, FETCH_CACHE), line[TEXT_MAX + 32];
	bool ours = false;
	FILE *f;

	memset(fs, 0, sizeof(*fs));
	if (!(f = fopen(path, "r"))) {
		free(path);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char *v = strchr(line, ' ');

		if (!v)
			continue;
		*v++ = '\0';
		v[strcspn(v, "\n")] = '\0';
		if (!strcmp(line, "remote"))
			ours = !strcmp(v, remote);
		else if (!strcmp(line, "tried"))
			fs->tried = strtoll(v, NULL, 10);
		else if (!strcmp(line, "level"))
			fs->level = strtoll(v, NULL, 10);
		else if (!strcmp(line, "tip"))
			snprintf(fs->tip, sizeof(fs->tip), "%s", v);
		else if (!strcmp(line, "stale"))
			fs->stale = !strcmp(v, "1");
		else if (!strcmp(line, "problem"))
			snprintf(fs->problem, sizeof(fs->problem), "%s", v);
		else if (!strcmp(line, "hint"))
			snprintf(fs->hint, sizeof(fs->hint), "%s", v);
	}
	fclose(f);
	free(path);
	if (!ours)
		memset(fs, 0, sizeof(*fs));
}

/* Keep fs for remote; 0, or -1 with errno when it cannot be written. */
static int
fetch_state_write(const struct fetch_state *fs, const struct uc3_store *st, const char *remote)
{
	struct uc3_buf b = UC3_BUF_INIT;
	int rc;

	uc3_buf_addf(&b, "remote %s\ntried %lld\nlevel %lld\ntip %s\nstale %d\n", remote, fs->tried,
		     fs->level, fs->tip, fs->stale ? 1 : 0);
	if (fs->problem[0])
		uc3_buf_addf(&b, "problem %s\n", fs->problem);
	if (fs->hint[0])
		uc3_buf_addf(&b, "hint %s\n", fs->hint);
	rc = uc3_store_cache_write(st, FETCH_CACHE, b.ptr, b.len);
	uc3_buf_release(&b);
	return rc;
}

/*
 * git's reason, one line of it, fit for a message and for the file
 * above: the first line, without git's "fatal: " or "error: " and the
 * colon that introduces the lines left out, control characters as
 * blanks.
 */
static void
git_reason(char *dst, size_t n, const struct uc3_buf *err)
{
	char line[TEXT_MAX];
	const char *p = line;
	size_t len;
	char *q;

	first_line_of(line, sizeof(line), err);
	if (!strncmp(p, "fatal: ", 7) || !strncmp(p, "error: ", 7))
		p += 7;
	if (!*p)
		p = "git gave no reason";
	len = strlen(p) < n ? strlen(p) : n - 1;
	memcpy(dst, p, len);
	dst[len] = '\0';
	for (q = dst; *q; q++)
		if ((unsigned char)*q < ' ' || *q == 0x7f)
			*q = ' ';
	len = strlen(dst);
	while (len && (dst[len - 1] == ':' || dst[len - 1] == ' '))
		dst[--len] = '\0';
}

/*
 * A write's pull brought the branch up to the central: a read need not
 * fetch again for a while. Kept as a hint only; a clock that cannot be
 * read leaves it out.
 */
static void
note_level(struct uc3_store *st, const char *remote)
{
	struct fetch_state fs;
	time_t now;

	if (uc3_clock_now(&now) < 0) {
		uc3_error_clear();
		return;
	}
	memset(&fs, 0, sizeof(fs));
	fs.tried = fs.level = now;
	git_oid_tostr(fs.tip, sizeof(fs.tip), &st->tip);
	fetch_state_write(&fs, st, remote);
}

static int fetched_tip(git_oid *out, struct uc3_store *st);
static int fast_forward(struct uc3_store *st, const git_oid *id, char *why, size_t n);

int
uc3_store__fetch_central(git_oid *out, struct uc3_store *st, const char *remote)
{
	struct uc3_buf err = UC3_BUF_INIT;
	char why[TEXT_MAX];
	int rc;

	/* Into FETCH_HEAD only: see fetch_now. */
	rc = git_in(st, &err, "fetch", "--quiet", "--refmap=", remote, st->refname);
	if (rc < 0) {
		uc3_buf_release(&err);
		return rc;
	}
	if (rc > 0) {
		git_reason(why, sizeof(why), &err);
		if (strstr(err.ptr, "couldn't find remote ref")) {
			uc3_buf_release(&err);
			return uc3_error_set(UC3_ENOTFOUND, "%s has no branch %s", remote,
					     short_branch(st));
		}
		uc3_buf_release(&err);
		free(st->unreachable);
		st->unreachable = strdup(why);
		return uc3_error_set(UC3_ERROR, "cannot reach %s (%s)", remote, why);
	}
	uc3_buf_release(&err);
	if ((rc = fetched_tip(out, st)) < 0)
		return rc;
	uc3_store__central_seen(st, remote, out);
	return 0;
}

/*
 * What failed (rc) for a write's pull: when it is that the central could
 * not be reached, the write is made here, and waits (0); else rc.
 */
static int
away(struct uc3_store *st, int rc)
{
	if (!st->unreachable)
		return rc;
	uc3_error_clear();
	st->offline = true;
	st->pulled = true;
	return 0;
}

int
uc3_store__remote_pull(struct uc3_store *st, const char *remote)
{
	git_oid central;
	size_t ahead = 0, behind = 0;
	char why[TEXT_MAX];
	int rc;

	if ((rc = uc3_store__fetch_central(&central, st, remote)) < 0)
		return away(st, rc);
	if (git_graph_ahead_behind(&ahead, &behind, st->repo, &st->tip, &central) < 0)
		return uc3_store__git_fail(UC3_ERROR, "the branches");
	if (ahead) {
		/* What waits here goes first, on the central's tip. */
		if ((rc = uc3_store__send_waiting(st, remote, &central, NULL, NULL)) < 0)
			return away(st, rc);
	} else if (behind && fast_forward(st, &central, why, sizeof(why)) < 0) {
		return uc3_error_set(UC3_ERROR,
				     "cannot bring %s up to %s (%s); nothing was recorded",
				     short_branch(st), remote, why);
	}
	st->pulled = true;
	if ((rc = uc3_store__load_tip(st)) == 0)
		note_level(st, remote);
	return rc;
}

/*
 * What git push --porcelain said of the one ref pushed: '!' and the
 * reason in brackets when refused, '\0' when there was no answer at all
 * (the central was not reached).
 */
static char
push_status(char *reason, size_t n, const struct uc3_buf *out)
{
	const char *p = out->ptr;

	reason[0] = '\0';
	if (!p || !strstr(p, "To "))
		return '\0';
	while ((p = strchr(p, '\n'))) {
		p++;
		if ((*p == '!' || *p == '=' || *p == ' ' || *p == '+' || *p == '*' || *p == '-') &&
		    p[1] == '\t') {
			const char *b = strchr(p, '[');

			if (b)
				snprintf(reason, n, "%.*s", (int)strcspn(b, "\n"), b);
			return *p;
		}
	}
	return '?';
}

/* The hook's own words: the first "remote: " line git passed on, else git's. */
static void
hook_reason(char *dst, size_t n, const struct uc3_buf *err, const char *status)
{
	const char *p = err->ptr ? strstr(err->ptr, "remote: ") : NULL;

	while (p && (p != err->ptr && p[-1] != '\n'))
		p = strstr(p + 1, "remote: ");
	if (p) {
		size_t len = strcspn(p + 8, "\n");
		char *q;

		while (len && (p[8 + len - 1] == ' ' || p[8 + len - 1] == '\r'))
			len--;
		snprintf(dst, n, "%.*s", (int)len, p + 8);
		for (q = dst; *q; q++)
			if ((unsigned char)*q < ' ' || *q == 0x7f)
				*q = ' ';
		if (*dst)
			return;
	}
	snprintf(dst, n, "%s", *status ? status : "refused");
}

/*
 * The oldest commit between the central's tip (as last known) and id,
 * other than id itself when it is the write's own (own), that uc3 did not make (no Action trailer):
 * a commit made here by hand. hex gets its short id and subject; false when there is none.
 */
static bool
hand_commit(char *what, size_t n, struct uc3_store *st, const char *remote, const git_oid *id,
	    bool own)
{
	git_revwalk *walk = NULL;
	git_oid central, c;
	bool known = false, found = false;

	if (uc3_store__central_known(&central, &known, st, remote) < 0) {
		uc3_error_clear();
		return false;
	}
	if (git_revwalk_new(&walk, st->repo) < 0 || git_revwalk_push(walk, id) < 0 ||
	    (known && git_revwalk_hide(walk, &central) < 0)) {
		git_error_clear();
		git_revwalk_free(walk);
		return false;
	}
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	while (!found && git_revwalk_next(&c, walk) == 0) {
		git_commit *cm = NULL;
		git_message_trailer_array tr = { 0 };
		size_t i;
		bool ours = false;

		if ((own && git_oid_equal(&c, id)) || git_commit_lookup(&cm, st->repo, &c) < 0)
			continue;
		if (git_message_trailers(&tr, git_commit_message(cm)) == 0)
			for (i = 0; i < tr.count; i++)
				if (!strcmp(tr.trailers[i].key, "Action"))
					ours = true;
		git_message_trailer_array_free(&tr);
		if (!ours) {
			char hex[GIT_OID_HEXSZ + 1];
			const char *subj = git_commit_summary(cm);

			git_oid_tostr(hex, 8, &c);
			snprintf(what, n, "%s (\"%s\")", hex, subj ? subj : "");
			found = true;
		}
		git_commit_free(cm);
	}
	git_error_clear();
	git_revwalk_free(walk);
	return found;
}

int
uc3_store__push(char *kind, char *why, size_t n, struct uc3_store *st, const char *remote,
		const git_oid *id)
{
	struct uc3_buf out = UC3_BUF_INIT, err = UC3_BUF_INIT, spec = UC3_BUF_INIT;
	char hex[41], status[TEXT_MAX];
	int rc;

	*kind = '\0';
	why[0] = '\0';
	git_oid_tostr(hex, sizeof(hex), id);
	uc3_buf_addf(&spec, "%s:%s", hex, st->refname);
	{
		const char *args[] = { "push", "--porcelain", remote, spec.ptr, NULL };

		rc = uc3_store__git(st, &out, &err, args);
	}
	if (rc == 0)
		uc3_store__central_seen(st, remote, id);
	if (rc <= 0)
		goto out;
	rc = 0;
	switch (push_status(status, TEXT_MAX, &out)) {
	case '\0':
		*kind = 'u';
		git_reason(why, n, &err);
		free(st->unreachable);
		st->unreachable = strdup(why);
		break;
	case '!':
		*kind = strstr(status, "remote rejected") && !strstr(status, "lock") ? 'h' : 'r';
		hook_reason(why, n, &err, status);
		break;
	default:
		*kind = 'h';
		hook_reason(why, n, &err, status);
	}
out:
	uc3_buf_release(&out);
	uc3_buf_release(&err);
	uc3_buf_release(&spec);
	return rc;
}

int
uc3_store__push_refused(struct uc3_store *st, const char *remote, const git_oid *id, bool own,
			const char *why)
{
	char hand[TEXT_MAX];

	if (hand_commit(hand, sizeof(hand), st, remote, id, own))
		return uc3_error_set(UC3_ERROR,
				     "%s refused the push (%s): commit %s, made here by hand, is "
				     "not on %s; drop it with uc3 sync --reset (it is kept on a "
				     "branch); nothing was recorded",
				     remote, why, hand, remote);
	return uc3_error_set(UC3_ERROR, "cannot push to %s (%s); nothing was recorded", remote,
			     why);
}

int
uc3_store__remote_push(struct uc3_store *st, const char *remote, const git_oid *id)
{
	char why[TEXT_MAX], kind;
	git_oid base = st->tip;
	bool was_unborn = st->unborn;
	int rc;

	if ((rc = uc3_store__push(&kind, why, sizeof(why), st, remote, id)) < 0 || !kind)
		return rc;
	if (kind == 'u') {
		/* Not reached at all: the write is made offline. */
		st->offline = true;
		return UC3_ECONFLICT;
	}
	/*
	 * Refused: if the central branch moved past the tip this commit was
	 * built on, somebody else wrote first (a non-fast-forward, or a lost
	 * race for the remote's ref lock): do it again there.
	 */
	if (uc3_store__remote_pull(st, remote) == 0 &&
	    (st->offline || (!st->unborn && (was_unborn || !git_oid_equal(&base, &st->tip)))))
		return UC3_ECONFLICT;
	uc3_error_clear();
	return uc3_store__push_refused(st, remote, id, true, why);
}

int
uc3_remote_sync(struct uc3_store *st)
{
	char *remote = st->unborn ? NULL : uc3_store_config(st, "uc3.remote");
	git_index *idx = NULL;
	int lockfd = -1, rc = 0;

	/* Nothing to pull, or the command's last push left this clone where the central is. */
	if (!remote || st->pulled) {
		free(remote);
		return 0;
	}
	if (st->workdir && (lockfd = uc3_store__lock_writers(st)) < 0)
		rc = UC3_ERROR;
	/* A ticket file left behind the branch would stop git pull. */
	if (rc == 0)
		rc = uc3_store__settle_worktree(st, &idx);
	if (rc == 0)
		rc = uc3_store__remote_pull(st, remote);
	if (rc == 0)
		rc = uc3_store__refresh_policy(st);
	git_index_free(idx);
	if (lockfd >= 0)
		close(lockfd);
	free(remote);
	return rc;
}

static int
first_fetched(const char *ref_name, const char *remote_url, const git_oid *oid,
	      unsigned int is_merge, void *payload)
{
	(void)ref_name;
	(void)remote_url;
	(void)is_merge;
	git_oid_cpy(payload, oid);
	return 1;
}

/* The commit git fetch just wrote to FETCH_HEAD (the one branch it was asked for). */
static int
fetched_tip(git_oid *out, struct uc3_store *st)
{
	int rc = git_repository_fetchhead_foreach(st->repo, first_fetched, out);

	if (rc == 1)
		return 0;
	if (rc < 0)
		return uc3_store__git_fail(UC3_ERROR, "FETCH_HEAD");
	return uc3_error_set(UC3_ERROR, "FETCH_HEAD names no commit");
}

/*
 * The central's uc3.yaml at commit id must read before the branch moves
 * there: a read then goes on with the policy it has, where a policy no
 * command can read would stop every command.
 */
static int
policy_reads_at(struct uc3_store *st, const git_oid *id)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	git_blob *b = NULL;
	struct uc3_policy *p = NULL;
	int rc = 0;

	if (git_commit_lookup(&c, st->repo, id) < 0 || git_commit_tree(&t, c) < 0) {
		rc = uc3_store__git_fail(UC3_ERROR, "the commit fetched");
		goto out;
	}
	if (git_tree_entry_bypath(&e, t, UC3_POLICY_FILE) < 0) {
		git_error_clear();
		rc = uc3_error_set(UC3_EPOLICY, "it has no uc3.yaml");
		goto out;
	}
	if (git_oid_equal(git_tree_entry_id(e), &st->policy_blob))
		goto out;
	if ((rc = uc3_store__read_blob(&b, NULL, st, git_tree_entry_id(e), UC3_POLICY_FILE)) == 0)
		rc = uc3_policy_parse(&p, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b),
				      UC3_POLICY_FILE);
	uc3_policy_free(p);
out:
	git_blob_free(b);
	git_tree_entry_free(e);
	git_tree_free(t);
	git_commit_free(c);
	return rc;
}

/*
 * Move the branch on to id, a descendant of its tip: git merge
 * --ff-only where there is a work tree (it brings the files and the
 * index along, and refuses where they hold edits of their own), a
 * compare-and-swap of the ref in a bare repository. why gets the reason
 * it could not.
 */
static int
fast_forward(struct uc3_store *st, const git_oid *id, char *why, size_t n)
{
	struct uc3_buf err = UC3_BUF_INIT;
	git_reference *ref = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	int rc;

	if (!st->workdir) {
		rc = git_reference_create_matching(&ref, st->repo, st->refname, id, 1, &st->tip,
						   "uc3: fast-forward to the central branch");
		git_reference_free(ref);
		if (rc < 0) {
			uc3_store__git_fail(UC3_ERROR, st->refname);
			snprintf(why, n, "%s", uc3_error_last());
		}
		return rc < 0 ? UC3_ERROR : 0;
	}
	git_oid_tostr(hex, sizeof(hex), id);
	rc = git_in(st, &err, "merge", "--ff-only", "--quiet", hex, NULL);
	if (rc < 0)
		snprintf(why, n, "%s", uc3_error_last());
	else if (rc > 0)
		git_reason(why, n, &err);
	uc3_buf_release(&err);
	return rc ? UC3_ERROR : 0;
}

/*
 * Whether what came of the last try (fs) stands at now: it is less than
 * the policy's fetch_after old (a clock set back is no moment ago) and,
 * if it went wrong, the branch is still at the tip it left.
 */
static bool
recent(const struct fetch_state *fs, time_t now, const char *tip, long after)
{
	return fs->tried && now >= fs->tried && now - fs->tried < after &&
	       (!fs->problem[0] || !strcmp(fs->tip, tip));
}

/*
 * Ask the central now (under the writers' lock, so that no write is
 * pulling or moving the branch meanwhile), fill fs with what came of it
 * and keep that in $GIT_DIR/uc3/fetch. notes gets what putting the work
 * tree right did, if anything. Returns 0, or -1 with errno when fs could
 * not be kept.
 */
static int
fetch_now(struct fetch_state *fs, struct uc3_store *st, const char *remote, time_t now,
	  struct uc3_buf *notes)
{
	const char *branch = short_branch(st);
	struct uc3_buf err = UC3_BUF_INIT;
	char why[300];
	git_index *idx = NULL;
	git_oid central;
	size_t ahead = 0, behind = 0;
	long long seen = fs->tried;
	struct fetch_state again;
	int lockfd, rc, kept = 0;

	fs->tried = now;
	fs->stale = true;
	fs->problem[0] = fs->hint[0] = '\0';
	if ((lockfd = uc3_store__lock_writers(st)) < 0) {
		snprintf(fs->problem, sizeof(fs->problem), _("cannot fetch from %s (%s)"), remote,
			 uc3_error_last());
		goto out;
	}
	/*
	 * Another read asked while this one waited for the lock: what came
	 * of it stands, and a slow or dead central is waited for once, not
	 * once by every command queued behind it.
	 */
	fetch_state_read(&again, st, remote);
	if (again.tried != seen) {
		char tip[GIT_OID_HEXSZ + 1];

		git_oid_tostr(tip, sizeof(tip), &st->tip);
		if (strcmp(tip, again.tip) &&
		    (uc3_store__load_tip(st) < 0 || uc3_store__refresh_policy(st) < 0)) {
			snprintf(fs->problem, sizeof(fs->problem), _("%s cannot be read (%s)"),
				 branch, uc3_error_last());
			goto out;
		}
		git_oid_tostr(tip, sizeof(tip), &st->tip);
		/* It may have read the clock after this one did. */
		if (recent(&again, again.tried > now ? (time_t)again.tried : now, tip,
			   st->policy->fetch_after)) {
			*fs = again;
			goto out;
		}
	}
	/*
	 * Into FETCH_HEAD only: without --refmap= git also updates the refs
	 * that the remote's fetch refspec maps, and a mirror clone's maps
	 * every ref to itself: this branch would be moved, by force, past
	 * the checks below.
	 */
	rc = git_in(st, &err, "fetch", "--quiet", "--refmap=", remote, st->refname);
	if (rc != 0) {
		if (rc < 0)
			snprintf(why, sizeof(why), "%s", uc3_error_last());
		else
			git_reason(why, sizeof(why), &err);
		snprintf(fs->problem, sizeof(fs->problem), _("cannot fetch from %s (%s)"), remote,
			 why);
		goto out;
	}
	/* A ticket file a stopped write left behind would stop the fast-forward. */
	rc = st->workdir ? uc3_store__settle_worktree(st, &idx) : uc3_store__load_tip(st);
	if (st->notes.len) {
		uc3_buf_add(notes, st->notes.ptr, st->notes.len);
		uc3_buf_reset(&st->notes);
	}
	if (rc < 0 || fetched_tip(&central, st) < 0 ||
	    (git_graph_ahead_behind(&ahead, &behind, st->repo, &st->tip, &central) < 0 &&
	     uc3_store__git_fail(UC3_ERROR, "the branches") < 0)) {
		snprintf(fs->problem, sizeof(fs->problem), _("cannot compare %s with %s (%s)"),
			 branch, remote, uc3_error_last());
		goto out;
	}
	uc3_store__central_seen(st, remote, &central);
	if (behind && ahead) {
		snprintf(
			fs->problem, sizeof(fs->problem),
			ngettext(
				"%s has diverged from %s (%zu commit here that it lacks, %zu there)",
				"%s has diverged from %s (%zu commits here that it lacks, %zu there)",
				(unsigned long)ahead),
			branch, remote, ahead, behind);
		snprintf(fs->hint, sizeof(fs->hint),
			 _("uc3 sync sends what waits here on top of what %s has (uc3 sync --reset "
			   "sets aside what it refuses)"),
			 remote);
		goto out;
	}
	if (behind) {
		if (policy_reads_at(st, &central) < 0) {
			snprintf(fs->problem, sizeof(fs->problem),
				 _("not brought up to %s, whose uc3.yaml does not read (%s)"),
				 remote, uc3_error_last());
			goto out;
		}
		if (fast_forward(st, &central, why, sizeof(why)) < 0) {
			snprintf(fs->problem, sizeof(fs->problem),
				 _("cannot bring %s up to %s (%s)"), branch, remote, why);
			goto out;
		}
		if (uc3_store__load_tip(st) < 0 || uc3_store__refresh_policy(st) < 0) {
			snprintf(fs->problem, sizeof(fs->problem),
				 _("%s was brought up to %s, but cannot be read (%s)"), branch,
				 remote, uc3_error_last());
			goto out;
		}
	}
	fs->level = now;
	fs->stale = false;
	if (ahead) {
		snprintf(fs->problem, sizeof(fs->problem),
			 ngettext("%s has %zu commit that %s lacks",
				  "%s has %zu commits that %s lacks", (unsigned long)ahead),
			 branch, ahead, remote);
		snprintf(fs->hint, sizeof(fs->hint), "%s",
			 ahead == 1 ? _("send it with uc3 sync") : _("send them with uc3 sync"));
	}
out:
	git_oid_tostr(fs->tip, sizeof(fs->tip), &st->tip);
	/* Kept before the lock goes, for the reads queued behind it. */
	if (fetch_state_write(fs, st, remote) < 0)
		kept = errno;
	git_index_free(idx);
	if (lockfd >= 0)
		close(lockfd);
	uc3_buf_release(&err);
	uc3_error_clear();
	errno = kept;
	return kept ? -1 : 0;
}

/* The warning for fs: what went wrong, how old the records shown are, the way out. */
static void
say(struct uc3_buf *out, const struct fetch_state *fs, time_t now, const char *tz)
{
	if (out->len)
		uc3_buf_addch(out, '\n');
	uc3_buf_adds(out, fs->problem);
	if (fs->stale && fs->level > 0) {
		struct uc3_buf when = UC3_BUF_INIT, ago = UC3_BUF_INIT;

		if (uc3_clock_format_short(&when, (time_t)fs->level, tz) < 0)
			uc3_buf_addf(&when, "%lld", fs->level);
		uc3_clock_format_duration(&ago, now > fs->level ? (long)(now - fs->level) : 0);
		/* TRANSLATORS: after why the central was not reached: the time the records
		   shown were fetched, then how long ago ("3 hari kerja 2 jam"). */
		uc3_buf_addf(out, _("; showing the records as of %s, %s ago"), when.ptr, ago.ptr);
		uc3_buf_release(&when);
		uc3_buf_release(&ago);
	} else if (fs->stale) {
		uc3_buf_adds(out, _("; showing the records as this clone has them"));
	}
	if (fs->hint[0])
		uc3_buf_addf(out, "; %s", fs->hint);
}

char *
uc3_remote_freshen(struct uc3_store *st)
{
	const struct uc3_policy *p = st->policy;
	struct uc3_buf out = UC3_BUF_INIT;
	struct fetch_state fs;
	char tip[GIT_OID_HEXSZ + 1];
	char *remote;
	time_t now;
	int kept;

	if (st->unborn || !p || p->fetch_after == UC3_FETCH_NEVER ||
	    !(remote = uc3_store_config(st, "uc3.remote")))
		return NULL;
	if (uc3_clock_now(&now) < 0) {
		/* The command reads the clock itself and says what is wrong with it. */
		uc3_error_clear();
		free(remote);
		return NULL;
	}
	fetch_state_read(&fs, st, remote);
	git_oid_tostr(tip, sizeof(tip), &st->tip);
	/* Asked a moment ago: what came of it stands. */
	if (recent(&fs, now, tip, p->fetch_after)) {
		if (fs.problem[0])
			say(&out, &fs, now, p->timezone);
		goto out;
	}
	if (access(st->gitdir, W_OK) < 0) {
		/* A fetch here could keep nothing: the records are what they are. */
		snprintf(fs.problem, sizeof(fs.problem),
			 "cannot fetch from %s: %.*s is not writable here (%s)", remote,
			 (int)strlen(st->gitdir) - 1, st->gitdir, strerror(errno));
		fs.hint[0] = '\0';
		fs.stale = true;
		say(&out, &fs, now, p->timezone);
		goto out;
	}
	kept = fetch_now(&fs, st, remote, now, &out) < 0 ? errno : 0;
	if (fs.problem[0])
		say(&out, &fs, now, p->timezone);
	if (kept) {
		char *path = uc3_store_cache_path(st, FETCH_CACHE);

		/* TRANSLATORS: the first %s is a line break after an earlier warning, or nothing.
		 */
		uc3_buf_addf(&out, _("%scannot keep the time of this fetch in %s (%s)"),
			     out.len ? "\n" : "", path, strerror(kept));
		free(path);
	}
out:
	free(remote);
	if (!out.len) {
		uc3_buf_release(&out);
		return NULL;
	}
	return uc3_buf_detach(&out);
}

bool
uc3_store_offline(const struct uc3_store *st)
{
	return st->offline;
}
