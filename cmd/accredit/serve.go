package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/marking"
	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/engine/results"
	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/engine/store/bolt"
	"github.com/accredit/accredit/engine/store/redis"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/web"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", ":8080", "listen address")
	storeURL := fs.String("store", "bolt:data/accredit.db", "store: bolt:PATH, or redis://HOST:PORT[/DB] (see docs/redis.md)")
	contentDir := fs.String("content", "", "content directory (items/, forms/, sittings/, staff.json); empty serves the demo content")
	roleplayDir := fs.String("roleplay", "", "role-play model directory (docs/roleplay.md); empty serves the demo circuits")
	metricsAddr := fs.String("metrics-addr", "", "serve Prometheus metrics to anyone on this address, e.g. 127.0.0.1:9090; keep it private (on the public address /metrics needs an administrator's sign-in)")
	secureCookies := fs.Bool("secure-cookies", false, "mark the staff session cookie Secure on plain HTTP too: for a proxy that terminates TLS")
	debugAddr := fs.String("debug-addr", "", "serve Go profiles (net/http/pprof) on this address, e.g. 127.0.0.1:6060; keep it private")
	node := fs.String("node", "", "this node's name in logs and notices (default: random)")
	leaseTTL := fs.Duration("lease-ttl", engine.DefaultLeaseTTL, "with a Redis store: how long this node's lease lives unrenewed; once another node's has lapsed, its candidates are counted away (docs/redis.md)")
	standards := fs.String("standards", "data/standard-setting", "directory of standard-setting panel and score files for the psychometrician's page")
	auditKey := fs.String("audit-key", "", "file holding the audit log's signer key and its verifier key (accredit audit keygen); checkpoints of the log are signed with it")
	programmeRules := fs.String("programme-rules", "", "JSON file of the programme's rules and status blueprints (docs/programme.md); empty uses the defaults")
	timeZone := fs.String("time-zone", web.DefaultTimeZone, "the centres' time zone (an IANA name): the pages show and read every time in it")
	resultsRules := fs.String("results-rules", "", "JSON file of the sitting windows, feedback and re-sit rules (docs/results.md); empty: the demo's with --demo, else no windows")
	demo := fs.Bool("demo", false, "print the demo URLs and access codes at start-up, and move the demo role-play circuits to now")
	var origins stringList
	fs.Var(&origins, "allow-origin", "extra origin allowed to open WebSockets (repeatable)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *leaseTTL < time.Second {
		return usageError{fmt.Sprintf("--lease-ttl %v: want a second or more", *leaseTTL)}
	}
	if _, err := time.LoadLocation(*timeZone); err != nil {
		return usageError{fmt.Sprintf("--time-zone %q: not a time zone this machine knows (an IANA name such as Europe/London)", *timeZone)}
	}
	log := newLogger(stderr)

	lib, err := loadContent(*contentDir)
	if err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	st, err := openStore(ctx, *storeURL, reg)
	if err != nil {
		return err
	}
	defer st.Close()

	auditLog, verifier, stopCheckpoints, err := openAudit(*auditKey, st, log)
	if err != nil {
		return err
	}
	defer stopCheckpoints()
	rpm, err := loadRoleplay(*roleplayDir)
	if err != nil {
		return err
	}
	demoProgramme := *demo && *contentDir == "" && *roleplayDir == "" && *programmeRules == ""
	rules, err := readProgrammeRules(*programmeRules, demoProgramme)
	if err != nil {
		return err
	}
	res, evidence, err := openResults(*resultsRules, demoProgramme && *resultsRules == "", st, rules, lib, auditLog)
	if err != nil {
		return err
	}
	prog, err := openProgramme(ctx, rules, res.Gate(), st, lib, auditLog)
	if err != nil {
		return err
	}
	evidence.roster.P = prog
	if demoProgramme {
		t0 := time.Now()
		past, err := openPastProgramme(ctx, rules, st, lib, auditLog)
		if err != nil {
			return err
		}
		if err := seedProgrammeDemo(ctx, past, prog, time.Now()); err != nil {
			return fmt.Errorf("demo programme: %w", err)
		}
		done, err := demoSeeded(ctx, res, *standards)
		if err != nil {
			return err
		}
		if !done {
			matrix, err := seedDemo(ctx, st, lib, rpm, prog)
			if err != nil {
				return fmt.Errorf("demo: %w", err)
			}
			if err := seedStandardsDemo(*standards, matrix); err != nil {
				return fmt.Errorf("demo standard-setting files: %w", err)
			}
		}
		log.Info("demo programme, past sitting and circuit ready", "sitting", pastSitting, "circuit", pastCircuit, "took", time.Since(t0).Round(time.Millisecond).String())
	}
	cfg := engine.Config{Library: lib, Store: st, Logger: log, Metrics: engine.NewMetrics(reg), Node: *node, Audit: auditLog,
		Roster: engine.Rosters(engine.LibraryRoster(lib), results.DeliveryRoster(prog)), LeaseTTL: *leaseTTL}
	var markingBroker marking.Broker // nil: one node
	if rs, ok := st.(*redis.Store); ok {
		cfg.Broker = redis.NewBroker(rs, "notices") // several nodes may share this Redis
		cfg.Leases = redis.NewLeases(rs)
		markingBroker = redis.NewBroker(rs, "marking")
	}
	eng := engine.New(cfg)
	eng.RegisterAttemptGauges(reg)
	if err := eng.Recover(ctx); err != nil {
		return err
	}
	defer eng.Close()
	if *demo && *roleplayDir == "" {
		moveDemoCircuits(rpm, time.Now())
	}
	if _, err := marking.CheckStaff(rpm, lib.Staff); err != nil {
		return fmt.Errorf("staff and role-play model: %w", err)
	}
	unlinked, err := checkImportedStaff(ctx, rpm, lib, prog, log)
	if err != nil {
		return err
	}
	if len(unlinked) > 0 {
		log.Warn("assessors without a staff record cannot sign in to mark", "assessors", unlinked)
	}
	var srv *web.Server // assessors sign in through the server's staff records
	ms := marking.New(marking.Config{Model: rpm, Store: st, Logger: log, Audit: auditLog, Broker: markingBroker,
		WS:       marking.WSConfig{AllowedOrigins: origins},
		Identify: func(r *http.Request, code string) (string, error) { return srv.Assessor(r, code) }})
	defer ms.Close()
	ms.RegisterMetrics(reg)
	evidence.Engine, evidence.Marking = eng, ms
	if demoProgramme {
		t0 := time.Now()
		switch ok, err := hasPastCohort(ctx, prog); {
		case err != nil:
			return err
		case !ok:
			log.Warn("this store holds an older demo, without the past cohort in the programme: make reset-demo to seed it afresh")
		default:
			if err := seedDemoResults(ctx, res, evidence.StoreEvidence, lib, rules); err != nil {
				return fmt.Errorf("demo results: %w", err)
			}
			log.Info("demo results decided and released", "window", pastWindow, "took", time.Since(t0).Round(time.Millisecond).String())
		}
	}
	srv, err = web.New(web.Config{Engine: eng, Library: lib, Store: st, Registry: reg, Logger: log,
		WS: engine.WSConfig{AllowedOrigins: origins}, Marking: ms, StandardsDir: *standards, SecureCookies: *secureCookies,
		Audit: auditLog, AuditKey: verifier, Programme: prog, Results: res, TimeZone: *timeZone})
	if err != nil {
		return err
	}
	defer srv.Close()

	if *metricsAddr != "" {
		bound, stop, err := servePrivate(*metricsAddr, web.MetricsHandler(reg))
		if err != nil {
			return fmt.Errorf("metrics listener: %w", err)
		}
		defer stop()
		log.Info("metrics", "addr", bound)
	}
	if *debugAddr != "" {
		bound, stop, err := servePrivate(*debugAddr, pprofMux())
		if err != nil {
			return fmt.Errorf("debug listener: %w", err)
		}
		defer stop()
		log.Info("debug profiles", "addr", bound)
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	log.Info("serving", "addr", ln.Addr().String(), "store", *storeURL)
	if *demo {
		printDemo(stdout, ln.Addr().String(), lib, demoProgramme)
		if verifier != "" {
			when := ""
			if strings.HasPrefix(*storeURL, "bolt:") {
				when = ", once the server is stopped (it holds the bolt file)"
			}
			fmt.Fprintf(stdout, "  the audit log's checkpoints are signed; check them with the public key\n    %s\n  (also at /api/audit/key)%s:\n    accredit audit verify --key %s --store %s\n\n",
				verifier, when, *auditKey, *storeURL)
		}
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	hs.Shutdown(sctx)
	return nil
}

// loadContent loads the content tree in dir; empty loads the demo content.
func loadContent(dir string) (*content.Library, error) {
	if dir == "" {
		return content.Load(content.Demo())
	}
	return content.LoadDir(dir)
}

// loadRoleplay loads the role-play model in dir; empty loads the demo
// circuits with the past sitting's circuit.
func loadRoleplay(dir string) (*roleplay.Model, error) {
	if dir == "" {
		return roleplay.Load(demoRoleplay())
	}
	return marking.LoadModel(dir)
}

// openStore opens the store a --store URL names; reg, if not nil, gets the
// group-commit metrics.
func openStore(ctx context.Context, u string, reg prometheus.Registerer) (store.Store, error) {
	var onCommit func(int, time.Duration)
	if reg != nil {
		batch := prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "accredit_store_batch_size", Help: "Appends carried by one group commit.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 13),
		})
		reg.MustRegister(batch)
		onCommit = func(n int, _ time.Duration) { batch.Observe(float64(n)) }
	}
	kind, rest, _ := strings.Cut(u, ":")
	switch kind {
	case "redis", "rediss":
		ro, opts, err := redis.ParseURL(u)
		if err != nil {
			return nil, usageError{err.Error()}
		}
		opts.OnCommit = onCommit
		return redis.Open(ctx, ro, opts)
	case "bolt":
		if rest == "" {
			return nil, usageError{"--store bolt:PATH needs a path"}
		}
		if err := os.MkdirAll(filepath.Dir(rest), 0o750); err != nil {
			return nil, err
		}
		s, err := bolt.Open(rest, bolt.Options{OnCommit: onCommit})
		if errors.Is(err, bolterrors.ErrTimeout) {
			return nil, storeInUse{u}
		}
		return s, err
	default:
		return nil, usageError{fmt.Sprintf("--store %q: want bolt:PATH or redis://HOST:PORT", u)}
	}
}

// storeInUse is the error of opening a bolt file that another process,
// such as a running server, holds; it wraps bbolt's timeout.
type storeInUse struct{ url string }

func (e storeInUse) Error() string {
	return fmt.Sprintf("the store %s is in use by another process, such as a running server: stop it first", e.url)
}

func (storeInUse) Unwrap() error { return bolterrors.ErrTimeout }

func newLogger(w io.Writer) *slog.Logger {
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			return slog.New(slog.NewTextHandler(w, nil))
		}
	}
	return slog.New(slog.NewJSONHandler(w, nil))
}

func printDemo(w io.Writer, addr string, lib *content.Library, demoProgramme bool) {
	host := addr
	if h, p, err := net.SplitHostPort(addr); err == nil && (h == "" || h == "::" || h == "0.0.0.0") {
		host = "localhost:" + p
	}
	fmt.Fprintf(w, "\nAccredit demo at http://%s/\n\n", host)
	fmt.Fprintf(w, "  candidates sit the test at  http://%s/test\n", host)
	fmt.Fprintf(w, "  the invigilator releases at http://%s/invigilate\n", host)
	fmt.Fprintf(w, "  psychometricians analyse at http://%s/psychometrics and set standards at http://%s/standards/\n\n", host, host)
	ids := make([]string, 0, len(lib.Sittings))
	for id := range lib.Sittings {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		s := lib.Sittings[id]
		fmt.Fprintf(w, "  sitting %s at %s: access codes\n", id, s.Centre)
		for _, c := range s.Candidates {
			extra := ""
			if c.Accommodation > 1 {
				extra = fmt.Sprintf("  (time x%.2f)", c.Accommodation)
			}
			fmt.Fprintf(w, "    %-24s %s%s\n", c.AccessCode, c.Name, extra)
		}
	}
	if demoProgramme {
		fmt.Fprintf(w, "  sitting %s at %s on %s and its circuit %s: %d simulated people of the programme, all submitted and marked;\n"+
			"    their results (window %s) are released: see http://%s/results and http://%s/impact\n",
			pastSitting, pastCentre, pastScheduled.Format("2 January 2006"), pastCircuit, pastCount, pastWindow, host, host)
	}
	fmt.Fprintf(w, "\n  assessors mark role-plays at http://%s/mark with their staff code; the lead assessor watches at http://%s/lead\n", host, host)
	fmt.Fprintln(w, "\n  staff codes")
	for _, st := range lib.Staff {
		fmt.Fprintf(w, "    %-24s %s, %s\n", st.Code, st.Name, st.Role)
	}
	fmt.Fprintln(w)
}

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func pprofMux() *http.ServeMux {
	m := http.NewServeMux()
	m.HandleFunc("/debug/pprof/", pprof.Index)
	m.HandleFunc("/debug/pprof/profile", pprof.Profile)
	m.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	m.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return m
}

// servePrivate serves h on a listener of its own for operators (metrics,
// profiles), never the public one, until stop is called: stop shuts the
// listener down and waits for its goroutine. It returns the address bound.
func servePrivate(addr string, h http.Handler) (bound string, stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, err
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() { defer close(done); hs.Serve(ln) }()
	return ln.Addr().String(), func() { hs.Close(); <-done }, nil
}

// openAudit returns the audit log on st, every act recorded in it, and the
// verifier key of keyFile. With a key file it also starts the
// checkpointer that signs the log every few seconds; stop closes it, with
// a last checkpoint. Without one, entries are recorded but not signed.
func openAudit(keyFile string, st store.Store, log *slog.Logger) (*audit.Log, string, func(), error) {
	l := audit.New(st, clock.System{})
	if keyFile == "" {
		log.Warn("no --audit-key: audit entries are recorded, but no checkpoint is signed")
		return l, "", func() {}, nil
	}
	b, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, "", nil, fmt.Errorf("audit key: %w", err)
	}
	signer, verifier := splitKeys(string(b))
	if signer == "" {
		return nil, "", nil, fmt.Errorf("audit key %s: no signer key (PRIVATE+KEY+...) in it", keyFile)
	}
	cp, err := audit.NewCheckpointer(st, signer, audit.CheckpointerOptions{Logger: log})
	if err != nil {
		return nil, "", nil, fmt.Errorf("audit key %s: %w", keyFile, err)
	}
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := cp.Close(ctx); err != nil {
			log.Error("audit: last checkpoint", "err", err)
		}
	}
	return l, verifier, stop, nil
}

// readProgrammeRules reads the programme's rules from file ("" for the
// defaults, or the demo's).
func readProgrammeRules(file string, demo bool) (programme.Rules, error) {
	var rules programme.Rules
	if demo {
		rules = demoProgrammeRules()
	}
	if file != "" {
		if err := readJSONFile(file, &rules); err != nil {
			return rules, err
		}
	}
	if len(rules.Blueprints) == 0 {
		rules.Blueprints = programme.DefaultBlueprints()
	}
	return rules, nil
}

// readJSONFile decodes file into v, refusing unknown fields.
func readJSONFile(file string, v any) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	return nil
}

// openProgramme returns the programme's records on st under rules, its
// bookings checked by gate (nil for none), recording into auditLog when
// there is one.
func openProgramme(ctx context.Context, rules programme.Rules, gate programme.Gate, st store.Store, lib *content.Library, auditLog *audit.Log) (*programme.Programme, error) {
	return loadProgramme(ctx, programme.Config{Store: st, Rules: rules, Library: lib, Gate: gate}, auditLog)
}

// loadProgramme returns the Programme cfg describes, recording into
// auditLog when there is one, with its records loaded from the store.
func loadProgramme(ctx context.Context, cfg programme.Config, auditLog *audit.Log) (*programme.Programme, error) {
	if auditLog != nil {
		cfg.Recorder = programme.LogRecorder(auditLog)
	}
	p, err := programme.New(cfg)
	if err != nil {
		return nil, err
	}
	return p, p.Load(ctx)
}

// checkImportedStaff returns the model's assessors whom neither the
// library's staff file nor the sign-ins imported into the programme's
// records (accredit programme import) link to. An imported sign-in whose
// link the model does not hold is logged, not fatal: the store, not this
// node's files, holds it.
func checkImportedStaff(ctx context.Context, rpm *roleplay.Model, lib *content.Library, prog *programme.Programme, log *slog.Logger) ([]string, error) {
	imported, err := prog.SignIns(ctx)
	if err != nil {
		return nil, fmt.Errorf("imported sign-ins: %w", err)
	}
	staff := slices.Clone(lib.Staff)
	for _, st := range imported {
		if _, ok := lib.StaffByCode(st.Code); ok || slices.ContainsFunc(lib.Staff, func(l content.Staff) bool { return l.ID == st.ID }) {
			continue // the library's record is the one that signs in
		}
		if _, err := marking.CheckStaff(rpm, []content.Staff{st}); err != nil {
			log.Warn("imported sign-in and role-play model", "staff", st.ID, "err", err)
			continue
		}
		staff = append(staff, st)
	}
	unlinked, _ := marking.CheckStaff(rpm, staff)
	return unlinked, nil
}
