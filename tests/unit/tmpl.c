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
#include "mail.h"
#include "tmpl.h"
#include "ydoc.h"

/*
 * The template engine of mail and reports (lib/tmpl.h): a small subset of
 * mustache, with values made safe for a header line or a body.
 */

/* The data of most tests, as the YAML a reader would write it. */
static const char data_yaml[] =
	"name: World\n"
	"office: Pusat Layanan Café\n"
	"count: '2'\n"
	"empty: ''\n"
	"no: 'false'\n"
	"zero: '0'\n"
	"yes: 'true'\n"
	"one: '1'\n"
	"person:\n"
	"  name: Staf Satu\n"
	"  email: humas1@unej.ac.id\n"
	"  unit:\n"
	"    name: Bagian Keuangan\n"
	"tickets:\n"
	"- id: UC3-2026-0001\n"
	"  step: staf\n"
	"- id: UC3-2026-0002\n"
	"  step: wakor\n"
	"  name: Inner\n"
	"words: [satu, dua, tiga]\n"
	"none: []\n"
	"nomap: {}\n"
	"answer: \"Baris satu\\r\\nBaris dua\\rBaris tiga\\n\\n\\u0007\\tend\\n\\n\"\n";

static struct uc3_ynode *
data(void)
{
	struct uc3_ynode *n = NULL;

	if (uc3_ydoc_parse(&n, data_yaml, strlen(data_yaml), "data", 1 << 20) < 0)
		fail_msg("test bug: %s", uc3_error_last());
	return n;
}

/* Render t over the test data in mode m; free() the result. */
static char *
render_mode(const char *t, enum uc3_tmpl_mode m)
{
	struct uc3_ynode *ctx = data();
	struct uc3_buf out = UC3_BUF_INIT;

	if (uc3_tmpl_render(&out, t, strlen(t), ctx, m, "t.txt") < 0)
		fail_msg("render of \"%s\": %s", t, uc3_error_last());
	uc3_ynode_free(ctx);
	return uc3_buf_detach(&out);
}

/* A template is len bytes: nothing after them is read, not even a NUL. */
static void
reads_only_the_given_length(void **state)
{
	static const char text[] = "Hi {{name}}! {{#tickets}}x{{/tickets}} tail";
	struct uc3_ynode *ctx = data();
	struct uc3_buf out = UC3_BUF_INIT;
	size_t len = sizeof(text) - 1;
	char *exact = malloc(len);

	(void)state;
	memcpy(exact, text, len);
	assert_int_equal(uc3_tmpl_render(&out, exact, len, ctx, UC3_TMPL_BODY, "t.txt"), 0);
	assert_non_null(strstr(out.ptr, " tail"));
	/* Cut inside a tag: an error, not a read past the end. */
	assert_int_equal(uc3_tmpl_render(&out, exact, 5, ctx, UC3_TMPL_BODY, "t.txt"), UC3_EINVAL);
	free(exact);
	uc3_buf_release(&out);
	uc3_ynode_free(ctx);
}

static void
assert_renders(const char *t, const char *want)
{
	char *got = render_mode(t, UC3_TMPL_BODY);

	assert_string_equal(got, want);
	free(got);
}

/*
 * {{&name}}: text of several lines keeps its lines in a body (CRLF and a
 * lone CR become LF, the breaks that end it are the template's, controls
 * but a tab dropped); in a header it is one line, as {{name}}.
 */
static void
lines_tag_keeps_lines_in_a_body_only(void **state)
{
	char *got;

	(void)state;
	assert_renders("A:\n{{&answer}}\n--\n",
		       "A:\nBaris satu\nBaris dua\nBaris tiga\n\n\tend\n--\n");
	assert_renders("{{& answer }}|", "Baris satu\nBaris dua\nBaris tiga\n\n\tend|");
	/* {{answer}} stays one line. */
	assert_renders("{{answer}}|", "Baris satu  Baris dua Baris tiga  \tend  |");
	got = render_mode("Subject: {{&answer}}", UC3_TMPL_HEADER);
	assert_null(strchr(got, '\n'));
	assert_null(strchr(got, '\t'));
	free(got);
	/* A name that is not there is empty, as for {{name}}. */
	assert_renders("[{{&missing}}]", "[]");
}

/* Render t and expect UC3_EINVAL with a message that holds want. */
static void
assert_refused(const char *t, const char *want)
{
	struct uc3_ynode *ctx = data();
	struct uc3_buf out = UC3_BUF_INIT;
	int rc;

	uc3_buf_adds(&out, "before");
	rc = uc3_tmpl_render(&out, t, strlen(t), ctx, UC3_TMPL_BODY, "t.txt");
	assert_int_equal(rc, UC3_EINVAL);
	if (!strstr(uc3_error_last(), want))
		fail_msg("message \"%s\" does not hold \"%s\"", uc3_error_last(), want);
	/* nothing of a failed rendering is left behind */
	assert_string_equal(out.ptr, "before");
	uc3_buf_release(&out);
	uc3_ynode_free(ctx);
}

/* A map {key: s} whose value holds bytes YAML cannot carry plainly. */
static struct uc3_ynode *
one_value(const char *key, const char *s)
{
	struct uc3_ynode *m = uc3_ynode_map(UC3_YSTYLE_ANY);

	uc3_ynode_map_add(m, key, uc3_ynode_scalar(s, UC3_YSTYLE_ANY));
	return m;
}

static char *
render_value(const char *t, const char *value, enum uc3_tmpl_mode mode)
{
	struct uc3_ynode *ctx = one_value("v", value);
	struct uc3_buf out = UC3_BUF_INIT;

	if (uc3_tmpl_render(&out, t, strlen(t), ctx, mode, "t.txt") < 0)
		fail_msg("render: %s", uc3_error_last());
	uc3_ynode_free(ctx);
	return uc3_buf_detach(&out);
}

static void
variables_are_replaced(void **state)
{
	assert_renders("Hello, {{name}}!", "Hello, World!");
	assert_renders("{{ name }} and {{name}}", "World and World");
	assert_renders("{{office}}", "Pusat Layanan Café");
	assert_renders("{{count}} tiket", "2 tiket");
	assert_renders("no tags at all\n", "no tags at all\n");
	assert_renders("", "");
	/* a map or a sequence is not text: nothing */
	assert_renders("[{{person}}][{{words}}]", "[][]");
}

static void
dotted_paths_reach_into_maps(void **state)
{
	assert_renders("{{person.name}} <{{person.email}}>", "Staf Satu <humas1@unej.ac.id>");
	assert_renders("{{person.unit.name}}", "Bagian Keuangan");
	assert_renders("[{{person.phone}}][{{person.unit.code}}][{{name.x}}]", "[][][]");
	assert_renders("[{{nobody.name}}]", "[]");
}

static void
missing_names_are_empty(void **state)
{
	assert_renders("[{{missing}}]", "[]");
	assert_renders("a{{missing}}b{{ also.missing }}c", "abc");
	assert_renders("[{{empty}}]", "[]");
}

static void
sections_repeat_over_sequences(void **state)
{
	assert_renders("{{#tickets}}- {{id}} at {{step}}\n{{/tickets}}",
		       "- UC3-2026-0001 at staf\n- UC3-2026-0002 at wakor\n");
	/* "." is the current item */
	assert_renders("{{#words}}<{{.}}>{{/words}}", "<satu><dua><tiga>");
	/* names not in the item are found in the scopes around it */
	assert_renders("{{#tickets}}{{id}}:{{count}};{{/tickets}}",
		       "UC3-2026-0001:2;UC3-2026-0002:2;");
	/* the innermost scope wins */
	assert_renders("{{#tickets}}{{name}};{{/tickets}}", "World;Inner;");
	/* an empty sequence: nothing */
	assert_renders("[{{#none}}x{{/none}}]", "[]");
}

static void
sections_over_maps_and_true_scalars(void **state)
{
	assert_renders("{{#person}}{{name}} / {{email}}{{/person}}",
		       "Staf Satu / humas1@unej.ac.id");
	assert_renders("{{#person.unit}}{{name}}{{/person.unit}}", "Bagian Keuangan");
	assert_renders("[{{#nomap}}x{{/nomap}}]", "[]");
	/* true scalars: anything but "", "false" and "0" */
	assert_renders("[{{#yes}}y{{/yes}}][{{#one}}1{{/one}}][{{#name}}{{.}}{{/name}}]",
		       "[y][1][World]");
	assert_renders("[{{#no}}x{{/no}}][{{#zero}}x{{/zero}}][{{#empty}}x{{/empty}}]", "[][][]");
	assert_renders("[{{#missing}}x{{/missing}}]", "[]");
}

static void
inverted_sections_render_when_false_empty_or_missing(void **state)
{
	assert_renders("[{{^missing}}m{{/missing}}][{{^empty}}e{{/empty}}][{{^no}}f{{/no}}]"
		       "[{{^zero}}z{{/zero}}][{{^none}}n{{/none}}]",
		       "[m][e][f][z][n]");
	assert_renders("[{{^name}}x{{/name}}][{{^tickets}}x{{/tickets}}][{{^person}}x{{/person}}]",
		       "[][][]");
	/* the default notice's form: a name, else the address */
	assert_renders("{{#person.name}}{{person.name}}{{/person.name}}"
		       "{{^person.name}}{{person.email}}{{/person.name}}",
		       "Staf Satu");
	assert_renders("{{#person.nick}}{{person.nick}}{{/person.nick}}"
		       "{{^person.nick}}{{person.email}}{{/person.nick}}",
		       "humas1@unej.ac.id");
}

static void
nested_sections_and_the_same_name_inside(void **state)
{
	assert_renders("{{#tickets}}{{id}}{{#words}},{{.}}{{/words}};{{/tickets}}",
		       "UC3-2026-0001,satu,dua,tiga;UC3-2026-0002,satu,dua,tiga;");
	assert_renders("{{#yes}}a{{#yes}}b{{/yes}}c{{/yes}}", "abc");
}

static void
comments_render_nothing(void **state)
{
	assert_renders("a{{! a comment }}b", "ab");
	assert_renders("a{{!no space}}b{{!\nover\nlines\n}}c", "abc");
	/* as in mustache, the first "}}" ends it */
	assert_renders("a{{! {{name}} }}b", "a }}b");
	assert_renders("{{! only a comment }}", "");
}

static void
a_section_tag_alone_on_its_line_leaves_no_empty_line(void **state)
{
	assert_renders("Tiket:\n{{#tickets}}\n- {{id}}\n{{/tickets}}\nSelesai.\n",
		       "Tiket:\n- UC3-2026-0001\n- UC3-2026-0002\nSelesai.\n");
	assert_renders("A\n{{^none}}\nnone\n{{/none}}\nB\n", "A\nnone\nB\n");
	assert_renders("A\n{{#none}}\nx\n{{/none}}\nB\n", "A\nB\n");
}

static void
an_unclosed_section_is_an_error_with_its_line(void **state)
{
	assert_refused("Subject: x\n\n{{#tickets}}\n- {{id}}\n",
		       "t.txt:3: unclosed section 'tickets'");
	assert_refused("{{^none}}x", "t.txt:1: unclosed section 'none'");
	/* closed by another name */
	assert_refused("a\nb\n{{#tickets}}x{{/ticket}}", "t.txt:3: unclosed section 'tickets'");
	/* nested: the outer one is unclosed */
	assert_refused("{{#tickets}}\n{{#words}}{{/words}}\n",
		       "t.txt:1: unclosed section 'tickets'");
}

static void
other_malformed_templates_are_errors(void **state)
{
	assert_refused("a\n{{name", "t.txt:2: '{{' without '}}'");
	assert_refused("a\nb\n{{/tickets}}", "t.txt:3: '{{/tickets}}' closes nothing");
	{
		static const char t[] = "a\0b";
		struct uc3_ynode *ctx = data();
		struct uc3_buf out = UC3_BUF_INIT;

		assert_int_equal(uc3_tmpl_render(&out, t, 3, ctx, UC3_TMPL_BODY, "t.txt"),
				 UC3_EINVAL);
		assert_non_null(strstr(uc3_error_last(), "NUL"));
		assert_int_equal(out.len, 0);
		uc3_ynode_free(ctx);
	}
}

static void
render_appends_and_reads_only_len_bytes(void **state)
{
	struct uc3_ynode *ctx = data();
	struct uc3_buf out = UC3_BUF_INIT;
	const char *t = "{{name}}!{{office}}";

	uc3_buf_adds(&out, "Hi ");
	assert_int_equal(uc3_tmpl_render(&out, t, 9, ctx, UC3_TMPL_BODY, NULL), 0);
	assert_string_equal(out.ptr, "Hi World!");
	uc3_buf_release(&out);
	uc3_ynode_free(ctx);
}

static void
header_mode_turns_line_breaks_into_spaces(void **state)
{
	char *s;

	s = render_value("Subject: {{v}}", "Tes\r\nBcc: x@y.example", UC3_TMPL_HEADER);
	assert_string_equal(s, "Subject: Tes  Bcc: x@y.example");
	free(s);
	s = render_value("{{v}}", "a\nb\rc\td", UC3_TMPL_HEADER);
	assert_string_equal(s, "a b c d");
	free(s);
	/* other control characters are dropped; UTF-8 stays */
	s = render_value("{{v}}",
			 "a\x1b[31mb\x07\x7f\x01"
			 "c é —",
			 UC3_TMPL_HEADER);
	assert_string_equal(s, "a[31mbc é —");
	free(s);
	/* C1 controls too (U+009B CSI, U+0085 NEL) */
	s = render_value("{{v}}",
			 "a\xc2\x9b"
			 "31mb\xc2\x85"
			 "c\xc2\xa0"
			 "d",
			 UC3_TMPL_HEADER);
	assert_string_equal(s, "a31mbc\xc2\xa0"
			       "d");
	free(s);
	/* inside a section too */
	{
		struct uc3_ynode *ctx = uc3_ynode_map(UC3_YSTYLE_ANY);
		struct uc3_ynode *seq = uc3_ynode_seq(UC3_YSTYLE_ANY);
		struct uc3_buf out = UC3_BUF_INIT;
		const char *t = "{{#t}}[{{.}}]{{/t}}";

		uc3_ynode_seq_add(seq, uc3_ynode_scalar("x\nTo: evil@example.com", UC3_YSTYLE_ANY));
		uc3_ynode_seq_add(seq, uc3_ynode_scalar("y\r", UC3_YSTYLE_ANY));
		uc3_ynode_map_add(ctx, "t", seq);
		assert_int_equal(uc3_tmpl_render(&out, t, strlen(t), ctx, UC3_TMPL_HEADER, "s"), 0);
		assert_string_equal(out.ptr, "[x To: evil@example.com][y ]");
		uc3_buf_release(&out);
		uc3_ynode_free(ctx);
	}
}

static void
header_mode_keeps_the_templates_own_text(void **state)
{
	char *s = render_value("a\n{{v}}\tb", "x", UC3_TMPL_HEADER);

	assert_string_equal(s, "a\nx\tb");
	free(s);
}

/*
 * The whole path of a notice: a subject rendered in header mode from a
 * ticket subject that tries to add a Bcc header, composed into a message:
 * the message has one Subject line and no Bcc header.
 */
static void
no_header_injection_through_a_rendered_subject(void **state)
{
	char *subject =
		render_value("[UC3] {{v}}", "Tes\nBcc: x@y.example\r\nX-Evil: 1", UC3_TMPL_HEADER);
	const char *to[] = { "humas1@unej.ac.id" };
	struct uc3_mail m = { 0 };
	struct uc3_buf msg = UC3_BUF_INIT;
	char *head_end;

	m.from = "UC3 <uc3@unej.ac.id>";
	m.to = to;
	m.nto = 1;
	m.subject = subject;
	m.body = "body\n";
	m.date = 1795831200;
	m.tz = "Asia/Jakarta";
	assert_int_equal(uc3_mail_compose(&msg, &m), 0);
	head_end = strstr(msg.ptr, "\n\n");
	assert_non_null(head_end);
	*head_end = '\0';
	assert_non_null(strstr(msg.ptr, "\nSubject: [UC3] Tes Bcc: x@y.example  X-Evil: 1\n"));
	assert_null(strstr(msg.ptr, "\nBcc:"));
	assert_null(strstr(msg.ptr, "\nX-Evil:"));
	uc3_buf_release(&msg);
	free(subject);
}

static void
body_mode_puts_a_value_on_one_line_keeps_tabs_drops_other_controls(void **state)
{
	char *s;

	/* a value cannot start a line of its own: not a lone "." either */
	s = render_value("- {{v}}\n", "satu\n.\ndua\n\ttiga", UC3_TMPL_BODY);
	assert_string_equal(s, "- satu . dua \ttiga\n");
	free(s);
	/* each CR and LF is a space; other controls, C1 among them, are dropped */
	s = render_value("{{v}}",
			 "a\r\nb\rc\x1b[31md\x07\x7f\x01"
			 "e\xc2\x9b"
			 "f\xc2\x85g",
			 UC3_TMPL_BODY);
	assert_string_equal(s, "a  b c[31mdefg");
	free(s);
	/* the template's own line breaks stay */
	s = render_value("a\n{{v}}\nb", "x\ny", UC3_TMPL_BODY);
	assert_string_equal(s, "a\nx y\nb");
	free(s);
	s = render_value("<{{v}}>", "Café — 日本 🙂", UC3_TMPL_BODY);
	assert_string_equal(s, "<Café — 日本 🙂>");
	free(s);
}

/*
 * A page: every value is text, never markup, in an element or a quoted
 * attribute alike; line breaks stay (the page shows them), other
 * controls go.
 */
static void
html_mode_escapes_markup_and_keeps_line_breaks(void **state)
{
	char *s;

	s = render_value("<td>{{v}}</td>", "<script>alert('x')</script> & \"q\"", UC3_TMPL_HTML);
	assert_string_equal(s, "<td>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
			       "&quot;q&quot;</td>");
	free(s);
	s = render_value("<a title=\"{{v}}\">", "\" onmouseover=\"x", UC3_TMPL_HTML);
	assert_string_equal(s, "<a title=\"&quot; onmouseover=&quot;x\">");
	free(s);
	/* an entity in a value is shown as typed, not read */
	s = render_value("{{v}}", "&lt;b&gt; &#60;", UC3_TMPL_HTML);
	assert_string_equal(s, "&amp;lt;b&amp;gt; &amp;#60;");
	free(s);
	/* LF, CR LF and a CR alone are one LF each; tabs stay; other controls go */
	s = render_value("{{v}}",
			 "a\nb\r\nc\rd\te\x1b[2Jf\x07\x7f\xc2\x9b"
			 "g",
			 UC3_TMPL_HTML);
	assert_string_equal(s, "a\nb\nc\nd\te[2Jfg");
	free(s);
	s = render_value("<p>{{v}}</p>", "Café — 日本 🙂", UC3_TMPL_HTML);
	assert_string_equal(s, "<p>Café — 日本 🙂</p>");
	free(s);
	/* the template's own markup is copied as it is */
	s = render_value("<b class=\"x\">&amp;{{v}}</b>", "y", UC3_TMPL_HTML);
	assert_string_equal(s, "<b class=\"x\">&amp;y</b>");
	free(s);
}

static void
values_are_not_templates(void **state)
{
	char *s = render_value("{{v}}", "{{name}} {{#x}}y{{/x}}", UC3_TMPL_BODY);

	assert_string_equal(s, "{{name}} {{#x}}y{{/x}}");
	free(s);
}

static void
the_installed_overdue_template_renders(void **state)
{
	static const char ctx_yaml[] =
		"person: {email: wakor@unej.ac.id, name: Wakil Koordinator}\n"
		"office: University Customer Care Center (UC3), Universitas Jember\n"
		"prefix: UC3\n"
		"sop: SOP PKIH HUM-08 (rev. 2022-01-11)\n"
		"count: '2'\n"
		"tickets:\n"
		"- {id: UC3-2026-0001, subject: Tes satu, step: staf, role: staf,"
		" role_name: Staf Humas, due: '2026-11-27 09:05', late: 1h 25m}\n"
		"- {id: UC3-2026-0002, subject: Tes dua, step: wakor, role: wakor,"
		" role_name: Wakil Koordinator PKIH, due: '2026-11-27 10:01', late: 29m}\n";
	const char *dir = getenv("UC3_TEMPLATES");
	char path[512], buf[8192];
	struct uc3_ynode *ctx = NULL;
	struct uc3_buf out = UC3_BUF_INIT;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/overdue.txt", dir ? dir : "templates");
	if (!(f = fopen(path, "rb")))
		fail_msg("cannot open %s: run from the top of the tree or set UC3_TEMPLATES", path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	assert_int_equal(uc3_ydoc_parse(&ctx, ctx_yaml, strlen(ctx_yaml), "ctx", 1 << 20), 0);
	assert_int_equal(uc3_tmpl_render(&out, buf, n, ctx, UC3_TMPL_BODY, path), 0);
	assert_true(strncmp(out.ptr, "Subject: [UC3] 2 tiket ", 23) == 0);
	assert_non_null(strstr(out.ptr, "Yth. Wakil Koordinator,\n"));
	assert_non_null(strstr(out.ptr, "\n- UC3-2026-0001: Tes satu\n"
					"  langkah staf (Staf Humas), batas 2026-11-27 09:05, "
					"terlambat 1h 25m\n- UC3-2026-0002: Tes dua\n"));
	assert_null(strstr(out.ptr, "{{"));
	uc3_buf_release(&out);
	uc3_ynode_free(ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(variables_are_replaced),
		cmocka_unit_test(dotted_paths_reach_into_maps),
		cmocka_unit_test(missing_names_are_empty),
		cmocka_unit_test(sections_repeat_over_sequences),
		cmocka_unit_test(sections_over_maps_and_true_scalars),
		cmocka_unit_test(inverted_sections_render_when_false_empty_or_missing),
		cmocka_unit_test(nested_sections_and_the_same_name_inside),
		cmocka_unit_test(comments_render_nothing),
		cmocka_unit_test(a_section_tag_alone_on_its_line_leaves_no_empty_line),
		cmocka_unit_test(an_unclosed_section_is_an_error_with_its_line),
		cmocka_unit_test(other_malformed_templates_are_errors),
		cmocka_unit_test(render_appends_and_reads_only_len_bytes),
		cmocka_unit_test(header_mode_turns_line_breaks_into_spaces),
		cmocka_unit_test(header_mode_keeps_the_templates_own_text),
		cmocka_unit_test(no_header_injection_through_a_rendered_subject),
		cmocka_unit_test(
			body_mode_puts_a_value_on_one_line_keeps_tabs_drops_other_controls),
		cmocka_unit_test(html_mode_escapes_markup_and_keeps_line_breaks),
		cmocka_unit_test(values_are_not_templates),
		cmocka_unit_test(the_installed_overdue_template_renders),
		cmocka_unit_test(reads_only_the_given_length),
		cmocka_unit_test(lines_tag_keeps_lines_in_a_body_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
