#include "policy.h"

#include <string.h>

#include "error.h"
#include "ydoc.h"

/*
 * Writing the policy. The file is the office's own, with its comments and
 * layout: a change rewrites one top-level entry and keeps every other
 * byte. An entry is its "key:" line at column 0 and the lines after it
 * that belong to it: indented lines and "- " items, and comments or blank
 * lines only when more of the entry follows them.
 */

/* The start of the line after the one at p (or end). */
static const char *
next_line(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl ? nl + 1 : end;
}

static bool
continues_entry(const char *p, const char *end)
{
	return p < end && (*p == ' ' || *p == '\t' ||
			   (*p == '-' && (p + 1 == end || p[1] == ' ' || p[1] == '\n')));
}

static bool
blank_or_comment(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p == end || *p == '\n' || *p == '#';
}

int
uc3_policy_rewrite(struct uc3_buf *out, const char *text, size_t len, const char *key,
		   const struct uc3_ynode *value)
{
	const char *end = text + len, *p = text, *start = NULL, *stop, *q;
	size_t klen = strlen(key);
	struct uc3_ynode *doc;
	struct uc3_buf entry = UC3_BUF_INIT;
	int rc;

	for (; p < end; p = next_line(p, end))
		if ((size_t)(end - p) > klen && !memcmp(p, key, klen) && p[klen] == ':') {
			if (start)
				return uc3_error_set(UC3_EPOLICY,
						     "%s: '%s' is there twice; edit it by hand",
						     UC3_POLICY_FILE, key);
			start = p;
		}
	/* Past the entry: its own continuation lines, and comments inside it. */
	stop = start ? next_line(start, end) : end;
	for (q = stop; start && q < end;) {
		if (continues_entry(q, end))
			stop = q = next_line(q, end);
		else if (blank_or_comment(q, end))
			q = next_line(q, end);
		else
			break;
	}
	doc = uc3_ynode_map(UC3_YSTYLE_ANY);
	uc3_ynode_map_add(doc, key, uc3_ynode_dup(value));
	rc = uc3_ydoc_emit(&entry, doc);
	uc3_ynode_free(doc);
	if (rc < 0)
		goto out;
	if (start) {
		uc3_buf_add(out, text, (size_t)(start - text));
		uc3_buf_add(out, entry.ptr, entry.len);
		uc3_buf_add(out, stop, (size_t)(end - stop));
	} else {
		uc3_buf_add(out, text, len);
		if (len && text[len - 1] != '\n')
			uc3_buf_adds(out, "\n");
		uc3_buf_add(out, entry.ptr, entry.len);
	}
out:
	uc3_buf_release(&entry);
	return rc;
}

struct uc3_ynode *
uc3_policy_people_node(const struct uc3_person *people, size_t n)
{
	struct uc3_ynode *seq = uc3_ynode_seq(n ? UC3_YSTYLE_ANY : UC3_YSTYLE_FLOW);
	size_t i, j;

	for (i = 0; i < n; i++) {
		const struct uc3_person *who = &people[i];
		struct uc3_ynode *m = uc3_ynode_map(UC3_YSTYLE_ANY);
		struct uc3_ynode *roles = uc3_ynode_seq(UC3_YSTYLE_FLOW);
		struct uc3_ynode *keys = uc3_ynode_seq(UC3_YSTYLE_ANY);

		uc3_ynode_map_add(m, "email", uc3_ynode_scalar(who->email, UC3_YSTYLE_ANY));
		if (who->name)
			uc3_ynode_map_add(m, "name", uc3_ynode_scalar(who->name, UC3_YSTYLE_ANY));
		for (j = 0; j < who->nroles; j++)
			uc3_ynode_seq_add(roles, uc3_ynode_scalar(who->roles[j], UC3_YSTYLE_ANY));
		if (who->service) {
			uc3_ynode_free(roles);
			uc3_ynode_map_add(m, "service", uc3_ynode_scalar("true", UC3_YSTYLE_ANY));
		} else {
			uc3_ynode_map_add(m, "roles", roles);
		}
		for (j = 0; j < who->nkeys; j++)
			uc3_ynode_seq_add(keys, uc3_ynode_scalar(who->keys[j], UC3_YSTYLE_DQUOTED));
		uc3_ynode_map_add(m, "keys", keys);
		uc3_ynode_seq_add(seq, m);
	}
	return seq;
}
