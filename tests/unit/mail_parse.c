#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "buf.h"
#include "error.h"
#include "mail.h"
#include "utf8.h"

/*
 * Mail in (lib/mail.h, mail_parse.c): the messages of
 * tests/fixtures/mail/ (see its README.md), each read into exactly what
 * a ticket takes, and the messages that are refused. The fixtures are
 * read from the top of the tree, or from $UC3_FIXTURES/mail.
 */

static char *
read_fixture(const char *name, size_t *len)
{
	const char *dir = getenv("UC3_FIXTURES");
	struct uc3_buf b = UC3_BUF_INIT;
	char path[512], chunk[4096];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/mail/%s", dir ? dir : "tests/fixtures", name);
	if (!(f = fopen(path, "rb")))
		fail_msg("cannot open %s: run from the top of the tree or set UC3_FIXTURES", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		uc3_buf_add(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return uc3_buf_detach(&b);
}

static void
assert_utf8(const char *s, const char *what)
{
	size_t bad;

	if (s && !uc3_utf8_valid(s, strlen(s), &bad))
		fail_msg("%s is not UTF-8 at byte %zu", what, bad);
}

/*
 * What every result promises: each string valid UTF-8; the body without
 * NUL, CR or any control but TAB and LF, and ending in one LF unless it
 * is ""; the subject, names and ids on one line.
 */
static void
assert_invariants(const struct uc3_mail_in *m)
{
	size_t i;

	assert_utf8(m->from_name, "from_name");
	assert_utf8(m->from_email, "from_email");
	assert_utf8(m->subject, "subject");
	assert_utf8(m->message_id, "message_id");
	assert_utf8(m->in_reply_to, "in_reply_to");
	assert_utf8(m->loop, "loop");
	for (i = 0; i < m->nreferences; i++)
		assert_utf8(m->references[i], "a reference");
	for (i = 0; i < m->nparts; i++) {
		assert_utf8(m->parts[i].name, "a part's name");
		assert_utf8(m->parts[i].type, "a part's type");
		assert_non_null(m->parts[i].type);
		assert_non_null(m->parts[i].data);
	}
	assert_non_null(m->body);
	assert_utf8(m->body, "body");
	assert_int_equal(uc3_text_check(m->body, "body", UC3_TEXT_LINES), 0);
	assert_null(strchr(m->body, '\r'));
	if (*m->body) {
		size_t n = strlen(m->body);

		assert_int_equal(m->body[n - 1], '\n');
		assert_true(n < 2 || m->body[n - 2] != '\n');
	}
	assert_int_equal(uc3_text_check(m->subject, "subject", UC3_TEXT_LINE), 0);
	assert_int_equal(uc3_text_check(m->from_name, "name", UC3_TEXT_LINE), 0);
	assert_int_equal(uc3_text_check(m->loop, "loop", UC3_TEXT_LINE), 0);
}

static void
parse_ok(struct uc3_mail_in *m, const char *data, size_t len)
{
	if (uc3_mail_parse(m, data, len) < 0)
		fail_msg("parse: %s", uc3_error_last());
	assert_invariants(m);
}

static void
parse_fixture(struct uc3_mail_in *m, const char *name)
{
	size_t len;
	char *data = read_fixture(name, &len);

	parse_ok(m, data, len);
	free(data);
}

static void
parse_text(struct uc3_mail_in *m, const char *text)
{
	parse_ok(m, text, strlen(text));
}

/* Refused with UC3_EINVAL and a message containing why, *m left empty. */
static void
assert_refused(const char *data, size_t len, const char *why)
{
	struct uc3_mail_in m;

	memset(&m, 0xab, sizeof(m));
	assert_int_equal(uc3_mail_parse(&m, data, len), UC3_EINVAL);
	if (!strstr(uc3_error_last(), why))
		fail_msg("error '%s' does not say '%s'", uc3_error_last(), why);
	assert_null(strchr(uc3_error_last(), '\n'));
	assert_null(m.from_email);
	assert_null(m.body);
	assert_null(m.parts);
	assert_int_equal(m.nparts, 0);
	assert_int_equal(m.nreferences, 0);
	uc3_mail_in_release(&m);
}

static void
assert_refused_text(const char *text, const char *why)
{
	assert_refused(text, strlen(text), why);
}

static void
assert_starts(const char *s, const char *prefix)
{
	if (strncmp(s, prefix, strlen(prefix)))
		fail_msg("'%.80s' does not start with '%s'", s, prefix);
}

static void
thunderbird_alternative_takes_the_plain_text(void **state)
{
	struct uc3_mail_in m;

	parse_fixture(&m, "thunderbird-alternative.eml");
	assert_string_equal(m.from_name, "Siti Aminah");
	assert_string_equal(m.from_email, "siti.aminah@mahasiswa.unej.ac.id");
	assert_string_equal(m.subject, "Pembayaran UKT belum terverifikasi");
	assert_true(m.has_date);
	assert_int_equal(m.date, 1795655742); /* 2026-11-26T08:15:42+07:00 */
	assert_string_equal(m.message_id,
			    "<5f3c2a1e-7b9d-4c1a-9e0f-2d8b6a4c3e21@mahasiswa.unej.ac.id>");
	assert_null(m.in_reply_to);
	assert_int_equal(m.nreferences, 0);
	assert_string_equal(m.body,
			    "Selamat pagi,\n\nSaya sudah membayar UKT semester genap pada tanggal "
			    "20 November 2026\nmelalui Bank Mandiri, tetapi status di SISTER "
			    "masih \"belum terverifikasi\".\n\nMohon bantuannya. Terima kasih.\n\n"
			    "Siti Aminah\nNIM 210210101042\n");
	assert_false(m.body_from_html);
	assert_int_equal(m.nparts, 0); /* the HTML alternative is not a file */
	assert_null(m.automatic);
	assert_null(m.loop);
	uc3_mail_in_release(&m);
}

static void
gmail_html_only_is_made_text(void **state)
{
	struct uc3_mail_in m;

	parse_fixture(&m, "gmail-html-only.eml");
	assert_string_equal(m.from_name, "Budi Santoso");
	assert_string_equal(m.from_email, "budi.santoso1998@gmail.com");
	assert_string_equal(m.subject, "Pertanyaan beasiswa KIP-Kuliah");
	assert_int_equal(m.date, 1795759331);
	assert_string_equal(m.message_id, "<CAJk8x=Qw3vR9+example2Lb6@mail.gmail.com>");
	assert_true(m.body_from_html);
	/* No title, style, script or comment; entities decoded; blank runs one. */
	assert_string_equal(m.body, "Yth. Bagian Keuangan,\n\n"
				    "Nama saya Budi Santoso & saya ingin bertanya tentang beasiswa "
				    "KIP\u2011Kuliah.\n\n"
				    "Apakah dana sudah cair?\n"
				    "Kapan batas <pengumpulan> berkas?\n"
				    "Harga: Rp 500.000 \"lunas\" 'ok'\n"
				    "Hormat saya\n"
				    "Budi\n");
	assert_int_equal(m.nparts, 0);
	uc3_mail_in_release(&m);
}

static void
base64_body_is_decoded(void **state)
{
	struct uc3_mail_in m;

	parse_fixture(&m, "base64-body.eml");
	assert_string_equal(m.from_name, "Dewi Lestari");
	assert_string_equal(m.from_email, "dewi.lestari@yahoo.co.id");
	assert_string_equal(m.subject, "KTM hilang");
	assert_int_equal(m.date, 1796008800);
	assert_string_equal(m.message_id, "<1764472800.12345@yahoo.co.id>");
	assert_string_equal(m.body, "Selamat siang,\n\nKartu tanda mahasiswa saya hilang. "
				    "Bagaimana cara mengurus KTM baru?\n\nWassalam,\nDewi "
				    "Lestari\n");
	uc3_mail_in_release(&m);
}

static void
quoted_printable_body_is_decoded(void **state)
{
	struct uc3_mail_in m;

	parse_fixture(&m, "quoted-printable.eml");
	assert_string_equal(m.from_name, "Rina Wulandari");
	assert_string_equal(m.from_email, "rina.w@students.unej.ac.id");
	assert_string_equal(m.message_id, "<20261201094510.GA4242@students.unej.ac.id>");
	assert_int_equal(m.date, 1796118310);
	/* Soft line breaks joined, =C3=A9 one character. */
	assert_string_equal(m.body,
			    "Selamat sore,\n\nSaya mahasiswa Fakultas Teknik angkatan 2023. Nilai "
			    "mata kuliah Kalkulus II saya belum muncul di SISTER padahal ujian "
			    "sudah selesai tiga minggu yang lalu. Caf\u00e9 di kantin juga "
			    "tutup.\n\nTerima kasih,\nRina\n");
	uc3_mail_in_release(&m);
}

static void
latin1_header_and_body_are_converted(void **state)
{
	struct uc3_mail_in m;

	parse_fixture(&m, "latin1.eml");
	assert_string_equal(m.from_name, "Jos\u00e9 Mar\u00eda Garc\u00eda");
	assert_string_equal(m.from_email, "jose.garcia@example.es");
	/* =96 is C1 in ISO-8859-1 but an en dash in what the client meant. */
	assert_string_equal(m.subject, "Solicitud de informaci\u00f3n \u2013 beca");
	assert_int_equal(m.date, 1796198400);
	assert_string_equal(m.body, "Buenos d\u00edas,\n\nQuisiera informaci\u00f3n sobre la beca "
				    "de intercambio en Jember.\n\u00bfEs posible? Gracias.\n\n"
				    "Jos\u00e9\n");
	uc3_mail_in_release(&m);
}

static void
windows_1252_curly_quotes_are_converted(void **state)
{
	struct uc3_mail_in m;

	parse_fixture(&m, "windows-1252.eml");
	assert_string_equal(m.from_name, "Agus Prasetyo");
	assert_string_equal(m.from_email, "agus.prasetyo@example.co.id");
	assert_string_equal(m.subject, "Legalisir ijazah");
	assert_int_equal(m.date, 1796194800);
	assert_string_equal(m.message_id,
			    "<SG2PR06MB1234567890ABCDEF@SG2PR06MB1234.apcprd06.prod.outlook.com>");
	/* =0D=0A from quoted-printable is a line end too. */
	assert_string_equal(m.body, "Dengan hormat,\n\nSaya alumni tahun 2019. Bagaimana prosedur "
				    "\u201clegalisir ijazah\u201d secara daring? Apakah bisa "
				    "dikirim lewat pos \u2013 atau harus datang sendiri?\n\n"
				    "Salam,\nAgus\n");
	uc3_mail_in_release(&m);
}

static void
split_encoded_words_make_whole_characters(void **state)
{
	struct uc3_mail_in m;

	parse_fixture(&m, "split-encoded-words.eml");
	/* Q words split inside U+00C7, then an ISO-8859-1 word; the blanks between words go. */
	assert_string_equal(m.from_name, "Nur\u00a0Hidayah Putri \u00c7\u00e9lise");
	assert_string_equal(m.from_email, "nur.hidayah@unej.ac.id");
	/* B words with padding, split inside U+2013 and U+201C. */
	assert_string_equal(m.subject,
			    "Permohonan surat keterangan aktif kuliah \u2013 \u201cmendesak\u201d");
	assert_string_equal(m.message_id, "<split.words.42@unej.ac.id>");
	assert_string_equal(m.body, "Mohon dibuatkan surat keterangan aktif kuliah untuk "
				    "keperluan beasiswa.\n");
	uc3_mail_in_release(&m);
}

static void
attachments_are_parts_with_decoded_names(void **state)
{
	struct uc3_mail_in m;

	parse_fixture(&m, "attachments.eml");
	assert_string_equal(m.from_name, "Andi Wijaya");
	assert_string_equal(m.subject, "Bukti pembayaran UKT");
	assert_int_equal(m.date, 1796347800);
	assert_string_equal(m.message_id, "<CAF=bukti.pembayaran.7@mail.gmail.com>");
	assert_string_equal(m.body, "Terlampir bukti pembayaran UKT dan tangkapan layar "
				    "SISTER.\n");
	assert_int_equal(m.nparts, 3);
	/* RFC 2231 filename* (before the RFC 2047 name). */
	assert_string_equal(m.parts[0].name, "Bukti Pembayaran UKT.pdf");
	assert_string_equal(m.parts[0].type, "application/pdf");
	assert_int_equal(m.parts[0].len, 77);
	assert_memory_equal(m.parts[0].data, "%PDF-1.4\n", 9);
	assert_memory_equal(m.parts[0].data + 71, "%%EOF\n", 6);
	/* RFC 2047 in a quoted filename, as Gmail and Outlook write it. */
	assert_string_equal(m.parts[1].name, "tangkapan layar.png");
	assert_string_equal(m.parts[1].type, "image/png");
	assert_int_equal(m.parts[1].len, 69);
	assert_memory_equal(m.parts[1].data, "\x89PNG\r\n\x1a\n", 8);
	/* A text/plain attachment after the body is a file too. */
	assert_string_equal(m.parts[2].name, "catatan.txt");
	assert_string_equal(m.parts[2].type, "text/plain");
	assert_int_equal(m.parts[2].len, 17);
	assert_memory_equal(m.parts[2].data, "NIM 210210101042\n", 17);
	uc3_mail_in_release(&m);
}

static void
inline_image_is_a_part_without_a_name(void **state)
{
	struct uc3_mail_in m;

	parse_fixture(&m, "inline-image.eml");
	assert_string_equal(m.from_name, "Lina Marlina");
	assert_string_equal(m.subject, "Gagal login SISTER");
	assert_string_equal(m.message_id,
			    "<PU4P216MB0999ABCDEF@PU4P216MB0999.KORP216.PROD.OUTLOOK.COM>");
	assert_false(m.body_from_html);
	assert_string_equal(m.body, "Selamat malam,\n\nSaya tidak bisa login ke SISTER, muncul "
				    "pesan seperti gambar di bawah.\n\n"
				    "[cid:image001.png@01DB4A2B.12345670]\n\nLina\n");
	assert_int_equal(m.nparts, 1);
	assert_null(m.parts[0].name);
	assert_string_equal(m.parts[0].type, "image/png");
	assert_int_equal(m.parts[0].len, 69);
	assert_memory_equal(m.parts[0].data, "\x89PNG", 4);
	uc3_mail_in_release(&m);
}

static void
text_split_around_an_image_is_one_body(void **state)
{
	struct uc3_mail_in m;

	parse_fixture(&m, "apple-split-text.eml");
	assert_string_equal(m.subject, "Foto antrean loket");
	assert_string_equal(m.body, "Selamat siang,\n\nIni foto antrean di loket Keuangan pagi "
				    "ini:\n\nMohon loket ditambah pada jam sibuk.\n\nRudi\n");
	assert_int_equal(m.nparts, 1);
	assert_string_equal(m.parts[0].name, "antrean.png");
	assert_string_equal(m.parts[0].type, "image/png");
	uc3_mail_in_release(&m);
}

static void
forwarded_message_is_an_eml_part(void **state)
{
	struct uc3_mail_in m;

	parse_fixture(&m, "forwarded-rfc822.eml");
	assert_string_equal(m.from_name, "Fajar Nugroho");
	assert_string_equal(m.subject, "Fwd: Jadwal wisuda");
	assert_int_equal(m.date, 1796562000);
	assert_string_equal(m.body,
			    "Nama saya tidak ada di daftar wisuda, padahal sudah yudisium.\n");
	assert_int_equal(m.nparts, 1);
	assert_string_equal(m.parts[0].name, "Jadwal wisuda.eml");
	assert_string_equal(m.parts[0].type, "message/rfc822");
	assert_starts(m.parts[0].data, "From: Biro Akademik <akademik@unej.ac.id>\n");
	assert_non_null(strstr(m.parts[0].data, "\n\nWisuda periode Desember dilaksanakan "
						"tanggal 19 Desember 2026.\n"));
	assert_int_equal(m.parts[0].len, strlen(m.parts[0].data));
	uc3_mail_in_release(&m);
}

static void
no_subject_is_null(void **state)
{
	struct uc3_mail_in m;

	parse_fixture(&m, "no-subject.eml");
	assert_null(m.from_name);
	assert_string_equal(m.from_email, "hendra.k@gmail.com");
	assert_null(m.subject);
	assert_int_equal(m.date, 1796602027);
	assert_string_equal(m.message_id, "<CAnosubject123@mail.gmail.com>");
	assert_string_equal(m.body, "Parkir motor di gedung C penuh terus setiap pagi.\n");
	uc3_mail_in_release(&m);
}

static void
no_message_id_nor_date(void **state)
{
	struct uc3_mail_in m;

	parse_fixture(&m, "no-message-id.eml");
	assert_string_equal(m.from_name, "Yuni Astuti");
	assert_string_equal(m.subject, "Jam layanan perpustakaan");
	assert_null(m.message_id);
	assert_false(m.has_date);
	assert_string_equal(m.body, "Apakah perpustakaan buka hari Sabtu?\n");
	uc3_mail_in_release(&m);
}

static void
raw_8bit_headers_become_utf8(void **state)
{
	struct uc3_mail_in m;

	parse_fixture(&m, "8bit-header.eml");
	/* A Latin-1 byte in the name, UTF-8 in the subject, neither declared. */
	assert_string_equal(m.from_name, "Wahyu P\u00e9rdana");
	assert_string_equal(m.from_email, "wahyu@example.org");
	assert_string_equal(m.subject, "Keluhan asrama \u2014 air mati \u201clagi\u201d");
	assert_string_equal(m.body,
			    "Air di asrama mati sejak kemarin \u2014 mohon segera diperbaiki.\n");
	uc3_mail_in_release(&m);
}

static void
malformed_headers_lose_only_what_is_malformed(void **state)
{
	struct uc3_mail_in m;
	char want[64];
	size_t i, k;

	parse_fixture(&m, "malformed-headers.eml");
	assert_string_equal(m.from_name, "Rudi Hartono");
	/* An encoded word without its end stays as written. */
	assert_string_equal(m.subject, "=?UTF-8?Q?Keluhan_layanan_wifi_kampus");
	/* The fields after the line without colon are read. */
	assert_true(m.has_date);
	assert_int_equal(m.date, 1796785200);
	assert_null(m.message_id); /* "bukan-message-id" */
	assert_string_equal(m.in_reply_to, "<ref40.thread@unej.ac.id>");
	/* 41 folded lines, one not an id ("<bukan id>"): the other 40 in order. */
	assert_int_equal(m.nreferences, 40);
	for (i = 0, k = 1; i < m.nreferences; i++, k++) {
		snprintf(want, sizeof(want), "<ref%02zu.thread@unej.ac.id>", k);
		assert_string_equal(m.references[i], want);
	}
	assert_string_equal(m.body, "Wifi di gedung rektorat sering putus.\n");
	uc3_mail_in_release(&m);
}

static void
auto_reply_is_automatic_with_its_loop(void **state)
{
	struct uc3_mail_in m;

	parse_fixture(&m, "auto-reply.eml");
	assert_string_equal(m.from_name, "Dr. Ahmad Fauzi");
	assert_string_equal(m.subject, "Automatic reply: [UC3] Tiket UC3-2026-0042 diterima");
	assert_string_equal(m.in_reply_to, "<1795750200.1a2b.1.0123456789abcdef@unej.ac.id>");
	assert_string_equal(m.automatic, "auto-reply");
	assert_string_equal(m.loop, "uc3@unej.ac.id");
	assert_starts(m.body, "Saya sedang cuti sampai 4 Januari 2027.");
	uc3_mail_in_release(&m);
}

static void
bounce_is_automatic_and_keeps_its_report(void **state)
{
	struct uc3_mail_in m;

	parse_fixture(&m, "bounce.eml");
	assert_string_equal(m.from_name, "Mail Delivery System");
	assert_string_equal(m.from_email, "MAILER-DAEMON@mail.unej.ac.id");
	assert_string_equal(m.subject, "Undelivered Mail Returned to Sender");
	assert_int_equal(m.date, 1796933045);
	assert_string_equal(m.message_id, "<20261210200405.5B7C2A0F1E@mail.unej.ac.id>");
	assert_string_equal(m.automatic, "bounce");
	assert_starts(m.body, "This is the mail system at host mail.unej.ac.id.\n\n");
	assert_non_null(strstr(m.body, "User unknown (in reply to RCPT TO command)\n"));
	assert_int_equal(m.nparts, 2);
	assert_null(m.parts[0].name);
	assert_string_equal(m.parts[0].type, "message/delivery-status");
	assert_starts(m.parts[0].data, "Reporting-MTA: dns; mail.unej.ac.id\n");
	assert_string_equal(m.parts[1].type, "text/rfc822-headers");
	assert_starts(m.parts[1].data, "From: UC3 <uc3@unej.ac.id>\n");
	uc3_mail_in_release(&m);
}

static void
crlf_line_ends_become_lf(void **state)
{
	struct uc3_mail_in m;

	parse_fixture(&m, "crlf.eml");
	assert_string_equal(m.from_name, "Eko Saputra");
	/* The folded subject is one line. */
	assert_string_equal(m.subject, "Sertifikat TOEFL belum terbit");
	assert_int_equal(m.date, 1797051600);
	assert_string_equal(m.message_id, "<crlf.eko@example.com>");
	assert_string_equal(m.body, "Sertifikat TOEFL saya dari tes tanggal 1 Desember belum "
				    "terbit. Mohon informasinya.\n\nEko\n");
	assert_int_equal(m.nparts, 0);
	uc3_mail_in_release(&m);
}

static void
indonesian_reply_after_an_mbox_from_line(void **state)
{
	struct uc3_mail_in m;

	parse_fixture(&m, "indonesian.eml");
	assert_string_equal(m.from_name, "Siti Rahmawati");
	assert_string_equal(m.from_email, "siti.rahma@gmail.com");
	assert_string_equal(m.subject, "Re: Pembayaran UKT belum terverifikasi");
	assert_int_equal(m.date, 1797127191);
	assert_string_equal(m.message_id, "<CAM7=rahma.ukt.verifikasi@mail.gmail.com>");
	assert_string_equal(m.in_reply_to, "<1795750200.1a2b.1.0123456789abcdef@unej.ac.id>");
	assert_int_equal(m.nreferences, 2);
	assert_string_equal(m.references[0], "<CAM7=rahma.ukt@mail.gmail.com>");
	assert_string_equal(m.references[1], "<1795750200.1a2b.1.0123456789abcdef@unej.ac.id>");
	assert_starts(m.body, "Selamat pagi Bapak/Ibu,\n\nPembayaran UKT saya sampai hari ini "
			      "belum terverifikasi, padahal sudah dua minggu.");
	assert_non_null(strstr(m.body, "\n> Tiket UC3-2026-0042 telah kami terima.\n"));
	assert_null(m.automatic);
	uc3_mail_in_release(&m);
}

static void
refuses_what_is_not_a_message(void **state)
{
	static const char nul_header[] = "From: a@example.com\nX-Note: a\0b\n\nbody\n";

	assert_refused(NULL, 0, "empty");
	assert_refused_text("", "empty");
	assert_refused_text(" \n\t\r\n\n", "empty");
	assert_refused_text("From someone Thu Dec  3 10:00:00 2026\n", "empty");
	assert_refused_text("\nFrom: a@example.com\n\nbody\n", "no header before its body");
	assert_refused_text("Halo, ini bukan surel\nFrom: a@example.com\n\nx\n",
			    "no header before its body");
	assert_refused(nul_header, sizeof(nul_header) - 1, "NUL byte in its headers");
	assert_refused_text("Subject: tanpa pengirim\n\nbody\n", "no From address");
	assert_refused_text("From: Siti Aminah\nSubject: x\n\nbody\n", "no From address");
	assert_refused_text("From: undisclosed-recipients:;\n\nbody\n", "no From address");
	/* A line separator or a no-break space in the address would make it two words. */
	assert_refused_text("From: <si\xe2\x80\xa8ti@example.com>\n\nbody\n", "no From address");
	assert_refused_text("From: <si\xc2\xa0ti@example.com>\n\nbody\n", "no From address");
}

static void
a_nul_in_the_body_is_dropped(void **state)
{
	static const char msg[] = "From: a@example.com\n\nsatu\0dua\n";
	struct uc3_mail_in m;

	parse_ok(&m, msg, sizeof(msg) - 1);
	assert_string_equal(m.body, "satudua\n");
	uc3_mail_in_release(&m);
}

static void
body_controls_go_and_bad_bytes_are_marked(void **state)
{
	struct uc3_mail_in m;

	parse_text(&m, "From: a@example.com\nContent-Type: text/plain; charset=utf-8\n\n"
		       "\n  \nsatu\x1b[31m\tdua\x7f\r\ntiga\rempat \xc3\x28 \xed\xa0\x80\n"
		       "\xc2\x85lima\n\n \n\t\n");
	assert_string_equal(m.body, "satu[31m\tdua\ntiga\nempat \ufffd( \ufffd\ufffd\ufffd\n"
				    "lima\n");
	uc3_mail_in_release(&m);
}

static void
an_empty_body_is_empty(void **state)
{
	struct uc3_mail_in m;

	parse_text(&m, "From: a@example.com\nSubject: kosong\n\n \n\n");
	assert_string_equal(m.body, "");
	assert_false(m.body_from_html);
	uc3_mail_in_release(&m);
	parse_text(&m, "From: a@example.com\nSubject: kosong");
	assert_string_equal(m.subject, "kosong");
	assert_string_equal(m.body, "");
	uc3_mail_in_release(&m);
}

static void
html_entities_and_breaks(void **state)
{
	struct uc3_mail_in m;

	parse_text(&m, "From: a@example.com\nContent-Type: text/html; charset=windows-1252\n\n"
		       "<!DOCTYPE html><html><head><title>judul</title></head><body>"
		       "<h1>Judul</h1>satu<br/>dua<p>tiga &#150; &#8212; &#x2014; &#0; "
		       "&unknown; &amp &lt;b&gt;</p><table><tr><td>a</td><td>b</td></tr></table>"
		       "<!-- x --><p>\x93kutip\x94</p>\n\n\n<div><br></div><div><br></div>"
		       "<div>akhir</div><script>tidak</script></body></html>");
	assert_true(m.body_from_html);
	assert_string_equal(m.body, "Judul\nsatu\ndua\ntiga \u2013 \u2014 \u2014 \ufffd "
				    "&unknown; &amp <b>\na b\n\u201ckutip\u201d\n\nakhir\n");
	uc3_mail_in_release(&m);
}

static void
text_plain_wins_over_an_earlier_html_part(void **state)
{
	struct uc3_mail_in m;

	parse_text(&m, "From: a@example.com\nContent-Type: multipart/mixed; boundary=X\n\n"
		       "--X\nContent-Type: text/html\n\n<p>html</p>\n"
		       "--X\nContent-Type: multipart/alternative; boundary=Y\n\n"
		       "--Y\nContent-Type: text/plain; name=a.txt\n\nlampiran\n"
		       "--Y\nContent-Type: text/plain\n\nteks\n--Y--\n--X--\n");
	assert_false(m.body_from_html);
	assert_string_equal(m.body, "teks\n");
	assert_int_equal(m.nparts, 1);
	assert_string_equal(m.parts[0].name, "a.txt");
	uc3_mail_in_release(&m);
}

static void
automatic_mail_is_told_apart(void **state)
{
	static const struct {
		const char *headers;
		const char *word;
	} cases[] = {
		{ "From: a@example.com\nAuto-Submitted: auto-generated\n", "auto-reply" },
		{ "From: a@example.com\nAuto-Submitted: no\n", NULL },
		{ "From: a@example.com\nAuto-Submitted: No (a person)\n", NULL },
		{ "From: a@example.com\nX-Autoreply: yes\n", "auto-reply" },
		{ "From: a@example.com\nX-Autorespond: 1\n", "auto-reply" },
		{ "From: a@example.com\nPrecedence: auto_reply\n", "auto-reply" },
		{ "From: a@example.com\nReturn-Path: <>\n", "auto-reply" },
		{ "From: a@example.com\nReturn-Path: <a@example.com>\n", NULL },
		{ "From: a@example.com\nPrecedence: bulk\n", "bulk" },
		{ "From: a@example.com\nPrecedence: junk\n", "bulk" },
		{ "From: a@example.com\nPrecedence: list\n", "list" },
		{ "From: a@example.com\nList-Id: <kuliah.unej.ac.id>\n", "list" },
		{ "From: a@example.com\nList-Unsubscribe: <mailto:u@example.com>\n", "list" },
		{ "From: Mailer-Daemon@example.com\n", "bounce" },
		{ "From: Postmaster <POSTMASTER@example.com>\n", "bounce" },
		{ "From: postmasters@example.com\n", NULL },
		{ "From: a@example.com\nContent-Type: multipart/report; boundary=R\n", "bounce" },
		{ "From: a@example.com\nX-Loop: uc3@unej.ac.id\n", NULL },
	};
	struct uc3_buf msg = UC3_BUF_INIT;
	struct uc3_mail_in m;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uc3_buf_reset(&msg);
		uc3_buf_addf(&msg, "%s\n--R\n\nteks\n--R--\n", cases[i].headers);
		parse_ok(&m, msg.ptr, msg.len);
		if (cases[i].word == NULL ? m.automatic != NULL
					  : !m.automatic || strcmp(m.automatic, cases[i].word))
			fail_msg("%s: automatic %s, want %s", cases[i].headers,
				 m.automatic ? m.automatic : "NULL",
				 cases[i].word ? cases[i].word : "NULL");
		uc3_mail_in_release(&m);
	}
	uc3_buf_release(&msg);
}

static void
ids_are_normalised_and_bad_ones_dropped(void **state)
{
	struct uc3_mail_in m;

	parse_text(&m, "From: a@example.com\nMessage-ID: (komentar) <satu@example.com> sisa\n"
		       "In-Reply-To: tanpa-kurung@example.com\n"
		       "References: <a b@example.com> <dua@example.com> <tanpa-at>\n"
		       " <\xc3\xa9@example.com> <tiga@example.com\n\n");
	assert_string_equal(m.message_id, "<satu@example.com>");
	assert_string_equal(m.in_reply_to, "<tanpa-kurung@example.com>");
	assert_int_equal(m.nreferences, 1);
	assert_string_equal(m.references[0], "<dua@example.com>");
	uc3_mail_in_release(&m);
}

static void
subject_and_name_are_one_line(void **state)
{
	struct uc3_mail_in m;

	parse_text(&m, "From: =?utf-8?q?Siti=0AAminah=E2=80=A8?= \"x\" <a@example.com>\n"
		       "Subject: =?utf-8?b?c2F0dQ1kdWEJdGlnYeKAqWVtcGF0?=\n\t  lima  \n\n");
	assert_string_equal(m.from_name, "Siti Aminah  x");
	assert_string_equal(m.subject, "satu dua tiga empat   lima");
	uc3_mail_in_release(&m);
}

static void
from_with_blanks_before_its_colon_is_no_mbox_line(void **state)
{
	struct uc3_mail_in m;

	parse_text(&m, "From : Siti <siti@example.com>\nSubject: x\n\nteks\n");
	assert_string_equal(m.from_email, "siti@example.com");
	assert_string_equal(m.from_name, "Siti");
	assert_string_equal(m.subject, "x");
	uc3_mail_in_release(&m);
}

static void
the_name_is_that_of_the_mailbox_taken(void **state)
{
	struct uc3_mail_in m;

	parse_text(&m, "From: Bukan Alamat <tanpa-at>, \"Hartono, Rudi\" <rudi@example.com>\n\n");
	assert_string_equal(m.from_email, "rudi@example.com");
	assert_string_equal(m.from_name, "Hartono, Rudi");
	uc3_mail_in_release(&m);
	parse_text(&m, "From: rudi@example.com (Rudi Hartono)\n\n");
	assert_string_equal(m.from_name, "Rudi Hartono");
	uc3_mail_in_release(&m);
}

static void
release_of_an_empty_result_does_nothing(void **state)
{
	struct uc3_mail_in m;

	memset(&m, 0, sizeof(m));
	uc3_mail_in_release(&m);
	uc3_mail_in_release(NULL);
}

/*
 * 30 MB: a body of 400,000 lines, 100,000 references and 4 MB of "=?"
 * in the subject. Linear work takes about a second; anything quadratic
 * would take hours, so a minute is a generous bound even under ASan.
 */
static void
a_big_message_is_read_in_linear_time(void **state)
{
	struct uc3_buf msg = UC3_BUF_INIT;
	struct uc3_mail_in m;
	clock_t t0;
	size_t i;

	uc3_buf_adds(&msg, "From: Besar <besar@example.com>\nSubject: ");
	for (i = 0; i < 400000; i++)
		uc3_buf_adds(&msg, "=?utf-8?q?x");
	uc3_buf_adds(&msg, "\nReferences:");
	for (i = 0; i < 100000; i++)
		uc3_buf_addf(&msg, "\n <r%zu@example.com>", i);
	uc3_buf_adds(&msg, "\nContent-Type: text/html\n\n");
	for (i = 0; i < 400000; i++)
		uc3_buf_adds(&msg,
			     "<div>Pembayaran UKT belum terverifikasi &amp; <head>x</div>\r\n");
	assert_true(msg.len > 25 * 1024 * 1024);
	t0 = clock();
	parse_ok(&m, msg.ptr, msg.len);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 60.0);
	assert_int_equal(m.nreferences, 100000);
	assert_string_equal(m.references[99999], "<r99999@example.com>");
	assert_starts(m.body, "Pembayaran UKT belum terverifikasi & x\nPembayaran UKT");
	assert_int_equal(strlen(m.body),
			 400000 * strlen("Pembayaran UKT belum terverifikasi & x\n"));
	uc3_mail_in_release(&m);
	uc3_buf_release(&msg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(thunderbird_alternative_takes_the_plain_text),
		cmocka_unit_test(gmail_html_only_is_made_text),
		cmocka_unit_test(base64_body_is_decoded),
		cmocka_unit_test(quoted_printable_body_is_decoded),
		cmocka_unit_test(latin1_header_and_body_are_converted),
		cmocka_unit_test(windows_1252_curly_quotes_are_converted),
		cmocka_unit_test(split_encoded_words_make_whole_characters),
		cmocka_unit_test(attachments_are_parts_with_decoded_names),
		cmocka_unit_test(inline_image_is_a_part_without_a_name),
		cmocka_unit_test(text_split_around_an_image_is_one_body),
		cmocka_unit_test(forwarded_message_is_an_eml_part),
		cmocka_unit_test(no_subject_is_null),
		cmocka_unit_test(no_message_id_nor_date),
		cmocka_unit_test(raw_8bit_headers_become_utf8),
		cmocka_unit_test(malformed_headers_lose_only_what_is_malformed),
		cmocka_unit_test(auto_reply_is_automatic_with_its_loop),
		cmocka_unit_test(bounce_is_automatic_and_keeps_its_report),
		cmocka_unit_test(crlf_line_ends_become_lf),
		cmocka_unit_test(indonesian_reply_after_an_mbox_from_line),
		cmocka_unit_test(refuses_what_is_not_a_message),
		cmocka_unit_test(a_nul_in_the_body_is_dropped),
		cmocka_unit_test(body_controls_go_and_bad_bytes_are_marked),
		cmocka_unit_test(an_empty_body_is_empty),
		cmocka_unit_test(html_entities_and_breaks),
		cmocka_unit_test(text_plain_wins_over_an_earlier_html_part),
		cmocka_unit_test(automatic_mail_is_told_apart),
		cmocka_unit_test(ids_are_normalised_and_bad_ones_dropped),
		cmocka_unit_test(subject_and_name_are_one_line),
		cmocka_unit_test(from_with_blanks_before_its_colon_is_no_mbox_line),
		cmocka_unit_test(the_name_is_that_of_the_mailbox_taken),
		cmocka_unit_test(release_of_an_empty_result_does_nothing),
		cmocka_unit_test(a_big_message_is_read_in_linear_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
