package load

// msg is the part of a server message the simulated candidates use. It
// leaves out stems and option texts, so decoding a large attempt message
// allocates little: the load generator shares the machine with the server
// and should spend its time sending load, not reading questions.
type msg struct {
	Type      string       `json:"type"`
	Seq       uint64       `json:"seq"`
	Duplicate bool         `json:"duplicate"`
	Code      int          `json:"code"`
	Message   string       `json:"message"`
	Reason    string       `json:"reason"`
	Attempt   *attemptView `json:"attempt"`
}

type attemptView struct {
	Sections []struct {
		Items []itemView `json:"items"`
	} `json:"sections"`
	Answers map[string][]string `json:"answers"`
	Flags   []string            `json:"flags"`
	Status  string              `json:"status"`
	LastSeq uint64              `json:"last_seq"`
	Paused  bool                `json:"paused"`
}

type itemView struct {
	ID      string `json:"id"`
	Select  int    `json:"select"`
	Options []struct {
		ID string `json:"id"`
	} `json:"options"`
}
