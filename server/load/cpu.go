package load

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// cpuSample is processor time used so far: by this process, by the
// server process and by the whole machine (busy and total, from
// /proc/stat). Fields the platform does not provide stay zero.
type cpuSample struct {
	self, server, database time.Duration
	machineBusy, machineT  time.Duration
}

// clockTick is the unit of /proc times (USER_HZ, 100 on Linux).
const clockTick = 10 * time.Millisecond

// Measured is the CPU per round trip of the processes the report names
// (generator, server, database): what the load itself costs, whatever
// else the machine was doing.
func (c CPU) Measured() time.Duration { return c.Generator + c.Server + c.Database }

// Capacity is the round trips a second the machine's cores could carry at
// the measured CPU per round trip, if nothing else ran on them: on a
// machine shared with other work the run itself holds less, but the CPU
// each round trip needs does not depend on what else runs. Zero when the
// server's CPU was not measured (with SQLite the database's is the
// server's).
func (c CPU) Capacity() float64 {
	if c.Cores == 0 || c.Server <= 0 {
		return 0
	}
	return float64(c.Cores) * float64(time.Second) / float64(c.Measured())
}

// loadAverage is the machine's one-minute load average (Linux; 0
// elsewhere).
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(f[0], 64)
	return v
}

func sampleCPU(serverPIDs []int, database, dbName string) cpuSample {
	s := cpuSample{self: selfCPU()}
	for _, pid := range serverPIDs {
		if pid > 0 {
			s.server += procCPU(pid)
		}
	}
	if database != "" {
		s.database = namedCPU(database, dbName)
	}
	s.machineBusy, s.machineT = machineCPU()
	return s
}

// since turns two samples into CPU per round trip.
func (s cpuSample) since(before cpuSample, roundTrips int) CPU {
	if roundTrips == 0 {
		return CPU{}
	}
	per := func(d time.Duration) time.Duration { return d / time.Duration(roundTrips) }
	c := CPU{Cores: runtime.NumCPU(), Generator: per(s.self - before.self), Server: per(s.server - before.server),
		Database: per(s.database - before.database)}
	if total := s.machineT - before.machineT; total > 0 {
		busy := s.machineBusy - before.machineBusy
		c.Machine = per(busy)
		c.MachineBusy = float64(busy) / float64(total)
	}
	return c
}

// procCPU reads user+system time of a process from /proc/PID/stat.
func procCPU(pid int) time.Duration {
	_, d := procStat(strconv.Itoa(pid))
	return d
}

// procStat reads the command name and user+system time of a process.
func procStat(pid string) (string, time.Duration) {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return "", 0
	}
	// Fields after the command name, which is in parentheses.
	open, i := strings.IndexByte(string(b), '('), strings.LastIndexByte(string(b), ')')
	if open < 0 || i < open {
		return "", 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return "", 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return string(b[open+1 : i]), time.Duration(u+s) * clockTick
}

// namedCPU sums the CPU time of every live process with this command name
// (e.g. the PostgreSQL server and its backends); with dbName, of
// PostgreSQL's background processes and the backends of that database
// only. Backends that exit during a run take their time with them, so
// this is a lower bound.
func namedCPU(name, dbName string) time.Duration {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	var sum time.Duration
	for _, e := range entries {
		if n := e.Name(); n[0] >= '0' && n[0] <= '9' {
			if comm, d := procStat(n); comm == name && (dbName == "" || ofDatabase(n, dbName)) {
				sum += d
			}
		}
	}
	return sum
}

// ofDatabase reports whether PostgreSQL process pid is a background
// process ("postgres: 15/main: walwriter") or a backend of database db
// ("postgres: USER DB 127.0.0.1(5432) idle").
func ofDatabase(pid, db string) bool {
	b, err := os.ReadFile("/proc/" + pid + "/cmdline")
	if err != nil {
		return false
	}
	title, ok := strings.CutPrefix(strings.TrimRight(string(b), "\x00"), "postgres: ")
	if !ok {
		return true // the postmaster
	}
	f := strings.Fields(title)
	switch {
	case len(f) == 0:
		return false
	case strings.HasSuffix(f[0], ":"):
		return true
	default:
		return len(f) > 1 && f[1] == db
	}
}

// machineCPU reads busy and total time of all cores from /proc/stat.
func machineCPU() (busy, total time.Duration) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 5 || f[0] != "cpu" {
		return 0, 0
	}
	var sum, idle int64
	for i, v := range f[1:] {
		n, _ := strconv.ParseInt(v, 10, 64)
		if i >= 8 { // guest times are already in user and nice
			break
		}
		sum += n
		if i == 3 || i == 4 { // idle, iowait
			idle += n
		}
	}
	return time.Duration(sum-idle) * clockTick, time.Duration(sum) * clockTick
}
