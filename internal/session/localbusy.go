package session

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/internal/text"
)

// probeKind is what answers at an address.
type probeKind int

const (
	// probeOurs: an fsdeck server that accepts this data directory's key.
	probeOurs probeKind = iota
	// probeGone: nothing listens any more (connection refused).
	probeGone
	// probeOther: something answers, and it is not that server.
	probeOther
	// probeSilent: a connection is accepted but no HTTP answer comes.
	probeSilent
)

// probe is the answer at an address, for deciding and for telling.
type probe struct {
	kind probeKind
	// what says what answered ("an HTTP server (Server: nginx)"), for
	// probeOther and probeSilent.
	what string
}

// probeAddr asks what serves at addr: a metadata request for a handle
// that does not exist, which the local server of this data directory
// answers 404 with its Server name. The request is signed with the
// secret (basic auth), so a server started with --security-required,
// which wants a policy even for this, is recognised and shared too.
func probeAddr(addr string, creds LocalCreds) probe {
	c := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	defer c.CloseIdleConnections()
	req, err := http.NewRequest(http.MethodGet, "http://"+addr+"/api/file/AAAAAAAAAAAAAAAAAAAA/metadata?key="+creds.APIKey, nil)
	if err != nil {
		return probe{kind: probeOther, what: "an address that cannot be asked"}
	}
	req.SetBasicAuth("app", creds.AppSecret)
	res, err := c.Do(req)
	if err != nil {
		if text.NetError(err) != "" && strings.HasPrefix(text.NetError(err), "connection refused") {
			return probe{kind: probeGone}
		}
		return probe{kind: probeSilent, what: "a program that accepts connections but gives no HTTP answer"}
	}
	io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	res.Body.Close()
	server := text.Reply(res.Header.Get("Server"))
	switch {
	case server == emulator.ServerName && res.StatusCode == http.StatusNotFound:
		return probe{kind: probeOurs}
	case server == emulator.ServerName:
		return probe{kind: probeOther, what: "an fsdeck server with another data directory (it refuses this one's API key)"}
	case server != "":
		return probe{kind: probeOther, what: fmt.Sprintf("an HTTP server that is not fsdeck (Server: %.60s)", server)}
	}
	return probe{kind: probeOther, what: "an HTTP server that is not fsdeck"}
}

// busyAddrError is local mode's address held by something that is not the
// fsdeck server of this data directory: the headless commands stop there,
// before anything is sent, as a URL on another port would die with the
// command.
type busyAddrError struct {
	addr   string
	probe  probe
	holder string // the process holding the port, when /proc tells
}

// held says what holds the address, as far as can be known.
func (e *busyAddrError) held() string {
	var parts []string
	if e.holder != "" {
		parts = append(parts, e.holder)
	}
	if e.probe.what != "" {
		parts = append(parts, e.probe.what)
	}
	if len(parts) == 0 {
		return e.addr + " is in use by another program"
	}
	return e.addr + " is in use by " + strings.Join(parts, ", ")
}

func (e *busyAddrError) Error() string {
	return e.held() + ", so nothing was sent: stop it, or choose another address for the local server with --addr HOST:PORT, FSDECK_LOCAL_ADDR or [local] addr in config.toml"
}

// portHolder names the process listening on addr's port ("python3 (pid
// 4242)") when /proc tells (Linux, and a process this user may inspect);
// "" otherwise.
func portHolder(addr string) string {
	if runtime.GOOS != "linux" {
		return ""
	}
	_, p, err := net.SplitHostPort(addr)
	port, perr := strconv.ParseUint(p, 10, 16)
	if err != nil || perr != nil {
		return ""
	}
	inodes := map[string]bool{}
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		listeningInodes(f, uint16(port), inodes)
	}
	if len(inodes) == 0 {
		return ""
	}
	pid := socketOwner(inodes)
	if pid == "" {
		return ""
	}
	comm, _ := os.ReadFile(filepath.Join("/proc", pid, "comm"))
	name := text.Reply(string(comm))
	if name == "" {
		return "process " + pid
	}
	return fmt.Sprintf("%.40s (pid %s)", name, pid)
}

// listeningInodes adds the inodes of sockets listening on port, read from
// a /proc/net/tcp table ("sl local_address rem_address st … inode").
func listeningInodes(table string, port uint16, into map[string]bool) {
	f, err := os.Open(table)
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan() // the header
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) < 10 || fs[3] != "0A" { // 0A: LISTEN
			continue
		}
		_, hexPort, ok := strings.Cut(fs[1], ":")
		b, err := hex.DecodeString(hexPort)
		if ok && err == nil && len(b) == 2 && uint16(b[0])<<8|uint16(b[1]) == port {
			into[fs[9]] = true
		}
	}
}

// socketOwner is the pid of a process with one of the socket inodes open,
// "" when none can be seen.
func socketOwner(inodes map[string]bool) string {
	procs, _ := os.ReadDir("/proc")
	for _, p := range procs {
		pid := p.Name()
		if pid == "" || pid[0] < '0' || pid[0] > '9' {
			continue
		}
		fds, _ := os.ReadDir(filepath.Join("/proc", pid, "fd"))
		for _, fd := range fds {
			link, err := os.Readlink(filepath.Join("/proc", pid, "fd", fd.Name()))
			if err == nil && strings.HasPrefix(link, "socket:[") && inodes[strings.TrimSuffix(strings.TrimPrefix(link, "socket:["), "]")] {
				return pid
			}
		}
	}
	return ""
}
