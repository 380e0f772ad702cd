package programme

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/internal/clock"
)

// Recorder writes an audit entry before an act; the server adapts its
// audit.Log. An act whose entry is refused is not taken.
type Recorder interface {
	Record(ctx context.Context, e audit.Entry) error
}

// LogRecorder returns a Recorder that appends to log, except for an act
// whose context is marked Recorded: its caller has recorded it already.
func LogRecorder(log *audit.Log) Recorder { return logRecorder{log} }

type logRecorder struct{ log *audit.Log }

func (r logRecorder) Record(ctx context.Context, e audit.Entry) error {
	if ctx.Value(recordedKey{}) != nil {
		return nil
	}
	_, err := r.log.Append(ctx, e)
	return err
}

// Log returns the audit log the Recorder appends to, for an act that
// stores its entry in the same write as its change (audit.Log.Take).
func (r logRecorder) Log() *audit.Log { return r.log }

// LogOf returns the audit log rec appends to when it says (LogRecorder
// does) and ctx is not marked Recorded; otherwise nil.
func LogOf(ctx context.Context, rec Recorder) *audit.Log {
	l, ok := rec.(interface{ Log() *audit.Log })
	if !ok || ctx.Value(recordedKey{}) != nil {
		return nil
	}
	return l.Log()
}

// AuditLog returns the audit log the Programme records its acts in, or nil
// when its Recorder is none or not a LogRecorder.
func (p *Programme) AuditLog() *audit.Log { return LogOf(context.Background(), p.rec) }

type recordedKey struct{}

// Recorded returns ctx marked as carrying an act its caller has recorded
// in the audit log itself (the server does, with the act's ".aborted"
// record when it fails): the Programme's Recorder is not called for it.
func Recorded(ctx context.Context) context.Context {
	return context.WithValue(ctx, recordedKey{}, true)
}

// Config configures a Programme.
type Config struct {
	Store store.Store
	Clock clock.Clock // nil means the system clock
	// Recorder, if set, receives an audit entry before each change.
	Recorder Recorder
	Rules    Rules
	// Library, if set, is checked against: sittings name its forms.
	Library *content.Library
	// Gate, if set, is a further booking rule (gate.go).
	Gate Gate
}

// Rules are the programme's policy; the zero value of each field means
// its default.
type Rules struct {
	// AgencyMonths is how many whole months an agency worker must have
	// been with the employer before endorsement: 6 to 12, default 6.
	AgencyMonths int `json:"agency_months"`
	// EndorsementValid is how long an endorsement stays live: default
	// 365 days.
	EndorsementValid time.Duration `json:"endorsement_valid"`
	// MaxTimeFactor bounds the extra-time adjustment: 1 < factor <= max,
	// default 2 (double time). At most 3.
	MaxTimeFactor float64 `json:"max_time_factor"`
	// ChangeCutoff is how long before a sitting's start a booking may last
	// be cancelled or moved; 0 means until it starts. Never after.
	ChangeCutoff time.Duration `json:"change_cutoff"`
	// HoldTimeout is how long a booking interrupted between its two
	// records blocks its person before it may be cleared: default 1 minute.
	HoldTimeout time.Duration `json:"hold_timeout"`
	// Blueprints configure the statuses; nil means DefaultBlueprints.
	Blueprints []Blueprint `json:"blueprints"`
}

// Defaults.
const (
	DefaultAgencyMonths     = 6
	DefaultEndorsementValid = 365 * 24 * time.Hour
	DefaultMaxTimeFactor    = 2.0
	DefaultHoldTimeout      = time.Minute
)

// withDefaults returns r with each zero field set to its default.
func (r Rules) withDefaults() Rules {
	if r.AgencyMonths == 0 {
		r.AgencyMonths = DefaultAgencyMonths
	}
	if r.EndorsementValid == 0 {
		r.EndorsementValid = DefaultEndorsementValid
	}
	if r.MaxTimeFactor == 0 {
		r.MaxTimeFactor = DefaultMaxTimeFactor
	}
	if r.HoldTimeout == 0 {
		r.HoldTimeout = DefaultHoldTimeout
	}
	if r.Blueprints == nil {
		r.Blueprints = DefaultBlueprints()
	}
	return r
}

// Validate checks the rules, with defaults applied, and returns every
// fault at once, wrapped in ErrInvalidConfig.
func (r Rules) Validate() error {
	r = r.withDefaults()
	var errs []string
	if r.AgencyMonths < 6 || r.AgencyMonths > 12 {
		errs = append(errs, fmt.Sprintf("agency_months %d: want 6 to 12", r.AgencyMonths))
	}
	if r.EndorsementValid < 0 {
		errs = append(errs, "endorsement_valid is negative")
	}
	if r.MaxTimeFactor <= 1 || r.MaxTimeFactor > 3 {
		errs = append(errs, fmt.Sprintf("max_time_factor %g: want more than 1, at most 3", r.MaxTimeFactor))
	}
	if r.ChangeCutoff < 0 || r.HoldTimeout < 0 {
		errs = append(errs, "change_cutoff and hold_timeout may not be negative")
	}
	errs = append(errs, validateBlueprints(r.Blueprints)...)
	if len(errs) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalidConfig, strings.Join(errs, "; "))
	}
	return nil
}

// validate checks the configuration.
func (c *Config) validate() error {
	if c.Store == nil {
		return fmt.Errorf("%w: no store", ErrInvalidConfig)
	}
	if err := c.Rules.Validate(); err != nil {
		return err
	}
	if c.Library == nil {
		return nil
	}
	var errs []error
	for _, bp := range c.Rules.withDefaults().Blueprints {
		for _, f := range bp.Forms {
			if c.Library.Forms[f] == nil {
				errs = append(errs, fmt.Errorf("status %s: no form %q in the content library", bp.Status, f))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidConfig, err)
	}
	return nil
}
