#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "error.h"
#include "ydoc.h"

#define MAX (1024 * 1024)

static struct uc3_ynode *
parse_ok(const char *doc)
{
	struct uc3_ynode *n = NULL;
	int rc = uc3_ydoc_parse(&n, doc, strlen(doc), "t.yaml", MAX);

	if (rc)
		fail_msg("unexpected error: %s", uc3_error_last());
	assert_non_null(n);
	return n;
}

/* Parse data[0..len), expect a refusal whose message is exactly msg. */
static void
refuse_len(const char *data, size_t len, const char *msg)
{
	struct uc3_ynode *n = (struct uc3_ynode *)1;

	uc3_error_clear();
	assert_int_equal(uc3_ydoc_parse(&n, data, len, "t.yaml", MAX), UC3_EINVAL);
	assert_null(n);
	assert_string_equal(uc3_error_last(), msg);
}

static void
refuse(const char *doc, const char *msg)
{
	refuse_len(doc, strlen(doc), msg);
}

/* Emit n into a fresh string; free() it. */
static char *
emit_ok(const struct uc3_ynode *n)
{
	struct uc3_buf b;

	uc3_buf_init(&b);
	if (uc3_ydoc_emit(&b, n))
		fail_msg("unexpected error: %s", uc3_error_last());
	return uc3_buf_detach(&b);
}

static bool
node_equal(const struct uc3_ynode *a, const struct uc3_ynode *b)
{
	size_t i;

	if (a->type != b->type || a->n != b->n)
		return false;
	if (a->type == UC3_YSCALAR)
		return a->len == b->len && !memcmp(a->str, b->str, a->len);
	for (i = 0; i < a->n; i++) {
		if (a->type == UC3_YMAP && strcmp(a->keys[i], b->keys[i]))
			return false;
		if (!node_equal(a->items[i], b->items[i]))
			return false;
	}
	return true;
}

/* {v: s} in the given style: emit, parse back, compare, emit again. */
static void
round_trip(const char *s, enum uc3_ystyle style)
{
	struct uc3_ynode *m = uc3_ynode_map(UC3_YSTYLE_ANY), *back;
	struct uc3_ynode *seq = uc3_ynode_seq(UC3_YSTYLE_ANY);
	struct uc3_ynode *flow = uc3_ynode_map(UC3_YSTYLE_FLOW);
	char *out, *again;

	uc3_ynode_map_add(m, "v", uc3_ynode_scalar(s, style));
	uc3_ynode_seq_add(seq, uc3_ynode_scalar(s, style));
	uc3_ynode_map_add(m, "seq", seq);
	uc3_ynode_map_add(flow, "f", uc3_ynode_scalar(s, style));
	uc3_ynode_map_add(m, "flow", flow);
	out = emit_ok(m);
	if (uc3_ydoc_parse(&back, out, strlen(out), "rt.yaml", MAX))
		fail_msg("[%s] style %d does not read back: %s\n%s", s, style, uc3_error_last(),
			 out);
	if (!node_equal(m, back))
		fail_msg("[%s] style %d reads back differently:\n%s", s, style, out);
	again = emit_ok(back);
	assert_string_equal(out, again);
	free(again);
	free(out);
	uc3_ynode_free(back);
	uc3_ynode_free(m);
}

/*
 * Reading.
 */

static void
parse_reads_maps_sequences_and_scalars(void **state)
{
	struct uc3_ynode *n = parse_ok("a: 1\nb:\n  - x\n  - {c: d}\n");
	const struct uc3_ynode *b;

	assert_int_equal(n->type, UC3_YMAP);
	assert_int_equal(n->n, 2);
	assert_string_equal(n->keys[0], "a");
	assert_string_equal(n->keys[1], "b");
	assert_string_equal(uc3_ynode_get(n, "a")->str, "1");
	b = uc3_ynode_get(n, "b");
	assert_int_equal(b->type, UC3_YSEQ);
	assert_int_equal(b->n, 2);
	assert_string_equal(b->items[0]->str, "x");
	assert_string_equal(uc3_ynode_get(b->items[1], "c")->str, "d");
	assert_null(uc3_ynode_get(n, "zzz"));
	assert_null(uc3_ynode_get(b, "c"));
	uc3_ynode_free(n);
}

static void
parse_records_positions_of_nodes_and_keys(void **state)
{
	struct uc3_ynode *n = parse_ok("a: 1\nbb:\n  c: 'x'\n");
	const struct uc3_ynode *bb = uc3_ynode_get(n, "bb");

	assert_int_equal(n->key_line[0], 1);
	assert_int_equal(n->key_col[0], 1);
	assert_int_equal(n->items[0]->line, 1);
	assert_int_equal(n->items[0]->col, 4);
	assert_int_equal(n->key_line[1], 2);
	assert_int_equal(bb->key_line[0], 3);
	assert_int_equal(bb->key_col[0], 3);
	assert_int_equal(bb->items[0]->line, 3);
	assert_int_equal(bb->items[0]->col, 6);
	uc3_ynode_free(n);
}

static void
parse_records_scalar_styles_and_plainness(void **state)
{
	struct uc3_ynode *n = parse_ok("p: plain\ns: 'single'\nd: \"double\"\nl: |\n  lit\n"
				       "f: >\n  folded\n  text\n");

	assert_int_equal(uc3_ynode_get(n, "p")->style, UC3_YSTYLE_ANY);
	assert_true(uc3_ynode_get(n, "p")->plain);
	assert_int_equal(uc3_ynode_get(n, "s")->style, UC3_YSTYLE_SQUOTED);
	assert_false(uc3_ynode_get(n, "s")->plain);
	assert_int_equal(uc3_ynode_get(n, "d")->style, UC3_YSTYLE_DQUOTED);
	assert_int_equal(uc3_ynode_get(n, "l")->style, UC3_YSTYLE_LITERAL);
	assert_string_equal(uc3_ynode_get(n, "l")->str, "lit\n");
	assert_int_equal(uc3_ynode_get(n, "f")->style, UC3_YSTYLE_LITERAL);
	assert_string_equal(uc3_ynode_get(n, "f")->str, "folded text\n");
	uc3_ynode_free(n);
}

static void
parse_records_flow_collections(void **state)
{
	struct uc3_ynode *n = parse_ok("a: [1, 2]\nb: {c: d}\ne:\n  - 1\n");

	assert_int_equal(uc3_ynode_get(n, "a")->style, UC3_YSTYLE_FLOW);
	assert_int_equal(uc3_ynode_get(n, "b")->style, UC3_YSTYLE_FLOW);
	assert_int_equal(uc3_ynode_get(n, "e")->style, UC3_YSTYLE_ANY);
	assert_int_equal(n->style, UC3_YSTYLE_ANY);
	uc3_ynode_free(n);
}

static void
parse_keeps_every_scalar_as_text(void **state)
{
	struct uc3_ynode *n = parse_ok("a: 0x1F\nb: true\nc: ~\nd:\ne: 1e3\n");

	assert_string_equal(uc3_ynode_get(n, "a")->str, "0x1F");
	assert_string_equal(uc3_ynode_get(n, "b")->str, "true");
	assert_string_equal(uc3_ynode_get(n, "c")->str, "~");
	assert_string_equal(uc3_ynode_get(n, "d")->str, "");
	assert_true(uc3_ynode_is_null(uc3_ynode_get(n, "c")));
	assert_true(uc3_ynode_is_null(uc3_ynode_get(n, "d")));
	assert_false(uc3_ynode_is_null(uc3_ynode_get(n, "b")));
	uc3_ynode_free(n);
}

static void
parse_accepts_a_byte_order_mark(void **state)
{
	struct uc3_ynode *n = parse_ok("\xEF\xBB\xBF"
				       "a: b\n");

	assert_string_equal(uc3_ynode_get(n, "a")->str, "b");
	uc3_ynode_free(n);
}

static void
parse_rejects_input_over_the_limit_before_parsing(void **state)
{
	struct uc3_ynode *n;
	/* Not even YAML: the size is checked first. */
	const char doc[] = "{{{{{{{{{{{{{{{{{{{{";

	assert_int_equal(uc3_ydoc_parse(&n, doc, 20, "big.yaml", 19), UC3_EINVAL);
	assert_string_equal(uc3_error_last(), "big.yaml:1:1: 20 bytes, over the limit of 19");
	assert_int_equal(uc3_ydoc_parse(&n, doc, 19, "big.yaml", 19), UC3_EINVAL);
	assert_null(strstr(uc3_error_last(), "limit"));
}

static void
parse_rejects_invalid_utf8_at_its_line_and_column(void **state)
{
	/* Columns count characters: "é" and "ü" are one each. */
	refuse("a: 1\nb: \xC3\xA9\xC3\xBC\xFF\n", "t.yaml:2:6: invalid UTF-8");
	refuse("\xC0\xAF: x\n", "t.yaml:1:1: invalid UTF-8");
	refuse("a: \xED\xA0\x80\n", "t.yaml:1:4: invalid UTF-8");
	refuse("a: b\xE2\x82\n", "t.yaml:1:5: invalid UTF-8");
}

static void
parse_rejects_a_nul_byte(void **state)
{
	refuse_len("a: b\nc: d\0e\n", 12, "t.yaml:2:5: a NUL byte is not allowed");
}

static void
parse_rejects_a_nul_from_an_escape(void **state)
{
	refuse("a: \"x\\0y\"\n", "t.yaml:1:4: a NUL character is not allowed");
	refuse("a: \"\\x00\"\n", "t.yaml:1:4: a NUL character is not allowed");
}

static void
parse_rejects_control_characters_with_position(void **state)
{
	refuse("a: b\nc: \x1B[31m\n", "t.yaml:2:4: control characters are not allowed (#x1B)");
}

static void
parse_rejects_anchors(void **state)
{
	refuse("a: &x 1\n", "t.yaml:1:4: anchors are not allowed");
	refuse("a: &x [1]\n", "t.yaml:1:4: anchors are not allowed");
	refuse("a: &x\n  b: 1\n", "t.yaml:1:4: anchors are not allowed");
}

static void
parse_rejects_aliases(void **state)
{
	/* The anchor comes first, so it is what is refused... */
	refuse("a: &x 1\nb: *x\n", "t.yaml:1:4: anchors are not allowed");
	/* ...and an alias alone (to nothing) is refused all the same. */
	refuse("a: 1\nb: *x\n", "t.yaml:2:4: aliases are not allowed");
}

static void
parse_rejects_alias_bomb_at_its_first_anchor(void **state)
{
	/*
	 * The classic billion laughs: 10^9 strings once expanded. Refused
	 * at the first anchor, line 2, before any alias is even read.
	 */
	static const char bomb[] =
		"---\n"
		"a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
		"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
		"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
		"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
		"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
		"f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
		"g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
		"h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
		"i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";

	refuse(bomb, "t.yaml:2:4: anchors are not allowed");
}

static void
parse_rejects_tags(void **state)
{
	refuse("a: !!python/object:os.system echo\n", "t.yaml:1:4: tags are not allowed");
	refuse("a: !!python/object/apply:os.system [\"ls\"]\n", "t.yaml:1:4: tags are not allowed");
	refuse("a: !!str 1\n", "t.yaml:1:4: tags are not allowed");
	refuse("a: ! 1\n", "t.yaml:1:4: tags are not allowed");
	refuse("a: !!map {b: c}\n", "t.yaml:1:4: tags are not allowed");
	refuse("--- !!seq\n- a\n", "t.yaml:1:5: tags are not allowed");
}

static void
parse_rejects_duplicate_keys_at_the_second(void **state)
{
	refuse("a: 1\nb: 2\na: 3\n", "t.yaml:3:1: duplicate key 'a'");
	refuse("x:\n  a: 1\n  'a': 2\n", "t.yaml:3:3: duplicate key 'a'");
	refuse("x: {a: 1, a: 2}\n", "t.yaml:1:11: duplicate key 'a'");
}

static void
parse_rejects_duplicate_keys_in_a_large_map(void **state)
{
	struct uc3_buf b;
	int i;

	uc3_buf_init(&b);
	for (i = 0; i < 1000; i++)
		uc3_buf_addf(&b, "k%d: v\n", i);
	uc3_buf_adds(&b, "k7: again\nk5: again\n");
	refuse(b.ptr, "t.yaml:1001:1: duplicate key 'k7'");
	uc3_buf_release(&b);
}

static void
parse_rejects_keys_that_are_not_scalars(void **state)
{
	refuse("? [a, b]\n: c\n", "t.yaml:1:3: a mapping key must be a scalar");
	refuse("{? {a: b} : c}\n", "t.yaml:1:4: a mapping key must be a scalar");
}

static void
parse_rejects_more_than_one_document(void **state)
{
	refuse("a: 1\n---\nb: 2\n", "t.yaml:2:1: more than one document");
	refuse("a: 1\n...\n---\nb: 2\n", "t.yaml:3:1: more than one document");
}

static void
parse_rejects_an_empty_document(void **state)
{
	refuse("", "t.yaml:1:1: empty document");
	refuse_len(NULL, 0, "t.yaml:1:1: empty document");
	refuse("# only a comment\n", "t.yaml:2:1: empty document");
	refuse("---\n", "t.yaml:2:1: empty document");
	refuse("~\n", "t.yaml:1:1: empty document");
}

static void
parse_rejects_nesting_deeper_than_the_limit(void **state)
{
	char doc[2 * UC3_YDOC_MAX_DEPTH + 8];
	struct uc3_ynode *n;
	char msg[64];
	int i;

	for (i = 0; i < UC3_YDOC_MAX_DEPTH; i++)
		doc[i] = '[';
	for (i = 0; i < UC3_YDOC_MAX_DEPTH; i++)
		doc[UC3_YDOC_MAX_DEPTH + i] = ']';
	doc[2 * UC3_YDOC_MAX_DEPTH] = '\0';
	n = parse_ok(doc);
	uc3_ynode_free(n);

	memmove(doc + 1, doc, strlen(doc) + 1);
	doc[0] = '[';
	strcat(doc, "]");
	snprintf(msg, sizeof(msg), "t.yaml:1:%d: nested deeper than %d levels",
		 UC3_YDOC_MAX_DEPTH + 1, UC3_YDOC_MAX_DEPTH);
	refuse(doc, msg);
}

static void
parse_rejects_more_nodes_than_the_limit(void **state)
{
	struct uc3_buf b;
	struct uc3_ynode *n;
	char msg[64];
	int i;

	/* The sequence itself is a node: one less item fits exactly. */
	uc3_buf_init(&b);
	uc3_buf_addch(&b, '[');
	for (i = 0; i < UC3_YDOC_MAX_NODES - 1; i++)
		uc3_buf_adds(&b, i ? ",0" : "0");
	uc3_buf_addch(&b, ']');
	assert_int_equal(uc3_ydoc_parse(&n, b.ptr, b.len, "t.yaml", b.len), 0);
	assert_int_equal(n->n, UC3_YDOC_MAX_NODES - 1);
	uc3_ynode_free(n);

	uc3_buf_setlen(&b, b.len - 1);
	uc3_buf_adds(&b, ",0]");
	snprintf(msg, sizeof(msg), "t.yaml:1:%zu: more than %d nodes", b.len - 1,
		 UC3_YDOC_MAX_NODES);
	assert_int_equal(uc3_ydoc_parse(&n, b.ptr, b.len, "t.yaml", b.len), UC3_EINVAL);
	assert_string_equal(uc3_error_last(), msg);
	uc3_buf_release(&b);
}

static void
parse_reports_libyaml_errors_with_position(void **state)
{
	refuse("a: b: c\n", "t.yaml:1:5: mapping values are not allowed in this context");
	refuse("a: 1\nb: 'open\n",
	       "t.yaml:3:1: found unexpected end of stream while scanning a quoted scalar at 2:4");
	refuse("a:\n  - 1\n - 2\n",
	       "t.yaml:3:2: did not find expected key while parsing a block mapping at 1:1");
}

/*
 * Writing.
 */

static void
emit_writes_block_style_with_two_space_indent(void **state)
{
	struct uc3_ynode *m = uc3_ynode_map(UC3_YSTYLE_ANY);
	struct uc3_ynode *in = uc3_ynode_map(UC3_YSTYLE_ANY);
	struct uc3_ynode *seq = uc3_ynode_seq(UC3_YSTYLE_ANY);
	struct uc3_ynode *item = uc3_ynode_map(UC3_YSTYLE_ANY);
	char *out;

	uc3_ynode_map_add(m, "a", uc3_ynode_scalar("x", UC3_YSTYLE_ANY));
	uc3_ynode_map_add(in, "c", uc3_ynode_scalar("y", UC3_YSTYLE_ANY));
	uc3_ynode_map_add(m, "b", in);
	uc3_ynode_map_add(item, "d", uc3_ynode_scalar("1", UC3_YSTYLE_ANY));
	uc3_ynode_map_add(item, "e", uc3_ynode_scalar("2", UC3_YSTYLE_ANY));
	uc3_ynode_seq_add(seq, item);
	uc3_ynode_map_add(m, "s", seq);
	out = emit_ok(m);
	/* libyaml writes sequences in a mapping without indentation. */
	assert_string_equal(out, "a: x\nb:\n  c: y\ns:\n- d: 1\n  e: 2\n");
	free(out);
	uc3_ynode_free(m);
}

static void
emit_writes_the_scalar_style_asked_for(void **state)
{
	struct uc3_ynode *m = uc3_ynode_map(UC3_YSTYLE_ANY);
	char *out;

	uc3_ynode_map_add(m, "a", uc3_ynode_scalar("x", UC3_YSTYLE_ANY));
	uc3_ynode_map_add(m, "s", uc3_ynode_scalar("x", UC3_YSTYLE_SQUOTED));
	uc3_ynode_map_add(m, "d", uc3_ynode_scalar("x", UC3_YSTYLE_DQUOTED));
	uc3_ynode_map_add(m, "l", uc3_ynode_scalar("x\ny\n", UC3_YSTYLE_LITERAL));
	uc3_ynode_map_add(m, "k", uc3_ynode_scalar("x\ny", UC3_YSTYLE_LITERAL));
	out = emit_ok(m);
	assert_string_equal(out, "a: x\ns: 'x'\nd: \"x\"\nl: |\n  x\n  y\n"
				 "k: |-\n  x\n  y\n");
	free(out);
	uc3_ynode_free(m);
}

static void
emit_writes_flow_collections_when_asked(void **state)
{
	struct uc3_ynode *m = uc3_ynode_map(UC3_YSTYLE_ANY);
	struct uc3_ynode *f = uc3_ynode_map(UC3_YSTYLE_FLOW);
	struct uc3_ynode *s = uc3_ynode_seq(UC3_YSTYLE_FLOW);
	char *out;

	uc3_ynode_map_add(f, "a", uc3_ynode_scalar("1", UC3_YSTYLE_ANY));
	uc3_ynode_map_add(f, "b", uc3_ynode_scalar("2", UC3_YSTYLE_ANY));
	uc3_ynode_seq_add(s, uc3_ynode_scalar("x", UC3_YSTYLE_ANY));
	uc3_ynode_seq_add(s, uc3_ynode_scalar("y", UC3_YSTYLE_ANY));
	uc3_ynode_map_add(m, "f", f);
	uc3_ynode_map_add(m, "s", s);
	out = emit_ok(m);
	assert_string_equal(out, "f: {a: 1, b: 2}\ns: [x, y]\n");
	free(out);
	uc3_ynode_free(m);
}

static void
emit_writes_empty_collections_as_flow(void **state)
{
	struct uc3_ynode *m = uc3_ynode_map(UC3_YSTYLE_ANY), *back;
	char *out;

	uc3_ynode_map_add(m, "s", uc3_ynode_seq(UC3_YSTYLE_ANY));
	uc3_ynode_map_add(m, "m", uc3_ynode_map(UC3_YSTYLE_ANY));
	out = emit_ok(m);
	assert_string_equal(out, "s: []\nm: {}\n");
	back = parse_ok(out);
	assert_int_equal(uc3_ynode_get(back, "s")->type, UC3_YSEQ);
	assert_int_equal(uc3_ynode_get(back, "m")->type, UC3_YMAP);
	free(out);
	uc3_ynode_free(back);
	uc3_ynode_free(m);
}

static void
emit_never_wraps_long_lines(void **state)
{
	struct uc3_ynode *m = uc3_ynode_map(UC3_YSTYLE_ANY);
	struct uc3_buf b;
	char *out;
	int i;

	uc3_buf_init(&b);
	for (i = 0; i < 2000; i++)
		uc3_buf_adds(&b, "kata ");
	uc3_buf_adds(&b, "akhir");
	uc3_ynode_map_add(m, "p", uc3_ynode_scalar(b.ptr, UC3_YSTYLE_ANY));
	uc3_ynode_map_add(m, "q", uc3_ynode_scalar(b.ptr, UC3_YSTYLE_SQUOTED));
	uc3_ynode_map_add(m, "d", uc3_ynode_scalar(b.ptr, UC3_YSTYLE_DQUOTED));
	out = emit_ok(m);
	/* Three keys, three lines. */
	assert_int_equal(strlen(out), 3 * (3 + b.len + 1) + 4);
	assert_ptr_equal(strchr(out, '\n'), out + 3 + b.len);
	free(out);
	uc3_buf_release(&b);
	uc3_ynode_free(m);
}

static void
emit_keeps_unicode_as_is(void **state)
{
	static const char text[] = "Terima kasih atas bantuannya 🙏😊 — ñ, ü, 日本, \xEE\x80\x80, 𝄞";
	struct uc3_ynode *m = uc3_ynode_map(UC3_YSTYLE_ANY);
	char *out, expect[256];

	uc3_ynode_map_add(m, "a", uc3_ynode_scalar(text, UC3_YSTYLE_ANY));
	uc3_ynode_map_add(m, "🙏", uc3_ynode_scalar("ok", UC3_YSTYLE_ANY));
	out = emit_ok(m);
	snprintf(expect, sizeof(expect), "a: %s\n🙏: ok\n", text);
	assert_string_equal(out, expect);
	free(out);
	uc3_ynode_free(m);
	round_trip(text, UC3_YSTYLE_ANY);
	round_trip("\xEE\x80\x80\xEE\x80\x80😊\xEE\x90\x80\n", UC3_YSTYLE_LITERAL);
}

static void
emit_keeps_ascii_that_looks_like_a_hidden_character(void **state)
{
	struct uc3_ynode *m = uc3_ynode_map(UC3_YSTYLE_ANY);
	char *out;

	/*
	 * Characters above U+FFFF go through the emitter in disguise; the
	 * low bits of ".@@" or "n@@" read like the disguise's marker.
	 */
	uc3_ynode_map_add(m, "a", uc3_ynode_scalar("😊 .@@ n@@ >@@ 😊", UC3_YSTYLE_ANY));
	out = emit_ok(m);
	assert_string_equal(out, "a: 😊 .@@ n@@ >@@ 😊\n");
	free(out);
	uc3_ynode_free(m);
	round_trip("...@@😊", UC3_YSTYLE_SQUOTED);
}

static void
emit_writes_line_separators_escaped(void **state)
{
	struct uc3_ynode *m = uc3_ynode_map(UC3_YSTYLE_ANY);
	char *out;

	uc3_ynode_map_add(m, "a", uc3_ynode_scalar("x\xE2\x80\xA8y\n", UC3_YSTYLE_LITERAL));
	uc3_ynode_map_add(m, "b", uc3_ynode_scalar("x\xE2\x80\xA9y", UC3_YSTYLE_ANY));
	out = emit_ok(m);
	assert_string_equal(out, "a: \"x\\Ly\\n\"\nb: \"x\\Py\"\n");
	free(out);
	uc3_ynode_free(m);
}

static void
emit_quotes_keys_a_loader_would_not_read_as_text(void **state)
{
	struct uc3_ynode *m = uc3_ynode_map(UC3_YSTYLE_ANY);
	char *out;

	uc3_ynode_map_add(m, "yes", uc3_ynode_scalar("a", UC3_YSTYLE_ANY));
	uc3_ynode_map_add(m, "123", uc3_ynode_scalar("b", UC3_YSTYLE_ANY));
	uc3_ynode_map_add(m, "", uc3_ynode_scalar("c", UC3_YSTYLE_ANY));
	uc3_ynode_map_add(m, "key", uc3_ynode_scalar("d", UC3_YSTYLE_ANY));
	out = emit_ok(m);
	assert_string_equal(out, "'yes': a\n'123': b\n'': c\nkey: d\n");
	free(out);
	uc3_ynode_free(m);
}

static void
emit_appends_to_the_buffer(void **state)
{
	struct uc3_ynode *n = uc3_ynode_scalar("x", UC3_YSTYLE_SQUOTED);
	struct uc3_buf b;

	uc3_buf_init(&b);
	uc3_buf_adds(&b, "# head\n");
	assert_int_equal(uc3_ydoc_emit(&b, n), 0);
	assert_string_equal(b.ptr, "# head\n'x'\n");
	uc3_buf_release(&b);
	uc3_ynode_free(n);
}

static void
emit_is_deterministic_and_stable_through_a_read(void **state)
{
	static const char doc[] = "id: X-2026-0001\n"
				  "t: 'true'\n"
				  "num: 12\n"
				  "e:\n"
				  "q: \"tab\\there\"\n"
				  "l: |\n"
				  "  one\n"
				  "    two\n"
				  "f: {a: 1, b: [x, y]}\n"
				  "s:\n"
				  "- a: 1\n"
				  "  b:\n"
				  "  - 2\n"
				  "  - 3\n"
				  "- []\n"
				  "- {}\n";
	struct uc3_ynode *n = parse_ok(doc);
	char *a = emit_ok(n), *b = emit_ok(n);

	assert_string_equal(a, doc);
	assert_string_equal(a, b);
	free(a);
	free(b);
	uc3_ynode_free(n);
}

static void
emit_round_trips_tricky_text_in_every_style(void **state)
{
	static const char *const texts[] = {
		"",
		" ",
		"a",
		"true",
		"~",
		"null",
		"123",
		"2026-11-28",
		"- dash",
		"a: b",
		"a #b",
		"#c",
		"'q'",
		"\"dq\"",
		"  lead",
		"trail  ",
		"[x]",
		"{x}",
		"@at",
		"`t",
		"%p",
		"!b",
		"&a",
		"*s",
		"|p",
		">g",
		"?q",
		"---",
		"...",
		"a\tb",
		"\t",
		"x\\y",
		"line\n",
		"a\nb",
		"a\nb\n",
		"a\nb\n\n",
		"\n",
		"\n\n",
		"\na\n",
		"  a\nb\n",
		"a  \nb\n",
		"a\n\tb\n",
		"---\n...\n# x\n",
		"a\r\nb\n",
		"a\rb",
		"\xC2\x85",
		"x\xC2\x85y\n",
		("\xEF\xBB\xBF"
		 "bom"),
		"nbsp\xC2\xA0",
		"Ω\n  😊\n",
		"\xEE\x80\x80",
		"\xEE\x80\x80\xEE\x90\x80",
	};
	static const enum uc3_ystyle styles[] = { UC3_YSTYLE_ANY, UC3_YSTYLE_SQUOTED,
						  UC3_YSTYLE_DQUOTED, UC3_YSTYLE_LITERAL };
	size_t i, j;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		for (j = 0; j < sizeof(styles) / sizeof(styles[0]); j++)
			round_trip(texts[i], styles[j]);
}

/* A small deterministic generator: the same strings on every run. */
static uint32_t
next_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void
emit_round_trips_generated_text(void **state)
{
	static const char *const pieces[] = {
		"a",
		"Z",
		" ",
		"  ",
		"\n",
		"\n\n",
		"\t",
		":",
		": ",
		" #",
		"#",
		"'",
		"\"",
		"\\",
		"-",
		"---",
		"...",
		"|",
		">",
		"{",
		"}",
		"[",
		"]",
		",",
		"?",
		"&",
		"*",
		"!",
		"%",
		"@",
		"`",
		"~",
		"1",
		"0x",
		"é",
		"😊",
		"日",
		"\xC2\x85",
		"\xE2\x80\xA8",
		"\xEE\x80\x80",
		"\r",
		"\r\n",
		"true",
		"null",
		"2026-11-28",
		"\xEF\xBB\xBF",
	};
	uint32_t seed = 42;
	struct uc3_buf b;
	int i, k, n;

	uc3_buf_init(&b);
	for (i = 0; i < 3000; i++) {
		uc3_buf_reset(&b);
		n = (int)(next_rand(&seed) % 8);
		for (k = 0; k < n; k++)
			uc3_buf_adds(&b, pieces[next_rand(&seed) %
						(sizeof(pieces) / sizeof(pieces[0]))]);
		round_trip(b.ptr, (enum uc3_ystyle)(next_rand(&seed) % 4));
	}
	uc3_buf_release(&b);
}

static void
emit_refuses_what_it_could_not_read_back(void **state)
{
	struct uc3_ynode *m = uc3_ynode_map(UC3_YSTYLE_ANY), *deep, *n;
	struct uc3_buf b;
	int i;

	uc3_buf_init(&b);
	uc3_ynode_map_add(m, "a", uc3_ynode_scalar("1", UC3_YSTYLE_ANY));
	uc3_ynode_map_add(m, "a", uc3_ynode_scalar("2", UC3_YSTYLE_ANY));
	assert_int_equal(uc3_ydoc_emit(&b, m), UC3_EINVAL);
	assert_string_equal(uc3_error_last(), "cannot write YAML: duplicate key 'a'");
	assert_int_equal(b.len, 0);
	uc3_ynode_free(m);

	m = uc3_ynode_map(UC3_YSTYLE_ANY);
	uc3_ynode_map_add(m, "a", uc3_ynode_scalar("bad \xFF", UC3_YSTYLE_ANY));
	assert_int_equal(uc3_ydoc_emit(&b, m), UC3_EINVAL);
	assert_string_equal(uc3_error_last(), "cannot write YAML: invalid UTF-8 in a scalar");
	uc3_ynode_free(m);

	deep = uc3_ynode_seq(UC3_YSTYLE_ANY);
	for (i = 1; i < UC3_YDOC_MAX_DEPTH; i++) {
		n = uc3_ynode_seq(UC3_YSTYLE_ANY);
		uc3_ynode_seq_add(n, deep);
		deep = n;
	}
	assert_int_equal(uc3_ydoc_emit(&b, deep), 0);
	n = uc3_ynode_seq(UC3_YSTYLE_ANY);
	uc3_ynode_seq_add(n, deep);
	uc3_buf_reset(&b);
	assert_int_equal(uc3_ydoc_emit(&b, n), UC3_EINVAL);
	assert_int_equal(b.len, 0);
	uc3_ynode_free(n);
	uc3_buf_release(&b);
}

/*
 * Builders and helpers.
 */

static void
dup_copies_deeply_and_keeps_positions(void **state)
{
	struct uc3_ynode *n = parse_ok("a:\n  b: [1, 2]\nc: x\n"), *d;

	d = uc3_ynode_dup(n);
	assert_true(node_equal(n, d));
	assert_ptr_not_equal(d->items[0], n->items[0]);
	assert_int_equal(d->key_line[1], 3);
	assert_int_equal(uc3_ynode_get(d, "c")->col, 4);
	assert_true(uc3_ynode_get(d, "c")->plain);
	uc3_ynode_free(n);
	assert_string_equal(uc3_ynode_get(uc3_ynode_get(d, "a"), "b")->items[1]->str, "2");
	uc3_ynode_free(d);
	assert_null(uc3_ynode_dup(NULL));
	uc3_ynode_free(NULL);
}

static void
map_add_grows_a_parsed_map(void **state)
{
	struct uc3_ynode *n = parse_ok("a: 1\n");
	int i;

	for (i = 0; i < 40; i++)
		uc3_ynode_map_add(n, i ? "k" : "z", uc3_ynode_scalar("v", 0));
	assert_int_equal(n->n, 41);
	assert_int_equal(n->key_line[0], 1);
	assert_int_equal(n->key_line[40], 0);
	assert_string_equal(n->keys[1], "z");
	uc3_ynode_free(n);
}

static void
built_scalars_are_text_not_null(void **state)
{
	struct uc3_ynode *n = uc3_ynode_scalar(NULL, UC3_YSTYLE_ANY);

	assert_string_equal(n->str, "");
	assert_int_equal(n->len, 0);
	assert_false(uc3_ynode_is_null(n));
	uc3_ynode_free(n);
}

static void
ambiguous_catches_null_and_booleans_in_every_case(void **state)
{
	static const char *const yes[] = {
		"",	 "~",	"null", "Null", "NULL", "true", "True", "TRUE", "false", "False",
		"FALSE", "yes", "Yes",	"YES",	"no",	"No",	"NO",	"on",	"On",	 "ON",
		"off",	 "Off", "OFF",	"y",	"Y",	"n",	"N",	"=",	"<<",
	};
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!uc3_ydoc_ambiguous(yes[i]))
			fail_msg("'%s' should be ambiguous", yes[i]);
}

static void
ambiguous_catches_numbers(void **state)
{
	static const char *const yes[] = {
		"0",	"123",		"-7",	"+7",	    "0042",  "1_000", "3.14", ".5",
		"1.",	"1e3",		"1E-3", "6.02e+23", "0x1F",  "0XfF",  "0o17", "0b101",
		"1:20", "190:20:30.15", ".inf", "-.Inf",    "+.INF", ".nan",  ".NaN", "1.2.3",
	};
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!uc3_ydoc_ambiguous(yes[i]))
			fail_msg("'%s' should be ambiguous", yes[i]);
}

static void
ambiguous_catches_dates_and_timestamps(void **state)
{
	static const char *const yes[] = {
		"2026-11-28",
		"2026-1-2",
		"2026-11-28T09:00:00+07:00",
		"2026-11-28t09:00:00Z",
		"2026-11-28 09:00:00",
		"2026-11-28 09:00:00.5 +7",
	};
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!uc3_ydoc_ambiguous(yes[i]))
			fail_msg("'%s' should be ambiguous", yes[i]);
}

static void
ambiguous_lets_plain_text_be(void **state)
{
	static const char *const no[] = {
		"keluhan",
		"Siti Aminah",
		"staf",
		"UC3-2026-0042",
		"nullable",
		"yesterday",
		"true story",
		"0xZZ",
		"1a",
		"e3",
		"1e",
		"-",
		".",
		"_1",
		"12 Mei",
		"2026-11-28 rapat",
		"07:30-16:00",
		"siti@example.com",
		"+62 812 3456 7890",
		"v1.2",
		"1.2.3a",
		"Ya",
		"tidak",
	};
	size_t i;

	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (uc3_ydoc_ambiguous(no[i]))
			fail_msg("'%s' should not be ambiguous", no[i]);
}

static void
is_null_holds_only_for_plain_scalars(void **state)
{
	struct uc3_ynode *n = parse_ok("a: ~\nb: 'null'\nc: null\nd: [x]\n"
				       "e: nULL\n");

	assert_true(uc3_ynode_is_null(uc3_ynode_get(n, "a")));
	assert_false(uc3_ynode_is_null(uc3_ynode_get(n, "b")));
	assert_true(uc3_ynode_is_null(uc3_ynode_get(n, "c")));
	assert_false(uc3_ynode_is_null(uc3_ynode_get(n, "d")));
	assert_false(uc3_ynode_is_null(uc3_ynode_get(n, "e")));
	assert_false(uc3_ynode_is_null(NULL));
	uc3_ynode_free(n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_reads_maps_sequences_and_scalars),
		cmocka_unit_test(parse_records_positions_of_nodes_and_keys),
		cmocka_unit_test(parse_records_scalar_styles_and_plainness),
		cmocka_unit_test(parse_records_flow_collections),
		cmocka_unit_test(parse_keeps_every_scalar_as_text),
		cmocka_unit_test(parse_accepts_a_byte_order_mark),
		cmocka_unit_test(parse_rejects_input_over_the_limit_before_parsing),
		cmocka_unit_test(parse_rejects_invalid_utf8_at_its_line_and_column),
		cmocka_unit_test(parse_rejects_a_nul_byte),
		cmocka_unit_test(parse_rejects_a_nul_from_an_escape),
		cmocka_unit_test(parse_rejects_control_characters_with_position),
		cmocka_unit_test(parse_rejects_anchors),
		cmocka_unit_test(parse_rejects_aliases),
		cmocka_unit_test(parse_rejects_alias_bomb_at_its_first_anchor),
		cmocka_unit_test(parse_rejects_tags),
		cmocka_unit_test(parse_rejects_duplicate_keys_at_the_second),
		cmocka_unit_test(parse_rejects_duplicate_keys_in_a_large_map),
		cmocka_unit_test(parse_rejects_keys_that_are_not_scalars),
		cmocka_unit_test(parse_rejects_more_than_one_document),
		cmocka_unit_test(parse_rejects_an_empty_document),
		cmocka_unit_test(parse_rejects_nesting_deeper_than_the_limit),
		cmocka_unit_test(parse_rejects_more_nodes_than_the_limit),
		cmocka_unit_test(parse_reports_libyaml_errors_with_position),
		cmocka_unit_test(emit_writes_block_style_with_two_space_indent),
		cmocka_unit_test(emit_writes_the_scalar_style_asked_for),
		cmocka_unit_test(emit_writes_flow_collections_when_asked),
		cmocka_unit_test(emit_writes_empty_collections_as_flow),
		cmocka_unit_test(emit_never_wraps_long_lines),
		cmocka_unit_test(emit_keeps_unicode_as_is),
		cmocka_unit_test(emit_keeps_ascii_that_looks_like_a_hidden_character),
		cmocka_unit_test(emit_writes_line_separators_escaped),
		cmocka_unit_test(emit_quotes_keys_a_loader_would_not_read_as_text),
		cmocka_unit_test(emit_appends_to_the_buffer),
		cmocka_unit_test(emit_is_deterministic_and_stable_through_a_read),
		cmocka_unit_test(emit_round_trips_tricky_text_in_every_style),
		cmocka_unit_test(emit_round_trips_generated_text),
		cmocka_unit_test(emit_refuses_what_it_could_not_read_back),
		cmocka_unit_test(dup_copies_deeply_and_keeps_positions),
		cmocka_unit_test(map_add_grows_a_parsed_map),
		cmocka_unit_test(built_scalars_are_text_not_null),
		cmocka_unit_test(ambiguous_catches_null_and_booleans_in_every_case),
		cmocka_unit_test(ambiguous_catches_numbers),
		cmocka_unit_test(ambiguous_catches_dates_and_timestamps),
		cmocka_unit_test(ambiguous_lets_plain_text_be),
		cmocka_unit_test(is_null_holds_only_for_plain_scalars),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
