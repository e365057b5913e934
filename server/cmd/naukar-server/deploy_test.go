package main

import (
	"bufio"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// TestDeployEnvFileNamesRealSettings checks that every setting the example
// env file (server/deploy) names, set or commented out, is one the server
// reads, and that the unit starts the server with that file.
func TestDeployEnvFileNamesRealSettings(t *testing.T) {
	help, _ := exec.Command(serverBinary(t), "serve", "-h").CombinedOutput()
	f, err := os.Open("../../deploy/naukar-server.env")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	setting := regexp.MustCompile(`^#?((?:NAUKAR_[A-Z_]+|DATABASE_URL))=`)
	found := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := setting.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		found++
		if !strings.Contains(string(help), m[1]) {
			t.Errorf("naukar-server.env names %s, which serve does not read:\n%s", m[1], help)
		}
	}
	if found < 10 {
		t.Fatalf("found %d settings in naukar-server.env", found)
	}
	unit, err := os.ReadFile("../../deploy/naukar-server.service")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"EnvironmentFile=/etc/naukar/naukar-server.env", "ExecStart=/usr/local/bin/naukar-server serve", "KillSignal=SIGTERM"} {
		if !strings.Contains(string(unit), want) {
			t.Errorf("naukar-server.service lacks %q", want)
		}
	}
}
