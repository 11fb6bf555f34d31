#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"

static int
devnull_to(int fd, int flags)
{
	int n = open("/dev/null", flags);

	if (n < 0)
		return -1;
	if (n != fd) {
		dup2(n, fd);
		close(n);
	}
	return 0;
}

/*
 * The child reports a failed exec through a close-on-exec pipe, so the
 * parent can say "cannot run gpg: No such file or directory" instead of
 * a bare exit status 127.
 */
int
uc3_run(int *status, const char *const *argv, const char *in, size_t inlen, struct uc3_buf *out,
	struct uc3_buf *err)
{
	return uc3_run_at(status, argv, NULL, NULL, in, inlen, out, err);
}

int
uc3_run_at(int *status, const char *const *argv, const char *dir, const char *const *env,
	   const char *in, size_t inlen, struct uc3_buf *out, struct uc3_buf *err)
{
	int pin[2] = { -1, -1 }, pout[2], perr[2], pexec[2];
	struct sigaction ign, old;
	size_t written = 0;
	pid_t pid;
	int st, e = 0;
	ssize_t n;

	if (pipe2(pout, O_CLOEXEC) || pipe2(perr, O_CLOEXEC) || pipe2(pexec, O_CLOEXEC))
		return uc3_error_set(UC3_ERROR, "cannot run %s: %s", argv[0], strerror(errno));
	if (in && pipe2(pin, O_CLOEXEC))
		return uc3_error_set(UC3_ERROR, "cannot run %s: %s", argv[0], strerror(errno));

	pid = fork();
	if (pid < 0)
		return uc3_error_set(UC3_ERROR, "cannot run %s: %s", argv[0], strerror(errno));
	if (pid == 0) {
		if (in)
			dup2(pin[0], 0);
		else
			devnull_to(0, O_RDONLY);
		dup2(pout[1], 1);
		dup2(perr[1], 2);
		for (; env && *env; env++) {
			const char *eq = strchr(*env, '=');

			if (eq)
				putenv((char *)*env);
			else
				unsetenv(*env);
		}
		if (dir && chdir(dir) < 0) {
			e = errno;
			if (write(pexec[1], &e, sizeof(e)) < 0)
				_exit(127);
			_exit(127);
		}
		execvp(argv[0], (char *const *)argv);
		e = errno;
		if (write(pexec[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(pexec[1]);
	close(pout[1]);
	close(perr[1]);
	if (in) {
		close(pin[0]);
		/*
		 * Never block on the input: a child that writes as much as it
		 * reads waits for us to read its output meanwhile.
		 */
		fcntl(pin[1], F_SETFL, O_NONBLOCK);
	}

	/* A signer that dies before reading its input must not kill us. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old);

	{
		struct pollfd pfd[3];
		int open_out = 1, open_err = 1, open_in = in ? 1 : 0;
		char chunk[65536];

		if (in && inlen == 0) {
			close(pin[1]);
			open_in = 0;
		}
		while (open_out || open_err || open_in) {
			int np = 0, iout = -1, ierr = -1, iin = -1;

			if (open_out) {
				pfd[np].fd = pout[0];
				pfd[np].events = POLLIN;
				iout = np++;
			}
			if (open_err) {
				pfd[np].fd = perr[0];
				pfd[np].events = POLLIN;
				ierr = np++;
			}
			if (open_in) {
				pfd[np].fd = pin[1];
				pfd[np].events = POLLOUT;
				iin = np++;
			}
			if (poll(pfd, (nfds_t)np, -1) < 0) {
				if (errno == EINTR)
					continue;
				break;
			}
			if (iout >= 0 && pfd[iout].revents) {
				n = read(pout[0], chunk, sizeof(chunk));
				if (n > 0) {
					if (out)
						uc3_buf_add(out, chunk, (size_t)n);
				} else if (n == 0 || errno != EINTR) {
					close(pout[0]);
					open_out = 0;
				}
			}
			if (ierr >= 0 && pfd[ierr].revents) {
				n = read(perr[0], chunk, sizeof(chunk));
				if (n > 0) {
					if (err)
						uc3_buf_add(err, chunk, (size_t)n);
				} else if (n == 0 || errno != EINTR) {
					close(perr[0]);
					open_err = 0;
				}
			}
			if (iin >= 0 && pfd[iin].revents) {
				n = write(pin[1], in + written, inlen - written);
				if (n > 0)
					written += (size_t)n;
				if ((n < 0 && errno != EINTR && errno != EAGAIN) ||
				    written == inlen) {
					close(pin[1]);
					open_in = 0;
				}
			}
		}
	}
	sigaction(SIGPIPE, &old, NULL);

	n = read(pexec[0], &e, sizeof(e));
	close(pexec[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (n == (ssize_t)sizeof(e))
		return uc3_error_set(UC3_ERROR, "cannot run %s: %s", argv[0], strerror(e));
	if (WIFEXITED(st))
		*status = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		*status = 128 + WTERMSIG(st);
	else
		*status = 255;
	return 0;
}

int
uc3_run_interactive(int *status, const char *cmd, const char *arg)
{
	struct uc3_buf script = UC3_BUF_INIT;
	pid_t pid;
	int st;

	uc3_buf_addf(&script, "%s \"$@\"", cmd);
	pid = fork();
	if (pid < 0) {
		uc3_buf_release(&script);
		return uc3_error_set(UC3_ERROR, "cannot run %s: %s", cmd, strerror(errno));
	}
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", script.ptr, cmd, arg, (char *)NULL);
		_exit(127);
	}
	uc3_buf_release(&script);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	if (*status == 127)
		return uc3_error_set(UC3_ERROR, "cannot run editor '%s'", cmd);
	return 0;
}

void
uc3_run_background(const char *const *argv)
{
	pid_t pid = fork();

	if (pid < 0)
		return;
	if (pid == 0) {
		/* Double fork: the grandchild is nobody's zombie. */
		if (fork() != 0)
			_exit(0);
		setsid();
		devnull_to(0, O_RDONLY);
		devnull_to(1, O_WRONLY);
		devnull_to(2, O_WRONLY);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}
