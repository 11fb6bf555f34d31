#!/bin/sh
# gen.sh N DIR [--bare] [--open PCT] [--seed S]
#
# Create a records repository at DIR holding N tickets, fast: `uc3 init`
# makes the repository (so the policy, README and templates are uc3's),
# then one `git fast-import` stream adds the tickets on top of the branch,
# one commit per month of receipt. 100,000 tickets take seconds.
#
# The tickets are in the canonical layout uc3 writes (DESIGN section 4,
# byte for byte what uc3_ticket_format emits; tests/bench/canon.c checks
# that): received on business time (Mon-Fri 07:30-16:00, +07:00) spread
# evenly from 2025-01-01 to 2026-12-29, ids numbered per year in order of receipt,
# kinds, channels, requesters and Indonesian subjects varied. PCT percent
# (default 1) are open at staf with a deadline; the rest are closed, with
# a unit, an answer and the events new, answer, deliver, close.
#
#   --bare     a bare repository (uc3 init --bare)
#   --open P   percent of tickets left open (default 1; 0..100, decimals ok)
#   --seed S   seed of the pseudo-random choices (default 1)
#
# The tools are taken from $UC3_BIN (a directory), else from the build
# next to this script (../../build/bin). DIR must not exist or be empty.
set -eu

usage() {
	echo "usage: gen.sh N DIR [--bare] [--open PCT] [--seed S]" >&2
	exit 2
}

[ $# -ge 2 ] || usage
N=$1 DIR=$2
shift 2
BARE= OPEN=1 SEED=1
while [ $# -gt 0 ]; do
	case $1 in
	--bare) BARE=--bare ;;
	--open) [ $# -ge 2 ] || usage; OPEN=$2; shift ;;
	--open=*) OPEN=${1#--open=} ;;
	--seed) [ $# -ge 2 ] || usage; SEED=$2; shift ;;
	--seed=*) SEED=${1#--seed=} ;;
	*) usage ;;
	esac
	shift
done
case $N in '' | *[!0-9]*) echo "gen.sh: N must be a number: $N" >&2; exit 2 ;; esac
case $OPEN in '' | *[!0-9.]*) echo "gen.sh: --open must be a percentage: $OPEN" >&2; exit 2 ;; esac
case $SEED in '' | *[!0-9]*) echo "gen.sh: --seed must be a number: $SEED" >&2; exit 2 ;; esac

HERE=$(cd "$(dirname "$0")" && pwd)
UC3_BIN=${UC3_BIN:-$HERE/../../build/bin}
UC3_BIN=$(cd "$UC3_BIN" && pwd)
[ -x "$UC3_BIN/uc3" ] || { echo "gen.sh: no uc3 in $UC3_BIN (make first)" >&2; exit 2; }
PATH=$UC3_BIN:$PATH
export PATH

if [ -e "$DIR" ] && [ -n "$(ls -A "$DIR" 2>/dev/null)" ]; then
	echo "gen.sh: $DIR exists and is not empty" >&2
	exit 2
fi

ms() { echo $(( $(date +%s%N) / 1000000 )); }

t0=$(ms)
uc3 init $BARE "$DIR" >/dev/null
GIT_DIR=$(git -C "$DIR" rev-parse --absolute-git-dir)
REF=$(git --git-dir="$GIT_DIR" symbolic-ref HEAD)
TIP=$(git --git-dir="$GIT_DIR" rev-parse --verify HEAD)
NAME=$(git --git-dir="$GIT_DIR" config user.name || echo "uc3 bench")
EMAIL=$(git --git-dir="$GIT_DIR" config user.email || echo "bench@example.invalid")
t1=$(ms)

# The stream. Everything is ASCII, so string length is byte length.
perl -e '
use strict; use warnings; use integer;
my ($n, $open, $seed, $ref, $tip, $name, $email) = @ARGV;
srand($seed);
my $openx = do { no integer; int($open * 1000 + 0.5) };  # open per 100,000
my $tz = 7 * 3600;                          # +07:00, the policy zone
my $daylen = 30600;                         # 07:30-16:00, seconds
my $daystart = 27000;                       # 07:30

# Business days from 2025-01-01 to 2026-12-29 (the default policy has no
# holidays); the benchmarks write at 2026-12-30, after all of them.
# 2025-01-01 00:00 UTC is 1735689600; it was a Wednesday.
my @days;
for my $d (0 .. 727) {
	my $wd = (3 + $d) % 7;                  # 0 Sunday
	push @days, 1735689600 + $d * 86400 if $wd >= 1 && $wd <= 5;
}
my $total = @days * $daylen;

sub stamp {                                 # local epoch -> RFC 3339
	no integer;
	my @t = gmtime($_[0]);
	sprintf("%04d-%02d-%02dT%02d:%02d:%02d+07:00",
	    $t[5] + 1900, $t[4] + 1, $t[3], $t[2], $t[1], $t[0]);
}
# Business position -> local epoch: a start is at or after 07:30, an end
# (a due time) may be 16:00 of its own day, as uc3 counts it.
sub at_start { my $p = shift; $days[$p / $daylen] + $daystart + $p % $daylen }
sub at_end {
	my $p = shift;
	my $d = ($p - 1) / $daylen;
	$days[$d] + $daystart + ($p - $d * $daylen);
}
# The step an event ended, a block mapping as uc3 writes it.
sub step {
	my ($name, $due, $at) = @_;
	"  step:\n    name: $name\n    due: " . stamp(at_end($due)) .
	    "\n    late: " . ($at > $due ? "true" : "false") . "\n";
}

my @kinds = (("pertanyaan") x 5, ("keluhan") x 3, "saran", "lainnya");
my @channels = (("email") x 4, ("telepon") x 2, "langsung", "surat", "web",
    "media-sosial");
my @first = qw(Siti Ahmad Dewi Budi Rina Agus Nur Eko Wahyu Fitri Rizky Indah
    Dimas Ayu Hendra Putri Fajar Lestari Yusuf Anisa Bayu Ratna Joko Maya);
my @last = qw(Aminah Santoso Lestari Wijaya Rahmawati Hidayat Kurniawan
    Pratama Saputra Susanti Nugroho Handayani Setiawan Maharani Firmansyah
    Utami Prasetyo Wulandari Hakim Permata);
my @domains = qw(gmail.com yahoo.co.id mail.unej.ac.id students.unej.ac.id);
my @topics = ("Pembayaran UKT", "Jadwal wisuda", "Legalisir ijazah",
    "Kartu tanda mahasiswa", "Akses SISTER", "Beasiswa KIP Kuliah",
    "Parkir kendaraan", "Peminjaman ruang", "Nilai KHS", "Surat keterangan aktif",
    "Wifi kampus", "Pendaftaran KKN", "Transkrip nilai", "Cuti akademik",
    "Layanan perpustakaan", "Kebersihan toilet", "Email institusi",
    "Pengajuan judul skripsi", "Tagihan asrama", "Portal SIAKAD");
my @issues = ("belum terverifikasi", "tidak dapat diakses", "terlambat diproses",
    "belum diterima", "tidak sesuai", "mohon informasi", "perlu diperbaiki",
    "masih bermasalah", "belum ada jawaban", "minta penjelasan");
my @sentences = (
    "Saya sudah mengirim bukti pembayaran minggu lalu.",
    "Mohon bantuan untuk memeriksa data saya.",
    "Sudah beberapa kali saya datang ke bagian terkait.",
    "Sistem menampilkan pesan galat setiap kali saya masuk.",
    "Terima kasih atas perhatian Bapak dan Ibu.",
    "Saya mahasiswa angkatan 2023 program studi Ilmu Hukum.",
    "Batas waktu pendaftaran sudah dekat.",
    "Mohon kabar secepatnya melalui email ini.");
my @answers = (
    "Data Saudara sudah kami periksa dan diperbaiki oleh bagian terkait.",
    "Silakan datang ke loket layanan pada jam kerja dengan membawa KTM.",
    "Permohonan sudah diteruskan dan akan selesai dalam tiga hari kerja.",
    "Informasi lengkap tersedia di laman resmi universitas.");
my @units = ("Bagian Keuangan", "Bagian Akademik", "Bagian Kemahasiswaan",
    "UPT TIK", "UPT Perpustakaan", "Bagian Umum",
    "Fakultas Hukum", "Fakultas Ekonomi dan Bisnis");
my @staff = map { "humas$_\@unej.ac.id" } 1 .. 4;

sub pick { $_[rand @_] }
sub block {                                 # a literal block, indented 2
	join("", map { $_ eq "" ? "\n" : "  $_\n" } @_);
}

my $now = time;
my %seq;                                    # per-year id counter
my ($month, @files);
my $mark = 0;

sub flush {
	return unless @files;
	my $msg = "Import " . scalar(@files) . " tickets received in $month\n\n" .
	    "Generated by tests/bench/gen.sh for benchmarks.\n";
	print "commit $ref\n";
	print "mark :", ++$mark, "\n";
	print "committer $name <$email> $now +0700\n";
	print "data ", length($msg), "\n", $msg;
	print "from $tip\n" if $mark == 1;
	print @files;
	print "\n";
	@files = ();
}

my $step = $total / ($n || 1);
for my $i (0 .. $n - 1) {
	my $pos = $i * $step + rand($step / 2 + 1);
	$pos = $total - 600 if $pos > $total - 600;
	my $rec = at_start($pos);
	my $received = stamp($rec);
	my ($yyyy, $mm) = $received =~ /^(\d{4})-(\d\d)/;
	if (!defined $month || "$yyyy-$mm" ne $month) {
		flush();
		$month = "$yyyy-$mm";
	}
	my $id = sprintf("UC3-%s-%04d", $yyyy, ++$seq{$yyyy});
	my $f = pick(@first); my $l = pick(@last);
	my $mail = lc("$f.$l") . "\@" . pick(@domains);
	my $by = pick(@staff);
	my $open_t = rand(100000) < $openx;
	my $y = "id: $id\n" .
	    "subject: " . pick(@topics) . " " . pick(@issues) . "\n" .
	    "kind: " . pick(@kinds) . "\n" .
	    "channel: " . pick(@channels) . "\n" .
	    "requester:\n  name: $f $l\n  email: $mail\n";
	my @body = (pick(@sentences), pick(@sentences));
	push @body, "", pick(@sentences) if rand(2) >= 1;
	if ($open_t) {
		$y .= "received: $received\nstatus: open\nlevel: staf\n" .
		    "deadline: " . stamp(at_end($pos + 300)) . "\n" .
		    "body: |\n" . block(@body) .
		    "events:\n- at: $received\n  by: $by\n  action: new\n";
	} else {
		my $ans = $pos + 60 + rand(600);
		my $del = $ans + 60 + rand(300);
		my $clo = $del + 30 + rand(300);
		$clo = $total - 1 if $clo >= $total;
		$del = $clo - 1 if $del >= $clo;
		$ans = $del - 1 if $ans >= $del;
		$y .= "unit: " . pick(@units) . "\n" .
		    "received: $received\nstatus: closed\n" .
		    "body: |\n" . block(@body) .
		    "answer: |\n" . block(pick(@answers)) .
		    "events:\n- at: $received\n  by: $by\n  action: new\n" .
		    "- at: " . stamp(at_start($ans)) . "\n  by: $by\n  action: answer\n" .
		    step("staf", $pos + 300, $ans) .
		    "- at: " . stamp(at_start($del)) . "\n  by: $by\n  action: deliver\n" .
		    step("deliver", $ans + 300, $del) .
		    "- at: " . stamp(at_start($clo)) . "\n  by: $by\n  action: close\n" .
		    step("archive", $del + 300, $clo);
	}
	push @files, "M 100644 inline tickets/$yyyy/$mm/$id.yaml\ndata " .
	    length($y) . "\n" . $y . "\n";
}
flush();
print "done\n";
' "$N" "$OPEN" "$SEED" "$REF" "$TIP" "$NAME" "$EMAIL" |
	git --git-dir="$GIT_DIR" fast-import --quiet --done
t2=$(ms)

if [ -z "$BARE" ]; then
	# The work tree and index as they would be after the commits.
	git -C "$DIR" reset -q --hard
fi
t3=$(ms)

echo "gen.sh: $N tickets in $DIR${BARE:+ (bare)}:" \
	"init $((t1 - t0)) ms, fast-import $((t2 - t1)) ms," \
	"$(if [ -n "$BARE" ]; then echo "no checkout"; else echo "checkout $((t3 - t2)) ms"; fi), total $((t3 - t0)) ms"
