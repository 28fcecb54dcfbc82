/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * faultfs: a FUSE file system for tests that need real I/O errors from the
 * kernel. It shows two files: "disk", a regular file whose data lives in a
 * backing file given on the command line, and "control", through which a
 * test changes the faults while the disk stays open. A read (write) request
 * that touches the configured read (write) byte range fails with EIO, and
 * fsync can be made to fail too; nothing is transferred by a failed request.
 * Runs in the foreground, single-threaded, until it is sent SIGTERM or
 * SIGINT (or its parent dies), and unmounts on the way out.
 *
 * Usage: faultfs [options] <backing file> <mount point>
 *   --read-fault OFF:LEN   fail reads touching bytes OFF .. OFF+LEN-1
 *   --write-fault OFF:LEN  fail writes touching that range
 *   --fsync-fault          fail fsync and fdatasync of the disk
 *   --no-direct            refuse opens with O_DIRECT (EINVAL), as some
 *                          file systems do
 *   --writeback            let the kernel cache writes (FUSE writeback
 *                          cache): they fail only when written back
 *   --verbose              print each injected failure on stderr
 *
 * The control file. Writing commands to it, one per line, changes the faults:
 *
 *   | command            | effect                                        |
 *   |--------------------|-----------------------------------------------|
 *   | read OFF LEN       | fail reads touching [OFF, OFF+LEN); LEN 0: off |
 *   | write OFF LEN      | the same for writes                           |
 *   | fsync 0|1          | fail fsync of the disk, or stop failing it    |
 *   | clear              | no faults at all                              |
 *
 * A write with a malformed command fails with EINVAL and changes nothing.
 * Reading the control file returns the state, one "name value..." per line:
 * read OFF LEN, write OFF LEN, fsync 0|1, then the counters read_errors,
 * write_errors and fsync_errors (requests failed so far).
 */

#define FUSE_USE_VERSION 31

#include "spdk/stdinc.h"

#include <getopt.h>
#include <sys/prctl.h>
#include <fuse.h>

#include "spdk/util.h"

#define FAULTFS_DISK "/disk"
#define FAULTFS_CONTROL "/control"
/* Longest control write and state text. */
#define FAULTFS_TEXT_MAX 512

/* One fault range; len 0 means none. */
struct faultfs_range {
	uint64_t off;
	uint64_t len;
};

/* All state; the file system runs single-threaded, so no lock. */
struct faultfs {
	/* The backing file, open for reading and writing. */
	int fd;
	struct faultfs_range read_fault;
	struct faultfs_range write_fault;
	bool fsync_fault;
	/* Requests failed on purpose. */
	uint64_t read_errors;
	uint64_t write_errors;
	uint64_t fsync_errors;
	bool no_direct;
	bool writeback;
	bool verbose;
};

static struct faultfs g_fs = {.fd = -1};

static bool
faultfs_hits(const struct faultfs_range *r, uint64_t off, uint64_t len)
{
	return r->len != 0 && len != 0 && off < r->off + r->len && r->off < off + len;
}

static int
faultfs_parse_u64(const char *s, char **end, uint64_t *v)
{
	unsigned long long x;

	errno = 0;
	x = strtoull(s, end, 0);
	if (errno != 0 || *end == s || s[0] == '-') {
		return -EINVAL;
	}
	*v = x;
	return 0;
}

/* "OFF:LEN" from the command line. */
static int
faultfs_parse_range(const char *s, struct faultfs_range *r)
{
	char *end;

	if (faultfs_parse_u64(s, &end, &r->off) != 0 || *end != ':' ||
	    faultfs_parse_u64(end + 1, &end, &r->len) != 0 || *end != '\0') {
		return -EINVAL;
	}
	return 0;
}

/* Apply every line of \p text, or none of them when one is malformed. */
static int
faultfs_control_apply(const char *text, size_t len)
{
	struct faultfs_range rf = g_fs.read_fault, wf = g_fs.write_fault;
	bool ff = g_fs.fsync_fault;
	char buf[FAULTFS_TEXT_MAX + 1], *line, *next, *end;
	uint64_t v;

	if (len > FAULTFS_TEXT_MAX) {
		return -EINVAL;
	}
	memcpy(buf, text, len);
	buf[len] = '\0';
	for (line = buf; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL) {
			*next++ = '\0';
		}
		if (line[0] == '\0') {
			continue;
		}
		if (strncmp(line, "read ", 5) == 0 || strncmp(line, "write ", 6) == 0) {
			struct faultfs_range *r = line[0] == 'r' ? &rf : &wf;
			char *p = strchr(line, ' ') + 1;

			if (faultfs_parse_u64(p, &end, &r->off) != 0 || *end != ' ' ||
			    faultfs_parse_u64(end + 1, &end, &r->len) != 0 || *end != '\0') {
				goto bad;
			}
		} else if (strncmp(line, "fsync ", 6) == 0) {
			if (faultfs_parse_u64(line + 6, &end, &v) != 0 || *end != '\0' || v > 1) {
				goto bad;
			}
			ff = v == 1;
		} else if (strcmp(line, "clear") == 0) {
			memset(&rf, 0, sizeof(rf));
			memset(&wf, 0, sizeof(wf));
			ff = false;
		} else {
			goto bad;
		}
	}
	g_fs.read_fault = rf;
	g_fs.write_fault = wf;
	g_fs.fsync_fault = ff;
	return 0;
bad:
	fprintf(stderr, "faultfs: bad control command '%s'\n", line);
	return -EINVAL;
}

static int
faultfs_control_text(char *buf, size_t size)
{
	return snprintf(buf, size,
			"read %" PRIu64 " %" PRIu64 "\nwrite %" PRIu64 " %" PRIu64 "\nfsync %d\n"
			"read_errors %" PRIu64 "\nwrite_errors %" PRIu64 "\nfsync_errors %" PRIu64
			"\n",
			g_fs.read_fault.off, g_fs.read_fault.len, g_fs.write_fault.off,
			g_fs.write_fault.len, g_fs.fsync_fault ? 1 : 0, g_fs.read_errors,
			g_fs.write_errors, g_fs.fsync_errors);
}

/* ---- FUSE operations ---- */

static void *
faultfs_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	if (g_fs.writeback) {
		if (conn->capable & FUSE_CAP_WRITEBACK_CACHE) {
			conn->want |= FUSE_CAP_WRITEBACK_CACHE;
		} else {
			fprintf(stderr, "faultfs: the kernel has no FUSE writeback cache\n");
		}
	}
	return NULL;
}

static int
faultfs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	struct stat bst;

	memset(st, 0, sizeof(*st));
	st->st_uid = getuid();
	st->st_gid = getgid();
	if (strcmp(path, "/") == 0) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		return 0;
	}
	if (strcmp(path, FAULTFS_CONTROL) == 0) {
		st->st_mode = S_IFREG | 0600;
		st->st_nlink = 1;
		return 0;
	}
	if (strcmp(path, FAULTFS_DISK) == 0) {
		if (fstat(g_fs.fd, &bst) != 0) {
			return -errno;
		}
		st->st_mode = S_IFREG | 0600;
		st->st_nlink = 1;
		st->st_size = bst.st_size;
		st->st_blocks = bst.st_blocks;
		st->st_blksize = 4096;
		st->st_mtim = bst.st_mtim;
		st->st_ctim = bst.st_ctim;
		return 0;
	}
	return -ENOENT;
}

static int
faultfs_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t off,
		struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	if (strcmp(path, "/") != 0) {
		return -ENOTDIR;
	}
	filler(buf, ".", NULL, 0, 0);
	filler(buf, "..", NULL, 0, 0);
	/* The names without their leading '/'. */
	filler(buf, &FAULTFS_DISK[1], NULL, 0, 0);
	filler(buf, &FAULTFS_CONTROL[1], NULL, 0, 0);
	return 0;
}

static int
faultfs_open(const char *path, struct fuse_file_info *fi)
{
	if (strcmp(path, FAULTFS_CONTROL) == 0) {
		/* Every read and write reaches this process, whatever the size. */
		fi->direct_io = 1;
		return 0;
	}
	if (strcmp(path, FAULTFS_DISK) != 0) {
		return -ENOENT;
	}
	if (g_fs.no_direct && (fi->flags & O_DIRECT) != 0) {
		return -EINVAL;
	}
	return 0;
}

static int
faultfs_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	char text[FAULTFS_TEXT_MAX];
	ssize_t n;
	int len;

	if (strcmp(path, FAULTFS_CONTROL) == 0) {
		len = faultfs_control_text(text, sizeof(text));
		if (off >= len) {
			return 0;
		}
		n = spdk_min((ssize_t)size, (ssize_t)(len - off));
		memcpy(buf, text + off, (size_t)n);
		return (int)n;
	}
	if (faultfs_hits(&g_fs.read_fault, (uint64_t)off, size)) {
		g_fs.read_errors++;
		if (g_fs.verbose) {
			fprintf(stderr, "faultfs: read %zu at %jd: EIO\n", size, (intmax_t)off);
		}
		return -EIO;
	}
	n = pread(g_fs.fd, buf, size, off);
	return n < 0 ? -errno : (int)n;
}

static int
faultfs_write(const char *path, const char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	ssize_t n;
	int rc;

	if (strcmp(path, FAULTFS_CONTROL) == 0) {
		rc = faultfs_control_apply(buf, size);
		return rc != 0 ? rc : (int)size;
	}
	if (faultfs_hits(&g_fs.write_fault, (uint64_t)off, size)) {
		g_fs.write_errors++;
		if (g_fs.verbose) {
			fprintf(stderr, "faultfs: write %zu at %jd: EIO\n", size, (intmax_t)off);
		}
		return -EIO;
	}
	n = pwrite(g_fs.fd, buf, size, off);
	return n < 0 ? -errno : (int)n;
}

static int
faultfs_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	if (strcmp(path, FAULTFS_CONTROL) == 0) {
		return 0;
	}
	return ftruncate(g_fs.fd, size) == 0 ? 0 : -errno;
}

/* The kernel writes cached times back (writeback cache); nothing keeps them. */
static int
faultfs_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi)
{
	return 0;
}

static int
faultfs_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
	if (strcmp(path, FAULTFS_DISK) != 0) {
		return 0;
	}
	if (g_fs.fsync_fault) {
		g_fs.fsync_errors++;
		if (g_fs.verbose) {
			fprintf(stderr, "faultfs: fsync: EIO\n");
		}
		return -EIO;
	}
	return fdatasync(g_fs.fd) == 0 ? 0 : -errno;
}

static const struct fuse_operations g_faultfs_ops = {
	.init = faultfs_init,
	.getattr = faultfs_getattr,
	.readdir = faultfs_readdir,
	.open = faultfs_open,
	.read = faultfs_read,
	.write = faultfs_write,
	.truncate = faultfs_truncate,
	.utimens = faultfs_utimens,
	.fsync = faultfs_fsync,
};

/* ---- command line ---- */

static void
faultfs_usage(FILE *f, const char *prog)
{
	fprintf(f,
		"usage: %s [--read-fault OFF:LEN] [--write-fault OFF:LEN] [--fsync-fault]\n"
		"       [--no-direct] [--writeback] [--verbose] <backing file> <mount point>\n",
		prog);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"read-fault", required_argument, NULL, 'r'},
		{"write-fault", required_argument, NULL, 'w'},
		{"fsync-fault", no_argument, NULL, 's'},
		{"no-direct", no_argument, NULL, 'd'},
		{"writeback", no_argument, NULL, 'b'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	char *fargv[8];
	int c, fargc = 0, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
		case 'w':
			if (faultfs_parse_range(optarg, c == 'r' ? &g_fs.read_fault
								 : &g_fs.write_fault) != 0) {
				fprintf(stderr, "faultfs: bad range '%s' (want OFF:LEN)\n", optarg);
				return 2;
			}
			break;
		case 's':
			g_fs.fsync_fault = true;
			break;
		case 'd':
			g_fs.no_direct = true;
			break;
		case 'b':
			g_fs.writeback = true;
			break;
		case 'v':
			g_fs.verbose = true;
			break;
		case 'h':
			faultfs_usage(stdout, argv[0]);
			return 0;
		default:
			faultfs_usage(stderr, argv[0]);
			return 2;
		}
	}
	if (argc - optind != 2) {
		faultfs_usage(stderr, argv[0]);
		return 2;
	}
	g_fs.fd = open(argv[optind], O_RDWR | O_CLOEXEC);
	if (g_fs.fd < 0) {
		fprintf(stderr, "faultfs: cannot open %s: %s\n", argv[optind], strerror(errno));
		return 1;
	}
	/* Started by a test: go (and unmount) when the test goes, however it ends. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() == 1) {
		close(g_fs.fd);
		return 1;
	}

	fargv[fargc++] = argv[0];
	fargv[fargc++] = "-f";
	fargv[fargc++] = "-s";
	fargv[fargc++] = "-o";
	fargv[fargc++] = "fsname=faultfs,subtype=faultfs";
	fargv[fargc++] = argv[optind + 1];
	fargv[fargc] = NULL;
	rc = fuse_main(fargc, fargv, &g_faultfs_ops, NULL);
	close(g_fs.fd);
	return rc;
}
