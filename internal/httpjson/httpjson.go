// Package httpjson reads and writes the JSON bodies of the staff APIs.
package httpjson

import (
	"encoding/json"
	"net/http"
)

// Write sends v as JSON with status; API answers are never cached.
func Write(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// Error sends {"error": msg} with status.
func Error(w http.ResponseWriter, status int, msg string) {
	Write(w, status, map[string]string{"error": msg})
}

// Read decodes a JSON request body of at most limit bytes into v, refusing
// unknown fields and any content type but JSON, which a cross-site form
// cannot send. On failure it has written the
// error and returns false.
func Read(w http.ResponseWriter, r *http.Request, v any, limit int64) bool {
	if r.Header.Get("Content-Type") != "application/json" {
		Error(w, http.StatusUnsupportedMediaType, "send application/json")
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		Error(w, http.StatusBadRequest, "bad request body: "+err.Error())
		return false
	}
	return true
}
