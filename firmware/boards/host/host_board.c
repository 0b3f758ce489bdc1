/*
 * host_board.c - the host board: the TinyStudio runtime as a native process serving the runner
 * protocol on a pseudo-terminal, for fast tests. It prints "TSR_PTY <path>" on stdout, then runs the
 * runner on a statically allocated, painted stack so STACK reports a real peak. Counter: microseconds.
 * `--sensor-tape FILE` makes the simulated sensor play the recordings in FILE (a tape, tsr_sim_sensor.h).
 */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <signal.h>
#include <sys/prctl.h>
#endif

#include "tsr_hal.h"
#include "tsr_runner.h"
#include "tsr_sim_sensor.h"

#define HOST_STACK_BYTES (512u * 1024u)

static uint32_t g_stack[HOST_STACK_BYTES / 4u] __attribute__((aligned(64)));
static int g_master = -1;
static tsr_board_info_t g_board = {
    "host", 1000000u, TSR_COUNTER_MICROSECONDS, 0u, 0u, 0u, 0u,
    g_stack, g_stack + HOST_STACK_BYTES / 4u,
};

void tsr_hal_init(void) {}

const tsr_board_info_t *tsr_hal_board(void) { return &g_board; }

int tsr_hal_uart_getc(void)
{
    for (;;) {
        unsigned char b;
        ssize_t n = read(g_master, &b, 1);
        if (n == 1) {
            return b;
        }
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue;
        }
        return -1;
    }
}

int tsr_hal_uart_poll(void)
{
    struct pollfd p;
    unsigned char b;
    p.fd = g_master;
    p.events = POLLIN;
    p.revents = 0;
    if (poll(&p, 1, 0) == 1 && (p.revents & POLLIN) && read(g_master, &b, 1) == 1) {
        return b;
    }
    return -1;
}

void tsr_hal_uart_write(const uint8_t *data, size_t len)
{
    while (len > 0u) {
        ssize_t n = write(g_master, data, len);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) {
                continue;
            }
            return;
        }
        data += n;
        len -= (size_t)n;
    }
}

uint32_t tsr_hal_counter(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint32_t)((uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u);
}

uint32_t tsr_hal_sensor_read(float *values, uint32_t max_values)
{
    return tsr_sim_sensor_read(values, max_values);
}

void tsr_hal_delay_us(uint32_t us)
{
    struct timespec ts;
    ts.tv_sec = (time_t)(us / 1000000u);
    ts.tv_nsec = (long)(us % 1000000u) * 1000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

void tsr_hal_exit(int code) { exit(code); }

static void make_raw(int fd)
{
    struct termios t;
    if (tcgetattr(fd, &t) != 0) {
        return;
    }
    t.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    t.c_oflag &= ~(tcflag_t)OPOST;
    t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    t.c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
    t.c_cflag |= CS8;
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    tcsetattr(fd, TCSANOW, &t);
}

static void *serve(void *arg)
{
    (void)arg;
    tsr_hal_init();
    tsr_runner_run();
    return NULL;
}

/* Map the tape file read-only for the simulated sensor (no copy, no allocation). */
static int load_tape(const char *path)
{
    struct stat st;
    void *map;
    int fd = open(path, O_RDONLY);
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size < 16) {
        fprintf(stderr, "host board: cannot read the sensor tape %s\n", path);
        return -1;
    }
    map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) {
        fprintf(stderr, "host board: cannot map the sensor tape %s\n", path);
        return -1;
    }
    tsr_sim_sensor_use_tape(map, (size_t)st.st_size);
    return 0;
}

int main(int argc, char **argv)
{
    pthread_attr_t attr;
    pthread_t thread;
    const char *name;
    int slave;
    size_t i;
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
    if (argc == 3 && strcmp(argv[1], "--sensor-tape") == 0 && load_tape(argv[2]) != 0) {
        return 2;
    }
    g_master = posix_openpt(O_RDWR | O_NOCTTY);
    if (g_master < 0 || grantpt(g_master) != 0 || unlockpt(g_master) != 0) {
        fprintf(stderr, "host board: cannot open a pseudo-terminal\n");
        return 2;
    }
    name = ptsname(g_master);
    if (name == NULL) {
        fprintf(stderr, "host board: no pseudo-terminal name\n");
        return 2;
    }
    /* Keep the slave open ourselves: raw mode from the start, and no EIO while no client is attached. */
    slave = open(name, O_RDWR | O_NOCTTY);
    if (slave < 0) {
        fprintf(stderr, "host board: cannot open %s\n", name);
        return 2;
    }
    make_raw(slave);
    for (i = 0; i < HOST_STACK_BYTES / 4u; i++) {
        g_stack[i] = TSR_STACK_PAINT;
    }
    printf("TSR_PTY %s\n", name);
    fflush(stdout);
    if (pthread_attr_init(&attr) != 0 || pthread_attr_setstack(&attr, g_stack, sizeof(g_stack)) != 0 ||
        pthread_create(&thread, &attr, serve, NULL) != 0) {
        fprintf(stderr, "host board: cannot start the runner thread\n");
        return 2;
    }
    pthread_join(thread, NULL);
    close(slave);
    return 0;
}
