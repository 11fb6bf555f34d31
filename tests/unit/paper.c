#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"

#include "buf.h"
#include "clock.h"
#include "error.h"
#include "paper.h"
#include "ticket.h"
#include "trail.h"
#include "ydoc.h"

/*
 * The paper record (lib/paper.h): what the form's template sees of a
 * ticket, its steps and its commits, and the installed form rendered.
 */

/* Answered at wakor on a Friday; the staf step was 5 minutes late. */
static const char ticket_yaml[] = "id: UC3-2026-0007\n"
				  "subject: Tes <script>alert(1)</script> & \"kutip\"\n"
				  "kind: keluhan\n"
				  "channel: email\n"
				  "requester:\n"
				  "  name: Siti Aminah\n"
				  "  email: siti@example.com\n"
				  "  phone: 0812-1\n"
				  "  social: '@siti_a'\n"
				  "  address: |\n"
				  "    Jl. Jawa 7\n"
				  "    Jember 68121\n"
				  "unit: Bagian Keuangan\n"
				  "received: 2026-11-27T09:00:00+07:00\n"
				  "status: answered\n"
				  "level: wakor\n"
				  "deadline: 2026-11-27T09:35:00+07:00\n"
				  "body: |\n"
				  "  Baris satu.\n"
				  "  Baris <dua>.\n"
				  "answer: |\n"
				  "  Sudah.\n"
				  "events:\n"
				  "- at: 2026-11-27T09:00:00+07:00\n"
				  "  by: humas1@unej.ac.id\n"
				  "  action: new\n"
				  "- at: 2026-11-27T09:10:00+07:00\n"
				  "  by: humas1@unej.ac.id\n"
				  "  action: escalate\n"
				  "  from: staf\n"
				  "  to: wakor\n"
				  "  note: Data tidak ada di Humas.\n"
				  "  step:\n"
				  "    name: staf\n"
				  "    due: 2026-11-27T09:05:00+07:00\n"
				  "    late: true\n"
				  "- at: 2026-11-27T09:30:00+07:00\n"
				  "  by: wakor@unej.ac.id\n"
				  "  action: answer\n"
				  "  step:\n"
				  "    name: wakor\n"
				  "    due: 2026-11-27T10:10:00+07:00\n"
				  "    late: false\n";

#define PATH "tickets/2026/11/UC3-2026-0007.yaml"

struct fixture {
	struct uc3_ticket *t;
	struct uc3_policy *p;
	struct uc3_trail_commit c[3];
	time_t now;
};

static struct fixture *
fixture(void)
{
	struct fixture *f = calloc(1, sizeof(*f));
	static const char *const ids[] = { "1111111111111111111111111111111111111111",
					   "2222222222222222222222222222222222222222",
					   "3333333333333333333333333333333333333333" };
	size_t i;

	if (uc3_ticket_parse(&f->t, ticket_yaml, strlen(ticket_yaml), PATH) < 0)
		fail_msg("test bug: %s", uc3_error_last());
	f->p = default_policy_with(
		"people:\n"
		"  - {email: wakor@unej.ac.id, name: Wakil Satu, roles: [wakor]}\n");
	for (i = 0; i < 3; i++) {
		uc3_trail_sig_init(&f->c[i].sig, ids[i], i != 1);
		f->c[i].author_name = "Staf Satu";
		f->c[i].author_email = "humas1@unej.ac.id";
		f->c[i].time = 1795744800 + 600 * (long long)i; /* 2026-11-27 09:00 in Jakarta */
		f->c[i].subject = "UC3-2026-0007: <step>";
	}
	f->c[0].sig.sig = UC3_SIG_GOOD;
	f->c[2].sig.sig = UC3_SIG_GOOD;
	f->c[2].sig.denied = true;
	assert_int_equal(uc3_clock_parse(&f->now, "2026-11-27T09:40:00+07:00", NULL), 0);
	return f;
}

static void
fixture_free(struct fixture *f)
{
	uc3_ticket_free(f->t);
	uc3_policy_free(f->p);
	free(f);
}

/* The scalar at a dotted path of n ("events.1.late"); fails the test when absent. */
static const char *
at(const struct uc3_ynode *n, const char *path)
{
	char *copy = strdup(path), *save = NULL, *k;

	for (k = strtok_r(copy, ".", &save); k && n; k = strtok_r(NULL, ".", &save)) {
		if (n->type == UC3_YSEQ) {
			size_t i = strtoul(k, NULL, 10);

			n = i < n->n ? n->items[i] : NULL;
		} else {
			n = uc3_ynode_get(n, k);
		}
	}
	free(copy);
	if (!n || n->type != UC3_YSCALAR)
		fail_msg("no scalar at %s", path);
	return n->str;
}

static void
the_context_holds_the_ticket_as_the_file_has_it(void **state)
{
	struct fixture *f = fixture();
	struct uc3_ynode *ctx = uc3_paper_context(f->t, PATH, f->p, f->c, 3, f->now);

	assert_string_equal(at(ctx, "office"),
			    "University Customer Care Center (UC3), Universitas Jember");
	assert_string_equal(at(ctx, "sop"), "SOP PKIH HUM-08 (rev. 2022-01-11)");
	assert_string_equal(at(ctx, "clerk_role"), "Staf Humas");
	assert_string_equal(at(ctx, "head_role"), "Kepala Biro III");
	assert_string_equal(at(ctx, "id"), "UC3-2026-0007");
	/* as it is: escaping is the renderer's work */
	assert_string_equal(at(ctx, "subject"), "Tes <script>alert(1)</script> & \"kutip\"");
	assert_string_equal(at(ctx, "received"), "2026-11-27 09:00");
	assert_string_equal(at(ctx, "received_iso"), "2026-11-27T09:00:00+07:00");
	assert_string_equal(at(ctx, "file"), PATH);
	assert_string_equal(at(ctx, "requester.name"), "Siti Aminah");
	assert_string_equal(at(ctx, "requester.social"), "@siti_a");
	assert_string_equal(at(ctx, "requester.address"), "Jl. Jawa 7\nJember 68121\n");
	assert_string_equal(at(ctx, "body"), "Baris satu.\nBaris <dua>.\n");
	assert_string_equal(at(ctx, "answer"), "Sudah.\n");
	assert_string_equal(at(ctx, "printed"), "2026-11-27 09:40");
	uc3_ynode_free(ctx);
	fixture_free(f);
}

static void
the_context_says_where_the_ticket_stands(void **state)
{
	struct fixture *f = fixture();
	struct uc3_ynode *ctx = uc3_paper_context(f->t, PATH, f->p, f->c, 3, f->now);

	assert_string_equal(at(ctx, "status"), "answered");
	assert_string_equal(at(ctx, "level_name"), "Wakil Koordinator PKIH");
	assert_string_equal(at(ctx, "current_step"), "deliver");
	assert_string_equal(at(ctx, "holder_name"), "Staf Humas");
	assert_string_equal(at(ctx, "deadline"), "2026-11-27 09:35");
	assert_string_equal(at(ctx, "overdue"), "true");
	assert_string_equal(at(ctx, "left"), "late by 5m");
	uc3_ynode_free(ctx);
	/* closed: no running step */
	f->t->status = UC3_STATUS_CLOSED;
	ctx = uc3_paper_context(f->t, PATH, f->p, f->c, 3, f->now);
	assert_string_equal(at(ctx, "current_step"), "");
	assert_string_equal(at(ctx, "deadline"), "");
	assert_string_equal(at(ctx, "overdue"), "");
	uc3_ynode_free(ctx);
	fixture_free(f);
}

static void
every_step_with_who_its_role_its_due_and_how_late(void **state)
{
	struct fixture *f = fixture();
	struct uc3_ynode *ctx = uc3_paper_context(f->t, PATH, f->p, f->c, 3, f->now);

	assert_string_equal(at(ctx, "nevents"), "3");
	assert_string_equal(at(ctx, "nlate"), "1");
	/* new: no step, no role; every key there, empty */
	assert_string_equal(at(ctx, "events.0.what"), "new");
	assert_string_equal(at(ctx, "events.0.step"), "");
	assert_string_equal(at(ctx, "events.0.role"), "");
	assert_string_equal(at(ctx, "events.0.late"), "");
	assert_string_equal(at(ctx, "events.0.on_time"), "");
	assert_string_equal(at(ctx, "events.0.note"), "");
	/* the staf step, late by 5 minutes of office time */
	assert_string_equal(at(ctx, "events.1.n"), "2");
	assert_string_equal(at(ctx, "events.1.what"), "escalate staf -> wakor");
	assert_string_equal(at(ctx, "events.1.by"), "humas1@unej.ac.id");
	assert_string_equal(at(ctx, "events.1.role_name"), "Staf Humas");
	assert_string_equal(at(ctx, "events.1.due"), "2026-11-27 09:05");
	assert_string_equal(at(ctx, "events.1.due_iso"), "2026-11-27T09:05:00+07:00");
	assert_string_equal(at(ctx, "events.1.late"), "true");
	assert_string_equal(at(ctx, "events.1.late_by"), "5m");
	assert_string_equal(at(ctx, "events.1.note"), "Data tidak ada di Humas.");
	/* the answer, by a person the policy names, on time */
	assert_string_equal(at(ctx, "events.2.by_name"), "Wakil Satu");
	assert_string_equal(at(ctx, "events.2.role"), "wakor");
	assert_string_equal(at(ctx, "events.2.on_time"), "true");
	assert_string_equal(at(ctx, "events.2.late_by"), "");
	uc3_ynode_free(ctx);
	fixture_free(f);
}

static void
every_commit_with_its_signature_as_uc3_log_names_it(void **state)
{
	struct fixture *f = fixture();
	struct uc3_ynode *ctx = uc3_paper_context(f->t, PATH, f->p, f->c, 3, f->now);

	assert_string_equal(at(ctx, "ncommits"), "3");
	assert_string_equal(at(ctx, "commits.0.short"), "1111111");
	assert_string_equal(at(ctx, "commits.0.at"), "2026-11-27 09:00");
	assert_string_equal(at(ctx, "commits.0.signature"), "good");
	assert_string_equal(at(ctx, "commits.0.sig_class"), "good");
	assert_string_equal(at(ctx, "commits.1.signature"), "none");
	assert_string_equal(at(ctx, "commits.1.sig_class"), "none");
	/* signed, but by somebody the audit does not allow */
	assert_string_equal(at(ctx, "commits.2.signature"), "not allowed");
	assert_string_equal(at(ctx, "commits.2.sig_class"), "bad");
	assert_string_equal(at(ctx, "ncommits_good"), "1");
	assert_string_equal(at(ctx, "ncommits_bad"), "1");
	assert_string_equal(at(ctx, "ncommits_none"), "1");
	assert_string_equal(at(ctx, "ncommits_unknown"), "0");
	assert_string_equal(at(ctx, "nattachments"), "0");
	uc3_ynode_free(ctx);
	fixture_free(f);
}

/* The form as installed: every value escaped, no tag left, nothing it would fetch or run. */
static void
the_installed_form_renders_escaped(void **state)
{
	struct fixture *f = fixture();
	const char *dir = getenv("UC3_TEMPLATES");
	struct uc3_buf out = UC3_BUF_INIT;
	char path[512], *tmpl;

	snprintf(path, sizeof(path), "%s/ticket.html", dir ? dir : "templates");
	if (!(tmpl = read_file(path)))
		fail_msg("cannot read %s: run from the top of the tree or set UC3_TEMPLATES", path);
	assert_int_equal(uc3_paper_render(&out, tmpl, strlen(tmpl), path, f->t, PATH, f->p, f->c, 3,
					  f->now),
			 0);
	assert_true(strncmp(out.ptr, "<!DOCTYPE html>", 15) == 0);
	assert_null(strstr(out.ptr, "{{"));
	assert_non_null(strstr(out.ptr, "Tes &lt;script&gt;alert(1)&lt;/script&gt; &amp; "
					"&quot;kutip&quot;"));
	assert_non_null(strstr(out.ptr, "Baris satu.\nBaris &lt;dua&gt;.\n"));
	assert_non_null(strstr(out.ptr, "UC3-2026-0007: &lt;step&gt;"));
	assert_null(strstr(out.ptr, "<script"));
	assert_null(strstr(out.ptr, "src="));
	assert_null(strstr(out.ptr, "href="));
	assert_null(strstr(out.ptr, "url("));
	assert_null(strstr(out.ptr, "@import"));
	free(tmpl);
	uc3_buf_release(&out);
	fixture_free(f);
}

static void
a_malformed_template_is_an_error_with_its_line(void **state)
{
	struct fixture *f = fixture();
	struct uc3_buf out = UC3_BUF_INIT;
	const char *t = "<p>\n{{#events}}{{n}}\n";

	assert_int_equal(uc3_paper_render(&out, t, strlen(t), "templates/ticket.html", f->t, PATH,
					  f->p, f->c, 3, f->now),
			 UC3_EINVAL);
	assert_string_equal(uc3_error_last(), "templates/ticket.html:2: unclosed section 'events'");
	assert_int_equal(out.len, 0);
	uc3_buf_release(&out);
	fixture_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_context_holds_the_ticket_as_the_file_has_it),
		cmocka_unit_test(the_context_says_where_the_ticket_stands),
		cmocka_unit_test(every_step_with_who_its_role_its_due_and_how_late),
		cmocka_unit_test(every_commit_with_its_signature_as_uc3_log_names_it),
		cmocka_unit_test(the_installed_form_renders_escaped),
		cmocka_unit_test(a_malformed_template_is_an_error_with_its_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
