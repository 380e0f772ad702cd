package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/marking"
	"github.com/accredit/accredit/engine/store"
)

const exportUsage = `usage: accredit export --sitting ID [--what LIST] [--out DIR] (--server URL | --store URL [--content DIR])
       accredit export --circuit ID [--shape sheets|standard-setting] (--server URL | --store URL [--roleplay DIR])
       accredit export --impact [--min N] --server URL

With --sitting, writes what a psychometrician analyses (docs/psychometrics.md):
  matrix   the response matrix: person, then per item 1 right, 0 wrong,
           9 presented and left unanswered, empty not presented
  choices  the options chosen, for accredit analyse items --key (- unanswered)
  key      the form's key, item,key
  persons  every booked candidate: sitting, centre, form, employer,
           time_factor, status, reason
The matrix and choices hold submitted attempts that were not voided, rows
in natural order of person id (c2 before c10). --what is a comma-separated
list or all; without --out it is one export written to standard output
(default matrix), with --out DIR the files DIR/ID-responses.csv,
ID-choices.csv, ID-key.csv and ID-persons.csv (default all).

With --circuit, writes a role-play circuit's scores from its stored sheets,
moderations included: shape sheets (the default) has one line per submitted
sheet, candidate,station,assessor,score,global; shape standard-setting has
one line per settled station, candidate,station,checklist,global, the input
of borderline regression (accredit standard).

With --impact, writes the workforce-impact report of every person decided
(docs/impact.md), the numbers of the impact page: pass rates with Wilson
intervals by employer, phase, cohort, status and element, adverse impact
by age band and the other monitoring fields, trends; cells under --min
people (at least and by default 10) suppressed. The programme team's
(administrator, psychometrician) code only; from a running server.

--server URL reads from a running server through its API, signed in with a
staff code from --code-file FILE, the environment variable
ACCREDIT_STAFF_CODE, or --code CODE (visible to other users of the machine).
--store URL reads the store directly; a bolt store is locked while a server
runs, so stop the server first or use --server.
`

// exportFlags are the flags of accredit export.
type exportFlags struct {
	store, content, sitting, circuit, roleplay, shape *string
	server, code, codeFile, what, out                 *string
	impact                                            *bool
	min                                               *int
}

func newExportFlags(stderr io.Writer) (*flag.FlagSet, exportFlags) {
	fs := newFlagSet("export", exportUsage, stderr)
	return fs, exportFlags{
		store:    storeFlag(fs),
		content:  fs.String("content", "", "content directory; empty means the demo content"),
		sitting:  fs.String("sitting", "", "sitting id"),
		circuit:  fs.String("circuit", "", "role-play circuit id"),
		roleplay: fs.String("roleplay", "", "role-play model directory; empty means the demo model"),
		shape:    fs.String("shape", "sheets", "with --circuit: sheets or standard-setting"),
		server:   fs.String("server", "", "URL of a running server, e.g. http://host:8080"),
		code:     fs.String("code", "", "with --server: staff sign-in code"),
		codeFile: fs.String("code-file", "", "with --server: file holding the staff sign-in code"),
		what:     fs.String("what", "", "with --sitting: matrix, choices, key, persons, a comma-separated list, or all"),
		out:      fs.String("out", "", "directory to write the files into; empty means standard output"),
		impact:   fs.Bool("impact", false, "the workforce-impact report, from --server"),
		min:      fs.Int("min", 10, "with --impact: the smallest count published, at least 10"),
	}
}

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, f := newExportFlags(stderr)
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if n := btoi(*f.sitting != "") + btoi(*f.circuit != "") + btoi(*f.impact); n != 1 {
		fs.Usage()
		return usageError{"export: give one of --sitting, --circuit or --impact"}
	}
	if *f.server == "" && (*f.code != "" || *f.codeFile != "") {
		return usageError{"export: --code and --code-file go with --server"}
	}
	if *f.impact {
		return exportImpact(ctx, f, stdout)
	}
	if *f.circuit != "" {
		return exportCircuit(ctx, f, stdout, stderr)
	}
	whats, err := parseWhat(*f.what, *f.out != "")
	if err != nil {
		return err
	}
	var src exporter
	if *f.server != "" {
		src, err = apiExporter(ctx, f)
	} else {
		var done func()
		src, done, err = storeExporter(ctx, f)
		if done != nil {
			defer done()
		}
	}
	if err != nil {
		return err
	}
	if *f.out == "" {
		return src(ctx, whats[0], stdout)
	}
	for _, w := range whats {
		if err := writeExport(ctx, src, w, filepath.Join(*f.out, *f.sitting+"-"+w.file+".csv"), stderr); err != nil {
			return err
		}
	}
	return nil
}

// export is one of a sitting's exports: what --what names it, and the file
// and API names (responses.csv).
type export struct{ name, file string }

var exports = []export{{"matrix", "responses"}, {"choices", "choices"}, {"key", "key"}, {"persons", "persons"}}

// parseWhat reads --what: one export for standard output, any for a directory.
func parseWhat(s string, toDir bool) ([]export, error) {
	switch {
	case s == "" && toDir, s == "all":
		if !toDir {
			return nil, usageError{"export: --what all needs --out DIR"}
		}
		return exports, nil
	case s == "":
		return exports[:1], nil
	}
	var out []export
	for _, name := range strings.Split(s, ",") {
		name = strings.TrimSpace(name)
		i := 0
		for i < len(exports) && exports[i].name != name && exports[i].file != name {
			i++
		}
		if i == len(exports) {
			return nil, usageError{fmt.Sprintf("export: --what %q: want matrix, choices, key, persons or all", name)}
		}
		out = append(out, exports[i])
	}
	if len(out) > 1 && !toDir {
		return nil, usageError{"export: more than one --what needs --out DIR"}
	}
	return out, nil
}

// exporter writes one export of the sitting to w.
type exporter func(ctx context.Context, what export, w io.Writer) error

// writeExport writes an export to path whole or not at all.
func writeExport(ctx context.Context, src exporter, what export, path string, stderr io.Writer) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".export-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	err = src(ctx, what, tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %s\n", path)
	return nil
}

// apiExporter signs in and exports from the sitting's API endpoints.
func apiExporter(ctx context.Context, f exportFlags) (exporter, error) {
	c, err := serverClient(ctx, f)
	if err != nil {
		return nil, err
	}
	prefix := "/api/sittings/" + url.PathEscape(*f.sitting) + "/"
	return func(ctx context.Context, what export, w io.Writer) error {
		return c.get(ctx, prefix+what.file+".csv", w)
	}, nil
}

// storeExporter exports from the store directly; done closes it.
func storeExporter(ctx context.Context, f exportFlags) (exporter, func(), error) {
	lib, err := loadContent(*f.content)
	if err != nil {
		return nil, nil, err
	}
	if _, ok := lib.Sittings[*f.sitting]; !ok {
		return nil, nil, fmt.Errorf("export: no sitting %q in the content", *f.sitting)
	}
	store, err := openExportStore(ctx, *f.store, "--sitting "+*f.sitting)
	if err != nil {
		return nil, nil, err
	}
	eng := engine.New(engine.Config{Library: lib, Store: store})
	done := func() { eng.Close(); store.Close() }
	byName := map[string]func(context.Context, string, io.Writer) error{
		"matrix": eng.ExportMatrix, "choices": eng.ExportChoices, "key": eng.ExportKey, "persons": eng.ExportPersons,
	}
	return func(ctx context.Context, what export, w io.Writer) error {
		return byName[what.name](ctx, *f.sitting, w)
	}, done, nil
}

// openExportStore opens the store, saying what to do when a running
// server holds a bolt file.
func openExportStore(ctx context.Context, storeURL, args string) (store.Store, error) {
	s, err := openStore(ctx, storeURL, nil)
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("export: the store %s is in use by a running server: use accredit export --server URL --code-file FILE %s (or set ACCREDIT_STAFF_CODE), or stop the server", storeURL, args)
	}
	return s, err
}

// codeEnv is the environment variable holding the staff code for --server.
const codeEnv = "ACCREDIT_STAFF_CODE"

// staffCode returns the code from --code, --code-file or the environment.
func staffCode(f exportFlags) (string, error) {
	switch {
	case *f.code != "" && *f.codeFile != "":
		return "", usageError{"export: give --code or --code-file, not both"}
	case *f.codeFile != "":
		b, err := os.ReadFile(*f.codeFile)
		if err != nil {
			return "", fmt.Errorf("export: staff code: %w", err)
		}
		code := strings.TrimSpace(string(b))
		if code == "" {
			return "", fmt.Errorf("export: staff code: %s is empty", *f.codeFile)
		}
		return code, nil
	case *f.code != "":
		return *f.code, nil
	case os.Getenv(codeEnv) != "":
		return strings.TrimSpace(os.Getenv(codeEnv)), nil
	}
	return "", usageError{"export: --server needs a staff code: --code-file FILE, " + codeEnv + " or --code CODE"}
}

// apiClient is a signed-in session with a running server.
type apiClient struct {
	base *url.URL
	hc   *http.Client
	who  string // "ID (role)", for errors
}

// requestTimeout bounds each API request, the export included.
const requestTimeout = 5 * time.Minute

// signIn checks the server URL and signs in with the staff code: POST
// /api/login with {"code": ...}, keeping the session cookie.
func signIn(ctx context.Context, server, code string) (*apiClient, error) {
	u, err := url.Parse(server)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, usageError{fmt.Sprintf("export: --server %q: want http://HOST:PORT or https://HOST", server)}
	}
	jar, _ := cookiejar.New(nil)
	c := &apiClient{base: u, hc: &http.Client{Jar: jar, Timeout: requestTimeout}}
	body, _ := json.Marshal(map[string]string{"code": code})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url("/api/login"), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("export: sign in to %s: %w", u.Redacted(), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("export: sign in to %s: %s", u.Redacted(), apiError(resp))
	}
	var me struct{ ID, Role string }
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&me); err != nil {
		return nil, fmt.Errorf("export: sign in to %s: reading the answer: %w", u.Redacted(), err)
	}
	c.who = fmt.Sprintf("%s (%s)", me.ID, me.Role)
	return c, nil
}

func (c *apiClient) url(path string) string {
	return strings.TrimSuffix(c.base.String(), "/") + path
}

// get copies the body of GET path to w, or returns an error naming what
// the server said.
func (c *apiClient) get(ctx context.Context, path string, w io.Writer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url(path), nil)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("export: GET %s: %w", path, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		if _, err := io.Copy(w, resp.Body); err != nil {
			return fmt.Errorf("export: GET %s: %w", path, err)
		}
		return nil
	case http.StatusForbidden:
		return fmt.Errorf("export: GET %s: %s; signed in as %s: exports need a psychometrician's code", path, apiError(resp), c.who)
	}
	return fmt.Errorf("export: GET %s: %s", path, apiError(resp))
}

// apiError describes a failed answer: its status and the server's
// {"error": ...} message when there is one.
func apiError(resp *http.Response) string {
	var e struct{ Error string }
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if json.Unmarshal(b, &e) == nil && e.Error != "" {
		return fmt.Sprintf("%s: %s", resp.Status, e.Error)
	}
	return resp.Status
}

// serverClient signs in to --server with the staff code.
func serverClient(ctx context.Context, f exportFlags) (*apiClient, error) {
	code, err := staffCode(f)
	if err != nil {
		return nil, err
	}
	return signIn(ctx, *f.server, code)
}

func exportCircuit(ctx context.Context, f exportFlags, stdout, stderr io.Writer) error {
	circuit, shape := *f.circuit, *f.shape
	if shape != "sheets" && shape != "standard-setting" {
		return usageError{fmt.Sprintf("export: --shape %q: want sheets or standard-setting", shape)}
	}
	if *f.what != "" || *f.out != "" {
		return usageError{"export: --what and --out go with --sitting"}
	}
	if *f.server != "" {
		c, err := serverClient(ctx, f)
		if err != nil {
			return err
		}
		return c.get(ctx, "/api/marking/circuits/"+url.PathEscape(circuit)+"/results.csv?shape="+shape, stdout)
	}
	m, err := loadRoleplay(*f.roleplay)
	if err != nil {
		return err
	}
	if _, ok := m.Circuits[circuit]; !ok {
		return fmt.Errorf("export: no circuit %q in the role-play model", circuit)
	}
	store, err := openExportStore(ctx, *f.store, "--circuit "+circuit)
	if err != nil {
		return err
	}
	defer store.Close()
	svc := marking.New(marking.Config{Model: m, Store: store})
	defer svc.Close()
	res, err := svc.Results(ctx, circuit)
	if err != nil {
		return err
	}
	for _, u := range res.Unsettled {
		fmt.Fprintf(stderr, "not settled: %s at %s: %s\n", u.Candidate, u.Station, u.Reason)
	}
	return marking.WriteResults(stdout, res, shape)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// exportImpact writes the server's workforce-impact report as CSV.
func exportImpact(ctx context.Context, f exportFlags, stdout io.Writer) error {
	switch {
	case *f.server == "":
		return usageError{"export: --impact is computed by a running server from everything decided: give --server URL"}
	case *f.min < 10:
		return usageError{fmt.Sprintf("export: --min %d: cells under 10 people are never published", *f.min)}
	}
	c, err := serverClient(ctx, f)
	if err != nil {
		return err
	}
	return c.get(ctx, fmt.Sprintf("/api/results/impact.csv?min=%d", *f.min), stdout)
}
