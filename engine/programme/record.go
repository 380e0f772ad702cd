package programme

import (
	"time"

	"github.com/accredit/accredit/engine/content"
)

// Record kinds, as stored.
const (
	recEmployers  = "employers"  // directory: Employers created
	recStaff      = "staff"      // directory: Staff created
	recPeople     = "people"     // registry: People created, under Batch
	recMonitoring = "monitoring" // monitoring: Monitoring by person id, under Batch
	recSitting    = "sitting"    // ledger: the sitting defined
	recDay        = "day"        // ledger: the role-play day defined
	recSeat       = "seat"       // ledger: a place taken by Booking
	recFree       = "free"       // ledger: Booking's place given back
	recVoid       = "void"       // ledger: Booking may never take a place
	recEndorse    = "endorse"    // person: an endorsement recorded
	recWithdraw   = "withdraw"   // person: endorsement ID withdrawn
	recHold       = "hold"       // person: a booking begun
	recBooked     = "booked"     // person: a booking begun and placed, stored with its seat
	recConfirm    = "confirm"    // person: booking ID has its place
	recRelease    = "release"    // person: booking ID has no place, with Reason
	recCancel     = "cancel"     // person: booking ID cancelled
	recApprove    = "approve"    // person: booking ID's adjustments approved
	recSignIns    = "signins"    // sign-ins: SignIns imported from a staff file
)

// record is one stored record; Kind says which fields are set.
type record struct {
	Kind   string    `json:"k"`
	At     time.Time `json:"at"`
	By     *Actor    `json:"by,omitempty"`
	ID     string    `json:"id,omitempty"`
	Reason string    `json:"reason,omitempty"`
	Batch  string    `json:"batch,omitempty"`

	Employers   []Employer            `json:"employers,omitempty"`
	Staff       []Staff               `json:"staff,omitempty"`
	People      []Person              `json:"people,omitempty"`
	Monitoring  map[string]Monitoring `json:"monitoring,omitempty"`
	Sitting     *Sitting              `json:"sitting,omitempty"`
	Day         *RolePlayDay          `json:"day,omitempty"`
	Seat        *Seat                 `json:"seat,omitempty"`
	Endorsement *Endorsement          `json:"endorsement,omitempty"`
	Booking     *Booking              `json:"booking,omitempty"`
	SignIns     []content.Staff       `json:"signins,omitempty"`
}

// Stream names (docs/programme.md).
const (
	streamEmployers  = "programme/employers"
	streamStaff      = "programme/staff"
	streamPeople     = "programme/people"
	streamMonitoring = "programme/monitoring"
	streamSignIns    = "programme/signins"
	prefixPerson     = "programme/person/"
	prefixSitting    = "programme/sitting/"
	prefixDay        = "programme/roleplay/"
)

func personStream(id string) string { return prefixPerson + id }
